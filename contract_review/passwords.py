"""Passwords: argon2id hashes (``argon2-cffi``), the old scrypt hashes still verified (and
replaced by argon2id at the next successful login), equal-time checks for unknown accounts, and
the password rule (length, not a common password).

The common-password list (``common-passwords.txt.gz`` beside this file) is Django's list of
20,000 common passwords (BSD-3-Clause; created by Royce Williams) cut to the entries of 8
characters or more, plus Chinese-specific entries of SecLists' Chinese top-10000 list (MIT) that
Django's list lacks; see ``COMMON_PASSWORDS.md``.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_N, _R, _P = 2**14, 8, 1  # the legacy scrypt parameters (hashes written before argon2id)

HASHER = PasswordHasher()  # argon2id, RFC 9106 low-memory profile (t=3, m=64 MiB, p=4)
"""The hasher new hashes are made with; a stored hash with other parameters is rehashed at the
next successful login. Tests may replace it with a cheaper one."""

COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt.gz")
MIN_LENGTH_FLOOR = 8  # the shortest minimum length a setting may ask for (the list holds 8+)


def hash_password(password: str) -> str:
    if not password:
        raise ValueError("password must not be empty")
    return HASHER.hash(password)


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (argon2id, or a legacy ``scrypt$`` hash)."""
    if stored.startswith("scrypt$"):
        return _verify_scrypt(password, stored)
    try:
        return HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError, ValueError):
        return False


def needs_rehash(stored: str) -> bool:
    """A legacy scrypt hash, or an argon2 hash with other parameters than :data:`HASHER`'s."""
    if stored.startswith("scrypt$"):
        return True
    try:
        return HASHER.check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True


def verify_dummy(password: str) -> None:
    """Spend the time a real check takes (an account that does not exist or is disabled must
    answer as slowly as one that does, or the answer time tells which names exist)."""
    verify_password(password, _dummy_hash(HASHER.time_cost, HASHER.memory_cost, HASHER.parallelism))


_DUMMY = "$argon2id$v=19$m=65536,t=3,p=4$1BMeiDKVsZpXUMkH7wrC2A$XQkc0KWj71x+QGOoNfdH8r3wU3VMSGIrKS3HBzO7pSY"
"""A hash of nothing anyone types, with :data:`HASHER`'s default parameters (made once, so the
first unknown name is not slower than the next)."""


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    if not HASHER.check_needs_rehash(_DUMMY):
        return _DUMMY
    return HASHER.hash("contract-review: no such account")


def _verify_scrypt(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(
            password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


# ---------------------------------------------------------------------- the password rule
@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip().casefold() for line in fh if line.strip())


def password_problem(password: str | None, min_length: int = 10) -> str | None:
    """What is wrong with a new password (in Chinese), or None when it may be used."""
    password = password or ""
    min_length = max(min_length, MIN_LENGTH_FLOOR)
    if len(password) < min_length:
        return f"密码至少 {min_length} 位"
    if password.casefold() in common_passwords() or len(set(password)) <= 2:
        return "密码过于常见，容易被猜中，请换一个"
    return None
