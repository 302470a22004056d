"""One backend per format, chosen from a table. Each fills a Document's pages and page errors,
and raises :class:`~ingest.errors.IngestError` when the whole file cannot be read.

A backend's module is imported the first time a file of its format is read: a text file needs
neither OpenCV nor PIL nor python-docx (a fifth of a one-page ``extract``'s start-up)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable

from ..settings import IngestSettings


def _lazy(module: str, function: str = "read") -> Callable:
    def call(*args):
        return getattr(importlib.import_module(f"{__name__}.{module}"), function)(*args)

    call.__qualname__ = call.__name__ = f"{module}.{function}"
    return call


BACKENDS: dict[str, Callable] = {
    "pdf": _lazy("pdf"),
    "docx": _lazy("docx"),
    "doc": _lazy("doc"),
    "image": _lazy("image"),
    "text": _lazy("text"),
}

PAGE_COUNTERS: dict[str, Callable[[Path, IngestSettings], int | None]] = {
    "pdf": _lazy("pdf", "count_pages"),
    "image": _lazy("image", "count_pages"),
}
"""Page counts known before reading (formats not listed read as one page)."""
