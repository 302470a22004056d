"""批量处理: decide a filtered selection at once (one confirmation, one history entry per agreement,
each checked against the version shown here), and — admins — assign it to a reviewer."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from contract_review.labels import CHECK_LABELS, DISPOSITION_LABELS
from contract_review.store.schema import DECISIONS
from review_app.common import all_label, get_store, label_of, require_role

store = get_store()
viewer = require_role("reviewer", "admin")
SHOWN = 200

st.title("批量处理")
st.caption("先筛选，再对筛选出的全部协议一次决定或分配。每份协议单独记录一条决定，并核对其状态自显示以来未被他人改变。")

flash = st.session_state.pop("bulk_flash", None)
if flash:
    done, refused, label = flash
    st.success(f"已对 {len(done)} 份协议记录「{label}」决定。")
    for aid, why in refused:
        st.error(f"#{aid} 未决定：{why}")

units = {u["id"]: u["name"] for u in store.units(viewer)}
reviewers = {u["id"]: u["display_name"] or u["username"] for u in store.reviewers()}
FINDINGS = {False: "无问题", True: "有问题"}
with st.container(border=True):
    c = st.columns(4)
    unit_id = c[0].selectbox("单位", [None, *units], format_func=all_label(units), key="bulk_unit")
    proposal = c[1].selectbox("机器建议", [None, *DECISIONS], format_func=all_label(DISPOSITION_LABELS),
                              key="bulk_proposal")
    has_findings = c[2].selectbox("审查发现", [None, False, True], format_func=all_label(FINDINGS), key="bulk_findings")
    assignee = c[3].selectbox("审查人", [None, *reviewers], format_func=all_label(reviewers, "全部（含未分配）"),
                              key="bulk_assignee")

filters = {k: v for k, v in {"unit_id": unit_id, "disposition": proposal, "has_findings": has_findings,
                             "assignee_id": assignee}.items() if v is not None}
rows = store.selection(viewer, status="pending", **filters)
st.metric("符合条件的待审查协议", len(rows))
if not rows:
    st.info("没有符合条件的待审查协议。")
    st.stop()
st.dataframe(pd.DataFrame([{
    "编号": r["id"], "单位": r["unit"], "文件": r["filename"], "标的资产": r["title"],
    "机器建议": label_of(DISPOSITION_LABELS, r["disposition"]),
    "问题": "、".join(CHECK_LABELS.get(c, c) for c in r["checks"]) or "未发现问题",
    "风险分": round(r["risk_score"], 2), "审查人": r["assignee"] or "未分配",
} for r in rows[:SHOWN]]), hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 38 + 35 * 8),
    key="bulk_table")
if len(rows) > SHOWN:
    st.caption(f"仅显示前 {SHOWN} 份；批量操作作用于全部 {len(rows)} 份。")

# what the reviewer sees now is what a bulk action applies to: the ids and their versions
seen = [(r["id"], r["version"]) for r in rows]

left, right = st.columns(2, gap="large")
with left:
    st.subheader("批量决定")
    with st.form("bulk_decide_form"):
        choice = st.selectbox("处理决定", DECISIONS, index=None, placeholder="请选择处理决定",
                              format_func=lambda d: DISPOSITION_LABELS[d], key="bulk_decision")
        note = st.text_input("说明", key="bulk_note", placeholder="例如：经逐份核对，条款规范、程序完备")
        asked = st.form_submit_button(f"对这 {len(rows)} 份协议作出决定", key="bulk_decide", type="primary")
    if asked:
        if choice is None:
            st.error("请选择处理决定")
        else:
            st.session_state["bulk_pending"] = {"choice": choice, "note": note.strip(), "seen": seen}
    pending = st.session_state.get("bulk_pending")
    if pending:
        label = DISPOSITION_LABELS[pending["choice"]]
        extra = "「无效」决定须另一名审查员复核后生效。" if pending["choice"] == "void" else ""
        st.warning(f"将对 {len(pending['seen'])} 份协议逐份记录「{label}」决定（每份一条历史记录）。{extra}确认吗？")
        y, n = st.columns(2)
        if y.button(f"确认：{len(pending['seen'])} 份均决定为「{label}」", key="bulk_confirm", type="primary"):
            done, refused = store.decide_many(viewer, pending["seen"], pending["choice"], pending["note"])
            st.session_state.pop("bulk_pending", None)
            st.session_state["bulk_flash"] = (done, refused, label)
            st.rerun()
        if n.button("取消", key="bulk_cancel"):
            st.session_state.pop("bulk_pending", None)
            st.rerun()
with right:
    if viewer.is_admin:
        st.subheader("分配审查人")
        with st.form("bulk_assign_form"):
            target = st.selectbox("分配给", list(reviewers), index=None, placeholder="请选择审查人",
                                  format_func=lambda i: reviewers[i], key="bulk_assign_to")
            assigned = st.form_submit_button(f"将这 {len(rows)} 份分配给所选审查人", key="bulk_assign")
        if assigned:
            if target is None:
                st.error("请选择审查人")
            else:
                n = store.assign(viewer, [i for i, _ in seen], target)
                st.success(f"已将 {n} 份协议分配给{reviewers[target]}（已是其任务的不重复记录）")

