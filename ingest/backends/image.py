"""Images: JPEG / PNG / TIFF (every page of a multi-page TIFF) / BMP / GIF / WebP, through OCR.

EXIF orientation is honoured; pages lying on their side or upside down are turned upright
(see :func:`ingest.vision.detect_orientation`). Boxes are pixels of the upright image.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageFile, ImageOps, ImageSequence

from ..document import Document, Page
from ..errors import IngestError
from ..settings import IngestSettings
from ..vision import PageReading, find_sheet, read_page_image, straighten_sheet, text_cut_at_edge, to_rgb, widen_quad
from .common import ocr_engine_or_error, page_error


def _open(path: Path, settings: IngestSettings) -> Image.Image:
    # Pillow's limit is process-wide: set for this open only, so a reader in-process (tests, the
    # evaluator) leaves it as it found it for whatever renders images next
    previous, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, settings.max_image_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own words quote its limit (twice ours for the error): quote the configured one
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(found.group(1)):,} px" if found else "?"
        raise IngestError("image_too_large", f"{size} > {settings.max_image_pixels:,} px") from exc
    except Exception as exc:
        raise IngestError("corrupt_image", f"{type(exc).__name__}: {exc}") from exc
    finally:
        Image.MAX_IMAGE_PIXELS = previous
    width, height = img.size
    if width <= 0 or height <= 0:
        raise IngestError("corrupt_image", f"image size {width}×{height}")
    if width * height > settings.max_image_pixels:
        raise IngestError("image_too_large", f"{width}×{height} px > {settings.max_image_pixels:,} px")
    return img


def _load_frame(frame: Image.Image, number: int, doc: Document) -> Image.Image:
    """Decode one frame; a truncated file is read as far as it goes and reported."""
    try:
        frame.load()
        return frame
    except Exception as exc:
        first_error = exc
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        frame.load()
    except Exception as exc:
        raise IngestError("corrupt_image", f"{type(first_error).__name__}: {first_error}", page=number) from exc
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous
    doc.add_error(*page_error(doc, "corrupt_image", f"truncated, read as far as possible ({first_error})", number))
    return frame


def _frames_up_to(img: Image.Image, cap: int) -> int:
    """How many frames the image has, counting no further than ``cap + 1`` (a TIFF's frames
    are found by walking its directory chain: nothing is decoded). A frame that cannot even be
    found ends the count; reading reports it."""
    count = 1
    try:
        img.seek(cap)  # the common refusals and single frames answer at once
        count = cap + 1
    except Exception:  # noqa: BLE001 - EOFError, or a broken directory further on
        for index in range(1, cap):
            try:
                img.seek(index)
            except Exception:  # noqa: BLE001
                break
            count = index + 1
    finally:
        try:
            img.seek(0)
        except Exception:  # noqa: BLE001
            pass
    return count


def count_pages(path: Path, settings: IngestSettings) -> int | None:
    with _open(path, settings) as img:
        return _frames_up_to(img, settings.max_pages)


def read(path: Path, settings: IngestSettings, doc: Document) -> None:
    img = _open(path, settings)
    total = _frames_up_to(img, settings.max_pages)
    if total > settings.max_pages:  # before decoding any of them
        raise IngestError("too_many_frames", f"> {settings.max_pages}")
    engine = ocr_engine_or_error(settings, doc)
    frames = 0
    try:
        iterator = ImageSequence.Iterator(img)
        for index, frame in enumerate(iterator):
            number = index + 1
            if number > settings.max_pages:
                doc.add_error(*page_error(doc, "too_many_pages", f"> {settings.max_pages}", None))
                break
            frames += 1
            quad = None
            try:
                frame = _load_frame(frame, number, doc)
                if frame.width * frame.height > settings.max_image_pixels:
                    raise IngestError("image_too_large", f"page {number}: {frame.width}×{frame.height} px", page=number)
                upright = ImageOps.exif_transpose(frame) if index == 0 else frame
                arr = original = np.asarray(to_rgb(upright))
                quad = find_sheet(arr)  # a phone photo: crop to the sheet, undo the perspective
                if quad is not None:
                    arr = straighten_sheet(arr, quad)
            except IngestError as exc:
                if frames == 1 and number == 1 and total == 1:
                    raise
                doc.add_error(*page_error(doc, exc.code, exc.detail, number))
                doc.pages.append(Page(number=number, kind="ocr", unit="px"))
                continue
            page = Page(number=number, kind="ocr", unit="px", width=arr.shape[1], height=arr.shape[0])
            if quad is not None:
                page.sheet = [[round(float(x), 1), round(float(y), 1)] for x, y in quad]
            dpi = upright.info.get("dpi")
            if isinstance(dpi, tuple) and dpi and isinstance(dpi[0], (int, float)) and dpi[0] > 0:
                page.dpi = float(dpi[0])
            if engine is not None:
                try:
                    reading = read_page_image(
                        arr, engine, orientation=settings.detect_orientation, seals=settings.detect_seals
                    )
                    if quad is not None and text_cut_at_edge(reading):
                        # the outline found cuts into the page: read a wider crop, keep the fuller reading
                        wider = widen_quad(quad, original.shape[1], original.shape[0])
                        again = read_page_image(
                            straighten_sheet(original, wider),
                            engine,
                            orientation=settings.detect_orientation,
                            seals=settings.detect_seals,
                        )
                        if _chars(again) > _chars(reading):
                            reading, quad = again, wider
                            page.sheet = [[round(float(x), 1), round(float(y), 1)] for x, y in quad]
                except MemoryError:
                    raise
                except Exception as exc:
                    doc.add_error(*page_error(doc, "ocr_failed", f"page {number}: {type(exc).__name__}: {exc}", number))
                else:
                    page.lines, page.seals, page.rotation = reading.lines, reading.seals, reading.rotation
                    page.width, page.height = reading.width, reading.height
            doc.pages.append(page)
    except IngestError:
        raise
    except (OSError, ValueError, EOFError, SyntaxError) as exc:
        if not doc.pages:
            raise IngestError("corrupt_image", f"{type(exc).__name__}: {exc}") from exc
        doc.add_error(*page_error(doc, "corrupt_image", f"after page {len(doc.pages)}: {exc}", None))
    if not doc.pages:
        raise IngestError("corrupt_image", "the image has no pages")


def _chars(reading: PageReading) -> int:
    return sum(len(line.text.strip()) for line in reading.lines)
