"""Document ↔ JSON: the review store keeps each read Document as JSON and re-runs extraction on
it later, so a round trip must give back the same text, offsets, boxes, seals and fields."""

from __future__ import annotations

import json

import numpy as np
import pytest

from corpus.render import render_docx, render_page_images, render_pdf, render_text
from corpus.samples import LAND, LEASE, LOAN
from extract import FIELD_NAMES, extract_agreement
from ingest import Document, IngestSettings, Line, Page, Seal, SourceInfo, Word, merge_documents, read_document
from ingest.document import SERIAL_VERSION

JSON_TYPES = (str, int, float, bool, type(None))


def _round_trip(doc: Document) -> Document:
    return Document.from_dict(json.loads(json.dumps(doc.to_dict(), ensure_ascii=False, allow_nan=False)))


def _assert_plain_json(value, where="doc") -> None:
    """Only str/int/float/bool/None/list/dict, and exactly those types (no NumPy scalars, tuples)."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert type(key) is str, (where, key)
            _assert_plain_json(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _assert_plain_json(item, f"{where}[{i}]")
    else:
        assert type(value) in JSON_TYPES, (where, type(value))


def _assert_same_document(copy: Document, doc: Document) -> None:
    assert copy == doc  # every dataclass field, pages, lines, words, seals, errors, source
    assert copy.text == doc.text
    assert copy.spans == doc.spans
    assert copy.source == doc.source and copy.status == doc.status and copy.errors == doc.errors
    assert copy.seals == doc.seals
    for p_copy, p_doc in zip(copy.pages, doc.pages, strict=True):
        assert [line.bbox for line in p_copy.lines] == [line.bbox for line in p_doc.lines]
        assert all(isinstance(line.bbox, tuple) for line in p_copy.lines if line.bbox is not None)
    text = doc.text
    for start in range(0, len(text), max(1, len(text) // 40)):
        assert copy.locate(start, start + 7) == doc.locate(start, start + 7)


def _fields(doc: Document) -> dict:
    agreement = extract_agreement(doc)
    out = {"agreement_type": agreement.agreement_type}
    for name in FIELD_NAMES:
        item = agreement.fields[name]
        out[name] = None if item is None else (item.value, item.text, item.page, item.bbox, item.confidence)
    return out


def _make(kind: str, tmp_path):
    if kind == "pdf":
        return render_pdf(LOAN.blocks, tmp_path / "loan.pdf", seal=LOAN.seals, seed=7)
    if kind == "docx":
        return render_docx(LEASE.blocks, tmp_path / "lease.docx", header=f"合同编号：{LEASE.contract_no}")
    return render_text(LAND.blocks, tmp_path / "land.txt")


@pytest.mark.parametrize("kind", ["pdf", "docx", "text"])
def test_round_trip_keeps_text_boxes_and_extraction(tmp_path, null_settings, kind):
    doc = read_document(_make(kind, tmp_path), null_settings)
    assert doc.status == "ok", doc.errors
    data = doc.to_dict()
    _assert_plain_json(data)
    assert data["version"] == SERIAL_VERSION == 1
    assert "text" not in data and "spans" not in data  # derived state is rebuilt, not stored
    copy = _round_trip(doc)
    _assert_same_document(copy, doc)
    if kind == "pdf":
        assert copy.seals and all(seal.bbox is not None for _, seal in copy.seals)
        assert all(line.bbox is not None for page in copy.pages for line in page.lines)
    before, after = _fields(doc), _fields(copy)
    assert sum(v is not None for k, v in before.items() if k != "agreement_type") >= 5, before
    assert after == before


def test_round_trip_of_an_ocr_page_keeps_words_sheet_dpi_rotation(tmp_path):
    from corpus.render import photo_effects

    path = tmp_path / "photo.jpg"
    photo_effects(render_page_images(LEASE.blocks, dpi=100)[0], seed=2, size=(900, 1200)).save(path, quality=90)
    doc = read_document(path, IngestSettings.from_env(ocr_engine="echo"))
    page = doc.pages[0]
    assert page.sheet is not None and page.lines and page.lines[0].words
    page.rotation = 90  # as if the page had been turned upright
    copy = _round_trip(doc)
    _assert_same_document(copy, doc)
    assert copy.pages[0].sheet == page.sheet and copy.pages[0].rotation == 90
    assert copy.pages[0].lines[0].words == page.lines[0].words and copy.ocr_engine == "echo"


def test_round_trip_of_a_failed_and_a_merged_document(tmp_path, null_settings):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    failed = read_document(broken, null_settings)
    assert failed.status == "failed" and failed.errors
    _assert_same_document(_round_trip(failed), failed)

    first = read_document(render_text(LAND.blocks, tmp_path / "a.txt"), null_settings)
    second = read_document(render_pdf(LOAN.blocks, tmp_path / "b.pdf", seed=1), null_settings)
    merged = merge_documents([first, second])
    _assert_same_document(_round_trip(merged), merged)


def test_numpy_values_become_plain_json():
    doc = Document(
        SourceInfo(path="x.png", name="x.png", sha256="ab", size=10, format="image"),
        pages=[
            Page(
                number=1, kind="ocr", unit="px", width=np.int64(1000), height=np.int32(1400), dpi=np.float64(300.0),
                lines=[Line("甲方", bbox=tuple(np.float32(v) for v in (1.5, 2.25, 30.5, 12.75)),
                            confidence=np.float32(0.875), origin="ocr",
                            words=[Word("甲方", (np.float32(1.5), 2.25, 30.5, 12.75), np.float64(0.875))])],
                seals=[Seal(bbox=(10.0, 20.0, 110.0, 120.0), score=np.float64(0.93), covers_text=np.bool_(True))],
            )
        ],
        timings={"ingest_s": np.float64(1.25), "pages": 1},
    )
    data = doc.to_dict()
    _assert_plain_json(data)
    copy = _round_trip(doc)
    assert copy == doc and copy.locate(0, 2) == (1, (1.5, 2.25, 30.5, 12.75))


def test_from_dict_checks_the_version_and_ignores_unknown_keys(tmp_path, null_settings):
    doc = read_document(render_text(LAND.blocks, tmp_path / "land.txt"), null_settings)
    data = doc.to_dict()
    data["future_key"] = {"anything": 1}
    data["pages"][0]["future_key"] = 2
    assert Document.from_dict(data) == doc
    for bad in ({**data, "version": 99}, {k: v for k, v in data.items() if k != "version"}, [], {"version": 1}):
        with pytest.raises(ValueError):
            Document.from_dict(bad)
