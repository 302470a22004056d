"""Page images in the frame of a Document's boxes, and boxes drawn on them.

:func:`page_image` renders a page of the file a :class:`~ingest.document.Document` was read
from *as the reader saw it*, so that the boxes of its lines, words and seals fall on the
right pixels: a box ``(x0, y0, x1, y1)`` in the page's unit maps to the returned image by
multiplying every coordinate by the returned scale.

- PDF pages (unit ``"pt"``) are rendered with pypdfium2, which — like pdfplumber — shows the
  page as displayed (its ``/Rotate`` applied). An OCR'd page is then turned by the page's
  ``rotation`` exactly as it was before it was read; its boxes are PDF points of that frame.
- Image pages (unit ``"px"``) repeat what the image backend did before OCR: the frame of a
  multi-page TIFF, the EXIF orientation (first frame), the crop and perspective correction to
  the sheet of a phone photo (``page.sheet``), then the page's ``rotation``.
- DOCX and plain-text pages (unit ``None``) have no image: :func:`page_image` raises
  ``ValueError`` (ask :func:`has_page_image` first).

:func:`draw_boxes` draws labelled rectangles (Chinese labels included) on such an image.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageColor, ImageDraw, ImageFont, ImageOps

from .backends.image import _load_frame, _open
from .backends.pdf import _open_pdfium, _render
from .document import BBox, Document, Page, SourceInfo
from .errors import IngestError
from .fonts import cjk_font
from .settings import IngestSettings
from .vision import downscale, find_sheet, rotate, straighten_sheet, to_rgb

Color = str | tuple[int, int, int]  # a PIL colour name, "#rrggbb", or RGB
BoxSpec = tuple[BBox | None, str | None, Color]  # (bbox in page units, label, colour)

# how far the reproduced page may differ from the size the document recorded
_PT_SLACK = 2.0  # points (OCR'd pages record the rendered pixels / scale, a little over the page)
_PX_SLACK = 2  # pixels


def has_page_image(document: Document, page_number: int) -> bool:
    """Whether :func:`page_image` can render this page (PDF and image pages; not DOCX/text)."""
    page = _find_page(document, page_number)
    return page is not None and page.unit in ("pt", "px")


def page_image(
    path: str | Path,
    document: Document,
    page_number: int,
    max_side: int = 1600,
    *,
    file_page: int | None = None,
) -> tuple[Image.Image, float]:
    """An RGB image of page ``page_number`` of ``document`` as the reader saw it, and the scale.

    ``path`` is the file the document was read from (normally ``document.source.path``).
    The image's longest side is at most ``max_side`` pixels (PDF pages are rendered to exactly
    that; images are only ever scaled down). The returned scale ``s`` maps a box in the page's
    unit (points or pixels) to pixels of the image: ``(x0 * s, y0 * s, x1 * s, y1 * s)``.

    ``file_page``: the page's 1-based number inside the file at ``path`` when it differs from
    ``page_number`` — a page of a document merged from several files
    (:func:`ingest.merge_documents`); by default the two are the same.

    Raises ``FileNotFoundError`` when ``path`` does not exist and ``ValueError`` when the page
    has no image (DOCX and text pages, whose boxes are ``None``), does not exist, or the file
    cannot be rendered or does not match the page the document recorded (another file).
    """
    if max_side < 16:
        raise ValueError(f"max_side must be at least 16 pixels, not {max_side}")
    page = _find_page(document, page_number)
    if page is None:
        raise ValueError(f"{document.source.name}: the document has no page {page_number}")
    if page.unit not in ("pt", "px"):
        raise ValueError(
            f"{document.source.name}: page {page_number} has no image (a {document.source.format or 'text'} "
            "page has no geometry)"
        )
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"page image: no such file: {path}")
    index = (page_number if file_page is None else file_page) - 1
    if index < 0:
        raise ValueError(f"page numbers start at 1, not {index + 1}")
    if page.unit == "pt":
        arr, scale = _pdf_page(path, index, page, max_side)
    else:
        arr, scale = _image_page(path, index, page, max_side)
    return Image.fromarray(np.ascontiguousarray(arr), "RGB"), scale


# -- PDF pages -------------------------------------------------------------------------------------
def _pdf_page(path: Path, index: int, page: Page, max_side: int) -> tuple[np.ndarray, float]:
    """Render like the PDF backend: pypdfium2 with forms, the page as displayed, then the
    page's ``rotation`` (an OCR'd page that was turned upright)."""
    try:
        pdf = _open_pdfium(path)
    except IngestError as exc:
        raise ValueError(f"page image: cannot open {path.name}: {exc}") from exc
    try:
        if index >= len(pdf):
            raise ValueError(f"page image: {path.name} has {len(pdf)} pages, no page {index + 1}")
        pdf_page = pdf[index]
        try:
            width, height = pdf_page.get_size()
            if page.rotation % 180:
                width, height = height, width
            _check_size(page, width, height, _PT_SLACK, path)
            # a hair under max_side / side: pypdfium2 rounds the bitmap size up
            scale = (max_side - 1e-6) / max(width, height)
            arr, scale = _render(pdf_page, 72.0 * scale, max_side * max_side)
        finally:
            pdf_page.close()
    finally:
        pdf.close()
    return rotate(arr, page.rotation), scale


# -- image pages -----------------------------------------------------------------------------------
def _image_page(path: Path, index: int, page: Page, max_side: int) -> tuple[np.ndarray, float]:
    """Repeat the image backend's steps before OCR: frame, EXIF orientation, sheet, rotation."""
    settings = IngestSettings.from_env()
    try:
        img = _open(path, settings)
    except IngestError as exc:
        raise ValueError(f"page image: cannot open {path.name}: {exc}") from exc
    with img:
        try:
            img.seek(index)
        except EOFError as exc:
            frames = getattr(img, "n_frames", 1)
            raise ValueError(f"page image: {path.name} has {frames} frame(s), no page {index + 1}") from exc
        scratch = Document(SourceInfo(path=str(path), name=path.name, sha256="", size=0, format="image"))
        try:
            frame = _load_frame(img, index + 1, scratch)
        except IngestError as exc:
            raise ValueError(f"page image: cannot decode page {index + 1} of {path.name}: {exc}") from exc
        upright = ImageOps.exif_transpose(frame) if index == 0 else frame
        arr = np.asarray(to_rgb(upright))
    if page.sheet is not None:
        arr = straighten_sheet(arr, _sheet_quad(arr, page.sheet))
    arr = rotate(arr, page.rotation)
    _check_size(page, arr.shape[1], arr.shape[0], _PX_SLACK, path)
    small, scale = downscale(arr, max_side)
    return small, scale


