"""Phone photos: the sheet is found whole under uneven light, red seals are found under a warm
cast, dim light and perspective, red headings and rules are not taken for seals, and text that
runs to the right margin keeps its last characters.

Every image is drawn here (OpenCV shapes, Noto CJK from the pylopdf-fonts-zh-cn package);
only the last test runs the real OCR model.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from ingest.fonts import cjk_font
from ingest.vision import find_seals, find_sheet, red_mask, straighten_sheet

PAGE_W, PAGE_H = 1240, 1754  # A4 at 150 dpi
INK = (35, 35, 35)
SEAL_RED = (205, 38, 45)


def _page(lines: int = 14, margin: int = 110, size: int = 34, text: str = "甲方将村集体所有的鱼塘出租给乙方经营养殖") -> np.ndarray:
    """A white A4 page with lines of Chinese text that run from margin to margin."""
    img = Image.new("RGB", (PAGE_W, PAGE_H), "white")
    draw = ImageDraw.Draw(img)
    font = cjk_font(size, "serif")
    per_line = (PAGE_W - 2 * margin) // size
    for i in range(lines):
        row = (text * 4)[i % len(text) :][:per_line]
        draw.text((margin, 150 + i * int(size * 1.7)), row, font=font, fill=INK)
    return np.asarray(img).copy()


def _stamp_round(
    page: np.ndarray, centre: tuple[int, int], diameter: int, color=SEAL_RED, density: float = 0.8
) -> None:
    """Multiply a round seal (ring, five-pointed star, a few marks along the upper arc) onto the page."""
    h, w = page.shape[:2]
    alpha = np.zeros((h, w), np.float32)
    cx, cy = centre
    r = diameter // 2
    cv2.circle(alpha, centre, r, 1.0, max(3, int(r * 0.07)), cv2.LINE_AA)
    star = [
        (cx + (0.32 * r if k % 2 == 0 else 0.13 * r) * math.cos(math.radians(-90 + 36 * k)),
         cy + (0.32 * r if k % 2 == 0 else 0.13 * r) * math.sin(math.radians(-90 + 36 * k)))
        for k in range(10)
    ]
    cv2.fillPoly(alpha, [np.array(star, np.int32)], 1.0, cv2.LINE_AA)
    for k in range(11):  # the unit's name along the arc, as short strokes
        t = math.radians(-150 + 30 * k)
        x, y = cx + 0.72 * r * math.cos(t), cy + 0.72 * r * math.sin(t)
        cv2.rectangle(alpha, (int(x - r * 0.07), int(y - r * 0.09)), (int(x + r * 0.07), int(y + r * 0.09)), 1.0, 2)
    alpha *= density
    factor = 1.0 - alpha[..., None] * (1.0 - np.array(color, np.float32) / 255.0)
    page[:] = np.clip(page.astype(np.float32) * factor, 0, 255).astype(np.uint8)


def _photograph(
    page: np.ndarray,
    *,
    cast=(1.0, 0.86, 0.66),
    light_from_left: float = 0.55,
    desk=(150, 136, 120),
    phone_shadow: float = 0.0,
    seed: int = 0,
) -> np.ndarray:
    """The page as a phone sees it on a dark desk: tilted, perspective, uneven light falling
    off to the right, a warm cast, blur, noise and JPEG-like softness."""
    rng = np.random.default_rng(seed)
    W, H = 1500, 1900
    desk = np.zeros((H, W, 3), np.float32) + np.array(desk, np.float32)
    src = np.float32([[0, 0], [PAGE_W, 0], [PAGE_W, PAGE_H], [0, PAGE_H]])
    dst = np.float32([[150, 120], [1340, 165], [1390, 1760], [95, 1700]])
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(page.astype(np.float32), m, (W, H))
    inside = cv2.warpPerspective(np.ones(page.shape[:2], np.float32), m, (W, H))[..., None]
    f = warped * inside + desk * (1 - inside)
    xx = np.mgrid[0:H, 0:W][1].astype(np.float32) / W
    light = 1.0 - light_from_left * xx  # bright on the left, dim on the right
    if phone_shadow:  # the soft shadow of the phone over the lower right of the sheet
        shade = np.zeros((H // 4, W // 4), np.float32)
        cv2.ellipse(shade, (W // 4, H // 4), (W // 6, H // 8), 0, 0, 360, 1.0, -1)
        shade = cv2.resize(cv2.GaussianBlur(shade, (0, 0), W / 60), (W, H))
        light *= 1.0 - phone_shadow * shade
    f *= light[..., None] * np.array(cast, np.float32)
    f = cv2.GaussianBlur(f, (0, 0), 1.1)
    f += rng.normal(0, 3.0, f.shape).astype(np.float32)
    return np.clip(f, 0, 255).astype(np.uint8)


# -- the sheet -----------------------------------------------------------------------------------
def test_sheet_is_found_whole_when_one_side_lies_in_shadow():
    photo = _photograph(_page(), light_from_left=0.6)
    quad = find_sheet(photo)
    assert quad is not None
    truth = np.float32([[150, 120], [1340, 165], [1390, 1760], [95, 1700]])
    # every corner within 3 % of the page: a brightness threshold alone cut the dim right side off
    assert np.abs(quad - truth).max() < 0.03 * PAGE_H, quad.round(0).tolist()


def test_a_scan_without_desk_around_it_is_left_alone():
    assert find_sheet(_page()) is None


# -- seals ---------------------------------------------------------------------------------------
def _seal_page(centre=(820, 1300), **stamp) -> np.ndarray:
    page = _page()
    _stamp_round(page, centre, 300, **stamp)  # about 5 cm at 150 dpi, over the signature area
    return page


@pytest.mark.parametrize(
    "cast, light",
    [
        ((1.0, 0.86, 0.66), 0.55),  # warm indoor light, dim side
        ((1.0, 0.78, 0.52), 0.3),  # tungsten
        ((0.86, 0.95, 1.0), 0.6),  # cool daylight, deep shadow
    ],
)
def test_red_seal_on_a_warm_dim_perspective_photo_is_found(cast, light):
    photo = _photograph(_seal_page(), cast=cast, light_from_left=light)
    page = straighten_sheet(photo)
    seals = find_seals(page)
    assert seals, "the seal was not found"
    # the box is where the seal is, in the straightened page (it is about a quarter of the width)
    h, w = page.shape[:2]
    x0, y0, x1, y1 = max(seals, key=lambda s: s.score).bbox
    assert 0.15 * w < x1 - x0 < 0.4 * w
    assert x0 < 0.66 * w < x1 and y0 < 0.74 * h < y1


def test_pale_seal_in_the_phone_shadow_is_found():
    # the second party's seal on the right, under the shadow of the phone, on the dim side
    page = _seal_page(centre=(1000, 1350), color=(225, 95, 105), density=0.6)
    photo = _photograph(page, light_from_left=0.45, phone_shadow=0.45)
    assert find_seals(straighten_sheet(photo))


def test_square_seal_is_found():
    page = _page()
    cv2.rectangle(page, (700, 1200), (900, 1400), SEAL_RED, 9)
    for k in range(4):
        cv2.rectangle(page, (730 + 40 * k, 1240), (755 + 40 * k, 1360), SEAL_RED, 5)
    assert find_seals(_photograph(page, light_from_left=0.3))


def test_red_heading_and_rule_are_not_seals():
    page = _page()
    img = Image.fromarray(page)
    draw = ImageDraw.Draw(img)
    # a red-letter heading (红头) of large characters, and the red rule under it
    draw.text((160, 20), "村民委员会文件", font=cjk_font(110, "sans"), fill=SEAL_RED)
    page = np.asarray(img).copy()
    cv2.line(page, (110, 138), (PAGE_W - 110, 138), SEAL_RED, 6)
    # a short red heading and a red underline in the body
    img = Image.fromarray(page)
    ImageDraw.Draw(img).text((500, 1350), "附件", font=cjk_font(90, "sans"), fill=SEAL_RED)
    page = np.asarray(img).copy()
    cv2.line(page, (110, 1500), (700, 1500), SEAL_RED, 5)
    assert red_mask(page).any(), "fixture: red ink is on the page"
    assert find_seals(page) == []
    assert find_seals(straighten_sheet(_photograph(page, light_from_left=0.5))) == []


def test_warm_paper_and_brown_desk_are_not_seals():
    photo = _photograph(_page(), cast=(1.0, 0.75, 0.48), light_from_left=0.6)
    assert find_seals(photo) == []
    assert find_seals(straighten_sheet(photo)) == []


# -- text at the right margin --------------------------------------------------------------------
@pytest.mark.ocr
def test_line_reaching_the_right_margin_keeps_its_last_characters(tmp_path):
    from ingest import IngestSettings, read_document

    text = "甲方将村集体所有的鱼塘出租给乙方经营养殖期限为十年"
    page = _page(lines=6, margin=70, size=40, text=text)
    photo = _photograph(page, light_from_left=0.6)
    path = tmp_path / "photo.jpg"
    Image.fromarray(photo).save(path, quality=85)
    doc = read_document(path, IngestSettings.from_env(ocr_engine="rapidocr"))
    lines = [line.text.replace(" ", "") for line in doc.pages[0].lines]
    per_line = (PAGE_W - 2 * 70) // 40
    expected = [(text * 4)[i % len(text) :][:per_line] for i in range(6)]
    for want in expected:
        got = next((line for line in lines if line[:6] == want[:6]), None)
        assert got is not None, (want, lines)
        assert got[-3:] == want[-3:], (want, got)


def _bent_photo() -> tuple[np.ndarray, np.ndarray]:
    """A sheet whose right edge bows out (paper lifted from the desk), text to the right margin;
    returns the photo and the mask of the sheet in it."""
    page = _page(margin=60)
    h, w = page.shape[:2]
    yy, xx = np.mgrid[0:h, 0 : w + 60].astype(np.float32)
    bulge = 45 * np.sin(np.pi * yy / h)  # the middle of the right edge stands 45 px out
    mapx = xx * ((w - 1) / (w - 1 + bulge))
    bent = cv2.remap(page, mapx, yy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    sheet = cv2.remap(np.full((h, w), 255, np.uint8), mapx, yy, cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT)
    photo = np.zeros((h + 300, w + 360, 3), np.uint8) + np.array([150, 136, 120], np.uint8)
    region = photo[150 : 150 + h, 150 : 150 + w + 60]
    region[:] = np.where(sheet[..., None] > 0, bent, region)
    mask = np.zeros(photo.shape[:2], bool)
    mask[150 : 150 + h, 150 : 150 + w + 60] = sheet > 0
    return photo, mask


def test_bulging_sheet_edge_is_not_cut_off():
    photo, sheet = _bent_photo()
    quad = find_sheet(photo)
    assert quad is not None
    inside = cv2.fillConvexPoly(np.zeros(sheet.shape, np.uint8), quad.astype(np.int32), 1).astype(bool)
    # a straight side fitted across the bow cut off the ends of the middle lines
    assert (sheet & ~inside).sum() < 0.001 * sheet.sum()


def test_spaced_red_heading_characters_are_not_seals():
    # a red-letter heading set with wide spacing: every character is a separate red square shape
    img = Image.fromarray(_page())
    draw = ImageDraw.Draw(img)
    for k, ch in enumerate("国营农场文件"):
        draw.text((120 + k * 175, 10), ch, font=cjk_font(125, "serif"), fill=SEAL_RED)
    page = np.asarray(img).copy()
    assert find_seals(page) == []


def test_a_large_red_word_of_two_characters_is_not_a_seal():
    # two characters only (no row of three), each as wide as a small seal, on a photo
    img = Image.fromarray(_page())
    ImageDraw.Draw(img).text((480, 1300), "附件", font=cjk_font(130, "serif"), fill=SEAL_RED)
    photo = _photograph(np.asarray(img).copy(), light_from_left=0.3)
    assert find_seals(straighten_sheet(photo)) == []


def test_seals_of_both_parties_side_by_side_are_both_found():
    page = _page()
    _stamp_round(page, (380, 1350), 280)
    _stamp_round(page, (860, 1350), 280)
    assert len(find_seals(page)) == 2


@pytest.mark.ocr
def test_text_running_into_a_crop_cut_inside_the_sheet_is_read_again_wider(tmp_path, monkeypatch):
    """Whatever the outline finder gets wrong: when lines end at the crop's edge, the page is
    read again from a wider crop and the fuller reading kept (its corners are recorded)."""
    from ingest import IngestSettings, read_document
    from ingest.backends import image as image_backend

    text = "甲方将村集体所有的鱼塘出租给乙方经营养殖期限为十年"
    photo = _photograph(_page(lines=6, margin=70, size=40, text=text), light_from_left=0.2)
    truth = np.float32([[150, 120], [1340, 165], [1390, 1760], [95, 1700]])
    tight = truth.copy()
    tight[1, 0] -= 150  # the right side drawn 12 % inside the sheet, through the line ends
    tight[2, 0] -= 150
    monkeypatch.setattr(image_backend, "find_sheet", lambda arr: tight.copy())
    path = tmp_path / "photo.jpg"
    Image.fromarray(photo).save(path, quality=85)
    doc = read_document(path, IngestSettings.from_env(ocr_engine="rapidocr"))
    page = doc.pages[0]
    assert page.sheet is not None and page.sheet[1][0] > tight[1, 0] + 40, page.sheet
    # the review app shows the page as it was read: the recorded corners give the same size
    from ingest.pages import page_image

    image, scale = page_image(path, doc, 1, max_side=4000)
    assert abs(image.width / scale - page.width) <= 2 and abs(image.height / scale - page.height) <= 2
    lines = [line.text.replace(" ", "") for line in page.lines]
    per_line = (PAGE_W - 2 * 70) // 40
    for i in range(6):
        want = (text * 4)[i % len(text) :][:per_line]
        got = next((line for line in lines if line[:6] == want[:6]), None)
        assert got is not None and got[-3:] == want[-3:], (want, got)


def test_seal_over_lines_of_text_gets_its_whole_ring_boxed():
    # lines of black text break a pale ring into bits too small to join the seal's blob; the box
    # (whose ink is removed before OCR) must still reach round the whole seal
    page = _page(lines=22, size=40)
    _stamp_round(page, (620, 660), 300, color=(225, 95, 105), density=0.6)
    seals = find_seals(straighten_sheet(_photograph(page, light_from_left=0.3)))
    assert len(seals) == 1
    x0, y0, x1, y1 = seals[0].bbox
    assert abs((x1 - x0) - (y1 - y0)) <= 0.05 * (x1 - x0), seals[0].bbox
