"""The `Document`: what ingest makes of one file.

Pages hold text lines in reading order; each line has a box, a confidence and its origin
(the PDF text layer, OCR, a DOCX paragraph or table row, or plain text). ``Document.text``
joins every line (lines by ``\\n``, pages by ``\\f``) and ``Document.locate`` maps a character
range of that text back to the page and box it came from, so later stages can quote their
evidence.

Coordinates: PDF pages use PDF points (1/72 in) with the origin at the page's top left, as
pdfplumber does, for text-layer *and* OCR'd pages; image pages use pixels of the image as
read (after EXIF orientation); DOCX and plain text have no geometry (``bbox`` is ``None``).

Serialisation: :meth:`Document.to_dict` gives plain JSON data (with a ``"version"`` key) and
:meth:`Document.from_dict` reads it back; the text and offset map are rebuilt, not stored.
"""

from __future__ import annotations

import bisect
import numbers
from dataclasses import dataclass, field
from typing import Any, Literal

BBox = tuple[float, float, float, float]  # x0, y0 (top), x1, y1 (bottom)

#: Version of the dictionary layout written by :meth:`Document.to_dict`.
SERIAL_VERSION = 1

Origin = Literal["text", "ocr", "docx", "plain"]
PageKind = Literal["text", "ocr"]
Status = Literal["ok", "partial", "failed"]
Format = Literal["pdf", "docx", "doc", "image", "text"]


