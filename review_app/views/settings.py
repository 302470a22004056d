"""设置: the jurisdiction profile (a form with Chinese labels; YAML still importable) and the
market-rent reference in force (a Chinese table, Excel or CSV in UTF-8/GBK, with a template to
download); admins change them, and see the versions, a re-check and the accounts (created on
the server with ``contract-review user add``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import yaml

from checks.profile import DEFAULT_PROFILE_PATH, default_profile
from contract_review.config_files import (
    PROFILE_FIELDS,
    ConfigFileError,
    check_context_in_force,
    decode_text,
    market_display,
    market_template_csv,
    market_template_xlsx,
    market_text_from_upload,
    parse_profile,
    profile_overrides,
    profile_values,
    read_market_table,
    save_config,
)
from contract_review.batch import check_unit
from contract_review.labels import ROLE_LABELS
from contract_review.store import StoreError
from contract_review.labels import shown_name
from review_app.common import fmt_time, get_store, md, require_login, zh_message

KIND_LABELS = {"profile": "适用配置", "market": "市场租金参考表"}
SECTIONS = list(dict.fromkeys(f.section for f in PROFILE_FIELDS))

store = get_store()
viewer = require_login()


def _save(kind: str, content: str, filename: str) -> None:
    try:
        version = save_config(store, viewer, kind, content, filename)
    except StoreError as exc:
        first, _, rest = str(exc).partition("\n")
        st.error(f"未启用：{md(zh_message(first))}")
        if rest.strip():
            st.code(rest, language=None)
    else:
        st.session_state["settings_flash"] = f"已启用新的{KIND_LABELS[kind]}（版本 {version}）。新上传的批次按新设置审查。"
        st.rerun()


def _upload(kind: str, label: str, types: list[str]) -> None:
    with st.form(f"settings_{kind}_form", clear_on_submit=True):
        file = st.file_uploader(label, type=types, key=f"settings_{kind}_file")
        submitted = st.form_submit_button("校验并启用", key=f"settings_{kind}_submit", type="primary")
    if not submitted:
        return
    if file is None:
        st.error("请先选择文件")
        return
    try:
        content = (market_text_from_upload(file.getvalue(), file.name) if kind == "market"
                   else decode_text(file.getvalue(), file.name))
    except ConfigFileError as exc:
        st.error(f"未启用：{exc}")
        return
    _save(kind, content, file.name)


def _input(f, value):
    key = f"profile_field_{f.path}"
    if f.kind == "bool":
        return st.checkbox(f.label, value=bool(value), key=key, help=f.help or None)
    if f.kind == "int":
        return int(st.number_input(f.label, value=int(value or 0), min_value=0, step=1, key=key, help=f.help or None))
    if f.kind in ("ratio", "float"):
        top = 1.0 if f.kind == "ratio" else None
        return float(st.number_input(f.label, value=float(value or 0.0), min_value=0.0, max_value=top, step=0.05,
                                     format="%.2f", key=key, help=f.help or None))
    if f.kind == "words":
        return st.text_input(f.label, value="、".join(value or []), key=key, help=f.help or None)
    return st.text_input(f.label, value="" if value is None else str(value), key=key, help=f.help or None)


def _shown(f, value) -> str:
    if f.kind == "bool":
        return "是" if value else "否"
    if f.kind == "words":
        return "、".join(value or [])
    if f.kind == "ratio" and value is not None:
        return f"{float(value):.0%}"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and f.kind == "int":
        return f"{int(value):,}"
    return "" if value is None else str(value)


def _profile_form(current: dict | None, merged: dict) -> None:
    """The thresholds in force as a Chinese form; saving writes a county file (YAML) that keeps
    what the file in force says and changes what was edited, validated like an upload."""
    values = profile_values(merged)
    with st.form("settings_profile_edit_form"):
        got = {}
        for section in SECTIONS:
            st.markdown(f"**{section}**")
            fields = [f for f in PROFILE_FIELDS if f.section == section]
            cols = st.columns(2)
            for i, f in enumerate(fields):
                with cols[i % 2]:
                    got[f.path] = _input(f, values[f.path])
        submitted = st.form_submit_button("保存并启用", key="settings_profile_edit_submit", type="primary")
    if submitted:
        base = yaml.safe_load(current["content"]) if current else {}
        overrides = profile_overrides(base if isinstance(base, dict) else {}, merged, got)
        if overrides == (base or {}):
            st.info("没有修改。")
            return
        _save("profile", yaml.safe_dump(overrides, allow_unicode=True, sort_keys=False), "设置页面修改.yaml")


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
        merged = parse_profile(profile["content"], profile["filename"]).raw
    else:
        st.markdown("当前生效：**系统默认配置**（国家规定）。")
        text = DEFAULT_PROFILE_PATH.read_text(encoding="utf-8")
        merged = default_profile().raw
    if viewer.is_admin:
        _profile_form(profile, merged)
        with st.expander("导入配置文件（YAML）"):
            _upload("profile", "上传新的适用配置（YAML）", ["yaml", "yml"])
    else:
        values = profile_values(merged)
        st.dataframe(pd.DataFrame([{"类别": f.section, "项目": f.label, "当前值": _shown(f, values[f.path])}
                                   for f in PROFILE_FIELDS]),
                     hide_index=True, width="stretch", key="settings_profile_table")
    with st.expander("查看配置原文（YAML）"):
        st.code(text, language="yaml", height=480)

with tab_market:
    market = store.config("market")
    if market:
        st.markdown(f"当前生效：**{md(market['filename']) or '上传的参考表'}**"
                    f"（版本 {market['id']}，{fmt_time(market['created_at'])} 上传）。")
        try:
            table = market_display(read_market_table(market["content"], market["filename"]))
        except ConfigFileError as exc:  # validated on upload
            st.warning(str(exc))
        else:
            st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch", key="settings_market_table",
                         column_config={"调查日期": st.column_config.DateColumn(format="YYYY-MM-DD")})
    else:
        st.info("未上传：以同批次同类资产为参照")
    st.caption("表头：资产类别、地点、计价单位、参考单价、调查日期。资产类别填商铺、办公用房、厂房、仓库、耕地、鱼塘、林地、"
               "大棚、车辆、机械设备等；计价单位可不填（按类别：房屋元/平方米·月，土地元/亩·年，车辆元/辆·月，设备元/台·月）。"
               "可上传 Excel（.xlsx）或 CSV（UTF-8 或 GBK 编码均可）。")
    d1, d2, _ = st.columns([1, 1, 3])
    d1.download_button("下载模板（Excel）", data=market_template_xlsx(), file_name="市场租金参考表模板.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="settings_market_template_xlsx", icon=":material/download:")
    d2.download_button("下载模板（CSV）", data=market_template_csv(), file_name="市场租金参考表模板.csv",
                       mime="text/csv", key="settings_market_template_csv", icon=":material/download:")
    if viewer.is_admin:
        _upload("market", "上传新的市场租金参考表（Excel 或 CSV）", ["xlsx", "csv"])

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
                    ctx = check_context_in_force(store)
                    for unit in store.units(viewer):
                        done += check_unit(store, unit["id"], ctx)
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
