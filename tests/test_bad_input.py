"""Bad input: each case gives a `failed` record with a code and a Chinese + English message that
names the file — never a traceback, never a hang, memory bounded."""

from __future__ import annotations

import re
import zipfile
import zlib
import struct
from pathlib import Path

import pytest

from ingest import IngestSettings, read_document, read_document_guarded

CJK = re.compile(r"[\u4e00-\u9fff]")


def _assert_failed(doc, code: str, path: Path) -> None:
    assert doc.status == "failed", (doc.status, doc.errors)
    codes = [e.code for e in doc.errors]
    assert code in codes, codes
    message = next(e.message for e in doc.errors if e.code == code)
    assert path.name in message
    assert CJK.search(message), message  # Chinese for the reviewer
    assert re.search(r"[A-Za-z]{4,}", message), message  # and English


def _png_header_only(path: Path, width: int, height: int) -> None:
    """A valid 1-bit PNG of width×height (all black), small on disk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    comp = zlib.compressobj(9)
    data = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b""))


def _digital_pdf(path: Path, password: str | None = None) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for i in range(40):
        pdf.cell(0, 8, f"Line {i} of a test agreement with some text", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def test_empty_file(tmp_path, null_settings):
    path = tmp_path / "空文件.pdf"
    path.write_bytes(b"")
    _assert_failed(read_document(path, null_settings), "empty_file", path)


def test_missing_file(tmp_path, null_settings):
    path = tmp_path / "nope.pdf"
    _assert_failed(read_document(path, null_settings), "file_not_found", path)


def test_truncated_pdf(tmp_path, null_settings):
    whole = tmp_path / "whole.pdf"
    _digital_pdf(whole)
    path = tmp_path / "截断.pdf"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])
    doc = read_document(path, null_settings)
    # a truncated PDF may still give up some text; if it does not, it must say it is corrupt
    if doc.status == "failed":
        assert {"corrupt_pdf", "no_text"} & {e.code for e in doc.errors}
        assert path.name in doc.errors[0].message
    else:
        assert doc.text


def test_corrupt_pdf(tmp_path, null_settings):
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    _assert_failed(read_document(path, null_settings), "corrupt_pdf", path)


def test_encrypted_pdf(tmp_path, null_settings):
    path = tmp_path / "加密.pdf"
    _digital_pdf(path, password="secret")
    _assert_failed(read_document(path, null_settings), "encrypted_pdf", path)


def test_docx_that_is_a_zip_of_something_else(tmp_path, null_settings):
    path = tmp_path / "协议.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "not a word document")
        zf.writestr("data/table.csv", "a,b\n1,2\n")
    _assert_failed(read_document(path, null_settings), "corrupt_docx", path)


def test_docx_that_is_not_a_zip(tmp_path, null_settings):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    _assert_failed(read_document(path, null_settings), "corrupt_docx", path)


def test_legacy_doc(tmp_path, null_settings):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
    _assert_failed(read_document(path, null_settings), "legacy_doc", path)


def test_huge_image_is_refused_without_decoding(tmp_path, null_settings):
    path = tmp_path / "huge.png"
    _png_header_only(path, 20_000, 20_000)
    doc = read_document_guarded(path, null_settings)
    _assert_failed(doc, "image_too_large", path)


def test_binary_blob(tmp_path, null_settings):
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes((i * 7919) % 256 for i in range(50_000)))
    _assert_failed(read_document(path, null_settings), "unsupported_format", path)


def test_wrong_extension_with_garbage(tmp_path, null_settings):
    path = tmp_path / "scan.jpg"
    path.write_bytes(b"\x00\x01\x02garbage" * 1000)
    _assert_failed(read_document(path, null_settings), "unsupported_format", path)


def test_wrong_extension_with_good_content_is_read_and_noted(tmp_path, null_settings):
    path = tmp_path / "agreement.pdf"
    path.write_text("房屋租赁合同\n甲方：某镇人民政府\n", encoding="utf-8")
    doc = read_document(path, null_settings)
    assert doc.status == "ok" and doc.source.format == "text"
    assert "房屋租赁合同" in doc.text
    assert [e.code for e in doc.errors] == ["extension_mismatch"]


def test_corrupt_jpeg(tmp_path, null_settings):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"\x13" * 500)
    _assert_failed(read_document(path, null_settings), "corrupt_image", path)


def test_per_file_time_limit(tmp_path):
    from PIL import Image

    path = tmp_path / "slow.png"
    Image.new("RGB", (200, 100), "white").save(path)
    settings = IngestSettings.from_env(ocr_engine="sleepy", timeout_s=2)
    doc = read_document_guarded(path, settings)
    _assert_failed(doc, "timeout", path)


def test_memory_is_bounded(tmp_path):
    from PIL import Image

    path = tmp_path / "hog.png"
    Image.new("RGB", (200, 100), "white").save(path)
    settings = IngestSettings.from_env(ocr_engine="hog", timeout_s=60, memory_limit_mb=1500)
    doc = read_document_guarded(path, settings)
    assert doc.status == "failed"
    assert "memory_exceeded" in {e.code for e in doc.errors}, doc.errors


def test_raise_on_error_for_callers_that_want_exceptions(tmp_path, null_settings):
    from ingest import IngestError

    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(IngestError) as info:
        read_document(path, null_settings, raise_on_error=True)
    assert info.value.code == "empty_file"
