"""Shared helpers of the review app: the store, the logged-in viewer, formatting.

Every page reaches data only through :class:`contract_review.store.Store` with the current
:class:`~contract_review.store.Viewer`, so unit isolation is the store's: an uploader's
viewer never sees another unit's rows, whatever the page or the URL asks for.

The store is built once per process from the environment (``CONTRACT_REVIEW_DATA_DIR``,
``CONTRACT_REVIEW_DB_URL``) and cached with ``st.cache_resource`` keyed by those values.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from typing import Any, Iterable

import streamlit as st

from contract_review.accounts import Accounts
from contract_review.labels import ROLE_LABELS, shown_name
from contract_review.store import Store, Viewer

APP_TITLE = "国有资产协议清理审查"
SESSION_TOKEN = "auth_token"  # the login's token (the store keeps its hash, idle and absolute timeouts)
LOGIN_COOKIE = "contract_review_login"  # the same token in the browser: a reload (F5) keeps the login
_LOGIN_NOTICE = "auth_notice"  # why the login form is shown again (timed out)
QUEUE_FILTERS = "queue_filters"  # the queue page's filters, followed by 上一份/下一份 on the detail page
NOT_FOUND = "协议不存在或无权查看"

# page scripts, relative to app.py (st.switch_page / st.page_link take these)
PAGE_UPLOAD = "views/upload.py"
PAGE_QUEUE = "views/queue.py"
PAGE_DETAIL = "views/detail.py"
PAGE_LEDGER = "views/ledger.py"
PAGE_STATS = "views/stats.py"
PAGE_SETTINGS = "views/settings.py"
PAGE_BULK = "views/bulk.py"
PAGE_TODO = "views/todo.py"

# Streamlit's file uploader has no language setting: its English texts are hidden and Chinese
# ones drawn in their place (CSS ::after), on every page
UPLOADER_CSS = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] span{font-size:0 !important}
[data-testid="stFileUploaderDropzoneInstructions"] > div > span:first-of-type::after{
  content:"将文件拖放到此处";font-size:1rem}
[data-testid="stFileUploaderDropzoneInstructions"] > div > small,
[data-testid="stFileUploaderDropzoneInstructions"] small{font-size:0 !important}
[data-testid="stFileUploaderDropzoneInstructions"] small::after{content:"单个文件不超过 200MB";font-size:.8rem}
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"]{font-size:0 !important}
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"]::after{
  content:"选择文件";font-size:.9rem}
</style>"""

FIELD_COLOR = "#1f6feb"  # evidence of extracted fields
FINDING_COLOR = "#d1242f"  # evidence of findings

SEVERITY_LABELS = {"high": "高", "medium": "中", "low": "低"}


# ---------------------------------------------------------------------------- the store
@st.cache_resource(show_spinner=False)
def _store(data_dir: str, db_url: str) -> Store:
    return Store(url=db_url or None, data_dir=data_dir or None)


def get_store() -> Store:
    """The process's store for the environment in force (a changed environment — as in the
    tests — gets its own store)."""
    from contract_review.store.db import data_dir_setting

    return _store(data_dir_setting(), os.environ.get("CONTRACT_REVIEW_DB_URL", ""))


def get_accounts() -> Accounts:
    """Accounts and logins over :func:`get_store` (login settings from the environment)."""
    return Accounts(get_store())


# ---------------------------------------------------------------------------- who is logged in
def current_viewer() -> Viewer | None:
    """The logged-in viewer, re-read from the store each run through the login's token (a
    logged-out, timed-out or deactivated login is out at once), or None. A new browser session
    (a reload, F5) finds the token in the login cookie."""
    token = st.session_state.get(SESSION_TOKEN) or _cookie_token()
    if not token:
        return None
    viewer = get_accounts().login_viewer(token)
    if viewer is None:
        if st.session_state.get(SESSION_TOKEN):
            _clear_session()
            st.session_state[_LOGIN_NOTICE] = "登录已超时或已在别处退出，请重新登录"
        return None
    st.session_state[SESSION_TOKEN] = token
    return viewer


def login(username: str, password: str) -> Viewer | None:
    """Check the password (throttled: raises :class:`~contract_review.accounts.LoginRefused` with
    the reason) and open a login session."""
    accounts = get_accounts()
    address = client_address()
    viewer = accounts.authenticate(username, password, address=address)
    if viewer is not None:
        st.session_state[SESSION_TOKEN] = accounts.open_login(viewer, address)
        st.session_state.pop(_LOGIN_NOTICE, None)
    return viewer


def logout() -> None:
    """End the login for good (the token is revoked, so the cookie is worthless too)."""
    get_accounts().end_login(st.session_state.get(SESSION_TOKEN) or _cookie_token())
    _clear_session()


