"""Where the detail page shows evidence: boxes on a page image, or highlights in the text
(pure functions, no Streamlit)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Iterable

from contract_review.labels import CHECK_LABELS, FIELD_LABELS


@dataclass(frozen=True)
class Mark:
    kind: str  # "field" | "finding"
    label: str
    text: str  # the quote
    page: int | None
    bbox: tuple[float, float, float, float] | None


def marks(agreement: dict, *, fields: bool = True, findings: bool = True) -> list[Mark]:
    """The evidence of the machine's fields and of the findings of an agreement (as
    :meth:`Store.agreement` returns it)."""
    out: list[Mark] = []
    if fields:
        for f in agreement["fields"]:
            m = f["machine"] or {}
            if m.get("text") or m.get("bbox"):
                out.append(Mark("field", FIELD_LABELS.get(f["name"], f["name"]), str(m.get("text") or ""),
                                m.get("page"), _bbox(m.get("bbox"))))
    if findings:
        for f in agreement["findings"]:
            for e in f["evidence"] or []:
                if e.get("text") or e.get("bbox"):
                    out.append(Mark("finding", CHECK_LABELS.get(f["check"], f["check"]), str(e.get("text") or ""),
                                    e.get("page"), _bbox(e.get("bbox"))))
    return out


def _bbox(raw) -> tuple[float, float, float, float] | None:
    if not raw or len(raw) != 4:
        return None
    try:
        return tuple(float(v) for v in raw)  # type: ignore[return-value]
    except (TypeError, ValueError):
        return None


def boxes_on_page(items: Iterable[Mark], page: int, colors: dict[str, str]) -> tuple[tuple, ...]:
    """``(bbox, label, color)`` for :func:`ingest.pages.draw_boxes`, findings drawn last (on top);
    a hashable tuple so it can key a cache."""
    grouped: dict[tuple, list[str]] = {}  # one box per place and kind, its labels joined
    for m in sorted(items, key=lambda m: m.kind == "finding"):
        if m.bbox is None or m.page != page:
            continue
        labels = grouped.setdefault((m.kind, tuple(round(v, 1) for v in m.bbox)), [])
        if m.label not in labels:
            labels.append(m.label)
    out = []
    for (kind, bbox), labels in grouped.items():
        text = "、".join(labels[:3]) + (f" 等{len(labels)}项" if len(labels) > 3 else "")
        out.append((bbox, text, colors[kind]))
    return tuple(out)


def highlight_html(text: str, items: Iterable[Mark], page: int | None, colors: dict[str, str]) -> str:
    """The page's text as HTML with every quote of ``items`` on that page (or without a page)
    marked in its kind's colour; findings win where a field and a finding overlap."""
    kinds = [""] * len(text)
    titles: list[str] = [""] * len(text)
    for m in sorted(items, key=lambda m: m.kind == "finding"):
        quote = m.text.strip()
        if not quote or (m.page is not None and page is not None and m.page != page):
            continue
        start = text.find(quote)
        while start >= 0:
            for i in range(start, start + len(quote)):
                kinds[i] = m.kind
                titles[i] = m.label
            start = text.find(quote, start + len(quote))
    out: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and kinds[j] == kinds[i] and titles[j] == titles[i]:
            j += 1
        chunk = html.escape(text[i:j]).replace("\n", "<br>")
        if kinds[i]:
            color = colors[kinds[i]]
            out.append(f'<mark title="{html.escape(titles[i])}" style="background:{color}33;'
                       f'border-bottom:2px solid {color};padding:0 1px">{chunk}</mark>')
        else:
            out.append(chunk)
        i = j
    return "".join(out)
