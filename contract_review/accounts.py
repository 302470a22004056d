"""Accounts and logging in: the password rule, creating accounts and setting passwords,
authentication with throttling and a lockout, and login sessions with idle and absolute
timeouts. :class:`Accounts` decides; the store (:mod:`contract_review.store.login` and the
``users``, ``login_throttle`` and ``login_sessions`` tables) keeps the rows, one transaction per
step, read with the clock given here (injectable: tests move time instead of sleeping).

Throttling counts failed logins per account name and per client address, whether the account
exists or not (so a lockout tells nothing about which names exist). After
``login_delay_after`` failures in a row each further attempt must wait a delay that doubles
(``login_delay_base_s``, 2×, 4× …); an attempt made before the delay is over is refused
unchecked and counts as a failure; at ``login_lockout_after`` failures the account is locked for
``login_lockout_minutes``. A success clears the account's count (not the address's, or an
attacker could clear it with an account of their own); counts are forgotten after
``login_window_minutes`` without a failure.

Passwords are hashed and checked against the password rule by :mod:`contract_review.passwords`.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from ingest.settings import IngestSettings

from .passwords import hash_password, needs_rehash, password_problem, verify_dummy, verify_password
from .store import AccessDenied, Store, StoreError, Viewer, login
from .store.schema import ROLES, LoginThrottle, User, utcnow
from .store.store import valid_name, viewer_of


@dataclass(frozen=True)
class LoginSettings:
    """Defaults in one place; ``CONTRACT_REVIEW_<FIELD>`` in the environment overrides each."""

    login_delay_after: int = 5  # failures in a row before each attempt must wait
    login_delay_base_s: float = 2.0  # the first wait; doubles with each further failure
    login_lockout_after: int = 10  # failures in a row that lock the account
    login_lockout_minutes: int = 15
    address_delay_after: int = 20  # the same per client address (an office shares one)
    address_lockout_after: int = 50
    login_window_minutes: int = 60  # failures older than this (since the last one) are forgotten
    session_idle_minutes: int = 60  # a login unused this long ends
    session_max_hours: int = 12  # a login ends this long after it began, used or not
    password_min_length: int = 10

    from_env = classmethod(IngestSettings.from_env.__func__)  # type: ignore[attr-defined]


class LoginRefused(Exception):
    """A login attempt refused before the password was checked (message in Chinese)."""


ACCOUNT, ADDRESS = "account", "address"
LOCAL = "本机"  # the address key of a client on the same machine (Streamlit reports none)
_TOUCH_EVERY = timedelta(seconds=30)  # last_seen_at is written at most this often


class Accounts:
    """Accounts and logins over ``store`` with ``settings`` (default from the environment) and
    ``clock`` (naive UTC now)."""

    def __init__(self, store: Store, settings: LoginSettings | None = None,
                 clock: Callable[[], datetime] = utcnow):
        self.store = store
        self.settings = settings or LoginSettings.from_env()
        self.clock = clock

    def check_password(self, password: str | None) -> None:
        """Raise StoreError (in Chinese) when ``password`` breaks the password rule."""
        problem = password_problem(password, self.settings.password_min_length)
        if problem:
            raise StoreError(problem)

    # ------------------------------------------------------------------ accounts
    def create_user(self, username: str, password: str, role: str, unit: str | None = None,
                    display_name: str = "", must_change_password: bool = False) -> int:
        """A new account; the password is stored as an argon2id hash, never as typed."""
        username = valid_name(username, "用户名", 100)
        if role not in ROLES:
            raise StoreError(f"角色必须是 {'/'.join(ROLES)} 之一，收到 {role!r}")
        unit = (unit or "").strip() or None
        if role == "uploader" and not unit:
            raise StoreError("上传员必须属于一个单位（--unit）")
        self.check_password(password)
        return self.store.add_user(username, lambda: hash_password(password), role, unit,
                                   display_name=display_name, must_change_password=must_change_password)

    def set_password(self, username: str, password: str) -> None:
        """An operator sets a password (``contract-review user passwd``): no change is asked for
        at the next login, and every open login of the account ends."""
        self.check_password(password)
        with self.store.session() as s:
            user = login.user_by_name(s, (username or "").strip())
            if user is None:
                raise StoreError(f"用户 {username} 不存在")
            user.password_hash = hash_password(password)
            user.must_change_password = False
            _end_other_sessions(s, user.id, None, self.clock())

    def change_password(self, viewer: Viewer, old: str, new: str, keep_token: str | None = None) -> None:
        """The logged-in user changes their own password (the current one is asked for); their
        other logins end."""
        if new == old:
            raise StoreError("新密码不能与当前密码相同")
        self.check_password(new)
        with self.store.session() as s:
            user = s.get(User, viewer.user_id)
            if user is None or not user.active:
                raise AccessDenied("用户不存在或已停用")
            if not verify_password(old or "", user.password_hash):
                raise StoreError("当前密码不正确")
            user.password_hash = hash_password(new)
            user.must_change_password = False
            _end_other_sessions(s, user.id, keep_token, self.clock())

    def flag_password_change(self, username: str, published: Sequence[str]) -> bool:
        """Ask ``username`` to change their password at the next login when it is still one of
        the ``published`` ones (the demo accounts'). Returns whether it was."""
        with self.store.session() as s:
            user = login.user_by_name(s, username)
            if user is None or not any(verify_password(p, user.password_hash) for p in published):
                return False
            user.must_change_password = True
            return True

    # ------------------------------------------------------------------ logging in
    def authenticate(self, username: str, password: str, address: str | None = None) -> Viewer | None:
        """The viewer for a correct username and password of an active account, else None.
        Raises :class:`LoginRefused` (a Chinese message) while the account or the client
        ``address`` is throttled or locked. An unknown or disabled account takes as long to
        refuse as a wrong password; an old hash is upgraded to argon2id."""
        username = (username or "").strip()
        refused = None
        with self.store.session() as s:
            try:
                self._check_allowed(s, username, address, self.clock())
            except LoginRefused as exc:  # committed: a refused attempt may count
                refused = exc
        if refused is not None:
            raise refused
        with self.store.session() as s:
            user = login.user_by_name(s, username)
            stored = user.password_hash if user is not None and user.active else None
        if stored is None:
            verify_dummy(password or "")  # as slow as a real check
        ok = stored is not None and verify_password(password or "", stored)
        with self.store.session() as s:
            if not ok:
                self._record_failure(s, username, address, self.clock())
                return None
            login.forget_throttle(s, ACCOUNT, account_key(username))
            user = s.get(User, user.id)  # type: ignore[union-attr]
            if user is None:
                raise StoreError("用户不存在")
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            return viewer_of(user)

    def unlock(self, username: str) -> bool:
        """Forget the failed logins of ``username`` (an admin lifts a lockout)."""
        with self.store.session() as s:
            return login.forget_throttle(s, ACCOUNT, account_key(username))

    def _check_allowed(self, s: Session, username: str, address: str | None, now: datetime) -> None:
        """Raise :class:`LoginRefused` when the account or the address must not try now. An attempt
        refused during a delay counts as a failure; one refused during a lockout does not."""
        rows = self._rows(s, username, address, now, create=False)
        for kind, row in rows.items():
            if row is not None and row.locked_until is not None and now < row.locked_until:
                raise LoginRefused(_locked_message(kind, row.locked_until - now))
        for kind, row in rows.items():
            wait = self._wait(kind, row, now)
            if wait > 0:
                self._record_failure(s, username, address, now)
                locked = [r for r in self._rows(s, username, address, now, create=False).values()
                          if r is not None and r.locked_until is not None and now < r.locked_until]
                if locked:
                    raise LoginRefused(_locked_message(kind, locked[0].locked_until - now))
                raise LoginRefused(f"登录失败次数过多，请 {math.ceil(wait)} 秒后再试")

    def _record_failure(self, s: Session, username: str, address: str | None, now: datetime) -> None:
        settings = self.settings
        for kind, row in self._rows(s, username, address, now, create=True).items():
            assert row is not None
            row.failures += 1
            row.last_failure_at = now
            lockout_after = settings.login_lockout_after if kind == ACCOUNT else settings.address_lockout_after
            if row.failures >= lockout_after:
                row.locked_until = now + timedelta(minutes=settings.login_lockout_minutes)
        s.flush()

    def _rows(self, s: Session, username: str, address: str | None, now: datetime,
              *, create: bool) -> dict[str, LoginThrottle | None]:
        keys = {ACCOUNT: account_key(username), ADDRESS: (address or LOCAL)[:200]}
        out: dict[str, LoginThrottle | None] = {}
        window = timedelta(minutes=self.settings.login_window_minutes)
        for kind, key in keys.items():
            row = login.throttle_row(s, kind, key, create=create)
            if row is not None and row.last_failure_at is not None \
                    and (row.locked_until is None or row.locked_until <= now) and now - row.last_failure_at > window:
                row.failures, row.locked_until = 0, None  # long quiet: start again
            out[kind] = row
        return out

    def _wait(self, kind: str, row: LoginThrottle | None, now: datetime) -> float:
        """Seconds still to wait before the next attempt (0: may try now)."""
        if row is None or row.last_failure_at is None:
            return 0.0
        settings = self.settings
        after = settings.login_delay_after if kind == ACCOUNT else settings.address_delay_after
        if row.failures < after:
            return 0.0
        delay = settings.login_delay_base_s * 2 ** (row.failures - after)
        delay = min(delay, settings.login_lockout_minutes * 60.0)
        return max(0.0, delay - (now - row.last_failure_at).total_seconds())

    # ------------------------------------------------------------------ login sessions
    def open_login(self, viewer: Viewer, address: str | None = None) -> str:
        """A login session for ``viewer`` (after :meth:`authenticate`): the random token the
        browser keeps; the store keeps only its hash."""
        token = secrets.token_urlsafe(32)
        with self.store.session() as s:
            login.add_session(s, token_hash(token), viewer.user_id, address or LOCAL, self.clock())
        return token

    def login_viewer(self, token: str | None) -> Viewer | None:
        """The viewer of a live login token, its last use moved to now; None when the token is
        unknown, logged out, idle longer than ``session_idle_minutes``, older than
        ``session_max_hours`` or its account disabled."""
        if not isinstance(token, str) or not token or len(token) > 200:
            return None
        now = self.clock()
        with self.store.session() as s:
            row = login.session_by_token(s, token_hash(token))
            if row is None or row.revoked_at is not None:
                return None
            if now - row.created_at > timedelta(hours=self.settings.session_max_hours) \
                    or now - row.last_seen_at > timedelta(minutes=self.settings.session_idle_minutes):
                row.revoked_at = now
                return None
            user = s.get(User, row.user_id)
            if user is None or not user.active:
                return None
            if now - row.last_seen_at >= _TOUCH_EVERY:
                row.last_seen_at = now
            return viewer_of(user)

    def end_login(self, token: str | None) -> None:
        """Log out: the token is revoked for good."""
        if not isinstance(token, str) or not token:
            return
        with self.store.session() as s:
            row = login.session_by_token(s, token_hash(token))
            if row is not None and row.revoked_at is None:
                row.revoked_at = self.clock()


def _end_other_sessions(s: Session, user_id: int, keep: str | None, now: datetime) -> None:
    """Revoke every login of ``user_id`` but ``keep`` (after a password change)."""
    keep_hash = token_hash(keep) if keep else None
    for row in login.open_sessions(s, user_id):
        if row.token_sha256 != keep_hash:
            row.revoked_at = now


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def account_key(username: str) -> str:
    return (username or "").strip().casefold()[:200]


def _locked_message(kind: str, left: timedelta) -> str:
    minutes = max(1, math.ceil(left.total_seconds() / 60))
    if kind == ACCOUNT:
        return f"该账号登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试，或请管理员解锁"
    return f"此网络地址登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试"


def is_loopback(address: str | None) -> bool:
    """Whether a server listening on ``address`` is reachable from this machine only (an empty
    address means every interface)."""
    import ipaddress

    address = (address or "").strip().strip("[]")
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False
