"""A CJK font for drawing labels on page images.

The Noto Sans SC / Noto Serif SC OTF files come with the ``pylopdf-fonts-zh-cn`` package (a
project dependency); nothing is downloaded. PIL draws these CFF-based OTF files directly.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from PIL import ImageFont

FontKind = Literal["sans", "serif"]


def cjk_font_path(kind: FontKind = "sans") -> Path | None:
    """Path of Noto Sans SC (``"sans"``) or Noto Serif SC (``"serif"``), or ``None`` when the
    ``pylopdf-fonts-zh-cn`` package is not installed."""
    try:
        import pylopdf_fonts_zh_cn as fonts
    except ImportError:
        return None
    if kind == "sans":
        return Path(fonts.sans_path())
    if kind == "serif":
        return Path(fonts.serif_path())
    raise ValueError(f"unknown font kind {kind!r} (expected 'sans' or 'serif')")


@functools.lru_cache(maxsize=32)
def cjk_font(size: int, kind: FontKind = "sans") -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A PIL font of ``size`` pixels that draws Chinese.

    Falls back to PIL's built-in font (Latin only) when the Noto fonts are missing, so drawing
    never fails for want of a font.
    """
    path = cjk_font_path(kind)
    if path is not None and path.is_file():
        return ImageFont.truetype(str(path), size=max(1, int(size)), layout_engine=ImageFont.Layout.BASIC)
    return ImageFont.load_default(size=max(1, int(size)))


__all__ = ["FontKind", "cjk_font", "cjk_font_path"]
