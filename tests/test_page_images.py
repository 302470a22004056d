"""Page images in the frame of the boxes (ingest.pages): a line's box, scaled, must land on its
ink — for digital and scanned PDFs, phone photos, EXIF-rotated and turned-upright pages, and
multi-page TIFFs. Files come from the demo batch (corpus.demo) or are drawn here; tests
marked ``ocr`` run the real OCR model."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from corpus.demo import build_demo_batch
from corpus.render import render_docx, render_text
from corpus.samples import LAND, LEASE
from ingest import IngestSettings, read_document, register_engine
from ingest.document import Document
from ingest.ocr.base import OcrLine
from ingest.pages import draw_boxes, has_page_image, page_image

ECHO_BOX_PX = (10, 10, 200, 40)  # where the "echo" test engine (conftest) reports its one line


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> dict[str, object]:
    files = build_demo_batch(tmp_path_factory.mktemp("demo"))
    return {path.name[:2]: path for path in files}


def _dark_share(image: Image.Image, box, scale: float) -> float:
    """Share of clearly dark pixels inside ``box`` (page units) scaled onto ``image``."""
    x0, y0, x1, y1 = (round(v * scale) for v in box)
    gray = np.asarray(image.convert("L"))[y0:y1, x0:x1]
    assert gray.size, (box, scale, image.size)
    return float((gray < 110).mean())


def _inside(box, scale: float, image: Image.Image, slack: float = 2.0) -> bool:
    x0, y0, x1, y1 = (v * scale for v in box)
    return -slack <= x0 < x1 <= image.width + slack and -slack <= y0 < y1 <= image.height + slack


def _check_lines(path, doc: Document) -> int:
    """Every line (and word) box of every page lies inside the page image and covers ink, and
    the boxes hold far more ink than the page as a whole; returns the number of lines."""
    checked = 0
    for page in doc.pages:
        image, scale = page_image(path, doc, page.number)
        assert image.mode == "RGB" and max(image.size) == 1600
        assert abs(image.width - page.width * scale) <= 2 and abs(image.height - page.height * scale) <= 2
        shares = []
        for line in page.lines:
            assert _inside(line.bbox, scale, image), (line.text, line.bbox, scale, image.size)
            shares.append(_dark_share(image, line.bbox, scale))
            assert shares[-1] > 0.005, (page.number, line.text, line.bbox)
            for word in line.words:
                assert _dark_share(image, word.bbox, scale) > 0.005, (page.number, word.text, word.bbox)
        if shares:
            page_share = float((np.asarray(image.convert("L")) < 110).mean())
            assert float(np.median(shares)) > max(0.03, 1.3 * page_share), (page.number, np.median(shares), page_share)
        checked += len(shares)
    return checked


# -- PDF ---------------------------------------------------------------------------------------------
def test_digital_pdf_lines_and_seals_land_on_ink(demo, null_settings):
    path = demo["05"]
    doc = read_document(path, null_settings)
    assert doc.page_kinds == ["text"] * len(doc.pages)
    assert _check_lines(path, doc) >= 20
    # the seal's box holds the red seal
    page_no, seal = doc.seals[0]
    image, scale = page_image(path, doc, page_no)
    x0, y0, x1, y1 = (round(v * scale) for v in seal.bbox)
    rgb = np.asarray(image)[y0:y1, x0:x1].astype(int)
    assert ((rgb[:, :, 0] - rgb[:, :, 1]) > 80).mean() > 0.05
    # a blank stretch of margin is blank: the check above can fail
    assert _dark_share(image, (0, 0, 30, 30), scale) == 0.0


def test_pdf_page_rotate_is_the_frame_of_the_text_layer(tmp_path, demo, null_settings):
    """A digital page with /Rotate 90 or 270: pdfplumber's boxes and the rendering agree."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(demo["05"]))
    pdf[0].set_rotation(90)
    pdf[1].set_rotation(270)
    path = tmp_path / "rotated.pdf"
    pdf.save(str(path))
    pdf.close()
    doc = read_document(path, null_settings)
    assert all(page.kind == "text" and page.width > page.height for page in doc.pages)
    assert _check_lines(path, doc) >= 20


