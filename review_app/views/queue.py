"""审查队列: the risk-ordered queue (pending first, highest risk first), filtered and paged in SQL.

The filters, the page size and the page number live in the URL (``bind="query-params"``, the
widget key is the parameter: ``/queue?queue_status=待审查&queue_page=2``), so a reload (F5), a
bookmark or a link sent to a colleague opens the same selection."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from contract_review.labels import CHECK_LABELS, DISPOSITION_LABELS, REVIEW_STATUS_LABELS, TYPE_LABELS
from contract_review.labels import shown_name
from contract_review.store.schema import DECISIONS
from contract_review.store.store import QUEUE_SORTS
from review_app.common import PAGE_DETAIL, QUEUE_FILTERS, all_label, fmt_time, get_store, label_of, require_login

PAGE_SIZES = (25, 50, 100)

store = get_store()
viewer = require_login()

st.title("审查队列" if viewer.can_review else "协议列表")


def _reset_page() -> None:
    st.session_state["queue_page"] = 1


# ---------------------------------------------------------------------------- filters
units = store.units(viewer)
unit_names = {u["id"]: u["name"] for u in units}
reviewers = {u["id"]: u["display_name"] or u["username"] for u in store.reviewers()}

SORT_LABELS = {"severity": "按严重程度（无效→补签→整改→合规），再按风险分", "risk": "按风险分从高到低",
               "newest": "按上传时间（最新在前）"}

with st.container(border=True):
    cols = st.columns([1.2, 1, 1.2, 0.9, 1] if viewer.sees_all_units else [1, 1.2, 0.9, 1])
    i = 0
    unit_id = None
    if viewer.sees_all_units:
        unit_id = cols[0].selectbox("单位", [None, *unit_names], format_func=all_label(unit_names), key="queue_unit",
                                    on_change=_reset_page, persist_state="session", bind="query-params")
        i = 1
    agreement_type = cols[i].selectbox("协议类型", [None, *TYPE_LABELS], format_func=all_label(TYPE_LABELS),
                                       key="queue_type", on_change=_reset_page, persist_state="session", bind="query-params")
    check = cols[i + 1].selectbox("问题类型", [None, *CHECK_LABELS], format_func=all_label(CHECK_LABELS),
                                  key="queue_check", on_change=_reset_page, persist_state="session", bind="query-params")
    status = cols[i + 2].selectbox("状态", [None, *REVIEW_STATUS_LABELS], format_func=all_label(REVIEW_STATUS_LABELS),
                                   key="queue_status", on_change=_reset_page, persist_state="session", bind="query-params")
    reviewer_id = cols[i + 3].selectbox("审查人", [None, *reviewers], format_func=all_label(reviewers),
                                        key="queue_reviewer", on_change=_reset_page, persist_state="session", bind="query-params")
    cols = st.columns([1, 1, 1.6, 2])
    proposal = cols[0].selectbox("机器建议", [None, *DISPOSITION_LABELS], format_func=all_label(DISPOSITION_LABELS),
                                 key="queue_proposal", on_change=_reset_page, persist_state="session", bind="query-params")
    decision = cols[1].selectbox("处理决定", [None, *DECISIONS], format_func=all_label(DISPOSITION_LABELS),
                                 key="queue_decision", on_change=_reset_page, persist_state="session", bind="query-params")
    sort = cols[2].selectbox("排序", list(QUEUE_SORTS), format_func=lambda k: SORT_LABELS.get(k, k), key="queue_sort",
                             on_change=_reset_page, persist_state="session", bind="query-params")
    search = cols[3].text_input("搜索", key="queue_search", placeholder="全文、更正值、文件名、标的资产或合作方（多个词用空格分开）",
                                on_change=_reset_page, persist_state="session", bind="query-params")

filters = {k: v for k, v in {
    "unit_id": unit_id, "agreement_type": agreement_type, "check": check, "status": status,
    "reviewer_id": reviewer_id, "disposition": proposal, "decision": decision,
    "search": (search or "").strip() or None, "sort": sort,
}.items() if v is not None}
st.session_state[QUEUE_FILTERS] = filters  # plain values (ids, codes, text): the detail page follows the same order

counts = store.counts(viewer, **filters)
m = st.columns(3)
m[0].metric("总数", counts["total"])
m[1].metric("待审查", counts["pending"])
m[2].metric("已决定", counts["decided"])

# ---------------------------------------------------------------------------- one page of rows
size_col, page_col, info_col = st.columns([1, 1, 3], vertical_alignment="bottom")
page_size = size_col.selectbox("每页条数", PAGE_SIZES, key="queue_page_size", on_change=_reset_page,
                               persist_state="session", bind="query-params")
pages = max(1, math.ceil(counts["total"] / page_size))
current = st.session_state.get("queue_page", 1)
if not isinstance(current, int) or not 1 <= current <= pages:
    st.session_state["queue_page"] = min(max(1, int(current or 1)), pages)
page_no = page_col.number_input(f"页码（共 {pages} 页）", min_value=1, max_value=pages, step=1, key="queue_page",
                                persist_state="session", bind="query-params")

rows, total = store.queue(viewer, offset=(page_no - 1) * page_size, limit=page_size, **filters)
first = (page_no - 1) * page_size + 1 if rows else 0
info_col.caption(f"第 {first}–{first + len(rows) - 1 if rows else 0} 条，共 {total} 条（排序作用于全部筛选结果，不只本页）。"
                 "点击行首的选择框打开协议详情，或在表格下方选择后点「打开」。")

if not rows:
    st.info("没有符合条件的协议。")
    st.stop()

UNREADABLE = "无法读取：请重新扫描或上传"
NOT_AGREEMENT = "未识别出协议内容：请核对后重新提交"


def _unreadable(r: dict) -> bool:
    """Not read, or not an agreement (需重新提交): no risk, no proposal."""
    return r["document_status"] == "failed" or r["status"] == "resubmit"


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:")


def _md(text: str) -> str:
    """Text shown as itself in Markdown (file names and quotes carry * _ [ ] and the like)."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)


