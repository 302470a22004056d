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


# ---------------------------------------------------------------------------- the page viewer
@dataclass(frozen=True)
class Box:
    """One numbered place on a page: the evidence quoted there (field and finding labels)."""

    number: int
    kind: str
    bbox: tuple[float, float, float, float]
    labels: tuple[str, ...]
    quotes: tuple[str, ...]


def numbered_boxes(items: Iterable[Mark], page: int) -> list[Box]:
    """The boxes of ``items`` on ``page``, one per place and kind, numbered 1, 2, … from the top
    of the page (the numbers the viewer shows and the quotes beside it refer to)."""
    grouped: dict[tuple, tuple[list[str], list[str]]] = {}
    for m in items:
        if m.bbox is None or m.page != page:
            continue
        labels, quotes = grouped.setdefault((m.kind, tuple(round(v, 1) for v in m.bbox)), ([], []))
        if m.label not in labels:
            labels.append(m.label)
        if m.text and m.text not in quotes:
            quotes.append(m.text)
    ordered = sorted(grouped.items(), key=lambda kv: (kv[0][1][1], kv[0][1][0], kv[0][0] == "finding"))
    return [Box(i, kind, bbox, tuple(labels), tuple(quotes))
            for i, ((kind, bbox), (labels, quotes)) in enumerate(ordered, start=1)]


def box_of(boxes: Iterable[Box], mark: Mark) -> int | None:
    """The number of the box showing ``mark`` (None: not on this page or without a box)."""
    if mark.bbox is None:
        return None
    key = tuple(round(v, 1) for v in mark.bbox)
    return next((b.number for b in boxes if b.bbox == key and b.kind == mark.kind), None)


_VIEWER_CSS = """
*{box-sizing:border-box;font-family:"Noto Sans SC","Source Han Sans SC","Microsoft YaHei",sans-serif}
body{margin:0;color:#1f2328}
.bar{display:flex;gap:6px;align-items:center;flex-wrap:wrap;padding:4px 0 6px}
.bar button{border:1px solid #d0d7de;background:#f6f8fa;border-radius:6px;padding:2px 10px;cursor:pointer;font-size:13px}
.bar button.on{background:#0969da;color:#fff;border-color:#0969da}
.bar .hint{color:#59636e;font-size:12px;margin-left:auto}
.chips{display:flex;gap:4px;flex-wrap:wrap;height:56px;overflow-y:auto;overflow-x:hidden;margin-bottom:6px}
.chip{border:1px solid var(--c);border-left-width:4px;background:#fff;border-radius:4px;font-size:12px;
      padding:1px 6px;cursor:pointer;max-width:290px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.scroll{overflow:auto;border:1px solid #d0d7de;border-radius:6px;background:#eaeef2;position:relative}
.sheet{position:relative;margin:0 auto 0 26px}
.sheet img{display:block;width:100%;height:auto}
.box{position:absolute;border:2px solid var(--c);background:transparent;border-radius:2px;cursor:pointer}
.box .tag{position:absolute;right:100%;top:-2px;margin-right:3px;background:var(--c);color:#fff;font-size:11px;
          line-height:14px;min-width:16px;text-align:center;border-radius:3px;padding:0 2px}
.box.flash{animation:flash 1.6s ease-out 2;background:rgba(255,212,0,.35)}
@keyframes flash{0%{box-shadow:0 0 0 6px rgba(255,196,0,.9)}100%{box-shadow:0 0 0 0 rgba(255,196,0,0)}}
"""

