"""协议详情: the page image with its evidence on the left, the decision and the findings on the right.

The agreement is the URL's ``?id=N`` (or the last one opened in this session). Absent, unknown
and not-allowed ids all get the same message, so another unit's ids reveal nothing.

Every widget of the decision is keyed by the agreement's id: Streamlit's browser keeps a
widget's value per key across reruns, so a form keyed once for every agreement showed the
previous agreement's choice after 下一份 (issue 12). The form preselects this agreement's
machine proposal while it is undecided, its decision in force otherwise. A decision on an agreement that
already has one says who decided what and asks for confirmation; a void decision awaits a
second reviewer (复核); a file that was not read or is not an agreement is not decided but sent
back to its unit with a reason.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from checks.legal import cite_seeds
from contract_review.labels import (
    DISPOSITION_LABELS,
    RENT_PERIOD_LABELS,
    REVIEW_STATUS_LABELS,
    TENDER_LABELS,
    TYPE_LABELS,
    value_text,
)
from contract_review.store import AccessDenied, StoreError
from contract_review.store.schema import DECISIONS
from review_app.common import (
    FIELD_COLOR,
    FINDING_COLOR,
    NOT_FOUND,
    PAGE_QUEUE,
    QUEUE_FILTERS,
    SEVERITY_LABELS,
    field_text,
    fmt_time,
    get_store,
    label_of,
    md,
    require_login,
    shown_error,
)
from review_app.evidence import box_of, highlight_html, marks, numbered_boxes, viewer_html
from review_app.shortcuts import HELP, listener_html

COLORS = {"field": FIELD_COLOR, "finding": FINDING_COLOR}
_SHA = re.compile(r"[，,]\s*SHA-256[：:]\s*[0-9a-f]+…?")
CODED_FIELDS = {"rent_period": RENT_PERIOD_LABELS, "tender_method": TENDER_LABELS}
VIEWER_HEIGHT = 560

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
AID = agreement_id


def _k(name: str) -> str:
    """A widget key of this agreement's page."""
    return f"{name}_{AID}"


def _go(target: int) -> None:
    st.query_params["id"] = str(target)
    st.rerun()


# a compact page: the decision is reachable without scrolling at 1366×768, the sidebar folded
# away so the page image gets its 900 px (the arrow at the top left opens it)
st.set_page_config(initial_sidebar_state="collapsed")
st.html("""<style>
.block-container{padding-top:2.6rem;padding-bottom:1rem;padding-left:1.2rem;padding-right:1.2rem;max-width:100%}
h1{font-size:1.45rem !important;padding:0.1rem 0 0.2rem !important}
.ev-quote{cursor:pointer;border-bottom:1px dashed #d1242f}
.ev-quote:hover{background:#ffebe9}
</style>""")
components.html(listener_html(AID), height=0)

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
nav = st.columns([1.1, 1, 1, 5], vertical_alignment="center")
nav[0].page_link(PAGE_QUEUE, label="返回队列", icon=":material/arrow_back:")
if nav[1].button("上一份", key="detail_prev", icon=":material/chevron_left:", disabled=prev_id is None, width="stretch",
                 help="快捷键 P"):
    _go(prev_id)
if nav[2].button("下一份", key="detail_next", icon=":material/chevron_right:", disabled=next_id is None, width="stretch",
                 help="快捷键 N"):
    _go(next_id)
if pos is not None:
    nav[3].caption(f"队列中第 {pos + 1} / {len(ids)} 份（按审查队列的筛选与排序）")


def _heading(a: dict) -> str:
    """The asset and where it is (「土地」 alone says little in a queue of land contracts)."""
    title = a["title"] or a["filename"]
    location = ((a["record"].get("fields") or {}).get("asset_location") or {}).get("value")
    return f"{title}（{location}）" if location and str(location) not in title else title


st.title(md(_heading(agreement)))
resubmit = agreement["status"] == "resubmit"
summary = [
    f"**编号** #{agreement['id']}",
    f"**单位** {md(agreement['unit'])}",
    f"**文件** {md(agreement['filename'])}",
    f"**协议类型** {label_of(TYPE_LABELS, agreement['agreement_type'], '未识别')}",
]
if not resubmit:
    summary += [f"**风险分** {agreement['risk_score']:.2f}",
                f"**机器建议** {label_of(DISPOSITION_LABELS, agreement['disposition'])}"]
