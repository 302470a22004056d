"""Render one agreement into every format a township hands in.

An agreement is a list of :class:`Block` (paragraphs, headings, tables).  One
layout engine (:func:`layout`) breaks it into A4 pages of positioned text
lines and table rules, in points; the digital PDF (fpdf2) and the page images
(PIL) both draw that same layout, so the ground-truth lines returned by
:func:`render_pages` match the PDF text line for line.

Formats::

    render_text(blocks, path)                      UTF-8 .txt
    render_docx(blocks, path, header=None)         Word, real tables, 宋体
    render_pdf(blocks, path, seal=None)            digital A4 PDF, embedded TTF
    render_page_images(blocks, dpi, seal, seed)    clean page images (PIL)
    render_pages(...)                              same + ground-truth lines
    scan_effects(img, seed, rotate90)              300-dpi office-scan look
    photo_effects(img, seed)                       phone-photo look
    render_scanned_pdf(blocks, path, seed)         image-only PDF (JPEG pages)
    render_image(blocks, path, seed, kind)         .jpg/.png page 1, .tif all pages
    render_mixed_pdf(blocks, path, seed)           page 1 digital, page 2+ scanned

Everything is deterministic for a given ``seed`` (``random.Random`` /
``numpy.random.default_rng`` instances only; PDF and DOCX timestamps fixed).
"""

from __future__ import annotations

import io
import math
import random
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .fonts import FontKind, otf_path, pil_font, ttf_font_path

# --------------------------------------------------------------------------
# Public data model
# --------------------------------------------------------------------------


@dataclass
class Block:
    """One paragraph or one table, in document order."""

    text: str = ""  # paragraph text (long text is wrapped; "\n" forces a break)
    table: list[list[str]] | None = None
    heading: bool = False  # title: centered, bold, larger
    #: "left" | "center" | "right"; default: center for headings, else left
    align: str | None = None
    #: first-line indent of two characters; default: True for body paragraphs
    indent: bool | None = None
    page_break_before: bool = False


@dataclass
class SealSpec:
    """A red round official seal (公章) stamped over the signature text."""

    text: str  # unit name around the ring, e.g. "某某镇人民政府"
    page: int = -1  # which page (-1 = last page)
    #: the seal is centred over the text following the first line on that page
    #: that contains ``anchor`` (e.g. "甲方（盖章）：某某镇人民政府"); when no
    #: line matches, the last "盖章" line, then the last text line, is used.
    anchor: str = "盖章"
    subtitle: str = ""  # horizontal text under the star, e.g. "合同专用章"
    diameter_mm: float = 42.0
    color: tuple[int, int, int] = (208, 32, 40)


@dataclass
class LayoutStyle:
    """Page geometry and type sizes, in points (1/72 inch)."""

    page_w: float = 595.2756  # A4
    page_h: float = 841.8898
    margin_top: float = 72.0  # 2.54 cm
    margin_bottom: float = 72.0
    margin_left: float = 85.0  # 3.0 cm
    margin_right: float = 85.0
    body_size: float = 12.0  # 小四
    body_leading: float = 1.75  # line height / font size
    heading_size: float = 18.0  # 小二
    heading_leading: float = 1.6
    heading_space_after: float = 10.0
    table_size: float = 10.5  # 五号
    table_leading: float = 1.45
    table_pad_h: float = 4.0
    table_pad_v: float = 3.5
    table_space: float = 6.0
    rule_width: float = 0.6
    body_font: FontKind = "serif"
    heading_font: FontKind = "sans"
    header: str | None = None  # small right-aligned text in the top margin of every page
    page_numbers: bool = False  # "第 n 页 共 N 页" in the bottom margin


@dataclass
class TextLine:
    """One laid-out line of text. Coordinates in points from the page's top-left."""

    page: int
    text: str
    x: float  # left edge of the first glyph's advance box
    baseline: float
    width: float
    size: float
    kind: FontKind = "serif"
    bold: bool = False
    block: int = -1  # index of the Block it came from (-1: header/footer)
    cell: tuple[int, int] | None = None  # (row, col) for table cells

    @property
    def top(self) -> float:  # ideographic em-box top (Noto CJK: 0.88 em above baseline)
        return self.baseline - 0.88 * self.size

    @property
    def bottom(self) -> float:
        return self.baseline + 0.12 * self.size

    def bbox(self, dpi: float = 72.0) -> tuple[int, int, int, int]:
        """(x0, y0, x1, y1) em box, in pixels at ``dpi`` (points when dpi=72)."""
        k = dpi / 72.0
        return (
            int(math.floor(self.x * k)),
            int(math.floor(self.top * k)),
            int(math.ceil((self.x + self.width) * k)),
            int(math.ceil(self.bottom * k)),
        )


@dataclass
class Rule:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 0.6


@dataclass
class PageLayout:
    lines: list[TextLine] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


@dataclass
class SealPlacement:
    spec: SealSpec
    page: int
    cx: float  # centre, points
    cy: float
    diameter: float  # points
    angle: float  # degrees, counter-clockwise
    seed: int

    def bbox(self, dpi: float = 72.0) -> tuple[int, int, int, int]:
        k = dpi / 72.0
        r = self.diameter / 2
        return (
            int((self.cx - r) * k),
            int((self.cy - r) * k),
            int(math.ceil((self.cx + r) * k)),
            int(math.ceil((self.cy + r) * k)),
        )


@dataclass
class RenderedPages:
    """Clean page images plus their ground truth."""

    images: list[Image.Image]
    lines: list[list[TextLine]]  # per page, in reading order
    seals: list[SealPlacement]
    dpi: int

    def texts(self) -> list[list[str]]:
        return [[ln.text for ln in page] for page in self.lines]

    def boxes(self) -> list[list[tuple[int, int, int, int]]]:
        return [[ln.bbox(self.dpi) for ln in page] for page in self.lines]


SealArg = SealSpec | Sequence[SealSpec] | None

_FIXED_DATE = datetime(2024, 1, 1, tzinfo=timezone.utc)

# --------------------------------------------------------------------------
# Metrics and line breaking
# --------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _metrics(kind: FontKind) -> tuple[dict[int, float], float]:
    """code point -> advance in em, from the OTF (same hmtx as the TTF subset)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(otf_path(kind)), lazy=True)
    upm = float(font["head"].unitsPerEm)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"].metrics
    adv = {cp: hmtx[g][0] / upm for cp, g in cmap.items()}
    font.close()
    return adv, upm


def text_width(text: str, size: float, kind: FontKind = "serif") -> float:
    """Advance width of ``text`` in points (no kerning, like fpdf2 and PIL basic layout)."""
    adv, _ = _metrics(kind)
    total = 0.0
    for ch in text:
        a = adv.get(ord(ch))
        if a is None:
            a = 1.0 if ord(ch) > 0x2E80 else 0.5
        total += a
    return total * size


# characters that must not start / end a line (禁则)
_NO_START = set("，。、；：？！）》」』】〕〗〉’”…—·％%‰℃,.;:?!)]}>～~／/")
_NO_END = set("（《「『【〔〖〈‘“([{<￥¥$＄")
_TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:[.,:/\-][A-Za-z0-9]+)*%?|[ \t]+|.", re.S)


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


def wrap_text(text: str, width: float, size: float, kind: FontKind = "serif", first_indent: float = 0.0) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points.

    Chinese has no spaces: any character boundary may break, except inside
    runs of Latin letters/digits (amounts, dates, phone numbers) and except
    that closing punctuation never starts a line and opening punctuation
    never ends one.  ``first_indent`` narrows the first line only.
    """
    out: list[str] = []
    for para in text.split("\n"):
        out.extend(_wrap_one(para, width, size, kind, first_indent if not out else 0.0))
    return out


