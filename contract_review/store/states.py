"""An agreement's review state, derived from what the machine read and the decision history.

* ``resubmit`` (需重新提交): the file was not read, or what was read is not an agreement — no
  party, no subject and no term or money were extracted (a blank page, a spreadsheet, a title
  alone). Such a file gets no disposition: nobody can decide about an agreement nobody has
  seen; the reviewer sends it back to its unit with a reason.
* ``pending``: to review.
* ``second_review`` (待复核): the decision in force is *void*, made by one reviewer and not yet
  confirmed by a second one. Voiding an agreement is the heaviest disposition; it is in force
  once another reviewer records the same decision right after it.
* ``decided``.

Pure functions over plain values, shared by the store, the migration and ``audit verify``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

PARTY_FIELDS = ("owner", "counterparty")
SUBJECT_FIELDS = ("asset", "asset_location", "area_m2")
TERM_FIELDS = ("term_start", "term_end", "term_months", "rent_amount_yuan", "annual_rent_yuan", "deposit_yuan",
               "signed_date")
SECOND_REVIEW = "void"  # the disposition that needs a second reviewer

UNREADABLE = "文件未能读取"
NOT_AN_AGREEMENT = "未识别出协议内容（没有当事人、标的和期限或金额）"


def _present(fields: dict[str, Any], names: Sequence[str]) -> bool:
    return any((fields.get(n) or {}).get("value") not in (None, "") for n in names)


def resubmission_reason(record: dict[str, Any] | None, document_status: str | None = None) -> str | None:
    """Why the file must be handed in again (Chinese), or None when it can be reviewed."""
    if document_status == "failed" or not record or record.get("status") == "failed":
        return UNREADABLE
    if not (record.get("text") or "").strip():
        return UNREADABLE
    fields = record.get("fields") or {}
    if not (_present(fields, PARTY_FIELDS) or _present(fields, SUBJECT_FIELDS) or _present(fields, TERM_FIELDS)):
        return NOT_AN_AGREEMENT
    return None


class _Entry(Protocol):
    disposition: str
    user_id: int


def decided_state(history: Sequence[_Entry]) -> str:
    """``pending`` / ``second_review`` / ``decided`` after these decisions (oldest first): a void
    decision is in force once a different reviewer recorded void right after it."""
    if not history:
        return "pending"
    last = history[-1]
    if last.disposition != SECOND_REVIEW:
        return "decided"
    if len(history) >= 2:
        prev = history[-2]
        if prev.disposition == SECOND_REVIEW and prev.user_id != last.user_id and decided_state(history[:-1]) == "second_review":
            return "decided"
    return "second_review"


def needs_second_review(history: Sequence[_Entry], disposition: str, user_id: int) -> bool:
    """Whether recording ``disposition`` by ``user_id`` now leaves the agreement awaiting 复核."""
    class _New:
        pass

    new = _New()
    new.disposition, new.user_id = disposition, user_id  # type: ignore[attr-defined]
    return decided_state([*history, new]) == "second_review"  # type: ignore[list-item]


__all__ = ["NOT_AN_AGREEMENT", "UNREADABLE", "decided_state", "needs_second_review", "resubmission_reason"]
