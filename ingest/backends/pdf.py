"""PDF, decided page by page.

For each page: the text layer through pdfplumber (positions in PDF points, duplicate glyphs
removed); if that text is missing or garbled, a second extractor (pypdfium2) — a PDF whose
text pdfplumber cannot decode is not necessarily a scan; if the text is still poor and the
page shows ink, the page is rendered (pypdfium2) and read by OCR, its boxes scaled back to
PDF points. A page is also rendered small to look for red seals, unless everything it draws is
grey (no picture, annotation or colour: :func:`pdf_layer.may_show_colour`), and to judge its ink
when its text layer is short or garbled.
"""

from __future__ import annotations

import logging
import re
import signal
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ..document import Document, Line, Page, Seal, Word
from ..errors import IngestError
from ..settings import IngestSettings
from ..vision import find_seals, ink_ratio, read_page_image, scale_reading
from .common import ocr_engine_or_error, page_error
from .pdf_layer import dedupe_chars, may_show_colour, page_objects

log = logging.getLogger(__name__)

for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)

_CID = re.compile(r"\(cid:\d+\)")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TOKEN = re.compile(r"[A-Za-z0-9]+")


def text_quality(text: str) -> float:
    """0 (garbage) … 1 (clean): how much a text layer looks like real text."""
    cid = len(_CID.findall(text))
    text = _CID.sub("\ufffd", text)
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    bad = 0
    for c in chars:
        cp = ord(c)
        if c == "\ufffd" or 0xE000 <= cp <= 0xF8FF or unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn"):
            bad += 1
    score = 1.0 - min(1.0, (bad + 2 * cid) / len(chars) * 2)
    if _CJK.search(text):
        return score
    # no Chinese at all: judge the Latin tokens (a GBK font without ToUnicode reads like 'ZOq5')
    tokens = _TOKEN.findall(text)
    if len(tokens) >= 5:
        weird = 0
        for tok in tokens:
            has_alpha = any(ch.isalpha() for ch in tok)
            has_digit = any(ch.isdigit() for ch in tok)
            mixed_case = any(ch.isupper() for ch in tok[1:]) and any(ch.islower() for ch in tok)
            no_vowel = has_alpha and len(tok) >= 4 and not re.search(r"[aeiouyAEIOUY]", tok)
            if (has_alpha and has_digit) or mixed_case or no_vowel:
                weird += 1
        score *= 1.0 - min(1.0, weird / len(tokens))
    return score


def _open_pdfium(path: Path):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower() or "security" in message.lower():
            raise IngestError("encrypted_pdf", message) from exc
        raise IngestError("corrupt_pdf", message) from exc
    except Exception as exc:
        raise IngestError("corrupt_pdf", f"{type(exc).__name__}: {exc}") from exc


class _TextLayerTimeout(BaseException):
    """pdfplumber took longer than its budget (a BaseException: pdfminer catches Exception)."""


@contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`_TextLayerTimeout` inside the block after ``seconds`` (SIGALRM; only on
    the main thread and when no other timer is set — otherwise no budget). pdfminer is pure
    Python, so a reference loop in a file (a stream ``/Length`` pointing round in a circle) is
    interrupted here instead of holding the worker until the file's time limit."""
    usable = (seconds > 0 and threading.current_thread() is threading.main_thread()
              and signal.getitimer(signal.ITIMER_REAL)[0] == 0)
    if not usable:
        yield
        return

    def expired(_signum, _frame):
        raise _TextLayerTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _open_plumber(path: Path, settings: IngestSettings):
    try:
        import pdfplumber

        with _time_budget(settings.text_layer_timeout_s):
            return pdfplumber.open(str(path))
    except _TextLayerTimeout:
        log.info("pdfplumber gave up opening %s after %g s", path, settings.text_layer_timeout_s)
        return None
    except Exception as exc:  # pdfium could open it: keep going with pdfium's text
        log.debug("pdfplumber cannot open %s: %s", path, exc)
        return None


def _deduped(page):
    """The page without duplicate glyphs (like ``page.dedupe_chars()``)."""
    from pdfplumber.page import FilteredPage

    objects = page_objects(page)
    out = FilteredPage(page, lambda obj: True)
    out._objects = dict(objects)
    out._objects["char"] = dedupe_chars(objects.get("char", []))
    return out


