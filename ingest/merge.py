"""One Document from several files: an agreement photographed or scanned page by page."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from .document import Document, DocumentError, SourceInfo
from .reader import finish_status


def merge_documents(docs: list[Document]) -> Document:
    """Pages of ``docs`` in order, renumbered; errors keep their page numbers remapped.

    The source is the first file's, with a sha256 over the parts' hashes so the same set of
    files in the same order is recognised again.
    """
    if not docs:
        raise ValueError("merge_documents needs at least one document")
    if len(docs) == 1:
        return docs[0]
    first = docs[0].source
    combined = hashlib.sha256("".join(d.source.sha256 for d in docs).encode()).hexdigest()
    formats = {d.source.format for d in docs if d.source.format}
    merged = Document(
        SourceInfo(
            path=first.path,
            name=first.name,
            sha256=combined,
            size=sum(d.source.size for d in docs),
            format=formats.pop() if len(formats) == 1 else first.format,
        )
    )
    offset = 0
    for doc in docs:
        for page in doc.pages:
            merged.pages.append(replace(page, number=page.number + offset))
        for err in doc.errors:
            if err.code == "no_text":
                continue  # decided again for the whole
            page = None if err.page is None else err.page + offset
            merged.errors.append(DocumentError(err.code, err.message, page))
        offset += len(doc.pages)
        for key, value in doc.timings.items():
            merged.timings[key] = round(merged.timings.get(key, 0.0) + value, 3)
        merged.ocr_engine = merged.ocr_engine or doc.ocr_engine
    if all(d.status == "failed" for d in docs):
        merged.status = "failed"
    return finish_status(merged)
