"""The `Finding`: one irregularity flagged on an agreement, with evidence and legal basis."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ingest import BBox

Severity = Literal["high", "medium", "low"]
Disposition = Literal["void", "fixable", "re-sign"]


@dataclass
class Evidence:
    text: str  # quoted from the document
    page: int | None = None
    bbox: BBox | None = None
    source: str | None = None  # another document's path, when the evidence is quoted from it (side contracts)


@dataclass
class Finding:
    check: str  # stable check id, e.g. "no_collective_decision"
    severity: Severity
    disposition: Disposition | None  # None only for expiry_warning: a warning changes nothing
    title: str  # Chinese, for reviewers
    explanation: str  # Chinese
    basis: str  # the legal article(s)
    evidence: list[Evidence] = field(default_factory=list)
    score: float = 1.0  # how sure the check is (0-1)
    variant: str | None = None  # which row of the disposition table applies (e.g. "beyond_legal_max")
    details: dict = field(default_factory=dict)  # the numbers behind the finding (months, rent, reference …)
    related: list[dict] = field(default_factory=list)  # other documents involved: {"index", "path", "sha256"}
