"""设置: the jurisdiction profile and market-rent reference in force (admins upload new versions),
and, for admins, the accounts (created on the server with ``contract-review user add``)."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from checks.profile import DEFAULT_PROFILE_PATH
from contract_review.labels import ROLE_LABELS
from contract_review.store import StoreError
from contract_review.labels import shown_name
from review_app.common import fmt_time, get_store, md, require_login, zh_message

KIND_LABELS = {"profile": "适用配置（YAML）", "market": "市场租金参考（CSV）"}

store = get_store()
viewer = require_login()


def _upload(kind: str, types: list[str]) -> None:
    with st.form(f"settings_{kind}_form", clear_on_submit=True):
        file = st.file_uploader(f"上传新的{KIND_LABELS[kind]}", type=types, key=f"settings_{kind}_file")
        submitted = st.form_submit_button("校验并启用", key=f"settings_{kind}_submit", type="primary")
    if not submitted:
        return
    if file is None:
        st.error("请先选择文件")
        return
    try:
        content = file.getvalue().decode("utf-8-sig")
    except UnicodeDecodeError:
        st.error("未启用：文件不是 UTF-8 编码的文本，请另存为 UTF-8 后再上传")
        return
    try:
        version = store.save_config(viewer, kind, content, file.name)
    except StoreError as exc:
        first, _, rest = str(exc).partition("\n")
        st.error(f"未启用：{md(zh_message(first))}")
        if rest.strip():
            st.code(rest, language=None)
    else:
        st.session_state["settings_flash"] = f"已启用新的{KIND_LABELS[kind]}（版本 {version}）。新上传的批次按新设置审查。"
        st.rerun()


st.title("设置")
flash = st.session_state.pop("settings_flash", None)
if flash:
    st.success(flash)
if not viewer.is_admin:
    st.caption("只有管理员可以修改设置；这里显示当前生效的内容。")

tab_profile, tab_market, *admin_tabs = st.tabs(
    ["适用配置", "市场租金参考"] + (["版本记录", "重新审查", "用户"] if viewer.is_admin else []))

with tab_profile:
    profile = store.config("profile")
    if profile:
        st.markdown(f"当前生效：**{md(profile['filename']) or '上传的配置'}**"
                    f"（版本 {profile['id']}，{fmt_time(profile['created_at'])} 上传）。"
                    "未列出的项目沿用系统默认配置。")
        text = profile["content"]
    else:
        st.markdown("当前生效：**系统默认配置**（国家规定，checks/profiles/default.yaml）。")
        text = DEFAULT_PROFILE_PATH.read_text(encoding="utf-8")
    if viewer.is_admin:
        _upload("profile", ["yaml", "yml"])
    st.code(text, language="yaml", height=560)

with tab_market:
    market = store.config("market")
    if market:
        st.markdown(f"当前生效：**{md(market['filename']) or '上传的参考表'}**"
                    f"（版本 {market['id']}，{fmt_time(market['created_at'])} 上传）。")
        try:
            table = pd.read_csv(io.StringIO(market["content"]), dtype=str)
            st.dataframe(table.rename(columns={"asset_kind": "资产类别", "location": "地点", "unit": "计价单位",
                                               "unit_rent": "参考单价", "date": "调查日期"}),
                         hide_index=True, width="stretch", key="settings_market_table")
        except Exception as exc:  # validated on upload; shown raw if pandas reads it differently
            st.warning(f"无法以表格显示：{exc}")
            st.code(market["content"])
    else:
        st.info("未上传：以同批次同类资产为参照")
    st.caption("CSV 列：asset_kind, location, unit, unit_rent, date；unit 为 m2_month（元/㎡/月）、mu_year（元/亩/年）、"
               "vehicle_month（元/辆/月）或 set_month（元/台/月）。")
    if viewer.is_admin:
        _upload("market", ["csv"])

if viewer.is_admin:
    tab_history, tab_recheck, tab_users = admin_tabs
    with tab_history:
        history = store.config_history()
        if history:
            st.dataframe(pd.DataFrame([{"版本": h["id"], "类型": KIND_LABELS.get(h["kind"], h["kind"]), "文件": shown_name(h["filename"]),
                                        "上传人": h["by"], "时间": fmt_time(h["created_at"], True), "字符数": h["size"]}
                                       for h in history]),
                         hide_index=True, width="stretch", key="settings_history_table")
        else:
            st.caption("还没有上传过设置，使用系统默认配置。")
    with tab_recheck:
        st.markdown("新设置只用于之后运行的审查。要让已上传的协议按当前设置重新审查，请点击下面的按钮"
                    "（审查员的更正、确认/排除和处理决定保留不变）。")
        if st.button("按当前设置重新审查全部单位", key="settings_recheck"):
            done = 0
            with st.spinner("正在重新审查…"):
                try:
                    ctx = store.check_context()
                    for unit in store.units(viewer):
                        done += store.recheck_unit(unit["id"], ctx)
                except (StoreError, ValueError, OSError) as exc:
                    st.error(f"重新审查失败：{exc}")
                else:
                    st.success(f"已重新审查 {done} 份协议。")
    with tab_users:
        st.caption("账号在服务器上用命令创建：contract-review user add 用户名 --role uploader|reviewer|admin --unit 单位")
        st.dataframe(pd.DataFrame([{"用户名": u["username"], "姓名": u["display_name"],
                                    "角色": ROLE_LABELS.get(u["role"], u["role"]), "单位": u["unit"] or "全部单位",
                                    "状态": "启用" if u["active"] else "停用"} for u in store.users()]),
                     hide_index=True, width="stretch", key="settings_users_table")