def _plumber_lines(plumber, index: int) -> tuple[list[Line], float, bool]:
    """Text lines of a page, the share of the page covered by images, and whether anything on
    the page may be drawn in colour (:func:`pdf_layer.may_show_colour`)."""
    page = plumber.pages[index]
    try:
        page = _deduped(page)
    except Exception:
        pass
    try:
        colour = may_show_colour(page, page.objects)
    except Exception:
        colour = True
    area = max(1.0, float(page.width) * float(page.height))
    covered = 0.0
    for im in page.images:
        try:
            covered += max(0.0, float(im["x1"]) - float(im["x0"])) * max(0.0, float(im["bottom"]) - float(im["top"]))
        except (KeyError, TypeError, ValueError):
            continue
    lines = []
    for item in page.extract_text_lines(layout=False, strip=True, return_chars=True):
        text = _line_text(item.get("chars") or []) or str(item.get("text", "")).strip()
        if not text:
            continue
        box = tuple(round(float(item[k]), 2) for k in ("x0", "top", "x1", "bottom"))
        lines.append(Line(text=text, bbox=box, confidence=1.0, origin="text"))
    return lines, min(1.0, covered / area), colour


def _line_text(chars: list[dict]) -> str:
    """A line's text from its characters, keeping column gaps: a gap wider than two character
    heights (table cells, side-by-side signature blocks) becomes a tab, a smaller visible gap a
    space."""
    out: list[str] = []
    prev = None
    for ch in chars:
        text = ch.get("text", "")
        if not text:
            continue
        if prev is not None:
            size = max(1.0, float(ch.get("size") or (ch["bottom"] - ch["top"])))
            gap = float(ch["x0"]) - float(prev["x1"])
            if gap > 2.0 * size:
                out.append("\t")
            elif gap > 0.6 * size and not text.isspace() and not out[-1].isspace():
                out.append(" ")
        if text.isspace():
            if out and not out[-1].isspace():
                out.append(" ")
        else:
            out.append(text)
        prev = ch
    return "".join(out).strip()


def _pdfium_lines(pdf_page, height: float) -> list[Line]:
    textpage = pdf_page.get_textpage()
    try:
        lines: list[Line] = []
        for i in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(i)
            text = textpage.get_text_bounded(left, bottom, right, top).strip()
            if not text:
                continue
            box = (round(left, 2), round(height - top, 2), round(right, 2), round(height - bottom, 2))
            lines.append(Line(text=text, bbox=box, confidence=1.0, origin="text"))
    finally:
        textpage.close()
    # pdfium gives runs; merge runs on the same baseline into lines, top to bottom
    lines.sort(key=lambda line: (round(line.bbox[1] / 3), line.bbox[0]))
    merged: list[Line] = []
    for line in lines:
        if merged:
            last = merged[-1]
            lb, b = last.bbox, line.bbox
            overlap = min(lb[3], b[3]) - max(lb[1], b[1])
            if overlap > 0.6 * min(lb[3] - lb[1], b[3] - b[1]) and b[0] >= lb[0]:
                gap = b[0] - lb[2]
                sep = " " if gap > 0.8 * (b[3] - b[1]) else ""
                last.words = last.words or [Word(last.text, lb)]
                last.words.append(Word(line.text, b))
                last.text = last.text + sep + line.text
                last.bbox = (lb[0], min(lb[1], b[1]), max(lb[2], b[2]), max(lb[3], b[3]))
                continue
        merged.append(line)
    return merged


def _render(pdf_page, dpi: float, max_pixels: int) -> tuple[np.ndarray, float]:
    width, height = pdf_page.get_size()
    scale = dpi / 72.0
    pixels = width * scale * height * scale
    if pixels > max_pixels:
        scale *= (max_pixels / pixels) ** 0.5
    # RGB(A) straight from pdfium (the same pixels as its default BGR, without a reversing copy
    # that took longer than the rendering itself)
    bitmap = pdf_page.render(scale=scale, may_draw_forms=True, rev_byteorder=True)
    try:
        arr = bitmap.to_numpy()
    finally:
        bitmap.close()
    if arr.ndim == 2:
        arr = np.repeat(arr[:, :, None], 3, axis=2)
    elif arr.shape[2] == 4:
        arr = arr[:, :, :3]
    return np.ascontiguousarray(arr), scale


