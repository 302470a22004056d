"""协议详情: the document with its evidence on the left, fields / findings / decision on the right.

The agreement is the URL's ``?id=N`` (or the last one opened in this session). Absent, unknown
and not-allowed ids all get the same message, so another unit's ids reveal nothing.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import streamlit as st

from contract_review.labels import DISPOSITION_LABELS, REVIEW_STATUS_LABELS, TYPE_LABELS, value_text
from contract_review.store import AccessDenied, StoreError
from contract_review.store.schema import DECISIONS
from review_app.common import (
    FIELD_COLOR,
    FINDING_COLOR,
    NOT_FOUND,
    PAGE_QUEUE,
    QUEUE_FILTERS,
    SEVERITY_LABELS,
    fmt_time,
    fmt_value,
    get_store,
    label_of,
    md,
    require_login,
    zh_error,
)
from review_app.evidence import boxes_on_page, highlight_html, marks

COLORS = {"field": FIELD_COLOR, "finding": FINDING_COLOR}
WIDGET_PREFIXES = ("field_", "finding_", "detail_decision", "detail_correction", "detail_page", "detail_show_")

store = get_store()
viewer = require_login()


# ---------------------------------------------------------------------------- which agreement
def _requested_id() -> int | None:
    raw = st.query_params.get("id")
    if raw is None:
        raw = st.session_state.get("detail_id")
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return None


agreement_id = _requested_id()
agreement = None
if agreement_id is not None:
    try:
        agreement = store.agreement(viewer, agreement_id)
    except (KeyError, AccessDenied):
        agreement = None
if agreement is None:
    st.session_state.pop("detail_id", None)
    st.error(NOT_FOUND)
    st.page_link(PAGE_QUEUE, label="返回队列", icon=":material/arrow_back:")
    st.stop()

st.session_state["detail_id"] = agreement_id
if st.query_params.get("id") != str(agreement_id):
    st.query_params["id"] = str(agreement_id)
if st.session_state.get("detail_loaded") != agreement_id:  # another agreement: fresh widgets
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(WIDGET_PREFIXES):
            del st.session_state[key]
    st.session_state["detail_loaded"] = agreement_id


def _go(target: int) -> None:
    st.query_params["id"] = str(target)
    st.rerun()


# ---------------------------------------------------------------------------- queue order
filters = st.session_state.get(QUEUE_FILTERS, {})
order_key = repr(sorted(filters.items()))
order = st.session_state.get("detail_order")
if not order or order.get("key") != order_key or agreement_id not in order.get("ids", ()):
    order = {"key": order_key, "ids": store.queue_ids(viewer, **filters)}
    st.session_state["detail_order"] = order
ids: list[int] = order["ids"]
pos = ids.index(agreement_id) if agreement_id in ids else None
prev_id = ids[pos - 1] if pos is not None and pos > 0 else None
next_id = ids[pos + 1] if pos is not None and pos + 1 < len(ids) else None

# ---------------------------------------------------------------------------- header
nav = st.columns([1.2, 1, 1, 4], vertical_alignment="center")
nav[0].page_link(PAGE_QUEUE, label="返回队列", icon=":material/arrow_back:")
if nav[1].button("上一份", key="detail_prev", icon=":material/chevron_left:", disabled=prev_id is None, width="stretch"):
    _go(prev_id)
if nav[2].button("下一份", key="detail_next", icon=":material/chevron_right:", disabled=next_id is None, width="stretch"):
    _go(next_id)
if pos is not None:
    nav[3].caption(f"队列中第 {pos + 1} / {len(ids)} 份（按审查队列的筛选与排序）")

def _heading(a: dict) -> str:
    """The asset and where it is (「土地」 alone says little in a queue of land contracts)."""
    title = a["title"] or a["filename"]
    location = ((a["record"].get("fields") or {}).get("asset_location") or {}).get("value")
    return f"{title}（{location}）" if location and str(location) not in title else title


st.title(md(_heading(agreement)))
decided = agreement["status"] == "decided"
summary = [
    f"**编号** #{agreement['id']}",
    f"**单位** {md(agreement['unit'])}",
    f"**文件** {md(agreement['filename'])}",
    f"**协议类型** {label_of(TYPE_LABELS, agreement['agreement_type'], '未识别')}",
    f"**风险分** {agreement['risk_score']:.2f}",
    f"**机器建议** {label_of(DISPOSITION_LABELS, agreement['disposition'])}",
    f"**状态** {label_of(REVIEW_STATUS_LABELS, agreement['status'])}"
    + (f"（{label_of(DISPOSITION_LABELS, agreement['decision'])}，{md(agreement['reviewer'])}，"
       f"{fmt_time(agreement['decided_at'])}）"
       if decided else ""),
]
st.markdown("　·　".join(summary))
if agreement["document_status"] == "failed":
    reason = zh_error(agreement["error_message"], agreement["error_code"]) or agreement["error_code"] or ""
    st.error(f"文件读取失败：{md(reason)}")
for err in (agreement["record"] or {}).get("errors") or []:
    if agreement["document_status"] != "failed":
        where = f"第 {err['page']} 页：" if err.get("page") else ""
        st.warning(f"读取提示：{where}{md(zh_error(err.get('message'), err.get('code')))}")


# ---------------------------------------------------------------------------- the document
@st.cache_resource(show_spinner=False, max_entries=32)
def _document(document_id: int, sha256: str, _content: dict):
    from ingest import Document

    return Document.from_dict(_content)


@st.cache_data(show_spinner=False, max_entries=128)
def _page_base(sha256: str, page: int, _path: str, _document_id: int, _content: dict) -> tuple[bytes, float]:
    """The page as the reader saw it (JPEG, so the cache stays small) and its scale."""
    from ingest.pages import page_image

    image, scale = page_image(_path, _document(_document_id, sha256, _content), page, max_side=1600)
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=92)
    return buf.getvalue(), scale


@st.cache_data(show_spinner=False, max_entries=128)
def _page_drawn(sha256: str, page: int, boxes: tuple, _path: str, _document_id: int, _content: dict) -> bytes:
    from PIL import Image

    from ingest.pages import draw_boxes

    data, scale = _page_base(sha256, page, _path, _document_id, _content)
    if not boxes:
        return data
    image = draw_boxes(Image.open(io.BytesIO(data)), list(boxes), scale, width=3, font_size=15)
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def _legend() -> None:
    st.markdown(
        f'<span style="color:{FIELD_COLOR};font-size:1.1em">■</span> 字段证据　'
        f'<span style="color:{FINDING_COLOR};font-size:1.1em">■</span> 问题证据',
        unsafe_allow_html=True,
    )


def _show_document(a: dict) -> None:
    content = a["document_content"]
    if not content:
        st.info("没有可显示的原文（文件未能读取）。")
        return
    try:
        document = _document(a["document_id"], a["file_sha256"], content)
    except ValueError as exc:
        st.warning(f"原文无法显示：{exc}")
        return
    if not document.pages:
        st.info("文件中没有读出文字。")
        return
    numbers = [p.number for p in document.pages]
    c1, c2, c3 = st.columns([1.2, 1, 1], vertical_alignment="bottom")
    page = c1.selectbox("页码", numbers, key="detail_page", format_func=lambda n: f"第 {n} 页 / 共 {len(numbers)} 页") \
        if len(numbers) > 1 else numbers[0]
    show_fields = c2.checkbox("显示字段证据", value=True, key="detail_show_fields")
    show_findings = c3.checkbox("显示问题证据", value=True, key="detail_show_findings")
    items = marks(a, fields=show_fields, findings=show_findings)
    _legend()

    from ingest.pages import has_page_image

    path = Path(a["file_path"])
    if has_page_image(document, page) and path.is_file():
        try:
            data = _page_drawn(a["file_sha256"], page, boxes_on_page(items, page, COLORS), str(path),
                               a["document_id"], content)
        except (ValueError, OSError) as exc:
            st.warning(f"页面图像无法生成，改为显示文字：{exc}")
        else:
            st.image(data, width="stretch")
            on_page = [m for m in items if m.page == page and m.bbox is None and m.text]
            if on_page:
                with st.expander(f"本页未定位到图像位置的证据（{len(on_page)}）"):
                    for m in on_page:
                        st.markdown(f"- **{m.label}**：「{md(m.text)}」")
            return
    text = document.page(page).text if 1 <= page <= len(document.pages) else ""
    with st.container(height=760, border=True):
        st.markdown(
            '<div style="white-space:normal;line-height:1.9;font-size:0.95em">'
            + (highlight_html(text, items, page, COLORS) or "（本页没有文字）") + "</div>",
            unsafe_allow_html=True,
        )


# ---------------------------------------------------------------------------- fields
def _show_fields(a: dict) -> None:
    rows = []
    for f in a["fields"]:
        m = f["machine"] or {}
        corr = f["correction"]
        rows.append({
            "字段": f["label"],
            "机器识别值": fmt_value(m.get("value")),
            "当前值": fmt_value(f["value"]) if corr is None else str(corr["value"] or "（空）"),
            "原文": m.get("text") or "",
            "页": m.get("page"),
            "置信度": m.get("confidence"),
            "更正": f"{corr['by']}，{fmt_time(corr['at'])}" + (f"：{corr['note']}" if corr["note"] else "") if corr else "",
        })
    st.dataframe(
        pd.DataFrame(rows), hide_index=True, width="stretch", key="detail_fields_table",
        column_config={
            "页": st.column_config.NumberColumn(format="%d", width="small"),
            "置信度": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="%.2f", width="small"),
            "原文": st.column_config.TextColumn(width="medium"),
        },
    )
    if not viewer.can_review:
        return
    with st.expander("更正字段", icon=":material/edit:"):
        st.caption("只填写需要更正的字段；机器识别值会保留，台账以更正后的值为准。")
        with st.form("detail_fields_form"):
            typed = {}
            for f in a["fields"]:
                m = f["machine"] or {}
                hint = f"机器识别：{fmt_value(m.get('value')) or '（未识别）'}"
                typed[f["name"]] = st.text_input(f["label"], value=value_text(f["value"]), key=f"field_{f['name']}",
                                                 help=hint)
            note = st.text_input("更正说明", key="detail_correction_note", placeholder="例如：依合同第三条更正")
            saved = st.form_submit_button("保存更正", key="detail_fields_submit", type="primary")
        if saved:
            changed = [f for f in a["fields"] if typed[f["name"]].strip() != value_text(f["value"]).strip()]
            if not changed:
                st.info("没有修改任何字段。")
            else:
                try:
                    for f in changed:
                        store.correct(viewer, a["id"], f["name"], typed[f["name"]].strip() or None, note)
                except (StoreError, KeyError) as exc:
                    st.error(str(exc))
                else:
                    labels = "、".join(f["label"] for f in changed)
                    st.session_state["detail_flash"] = f"已保存 {len(changed)} 项更正：{labels}"
                    st.rerun()


# ---------------------------------------------------------------------------- findings
def _finding_actions(a: dict, f: dict, key: str) -> None:
    c1, c2, c3 = st.columns([1, 2, 1], vertical_alignment="bottom")  # wide enough for icon + 确认/排除
    if c1.button("确认", key=f"finding_confirm_{key}", icon=":material/check:", width="stretch"):
        store.review_finding(viewer, a["id"], f["check"], "confirmed")
        st.session_state["detail_flash"] = f"已确认：{f['label']}"
        st.rerun()
    reason = c2.text_input("排除理由", key=f"finding_reason_{key}", placeholder="排除须写明理由",
                           label_visibility="collapsed")
    if c3.button("排除", key=f"finding_dismiss_{key}", icon=":material/block:", width="stretch"):
        if not reason.strip():
            st.error("排除一项发现须写明理由")
        else:
            try:
                store.review_finding(viewer, a["id"], f["check"], "dismissed", reason.strip())
            except StoreError as exc:
                st.error(str(exc))
            else:
                st.session_state["detail_flash"] = f"已排除：{f['label']}"
                st.rerun()


def _show_findings(a: dict) -> None:
    if a["disposition_reason"]:
        st.info(f"机器建议：**{label_of(DISPOSITION_LABELS, a['disposition'])}**。{a['disposition_reason']}")
    if not a["findings"]:
        st.success("未发现问题。")
    seen: dict[str, int] = {}
    for f in a["findings"]:
        n = seen.get(f["check"], 0)
        seen[f["check"]] = n + 1
        key = f["check"] if n == 0 else f"{f['check']}_{n}"
        review = f["review"]
        with st.container(border=True, key=f"finding_box_{key}"):
            color = {"high": "red", "medium": "orange", "low": "yellow"}.get(f["severity"], "gray")
            st.markdown(f":{color}-badge[{f['label']}] **{f['title']}**")
            st.caption(
                f"严重程度：{SEVERITY_LABELS.get(f['severity'], f['severity'])}　·　"
                f"建议处理：{label_of(DISPOSITION_LABELS, f['disposition'], '仅提示')}　·　可信度：{(f['score'] or 0):.0%}"
            )
            st.markdown(f["explanation"] or "")
            if f["basis"]:
                st.markdown(f"**依据：** {f['basis']}")
            if f["evidence"]:
                st.markdown("**证据：**\n" + "\n".join(
                    f"- 「{md(e.get('text') or '')}」" + (f"（第 {e['page']} 页）" if e.get("page") else "")
                    for e in f["evidence"]))
            for r in f["related"]:
                rid = r.get("agreement_id")
                name = f"（{md(r['filename'])}）" if r.get("filename") else ""
                if rid and rid != a["id"] and st.button(f"打开关联协议 #{rid}{name}", key=f"finding_related_{key}_{rid}",
                                                        icon=":material/link:"):
                    _go(int(rid))
            if review:
                what = "已确认" if review["action"] == "confirmed" else "已排除"
                st.markdown(f"**审查：** {what}（{review['by']}，{fmt_time(review['at'])}）"
                            + (f"：{review['reason']}" if review["reason"] else ""))
            else:
                st.caption("审查：未处理")
            if viewer.can_review:
                _finding_actions(a, f, key)


# ---------------------------------------------------------------------------- decision
def _show_decision(a: dict) -> None:
    st.subheader("处理决定")
    if a["decisions"]:
        last = a["decisions"][-1]
        st.markdown(f"当前决定：**{label_of(DISPOSITION_LABELS, last['disposition'])}**（{last['by']}，"
                    f"{fmt_time(last['at'])}）" + (f"：{last['note']}" if last["note"] else ""))
        plan = a.get("rectification")
        if plan:
            st.markdown("整改要求：" + "；".join(x for x in (
                plan["measure"], f"时限 {plan['deadline']:%Y-%m-%d}" if plan["deadline"] else "",
                f"责任人 {plan['responsible']}" if plan["responsible"] else "") if x))
    if not viewer.can_review:
        if not a["decisions"]:
            st.caption(f"尚未决定。机器建议：{label_of(DISPOSITION_LABELS, a['disposition'])}")
        return
    default = a["decision"] or a["disposition"]
    index = DECISIONS.index(default) if default in DECISIONS else None
    made = st.session_state.pop("detail_decision_made", None)
    if made in DECISIONS:  # show the decision just made, with an empty note for the next one
        st.session_state["detail_decision"], st.session_state["detail_decision_note"], index = made, "", None
        for k in ("detail_decision_measure", "detail_decision_responsible"):
            st.session_state[k] = ""
        st.session_state["detail_decision_deadline"] = None
    # the version the reviewer sees now; a submit hands back the one of the page it was made on
    seen = st.session_state.get("detail_decision_version")
    st.session_state["detail_decision_version"] = (a["id"], a["version"])
    with st.form("detail_decision_form"):  # kept on a refusal: what was typed stays
        choice = st.radio("处理决定", DECISIONS, index=index,
                          format_func=lambda d: DISPOSITION_LABELS.get(d, d), horizontal=True, key="detail_decision",
                          help="预选为机器建议")
        note = st.text_area("说明", key="detail_decision_note", placeholder="写明决定的理由或整改要求", height=90)
        with st.expander("整改要求（可选，列入台账和整改清单）"):
            measure = st.text_area("整改措施", key="detail_decision_measure", height=68)
            r1, r2 = st.columns(2)
            deadline = r1.date_input("整改时限", value=None, key="detail_decision_deadline", format="YYYY-MM-DD")
            responsible = r2.text_input("责任人", key="detail_decision_responsible")
        submitted = st.form_submit_button("提交决定", key="detail_decision_submit", type="primary", icon=":material/gavel:")
    if submitted:
        if choice is None:
            st.error("请选择处理决定")
            return
        version = seen[1] if seen and seen[0] == a["id"] else -1  # no page seen: refused as stale
        try:
            store.decide(viewer, a["id"], choice, note.strip(), version=version,
                         rectification={"measure": measure, "deadline": deadline, "responsible": responsible})
        except StoreError as exc:  # StaleDecision: who decided meanwhile and when (shown above now)
            st.error(str(exc))
        else:
            st.session_state["detail_flash"] = f"已提交决定：{DISPOSITION_LABELS.get(choice, choice)}"
            st.session_state["detail_decision_made"] = choice
            st.rerun()


def _show_history(a: dict) -> None:
    if not a["history"]:
        st.caption("暂无审查记录。")
        return
    st.dataframe(
        pd.DataFrame([{"时间": fmt_time(h["at"], True), "人员": h["by"], "操作": h["what"], "内容": h["detail"],
                       "说明": h["why"] or ""} for h in a["history"]]),
        hide_index=True, width="stretch", key="detail_history_table",
    )


# ---------------------------------------------------------------------------- layout
flash = st.session_state.pop("detail_flash", None)
if flash:
    st.success(flash)
    st.toast(flash)

left, right = st.columns([1.05, 1], gap="large")
with left:
    st.subheader("原文")
    _show_document(agreement)
with right:
    tab_findings, tab_fields, tab_history = st.tabs(
        [f"审查发现（{len(agreement['findings'])}）", "字段", f"历史记录（{len(agreement['history'])}）"]
    )
    with tab_findings:
        _show_findings(agreement)
        st.divider()
        _show_decision(agreement)
    with tab_fields:
        _show_fields(agreement)
    with tab_history:
        _show_history(agreement)
