"""What every field extractor reads: the document text (width-folded, same offsets), its clauses,
and a helper that turns a character span into a FieldValue with page and box."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ingest import Document

from .agreement import FieldValue
from .normalize import fold
from .textnorm import normalise

# Clause headings: 第一条 / 第1条 / 一、 / 1. / 1、 / （一） / (1) / 一. ; run-in headings ("租赁期限：")
_HEADING = re.compile(
    r"^\s*(?:"
    r"第[一二三四五六七八九十百零〇\d]{1,4}[条章节款]"
    r"|[一二三四五六七八九十]{1,3}[、.．]"
    r"|\d{1,2}\s*[、.．](?!\d)"
    r"|[（(][一二三四五六七八九十\d]{1,3}[)）]"
    r"|【[^】\n]{2,12}】"
    r"|[\u4e00-\u9fa5]{2,8}[:：](?=\S)"  # run-in heading: 租赁期限：…
    r")"
)


# a line that opens something new is never the tail of the line before it: a clause heading, a
# labelled party or signature-block line (甲方：… / 出租方（甲方）… / 签订日期：…). A party word
# alone is not enough: 「租金由\n乙方直接缴入…」 runs on.
_STARTS_NEW = re.compile(
    r"^[ \t　]*(?:【|"
    r"(?:甲方|乙方|丙方|出租|承租|发包|承包|流出|流入|转让|受让|出借|借用|合作方|债权人|保证人|抵押人|债务人|法定代表人|负责人|委托代理人|"
    r"代表人|签订|签约|日期|地址|住所|联系电话|电话|统一社会|身份证|收款|交款|金额|经办人|单位|备注|注|履约情况|附件|合同编号|编号)"
    r"[^\n，,。；;]{0,10}?[:：（(])"
)
_ENDS_LINE = "。：:；;！？!?"  # not a closing bracket: 「（大写：…整）」 often runs on


def join_soft_wraps(doc: Document) -> tuple[str, list[int]]:
    """The document text with soft line wraps removed, and each character's offset in
    ``doc.text`` (plus the end), so quotes found in the joined text point back at pages and
    boxes. The one rule extraction and the checks both read by.

    A wrap is soft when a positioned line (PDF, OCR) reaches the text block's right margin, does
    not end a sentence, is not a table row, and the next line does not open something new (a
    clause heading, a party or signature line). OCR and PDF text break paragraphs at the margin,
    so a name, a date or an amount may straddle the break; text and Word files have no
    positions and keep their lines (a line is a paragraph there)."""
    text = doc.text
    drop: set[int] = set()
    for page in doc.pages:
        boxes = [line.bbox for line in page.lines if line.bbox is not None]
        if len(boxes) < 3:
            continue
        rights = sorted(b[2] for b in boxes)
        right = rights[int(0.8 * (len(rights) - 1))]  # the text block's margin, not an outlier
        left = min(b[0] for b in boxes)
        width = max(1.0, right - left)
        spans = [sp for sp in doc.spans if sp.page == page.number]
        for sp, nxt in zip(spans, spans[1:]):
            line = page.lines[sp.line]
            if line.bbox is None or not line.text.strip():
                continue
            if line.bbox[2] < right - 0.05 * width:
                continue  # the line stops short of the margin: a real break
            if line.text.rstrip()[-1] in _ENDS_LINE or "\t" in line.text:
                continue
            following = page.lines[nxt.line].text
            if not following.strip() or "\t" in following or _HEADING.match(following) or _STARTS_NEW.match(following):
                continue
            drop.add(sp.end)  # the "\n" right after this line
    if not drop:
        return text, list(range(len(text) + 1))
    chars, index = [], []
    for i, ch in enumerate(text):
        if i in drop and ch == "\n":
            continue
        chars.append(ch)
        index.append(i)
    index.append(len(text))
    return "".join(chars), index


@dataclass
class Clause:
    start: int  # offsets into Context.text
    end: int
    heading: str  # the numbering as written ("第三条", "三、", "") — empty for the preamble
    kind: str | None = None  # clause type, set by the classifier

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass
class Context:
    doc: Document
    fields: dict[str, FieldValue | None] = field(default_factory=dict)

    @cached_property
    def _joined(self) -> tuple[str, list[int]]:
        return join_soft_wraps(self.doc)

    @cached_property
    def _normal(self) -> tuple[str, list[int]]:
        return normalise(self._joined[0])

    @cached_property
    def raw(self) -> str:
        """The text every extractor reads: soft wraps joined, glosses dropped, simplified script."""
        return self._normal[0]

    @cached_property
    def as_written(self) -> str:
        """:attr:`raw` in the document's own script (same length): names are quoted as written."""
        joined, index = self._joined[0], self._normal[1]
        return "".join(joined[i] for i in index[:-1])

    def to_joined(self, pos: int) -> int:
        index = self._normal[1]
        return index[min(max(pos, 0), len(index) - 1)]

    def to_doc(self, pos: int) -> int:
        """Offset in ``doc.text`` of position ``pos`` of :attr:`raw`."""
        index = self._joined[1]
        return index[min(max(self.to_joined(pos), 0), len(index) - 1)]

    @cached_property
    def text(self) -> str:
        """Width-folded text (full-width digits and punctuation to ASCII), same length as raw."""
        return fold(self.raw)

    @cached_property
    def lines(self) -> list[tuple[int, int]]:
        spans, pos = [], 0
        for piece in re.split(r"([\n\f])", self.raw):
            if piece in ("\n", "\f"):
                pos += 1
                continue
            spans.append((pos, pos + len(piece)))
            pos += len(piece)
        return spans

    @cached_property
    def clauses(self) -> list[Clause]:
        """The text cut at clause headings; consecutive lines without a heading stay together."""
        clauses: list[Clause] = []
        current = Clause(0, 0, "")
        for start, end in self.lines:
            line = self.raw[start:end]
            m = _HEADING.match(line)
            if m and current.end > current.start:
                clauses.append(current)
                current = Clause(start, end, m.group(0).strip())
            elif m:
                current = Clause(start, end, m.group(0).strip())
            else:
                if current.end == current.start:
                    current.start = start
                current.end = end
        if current.end > current.start:
            clauses.append(current)
        return clauses

    def clause_at(self, pos: int) -> Clause | None:
        for clause in self.clauses:
            if clause.start <= pos < clause.end + 1:
                return clause
        return None

    def sentence_span(self, pos: int, stops: str = "。；;\n\f") -> tuple[int, int]:
        """The sentence around ``pos`` (bounded by 。；, line breaks are not bounds inside a clause)."""
        text = self.raw
        start = pos
        while start > 0 and text[start - 1] not in stops:
            start -= 1
        end = pos
        while end < len(text) and text[end] not in stops:
            end += 1
        return start, end

    def value(self, value: Any, start: int, end: int, confidence: float = 0.9) -> FieldValue:
        if isinstance(value, str) and value and value == self.raw[start:end]:
            value = self.as_written[start:end]  # a name keeps the script it was written in
        j0 = self.to_joined(start)
        j1 = self.to_joined(end - 1) + 1 if end > start else j0
        quoted = self._joined[0][j0:j1]
        start, end = self.to_doc(start), self.to_doc(end - 1) + 1 if end > start else self.to_doc(start)
        page, bbox = self.doc.locate(start, end)
        # OCR lines carry their own confidence: the evidence can be no surer than its reading
        line_conf = self._line_confidence(start, end)
        return FieldValue(
            value=value,
            text=quoted,
            page=page,
            bbox=bbox,
            confidence=round(min(confidence, line_conf) if line_conf is not None else confidence, 4),
        )

    def _line_confidence(self, start: int, end: int) -> float | None:
        confs = []
        for span in self.doc.spans:
            if span.end < start:
                continue
            if span.start > end:
                break
            line = self.doc.page(span.page).lines[span.line]
            if line.origin == "ocr":
                confs.append(line.confidence)
        return min(confs) if confs else None