def _wrap_one(text: str, width: float, size: float, kind: FontKind, first_indent: float) -> list[str]:
    toks: list[str] = []
    for t in _tokens(text):  # split tokens wider than a whole line
        if len(t) > 1 and text_width(t, size, kind) > width - first_indent:
            toks.extend(t)
        else:
            toks.append(t)
    lines: list[list[str]] = []
    cur: list[str] = []
    cur_w = 0.0
    avail = width - first_indent
    for tok in toks:
        w = text_width(tok, size, kind)
        if cur and cur_w + w > avail + 1e-6:
            if tok.isspace():  # break at the space, drop it
                lines.append(cur)
                cur, cur_w, avail = [], 0.0, width
                continue
            carry: list[str] = []
            if tok[0] in _NO_START and len(cur) > 1:
                carry.insert(0, cur.pop())  # pull the previous char down with the punctuation
            while len(cur) > 1 and cur[-1] and cur[-1][-1] in _NO_END:
                carry.insert(0, cur.pop())
            lines.append(cur)
            cur = carry
            cur_w = sum(text_width(t, size, kind) for t in cur)
            avail = width
        if not cur and tok.isspace():
            continue
        cur.append(tok)
        cur_w += w
    if cur or not lines:
        lines.append(cur)
    return ["".join(ln).rstrip() for ln in lines]


# --------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------


def _cell_text(c) -> str:
    return "" if c is None else str(c)


def layout(blocks: Sequence[Block], style: LayoutStyle | None = None) -> list[PageLayout]:
    """Lay ``blocks`` out on A4 pages.  Deterministic, no randomness."""
    st = style or LayoutStyle()
    pages: list[PageLayout] = [PageLayout()]
    y = st.margin_top
    x0 = st.margin_left
    avail_w = st.page_w - st.margin_left - st.margin_right
    y_max = st.page_h - st.margin_bottom

    def new_page() -> None:
        nonlocal y
        pages.append(PageLayout())
        y = st.margin_top

    for bi, blk in enumerate(blocks):
        if blk.page_break_before and (pages[-1].lines or pages[-1].rules):
            new_page()
        if blk.table:
            y = _layout_table(blk.table, bi, st, pages, y, new_page_cb=new_page)
            continue
        if blk.heading:
            size, lead, kind, bold = st.heading_size, st.heading_leading, st.heading_font, True
            align = blk.align or "center"
            indent = 0.0
        else:
            size, lead, kind, bold = st.body_size, st.body_leading, st.body_font, False
            align = blk.align or "left"
            use_indent = blk.indent if blk.indent is not None else (align == "left")
            indent = 2 * size if use_indent else 0.0
        lh = size * lead
        if not blk.text.strip():
            y += lh  # empty paragraph = blank line
            continue
        if "\t" in blk.text and "\n" not in blk.text:
            # tab-separated columns on one line (e.g. 甲方… <tab> 乙方…): equal tab stops
            segs = blk.text.split("\t")
            if y + lh > y_max + 1e-6:
                new_page()
            baseline = y + (lh - size) / 2 + 0.88 * size
            for si, seg in enumerate(segs):
                seg = seg.strip()
                if seg:
                    x = x0 + avail_w * si / len(segs)
                    w = text_width(seg, size, kind)
                    pages[-1].lines.append(TextLine(len(pages) - 1, seg, x, baseline, w, size, kind, bold, bi))
            y += lh
            continue
        for li, line in enumerate(wrap_text(blk.text, avail_w, size, kind, first_indent=indent)):
            if y + lh > y_max + 1e-6:
                new_page()
                y = max(y, st.margin_top)
            w = text_width(line, size, kind)
            if align == "center":
                x = x0 + (avail_w - w) / 2
            elif align == "right":
                x = x0 + avail_w - w
            else:
                x = x0 + (indent if li == 0 else 0.0)
            baseline = y + (lh - size) / 2 + 0.88 * size
            if line:
                pages[-1].lines.append(TextLine(len(pages) - 1, line, x, baseline, w, size, kind, bold, bi))
            y += lh
        if blk.heading:
            y += st.heading_space_after

    # drop a trailing empty page (e.g. a page break at the very end)
    while len(pages) > 1 and not pages[-1].lines and not pages[-1].rules:
        pages.pop()
    _add_header_footer(pages, st)
    return pages


def _layout_table(rows: list[list[str]], bi: int, st: LayoutStyle, pages: list[PageLayout], y: float, new_page_cb) -> float:
    size, kind = st.table_size, st.body_font
    lh = size * st.table_leading
    ph, pv = st.table_pad_h, st.table_pad_v
    avail_w = st.page_w - st.margin_left - st.margin_right
    y_max = st.page_h - st.margin_bottom
    ncol = max(len(r) for r in rows)
    grid = [[_cell_text(r[j]) if j < len(r) else "" for j in range(ncol)] for r in rows]

    natural = [0.0] * ncol
    minimum = [0.0] * ncol
    for r in grid:
        for j, c in enumerate(r):
            for part in c.split("\n"):
                natural[j] = max(natural[j], text_width(part, size, kind) + 2 * ph)
                longest = max((text_width(t, size, kind) for t in _tokens(part)), default=0.0)
                minimum[j] = max(minimum[j], min(longest, 4 * size) + 2 * ph)
    minimum = [max(m, 2 * size + 2 * ph) for m in minimum]
    if sum(natural) <= avail_w:
        extra = avail_w - sum(natural)
        tot = sum(natural) or 1.0
        widths = [n + extra * n / tot for n in natural]
    else:
        # max-min fairness: narrow columns keep their natural width, the
        # wide ones share what is left (in proportion to their natural width)
        widths = [0.0] * ncol
        todo = sorted(range(ncol), key=lambda j: natural[j])
        rest = avail_w
        while todo and natural[todo[0]] <= rest / len(todo):
            j = todo.pop(0)
            widths[j] = natural[j]
            rest -= natural[j]
        tot = sum(natural[j] for j in todo) or 1.0
        for j in todo:
            widths[j] = max(minimum[j], rest * natural[j] / tot)
        if sum(widths) > avail_w:  # minimums overflowed: scale everything down
            widths = [w * avail_w / sum(widths) for w in widths]

    xs = [st.margin_left]
    for w in widths:
        xs.append(xs[-1] + w)

    y += st.table_space / 2
    first_on_page = True
    for ri, r in enumerate(grid):
        cell_lines = [wrap_text(c, widths[j] - 2 * ph, size, kind) if c else [] for j, c in enumerate(r)]
        n = max([len(cl) for cl in cell_lines] + [1])
        row_h = n * lh + 2 * pv
        if y + row_h > y_max + 1e-6 and not first_on_page:
            new_page_cb()
            y = st.margin_top
            first_on_page = True
        page = pages[-1]
        pi = len(pages) - 1
        if first_on_page:
            page.rules.append(Rule(xs[0], y, xs[-1], y, st.rule_width))
        page.rules.append(Rule(xs[0], y + row_h, xs[-1], y + row_h, st.rule_width))
        for x in xs:
            page.rules.append(Rule(x, y, x, y + row_h, st.rule_width))
        bold = ri == 0 and len(grid) > 1
        for j, cl in enumerate(cell_lines):
            if not cl:
                continue
            inner = widths[j] - 2 * ph
            ty = y + pv + (n - len(cl)) * lh / 2  # vertically centred
            for li, line in enumerate(cl):
                w = text_width(line, size, kind)
                x = xs[j] + ph + ((inner - w) / 2 if len(cl) == 1 else 0.0)
                baseline = ty + li * lh + (lh - size) / 2 + 0.88 * size
                if line:
                    page.lines.append(TextLine(pi, line, x, baseline, w, size, kind, bold, bi, (ri, j)))
        y += row_h
        first_on_page = False
    return y + st.table_space


