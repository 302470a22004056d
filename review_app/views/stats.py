"""统计: counts per unit, agreement type, check and disposition (bars largest first), proposals and
decisions per unit, and decisions per week (Chinese date labels)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from contract_review.labels import CHECK_LABELS, DISPOSITION_LABELS, REVIEW_STATUS_LABELS, TYPE_LABELS
from contract_review.stats import stats_of
from contract_review.store.schema import SEVERITY_ORDER
from review_app.common import get_store, require_login

store = get_store()
viewer = require_login()

st.title("统计")
s = stats_of(store, viewer)
total, decided = s["total"], s["decided"]

m = st.columns(4)
m[0].metric("协议总数", total)
m[1].metric("已决定", decided)
m[2].metric("待审查", s["per_status"].get("pending", 0))  # as the queue counts it
m[3].metric("审查完成率", f"{decided / total:.0%}" if total else "—")
others = [f"{REVIEW_STATUS_LABELS.get(k, k)} {n} 份" for k, n in sorted(s["per_status"].items())
          if k not in ("pending", "decided") and n]
if others:
    st.caption("另有" + "、".join(others) + "（不计入待审查）。")
if not total:
    st.info("还没有可统计的协议。")
    st.stop()


def _frame(counter: dict, labels: dict[str, str] | None, column: str, index: str) -> pd.DataFrame:
    data = sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return pd.DataFrame({index: [(labels or {}).get(k, k) if k is not None else "未识别" for k, _ in data],
                         column: [v for _, v in data]}).set_index(index)


def _bars(counter: dict, labels: dict[str, str] | None, name: str, **kw) -> None:
    """Bars sorted by count, the largest first (not alphabetically)."""
    st.bar_chart(_frame(counter, labels, "协议数", name), x_label=name, y_label="协议数", sort="-协议数", **kw)


def _week_label(monday: str) -> str:
    start = date.fromisoformat(monday)
    end = start + timedelta(days=6)
    tail = f"{end.month}月{end.day}日" if end.month != start.month else f"{end.day}日"
    return f"{start.year}年{start.month}月{start.day}日–{tail}"


UNREADABLE = "无法读取"
left, right = st.columns(2, gap="large")
with left:
    if viewer.sees_all_units:
        st.subheader("各单位审查进度")
        units = sorted(s["per_unit"], key=lambda u: (-s["per_unit"][u], u))
        st.bar_chart(pd.DataFrame({"单位": units,
                                   "已决定": [s["per_unit_decided"].get(u, 0) for u in units],
                                   "未决定": [s["per_unit"][u] - s["per_unit_decided"].get(u, 0) for u in units]}
                                  ).set_index("单位"),
                     color=["#2da44e", "#bf8700"], x_label="单位", y_label="协议数", sort=False)
    st.subheader("协议类型")
    _bars(s["per_type"], TYPE_LABELS, "协议类型")
with right:
    st.subheader("问题类型")
    if s["per_check"]:
        _bars(s["per_check"], CHECK_LABELS, "问题类型", horizontal=True, color="#d1242f")
    else:
        st.caption("未发现问题。")
    st.subheader("处理建议与审查决定")
    keys = sorted(DISPOSITION_LABELS, key=lambda k: -(s["per_proposal"].get(k, 0) + s["per_decision"].get(k, 0)))
    st.bar_chart(pd.DataFrame({"处理": [DISPOSITION_LABELS[k] for k in keys],
                               "机器建议": [s["per_proposal"].get(k, 0) for k in keys],
                               "审查决定": [s["per_decision"].get(k, 0) for k in keys]}).set_index("处理"),
                 stack=False, color=["#8c959f", "#1f6feb"], x_label="处理", y_label="协议数", sort=False)

st.subheader("各单位处理情况")
basis = st.radio("按", ["机器建议", "审查决定"], horizontal=True, key="stats_unit_basis", label_visibility="collapsed")
per_unit = s["per_unit_proposal"] if basis == "机器建议" else s["per_unit_decision"]
columns = [*SEVERITY_ORDER, "unreadable"] if basis == "机器建议" else [*SEVERITY_ORDER, "second_review"]
names = {**DISPOSITION_LABELS, "unreadable": UNREADABLE, "second_review": REVIEW_STATUS_LABELS["second_review"]}
units = sorted(s["per_unit"], key=lambda u: (-s["per_unit"][u], u))
table = pd.DataFrame([[per_unit.get(u, {}).get(c, 0) for c in columns] for u in units],
                     index=pd.Index(units, name="单位"), columns=[names[c] for c in columns])
if basis == "审查决定":
    table["未决定"] = [s["per_unit"][u] - s["per_unit_decided"].get(u, 0) - per_unit.get(u, {}).get("second_review", 0)
                     for u in units]
table["合计"] = table.sum(axis=1)
table.loc["合计"] = table.sum(axis=0)
st.dataframe(table, width="stretch")

st.subheader("每周审查决定")
weeks = s["decisions_per_week"]
if weeks:
    per_week = pd.DataFrame({"周": [_week_label(w) for w in weeks], "决定数": list(weeks.values())}).set_index("周")
    st.bar_chart(per_week, x_label="周", y_label="决定数", sort=False, color="#1f6feb")
    last = list(weeks)[-1]
    st.caption(f"共决定 {sum(weeks.values())} 份；最近一周（{_week_label(last)}）决定 {weeks[last]} 份。")
else:
    st.caption("还没有审查决定。")
