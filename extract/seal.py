"""``seal_present``: what ingest saw of red official seals."""

from __future__ import annotations

from ingest import Document

from .agreement import FieldValue


def seal_field(doc: Document) -> FieldValue | None:
    """True with the most seal-like blob as evidence; False when every page was looked at as an
    image (PDF pages, photos, scans) and none had a seal; None where nothing could be seen
    (plain text, a Word file without pictures)."""
    seals = doc.seals
    if seals:
        page, seal = max(seals, key=lambda ps: ps[1].score)
        return FieldValue(value=True, text="", page=page, bbox=seal.bbox, confidence=seal.score)
    if doc.source.format in ("pdf", "image") and doc.pages:
        return FieldValue(value=False, text="", page=None, bbox=None, confidence=0.6)
    return None
