"""The distributed engine: the batch runner's per-file work on Celery workers (Redis broker),
selected by ``CONTRACT_REVIEW_BROKER_URL``; without it the local process pool stays the default."""

from __future__ import annotations

import os


def broker_url() -> str | None:
    """``CONTRACT_REVIEW_BROKER_URL`` (e.g. ``redis://host:6379/0``), or None: read locally."""
    return os.environ.get("CONTRACT_REVIEW_BROKER_URL") or None