@pytest.mark.ocr
def test_scanned_pdf_ocr_lines_land_on_ink(demo):
    path = demo["01"]
    doc = read_document(path, IngestSettings.from_env(ocr_engine="rapidocr"))
    assert doc.page_kinds == ["ocr"] * len(doc.pages)
    assert _check_lines(path, doc) >= 20


# -- photos and images -------------------------------------------------------------------------------
@pytest.mark.ocr
def test_phone_photo_is_the_straightened_sheet(demo):
    path = demo["03"]
    doc = read_document(path, IngestSettings.from_env(ocr_engine="rapidocr"))
    page = doc.pages[0]
    assert page.sheet is not None
    assert _check_lines(path, doc) >= 20
    full, scale = page_image(path, doc, 1, max_side=max(page.width, page.height))
    assert scale == 1.0 and full.size == (page.width, page.height)


def test_phone_photo_size_without_ocr(demo):
    path = demo["03"]
    doc = read_document(path, IngestSettings.from_env(ocr_engine="echo"))
    page = doc.pages[0]
    assert page.sheet is not None and page.rotation == 0
    with Image.open(path) as photo:
        assert photo.size != (page.width, page.height)  # the photo frame, not the sheet
    full, scale = page_image(path, doc, 1, max_side=10_000)
    assert scale == 1.0 and full.size == (page.width, page.height)
    small, scale = page_image(path, doc, 1, max_side=800)
    assert max(small.size) == 800 and abs(small.width - page.width * scale) <= 1


def _inked(size: tuple[int, int], box) -> Image.Image:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).rectangle(box, fill="black")
    return image


def test_exif_orientation_is_applied(tmp_path):
    upright = _inked((600, 800), ECHO_BOX_PX)
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display": store the upright page turned back
    path = tmp_path / "phone.jpg"
    upright.transpose(Image.Transpose.ROTATE_90).save(path, exif=exif.tobytes(), quality=95)
    doc = read_document(path, IngestSettings.from_env(ocr_engine="echo"))
    image, scale = page_image(path, doc, 1)
    assert image.size == (600, 800) and scale == 1.0
    assert _dark_share(image, doc.pages[0].lines[0].bbox, scale) > 0.9


def test_multipage_tiff_frames(tmp_path):
    first = _inked((600, 800), (300, 600, 400, 700))
    second = _inked((600, 800), ECHO_BOX_PX)
    path = tmp_path / "scan.tif"
    first.save(path, save_all=True, append_images=[second], compression="tiff_deflate")
    doc = read_document(path, IngestSettings.from_env(ocr_engine="echo"))
    assert len(doc.pages) == 2
    one, s1 = page_image(path, doc, 1)
    two, s2 = page_image(path, doc, 2)
    assert _dark_share(one, doc.pages[0].lines[0].bbox, s1) == 0.0
    assert _dark_share(two, doc.pages[1].lines[0].bbox, s2) > 0.9
    with pytest.raises(ValueError):
        page_image(path, doc, 3)


class SidewaysEngine:
    """Sees three vertical text lines on a portrait image (a page scanned on its side) and, once
    the page is turned to landscape, one line where the echo engine puts it."""

    name = "sideways"

    def __init__(self, max_side: int = 2000, **_options):
        self.max_side = max_side

    def read(self, image):
        h, w = image.shape[:2]
        if h > w:
            return [OcrLine("竖", np.array([[x, 100], [x + 30, 100], [x + 30, 500], [x, 500]], np.float32), 0.9)
                    for x in (100, 200, 300)]
        x0, y0, x1, y1 = ECHO_BOX_PX
        return [OcrLine("扫描页文字", np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32), 0.9)]

    def detect(self, image):
        return [line.quad for line in self.read(image)]

    def recognize(self, crops):
        return [("竖", 0.9) for _ in crops]


register_engine(SidewaysEngine.name, SidewaysEngine)


