"""CJK fonts for rendering synthetic agreements.

``pylopdf-fonts-zh-cn`` ships Noto Sans SC / Noto Serif SC as CFF-based OTF.
PIL renders those directly (:func:`pil_font`), but a PDF written by fpdf2 with
the OTF reads as *empty* in pdfplumber (see ``/work/shared/pitfalls.md``).  So
for PDFs we build a TrueType-outline (``glyf``) version with fontTools:

1. subset the OTF to what Chinese agreements need (ASCII, Latin-1, general
   punctuation, CJK symbols and punctuation, fullwidth forms, all GB2312
   characters — which include the capital numerals 壹贰叁肆伍陆柒捌玖拾佰仟
   — plus a short list of extras such as 〇 萬 〔〕 ㎡ ①…⑳);
2. convert the cubic CFF outlines of the kept glyphs to quadratic ``glyf``
   outlines with :class:`fontTools.pens.cu2quPen.Cu2QuPen` (the standard
   otf2ttf recipe) and assemble a TrueType font with ``FontBuilder``;
3. cache the result under ``$CONTRACT_REVIEW_CACHE/fonts/`` (default
   ``${XDG_CACHE_HOME:-~/.cache}/contract-review/fonts/``).  The file name carries a digest of the
   source font and of the subset spec, so a changed font or spec rebuilds.
   Writes go to a temporary file followed by :func:`os.replace`, so two
   processes building at once are safe (the last rename wins, both complete).

Building takes ≈7 s (serif) / ≈5 s (sans) on first use (see ``_build_ttf``);
later calls only hash the source font's head and tail and stat the cache file.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Literal

FontKind = Literal["serif", "sans"]

#: Bump when the subset spec or the conversion changes (forces a rebuild).
_SPEC_VERSION = "2"

# Characters outside GB2312 that Chinese agreements use.
_EXTRA_CHARS = (
    "〇萬億貳參陸亿"  # numeral variants (〇 is not in GB2312)
    "〔〕〖〗【】《》〈〉「」『』（）［］｛｝"
    "㎡㎥㎞㎝㎜㎏㏄℃℉‰№※×÷±≤≥≠≈∶•·…—–―‖　"
    "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
    "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"
    "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫⅰⅱⅲⅳⅴⅵⅶⅷⅸⅹ"
    "￥¥€£$％‰□■○●△▲◇◆☆★√✓✔✗✘"
    # common name / place characters outside GB2312
    "堃喆昇玥琍瑄珺婧淼焱鑫垚犇骉镕祎禕弢旻晞晗煜炜玮瑨瑀琇琰璟䶮"
    "氹凼圳埇垴堌塆塘壋峁峪崮嵛㟃畈畲畴坳坪坵圩垸垌垟埭塍墩"
)

_RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement (·, ×, ÷, °, ¥ ...)
    (0x2000, 0x206F),  # general punctuation (“ ” ‘ ’ — … ‰ ※)
    (0x2100, 0x214F),  # letterlike (℃ №)
    (0x2150, 0x218F),  # number forms (Ⅰ Ⅱ …)
    (0x2460, 0x24FF),  # enclosed alphanumerics
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3200, 0x32FF),  # enclosed CJK letters and months
    (0x3300, 0x33FF),  # CJK compatibility (㎡)
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # halfwidth and fullwidth forms
)


@functools.lru_cache(maxsize=1)
def agreement_charset() -> frozenset[int]:
    """Unicode code points the TTF subset keeps."""
    cps: set[int] = set()
    for lo, hi in _RANGES:
        cps.update(range(lo, hi + 1))
    # Every character of GB2312 (rows 0xA1-0xF7, cells 0xA1-0xFE).
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                ch = bytes((row, cell)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            cps.add(ord(ch))
    cps.update(ord(c) for c in _EXTRA_CHARS)
    return frozenset(cps)


def otf_path(kind: FontKind = "serif") -> Path:
    """Path of the original Noto SC OTF from ``pylopdf-fonts-zh-cn``."""
    import pylopdf_fonts_zh_cn as fz

    if kind == "serif":
        return Path(fz.serif_path())
    if kind == "sans":
        return Path(fz.sans_path())
    raise ValueError(f"unknown font kind {kind!r} (expected 'serif' or 'sans')")


def cache_dir() -> Path:
    """``$CONTRACT_REVIEW_CACHE/fonts`` or ``~/.cache/contract-review/fonts``."""
    root = os.environ.get("CONTRACT_REVIEW_CACHE")
    if root:
        return Path(root).expanduser() / "fonts"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "contract-review" / "fonts"


def _source_digest(src: Path, extra: frozenset[int] = frozenset()) -> str:
    st = src.stat()
    h = hashlib.sha256()
    h.update(f"{_SPEC_VERSION}|{src.name}|{st.st_size}|".encode())
    with open(src, "rb") as fh:  # head + tail is enough to tell versions apart
        h.update(fh.read(1 << 16))
        fh.seek(max(0, st.st_size - (1 << 16)))
        h.update(fh.read())
    h.update(repr(sorted(agreement_charset())).encode())
    if extra:
        h.update(b"+" + repr(sorted(extra)).encode())
    return h.hexdigest()[:12]


def _looks_like_ttf(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
        return head == b"\x00\x01\x00\x00" and path.stat().st_size > 100_000
    except OSError:
        return False


@functools.lru_cache(maxsize=4)
def otf_codepoints(kind: FontKind = "serif") -> frozenset[int]:
    """Code points the source OTF has glyphs for."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(otf_path(kind)), lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def ttf_font_path(kind: FontKind = "serif", extra_chars: str = "") -> Path:
    """TrueType-outline (``glyf``) subset of Noto Serif/Sans SC, built on demand.

    ``extra_chars``: characters beyond :func:`agreement_charset` to include
    (rare name/place characters such as 頫 龑 or traditional forms); a font
    with extras is a separate cache file (its digest covers the extras), so
    pass only what a document needs — :func:`corpus.render.render_pdf` does.
    Characters the source font lacks are ignored.

    Cached in :func:`cache_dir`; rebuilt when missing or damaged.  Safe under
    concurrent builds (temp file + :func:`os.replace`).
    """
    base = agreement_charset()
    extra = frozenset(ord(c) for c in extra_chars if ord(c) not in base)
    if extra:
        extra &= otf_codepoints(kind)
    path = _ttf_font_path_cached(kind, str(cache_dir()), extra)
    if not path.exists():  # deleted since we built/found it in this process
        _ttf_font_path_cached.cache_clear()
        path = _ttf_font_path_cached(kind, str(cache_dir()), extra)
    return path