# -- serialisation helpers ------------------------------------------------------------------------
def _num(value: Any) -> int | float | None:
    """A plain ``int`` or ``float`` (NumPy scalars included) for JSON; ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    raise ValueError(f"not a number: {value!r}")


def _box_out(box: BBox | None) -> list[int | float] | None:
    return None if box is None else [_num(v) for v in box]  # type: ignore[misc]


def _box_in(raw: Any) -> BBox | None:
    if raw is None:
        return None
    if not isinstance(raw, (list, tuple)) or len(raw) != 4:
        raise ValueError(f"a bbox is four numbers, not {raw!r}")
    return tuple(_num(v) for v in raw)  # type: ignore[return-value]


def _field(d: Any, key: str, kind: str) -> Any:
    if not isinstance(d, dict):
        raise ValueError(f"{kind}: expected a dict, got {type(d).__name__}")
    if key not in d:
        raise ValueError(f"{kind}: missing key {key!r}")
    return d[key]


@dataclass
class Word:
    text: str
    bbox: BBox | None
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"text": str(self.text), "bbox": _box_out(self.bbox), "confidence": _num(self.confidence)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Word:
        return cls(
            text=str(_field(d, "text", "word")),
            bbox=_box_in(d.get("bbox")),
            confidence=_num(d.get("confidence", 1.0)),  # type: ignore[arg-type]
        )


@dataclass
class Line:
    text: str
    bbox: BBox | None = None
    confidence: float = 1.0
    origin: Origin = "text"
    words: list[Word] = field(default_factory=list)
    kind: Literal["paragraph", "table_row", "header", "footer", "line"] = "line"

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": str(self.text),
            "bbox": _box_out(self.bbox),
            "confidence": _num(self.confidence),
            "origin": str(self.origin),
            "kind": str(self.kind),
            "words": [word.to_dict() for word in self.words],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Line:
        return cls(
            text=str(_field(d, "text", "line")),
            bbox=_box_in(d.get("bbox")),
            confidence=_num(d.get("confidence", 1.0)),  # type: ignore[arg-type]
            origin=d.get("origin", "text"),
            words=[Word.from_dict(w) for w in d.get("words") or []],
            kind=d.get("kind", "line"),
        )


@dataclass
class Seal:
    """A red official seal (公章) seen on a page: signing evidence for later checks."""

    bbox: BBox | None  # None for a seal in a DOCX picture (no page geometry)
    score: float  # 0-1, how seal-like the red blob is
    covers_text: bool = False  # the seal lies over text lines

    def to_dict(self) -> dict[str, Any]:
        return {"bbox": _box_out(self.bbox), "score": _num(self.score), "covers_text": bool(self.covers_text)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Seal:
        return cls(
            bbox=_box_in(_field(d, "bbox", "seal")),
            score=_num(_field(d, "score", "seal")),  # type: ignore[arg-type]
            covers_text=bool(d.get("covers_text", False)),
        )


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": int(self.number),
            "kind": str(self.kind),
            "width": _num(self.width),
            "height": _num(self.height),
            "unit": self.unit,
            "rotation": int(self.rotation),
            "dpi": _num(self.dpi),
            "sheet": None if self.sheet is None else [[_num(v) for v in corner] for corner in self.sheet],
            "lines": [line.to_dict() for line in self.lines],
            "seals": [seal.to_dict() for seal in self.seals],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Page:
        sheet = d.get("sheet")
        return cls(
            number=int(_field(d, "number", "page")),
            kind=_field(d, "kind", "page"),
            width=_num(d.get("width")),
            height=_num(d.get("height")),
            unit=d.get("unit"),
            lines=[Line.from_dict(line) for line in d.get("lines") or []],
            seals=[Seal.from_dict(seal) for seal in d.get("seals") or []],
            rotation=int(d.get("rotation") or 0),
            dpi=_num(d.get("dpi")),
            sheet=None if sheet is None else [[_num(v) for v in corner] for corner in sheet],  # type: ignore[misc]
        )


@dataclass
class DocumentError:
    code: str
    message: str
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": str(self.code), "message": str(self.message), "page": None if self.page is None else int(self.page)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DocumentError:
        page = d.get("page")
        return cls(
            code=str(_field(d, "code", "error")),
            message=str(d.get("message", "")),
            page=None if page is None else int(page),
        )


@dataclass
class SourceInfo:
    path: str
    name: str
    sha256: str
    size: int
    format: Format | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "name": str(self.name),
            "sha256": str(self.sha256),
            "size": int(self.size),
            "format": self.format,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SourceInfo:
        return cls(
            path=str(_field(d, "path", "source")),
            name=str(d.get("name", "")),
            sha256=str(d.get("sha256", "")),
            size=int(d.get("size") or 0),
            format=d.get("format"),
        )


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

    # -- serialisation ----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The document as plain JSON data (str/int/float/bool/None/list/dict only).

        Carries ``"version"`` (:data:`SERIAL_VERSION`), the source, status, errors, timings,
        OCR engine and every page with its lines, words and seals; boxes become lists. The full
        text and its offset map are derived state and are not written: :meth:`from_dict` rebuilds
        them, so ``text``, ``spans`` and ``locate`` of the copy equal the original's.
        """
        return {
            "version": SERIAL_VERSION,
            "source": self.source.to_dict(),
            "status": str(self.status),
            "errors": [error.to_dict() for error in self.errors],
            "timings": {str(k): _num(v) for k, v in self.timings.items()},
            "ocr_engine": self.ocr_engine,
            "pages": [page.to_dict() for page in self.pages],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        """A Document from :meth:`to_dict` output (e.g. after a JSON round trip).

        Raises ``ValueError`` for data that is not such a dict or comes from a newer layout
        version; keys this version does not know are ignored.
        """
        version = _field(d, "version", "document")
        if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= SERIAL_VERSION:
            raise ValueError(f"unsupported Document layout version {version!r} (this code reads 1…{SERIAL_VERSION})")
        timings = d.get("timings") or {}
        if not isinstance(timings, dict):
            raise ValueError("document: 'timings' must be a dict")
        return cls(
            source=SourceInfo.from_dict(_field(d, "source", "document")),
            pages=[Page.from_dict(page) for page in d.get("pages") or []],
            errors=[DocumentError.from_dict(error) for error in d.get("errors") or []],
            status=d.get("status", "ok"),
            timings={str(k): _num(v) for k, v in timings.items()},  # type: ignore[misc]
            ocr_engine=d.get("ocr_engine"),
        )
