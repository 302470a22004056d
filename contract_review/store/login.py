"""Logging in: throttling with growing delays and a lockout, and login sessions with idle and
absolute timeouts. The :class:`~contract_review.store.Store` methods ``authenticate``,
``open_login``, ``login_viewer`` and ``end_login`` call these with one database session and the
store's clock (injectable: tests move time instead of sleeping).

Throttling counts failed logins per account name and per client address, whether the account
exists or not (so a lockout tells nothing about which names exist). After
``login_delay_after`` failures in a row each further attempt must wait a delay that doubles
(``login_delay_base_s``, 2×, 4× …); an attempt made before the delay is over is refused
unchecked and counts as a failure; at ``login_lockout_after`` failures the account is locked for
``login_lockout_minutes``. A success clears the account's count (not the address's, or an
attacker could clear it with an account of their own); counts are forgotten after
``login_window_minutes`` without a failure.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.settings import IngestSettings

from .schema import LoginSession, LoginThrottle, User


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


def account_key(username: str) -> str:
    return (username or "").strip().casefold()[:200]


def check_allowed(s: Session, settings: LoginSettings, username: str, address: str | None, now: datetime) -> None:
    """Raise :class:`LoginRefused` when the account or the address must not try now. An attempt
    refused during a delay counts as a failure; one refused during a lockout does not."""
    rows = _rows(s, settings, username, address, now, create=False)
    for kind, row in rows.items():
        if row is not None and row.locked_until is not None and now < row.locked_until:
            raise LoginRefused(_locked_message(kind, row.locked_until - now))
    for kind, row in rows.items():
        wait = _wait(settings, kind, row, now)
        if wait > 0:
            record_failure(s, settings, username, address, now)
            locked = [r for r in _rows(s, settings, username, address, now, create=False).values()
                      if r is not None and r.locked_until is not None and now < r.locked_until]
            if locked:
                raise LoginRefused(_locked_message(kind, locked[0].locked_until - now))
            raise LoginRefused(f"登录失败次数过多，请 {math.ceil(wait)} 秒后再试")


def record_failure(s: Session, settings: LoginSettings, username: str, address: str | None, now: datetime) -> None:
    for kind, row in _rows(s, settings, username, address, now, create=True).items():
        assert row is not None
        row.failures += 1
        row.last_failure_at = now
        lockout_after = settings.login_lockout_after if kind == ACCOUNT else settings.address_lockout_after
        if row.failures >= lockout_after:
            row.locked_until = now + timedelta(minutes=settings.login_lockout_minutes)
    s.flush()


def record_success(s: Session, username: str) -> None:
    row = s.get(LoginThrottle, (ACCOUNT, account_key(username)))
    if row is not None:
        s.delete(row)


def unlock(s: Session, username: str) -> bool:
    """Forget the account's failures (an admin's ``contract-review user unlock``)."""
    row = s.get(LoginThrottle, (ACCOUNT, account_key(username)))
    if row is None:
        return False
    s.delete(row)
    return True


def _rows(s: Session, settings: LoginSettings, username: str, address: str | None, now: datetime,
          *, create: bool) -> dict[str, LoginThrottle | None]:
    keys = {ACCOUNT: account_key(username), ADDRESS: (address or LOCAL)[:200]}
    out: dict[str, LoginThrottle | None] = {}
    window = timedelta(minutes=settings.login_window_minutes)
    for kind, key in keys.items():
        row = s.scalar(select(LoginThrottle).where(LoginThrottle.kind == kind, LoginThrottle.key == key)
                       .with_for_update())
        if row is not None and row.last_failure_at is not None and (row.locked_until is None or row.locked_until <= now) \
                and now - row.last_failure_at > window:
            row.failures, row.locked_until = 0, None  # long quiet: start again
        if row is None and create:
            row = LoginThrottle(kind=kind, key=key, failures=0)
            s.add(row)
        out[kind] = row
    return out


def _wait(settings: LoginSettings, kind: str, row: LoginThrottle | None, now: datetime) -> float:
    """Seconds still to wait before the next attempt (0: may try now)."""
    if row is None or row.last_failure_at is None:
        return 0.0
    after = settings.login_delay_after if kind == ACCOUNT else settings.address_delay_after
    if row.failures < after:
        return 0.0
    delay = settings.login_delay_base_s * 2 ** (row.failures - after)
    delay = min(delay, settings.login_lockout_minutes * 60.0)
    return max(0.0, delay - (now - row.last_failure_at).total_seconds())


def _locked_message(kind: str, left: timedelta) -> str:
    minutes = max(1, math.ceil(left.total_seconds() / 60))
    if kind == ACCOUNT:
        return f"该账号登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试，或请管理员解锁"
    return f"此网络地址登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试"


# ---------------------------------------------------------------------- login sessions
def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(s: Session, user_id: int, address: str | None, now: datetime) -> str:
    """A new login of ``user_id``: the token to give the browser (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    s.add(LoginSession(token_sha256=token_hash(token), user_id=user_id, address=(address or LOCAL)[:100],
                       created_at=now, last_seen_at=now))
    return token


def session_user(s: Session, settings: LoginSettings, token: str | None, now: datetime) -> User | None:
    """The active user of a live login, its last use moved to ``now``; None when the token is
    unknown, revoked, idle longer than the idle timeout or older than the absolute one."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    row = s.scalar(select(LoginSession).where(LoginSession.token_sha256 == token_hash(token)))
    if row is None or row.revoked_at is not None:
        return None
    if now - row.created_at > timedelta(hours=settings.session_max_hours) \
            or now - row.last_seen_at > timedelta(minutes=settings.session_idle_minutes):
        row.revoked_at = now
        return None
    user = s.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if now - row.last_seen_at >= _TOUCH_EVERY:
        row.last_seen_at = now
    return user


def end_session(s: Session, token: str | None, now: datetime) -> None:
    if not isinstance(token, str) or not token:
        return
    row = s.scalar(select(LoginSession).where(LoginSession.token_sha256 == token_hash(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = now


def end_other_sessions(s: Session, user_id: int, keep: str | None, now: datetime) -> None:
    """Revoke every login of ``user_id`` but ``keep`` (after a password change)."""
    keep_hash = token_hash(keep) if keep else None
    for row in s.scalars(select(LoginSession).where(LoginSession.user_id == user_id,
                                                    LoginSession.revoked_at.is_(None))):
        if row.token_sha256 != keep_hash:
            row.revoked_at = now