def _sheet_quad(arr: np.ndarray, sheet: list[list[float]]) -> np.ndarray:
    """The sheet's corners as the reader found them: found again (bit-exact, so the straightened
    sheet has the very size the document recorded) when that agrees with the recorded corners,
    else the recorded corners (rounded to 0.1 px)."""
    stored = np.asarray(sheet, dtype=np.float32).reshape(4, 2)
    fresh = find_sheet(arr)
    if fresh is not None and float(np.abs(fresh - stored).max()) <= 1.0:
        return fresh
    return stored


def _check_size(page: Page, width: float, height: float, slack: float, path: Path) -> None:
    if page.width is None or page.height is None:
        return  # a page that failed to read: nothing recorded to compare with
    if abs(page.width - width) > slack or abs(page.height - height) > slack:
        raise ValueError(
            f"page image: page {page.number} of {path.name} is {width:g}×{height:g} {page.unit}, but the document "
            f"recorded {page.width:g}×{page.height:g}: not the file the document was read from?"
        )


def _find_page(document: Document, page_number: int) -> Page | None:
    if 1 <= page_number <= len(document.pages) and document.pages[page_number - 1].number == page_number:
        return document.pages[page_number - 1]
    return next((p for p in document.pages if p.number == page_number), None)


# -- drawing -----------------------------------------------------------------------------------------
def draw_boxes(
    image: Image.Image,
    boxes: Sequence[BoxSpec],
    scale: float = 1.0,
    *,
    width: int = 3,
    font_size: int = 16,
) -> Image.Image:
    """A copy of ``image`` with each ``(bbox, label, color)`` drawn as a rectangle.

    ``bbox`` is in page units and is multiplied by ``scale`` (as returned by
    :func:`page_image`); a ``None`` bbox is skipped. ``label`` (Chinese is fine; ``None`` or
    ``""`` for none) is written small on a tab of the box's colour just above the box, or just
    inside it at the top edge of the image. ``color`` is a PIL colour name or ``"#rrggbb"`` or an
    RGB tuple. ``width`` is the line width in pixels.
    """
    out = image.convert("RGB") if image.mode != "RGB" else image.copy()
    draw = ImageDraw.Draw(out)
    font = cjk_font(font_size)
    for bbox, label, color in boxes:
        if bbox is None:
            continue
        rgb = ImageColor.getrgb(color) if isinstance(color, str) else tuple(int(c) for c in color[:3])
        xs = sorted((bbox[0] * scale, bbox[2] * scale))
        ys = sorted((bbox[1] * scale, bbox[3] * scale))
        x0, x1 = round(xs[0]), round(xs[1])
        y0, y1 = round(ys[0]), round(ys[1])
        draw.rectangle((x0 - width, y0 - width, x1 + width - 1, y1 + width - 1), outline=rgb, width=width)
        if label:
            _draw_label(draw, out.size, str(label), x0 - width, y0 - width, rgb, font)
    return out


def _draw_label(
    draw: ImageDraw.ImageDraw,
    size: tuple[int, int],
    label: str,
    x: int,
    y: int,
    rgb: tuple[int, ...],
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
) -> None:
    """``label`` on a tab of colour ``rgb`` whose bottom-left corner is at (x, y), kept inside
    the image (below y when there is no room above), in black or white, whichever reads."""
    left, top, right, bottom = draw.textbbox((0, 0), label, font=font)
    pad = 2
    tab_w, tab_h = right - left + 2 * pad, bottom - top + 2 * pad
    tx = max(0, min(x, size[0] - tab_w))
    ty = y - tab_h if y - tab_h >= 0 else max(0, y)
    draw.rectangle((tx, ty, tx + tab_w - 1, ty + tab_h - 1), fill=rgb)
    luminance = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]
    ink = (0, 0, 0) if luminance > 150 else (255, 255, 255)
    draw.text((tx + pad - left, ty + pad - top), label, fill=ink, font=font)


__all__ = ["BoxSpec", "Color", "draw_boxes", "has_page_image", "page_image"]