@pytest.mark.parametrize("container", ["png", "pdf"])
def test_page_turned_upright_by_the_reader(tmp_path, monkeypatch, container):
    """The reader turned the page 90° clockwise before reading: so does page_image."""
    import ingest.vision

    monkeypatch.setattr(ingest.vision, "_best_turn", lambda crops, candidates, engine: (90, 1.0))
    height = 1000
    # ink that lands on ECHO_BOX_PX once the portrait page is turned 90° clockwise
    portrait = _inked((700, height), (10, height - 201, 40, height - 11))
    if container == "png":
        path = tmp_path / "sideways.png"
        portrait.save(path)
    else:
        from fpdf import FPDF

        image_path = tmp_path / "sideways.png"
        portrait.save(image_path)
        pdf = FPDF(unit="pt", format=(700 * 72 / 300, height * 72 / 300))
        pdf.add_page()
        pdf.image(str(image_path), x=0, y=0, w=700 * 72 / 300, h=height * 72 / 300)
        path = tmp_path / "sideways.pdf"
        pdf.output(str(path))
    doc = read_document(path, IngestSettings.from_env(ocr_engine="sideways"))
    page = doc.pages[0]
    assert page.kind == "ocr" and page.rotation == 90 and page.width > page.height, page
    image, scale = page_image(path, doc, 1, max_side=height)
    assert image.width > image.height
    assert _inside(page.lines[0].bbox, scale, image)
    assert _dark_share(image, page.lines[0].bbox, scale) > 0.8


# -- pages without an image, wrong files ---------------------------------------------------------------
def test_docx_and_text_pages_have_no_image(tmp_path, null_settings):
    for path in (render_docx(LEASE.blocks, tmp_path / "a.docx"), render_text(LAND.blocks, tmp_path / "a.txt")):
        doc = read_document(path, null_settings)
        assert not has_page_image(doc, 1)
        with pytest.raises(ValueError, match="no image"):
            page_image(path, doc, 1)


def test_errors_are_clear(tmp_path, demo, null_settings):
    doc = read_document(demo["05"], null_settings)
    assert has_page_image(doc, 1) and not has_page_image(doc, 99)
    with pytest.raises(ValueError, match="no page 99"):
        page_image(demo["05"], doc, 99)
    with pytest.raises(FileNotFoundError):
        page_image(tmp_path / "gone.pdf", doc, 1)
    other = tmp_path / "other.pdf"
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format=(300, 300))
    pdf.add_page()
    pdf.output(str(other))
    with pytest.raises(ValueError, match="recorded"):
        page_image(other, doc, 1)  # another file: its page is not the page the document recorded


# -- drawing -------------------------------------------------------------------------------------------
def test_draw_boxes_with_chinese_labels():
    from ingest.fonts import cjk_font

    font = cjk_font(20)
    assert font.getmask("公").getbbox() and np.asarray(font.getmask("公")).tobytes() != np.asarray(
        font.getmask("章")
    ).tobytes()  # real glyphs, not the same missing-glyph box
    image = Image.new("RGB", (400, 300), "white")
    out = draw_boxes(image, [((50, 60, 150, 120), "公章", "red"), ((10, 10, 20, 20), None, (0, 0, 255)),
                             (None, "skipped", "green")], scale=2.0)
    assert out is not image and np.asarray(image).min() == 255  # the input is left alone
    arr = np.asarray(out).astype(int)
    red = (arr[:, :, 0] > 200) & (arr[:, :, 1] < 60) & (arr[:, :, 2] < 60)
    # the outline surrounds the scaled box (100, 120)-(300, 240), about 3 px wide, outside it
    assert red[180, 97:100].all() and not red[180, 100:103].any()
    assert red[242, 200] and not red[180, 200]
    # the label tab sits above the box and carries white text
    tab = arr[95:117, 97:160]
    assert ((tab[:, :, 0] > 200) & (tab[:, :, 1] < 60)).mean() > 0.3
    assert ((tab > 200).all(axis=2)).sum() > 10
    blue = (arr[:, :, 2] > 200) & (arr[:, :, 0] < 60)
    assert blue[30, 17:20].all()
    assert not ((arr[:, :, 1] > 100) & (arr[:, :, 0] < 60) & (arr[:, :, 2] < 60)).any()  # no green
