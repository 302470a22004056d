"""The JSON record (schema ``contract-review/agreement@1``): a stable contract.

Later stages fill it; nobody renames its keys.
"""

from __future__ import annotations

import math
from typing import Any

from extract import FIELD_NAMES

from .pipeline import Result

SCHEMA = "contract-review/agreement@1"


def _box(bbox) -> list[float] | None:
    if bbox is None:
        return None
    return [round(float(v), 2) for v in bbox]


def _plain(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def to_record(result: Result) -> dict[str, Any]:
    doc, agreement = result.document, result.agreement
    fields: dict[str, Any] = {}
    for name in FIELD_NAMES:
        item = agreement.fields.get(name)
        fields[name] = (
            None
            if item is None
            else {
                "value": _plain(item.value),
                "text": item.text,
                "page": item.page,
                "bbox": _box(item.bbox),
                "confidence": round(float(item.confidence), 4),
            }
        )
    return {
        "schema": SCHEMA,
        "source": {
            "path": doc.source.path,
            "sha256": doc.source.sha256,
            "format": doc.source.format,
            "pages": len(doc.pages),
            "page_kinds": doc.page_kinds,
        },
        "status": result.status,
        # every stage's error items: ingest's (with their page), then extractors' and checks' that
        # failed (with the component named); any of the latter makes the status partial
        "errors": [{"code": e.code, "message": e.message, "page": e.page} if e.stage == "ingest" else
                   {"code": e.code, "message": e.message, "page": e.page, "stage": e.stage, "component": e.component}
                   for e in result.errors],
        "text": doc.text,
        "agreement_type": agreement.agreement_type,
        "amends": agreement.amends,
        "fields": fields,
        "disposition": result.disposition,
        "disposition_driver": result.disposition_driver,
        "disposition_reason": result.disposition_reason,
        "risk_score": result.risk_score,
        "findings": [
            {
                "check": f.check,
                "severity": f.severity,
                "disposition": f.disposition,
                "title": f.title,
                "explanation": f.explanation,
                "basis": f.basis,
                "evidence": [{"text": e.text, "page": e.page, "bbox": _box(e.bbox)} for e in f.evidence],
                "score": round(float(f.score), 4),
                "related": f.related,
            }
            for f in result.findings
        ],
    }