state = f"**状态** {label_of(REVIEW_STATUS_LABELS, agreement['status'])}"
if agreement["decision"]:
    state += (f"（{label_of(DISPOSITION_LABELS, agreement['decision'])}，{agreement['reviewer']}，"
              f"{fmt_time(agreement['decided_at'])}）")
summary.append(state)
if agreement["assignee"]:
    summary.append(f"**审查人** {agreement['assignee']}")
st.markdown("　·　".join(summary))
if agreement["document_status"] == "failed":
    st.error(f"文件读取失败：{md(shown_error(agreement['error_message'], agreement['error_code']))}")
for err in (agreement["record"] or {}).get("errors") or []:
    if agreement["document_status"] != "failed" and err.get("code") != "extension_mismatch":
        where = f"第 {err['page']} 页：" if err.get("page") else ""
        st.warning(f"读取提示：{where}{md(shown_error(err.get('message'), err.get('code')))}")


# ---------------------------------------------------------------------------- the document
@st.cache_resource(show_spinner=False, max_entries=32)
def _document(document_id: int, sha256: str, _content: dict):
    from ingest import Document

    return Document.from_dict(_content)


@st.cache_data(show_spinner=False, max_entries=128)
def _page_base(sha256: str, page: int, _path: str, _document_id: int, _content: dict) -> tuple[bytes, float, tuple]:
    """The page as the reader saw it (JPEG, so the cache stays small), its scale and size;
    1800 px on the long side, so a page shown 900 px wide and more stays sharp."""
    from ingest.pages import page_image

    image, scale = page_image(_path, _document(_document_id, sha256, _content), page, max_side=1800)
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=88)
    return buf.getvalue(), scale, image.size


def _page_choice(a: dict, document) -> int:
    numbers = [p.number for p in document.pages]
    if len(numbers) == 1:
        return numbers[0]
    return st.selectbox("页码", numbers, key=_k("detail_page"), format_func=lambda n: f"第 {n} 页 / 共 {len(numbers)} 页")


def _loaded_document(a: dict):
    content = a["document_content"]
    if not content:
        return None
    try:
        document = _document(a["document_id"], a["file_sha256"], content)
    except ValueError:
        return None
    return document if document.pages else None


def _show_document(a: dict, document, page: int) -> list:
    """The viewer (or the highlighted text of a Word/text page); returns the numbered boxes."""
    if document is None:
        st.info("没有可显示的原文（文件未能读取）。" if a["document_status"] == "failed" else "文件中没有读出文字。")
        return []
    items = marks(a)
    from ingest.pages import has_page_image

    path = Path(a["file_path"])
    if has_page_image(document, page) and path.is_file():
        try:
            data, scale, size = _page_base(a["file_sha256"], page, str(path), a["document_id"], a["document_content"])
        except (ValueError, OSError) as exc:
            st.warning(f"页面图像无法生成，改为显示文字：{shown_error(str(exc))}")
        else:
            boxes = numbered_boxes(items, page)
            st.markdown(
                f'<span style="color:{FIELD_COLOR}">■</span> 字段证据　<span style="color:{FINDING_COLOR}">■</span> '
                "问题证据　（方框左侧编号对应证据列表；原文文字见右侧「原文文字」）", unsafe_allow_html=True)
            components.html(viewer_html(data, size, scale, boxes, COLORS, height=VIEWER_HEIGHT), height=VIEWER_HEIGHT)
            return boxes
    _show_text(a, document, page, height=VIEWER_HEIGHT)
    return []