def _add_header_footer(pages: list[PageLayout], st: LayoutStyle) -> None:
    size = 9.0
    for pi, p in enumerate(pages):
        if st.header:
            w = text_width(st.header, size, st.body_font)
            x = st.page_w - st.margin_right - w
            p.lines.insert(0, TextLine(pi, st.header, x, st.margin_top * 0.6, w, size, st.body_font, False, -1))
        if st.page_numbers:
            t = f"第{pi + 1}页 共{len(pages)}页"
            w = text_width(t, size, st.body_font)
            x = (st.page_w - w) / 2
            p.lines.append(TextLine(pi, t, x, st.page_h - st.margin_bottom * 0.5, w, size, st.body_font, False, -1))


def page_text_lines(blocks: Sequence[Block], style: LayoutStyle | None = None) -> list[list[str]]:
    """Ground-truth text lines per page (identical for the PDF and the images)."""
    return [[ln.text for ln in p.lines] for p in layout(blocks, style)]


def plain_text(blocks: Sequence[Block]) -> str:
    """The agreement as plain text (what :func:`render_text` writes)."""
    out: list[str] = []
    for b in blocks:
        if b.table:
            out.extend("\t".join(_cell_text(c).replace("\n", " ") for c in row) for row in b.table)
        else:
            out.append(b.text)
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------
# Seals
# --------------------------------------------------------------------------


def _as_seal_list(seal: SealArg) -> list[SealSpec]:
    if seal is None:
        return []
    if isinstance(seal, SealSpec):
        return [seal]
    return list(seal)


def place_seals(pages: list[PageLayout], seal: SealArg, seed: int = 0) -> list[SealPlacement]:
    """Where each seal lands: over the unit name after its anchor line."""
    out: list[SealPlacement] = []
    for i, spec in enumerate(_as_seal_list(seal)):
        rng = random.Random(f"seal:{seed}:{i}")
        pi = spec.page if spec.page >= 0 else len(pages) + spec.page
        pi = min(max(pi, 0), len(pages) - 1)
        lines = [ln for ln in pages[pi].lines if ln.block >= 0]
        target = next((ln for ln in lines if spec.anchor and spec.anchor in ln.text), None)
        if target is None:
            target = next((ln for ln in reversed(lines) if "盖章" in ln.text), None)
        if target is None and lines:
            target = lines[-1]
        d = spec.diameter_mm / 25.4 * 72.0
        if target is None:
            cx, cy = 400.0, 650.0
        else:
            # centre over the text after the anchor's colon (the unit name), else after the colon
            txt = target.text
            a = max(0, txt.find(spec.anchor)) if spec.anchor else 0
            m = re.compile(r"[：:]").search(txt, a)
            k = m.start() if m else -1
            end = len(txt)
            gap = re.compile(r"\s{2,}").search(txt, k + 1)
            if gap:
                end = gap.start()
            pre = text_width(txt[: k + 1], target.size, target.kind) if k >= 0 else target.width * 0.5
            rest = text_width(txt[k + 1 : end], target.size, target.kind) if k >= 0 else target.width * 0.5
            if rest > target.size * 2:
                cx = target.x + pre + rest * rng.uniform(0.35, 0.6)
            else:
                cx = target.x + pre + d * rng.uniform(0.25, 0.45)
            cy = (target.top + target.bottom) / 2 + d * rng.uniform(-0.15, 0.2)
        out.append(SealPlacement(spec, pi, cx, cy, d, rng.uniform(-14, 14), rng.randrange(1 << 30)))
    return out


