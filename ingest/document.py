"""The `Document`: what ingest makes of one file.

Pages hold text lines in reading order; each line has a box, a confidence and its origin
(the PDF text layer, OCR, a DOCX paragraph or table row, or plain text). ``Document.text``
joins every line (lines by ``\\n``, pages by ``\\f``) and ``Document.locate`` maps a character
range of that text back to the page and box it came from, so later stages can quote their
evidence.

Coordinates: PDF pages use PDF points (1/72 in) with the origin at the page's top left, as
pdfplumber does, for text-layer *and* OCR'd pages; image pages use pixels of the image as
read (after EXIF orientation); DOCX and plain text have no geometry (``bbox`` is ``None``).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal

BBox = tuple[float, float, float, float]  # x0, y0 (top), x1, y1 (bottom)

Origin = Literal["text", "ocr", "docx", "plain"]
PageKind = Literal["text", "ocr"]
Status = Literal["ok", "partial", "failed"]
Format = Literal["pdf", "docx", "image", "text"]


@dataclass
class Word:
    text: str
    bbox: BBox | None
    confidence: float = 1.0


@dataclass
class Line:
    text: str
    bbox: BBox | None = None
    confidence: float = 1.0
    origin: Origin = "text"
    words: list[Word] = field(default_factory=list)
    kind: Literal["paragraph", "table_row", "header", "footer", "line"] = "line"


@dataclass
class Seal:
    """A red official seal (公章) seen on a page: signing evidence for later checks."""

    bbox: BBox | None  # None for a seal in a DOCX picture (no page geometry)
    score: float  # 0-1, how seal-like the red blob is
    covers_text: bool = False  # the seal lies over text lines


@dataclass
class Page:
    number: int  # 1-based
    kind: PageKind
    width: float | None = None
    height: float | None = None
    unit: Literal["pt", "px"] | None = None
    lines: list[Line] = field(default_factory=list)
    seals: list[Seal] = field(default_factory=list)
    rotation: int = 0  # degrees the page content was turned to read it upright
    dpi: float | None = None  # for OCR'd PDF pages and images: the resolution that was read
    # a phone photo is cropped to the sheet and straightened before reading; these are the
    # sheet's corners (tl, tr, br, bl) in the photo, and boxes refer to the straightened sheet
    sheet: list[list[float]] | None = None

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class DocumentError:
    code: str
    message: str
    page: int | None = None


@dataclass
class SourceInfo:
    path: str
    name: str
    sha256: str
    size: int
    format: Format | None


@dataclass(frozen=True)
class Span:
    """Where one line sits in ``Document.text``."""

    start: int
    end: int
    page: int
    line: int  # index in page.lines


@dataclass
class Document:
    source: SourceInfo
    pages: list[Page] = field(default_factory=list)
    errors: list[DocumentError] = field(default_factory=list)
    status: Status = "ok"
    timings: dict[str, float] = field(default_factory=dict)
    ocr_engine: str | None = None

    _text: str | None = field(default=None, init=False, repr=False, compare=False)
    _spans: list[Span] = field(default_factory=list, init=False, repr=False, compare=False)

    # -- the full text and its offset map -------------------------------------------------
    def _build(self) -> None:
        parts: list[str] = []
        spans: list[Span] = []
        pos = 0
        for p_index, page in enumerate(self.pages):
            if p_index:
                parts.append("\f")
                pos += 1
            for l_index, line in enumerate(page.lines):
                if l_index:
                    parts.append("\n")
                    pos += 1
                spans.append(Span(pos, pos + len(line.text), page.number, l_index))
                parts.append(line.text)
                pos += len(line.text)
        self._text = "".join(parts)
        self._spans = spans

    def invalidate(self) -> None:
        """Call after changing pages or lines by hand."""
        self._text = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._build()
        return self._text or ""

    @property
    def spans(self) -> list[Span]:
        if self._text is None:
            self._build()
        return self._spans

    @property
    def page_kinds(self) -> list[PageKind]:
        return [page.kind for page in self.pages]

    def page(self, number: int) -> Page:
        return self.pages[number - 1]

    def locate(self, start: int, end: int | None = None) -> tuple[int | None, BBox | None]:
        """Page number and box covering characters ``start:end`` of :attr:`text`.

        The box is the union of the boxes of the lines the range touches on the first page it
        touches (a quote never spans two pages' boxes); ``None`` where the source has no geometry.
        """
        spans = self.spans
        if not spans:
            return None, None
        end = start + 1 if end is None or end <= start else end
        starts = [s.start for s in spans]
        first = max(0, bisect.bisect_right(starts, start) - 1)
        page_no = spans[first].page
        boxes: list[BBox] = []
        for span in spans[first:]:
            if span.start >= end or span.page != page_no:
                break
            if span.end < start:
                continue
            box = self.page(page_no).lines[span.line].bbox
            if box is not None:
                boxes.append(box)
        if not boxes:
            return page_no, None
        return page_no, (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )

    # -- convenience ------------------------------------------------------------------------
    @property
    def seals(self) -> list[tuple[int, Seal]]:
        return [(page.number, seal) for page in self.pages for seal in page.seals]

    def add_error(self, code: str, message: str, page: int | None = None) -> None:
        self.errors.append(DocumentError(code, message, page))
