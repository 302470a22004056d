"""上传: hand in files for a unit; they are read in the background while the page shows progress."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from contract_review.labels import BATCH_STATUS_LABELS, DOCUMENT_STATUS_LABELS
from contract_review.store import StoreError
from review_app import uploads
from contract_review.labels import shown_name
from review_app.common import PAGE_QUEUE, fmt_seconds, fmt_time, get_store, md, require_login, shown_error, zh_message

POLL_SECONDS = 2.0

store = get_store()
viewer = require_login()

st.title("上传协议文件")
st.caption("可上传 PDF（电子版或扫描件）、Word（.docx，旧版 .doc 自动转换）、图片（jpg/png/tif/bmp/webp）、文本（.txt），"
           "或把多个文件打成 zip 压缩包上传。同一单位已上传过的相同文件不会重复处理。")

# ---------------------------------------------------------------------------- the form
with st.form("upload_form", clear_on_submit=True):
    if viewer.sees_all_units:
        units = [u["name"] for u in store.units(viewer)]
        c1, c2 = st.columns(2)
        chosen = c1.selectbox("单位", units, index=None, placeholder="选择已有单位", key="upload_unit")
        new_unit = c2.text_input("或填写新单位", key="upload_new_unit", placeholder="例如：青山乡")
    else:
        st.markdown(f"**单位：** {viewer.unit_name}")
        chosen, new_unit = viewer.unit_name, ""
    batch_name = st.text_input("批次名称（可选）", key="upload_batch_name", placeholder="不填则按上传时间命名")
    files = st.file_uploader("选择文件（可多选）", type=list(uploads.UPLOAD_TYPES), accept_multiple_files=True,
                             key="upload_files")
    submitted = st.form_submit_button("保存并开始处理", key="upload_submit", type="primary", icon=":material/upload:")

if submitted:
    unit = (new_unit or "").strip() or (chosen or "")
    try:
        with st.spinner("正在保存文件…"):
            result = uploads.save_upload(store, viewer, unit, batch_name,
                                         [(f.name, f.getvalue()) for f in files or []])
    except StoreError as exc:
        st.error(md(exc))
    else:
        st.session_state["upload_last_result"] = result.to_dict()
        if result.batch_id is not None:
            st.session_state["upload_batch_select"] = result.batch_id

last = st.session_state.get("upload_last_result")
if last:
    box = st.container(border=True)
    with box:
        if last["added"] or last["known"]:
            msg = f"已保存到批次「{md(last['batch_name'])}」（{md(last['unit'])}）：新文件 {len(last['added'])} 个"
            if last["known"]:
                msg += f"，已有文件 {len(last['known'])} 个"
            st.success(msg + ("，正在后台处理。" if last["started"] else "。"))
        else:
            st.error("没有可处理的文件。")
        if last["known"]:
            st.info("以下文件本单位已上传过（内容相同）：已有，未重复处理\n\n" + "\n".join(f"- {md(n)}" for n in last["known"]))
        if last["rejected"]:
            st.warning("以下文件未能接收：")
            rejected = [(shown_name(name), why) for name, why in last["rejected"]]
            st.dataframe(pd.DataFrame(rejected, columns=["文件", "原因"]), hide_index=True, width="stretch")

# ---------------------------------------------------------------------------- progress
st.subheader("处理进度")
recent = store.batches(viewer, limit=30)
if not recent:
    st.info("还没有上传过文件。")
    st.stop()

by_id = {b["id"]: b for b in recent}
if st.session_state.get("upload_batch_select") not in by_id:
    st.session_state["upload_batch_select"] = recent[0]["id"]
batch_id = st.selectbox(
    "批次", list(by_id), key="upload_batch_select",
    format_func=lambda i: f"{by_id[i]['name']}（{by_id[i]['unit']}，{fmt_time(by_id[i]['created_at'])} 上传）",
)


def _items_frame(progress: dict) -> pd.DataFrame:
    rows = []
    for item in progress["items"]:
        status = DOCUMENT_STATUS_LABELS.get(item["status"], item["status"])
        if item["reused"]:
            status = "已有，未重复处理"
        error = shown_error(item["error_message"], item["error_code"]) if item["error_message"] else ""
        rows.append({"文件": shown_name(item["filename"]), "状态": status, "页数": item["pages"] or None,
                     "用时": fmt_seconds(item["seconds"]), "错误": error})
    return pd.DataFrame(rows, columns=["文件", "状态", "页数", "用时", "错误"])


def _show_progress(batch_id: int) -> None:
    progress = store.batch_progress(batch_id, viewer)
    status = progress["status"]
    total = progress["total"]
    done = progress["read"] + progress["failed"]
    running = uploads.is_running(store, batch_id)
    active = status in uploads.ACTIVE_STATES
    label = BATCH_STATUS_LABELS.get(status, status)
    st.progress(done / total if total else 0.0, text=f"{label}：已处理 {done} / {total} 个文件")
    c = st.columns(4)
    c[0].metric("文件", total)
    c[1].metric("已读取", progress["read"])
    c[2].metric("读取失败", progress["failed"])
    c[3].metric("等待/识别中", progress["queued"] + progress["processing"])
    if progress["error"]:
        st.error(f"批次处理出错：{zh_message(progress['error'])}")
    if active and not running:
        st.warning("后台处理未在运行（可能因服务重启而中断）。可以继续处理，已读取的文件不会重复读取。")
        if viewer.sees_all_units or viewer.unit_name == progress["unit"]:
            if st.button("继续处理", key=f"upload_resume_{batch_id}"):
                uploads.start_batch(store, batch_id)
                st.rerun()
    elif status == "ready":
        st.success(f"处理完成：{progress['read']} 个文件已读取，{progress['failed']} 个读取失败。")
        st.page_link(PAGE_QUEUE, label="前往审查队列", icon=":material/checklist:")
    st.dataframe(_items_frame(progress), hide_index=True, width="stretch",
                 column_config={"页数": st.column_config.NumberColumn(format="%d")})
    started, finished = progress["started_at"], progress["finished_at"]
    if started:
        st.caption(f"开始 {fmt_time(started, True)}" + (f"，完成 {fmt_time(finished, True)}" if finished else ""))
    was_active = st.session_state.get("upload_poll_active")
    st.session_state["upload_poll_active"] = active and running
    if was_active and not (active and running):
        st.rerun(scope="app")  # stop polling: the page redraws without the timer


batch = by_id[batch_id]
poll = batch["status"] in uploads.ACTIVE_STATES and uploads.is_running(store, batch_id)
st.session_state["upload_poll_active"] = poll
st.fragment(_show_progress, run_every=POLL_SECONDS if poll else None)(batch_id)

# ---------------------------------------------------------------------------- recent batches
st.subheader("最近的批次")
st.dataframe(
    pd.DataFrame(
        [{"批次": b["name"], "单位": b["unit"], "状态": BATCH_STATUS_LABELS.get(b["status"], b["status"]),
          "文件": b["total"], "已读取": b["read"], "失败": b["failed"], "创建时间": fmt_time(b["created_at"])}
         for b in recent],
        columns=["批次", "单位", "状态", "文件", "已读取", "失败", "创建时间"],
    ),
    hide_index=True, width="stretch",
)