def count_pages(path: Path, settings: IngestSettings) -> int | None:
    """The page count pdfium reads from the page tree (nothing is parsed or rendered)."""
    pdf = _open_pdfium(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def read(path: Path, settings: IngestSettings, doc: Document) -> None:
    pdf = _open_pdfium(path)
    try:
        count = len(pdf)
        if count == 0:
            raise IngestError("corrupt_pdf", "the PDF has no pages")
        if count > settings.max_pages:
            doc.add_error(*page_error(doc, "too_many_pages", f"{count} > {settings.max_pages}", None))
        plumber = _open_plumber(path, settings)
        engine_state: dict[str, object] = {}
        try:
            for index in range(min(count, settings.max_pages)):
                number = index + 1
                try:
                    doc.pages.append(_read_page(pdf, plumber, index, settings, doc, engine_state))
                except MemoryError:
                    raise
                except IngestError as exc:
                    doc.add_error(*page_error(doc, exc.code, exc.detail or number, number))
                    doc.pages.append(Page(number=number, kind="text", unit="pt"))
                except Exception as exc:
                    doc.add_error(*page_error(doc, "page_failed", f"{number} ({type(exc).__name__}: {exc})", number))
                    doc.pages.append(Page(number=number, kind="text", unit="pt"))
        finally:
            if plumber is not None:
                try:  # closing walks the pages again: after a give-up, only the file is closed
                    (plumber.stream if engine_state.get("plumber_gave_up") else plumber).close()
                except Exception:
                    pass
    finally:
        pdf.close()


def _read_page(pdf, plumber, index: int, settings: IngestSettings, doc: Document, engine_state: dict) -> Page:
    number = index + 1
    pdf_page = pdf[index]
    try:
        width, height = pdf_page.get_size()
        lines: list[Line] = []
        image_cover = 0.0
        colour = True  # unless pdfplumber saw everything the page draws, and all of it grey
        if plumber is not None and not engine_state.get("plumber_gave_up"):
            try:
                with _time_budget(settings.text_layer_timeout_s):
                    lines, image_cover, colour = _plumber_lines(plumber, index)
            except _TextLayerTimeout:  # pdfium's text for this page and the rest of the file
                log.info("pdfplumber gave up on page %d after %g s", number, settings.text_layer_timeout_s)
                engine_state["plumber_gave_up"] = True
                lines, colour = [], True
            except Exception as exc:
                log.debug("pdfplumber failed on page %d: %s", number, exc)
                lines, colour = [], True
        quality = text_quality("\n".join(line.text for line in lines))
        if quality < 0.8:
            try:
                alt = _pdfium_lines(pdf_page, height)
            except Exception:
                alt = []
            alt_quality = text_quality("\n".join(line.text for line in alt))
            if alt_quality > quality:
                lines, quality = alt, alt_quality
        chars = sum(len(line.text.replace(" ", "")) for line in lines)

        # the page is rendered small only when it is needed: to see whether a page with little or
        # garbled text shows ink (then OCR), or to look for red seals on a page that may show
        # colour (a page drawing only grey renders grey everywhere: find_seals finds nothing)
        judge_ink = chars < 40 or quality < 0.6
        seals = settings.detect_seals and colour
        preview, preview_scale = (None, 1.0)
        if judge_ink or seals:
            preview, preview_scale = _render(pdf_page, 72.0, settings.max_render_pixels)
        needs_ocr = False
        if judge_ink:
            ink = ink_ratio(preview)
            if chars == 0:
                needs_ocr = ink > 0.003  # nothing in the text layer, but something on the page
            else:
                needs_ocr = ink > 0.001 and (
                    quality < 0.6  # garbled beyond both extractors
                    or (chars < 20 and ink > 0.01)  # a stamp of text on a scanned page
                    or (image_cover > 0.5 and chars < 40)
                )
        if not needs_ocr:
            page = Page(number=number, kind="text", width=width, height=height, unit="pt", lines=lines)
            if seals:
                factor = 1.0 / preview_scale
                page.seals = [
                    Seal(bbox=tuple(round(v * factor, 2) for v in blob.bbox), score=blob.score,
                         covers_text=any(_overlap(line.bbox, blob.bbox, factor) for line in lines))
                    for blob in find_seals(preview)
                ]
            return page

        page = Page(number=number, kind="ocr", width=width, height=height, unit="pt")
        if "engine" not in engine_state:
            engine_state["engine"] = ocr_engine_or_error(settings, doc)
        engine = engine_state["engine"]
        if engine is None:
            # keep whatever text layer there was rather than nothing
            page.kind, page.lines = "text", lines
            return page
        image, scale = _render(pdf_page, settings.ocr_dpi, settings.max_render_pixels)
        page.dpi = round(72.0 * scale, 1)
        try:
            reading = read_page_image(image, engine, orientation=settings.detect_orientation, seals=settings.detect_seals)
        except MemoryError:
            raise
        except Exception as exc:
            raise IngestError("ocr_failed", f"page {number}: {type(exc).__name__}: {exc}", page=number) from exc
        reading = scale_reading(reading, 1.0 / scale)
        page.lines, page.seals, page.rotation = reading.lines, reading.seals, reading.rotation
        page.width, page.height = round(reading.width, 2), round(reading.height, 2)
        return page
    finally:
        pdf_page.close()


def _overlap(line_box, blob_box, factor: float) -> bool:
    if line_box is None:
        return False
    b = tuple(v * factor for v in blob_box)
    return min(line_box[2], b[2]) > max(line_box[0], b[0]) and min(line_box[3], b[3]) > max(line_box[1], b[1])
