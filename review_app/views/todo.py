"""我的待办: a reviewer's assigned agreements and the void decisions awaiting their 复核; an
uploader's files sent back to the unit, with the reason."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from contract_review.labels import DISPOSITION_LABELS, REVIEW_STATUS_LABELS
from review_app.common import PAGE_DETAIL, fmt_time, get_store, label_of, require_login

store = get_store()
viewer = require_login()
st.title("我的待办")
todo = store.todo(viewer)


def _table(rows: list[dict], key: str) -> None:
    frame = pd.DataFrame([{
        "编号": r["id"], "单位": r["unit"], "文件": r["filename"], "标的资产": r["title"],
        "机器建议": label_of(DISPOSITION_LABELS, r["disposition"]), "状态": label_of(REVIEW_STATUS_LABELS, r["status"]),
        "风险分": round(r["risk_score"], 2),
    } for r in rows])
    event = st.dataframe(frame, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                         key=key)
    picked = list(getattr(getattr(event, "selection", None), "rows", None) or [])
    if picked and 0 <= picked[0] < len(rows):
        st.switch_page(PAGE_DETAIL, query_params={"id": str(rows[picked[0]]["id"])})


if viewer.can_review:
    st.subheader(f"待复核的「无效」决定（{len(todo['second_review'])}）")
    if todo["second_review"]:
        _table(todo["second_review"], "todo_second_review")
    else:
        st.caption("没有待复核的决定。")
    st.subheader(f"分配给我的协议（{len(todo['assigned'])}）")
    if todo["assigned"]:
        _table(todo["assigned"], "todo_assigned")
    else:
        st.caption("没有分配给您的待审查协议。")
st.subheader(f"退回单位、需重新提交的文件（{len(todo['returned'])}）")
if todo["returned"]:
    st.dataframe(pd.DataFrame([{
        "编号": r["id"], "文件": r["filename"], "退回原因": r["reason"], "退回人": r["by"], "时间": fmt_time(r["at"]),
    } for r in todo["returned"]]), hide_index=True, width="stretch", key="todo_returned")
else:
    st.caption("没有退回的文件。")
