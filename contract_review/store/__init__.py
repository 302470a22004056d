"""The review store (SQLAlchemy; SQLite by default, PostgreSQL by ``CONTRACT_REVIEW_DB_URL``)."""

from .store import (
    SYSTEM,
    AccessDenied,
    Store,
    StaleDecision,
    StoreError,
    Viewer,
    local_time,
    sha256_file,
)
from .limits import LimitExceeded, UploadBudget, UploadLimits

__all__ = [
    "SYSTEM", "AccessDenied", "LimitExceeded", "StaleDecision", "Store", "StoreError",
    "UploadBudget", "UploadLimits", "Viewer", "local_time", "sha256_file",
]
