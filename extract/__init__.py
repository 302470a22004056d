"""extract: Document → Agreement (agreement type and ledger fields with evidence)."""

from __future__ import annotations

import time

from ingest import Document

from .agreement import AGREEMENT_TYPES, FIELD_NAMES, Agreement, FieldValue
from .seal import seal_field


def extract_agreement(doc: Document) -> Agreement:
    started = time.perf_counter()
    agreement = Agreement(document=doc)
    if doc.status != "failed":
        agreement.fields["seal_present"] = seal_field(doc)
    agreement.timings["extract_s"] = round(time.perf_counter() - started, 4)
    return agreement


__all__ = ["AGREEMENT_TYPES", "FIELD_NAMES", "Agreement", "FieldValue", "extract_agreement"]
