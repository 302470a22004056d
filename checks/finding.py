"""The `Finding`: one irregularity flagged on an agreement, with evidence and legal basis."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ingest import BBox

Severity = Literal["high", "medium", "low"]
Disposition = Literal["void", "fixable", "re-sign"]


@dataclass
class Evidence:
    text: str
    page: int | None = None
    bbox: BBox | None = None


@dataclass
class Finding:
    check: str  # stable check id, e.g. "no_collective_decision"
    severity: Severity
    disposition: Disposition
    title: str  # Chinese, for reviewers
    explanation: str  # Chinese
    basis: str  # the legal article(s)
    evidence: list[Evidence] = field(default_factory=list)
    score: float = 1.0