def _star(cx: float, cy: float, r: float, rot: float = -90.0) -> list[tuple[float, float]]:
    pts = []
    for k in range(10):
        rr = r if k % 2 == 0 else r * 0.382
        a = math.radians(rot + k * 36)
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def seal_image(spec: SealSpec, diameter_px: int, seed: int = 0, angle: float = 0.0) -> Image.Image:
    """RGBA image of the seal (colour ``spec.color``, ink density in alpha)."""
    rng = np.random.default_rng([seed, 7])
    ss = 2  # supersampling
    D = int(diameter_px) * ss
    R = D / 2.0
    mask = Image.new("L", (D, D), 0)
    dr = ImageDraw.Draw(mask)
    ring = max(2.0, R * 0.065)
    dr.ellipse((1, 1, D - 2, D - 2), outline=255, width=int(round(ring)))
    has_sub = bool(spec.subtitle)
    star_r = R * (0.30 if has_sub else 0.34)
    star_cy = R - (R * 0.08 if has_sub else 0.0)
    dr.polygon(_star(R, star_cy, star_r), fill=255)

    # unit name along the upper arc, each glyph's "up" pointing outward
    chars = [c for c in spec.text if not c.isspace()]
    n = len(chars)
    if n:
        # government seals: 宋体 characters, tall and narrow, spread over ~150-250°
        ch_h = R * 0.31
        r_text = R - ring - R * 0.045 - ch_h * 0.5
        span = min(225.0 if has_sub else 250.0, max(150.0, 26.0 * n)) if n > 1 else 0.0
        step = span / (n - 1) if n > 1 else 0.0
        arc_per_char = math.radians(step) * r_text if n > 1 else ch_h
        font = pil_font(int(ch_h), "serif")
        for i, ch in enumerate(chars):
            theta = -span / 2 + i * step  # degrees clockwise from 12 o'clock
            g = Image.new("L", (int(ch_h * 1.6), int(ch_h * 1.6)), 0)
            gd = ImageDraw.Draw(g)
            gd.text((g.width / 2, g.height / 2), ch, font=font, fill=255, anchor="mm", stroke_width=max(1, int(ch_h / 34)), stroke_fill=255)
            sx = min(0.85, arc_per_char * 0.9 / ch_h)
            if sx < 0.999:
                g = g.resize((max(1, int(g.width * sx)), g.height), Image.LANCZOS)
                pad = Image.new("L", (int(ch_h * 1.6), int(ch_h * 1.6)), 0)
                pad.paste(g, ((pad.width - g.width) // 2, 0))
                g = pad
            g = g.rotate(-theta, resample=Image.BICUBIC)
            t = math.radians(theta)
            px = R + r_text * math.sin(t) - g.width / 2
            py = R - r_text * math.cos(t) - g.height / 2
            mask.paste(255, (int(round(px)), int(round(py))), g)
    if has_sub:
        sub_h = R * 0.17
        font = pil_font(int(sub_h), "sans")
        w = dr.textlength(spec.subtitle, font=font)
        maxw = R * 0.95
        if w > maxw:
            font = pil_font(max(4, int(sub_h * maxw / w)), "sans")
        dr.text((R, R + R * 0.47), spec.subtitle, font=font, fill=255, anchor="mm", stroke_width=1, stroke_fill=255)

    if angle:
        mask = mask.rotate(angle, resample=Image.BICUBIC)
    mask = mask.resize((diameter_px, diameter_px), Image.LANCZOS)

    # ink: uneven density, a few voids, slight bleed
    a = np.asarray(mask, dtype=np.float32) / 255.0
    h, w = a.shape
    low = rng.normal(0, 1, (max(2, h // 24), max(2, w // 24))).astype(np.float32)
    low = np.asarray(Image.fromarray(low).resize((w, h), Image.BICUBIC))
    low = (low - low.min()) / (np.ptp(low) + 1e-6)
    density = 0.62 + 0.38 * low
    grain = rng.random((h, w)).astype(np.float32)
    density *= np.where(grain < 0.02, 0.45, 1.0)
    # one side pressed harder than the other
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    t = rng.uniform(0, 2 * math.pi)
    density *= 0.85 + 0.15 * ((np.cos(t) * (xx / w - 0.5) + np.sin(t) * (yy / h - 0.5)) + 0.5)
    a = np.clip(a * density * rng.uniform(0.85, 0.95), 0, 1)
    a_img = Image.fromarray((a * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    rgba = Image.new("RGBA", (w, h), spec.color + (0,))
    rgba.putalpha(a_img)
    return rgba


def _multiply_rgba(page: np.ndarray, overlay: Image.Image, x: int, y: int) -> None:
    """Multiply-blend an RGBA overlay into ``page`` (HxWx3 uint8) in place."""
    ov = np.asarray(overlay, dtype=np.float32)
    H, W = page.shape[:2]
    h, w = ov.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(W, x + w), min(H, y + h)
    if x0 >= x1 or y0 >= y1:
        return
    sub = ov[y0 - y : y1 - y, x0 - x : x1 - x]
    alpha = sub[..., 3:4] / 255.0
    factor = 1.0 - alpha * (1.0 - sub[..., :3] / 255.0)
    region = page[y0:y1, x0:x1].astype(np.float32)
    page[y0:y1, x0:x1] = np.clip(region * factor + 0.5, 0, 255).astype(np.uint8)


# --------------------------------------------------------------------------
# Clean page images
# --------------------------------------------------------------------------


def render_pages(
    blocks: Sequence[Block],
    dpi: int = 300,
    seal: SealArg = None,
    seed: int = 0,
    style: LayoutStyle | None = None,
) -> RenderedPages:
    """Clean page images and their ground truth (lines with boxes, seal boxes)."""
    st = style or LayoutStyle()
    pages = layout(blocks, st)
    placements = place_seals(pages, seal, seed)
    k = dpi / 72.0
    W, H = int(round(st.page_w * k)), int(round(st.page_h * k))
    images = []
    for pi, p in enumerate(pages):
        img = Image.new("RGB", (W, H), (255, 255, 255))
        dr = ImageDraw.Draw(img)
        for r in p.rules:
            lw = max(1, int(round(r.width * k)))
            dr.line((r.x0 * k, r.y0 * k, r.x1 * k, r.y1 * k), fill=(0, 0, 0), width=lw)
        for ln in p.lines:
            px = int(round(ln.size * k))
            font = pil_font(px, ln.kind)
            sw = max(1, int(round(px / 45))) if ln.bold else 0
            dr.text((ln.x * k, ln.baseline * k), ln.text, font=font, fill=(0, 0, 0), anchor="ls", stroke_width=sw, stroke_fill=(0, 0, 0))
        arr = np.array(img)
        for sp in placements:
            if sp.page != pi:
                continue
            dpx = int(round(sp.diameter * k))
            simg = seal_image(sp.spec, dpx, sp.seed, sp.angle)
            _multiply_rgba(arr, simg, int(round(sp.cx * k - dpx / 2)), int(round(sp.cy * k - dpx / 2)))
        images.append(Image.fromarray(arr))
    return RenderedPages(images, [p.lines for p in pages], placements, dpi)


def render_page_images(
    blocks: Sequence[Block],
    dpi: int = 300,
    seal: SealArg = None,
    seed: int = 0,
    style: LayoutStyle | None = None,
) -> list[Image.Image]:
    """Clean A4 page images (2480×3508 at 300 dpi).  Ground truth: :func:`render_pages`."""
    return render_pages(blocks, dpi, seal, seed, style).images


# --------------------------------------------------------------------------
# Scan and photo effects
# --------------------------------------------------------------------------


def _catmull_rom(pts: np.ndarray, n: int = 12) -> np.ndarray:
    """Smooth curve through ``pts`` (Nx2), ``n`` samples per segment."""
    if len(pts) < 3:
        return pts.astype(np.float32)
    p = np.vstack([pts[:1], pts, pts[-1:]]).astype(np.float32)
    t = np.linspace(0, 1, n, endpoint=False, dtype=np.float32)[:, None]
    out = []
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        out.append(
            0.5
            * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2 + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3)
        )
    out.append(p[-2:-1])
    return np.vstack(out)


def _scribble(arr: np.ndarray, at: tuple[float, float], rng: np.random.Generator, scale: float) -> None:
    """Handwritten signature in ballpoint ink, drawn into ``arr`` (HxWx3 uint8) in place.

    Two or three cursive "characters" (random strokes inside slanted boxes,
    joined by connecting strokes as in 连笔 handwriting), smooth Catmull-Rom
    curves, pressure-varying width with tapered ends.  ``at`` is the left end
    of the signature's mid-line, in pixels.
    """
    import cv2

    x0, y0 = at
    n_chars = int(rng.integers(2, 4))
    box = rng.uniform(85, 125) * scale  # handwriting is larger than 12pt print
    slant = rng.uniform(0.1, 0.4)
    strokes: list[list[np.ndarray]] = [[]]
    x = x0
    for _c in range(n_chars):
        n_pts = int(rng.integers(5, 10))
        # a cursive character: zig-zag between the top and the bottom of its box
        for k in range(n_pts):
            u = rng.uniform(0.0, 0.85)
            v = (0.5 if k % 2 else -0.5) * rng.uniform(0.3, 1.0)
            strokes[-1].append(np.array([x + u * box, y0 + v * box], np.float32))
        if rng.random() < 0.35:  # pen lift between characters
            strokes.append([])
        x += box * rng.uniform(0.8, 1.05)
    if rng.random() < 0.5:  # final flourish underneath, back to the left
        strokes.append(
            [
                np.array([x - box * 0.2, y0 + box * 0.15], np.float32),
                np.array([x - box * 0.9, y0 + box * 0.55], np.float32),
                np.array([x0 + box * 0.1, y0 + box * 0.6], np.float32),
            ]
        )
    ink = np.array([(22, 32, 92), (28, 28, 34), (35, 40, 110)][int(rng.integers(0, 3))], dtype=np.float32)
    H, W = arr.shape[:2]
    ss = 2  # supersampled ink layer over the signature's bounding box
    allp = np.vstack([np.vstack(s) for s in strokes if s])
    pad = int(box * 0.6)
    bx0, by0 = int(max(0, allp[:, 0].min() - pad - slant * box)), int(max(0, allp[:, 1].min() - pad))
    bx1, by1 = int(min(W, allp[:, 0].max() + pad + slant * box)), int(min(H, allp[:, 1].max() + pad))
    if bx0 >= bx1 or by0 >= by1:
        return
    layer = np.zeros(((by1 - by0) * ss, (bx1 - bx0) * ss), np.float32)
    base_w = rng.uniform(2.6, 4.2) * scale * ss
    for st in strokes:
        if len(st) < 2:
            continue
        pts = np.vstack(st)
        pts[:, 0] -= (pts[:, 1] - y0) * slant  # forward slant
        curve = _catmull_rom(pts, 14)
        curve = (curve - np.array([bx0, by0], np.float32)) * ss
        n = len(curve)
        phase = rng.uniform(0, 2 * math.pi)
        for k in range(n - 1):
            s_ = k / max(1, n - 2)
            taper = min(1.0, 4 * s_, 4 * (1 - s_)) * 0.6 + 0.4
            pressure = 0.8 + 0.2 * math.sin(phase + k * 0.15)
            th = max(1, int(round(base_w * taper * pressure)))
            p = (int(curve[k, 0] * 16), int(curve[k, 1] * 16))
            q = (int(curve[k + 1, 0] * 16), int(curve[k + 1, 1] * 16))
            cv2.line(layer, p, q, 1.0, th, cv2.LINE_AA, shift=4)
    layer = cv2.resize(layer, (bx1 - bx0, by1 - by0), interpolation=cv2.INTER_AREA)
    layer = np.clip(layer, 0, 1)[..., None] * rng.uniform(0.8, 0.95)
    f = arr[by0:by1, bx0:bx1].astype(np.float32)
    arr[by0:by1, bx0:bx1] = np.clip(f * (1 - layer) + ink * layer * (f / 255.0), 0, 255).astype(np.uint8)


def _rotate_quarter(img: Image.Image, rotate90: bool | int) -> Image.Image:
    if rotate90 is True:
        deg = 90
    elif rotate90 is False or rotate90 is None:
        deg = 0
    else:
        deg = int(rotate90) % 360
    if deg == 0:
        return img
    if deg not in (90, 180, 270):
        raise ValueError("rotate90 must be False/True or one of 90, 180, 270")
    # "rotated by 90°": the page was fed sideways; PIL rotates counter-clockwise
    return img.transpose({90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}[deg])


def _scan_array(img: Image.Image, seed: int, scribble_at: Sequence[tuple[float, float]] = ()) -> tuple[np.ndarray, int]:
    """Scan look before JPEG encoding; returns (HxWx3 uint8, jpeg quality)."""
    import cv2

    rng = np.random.default_rng([seed, 1])
    arr = np.array(img.convert("RGB"))
    H, W = arr.shape[:2]
    scale = W / 2480.0
    for at in scribble_at:
        _scribble(arr, at, rng, scale)

    f = arr.astype(np.float32)
    # toner / paper: blacks are never black, paper is never white
    paper = np.array([rng.uniform(232, 246)] * 3, np.float32) + rng.uniform(-3, 3, 3).astype(np.float32)
    black = rng.uniform(18, 48)
    f = black + (paper - black) * (f / 255.0)
    # low-frequency unevenness of the paper / lamp
    low = rng.normal(0, 1, (8, 6)).astype(np.float32)
    low = cv2.resize(low, (W, H), interpolation=cv2.INTER_CUBIC)
    f *= (1.0 + 0.012 * low)[..., None]
    # skew (page lying crooked on the glass); the lid beyond the paper is lighter grey
    ang = rng.uniform(-2.0, 2.0)
    M = cv2.getRotationMatrix2D((W / 2 + rng.uniform(-20, 20), H / 2 + rng.uniform(-20, 20)), ang, 1.0)
    M[:, 2] += rng.uniform(-12, 12, 2) * scale
    lid = float(rng.uniform(200, 228))
    f = cv2.warpAffine(f, M, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(lid, lid, lid))
    # optics: slight blur
    f = cv2.GaussianBlur(f, (0, 0), rng.uniform(0.55, 0.95) * scale)
    # sensor noise (mostly luminance) and a little dust
    noise = rng.normal(0, rng.uniform(2.5, 5.0), (H, W)).astype(np.float32)
    f += noise[..., None] + rng.normal(0, 1.2, (H, W, 3)).astype(np.float32)
    n_dust = int(rng.integers(10, 60))
    for _ in range(n_dust):
        cx, cy = int(rng.integers(0, W)), int(rng.integers(0, H))
        r = int(rng.integers(1, 4))
        cv2.circle(f, (cx, cy), r, (float(rng.uniform(60, 150)),) * 3, -1, cv2.LINE_AA)
    arr = np.clip(f + 0.5, 0, 255).astype(np.uint8)
    return arr, int(rng.integers(60, 82))


def scan_effects(
    img: Image.Image,
    seed: int,
    rotate90: bool | int = False,
    scribble_at: Sequence[tuple[float, float]] | tuple[float, float] | None = None,
) -> Image.Image:
    """Make a clean page image look like a 300-dpi office scan.

    Grey paper tone, lifted blacks, ±2° skew, slight blur, noise and dust,
    JPEG artefacts.  ``scribble_at`` (pixel position(s) in ``img``, e.g. just
    right of "乙方（签字）：") adds a handwriting-like signature.  ``rotate90``
    turns the whole page (True = 90°, or 90/180/270).
    """
    pts = _norm_points(scribble_at)
    arr, q = _scan_array(img, seed, pts)
    out = _jpeg_roundtrip(Image.fromarray(arr), q)
    return _rotate_quarter(out, rotate90)


def _norm_points(p) -> list[tuple[float, float]]:
    if p is None:
        return []
    if len(p) == 2 and all(isinstance(v, (int, float, np.integer, np.floating)) for v in p):
        return [(float(p[0]), float(p[1]))]
    return [tuple(map(float, q)) for q in p]


def _jpeg_roundtrip(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality, subsampling=2)
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    return out.convert("RGB")


def _table_background(rng: np.random.Generator, W: int, H: int) -> np.ndarray:
    import cv2

    palettes = [
        (132, 96, 64),  # wood
        (168, 128, 88),  # light wood
        (112, 114, 118),  # grey desk
        (196, 192, 182),  # white office desk
        (64, 58, 54),  # dark
        (78, 96, 84),  # green desk pad
    ]
    base = np.array(palettes[int(rng.integers(0, len(palettes)))], np.float32)
    low = cv2.resize(rng.normal(0, 1, (6, 5)).astype(np.float32), (W, H), interpolation=cv2.INTER_CUBIC)
    bg = np.empty((H, W, 3), np.float32)
    bg[...] = base
    bg *= (1 + 0.06 * low)[..., None]
    if rng.random() < 0.6:  # wood grain: wavy, irregular lines
        xx = np.arange(W, dtype=np.float32)[None, :]
        warp = cv2.resize(rng.normal(0, 1, (12, 3)).astype(np.float32), (W, H), interpolation=cv2.INTER_CUBIC)
        freq = cv2.resize(rng.normal(0, 1, (3, 24)).astype(np.float32), (W, H), interpolation=cv2.INTER_CUBIC)
        phase = xx * rng.uniform(0.015, 0.03) * (1 + 0.25 * freq) + warp * 5
        grain = 0.6 * np.sin(phase) + 0.4 * np.sin(phase * 2.7 + 1.3)
        bg *= (1 + 0.035 * grain)[..., None]
    bg += rng.normal(0, 3, (H, W, 1)).astype(np.float32)
    return bg


def photo_effects(img: Image.Image, seed: int, size: tuple[int, int] = (3024, 4032)) -> Image.Image:
    """Make a page image look like a phone photo of the paper on a desk.

    Perspective warp, background table colour, soft drop shadow of the page,
    uneven illumination with a warm cast, a soft shadow (phone/hand), slight
    defocus blur, sensor noise, JPEG.  Output ``size`` (short side, long
    side) — a 12-MP phone frame by default — in the input's orientation.
    """
    import cv2

    rng = np.random.default_rng([seed, 2])
    src = np.array(img.convert("RGB"))
    h0, w0 = src.shape[:2]
    short, long_ = sorted(size)
    W, H = (short, long_) if h0 >= w0 else (long_, short)
    k_out = long_ / 4032.0  # blur/shadow sizes were tuned for a 4032-px frame
    bg = _table_background(rng, W, H)

    # where the page's corners land
    fill = rng.uniform(0.80, 0.92)
    s = min(W * fill / w0, H * fill / h0)
    pw, ph = w0 * s, h0 * s
    cx, cy = W / 2 + rng.uniform(-0.04, 0.04) * W, H / 2 + rng.uniform(-0.03, 0.03) * H
    rot = math.radians(rng.uniform(-4, 4))
    corners = np.array([[-pw / 2, -ph / 2], [pw / 2, -ph / 2], [pw / 2, ph / 2], [-pw / 2, ph / 2]], np.float32)
    c, sn = math.cos(rot), math.sin(rot)
    corners = corners @ np.array([[c, sn], [-sn, c]], np.float32)
    # camera tilt: one edge further away (narrower)
    tilt = rng.uniform(0.02, 0.08)
    side = int(rng.integers(0, 4))
    if side == 0:  # top edge far
        corners[0, 0] += tilt * pw / 2
        corners[1, 0] -= tilt * pw / 2
    elif side == 1:  # bottom far
        corners[3, 0] += tilt * pw / 2
        corners[2, 0] -= tilt * pw / 2
    elif side == 2:  # left far
        corners[0, 1] += tilt * ph / 2
        corners[3, 1] -= tilt * ph / 2
    else:
        corners[1, 1] += tilt * ph / 2
        corners[2, 1] -= tilt * ph / 2
    corners += rng.uniform(-0.012, 0.012, (4, 2)).astype(np.float32) * np.array([pw, ph], np.float32)
    corners += np.array([cx, cy], np.float32)

    # paper is not perfectly white in a photo either; downscale first (anti-alias)
    small = cv2.resize(src, (int(pw), int(ph)), interpolation=cv2.INTER_AREA).astype(np.float32)
    small = small * rng.uniform(0.92, 0.98)
    srcq = np.array([[0, 0], [small.shape[1], 0], [small.shape[1], small.shape[0]], [0, small.shape[0]]], np.float32)
    M = cv2.getPerspectiveTransform(srcq, corners)
    warped = cv2.warpPerspective(small, M, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
    mask = cv2.warpPerspective(np.ones(small.shape[:2], np.float32), M, (W, H), flags=cv2.INTER_LINEAR)

    # drop shadow of the page on the desk
    off = rng.uniform(6, 20, 2) * k_out
    Ms = np.float32([[1, 0, off[0]], [0, 1, off[1]]])
    shadow = cv2.GaussianBlur(cv2.warpAffine(mask, Ms, (W, H)), (0, 0), 18 * k_out)
    bg *= (1 - 0.45 * shadow)[..., None]
    f = warped * mask[..., None] + bg * (1 - mask[..., None])

    # uneven illumination: linear gradient + vignette, warm/cool cast
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    xn, yn = xx / W - 0.5, yy / H - 0.5
    t = rng.uniform(0, 2 * math.pi)
    grad = 1.0 + rng.uniform(0.10, 0.22) * (math.cos(t) * xn + math.sin(t) * yn)
    vign = 1.0 - rng.uniform(0.10, 0.22) * (xn**2 + yn**2) * 2
    light = grad * vign
    f *= light[..., None]
    cast = np.array([1.0, rng.uniform(0.96, 0.99), rng.uniform(0.86, 0.95)], np.float32)
    if rng.random() < 0.3:  # cool daylight / LED
        cast = np.array([rng.uniform(0.94, 0.98), rng.uniform(0.97, 1.0), 1.0], np.float32)
    f *= cast
    # soft shadow of the phone / hand: a large blurred ellipse from one side
    sh = np.zeros((H // 4, W // 4), np.float32)
    ex = int(rng.uniform(-0.1, 1.1) * sh.shape[1])
    ey = int(rng.choice([rng.uniform(-0.2, 0.05), rng.uniform(0.95, 1.2)]) * sh.shape[0])
    axes = (int(sh.shape[1] * rng.uniform(0.35, 0.6)), int(sh.shape[0] * rng.uniform(0.15, 0.3)))
    cv2.ellipse(sh, (ex, ey), axes, float(rng.uniform(-30, 30)), 0, 360, 1.0, -1)
    sh = cv2.GaussianBlur(sh, (0, 0), sh.shape[1] * 0.06)
    sh = cv2.resize(sh, (W, H), interpolation=cv2.INTER_LINEAR)
    f *= (1 - rng.uniform(0.25, 0.4) * sh)[..., None]

    # focus and sensor
    f = cv2.GaussianBlur(f, (0, 0), rng.uniform(0.9, 1.5) * max(k_out, 0.5))
    f += rng.normal(0, rng.uniform(2.0, 4.0), (H, W, 1)).astype(np.float32)
    f += rng.normal(0, 1.5, (H, W, 3)).astype(np.float32)
    arr = np.clip(f + 0.5, 0, 255).astype(np.uint8)
    return _jpeg_roundtrip(Image.fromarray(arr), int(rng.integers(78, 90)))


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------


def render_text(blocks: Sequence[Block], path: str | Path) -> Path:
    """UTF-8 text, one paragraph per line, tables as tab-separated rows."""
    p = Path(path)
    p.write_text(plain_text(blocks), encoding="utf-8")
    return p


def _set_run_font(run, east_asia: str, size_pt: float | None = None, bold: bool | None = None, ascii_font: str = "Times New Roman") -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = ascii_font
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east_asia)
    if size_pt:
        run.font.size = Pt(size_pt)
    if bold is not None:
        run.bold = bold


def render_docx(blocks: Sequence[Block], path: str | Path, header: str | None = None, style: LayoutStyle | None = None) -> Path:
    """Word document: 宋体 body (w:eastAsia), 黑体 bold centred headings, real tables.

    ``header``: optional page-header line such as "（合同编号：QS-2023-015）".
    Bytes are deterministic (fixed core-properties dates and zip timestamps).
    """
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    st = style or LayoutStyle()
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Pt(st.page_w), Pt(st.page_h)
    sec.top_margin, sec.bottom_margin = Pt(st.margin_top), Pt(st.margin_bottom)
    sec.left_margin, sec.right_margin = Pt(st.margin_left), Pt(st.margin_right)

    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(st.body_size)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), "宋体")

    if header:
        hp = sec.header.paragraphs[0]
        hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _set_run_font(hp.add_run(header), "宋体", 9)

    align_map = {"left": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
    for blk in blocks:
        if blk.table:
            ncol = max(len(r) for r in blk.table)
            tbl = doc.add_table(rows=len(blk.table), cols=ncol)
            tbl.style = "Table Grid"
            tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
            for i, row in enumerate(blk.table):
                for j in range(ncol):
                    cell = tbl.cell(i, j)
                    para = cell.paragraphs[0]
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    txt = _cell_text(row[j]) if j < len(row) else ""
                    _set_run_font(para.add_run(txt), "宋体", st.table_size, bold=(i == 0 and len(blk.table) > 1))
            doc.add_paragraph()  # Word needs a paragraph between consecutive tables
            continue
        para = doc.add_paragraph()
        if blk.page_break_before:
            para.paragraph_format.page_break_before = True
        pf = para.paragraph_format
        if blk.heading:
            para.alignment = align_map[blk.align or "center"]
            pf.space_after = Pt(st.heading_space_after)
            _set_run_font(para.add_run(blk.text), "黑体", st.heading_size, bold=True)
        else:
            align = blk.align or "left"
            para.alignment = align_map[align]
            use_indent = blk.indent if blk.indent is not None else (align == "left")
            if use_indent:
                pf.first_line_indent = Pt(2 * st.body_size)
            pf.line_spacing = 1.5
            pf.space_after = Pt(0)
            parts = blk.text.split("\n")
            if "\t" in blk.text:
                avail = st.page_w - st.margin_left - st.margin_right
                n = max(p.count("\t") for p in parts) + 1
                for i in range(1, n):
                    pf.tab_stops.add_tab_stop(Pt(avail * i / n))
            for k, part in enumerate(parts):
                for ti, seg in enumerate(part.split("\t")):
                    run = para.add_run(seg)
                    _set_run_font(run, "宋体", st.body_size)
                    if ti < part.count("\t"):
                        run.add_tab()
                if k < len(parts) - 1:
                    para.runs[-1].add_break()

    cp = doc.core_properties
    cp.created = cp.modified = cp.last_printed = _FIXED_DATE.replace(tzinfo=None)
    cp.author = cp.last_modified_by = ""
    cp.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    p = Path(path)
    p.write_bytes(_normalize_zip(buf.getvalue()))
    return p


def _normalize_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so equal content gives equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def _new_pdf():
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creation_date(_FIXED_DATE)
    pdf.set_creator("contract-review corpus")
    pdf.set_producer("fpdf2")
    pdf.set_compression(True)
    return pdf


_PDF_FONTS = {"serif": "NotoSerifSC", "sans": "NotoSansSC"}


def _pdf_font_files(pages: Sequence[PageLayout]) -> dict[str, Path]:
    """TTF per font kind, with any characters beyond the standard subset added."""
    from .fonts import agreement_charset

    base = agreement_charset()
    need: dict[str, set[str]] = {}
    for p in pages:
        for ln in p.lines:
            need.setdefault(ln.kind, set()).update(c for c in ln.text if ord(c) not in base)
    return {kind: ttf_font_path(kind, "".join(sorted(extra))) for kind, extra in need.items()}


def _draw_pdf_page(pdf, page: PageLayout, placements: list[SealPlacement], page_index: int, font_files: Mapping[str, Path] | None = None) -> None:
    from fpdf.enums import TextMode

    pdf.add_page()
    pdf.set_draw_color(0, 0, 0)
    pdf.set_text_color(0, 0, 0)
    for r in page.rules:
        pdf.set_line_width(r.width)
        pdf.line(r.x0, r.y0, r.x1, r.y1)
    for ln in page.lines:
        fam = _PDF_FONTS[ln.kind]
        if fam.lower() not in pdf.fonts:
            fname = (font_files or {}).get(ln.kind) or ttf_font_path(ln.kind)
            pdf.add_font(fam, fname=str(fname))
        pdf.set_font(fam, size=ln.size)
        if ln.bold:  # faux bold; q/Q so the text render mode does not leak
            with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=ln.size / 40):
                pdf.text(ln.x, ln.baseline, ln.text)
        else:
            pdf.text(ln.x, ln.baseline, ln.text)
    for sp in placements:
        if sp.page != page_index:
            continue
        dpx = int(round(sp.diameter / 72 * 300))
        simg = seal_image(sp.spec, dpx, sp.seed, sp.angle)
        r = sp.diameter / 2
        with pdf.local_context(blend_mode="MULTIPLY"):
            pdf.image(simg, x=sp.cx - r, y=sp.cy - r, w=sp.diameter, h=sp.diameter)


def render_pdf(
    blocks: Sequence[Block],
    path: str | Path,
    seal: SealArg = None,
    seed: int = 0,
    style: LayoutStyle | None = None,
) -> Path:
    """Digital A4 PDF (text layer; embedded TTF subset of Noto SC).

    ``seal`` stamps semi-transparent (multiply-blended) red seals over the
    signature lines, positioned exactly as in :func:`render_pages`.
    """
    pages = layout(blocks, style)
    placements = place_seals(pages, seal, seed)
    pdf = _new_pdf()
    files = _pdf_font_files(pages)
    for pi, page in enumerate(pages):
        _draw_pdf_page(pdf, page, placements, pi, files)
    p = Path(path)
    pdf.output(str(p))
    return p


def signature_points(lines: Iterable[TextLine], dpi: float, seed: int = 0) -> list[tuple[float, float]]:
    """Pixel positions for handwritten signatures: right after "（签字）：" labels."""
    rng = random.Random(f"sig:{seed}")
    k = dpi / 72.0
    pts = []
    for ln in lines:
        m = re.search(r"(签字|签名)[^：:]{0,6}[：:]", ln.text)
        if not m:
            continue
        # a blank after the label: sign there; else sign after the printed name
        pre = text_width(ln.text[: m.end()], ln.size, ln.kind) if not ln.text[m.end() :].strip() else ln.width
        x = (ln.x + pre + ln.size * rng.uniform(0.3, 1.5)) * k
        y = (ln.baseline - ln.size * rng.uniform(0.2, 0.5)) * k
        pts.append((x, y))
    return pts


def _scanned_pages(rendered: RenderedPages, seed: int, rotate: Mapping[int, int], signatures: bool) -> list[tuple[Image.Image, int]]:
    out = []
    for pi, img in enumerate(rendered.images):
        pts = signature_points(rendered.lines[pi], rendered.dpi, seed + pi) if signatures else []
        arr, q = _scan_array(img, seed * 1000 + pi, pts)
        out.append((_rotate_quarter(Image.fromarray(arr), rotate.get(pi, 0)), q))
    return out


def _rotation_map(rotate_pages) -> dict[int, int]:
    if isinstance(rotate_pages, Mapping):
        return {int(k): int(v) for k, v in rotate_pages.items()}
    return {int(i): 90 for i in rotate_pages}


def _add_image_page(pdf, img: Image.Image, quality: int, dpi: int) -> None:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality, subsampling=2, dpi=(dpi, dpi))
    buf.seek(0)
    w_pt, h_pt = img.width * 72.0 / dpi, img.height * 72.0 / dpi
    pdf.add_page(format=(w_pt, h_pt))
    pdf.image(buf, x=0, y=0, w=w_pt, h=h_pt)


def render_scanned_pdf(
    blocks: Sequence[Block],
    path: str | Path,
    seed: int = 0,
    rotate_pages: Iterable[int] | Mapping[int, int] = (),
    seal: SealArg = None,
    signatures: bool = True,
    dpi: int = 300,
    style: LayoutStyle | None = None,
) -> Path:
    """Image-only PDF: every page a 300-dpi scan (JPEG), page size A4 in points.

    ``rotate_pages``: page indices scanned sideways (90°), or {index: 90|180|270}.
    ``signatures``: add handwritten scribbles after "（签字）：" labels.
    """
    rendered = render_pages(blocks, dpi, seal, seed, style)
    pdf = _new_pdf()
    for img, q in _scanned_pages(rendered, seed, _rotation_map(rotate_pages), signatures):
        _add_image_page(pdf, img, q, dpi)
    p = Path(path)
    pdf.output(str(p))
    return p


def render_image(
    blocks: Sequence[Block],
    path: str | Path,
    seed: int = 0,
    kind: Literal["scan", "photo"] = "scan",
    seal: SealArg = None,
    dpi: int = 300,
    style: LayoutStyle | None = None,
) -> Path:
    """Write page 1 as .jpg/.png (scan or phone photo), or all pages as a multi-page .tif."""
    p = Path(path)
    rendered = render_pages(blocks, dpi, seal, seed, style)
    is_tif = p.suffix.lower() in (".tif", ".tiff")
    n = len(rendered.images) if is_tif else 1
    imgs: list[Image.Image] = []
    for pi in range(n):
        pts = signature_points(rendered.lines[pi], dpi, seed + pi)
        if kind == "scan":
            imgs.append(scan_effects(rendered.images[pi], seed * 1000 + pi, scribble_at=pts))
        elif kind == "photo":
            # the signature is on the paper before it is photographed
            arr = np.array(rendered.images[pi])
            rng = np.random.default_rng([seed, pi, 3])
            for pt in pts:
                _scribble(arr, pt, rng, arr.shape[1] / 2480.0)
            imgs.append(photo_effects(Image.fromarray(arr), seed * 1000 + pi))
        else:
            raise ValueError(f"kind must be 'scan' or 'photo', not {kind!r}")
    out_dpi = (dpi, dpi) if kind == "scan" else (72, 72)
    suffix = p.suffix.lower()
    if is_tif:
        # JPEG-in-TIFF (new-style, libtiff) like a scanner's TIFF output; LZW on noisy scans is ~3x larger
        imgs[0].save(p, format="TIFF", save_all=True, append_images=imgs[1:], compression="jpeg", quality=80, dpi=out_dpi)
    elif suffix in (".jpg", ".jpeg"):
        imgs[0].save(p, format="JPEG", quality=90, dpi=out_dpi)
    elif suffix == ".png":
        imgs[0].save(p, format="PNG", dpi=out_dpi)
    else:
        raise ValueError(f"unsupported image type {p.suffix!r} (use .jpg, .png or .tif)")
    return p


def render_mixed_pdf(
    blocks: Sequence[Block],
    path: str | Path,
    seed: int = 0,
    seal: SealArg = None,
    dpi: int = 300,
    style: LayoutStyle | None = None,
) -> Path:
    """Page 1 digital text, pages 2+ scanned images (a 'decide page by page' fixture).

    A one-page agreement is split before the block nearest the middle so
    that there is always a second (scanned) page.
    """
    blocks = list(blocks)
    pages = layout(blocks, style)
    if len(pages) < 2:
        blocks = _force_two_pages(blocks)
        pages = layout(blocks, style)
    placements = place_seals(pages, seal, seed)
    rendered = render_pages(blocks, dpi, seal, seed, style)
    pdf = _new_pdf()
    _draw_pdf_page(pdf, pages[0], placements, 0, _pdf_font_files(pages[:1]))
    scans = _scanned_pages(rendered, seed, {}, True)
    for img, q in scans[1:]:
        _add_image_page(pdf, img, q, dpi)
    p = Path(path)
    pdf.output(str(p))
    return p


def _force_two_pages(blocks: list[Block]) -> list[Block]:
    if len(blocks) < 2:
        return blocks + [Block(text=blocks[0].text if blocks else "（本页以下无正文）", page_break_before=True)]
    # break before the block whose first line is closest to the middle, never before block 1
    pages = layout(blocks)
    first = {}
    for ln in pages[0].lines:
        first.setdefault(ln.block, ln.baseline)
    mid = (pages[0].lines[0].baseline + pages[0].lines[-1].baseline) / 2 if pages[0].lines else 0
    cands = [bi for bi in first if bi >= 1]
    # prefer breaking before the signature block
    sig = next((bi for bi in cands if "甲方" in blocks[bi].text and ("盖章" in blocks[bi].text or "签字" in blocks[bi].text)), None)
    k = sig if sig is not None else min(cands, key=lambda bi: abs(first[bi] - mid)) if cands else len(blocks) - 1
    out = list(blocks)
    out[k] = replace(out[k], page_break_before=True)
    return out


__all__ = [
    "Block",
    "LayoutStyle",
    "PageLayout",
    "RenderedPages",
    "Rule",
    "SealPlacement",
    "SealSpec",
    "TextLine",
    "layout",
    "page_text_lines",
    "photo_effects",
    "place_seals",
    "plain_text",
    "render_docx",
    "render_image",
    "render_mixed_pdf",
    "render_page_images",
    "render_pages",
    "render_pdf",
    "render_scanned_pdf",
    "render_text",
    "scan_effects",
    "seal_image",
    "signature_points",
    "text_width",
    "wrap_text",
]
