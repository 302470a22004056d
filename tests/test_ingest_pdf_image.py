"""PDF (digital, scanned, mixed) and images (scans, photos, rotated, sealed, multi-page TIFF).

Fixtures are rendered at test time from the hand-written samples by corpus/render.py (Chinese
fonts from the pylopdf-fonts-zh-cn package; nothing downloaded). Tests marked ``ocr`` run the
real PP-OCRv6 model; they are kept to a handful of pages.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pytest
from PIL import Image

from evaluation.evaluate import cer
from corpus.render import (
    render_mixed_pdf,
    render_page_images,
    render_pages,
    render_pdf,
    render_scanned_pdf,
    scan_effects,
)
from corpus.samples import LEASE, LOAN
from ingest import IngestSettings, read_document

A4_PT = (595.28, 841.89)


@pytest.fixture(scope="session")
def ocr_settings() -> IngestSettings:
    return IngestSettings.from_env(ocr_engine="rapidocr")


@pytest.fixture(scope="session")
def lease_pages():
    return render_pages(LEASE.blocks, dpi=300, seal=LEASE.seals, seed=3)


def _inside(box, width, height, slack=2.0):
    x0, y0, x1, y1 = box
    return -slack <= x0 < x1 <= width + slack and -slack <= y0 < y1 <= height + slack


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# -- digital PDF ------------------------------------------------------------------------------
def test_digital_pdf_text_layer(tmp_path, null_settings):
    path = tmp_path / "lease.pdf"
    render_pdf(LEASE.blocks, path, seal=LEASE.seals, seed=1)
    doc = read_document(path, null_settings)
    assert doc.status == "ok", doc.errors
    assert doc.source.format == "pdf"
    assert doc.page_kinds == ["text"] * len(doc.pages) and len(doc.pages) >= 2
    expected = "".join(line for page in render_pages(LEASE.blocks).texts() for line in page)
    assert cer(expected, doc.text) < 0.01
    for page in doc.pages:
        assert page.unit == "pt"
        for line in page.lines:
            assert line.origin == "text" and _inside(line.bbox, page.width, page.height)
    # the seal image over the signature block is seen, in PDF points, on the last page
    assert doc.seals, "the red seal on the last page was not found"
    page_no, seal = doc.seals[0]
    assert page_no == len(doc.pages)
    assert _inside(seal.bbox, *A4_PT)


def test_locate_quotes_evidence_on_the_page(tmp_path, null_settings):
    path = tmp_path / "lease.pdf"
    render_pdf(LEASE.blocks, path, seed=1)
    doc = read_document(path, null_settings)
    start = doc.text.index("青山镇人民政府")
    page, box = doc.locate(start, start + len("青山镇人民政府"))
    assert page == 1 and box is not None
    assert _inside(box, *A4_PT)


def test_scanned_pdf_pages_go_to_ocr(tmp_path):
    path = tmp_path / "scan.pdf"
    render_scanned_pdf(LOAN.blocks, path, seed=2, seal=LOAN.seals)
    doc = read_document(path, IngestSettings.from_env(ocr_engine="echo"))
    assert doc.page_kinds == ["ocr"] * len(doc.pages)
    assert all(page.dpi and page.dpi >= 290 for page in doc.pages)  # rendered at ~300 dpi
    # OCR boxes of PDF pages come back in PDF points
    for page in doc.pages:
        assert page.unit == "pt" and abs(page.width - A4_PT[0]) < 2
        assert all(_inside(line.bbox, page.width, page.height) for line in page.lines)


def test_mixed_pdf_is_decided_page_by_page(tmp_path):
    path = tmp_path / "mixed.pdf"
    render_mixed_pdf(LOAN.blocks, path, seed=4, seal=LOAN.seals)
    doc = read_document(path, IngestSettings.from_env(ocr_engine="echo"))
    assert doc.page_kinds[0] == "text" and "ocr" in doc.page_kinds[1:]
    assert "国有资产出借协议" in doc.pages[0].text
    assert doc.pages[1].text == "扫描页文字"  # the echo engine's line: page 2 went through OCR


def test_garbled_text_layer_falls_back(tmp_path):
    from ingest.backends.pdf import text_quality

    assert text_quality("出租方（甲方）：青山镇人民政府") > 0.9
    assert text_quality("(cid:12)(cid:55)(cid:98)(cid:3)(cid:77)") < 0.3
    assert text_quality("ZOq5 kJ8w Qx7z Pq3R mN4b tY6u") < 0.5
    assert text_quality("Hello world, this is a lease agreement") > 0.9


# -- images -------------------------------------------------------------------------------------
def test_exif_orientation_is_honoured(tmp_path, null_settings):
    img = Image.new("RGB", (300, 200), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    path = tmp_path / "phone.jpg"
    img.save(path, exif=exif.tobytes())
    doc = read_document(path, IngestSettings.from_env(ocr_engine="echo"))
    page = doc.pages[0]
    assert (page.width, page.height) == (200, 300)  # upright: portrait
    assert page.unit == "px"


def test_multipage_tiff(tmp_path):
    images = render_page_images(LEASE.blocks, dpi=100)
    path = tmp_path / "scan.tif"
    images[0].save(path, save_all=True, append_images=images[1:], compression="tiff_deflate")
    doc = read_document(path, IngestSettings.from_env(ocr_engine="echo"))
    assert doc.source.format == "image"
    assert len(doc.pages) == len(images) == 2
    assert doc.page_kinds == ["ocr", "ocr"]


def test_cmyk_and_16bit_images_are_converted(tmp_path):
    rgb = Image.new("RGB", (120, 80), "white")
    cmyk = tmp_path / "cmyk.jpg"
    rgb.convert("CMYK").save(cmyk)
    gray16 = tmp_path / "g16.png"
    Image.fromarray((np.ones((80, 120)) * 40000).astype(np.uint16)).save(gray16)
    for path in (cmyk, gray16):
        doc = read_document(path, IngestSettings.from_env(ocr_engine="echo"))
        assert doc.status == "ok", doc.errors


# -- the real OCR model -------------------------------------------------------------------------
@pytest.mark.ocr
def test_clean_300dpi_scan_reads_99_percent(tmp_path, lease_pages, ocr_settings):
    """Acceptance: OCR on a clean 300-dpi A4 scan of a typed agreement reads ≥ 99 % of characters."""
    page1 = lease_pages.images[0]
    path = tmp_path / "clean.png"
    page1.save(path, dpi=(300, 300))
    doc = read_document(path, ocr_settings)
    reference = "".join(lease_pages.texts()[0])
    error = cer(reference, doc.text)
    assert error <= 0.01, f"CER {error:.4f}"
    assert doc.pages[0].rotation == 0


@pytest.mark.ocr
def test_seal_over_text_is_found_and_the_text_under_it_read(tmp_path, lease_pages, ocr_settings):
    last = len(lease_pages.images) - 1
    seal_boxes = [s for s in lease_pages.seals if s.page == last]
    assert seal_boxes, "fixture: the lease has its seal on the last page"
    path = tmp_path / "signed.png"
    lease_pages.images[last].save(path)
    doc = read_document(path, ocr_settings)
    page = doc.pages[0]
    assert page.seals, "seal not detected"
    found = page.seals[0]
    truth = seal_boxes[0].bbox(300)
    # the detected seal lies where the seal was stamped
    cx, cy = (found.bbox[0] + found.bbox[2]) / 2, (found.bbox[1] + found.bbox[3]) / 2
    assert truth[0] <= cx <= truth[2] and truth[1] <= cy <= truth[3], (found.bbox, truth)
    assert found.covers_text
    # the signature line under the seal is still read
    lines_under = [
        "".join(t.split()) for t, box in zip(lease_pages.texts()[last], lease_pages.boxes()[last])
        if min(box[2], truth[2]) > max(box[0], truth[0]) and min(box[3], truth[3]) > max(box[1], truth[1])
    ]
    assert lines_under, "fixture: the seal should cover a text line"
    from rapidfuzz import fuzz

    text = _fold(doc.text)
    for line in lines_under:
        # the best-matching stretch of the reading agrees with the line on ≥ 90 % of characters
        assert fuzz.partial_ratio(_fold(line), text) >= 90, (line, doc.text)


@pytest.mark.ocr
@pytest.mark.parametrize("turn", [90, 180])
def test_rotated_scan_is_turned_upright(tmp_path, lease_pages, ocr_settings, turn):
    page = scan_effects(lease_pages.images[0], seed=5, rotate90=turn)
    path = tmp_path / "rotated.jpg"
    page.save(path, quality=90)
    doc = read_document(path, ocr_settings)
    assert (doc.pages[0].rotation + turn) % 360 == 0, doc.pages[0].rotation
    width, height = doc.pages[0].width, doc.pages[0].height
    assert height > width  # portrait again
    assert doc.pages[0].lines[0].text.replace(" ", "").startswith("门面房屋租赁合同")
    assert cer("".join(lease_pages.texts()[0]), doc.text) < 0.03


@pytest.mark.ocr
def test_mixed_pdf_with_real_ocr(tmp_path, ocr_settings):
    path = tmp_path / "mixed.pdf"
    render_mixed_pdf(LOAN.blocks, path, seed=4, seal=LOAN.seals)
    doc = read_document(path, ocr_settings)
    assert doc.status == "ok"
    assert doc.page_kinds[0] == "text" and doc.page_kinds[-1] == "ocr"
    expected = render_pages(LOAN.blocks).texts()
    ocr_page = doc.pages[-1]
    assert cer("".join(expected[-1]), ocr_page.text) < 0.05
    assert any(s for _, s in doc.seals)


def test_garbled_text_layer_over_a_scan_falls_back_to_ocr(tmp_path, lease_pages):
    """A scan with a text layer that decodes to garbage (a GBK font without ToUnicode reads like
    'ZOq5') is not trusted: the page is read by OCR."""
    from fpdf import FPDF

    image = tmp_path / "page.jpg"
    lease_pages.images[0].convert("RGB").resize((1240, 1754)).save(image, quality=80)
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.image(str(image), x=0, y=0, w=A4_PT[0], h=A4_PT[1])
    pdf.set_font("helvetica", size=10)
    for i in range(30):
        pdf.text(40, 60 + 20 * i, "ZOq5 kJ8w Qx7z Pq3R mN4b tY6u Rk2T vB9n")
    path = tmp_path / "garbled.pdf"
    pdf.output(str(path))
    doc = read_document(path, IngestSettings.from_env(ocr_engine="echo"))
    assert doc.page_kinds == ["ocr"]
    assert "ZOq5" not in doc.text


def test_phone_photo_is_cropped_to_the_sheet_and_straightened(tmp_path, lease_pages):
    from corpus.render import photo_effects

    path = tmp_path / "photo.jpg"
    photo_effects(lease_pages.images[0], seed=2).save(path, quality=90)
    doc = read_document(path, IngestSettings.from_env(ocr_engine="echo"))
    page = doc.pages[0]
    assert page.sheet is not None and len(page.sheet) == 4
    assert 1.3 < page.height / page.width < 1.55  # an A4 sheet again, not the 3:4 photo frame


def test_scans_are_not_cropped(tmp_path, lease_pages):
    path = tmp_path / "scan.png"
    scan_effects(lease_pages.images[0], seed=2).save(path)
    doc = read_document(path, IngestSettings.from_env(ocr_engine="echo"))
    assert doc.pages[0].sheet is None


# -- speed work that must not change what is read (issue 13) --------------------------------------
def test_glyph_dedupe_keeps_what_pdfplumber_keeps(tmp_path):
    """ingest's O(n log n) dedupe keeps exactly the glyphs pdfplumber's quadratic one keeps, in
    the same order: on a page drawn with every glyph twice (a fake bold) and on a real one."""
    import pdfplumber
    from pdfplumber.utils import dedupe_chars

    from corpus.render import render_pdf
    from ingest.backends.pdf_layer import dedupe_chars as _dedupe_chars

    path = tmp_path / "lease.pdf"
    render_pdf(LEASE.blocks, path, seal=LEASE.seals, seed=1)
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            chars = page.chars
            doubled = [dict(c) for c in chars] + [{**c, "x0": c["x0"] + 0.4, "doctop": c["doctop"] + 0.3} for c in chars]
            assert _dedupe_chars(chars) == dedupe_chars(chars)
            kept = _dedupe_chars(doubled)
            assert kept == dedupe_chars(doubled) and len(kept) == len(chars)


def test_a_grey_page_has_no_seal_and_a_red_one_still_does(lease_pages):
    from ingest.vision import find_seals

    page = np.asarray(lease_pages.images[-1])  # the page with the seal
    assert find_seals(page)
    grey = np.repeat(np.asarray(Image.fromarray(page).convert("L"))[:, :, None], 3, axis=2)
    assert find_seals(grey) == []


def _whole_image_seals(monkeypatch, image):
    """find_seals with its search box forced to the whole image (what it did before the box)."""
    from ingest import vision

    with monkeypatch.context() as patch:
        patch.setattr(vision, "_colour_crop", lambda coloured, shape, *args: (0, shape[0], 0, shape[1]))
        return vision.find_seals(image)


def _broken_ring_page(top: int, height: int = 842, width: int = 596) -> np.ndarray:
    """A white 72-dpi page with black text lines and a red ring whose top third was never
    stamped (the blob is wider than tall: its box is squared up over where the ring should be)."""
    import cv2

    page = np.full((height, width, 3), 255, np.uint8)
    for y in range(40, height - 40, 24):
        cv2.putText(page, "lease agreement between the two parties", (30, y), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1)
    centre = (300, top + 60)  # top < 0: stamped over the page's edge
    cv2.circle(page, centre, 60, (200, 30, 30), 6)
    cv2.putText(page, "SEAL", (268, top + 68), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (200, 30, 30), 2)
    page[max(0, top - 10) : top + 32, 220:380] = 255  # the unstamped top of the ring
    return page


def test_seal_search_looks_only_around_colour_and_finds_what_the_whole_page_shows(tmp_path, monkeypatch, lease_pages):
    """On a digital page, red is judged only in the box around its coloured pixels (the seal
    picture), not over the whole page; the seals found are exactly those a search of the whole
    image finds — on the digital page, on 300-dpi scans, on a photographed page and on pages
    whose seal box reaches past the coloured pixels (up to the page's edge or not)."""
    import pypdfium2

    from corpus.render import photo_effects
    from ingest import vision
    from ingest.backends.pdf import _render

    path = tmp_path / "lease.pdf"
    render_pdf(LEASE.blocks, path, seal=LEASE.seals, seed=1)
    pdf = pypdfium2.PdfDocument(str(path))
    digital, _ = _render(pdf[len(pdf) - 1], 72.0, 40_000_000)
    pdf.close()

    judged = []
    real_red_mask = vision.red_mask
    monkeypatch.setattr(vision, "red_mask", lambda arr, rel=None: judged.append(arr.shape[:2]) or real_red_mask(arr, rel))
    seals = vision.find_seals(digital)
    assert seals and len(judged) == 1
    assert judged[0][0] * judged[0][1] < 0.3 * digital.shape[0] * digital.shape[1]

    sealed = lease_pages.images[-1]
    images = [digital, np.asarray(sealed), np.asarray(scan_effects(sealed, seed=2)),
              np.asarray(photo_effects(sealed, seed=4, size=(1512, 2016)).convert("RGB")),
              _broken_ring_page(top=150), _broken_ring_page(top=-10)]
    for image in images:
        assert vision.find_seals(image) == _whole_image_seals(monkeypatch, image)
    assert all(vision.find_seals(image) for image in images[:2] + images[4:])
    # squared up over the missing top, above the coloured pixels (from row 182) and their margin
    assert vision.find_seals(images[4])[0].bbox[1] < 160
    assert vision.find_seals(images[5])[0].bbox[1] == 0  # … up to the page's edge


def test_a_seal_drawn_in_vectors_is_found_from_the_preview_alone(tmp_path, monkeypatch):
    """A seal drawn as red paths and red text (no picture) on a page of black text is found
    from one 72-dpi preview of the page, red judged only around the seal."""
    from fpdf import FPDF

    from ingest import vision
    from ingest.backends import pdf as pdf_backend

    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for i in range(30):
        pdf.text(60, 80 + 20 * i, "This lease is made between the lessor and the lessee on the date below.")
    pdf.set_draw_color(210, 30, 35)
    pdf.set_line_width(4)
    pdf.ellipse(380, 560, 120, 120)
    pdf.set_fill_color(210, 30, 35)
    pdf.star(440, 620, 18, 8, 5, style="F")
    pdf.set_text_color(210, 30, 35)
    pdf.set_font("helvetica", size=12)
    pdf.text(405, 665, "CONTRACT SEAL")
    path = tmp_path / "vector-seal.pdf"
    pdf.output(str(path))

    rendered, judged = [], []
    real_render, real_red_mask = pdf_backend._render, vision.red_mask
    monkeypatch.setattr(pdf_backend, "_render",
                        lambda page, dpi, pixels: rendered.append(dpi) or real_render(page, dpi, pixels))
    monkeypatch.setattr(vision, "red_mask", lambda arr, rel=None: judged.append(arr.shape[:2]) or real_red_mask(arr, rel))
    doc = read_document(path, IngestSettings.from_env(ocr_engine="null"))
    assert doc.status == "ok" and rendered == [72.0]
    (seal,) = doc.pages[0].seals
    x0, y0, x1, y1 = seal.bbox
    assert abs(x0 - 380) < 8 and abs(y0 - 560) < 8 and abs(x1 - 500) < 10 and abs(y1 - 680) < 10 and seal.covers_text
    assert len(judged) == 1 and judged[0][0] * judged[0][1] < 0.3 * A4_PT[0] * A4_PT[1]


def test_a_page_is_rendered_as_rgb_by_pdfium(tmp_path, monkeypatch):
    """Pages come out of pdfium in RGB order (no reversing copy of a BGR bitmap): red is red."""
    from fpdf import FPDF
    import pypdfium2

    from ingest.backends.pdf import _render

    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(230, 20, 40)
    pdf.rect(20, 20, 80, 40, style="F")
    path = tmp_path / "red.pdf"
    pdf.output(str(path))
    asked = []
    real = pypdfium2.PdfPage.render
    monkeypatch.setattr(pypdfium2.PdfPage, "render", lambda self, **kw: asked.append(kw) or real(self, **kw))
    doc = pypdfium2.PdfDocument(str(path))
    arr, scale = _render(doc[0], 72.0, 40_000_000)
    doc.close()
    assert asked and all(kw.get("rev_byteorder") for kw in asked)
    assert arr.dtype == np.uint8 and arr.shape[2] == 3 and arr.flags.c_contiguous
    y, x = int(40 / 25.4 * 72), int(60 / 25.4 * 72)
    assert tuple(arr[y, x]) == (230, 20, 40)


@pytest.mark.ocr
def test_openvino_and_onnxruntime_read_a_scan_alike(tmp_path, lease_pages, monkeypatch):
    """RapidOCR can run the wheel's own ONNX files on OpenVINO (faster) and then reads what ONNX
    Runtime reads; without OpenVINO it falls back to ONNX Runtime, which stays the default."""
    pytest.importorskip("openvino")
    from ingest.ocr import rapid

    page = np.asarray(lease_pages.images[0])[:1200]  # the top of the first page: title and parties
    readings = {}
    for runtime in rapid.RUNTIMES:
        engine = rapid.RapidOcrEngine(runtime=runtime)
        readings[runtime] = "".join(line.text for line in engine.read(page))
        assert engine.runtime == runtime
    assert cer(readings["onnxruntime"], readings["openvino"]) <= 0.01
    assert "门面房屋租赁合同" in readings["openvino"]

    monkeypatch.setattr(rapid, "_openvino_available", lambda: False)
    fallback = rapid.RapidOcrEngine(runtime="openvino")
    assert fallback.read(page) and fallback.runtime == "onnxruntime"
    with pytest.raises(ValueError, match="openvino, onnxruntime"):
        rapid.RapidOcrEngine(runtime="tensorrt")
    assert IngestSettings.from_env().ocr_runtime == "onnxruntime"
    monkeypatch.setenv("CONTRACT_REVIEW_OCR_RUNTIME", "openvino")
    assert IngestSettings.from_env().ocr_runtime == "openvino"


# -- digital pages without work the reader does not need (issue 13) -------------------------------
def _sample_pdfs(tmp_path):
    """Digital PDFs of every kind the tests have: generated ones (with and without a seal
    picture), the real documents under tests/data, and the torture corpus when present."""
    from pathlib import Path

    render_pdf(LEASE.blocks, tmp_path / "sealed.pdf", seal=LEASE.seals, seed=1)
    render_pdf(LOAN.blocks, tmp_path / "plain.pdf", seed=2)
    here = Path(__file__).resolve().parent
    torture = here.parent.parent / "shared" / "torture"
    return [tmp_path / "sealed.pdf", tmp_path / "plain.pdf", *sorted((here / "data").rglob("*.pdf")),
            *sorted(torture.glob("pdf/*.pdf"))[:40]]


def test_page_objects_are_pdfplumbers(tmp_path):
    """The glyph dicts built for the reader equal the ones pdfplumber builds, key for key."""
    from operator import itemgetter

    import pdfplumber

    from ingest.backends.pdf_layer import page_objects

    checked = 0
    for path in _sample_pdfs(tmp_path):
        try:
            fast, slow = pdfplumber.open(str(path)), pdfplumber.open(str(path))
        except Exception:
            continue  # broken or encrypted: the reader falls back to pdfium, nothing to compare
        with fast, slow:
            for a, b in list(zip(fast.pages, slow.pages))[:3]:
                try:
                    expected = b.parse_objects()
                except Exception:
                    continue
                got = page_objects(a)
                assert got.keys() == expected.keys() and got.get("char") == expected.get("char"), path.name
                place = itemgetter("object_type", "x0", "top", "x1", "bottom")
                for kind in got:  # the others take pdfplumber's own way (their streams compare by identity)
                    assert [place(o) for o in got[kind]] == [place(o) for o in expected[kind]], (path.name, kind)
                checked += 1
    assert checked >= 8


def test_a_grey_digital_page_is_not_rendered_and_a_sealed_one_is(tmp_path, monkeypatch):
    """A page with plenty of text drawn only in grey is neither rendered nor searched for seals
    (nothing on it can be red); the page with the seal picture still is, and its seal is found."""
    from ingest.backends import pdf as pdf_backend

    rendered = []
    real_render = pdf_backend._render
    monkeypatch.setattr(pdf_backend, "_render",
                        lambda page, dpi, pixels: rendered.append(dpi) or real_render(page, dpi, pixels))
    path = tmp_path / "lease.pdf"
    render_pdf(LEASE.blocks, path, seal=LEASE.seals, seed=1)
    doc = read_document(path, IngestSettings.from_env(ocr_engine="null"))
    assert doc.status == "ok" and len(doc.pages) == 2
    assert len(rendered) == 1  # the sealed page only
    assert not doc.pages[0].seals and doc.pages[-1].seals


def test_pages_judged_grey_render_grey(tmp_path):
    """Every page :func:`may_show_colour` calls grey renders with three equal channels (so the
    seal search would have found nothing on it), over the test and torture PDFs."""
    import pdfplumber
    import pypdfium2

    from ingest.backends.pdf import _render
    from ingest.backends.pdf_layer import may_show_colour, page_objects

    grey = 0
    for path in _sample_pdfs(tmp_path):
        try:
            plumber = pdfplumber.open(str(path))
            pdf = pypdfium2.PdfDocument(str(path))
        except Exception:
            continue
        with plumber:
            for index, page in list(enumerate(plumber.pages))[:3]:
                try:
                    objects = page_objects(page)
                except Exception:
                    continue
                if may_show_colour(page, objects):
                    continue
                try:
                    arr, _ = _render(pdf[index], 72.0, 40_000_000)
                except ValueError:  # a page pdfium cannot draw: the reader fails it either way
                    continue
                grey += 1
                assert np.array_equal(arr[:, :, 0], arr[:, :, 1]) and np.array_equal(arr[:, :, 1], arr[:, :, 2]), \
                    f"{path.name} page {index + 1}"
        pdf.close()
    assert grey >= 2


@pytest.mark.parametrize("colour", [(0,), (0.5,), (1,), (True,), (False,), (np.float32(0.5),), None, (None,), 0.3,
                                    (0.2, 0.2, 0.2), (0.9, 0.1, 0.1), (0, 0, 0, 0.7), (0.1, 0, 0, 0), ("P0",), ()])
def test_may_show_colour_judges_each_colour_as_grey_does(colour):
    """may_show_colour's quick look at a one-level colour agrees with _grey on every value a
    glyph or a path may carry (a bool or a NumPy number is no grey level)."""
    from types import SimpleNamespace

    from ingest.backends.pdf_layer import _grey, may_show_colour

    page = SimpleNamespace(page_obj=SimpleNamespace(annots=None, attrs={}, resources=None))
    for kind in ("char", "line"):
        objects = {kind: [{"non_stroking_color": (0,), "stroking_color": (0,)},
                          {"non_stroking_color": colour, "stroking_color": (0,)}]}
        assert may_show_colour(page, objects) is (not _grey(colour))
        objects[kind][1] = {"non_stroking_color": (0,), "stroking_color": colour}
        assert may_show_colour(page, objects) is (not _grey(colour))


def test_may_show_colour_sees_red_lines_and_pictures(tmp_path):
    """A red rule, a red word and a picture each make a page one that may show colour."""
    from fpdf import FPDF
    import pdfplumber

    from ingest.backends.pdf_layer import may_show_colour, page_objects

    def made(draw) -> bool:
        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.cell(text="Lease agreement between two parties, signed and sealed.")
        draw(pdf)
        path = tmp_path / "page.pdf"
        pdf.output(str(path))
        with pdfplumber.open(str(path)) as plumber:
            page = plumber.pages[0]
            return may_show_colour(page, page_objects(page))

    def red_rule(pdf):
        pdf.set_draw_color(220, 20, 20)
        pdf.line(20, 100, 120, 100)

    def red_word(pdf):
        pdf.set_text_color(220, 20, 20)
        pdf.cell(text="SEAL")

    def picture(pdf):
        pdf.image(Image.new("RGB", (40, 40), (200, 200, 200)), x=20, y=120, w=30)

    assert made(lambda pdf: None) is False
    assert made(red_rule) and made(red_word) and made(picture)
