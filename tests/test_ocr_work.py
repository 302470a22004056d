"""How much OCR work a page costs: detection on a bounded image, recognition batched, a page on its
side recognised once (upright), a blank page never recognised. Behaviour, not timings."""

from __future__ import annotations

import numpy as np
import pytest

from ingest import IngestSettings
from ingest.ocr.base import OcrLine
from ingest.ocr.rapid import RapidOcrEngine
from ingest.vision import read_page_image


# -- the order of work in ingest.vision (a fake engine) -------------------------------------------------
class CountingEngine:
    """Finds three vertical lines on a portrait page (text lying on its side) and six lines across
    a landscape one; records the shape of every image whose lines it is asked to recognise."""

    name = "counting"

    def __init__(self):
        self.recognised_on: list[tuple[int, int]] = []
        self.detected_on: list[tuple[int, int]] = []
        self.crops = 0

    def detect(self, image):
        h, w = image.shape[:2]
        self.detected_on.append((h, w))
        if h > w:
            return [np.array([[x, 50], [x + 30, 50], [x + 30, 550], [x, 550]], np.float32) for x in (100, 200, 300)]
        return [np.array([[50, y], [550, y], [550, y + 30], [50, y + 30]], np.float32) for y in range(50, 350, 50)]

    def read_detected(self, image, quads):
        self.recognised_on.append(image.shape[:2])
        self.recognised_boxes = [np.asarray(q) for q in quads]
        return [OcrLine("横排文字", q, 0.95) for q in quads]

    def read(self, image):
        return self.read_detected(image, self.detect(image))

    def recognize(self, crops):
        self.crops += len(crops)
        return [("竖", 0.9) for _ in crops]


def test_page_on_its_side_is_recognised_once_upright():
    engine = CountingEngine()
    portrait = np.full((800, 600, 3), 255, np.uint8)
    reading = read_page_image(portrait, engine, seals=False)
    assert reading.rotation in (90, 270)
    assert (reading.width, reading.height) == (800, 600)
    # its lines were recognised on the turned (landscape) page only, never on its side, and the
    # boxes found on its side were turned with it: one detection, not a second on the turned page
    assert engine.recognised_on == [(600, 800)]
    assert engine.detected_on == [(800, 600)]
    assert len(reading.lines) == 3 and engine.crops <= 2 * 3  # the orientation probe: a few crops, both ways
    for quad in engine.recognised_boxes:  # lying across the turned page, corners in reading order
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad
        assert x1 - x0 == 500 and y1 == y0 and y3 - y0 == 30 and x3 == x0 and (x2, y2) == (x1, y3)
        assert 0 <= x0 and x1 <= 800 and 0 <= y0 and y3 <= 600


def test_upright_page_costs_one_detection_and_one_recognition():
    engine = CountingEngine()
    landscape = np.full((600, 800, 3), 255, np.uint8)
    reading = read_page_image(landscape, engine, seals=False)
    assert reading.rotation == 0 and len(reading.lines) == 6
    assert engine.recognised_on == [(600, 800)] and engine.crops == 0


# -- the real engine (PP-OCRv6 small through rapidocr) -------------------------------------------------
def _spy_detector(engine: RapidOcrEngine) -> list[tuple[int, ...]]:
    """The shapes of the tensors the detection model is given."""
    detector = engine._get()._load_det_model()
    shapes: list[tuple[int, ...]] = []
    session = detector.session

    def spy(tensor):
        shapes.append(tuple(tensor.shape))
        return session(tensor)

    detector.session = spy
    return shapes


def _spy_recogniser(engine: RapidOcrEngine) -> list[int]:
    """How many crops each call of the recogniser is given."""
    inner = engine._get()
    calls: list[int] = []
    recognize_txt = inner.recognize_txt

    def spy(crops):
        calls.append(len(crops))
        return recognize_txt(crops)

    inner.recognize_txt = spy
    return calls


def _engine(**options) -> RapidOcrEngine:
    settings = IngestSettings.from_env(**options)
    return RapidOcrEngine(max_side=settings.ocr_max_side, threads=settings.ocr_threads,
                          det_max_side=settings.ocr_det_max_side, rec_batch=settings.ocr_rec_batch)


@pytest.mark.ocr
def test_detector_input_is_bounded(lease_page_300dpi):
    # by default detection sees the page scaled to ocr_max_side, as rapidocr sizes it (1408×2000)
    engine = _engine()
    shapes = _spy_detector(engine)
    assert len(engine.read(lease_page_300dpi)) > 10
    assert max(shapes[0][2:]) <= IngestSettings().ocr_max_side
    # ocr_det_max_side bounds it, and the page still reads
    small = _engine(ocr_det_max_side=960)
    shapes = _spy_detector(small)
    assert len(small.read(lease_page_300dpi)) > 10
    assert max(shapes[0][2:]) <= 960


@pytest.mark.ocr
def test_detector_is_given_exactly_rapidocrs_own_input_as_one_contiguous_array(lease_page_300dpi):
    # the lookup-table preprocessing must hand the model the very numbers rapidocr's own
    # (float64) normalisation gives, bit for bit, on a real page; and one contiguous block
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    engine = _engine()
    tensors: list[np.ndarray] = []
    detector = engine._get()._load_det_model()
    session = detector.session

    def spy(tensor):
        tensors.append(tensor)
        return session(tensor)

    detector.session = spy
    assert len(engine.detect(lease_page_300dpi)) > 10
    assert type(detector.get_preprocess()).__name__ == "LookupDetPreProcess"
    page, _ = engine._get().preprocess_img(lease_page_300dpi)
    own = DetPreProcess(detector.limit_side_len, detector.limit_type, detector.mean, detector.std)(page)
    given = tensors[0]
    assert given.dtype == own.dtype == np.float32 and given.shape == own.shape
    assert given.tobytes() == np.ascontiguousarray(own).tobytes()
    assert given.flags["C_CONTIGUOUS"]


@pytest.mark.ocr
def test_recognition_is_batched(lease_page_300dpi):
    engine = _engine()
    quads = engine.detect(lease_page_300dpi)[:6]
    xs = [(int(q[:, 0].min()), int(q[:, 0].max()), int(q[:, 1].min()), int(q[:, 1].max())) for q in quads]
    crops = [lease_page_300dpi[y0:y1, x0:x1] for x0, x1, y0, y1 in xs]
    calls = _spy_recogniser(engine)
    results = engine.recognize(crops)
    assert len(results) == len(crops) == 6
    assert calls == [6]  # one call for the six crops, not one a crop
    assert sum(1 for text, score in results if text and score > 0.5) >= 4


@pytest.mark.ocr
def test_blank_page_is_never_recognised():
    engine = _engine()
    calls = _spy_recogniser(engine)
    blank = np.full((3508, 2480, 3), 246, np.uint8)
    assert engine.read(blank) == []
    reading = read_page_image(blank, engine)
    assert reading.lines == [] and reading.rotation == 0
    assert calls == []


@pytest.fixture(scope="module")
def lease_page_300dpi() -> np.ndarray:
    from corpus.render import render_pages
    from corpus.samples import LEASE

    return np.asarray(render_pages(LEASE.blocks, dpi=300, seed=3).images[0].convert("RGB"))