def login_notice() -> str | None:
    return st.session_state.pop(_LOGIN_NOTICE, None)


def client_address() -> str | None:
    try:
        address = st.context.ip_address
    except Exception:  # no client (a script run): the local machine
        return None
    return address if isinstance(address, str) and address else None  # None: this machine


def _cookie_token() -> str | None:
    try:
        token = st.context.cookies.get(LOGIN_COOKIE)
    except Exception:  # no client request (AppTest): no cookie
        return None
    return token if isinstance(token, str) and token else None


def _clear_session() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]


_COOKIE_JS = """
export default function(component) {
    const { data } = component;
    const secure = window.location.protocol === "https:" ? "; Secure" : "";
    const value = data && data.token ? encodeURIComponent(data.token) : "";
    const age = value ? data.max_age : 0;
    document.cookie = `${data.name}=${value}; Path=/; Max-Age=${age}; SameSite=Strict${secure}`;
}
"""


@st.cache_resource(show_spinner=False)
def _cookie_component():
    return st.components.v2.component("contract_review_login_cookie", js=_COOKIE_JS)


def sync_login_cookie() -> None:
    """Keep the browser's login cookie equal to this session's token (set after a login,
    removed after a logout or a timeout). It holds only the random token: the store decides
    whether it is still valid."""
    token = st.session_state.get(SESSION_TOKEN) or ""
    max_age = int(get_accounts().settings.session_max_hours * 3600)
    _cookie_component()(key="login_cookie", data={"name": LOGIN_COOKIE, "token": token, "max_age": max_age})


def change_password_form(viewer: Viewer, key: str) -> None:
    """The current password, the new one twice; the other logins of the account end."""
    from contract_review.store import StoreError

    with st.form(f"{key}_password_form"):
        old = st.text_input("当前密码", type="password", key=f"{key}_password_old")
        new = st.text_input("新密码（至少 10 位，不能是常见密码）", type="password", key=f"{key}_password_new")
        again = st.text_input("再次输入新密码", type="password", key=f"{key}_password_again")
        submitted = st.form_submit_button("修改密码", key=f"{key}_password_submit", type="primary")
    if submitted:
        if new != again:
            st.error("两次输入的新密码不一致")
            return
        try:
            get_accounts().change_password(viewer, old, new, keep_token=st.session_state.get(SESSION_TOKEN))
        except StoreError as exc:
            st.error(str(exc))
            return
        st.session_state["auth_flash"] = "密码已修改"
        st.rerun()


def server_exposed() -> bool:
    """Whether the app is reachable from other machines (not listening on loopback only)."""
    from contract_review.accounts import is_loopback

    return not is_loopback(st.get_option("server.address"))


def require_login() -> Viewer:
    viewer = current_viewer()
    if viewer is None:
        st.warning("请先登录")
        st.stop()
    return viewer


def require_role(*roles: str) -> Viewer:
    viewer = require_login()
    if viewer.role not in roles:
        st.error("当前账号无权使用此功能")
        st.stop()
    return viewer


def role_text(viewer: Viewer) -> str:
    return ROLE_LABELS.get(viewer.role, viewer.role)


# ---------------------------------------------------------------------------- formatting
def _tz():
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(os.environ.get("CONTRACT_REVIEW_TZ", "Asia/Shanghai"))
    except Exception:  # unknown zone name or no tz database: show UTC
        return timezone.utc


def local_time(at: datetime | None) -> datetime | None:
    """The store keeps naive UTC; people read local (China) time."""
    if at is None:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(_tz()).replace(tzinfo=None)


def fmt_time(at: datetime | None, with_seconds: bool = False) -> str:
    at = local_time(at)
    if at is None:
        return ""
    return at.strftime("%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M")


def fmt_value(value: Any) -> str:
    """A field's value as a reviewer reads it."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return f"{int(value):,}" if abs(value) >= 10000 else str(int(value))
        return f"{value:,.2f}" if abs(value) >= 10000 else f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "，".join(fmt_value(v) for v in value)
    return str(value)


def fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{seconds:.1f} 秒"
    return f"{int(seconds // 60)} 分 {int(seconds % 60)} 秒"


_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def zh_message(message: str | None) -> str:
    """The Chinese part of a bilingual ``"中文 (English)"`` / ``"中文（English）"`` message."""
    if not message:
        return ""
    text = message.strip()
    for opener, closer in ((" (", ")"), ("（", "）")):
        if text.endswith(closer):
            cut = text.rfind(opener)
            if cut > 0 and not _CJK.search(text[cut + len(opener):-len(closer)]) and _CJK.search(text[:cut]):
                return text[:cut].rstrip()
    return text


def zh_error(message: str | None, code: str | None = None) -> str:
    """The Chinese part of an ingest error message ``"中文 (English)"`` of ``code`` (found by
    the code's English template, so Chinese file names or a cut-off message do not matter)."""
    if not message:
        return ""
    try:
        from ingest.errors import MESSAGES
    except ImportError:  # pragma: no cover - ingest is part of the project
        MESSAGES = {}
    template = MESSAGES.get(code or "", (None, None))[1]
    if template:
        pieces = re.split(r"\{(\w+)\}", template)  # literal, placeholder, literal, ...
        first, rest = pieces[0], pieces[1:]
        pattern = re.escape(first)
        if rest:
            pattern += "(.+?)" + re.escape(rest[1]) if rest[1] else ""
        starts = [m.start() for m in re.finditer(r" \(", message)]
        for pos in starts:
            m = re.match(pattern, message[pos + 2:])
            if m and pos > 0 and (not rest or rest[0] != "name" or not m.groups() or m.group(1) in message[:pos]):
                return message[:pos].rstrip()
    return zh_message(message)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>~$:|])")  # what acts mid-line (the text is one line)


