"""Plain text: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK detected."""

from __future__ import annotations

from pathlib import Path

from ..document import Document, Line, Page
from ..errors import IngestError
from ..settings import IngestSettings


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read in."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - library failure is treated as undecodable
        best = None
    if best is None:
        raise IngestError("text_decode_failed", "neither UTF-8 nor GB18030, and no other encoding fits")
    return str(best), best.encoding


def read(path: Path, settings: IngestSettings, doc: Document) -> None:
    data = path.read_bytes()
    content, _encoding = decode(data)
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    for number, chunk in enumerate(content.split("\f")[: settings.max_pages], start=1):
        # keep tabs: a leading tab is an empty first table cell
        lines = [
            Line(text=raw.strip(" \u3000\r\v").rstrip(), origin="plain", kind="table_row" if "\t" in raw else "paragraph")
            for raw in chunk.split("\n")
            if raw.strip()
        ]
        doc.pages.append(Page(number=number, kind="text", lines=lines))
