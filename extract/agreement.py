"""The `Agreement`: what extract makes of a Document — the agreement type and the ledger fields,
each value tied to its evidence (quoted text, page, box) with a confidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ingest import BBox, Document, StageError

AgreementType = Literal["lease", "lending", "contracting", "cooperation", "transfer", "guarantee", "other"]
AGREEMENT_TYPES: tuple[str, ...] = ("lease", "lending", "contracting", "cooperation", "transfer", "guarantee", "other")

# The record contract (schema contract-review/agreement@1): every name is always present.
FIELD_NAMES: tuple[str, ...] = (
    "owner",
    "counterparty",
    "asset",
    "asset_location",
    "area_m2",
    "term_start",
    "term_end",
    "term_months",
    "rent_amount_yuan",
    "rent_period",
    "annual_rent_yuan",
    "deposit_yuan",
    "payee_account",
    "remittance",
    "approval_body",
    "approval_doc_no",
    "collective_decision",
    "tender_method",
    "signed_date",
    "seal_present",
)

RENT_PERIODS = ("year", "quarter", "month", "day", "once")
TENDER_METHODS = ("public_tender", "auction", "listing", "competitive", "direct")


@dataclass
class FieldValue:
    value: Any
    text: str = ""
    page: int | None = None
    bbox: BBox | None = None
    confidence: float = 1.0


@dataclass
class Agreement:
    document: Document
    agreement_type: AgreementType | None = None
    fields: dict[str, FieldValue | None] = field(default_factory=lambda: dict.fromkeys(FIELD_NAMES))
    type_confidence: float = 0.0
    amends: dict | None = None  # a supplementary agreement's main agreement: title, date, parties
    # what sort of document (extract.kind.KINDS: main, supplementary, oral_note, white_slip, notice,
    # judgment, minutes, news) and its shape (parties, term/rent, signature, clauses, complete)
    document_kind: str | None = None
    structure: dict = field(default_factory=dict)
    clauses: list = field(default_factory=list)  # extract.context.Clause, with .kind set
    errors: list[StageError] = field(default_factory=list)  # extractors that raised (bugs): the result is partial
    timings: dict[str, float] = field(default_factory=dict)

    def value(self, name: str) -> Any:
        item = self.fields.get(name)
        return None if item is None else item.value
