"""Typed values from field values as records and corrections hold them (``YYYY-MM-DD``, ``"17,800"``):
read by the ledger, the settings files and the store (a rectification's deadline).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any


def as_date(value: Any) -> date | None:
    """A date from a field value: a ``date``, ``YYYY-MM-DD`` (as records and corrections hold
    them), ``YYYY年M月D日`` or ``YYYY/M/D``; None when it is none of these."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = re.fullmatch(r"\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*", str(value))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def as_number(value: Any) -> float | None:
    """A number from a field value (``17800.0``, ``"17,800"``, ``"17800元"``); None otherwise."""
    if value is None or isinstance(value, bool) or value == "":
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).replace(",", "").replace("，", "").strip().removesuffix("元").removeprefix("¥").strip()
    try:
        return float(text)
    except ValueError:
        return None