_VIEWER_JS = """
const scroll=document.getElementById('scroll'), sheet=document.getElementById('sheet');
const natural=%(width)d; let zoom='fit';
function apply(){
  const avail=scroll.clientWidth-34;
  const w = zoom==='fit' ? Math.max(avail, %(min_width)d) : Math.round(natural*zoom);
  sheet.style.width=w+'px';
  document.querySelectorAll('.bar button[data-z]').forEach(b=>b.classList.toggle('on', b.dataset.z===String(zoom)));
}
document.querySelectorAll('.bar button[data-z]').forEach(b=>b.onclick=()=>{
  zoom = b.dataset.z==='fit' ? 'fit' : parseFloat(b.dataset.z); apply();});
window.addEventListener('resize', apply); apply();
function focusEvidence(n){
  const box=document.getElementById('ev-'+n); if(!box) return false;
  const r=box.getBoundingClientRect(), s=scroll.getBoundingClientRect();
  scroll.scrollTo({top:scroll.scrollTop+r.top-s.top-scroll.clientHeight/3,
                   left:scroll.scrollLeft+r.left-s.left-40, behavior:'smooth'});
  box.classList.remove('flash'); void box.offsetWidth; box.classList.add('flash');
  return true;
}
window.focusEvidence=focusEvidence;
document.querySelectorAll('.bar button[data-kind]').forEach(b=>b.onclick=()=>{  // show / hide one kind
  const on=!b.classList.toggle('on') ? false : true;
  document.querySelectorAll('.'+b.dataset.kind).forEach(el=>{if(!el.matches('button[data-kind]')) el.style.display=on?'':'none';});
});
document.querySelectorAll('[data-ev]').forEach(el=>el.addEventListener('click',()=>focusEvidence(el.dataset.ev)));
window.addEventListener('message',e=>{if(e.data&&e.data.crFocus) focusEvidence(e.data.crFocus);});
"""


def viewer_html(image_jpeg: bytes, size: tuple[int, int], scale: float, boxes: Iterable[Box],
                colors: dict[str, str], *, height: int = 600, min_width: int = 900) -> str:
    """A self-contained page viewer (for ``st.components.v1.html``): the page image at least
    ``min_width`` px wide with zoom, its evidence boxes numbered in the margin (a label never
    covers the text), and a row of the quotes: clicking one scrolls to its box and flashes it.
    ``window.focusEvidence(n)`` does the same from outside (the findings' quotes)."""
    import base64

    width, img_height = size
    data = base64.b64encode(image_jpeg).decode("ascii")
    chips, divs = [], []
    for b in boxes:
        color = colors[b.kind]
        x0, y0, x1, y1 = (v * scale for v in b.bbox)
        left, top = 100 * x0 / width, 100 * y0 / img_height
        w, h = 100 * max(1.0, x1 - x0) / width, 100 * max(1.0, y1 - y0) / img_height
        title = html.escape("、".join(b.labels) + ("：「" + b.quotes[0] + "」" if b.quotes else ""))
        divs.append(f'<div class="box {b.kind}" id="ev-{b.number}" data-ev="{b.number}" title="{title}" '
                    f'style="--c:{color};left:{left:.3f}%;top:{top:.3f}%;width:{w:.3f}%;height:{h:.3f}%">'
                    f'<span class="tag">{b.number}</span></div>')
        quote = b.quotes[0] if b.quotes else ""
        chips.append(f'<button class="chip {b.kind}" data-ev="{b.number}" style="--c:{color}" title="{title}">'
                     f'{b.number} {html.escape("、".join(b.labels))}'
                     + (f"：{html.escape(quote[:24])}" if quote else "") + "</button>")
    bar = ('<div class="bar"><button data-z="fit">适合宽度</button><button data-z="1">100%</button>'
           '<button data-z="1.5">150%</button><button data-z="2">200%</button>'
           '<button class="on" data-kind="field">字段证据</button><button class="on" data-kind="finding">问题证据</button>'
           '<span class="hint">点击证据可定位到原文位置</span></div>')
    scroll_height = height - 44 - (62 if chips else 0)
    return (f"<!doctype html><html><head><meta charset='utf-8'><style>{_VIEWER_CSS}</style></head><body>"
            f"{bar}" + (f'<div class="chips">{"".join(chips)}</div>' if chips else "")
            + f'<div class="scroll" id="scroll" style="height:{scroll_height}px"><div class="sheet" id="sheet">'
            f'<img alt="页面图像" src="data:image/jpeg;base64,{data}">{"".join(divs)}</div></div>'
            f"<script>{_VIEWER_JS % {'width': width, 'min_width': min_width}}</script></body></html>")
