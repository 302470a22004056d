"""Helpers the backends share."""

from __future__ import annotations

from ..document import Document
from ..errors import UnknownEngineError, format_message
from ..ocr import OcrEngine, get_engine
from ..settings import IngestSettings


def page_error(doc: Document, code: str, detail: object, page: int | None) -> tuple[str, str, int | None]:
    """(code, bilingual message, page) for :meth:`Document.add_error`."""
    return code, format_message(code, doc.source.name, detail), page


def ocr_engine_or_error(settings: IngestSettings, doc: Document) -> OcrEngine | None:
    """The configured OCR engine, or None with an ``ocr_unavailable`` error recorded."""
    try:
        engine = get_engine(settings.ocr_engine, max_side=settings.ocr_max_side, threads=settings.ocr_threads,
                            runtime=settings.ocr_runtime, precision=settings.ocr_precision,
                            det_max_side=settings.ocr_det_max_side, rec_batch=settings.ocr_rec_batch)
    except UnknownEngineError:
        raise
    except Exception as exc:  # an optional engine whose package is missing
        doc.add_error(*page_error(doc, "ocr_unavailable", f"{settings.ocr_engine}: {exc}", None))
        return None
    doc.ocr_engine = settings.ocr_engine
    return engine
