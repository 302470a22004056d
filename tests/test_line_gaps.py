"""Column breaks and spaces between OCR boxes are judged in character sizes, whatever size of
image the detector saw: a smaller detection image (``ocr_det_max_side``) pads boxes taller, and
judged by their padded height a table's column break read as a space (a party's name ran into the
next cell's, 「梅安县职业技术学校 梅安达源…」)."""

import numpy as np

from ingest.ocr.base import OcrLine
from ingest.vision import BOX_HEIGHT_PER_CHAR, group_lines

PITCH = 33.0  # one Chinese character's advance in pixels (a 200 dpi scan)


def _box(text: str, x: float, y: float, height: float) -> OcrLine:
    width = PITCH * len(text)
    top, bottom = y - height / 2, y + height / 2
    return OcrLine(text, np.array([[x, top], [x + width, top], [x + width, bottom], [x, bottom]], dtype=np.float32), 0.99)


def _page(height_per_char: float) -> list[OcrLine]:
    """A party table's row (label, two cells a column break apart) under a few lines of text."""
    h = height_per_char * PITCH
    items = [_box("本合同由下列双方于县城签订", 100, 100 + 60 * k, h) for k in range(4)]
    label = _box("名称（姓名）", 100, 400, h)
    first = _box("梅安县职业技术学校", label.bbox[2] + 2.6 * PITCH, 400, h)
    second = _box("梅安达源信息技术有限责任公司", first.bbox[2] + 2.6 * PITCH, 400, h)
    return items + [label, first, second]


def _row(lines):
    return next(line.text for line in lines if line.text.startswith("名称"))


def test_a_column_break_stays_a_column_break_when_the_boxes_come_back_padded():
    padded = _row(group_lines(_page(1.45)))  # as PP-OCR's boxes are on a 960-pixel detection image
    assert padded == "名称（姓名）\t梅安县职业技术学校\t梅安达源信息技术有限责任公司"


def test_boxes_drawn_at_full_resolution_are_judged_as_before():
    full = _row(group_lines(_page(BOX_HEIGHT_PER_CHAR)))
    assert full == "名称（姓名）\t梅安县职业技术学校\t梅安达源信息技术有限责任公司"
    # a gap of one and a half characters is a space, at either size
    items = [_box("本合同由下列双方于县城签订", 100, 100 + 60 * k, BOX_HEIGHT_PER_CHAR * PITCH) for k in range(4)]
    a = _box("第三条", 100, 400, 1.45 * PITCH)
    b = _box("租金", a.bbox[2] + 1.5 * PITCH, 400, 1.45 * PITCH)
    assert _row_of(group_lines(items + [a, b]), "第三条") == "第三条 租金"


def _row_of(lines, start):
    return next(line.text for line in lines if line.text.startswith(start))
