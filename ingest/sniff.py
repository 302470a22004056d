"""Decide a file's format from its bytes (the extension only breaks ties and raises notices)."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

from .errors import IngestError

EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".docm": "docx",
    ".doc": "doc", ".wps": "doc",
    ".jpg": "image", ".jpeg": "image", ".png": "image", ".tif": "image", ".tiff": "image",
    ".bmp": "image", ".gif": "image", ".webp": "image",
    ".txt": "text", ".text": "text", ".md": "text", ".csv": "text",
}

_IMAGE_MAGIC = (
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG\r\n\x1a\n",
    b"II*\x00", b"MM\x00*",  # TIFF
    b"BM",  # BMP
    b"GIF87a", b"GIF89a",
)


def _looks_encrypted_ole(head: bytes, path: Path) -> bool:
    marker = "EncryptedPackage".encode("utf-16-le")
    try:
        with path.open("rb") as fh:
            return marker in fh.read(2 * 1024 * 1024)
    except OSError:
        return marker in head


def sniff(path: Path, head: bytes) -> str:
    """``pdf`` / ``docx`` / ``doc`` / ``image`` / ``text``, or raise :class:`IngestError` saying why not."""
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            if EXTENSIONS.get(path.suffix.lower()) == "docx":
                raise IngestError("corrupt_docx", f"broken zip container ({exc})") from exc
            raise IngestError("unsupported_format", f"broken zip archive ({exc})") from exc
        if "word/document.xml" in names or any(n.lower().endswith("document.xml") and n.lower().startswith("word/") for n in names):
            return "docx"
        if EXTENSIONS.get(path.suffix.lower()) == "docx":
            raise IngestError("corrupt_docx", "zip archive without word/document.xml: not a Word document")
        if "content.xml" in names:
            raise IngestError("unsupported_format", "OpenDocument (.odt) file")
        raise IngestError("unsupported_format", "zip archive, not a Word document")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if _looks_encrypted_ole(head, path):
            raise IngestError("encrypted_docx")
        return "doc"  # legacy Word: converted by LibreOffice when installed (backends/doc.py)
    if any(head.startswith(m) for m in _IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if looks_like_text(head):
        return "text"
    raise IngestError("unsupported_format", "binary data of unknown type")


def looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = head[:65536]
    if b"\x00" in sample:
        return False
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    if control > 0.01 * len(sample):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            # the head may end inside a multi-byte character: decode incrementally
            codecs.getincrementaldecoder(encoding)().decode(sample, final=len(sample) < 65536)
            return True
        except UnicodeDecodeError:
            continue
    return False
