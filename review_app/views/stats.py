"""统计: counts per unit, agreement type, check and disposition, and review progress over time."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from contract_review.labels import CHECK_LABELS, DISPOSITION_LABELS, TYPE_LABELS
from review_app.common import get_store, require_login

store = get_store()
viewer = require_login()

st.title("统计")
s = store.stats(viewer)
total, decided = s["total"], s["decided"]

m = st.columns(4)
m[0].metric("协议总数", total)
m[1].metric("已决定", decided)
m[2].metric("待审查", total - decided)
m[3].metric("审查完成率", f"{decided / total:.0%}" if total else "—")
if not total:
    st.info("还没有可统计的协议。")
    st.stop()


def _frame(counter: dict, labels: dict[str, str] | None, column: str, index: str) -> pd.DataFrame:
    data = sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return pd.DataFrame({index: [(labels or {}).get(k, k) if k is not None else "未识别" for k, _ in data],
                         column: [v for _, v in data]}).set_index(index)


left, right = st.columns(2, gap="large")
with left:
    if viewer.sees_all_units:
        st.subheader("各单位审查进度")
        units = sorted(s["per_unit"], key=lambda u: -s["per_unit"][u])
        st.bar_chart(pd.DataFrame({"单位": units,
                                   "已决定": [s["per_unit_decided"].get(u, 0) for u in units],
                                   "待审查": [s["per_unit"][u] - s["per_unit_decided"].get(u, 0) for u in units]}
                                  ).set_index("单位"),
                     color=["#2da44e", "#bf8700"], x_label="单位", y_label="协议数")
    st.subheader("协议类型")
    st.bar_chart(_frame(s["per_type"], TYPE_LABELS, "协议数", "协议类型"), x_label="协议类型", y_label="协议数")
with right:
    st.subheader("问题类型")
    if s["per_check"]:
        st.bar_chart(_frame(s["per_check"], CHECK_LABELS, "协议数", "问题类型"), horizontal=True,
                     x_label="问题类型", y_label="协议数", color="#d1242f")
    else:
        st.caption("未发现问题。")
    st.subheader("处理建议与审查决定")
    keys = list(DISPOSITION_LABELS)
    st.bar_chart(pd.DataFrame({"处理": [DISPOSITION_LABELS[k] for k in keys],
                               "机器建议": [s["per_proposal"].get(k, 0) for k in keys],
                               "审查决定": [s["per_decision"].get(k, 0) for k in keys]}).set_index("处理"),
                 stack=False, color=["#8c959f", "#1f6feb"], x_label="处理", y_label="协议数")

st.subheader("审查进度（累计决定数）")
days = s["decisions_per_day"]
if days:
    # dates written in Chinese (a datetime axis would read 「Mon 07」)
    progress = pd.DataFrame({"日期": [f"{pd.Timestamp(d):%Y年%m月%d日}" for d in days],
                             "当日决定": list(days.values())}).set_index("日期")
    progress["累计决定"] = progress["当日决定"].cumsum()
    st.line_chart(progress[["累计决定"]], x_label="日期", y_label="累计决定数")
    st.caption(f"最近一天（{list(days)[-1]}）决定 {list(days.values())[-1]} 份。")
else:
    st.caption("还没有审查决定。")
