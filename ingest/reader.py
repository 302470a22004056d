"""``read_document``: any file in, one Document out. Bad input becomes data, never a traceback."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from .backends import BACKENDS, PAGE_COUNTERS
from .document import Document, SourceInfo
from .errors import IngestError, UnknownEngineError, format_bytes, format_message
from .settings import IngestSettings
from .sniff import EXTENSIONS, sniff


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def new_document(path: Path) -> Document:
    """A Document with its source filled in as far as the file can be stat'ed and hashed."""
    try:
        size = path.stat().st_size
        sha = _sha256(path) if path.is_file() else ""
    except OSError:
        size, sha = 0, ""
    return Document(SourceInfo(path=str(path), name=path.name, sha256=sha, size=size, format=None))


def fail(doc: Document, code: str, detail: object = "", page: int | None = None) -> Document:
    doc.add_error(code, format_message(code, doc.source.name, detail), page)
    doc.status = "failed"
    return doc


def finish_status(doc: Document) -> Document:
    """ok / partial / failed from the pages read and the errors met."""
    if doc.status != "failed":
        if not any(page.lines for page in doc.pages):
            doc.add_error("no_text", format_message("no_text", doc.source.name))
            doc.status = "failed"
        elif any(e.code != "extension_mismatch" for e in doc.errors):
            doc.status = "partial"
        else:
            doc.status = "ok"
    doc.invalidate()
    return doc


def read_document(
    path: str | Path,
    settings: IngestSettings | None = None,
    *,
    raise_on_error: bool = False,
) -> Document:
    """Read one file. Never raises for bad input (unless ``raise_on_error``): the returned
    Document carries ``status`` and coded ``errors`` instead."""
    settings = settings or IngestSettings.from_env()
    path = Path(path)
    started = time.perf_counter()
    doc = new_document(path)
    try:
        if not path.exists():
            raise IngestError("file_not_found")
        if not path.is_file():
            raise IngestError("unreadable", "not a regular file")
        if doc.source.size == 0:
            raise IngestError("empty_file")
        if doc.source.size > settings.max_file_bytes:
            raise IngestError("file_too_large",
                              f"{format_bytes(doc.source.size)} > {format_bytes(settings.max_file_bytes)}")
        with path.open("rb") as fh:
            head = fh.read(65536)
        fmt = sniff(path, head)
        doc.source.format = fmt  # type: ignore[assignment]
        expected = EXTENSIONS.get(path.suffix.lower())
        if expected is not None and expected != fmt:
            doc.add_error(
                "extension_mismatch",
                f"文件「{path.name}」的扩展名与内容不符，已按 {fmt} 读取 "
                f"(the extension of {path.name} does not match its content; read as {fmt})",
            )
        BACKENDS[fmt](path, settings, doc)
    except UnknownEngineError:
        raise
    except IngestError as exc:
        if raise_on_error:
            raise
        fail(doc, exc.code, exc.detail, exc.page)
    except MemoryError:
        if raise_on_error:
            raise
        doc.pages.clear()
        fail(doc, "memory_exceeded", f"{settings.memory_limit_mb} MB")
    except Exception as exc:  # a library bug on a strange file must not end the batch
        if raise_on_error:
            raise
        fail(doc, "unreadable", f"{type(exc).__name__}: {exc}")
    finish_status(doc)
    doc.timings["ingest_s"] = round(time.perf_counter() - started, 3)
    doc.timings["pages"] = len(doc.pages)
    return doc


def count_pages(path: str | Path, settings: IngestSettings) -> int | None:
    """How many pages reading ``path`` will go through (capped at ``settings.max_pages``),
    counted without reading them; None when the file cannot even be counted (reading it will
    say why). Never raises: the guard sizes its time limit from this."""
    path = Path(path)
    try:
        if not path.is_file() or not 0 < path.stat().st_size <= settings.max_file_bytes:
            return None
        with path.open("rb") as fh:
            fmt = sniff(path, fh.read(65536))
        counter = PAGE_COUNTERS.get(fmt)
        pages = counter(path, settings) if counter else 1
        return None if pages is None else min(pages, settings.max_pages)
    except Exception:  # noqa: BLE001 - counting is only a hint
        return None