@functools.lru_cache(maxsize=16)
def _ttf_font_path_cached(kind: FontKind, cache: str, extra: frozenset[int] = frozenset()) -> Path:
    src = otf_path(kind)
    out_dir = Path(cache)
    name = "NotoSerifSC-Agreement" if kind == "serif" else "NotoSansSC-Agreement"
    out = out_dir / f"{name}-{_source_digest(src, extra)}.ttf"
    if _looks_like_ttf(out):
        return out
    out_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".ttf.tmp", dir=out_dir)
    os.close(fd)
    try:
        _build_ttf(src, Path(tmp), agreement_charset() | extra)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out


def _build_ttf(src: Path, dst: Path, charset: frozenset[int] | None = None) -> None:
    """Write a glyf-outline TTF of ``src`` (CFF OTF) restricted to ``charset``
    (default :func:`agreement_charset`).

    Subset and conversion in one pass (the otf2ttf recipe applied to the kept
    glyphs only): the glyphs the charset maps to are drawn from the CFF
    through :class:`~fontTools.pens.cu2quPen.Cu2QuPen` (max error 1 unit)
    into :class:`~fontTools.pens.ttGlyphPen.TTGlyphPen`, and a new TrueType
    font is assembled with :class:`~fontTools.fontBuilder.FontBuilder`
    (cmap, hmtx with lsb = xMin, hhea/OS/2 metrics and the name table copied
    from the source).  This skips fontTools' CFF subsetter, which costs more
    than the conversion itself; OpenType layout tables are not kept (fpdf2
    does not shape text and PIL uses the OTF).  Timestamps are fixed so the
    bytes — and the PDFs embedding subsets of it — are reproducible.

    Measured on this machine (2 cores, ~8.6k glyphs): ≈7 s for serif,
    ≈5 s for sans.
    """
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    font = TTFont(str(src), lazy=True)
    if font.sfntVersion != "OTTO" or "CFF " not in font:
        raise ValueError(f"{src} is not a CFF-flavoured OpenType font")
    keep = agreement_charset() if charset is None else charset
    cmap = {cp: g for cp, g in font.getBestCmap().items() if cp in keep}
    gid = {g: i for i, g in enumerate(font.getGlyphOrder())}
    names = [".notdef"] + sorted(set(cmap.values()) - {".notdef"}, key=gid.__getitem__)
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for g in names:
        pen = TTGlyphPen(None)
        glyph_set[g].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[g] = pen.glyph()

    upm = font["head"].unitsPerEm
    fb = FontBuilder(upm, isTTF=True)
    fb.font.recalcTimestamp = False
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap(cmap)
    fb.setupGlyf(glyphs)
    hmtx = font["hmtx"].metrics
    glyf = fb.font["glyf"]
    fb.setupHorizontalMetrics(
        {g: (hmtx[g][0], glyf[g].xMin if glyf[g].numberOfContours else 0) for g in names}
    )
    hhea = font["hhea"]
    fb.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap)
    os2 = font["OS/2"]
    fb.setupOS2(
        version=4,
        achVendID=os2.achVendID,
        usWeightClass=os2.usWeightClass,
        usWidthClass=os2.usWidthClass,
        fsType=0,  # installable: allow embedding
        fsSelection=os2.fsSelection,
        sTypoAscender=os2.sTypoAscender,
        sTypoDescender=os2.sTypoDescender,
        sTypoLineGap=os2.sTypoLineGap,
        usWinAscent=os2.usWinAscent,
        usWinDescent=os2.usWinDescent,
        sxHeight=getattr(os2, "sxHeight", 0),
        sCapHeight=getattr(os2, "sCapHeight", 0),
        ulUnicodeRange1=os2.ulUnicodeRange1,
        ulUnicodeRange2=os2.ulUnicodeRange2,
        ulUnicodeRange3=os2.ulUnicodeRange3,
        ulUnicodeRange4=os2.ulUnicodeRange4,
        ulCodePageRange1=os2.ulCodePageRange1,
        ulCodePageRange2=os2.ulCodePageRange2,
        panose=os2.panose,
    )
    fb.setupPost(isFixedPitch=0, underlinePosition=font["post"].underlinePosition, underlineThickness=font["post"].underlineThickness)
    fb.font["name"] = font["name"]
    head = fb.font["head"]
    src_head = font["head"]
    head.fontRevision = src_head.fontRevision
    head.created = head.modified = src_head.modified
    head.macStyle = src_head.macStyle
    fb.font.save(str(dst))
    font.close()


@functools.lru_cache(maxsize=64)
def pil_font(size: int, kind: FontKind = "serif"):
    """A PIL ``FreeTypeFont`` of the original OTF at ``size`` pixels.

    Uses PIL's basic layout (plain advance widths, no shaping) so that line
    widths match :func:`corpus.render.text_width` and fpdf2 exactly.
    """
    from PIL import ImageFont

    return ImageFont.truetype(str(otf_path(kind)), size=int(size), layout_engine=ImageFont.Layout.BASIC)


__all__ = ["agreement_charset", "cache_dir", "otf_codepoints", "otf_path", "pil_font", "ttf_font_path"]
