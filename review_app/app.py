"""The review app's entry: ``streamlit run review_app/app.py`` (or ``contract-review serve``).

Everything is behind the login form. Pages (``st.navigation``; URL paths in brackets):
上传 [/upload], 审查队列 [/queue], 协议详情 [/detail?id=N] (opened from the queue, not listed),
台账 [/ledger], 统计 [/stats], 设置 [/settings]. The root (``/``) forwards to the queue for
reviewers and admins, to the upload page for uploaders.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(_ROOT))

import streamlit as st  # noqa: E402

from review_app.common import (  # noqa: E402
    APP_TITLE,
    PAGE_BULK,
    PAGE_DETAIL,
    PAGE_LEDGER,
    PAGE_QUEUE,
    PAGE_SETTINGS,
    PAGE_STATS,
    PAGE_TODO,
    PAGE_UPLOAD,
    change_password_form,
    UPLOADER_CSS,
    current_viewer,
    login,
    login_notice,
    logout,
    role_text,
    server_exposed,
    sync_login_cookie,
)
from contract_review.accounts import LoginRefused  # noqa: E402

st.set_page_config(page_title=APP_TITLE, page_icon="📑", layout="wide", initial_sidebar_state="expanded")
st.html(UPLOADER_CSS)


def _home() -> None:
    """The root URL: each role's own start page."""
    viewer = current_viewer()
    st.switch_page(PAGE_UPLOAD if viewer is not None and viewer.role == "uploader" else PAGE_QUEUE)


def _pages(role: str | None) -> dict[str, list]:
    """The same pages for everyone (what a page shows depends on the role); registered also
    before the login, so that a deep link such as /detail?id=5 opens after logging in."""
    uploader = role == "uploader"
    home = st.Page(_home, title="首页", url_path="home", default=True, visibility="hidden")
    upload = st.Page(PAGE_UPLOAD, title="上传", icon=":material/upload_file:", url_path="upload")
    queue = st.Page(PAGE_QUEUE, title="协议列表" if uploader else "审查队列", icon=":material/checklist:",
                    url_path="queue")
    detail = st.Page(PAGE_DETAIL, title="协议详情", icon=":material/description:", url_path="detail",
                     visibility="hidden")
    ledger = st.Page(PAGE_LEDGER, title="台账", icon=":material/table_view:", url_path="ledger")
    stats = st.Page(PAGE_STATS, title="统计", icon=":material/bar_chart:", url_path="stats")
    settings = st.Page(PAGE_SETTINGS, title="设置", icon=":material/settings:", url_path="settings")
    todo = st.Page(PAGE_TODO, title="我的待办", icon=":material/assignment_ind:", url_path="todo")
    bulk = st.Page(PAGE_BULK, title="批量处理", icon=":material/done_all:", url_path="bulk",
                   visibility="hidden" if uploader else "visible")
    work = [home, upload, queue, detail, todo, bulk] if uploader else [home, queue, detail, todo, bulk, upload]
    return {"协议审查": work, "报表": [ledger, stats], "系统": [settings]}


def _login_form() -> None:
    left, mid, right = st.columns([1, 1.2, 1])
    with mid:
        st.title(APP_TITLE)
        st.caption("请使用分配的账号登录。账号由管理员在服务器上创建（contract-review user add）。")
        notice = login_notice()
        if notice:
            st.info(notice)
        with st.form("login_form"):
            username = st.text_input("用户名", key="login_username")
            password = st.text_input("密码", type="password", key="login_password")
            submitted = st.form_submit_button("登录", key="login_submit", type="primary", width="stretch")
        if submitted:
            if not username.strip() or not password:
                st.error("请输入用户名和密码")
                return
            try:
                viewer = login(username, password)
            except LoginRefused as exc:
                st.error(str(exc))
                return
            if viewer is None:
                st.error("用户名或密码错误")
            else:
                st.rerun()


def _must_change_password(viewer) -> None:
    """A published password (the demo accounts') on a server others can reach: nothing else
    until it is changed."""
    left, mid, right = st.columns([1, 1.2, 1])
    with mid:
        st.title(APP_TITLE)
        st.warning("此账号仍在使用公开的初始密码，而本系统可从网络访问。请先修改密码再继续使用。")
        change_password_form(viewer, key="forced")
        if st.button("退出登录", key="forced_logout_button"):
            logout()
            st.rerun()


def _sidebar(viewer) -> None:
    with st.sidebar:
        st.markdown(f"**{viewer.display_name or viewer.username}**")
        st.caption(f"账号：{viewer.username}")
        st.caption(f"角色：{role_text(viewer)}")
        st.caption(f"单位：{viewer.unit_name or '全部单位'}")
        with st.popover("修改密码", icon=":material/key:"):
            change_password_form(viewer, key="sidebar")
        if st.button("退出登录", key="logout_button", icon=":material/logout:"):
            logout()
            st.rerun()


viewer = current_viewer()
sync_login_cookie()
if viewer is None:
    # register every page (hidden) so a deep link such as /detail?id=5 survives the login
    st.navigation(_pages(None), position="hidden")  # the page asked for runs after the login
    _login_form()
elif viewer.must_change_password and server_exposed():
    st.navigation(_pages(None), position="hidden")
    _must_change_password(viewer)
else:
    if flash := st.session_state.pop("auth_flash", None):
        st.toast(flash)
    page = st.navigation(_pages(viewer.role), position="sidebar")
    _sidebar(viewer)
    page.run()
