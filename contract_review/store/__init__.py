"""The review store (SQLAlchemy; SQLite by default, PostgreSQL by ``CONTRACT_REVIEW_DB_URL``)."""

from .login import LoginRefused, LoginSettings
from .store import (
    SYSTEM,
    AccessDenied,
    Store,
    StaleDecision,
    StoreError,
    Viewer,
    local_time,
    parse_market,
    parse_profile,
    sha256_file,
    validate_config,
)

__all__ = [
    "SYSTEM", "AccessDenied", "LoginRefused", "LoginSettings", "StaleDecision", "Store", "StoreError", "Viewer",
    "local_time", "parse_market", "parse_profile",
    "sha256_file", "validate_config",
]