def _hit_text(r: dict) -> str:
    """Where the search words were found, hits in 【】 (a table cell shows plain text)."""
    return "".join(f"【{text}】" if hit else text for text, hit in r.get("snippet") or [])


frame = pd.DataFrame([
    {  # what a lawyer triages by comes first: risk, what is wrong, what the machine proposes
        "编号": r["id"],
        **({"搜索命中": _hit_text(r) or "（文件名、标的资产或合作方）"} if "search" in filters else {}),
        "风险分": None if _unreadable(r) else r["risk_score"],
        "问题": (UNREADABLE if r["document_status"] == "failed" else NOT_AGREEMENT) if _unreadable(r)
        else "、".join(CHECK_LABELS.get(c, c) for c in r["checks"]) or "未发现问题",
        "机器建议": "" if _unreadable(r) else label_of(DISPOSITION_LABELS, r["disposition"]),
        "单位": r["unit"],
        "标的资产": "" if _unreadable(r) else r["title"],
        "合作方": r["counterparty"] or "",
        "协议类型": label_of(TYPE_LABELS, r["agreement_type"]),
        "文件": shown_name(r["filename"]),
        "状态": label_of(REVIEW_STATUS_LABELS, r["status"]),
        "处理决定": label_of(DISPOSITION_LABELS, r["decision"]),
        "审查人": r["reviewer"] or "",
        "决定时间": fmt_time(r["decided_at"]),
    }
    for r in rows
])
if not viewer.sees_all_units:
    frame = frame.drop(columns=["单位"])
event = st.dataframe(
    frame,
    hide_index=True,
    width="stretch",
    height=min(38 + 35 * len(frame), 38 + 35 * 25),
    on_select="rerun",
    selection_mode="single-row",
    key="queue_table",
    column_config={
        "编号": st.column_config.NumberColumn(width="small", format="%d"),
        "风险分": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="%.2f", width="small"),
        "文件": st.column_config.TextColumn(width="medium"),
        "标的资产": st.column_config.TextColumn(width="medium"),
        "问题": st.column_config.TextColumn(width="medium"),
        "搜索命中": st.column_config.TextColumn(width="large"),
    },
)
if "search" in filters:
    with st.expander("搜索命中（高亮）", expanded=True):
        for r in rows:
            passage = "".join(f":orange-background[**{_md(text)}**]" if hit else _md(text) for text, hit in r.get("snippet") or [])
            st.markdown(f"**#{r['id']}** {_md(r['filename'])}：{passage or '（文件名、标的资产或合作方中）'}")
selected = list(getattr(getattr(event, "selection", None), "rows", None) or [])
if selected and 0 <= selected[0] < len(rows):
    st.switch_page(PAGE_DETAIL, query_params={"id": str(rows[selected[0]]["id"])})

# a plain control too (keyboard and browser automation friendly)
with st.container():
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    choice = c1.selectbox("打开协议", [r["id"] for r in rows], key="queue_open_select",
                          format_func=lambda i: next(f"#{r['id']} {shown_name(r['filename'])}" for r in rows if r["id"] == i))
    if c2.button("打开", key="queue_open_button", icon=":material/open_in_new:"):
        st.switch_page(PAGE_DETAIL, query_params={"id": str(choice)})
