"""The rows of logging in, read and written inside the caller's transaction: accounts by name,
the failed-login counters (``login_throttle``, one row per account name or client address) and
the login sessions (``login_sessions``, keyed by the SHA-256 of their token). What the rows mean
— the password rule, delays, lockouts, timeouts — is decided by :mod:`contract_review.accounts`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .schema import LoginSession, LoginThrottle, User


def user_by_name(s: Session, username: str) -> User | None:
    return s.scalar(select(User).where(User.username == username))


def throttle_row(s: Session, kind: str, key: str, *, create: bool) -> LoginThrottle | None:
    """The counter of ``(kind, key)``, locked until the transaction ends (``FOR UPDATE`` on
    PostgreSQL); a new one with no failures when absent and ``create``."""
    row = s.scalar(select(LoginThrottle).where(LoginThrottle.kind == kind, LoginThrottle.key == key)
                   .with_for_update())
    if row is None and create:
        row = LoginThrottle(kind=kind, key=key, failures=0)
        s.add(row)
    return row


def forget_throttle(s: Session, kind: str, key: str) -> bool:
    """Delete the counter of ``(kind, key)``; whether there was one."""
    row = s.get(LoginThrottle, (kind, key))
    if row is None:
        return False
    s.delete(row)
    return True


def add_session(s: Session, token_sha256: str, user_id: int, address: str, now: datetime) -> None:
    s.add(LoginSession(token_sha256=token_sha256, user_id=user_id, address=address[:100],
                       created_at=now, last_seen_at=now))


def session_by_token(s: Session, token_sha256: str) -> LoginSession | None:
    return s.scalar(select(LoginSession).where(LoginSession.token_sha256 == token_sha256))


def open_sessions(s: Session, user_id: int) -> list[LoginSession]:
    """The logins of ``user_id`` not revoked (timed-out ones included: they are revoked when next used)."""
    return list(s.scalars(select(LoginSession).where(LoginSession.user_id == user_id,
                                                     LoginSession.revoked_at.is_(None))))