def _show_text(a: dict, document, page: int, height: int) -> None:
    text = document.page(page).text if 1 <= page <= len(document.pages) else ""
    with st.container(height=height, border=True):
        st.markdown(
            '<div style="white-space:normal;line-height:1.9;font-size:0.95em">'
            + (highlight_html(text, marks(a), page, COLORS) or "（本页没有文字）") + "</div>",
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
            "机器识别值": field_text(f["name"], m.get("value")),
            "当前值": field_text(f["name"], f["value"]) if corr is None else
            (field_text(f["name"], corr["value"]) if corr["value"] else "（空）"),
            "原文": m.get("text") or "",
            "页": str(m["page"]) if m.get("page") else "",
            "置信度": m.get("confidence"),
            "更正": f"{corr['by']}，{fmt_time(corr['at'])}" + (f"：{corr['note']}" if corr["note"] else "") if corr else "",
        })
    st.dataframe(
        pd.DataFrame(rows), hide_index=True, width="stretch", key="detail_fields_table",
        column_config={
            "页": st.column_config.TextColumn(width="small"),
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
                hint = f"机器识别：{field_text(f['name'], m.get('value')) or '（未识别）'}"
                shown = field_text(f["name"], f["value"]) if f["name"] in CODED_FIELDS else value_text(f["value"])
                typed[f["name"]] = st.text_input(f["label"], value=shown, key=_k(f"field_{f['name']}"), help=hint)
            note = st.text_input("更正说明", key=_k("detail_correction_note"), placeholder="例如：依合同第三条更正")
            saved = st.form_submit_button("保存更正", key="detail_fields_submit", type="primary")
        if saved:
            def before(f):
                return field_text(f["name"], f["value"]) if f["name"] in CODED_FIELDS else value_text(f["value"])

            changed = [f for f in a["fields"] if typed[f["name"]].strip() != before(f).strip()]
            if not changed:
                st.info("没有修改任何字段。")
            else:
                try:
                    for f in changed:
                        value = typed[f["name"]].strip()
                        codes = {v: k for k, v in CODED_FIELDS.get(f["name"], {}).items()}
                        store.correct(viewer, a["id"], f["name"], codes.get(value, value) or None, note)
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
    reason = c2.text_input("排除理由", key=_k(f"finding_reason_{key}"), placeholder="排除须写明理由",
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


def _quote(e: dict, label: str, boxes: list, page: int) -> str:
    """An evidence quote; on the page shown with a box, a link that scrolls the viewer to it."""
    from review_app.evidence import Mark, _bbox

    text = md(html.escape(e.get("text") or ""))
    number = box_of(boxes, Mark("finding", label, e.get("text") or "", e.get("page"), _bbox(e.get("bbox"))))
    where = f"（第 {e['page']} 页）" if e.get("page") else ""
    if number is not None and e.get("page") == page:
        return f'- <span class="ev-quote" data-ev="{number}" title="点击定位到原文">「{text}」［{number}］</span>{where}'
    return f"- 「{text}」{where}"


def _show_findings(a: dict, boxes: list, page: int) -> None:
    if a["disposition_reason"] and a["status"] != "resubmit":
        st.info(f"机器建议：**{label_of(DISPOSITION_LABELS, a['disposition'])}**。{a['disposition_reason']}")
    if not a["findings"]:
        st.success("未发现问题。" if a["status"] != "resubmit" else "未能审查：文件需重新提交。")
    seen: dict[str, int] = {}
    for f in a["findings"]:
        n = seen.get(f["check"], 0)
        seen[f["check"]] = n + 1
        key = f["check"] if n == 0 else f"{f['check']}_{n}"
        review = f["review"]
        # an unhandled finding's box is marked "open": the C shortcut confirms the first of them
        with st.container(border=True, key=f"finding_{'open' if review is None else 'done'}_{key}"):
            color = {"high": "red", "medium": "orange", "low": "yellow"}.get(f["severity"], "gray")
            st.markdown(f":{color}-badge[{f['label']}] **{f['title']}**")
            st.caption(
                f"严重程度：{SEVERITY_LABELS.get(f['severity'], f['severity'])}　·　"
                f"建议处理：{label_of(DISPOSITION_LABELS, f['disposition'], '仅提示')}　·　可信度：{(f['score'] or 0):.0%}"
            )
            st.markdown(_SHA.sub("", f["explanation"] or ""))  # a file's hash means nothing to a reader
            if f["basis"]:
                st.markdown(f"**依据：** {cite_seeds(f['basis'])}")
            if f["evidence"]:
                st.markdown("**证据：**\n" + "\n".join(_quote(e, f["label"], boxes, page) for e in f["evidence"]),
                            unsafe_allow_html=True)
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
def _record(a: dict, choice: str, note: str, version: int, then_next: bool, plan: dict | None = None) -> None:
    """Record the decision (with the rectification it asks for, if any); on success move on (or
    show it), on a refusal say why."""
    try:
        store.decide(viewer, a["id"], choice, note, version=version, rectification=plan)
    except StoreError as exc:  # StaleDecision: who decided meanwhile and when (shown above now)
        st.session_state.pop(_k("detail_pending"), None)  # to be asked again on what is in force now
        st.error(str(exc))
        return
    st.session_state.pop(_k("detail_pending"), None)
    for name in ("detail_decision", "detail_decision_note", "detail_decision_measure", "detail_decision_deadline",
                 "detail_decision_responsible"):  # the form shows the new state
        st.session_state.pop(_k(name), None)
    label = DISPOSITION_LABELS.get(choice, choice)
    waits = choice == "void" and store.agreement(viewer, a["id"])["status"] == "second_review"
    flash = f"已提交 #{a['id']} 的决定：{label}" + ("（待其他审查员复核）" if waits else "")
    st.session_state["detail_flash"] = ("已提交决定：" + label) if not then_next else flash
    if then_next and next_id is not None:
        _go(next_id)
    st.rerun()


def _in_force_text(a: dict) -> str:
    last = a["decisions"][-1]
    return (f"{last['by']}于{fmt_time(last['at'])}决定「{label_of(DISPOSITION_LABELS, last['disposition'])}」"
            + (f"（{last['note']}）" if last["note"] else ""))


def _show_resubmit(a: dict) -> None:
    """A file nobody can decide on: why, and (reviewers) send it back to its unit."""
    st.error(f"需重新提交：{a['resubmit_reason']}。该文件不作处理决定，请退回单位重新提交。")
    returned = [n for n in a["notes"] if n["kind"] == "returned"]
    for n in returned:
        st.warning(f"已退回单位（{n['by']}，{fmt_time(n['at'])}）：{n['text']}")
    if not viewer.can_review:
        return
    with st.form(_k("detail_return_form")):
        reason = st.text_area("退回原因（单位可见）", key=_k("detail_return_reason"), height=80,
                              value=f"{a['resubmit_reason']}，请重新扫描或上传协议原件。")
        sent = st.form_submit_button("退回单位", key=_k("detail_return"), type="primary", icon=":material/undo:")
    if sent:
        try:
            store.add_note(viewer, a["id"], "returned", reason)
        except StoreError as exc:
            st.error(str(exc))
        else:
            st.session_state["detail_flash"] = f"已退回{a['unit']}：{reason.strip()}"
            st.rerun()


def _show_decision(a: dict) -> None:
    if a["status"] == "resubmit":
        _show_resubmit(a)
        return
    if a["decisions"]:
        last = a["decisions"][-1]
        st.markdown(f"当前决定：**{label_of(DISPOSITION_LABELS, last['disposition'])}**（{last['by']}，"
                    f"{fmt_time(last['at'])}）" + (f"：{last['note']}" if last["note"] else ""))
    plan = a.get("rectification")
    if plan and a["status"] != "second_review":
        st.markdown("整改要求：" + md("；".join(x for x in (
            plan["measure"], f"时限 {plan['deadline']:%Y-%m-%d}" if plan["deadline"] else "",
            f"责任人 {plan['responsible']}" if plan["responsible"] else "") if x)))
    if a["status"] == "second_review":
        st.warning("该「无效」决定待复核：须另一名审查员确认后生效。")
    if not viewer.can_review:
        if not a["decisions"]:
            st.caption(f"尚未决定。机器建议：{label_of(DISPOSITION_LABELS, a['disposition'])}")
        return
    # the version the reviewer sees now; a submit hands back the one of the page it was made on
    seen = st.session_state.get(_k("detail_seen"), a["version"])
    st.session_state[_k("detail_seen")] = a["version"]
    if a["status"] == "second_review" and a["decided_by_id"] != viewer.user_id:
        if st.button("复核同意：无效", key=_k("detail_second_review"), type="primary", icon=":material/verified:"):
            _record(a, "void", "复核同意", seen, then_next=True)
    undecided = a["status"] == "pending"
    # this agreement's own: its machine proposal while undecided, else the decision in force
    # (what the browser keeps showing after a decision anyway: the same widget)
    own = a["disposition"] if undecided else a["decision"]
    index = DECISIONS.index(own) if own in DECISIONS else None
    with st.form(_k("detail_decision_form")):  # kept on a refusal: what was typed stays
        choice = st.radio("处理决定", DECISIONS, index=index, format_func=lambda d: DISPOSITION_LABELS.get(d, d),
                          horizontal=True, key=_k("detail_decision"),
                          help="尚未决定时预选机器建议，已决定时为现行决定；快捷键 1–4")
        note = st.text_area("说明", key=_k("detail_decision_note"), placeholder="写明决定的理由或整改要求", height=68)
        with st.expander("整改要求（可选，列入台账和整改清单）"):
            measure = st.text_area("整改措施", key=_k("detail_decision_measure"), height=68)
            r1, r2 = st.columns(2)
            deadline = r1.date_input("整改时限", value=None, key=_k("detail_decision_deadline"), format="YYYY-MM-DD")
            responsible = r2.text_input("责任人", key=_k("detail_decision_responsible"))
        c1, c2 = st.columns(2)
        submitted = c1.form_submit_button("提交决定", key=_k("detail_decision_submit"), icon=":material/gavel:",
                                          width="stretch")
        submit_next = c2.form_submit_button("提交并下一份", key=_k("detail_decision_submit_next"), type="primary",
                                            icon=":material/skip_next:", width="stretch", help="快捷键 回车 或 D")
    if submitted or submit_next:
        plan = {"measure": measure, "deadline": deadline, "responsible": responsible}
        if choice is None:
            st.error("请选择处理决定")
        elif seen > 0 and a["decisions"]:  # a second decision on what the page showed: say who decided what, ask
            st.session_state[_k("detail_pending")] = {"choice": choice, "note": note.strip(), "version": seen,
                                                      "next": bool(submit_next), "plan": plan}
        else:
            _record(a, choice, note.strip(), seen, bool(submit_next), plan)
    pending = st.session_state.get(_k("detail_pending"))
    if pending:
        st.warning(f"该协议已有处理决定：{_in_force_text(a)}。确认改为「{DISPOSITION_LABELS[pending['choice']]}」吗？"
                   "两次决定都会保留在历史记录中。")
        y, n = st.columns(2)
        if y.button(f"确认改为「{DISPOSITION_LABELS[pending['choice']]}」", key=_k("detail_confirm_yes"), type="primary",
                    width="stretch", help="快捷键 Y"):
            _record(a, pending["choice"], pending["note"], pending["version"], pending["next"], pending.get("plan"))
        if n.button("取消", key=_k("detail_confirm_no"), width="stretch"):
            st.session_state.pop(_k("detail_pending"), None)
            st.rerun()


def _show_history(a: dict) -> None:
    if not a["history"]:
        st.caption("暂无审查记录。")
        return
    st.dataframe(
        pd.DataFrame([{"时间": fmt_time(h["at"], True), "人员": h["by"], "操作": h["what"], "内容": h["detail"],
                       "说明": h["why"] or ""} for h in a["history"]]),
        hide_index=True, width="stretch", key="detail_history_table",
        column_config={c: st.column_config.TextColumn(width="small") for c in ("时间", "人员", "操作", "内容", "说明")},
    )


def _show_comments(a: dict) -> None:
    notes = [n for n in a["notes"] if n["kind"] in ("comment", "returned")]
    for n in notes:
        what = "退回单位" if n["kind"] == "returned" else "评论"
        st.markdown(f"**{n['by']}**（{fmt_time(n['at'])}，{what}）：{n['text']}")
    if not notes:
        st.caption("暂无评论。")
    with st.form(_k("detail_comment_form"), clear_on_submit=True):
        text = st.text_area("评论", key=_k("detail_comment"), height=68, placeholder="写下意见，其他审查员和上传单位都能看到")
        sent = st.form_submit_button("发表评论", key=_k("detail_comment_submit"), icon=":material/chat:")
    if sent:
        try:
            store.add_note(viewer, a["id"], "comment", text)
        except StoreError as exc:
            st.error(str(exc))
        else:
            st.session_state["detail_flash"] = "已发表评论"
            st.rerun()


# ---------------------------------------------------------------------------- layout
flash = st.session_state.pop("detail_flash", None)
if flash:
    st.toast(flash)
    st.success(flash)
if agreement["status"] == "resubmit" and not viewer.can_review:
    for n in agreement["notes"]:
        if n["kind"] == "returned":
            st.warning(f"该文件已被退回，请重新提交：{n['text']}（{n['by']}，{fmt_time(n['at'])}）")

document = _loaded_document(agreement)
left, right = st.columns([2.2, 1], gap="small")
with left:
    page = _page_choice(agreement, document) if document is not None else 1
    boxes = _show_document(agreement, document, page)
with right:
    with st.container(border=True):
        _show_decision(agreement)
    if viewer.can_review:
        st.caption(HELP)
    n_comments = sum(1 for n in agreement["notes"] if n["kind"] in ("comment", "returned"))
    tab_findings, tab_text, tab_fields, tab_history, tab_comments = st.tabs([
        f"审查发现（{len(agreement['findings'])}）", "原文文字", "字段", f"历史记录（{len(agreement['history'])}）",
        f"评论（{n_comments}）"])
    with tab_findings:
        _show_findings(agreement, boxes, page)
    with tab_text:
        if document is not None:
            _show_text(agreement, document, page, height=420)
        else:
            st.caption("没有可显示的原文。")
    with tab_fields:
        _show_fields(agreement)
    with tab_history:
        _show_history(agreement)
    with tab_comments:
        _show_comments(agreement)
