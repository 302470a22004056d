"""../shared/torture: 114 real odd or broken files from other projects' test suites.

Ingest must never crash or hang on any of them: every file gives a Document whose status and
errors say what happened. OCR is replaced by the instant "null" engine here (the rendering,
pixel conversion, seal search and orientation code still run); the real engine is exercised by
the OCR tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import IngestSettings, read_document_guarded

TORTURE = Path(__file__).resolve().parent.parent.parent / "shared" / "torture"
FILES = sorted(p for p in TORTURE.glob("*/*") if p.is_file()) if TORTURE.is_dir() else []

EXPECTED = {
    "pdfplumber__empty.pdf": ("failed", "empty_file"),
    "pdfplumber__password-example.pdf": ("failed", "encrypted_pdf"),
    "pypdf__libreoffice-writer-password.pdf": ("failed", "encrypted_pdf"),
    "pypdf__r4-aes-user-password.pdf": ("failed", "encrypted_pdf"),
    "poi__bug53475-password-is-pass.docx": ("failed", "encrypted_docx"),
    "pdfplumber__issue-67-example.pdf": ("ok", None),
    "pdfplumber__pr-138-example.pdf": ("ok", None),  # encrypted with an empty user password
    "pdfplumber__issue-71-duplicate-chars.pdf": ("ok", None),
    "python-docx__blk-paras-and-tables.docx": ("ok", None),
}


def test_torture_corpus_is_there():
    if not TORTURE.is_dir():
        pytest.skip(f"{TORTURE} not present")
    assert len(FILES) >= 100


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_never_crashes_or_hangs(path: Path):
    settings = IngestSettings.from_env(ocr_engine="null", timeout_s=90, memory_limit_mb=4096)
    doc = read_document_guarded(path, settings)
    assert doc.status in ("ok", "partial", "failed")
    codes = [e.code for e in doc.errors]
    assert "timeout" not in codes and "internal_error" not in codes, doc.errors
    if doc.status == "failed":
        assert doc.errors, "a failed document must say why"
        assert all(path.name in e.message for e in doc.errors)
    if path.name in EXPECTED:
        status, code = EXPECTED[path.name]
        assert doc.status == status, doc.errors
        if code:
            assert code in codes


def test_duplicate_glyphs_are_removed():
    path = TORTURE / "pdf" / "pdfplumber__issue-71-duplicate-chars.pdf"
    if not path.exists():
        pytest.skip("torture corpus not present")
    doc = read_document_guarded(path, IngestSettings.from_env(ocr_engine="null"))
    assert "项目描述" in doc.text and "项项目目" not in doc.text