def md(text: object) -> str:
    """Untrusted text (a file name, a quote from a document, a message naming a file) made safe
    for ``st.markdown`` and the other elements that render Markdown: invisible and control
    characters dropped (:func:`~contract_review.labels.shown_name`), every Markdown, HTML and
    Streamlit directive character (``:red[…]``, ``:material/…:``, ``$…$``) escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", shown_name(str(text) if text is not None else ""))


# a library's own words in an error message (after the Chinese), put in Chinese
_LIBRARY_DETAILS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"data format error|format error|invalid pdf|no /root|startxref|xref", re.I), "文件数据格式错误"),
    (re.compile(r"eof|truncat|unexpected end", re.I), "文件不完整（可能被截断）"),
    (re.compile(r"not a zip file|bad ?zip|zip", re.I), "不是有效的 Word 文档"),
    (re.compile(r"archive|not a document|unknown format|unsupported", re.I), "不是可识别的文档格式"),
    (re.compile(r"password|encrypt", re.I), "文件已加密"),
    (re.compile(r"cannot identify image|image file|decod", re.I), "图片无法解码"),
    (re.compile(r"time ?out|timed out", re.I), "处理超时"),
    (re.compile(r"memory", re.I), "内存不足"),
    (re.compile(r"no such file|not found", re.I), "文件不存在"),
)
_ASCII_WORD = re.compile(r"[A-Za-z]{2,}")


_ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z0-9 _.:;,'()/\\-]*[A-Za-z0-9)]")
_KEEP = {"PDF", "Word", "WPS", "OCR", "MB", "KB", "doc", "docx", "pdf", "txt", "jpg", "png", "tif", "zip", "xlsx"}


def _in_chinese(run: str) -> str:
    words = set(_ASCII_WORD.findall(run))
    if words <= _KEEP or re.fullmatch(r"\.?[A-Za-z]{2,5}", run.strip()):  # a format or an extension
        return run
    return next((t for pattern, t in _LIBRARY_DETAILS if pattern.search(run)), "文件内容无法解析")


def shown_error(message: str | None, code: str | None = None) -> str:
    """An ingest error as a reviewer reads it: the Chinese message of its code, with a
    library's own English words (``PDFium: Data format error``) said in Chinese; file names
    (in 「」) stay as they are."""
    text = zh_error(message, code)
    parts = re.split(r"(「[^」]*」)", text)
    out = "".join(p if p.startswith("「") else _ENGLISH_RUN.sub(lambda m: _in_chinese(m.group(0)), p) for p in parts)
    out = re.sub(r"(?<=[\u4e00-\u9fff）])\.$", "。", out)  # the library's full stop after Chinese
    return re.sub(r"(文件内容无法解析|文件数据格式错误)(\W{0,2}\1)+", r"\1", out)


def field_text(name: str, value: Any) -> str:
    """A field's value as shown: coded values (收费周期 ``year``, 交易方式 ``direct``) in Chinese."""
    from contract_review.labels import RENT_PERIOD_LABELS, TENDER_LABELS

    table = {"rent_period": RENT_PERIOD_LABELS, "tender_method": TENDER_LABELS}.get(name)
    if table and isinstance(value, str):
        return table.get(value, value)
    return fmt_value(value)


def label_of(table: dict[str, str], key: str | None, default: str = "") -> str:
    if key is None or key == "":
        return default
    return table.get(key, key)


def options_with_all(values: Iterable[Any]) -> list[Any]:
    return [None, *values]


def all_label(labels: dict[Any, str] | None = None, everything: str = "全部"):
    """A ``format_func`` for selectboxes whose first option (None) means no filter."""

    def fmt(value: Any) -> str:
        if value is None:
            return everything
        return labels.get(value, str(value)) if labels else str(value)

    return fmt
