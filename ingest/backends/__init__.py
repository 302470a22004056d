"""One backend per format, chosen from a table. Each fills a Document's pages and page errors,
and raises :class:`~ingest.errors.IngestError` when the whole file cannot be read."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..settings import IngestSettings
from . import doc, docx, image, pdf, text

BACKENDS: dict[str, Callable] = {
    "pdf": pdf.read,
    "docx": docx.read,
    "doc": doc.read,
    "image": image.read,
    "text": text.read,
}

PAGE_COUNTERS: dict[str, Callable[[Path, IngestSettings], int | None]] = {
    "pdf": pdf.count_pages,
    "image": image.count_pages,
}
"""Page counts known before reading (formats not listed read as one page)."""
