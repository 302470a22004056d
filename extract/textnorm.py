"""Normalise a document's text before any field is read, keeping an offset map back to it.

Real agreements reach us in traditional script (reposts from Taiwan / Hong Kong sites and old
typewritten forms: 出租方…居民委員會、畝、經村民代表會議討論通過), with web-repost pinyin glosses
after characters (鎮(zhèn)、濟(jì)) and with full-width forms. Every extractor reads the simplified,
gloss-free text; every quote still points at the characters as written.

* traditional → simplified with OpenCC's ``t2s`` tables (``opencc-python-reimplemented``, the
  maintained pure-Python port), applied character by character so that the text keeps its
  length (OpenCC's phrase tables only matter for a handful of words that never carry a field);
* pinyin glosses ``(zhèn)`` right after a Chinese character are dropped (a gloss needs a tone
  mark or ü, so ``(A)`` or ``(m2)`` stay).

``normalise(text)`` returns the new text and, for each of its characters (plus the end), the
offset in ``text`` it came from.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_GLOSS = re.compile(rf"(?<=[\u4e00-\u9fff])[（(](?=[a-z{_TONED}]*[{_TONED}])[a-z{_TONED}]{{1,7}}[)）]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _converter():
    try:
        from opencc import OpenCC
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise ImportError("traditional-script support needs opencc-python-reimplemented (pip install opencc-python-reimplemented)") from exc
    return OpenCC("t2s")


@lru_cache(maxsize=8192)
def _t2s_char(ch: str) -> str:
    out = _converter().convert(ch)
    return out if len(out) == 1 else ch


def to_simplified(text: str) -> str:
    """Traditional characters to simplified, one character for one (same length)."""
    return "".join(_t2s_char(ch) if _CJK.match(ch) else ch for ch in text)


def normalise(text: str) -> tuple[str, list[int]]:
    """(normalised text, offset in ``text`` of each character of it, plus the end)."""
    drop = [(m.start(), m.end()) for m in _GLOSS.finditer(text)]
    if drop:
        kept, index, pos = [], [], 0
        for a, b in drop:
            kept.append(text[pos:a])
            index.extend(range(pos, a))
            pos = b
        kept.append(text[pos:])
        index.extend(range(pos, len(text)))
        text_out = "".join(kept)
    else:
        text_out, index = text, list(range(len(text)))
    index.append(len(text))
    return to_simplified(text_out), index


__all__ = ["normalise", "to_simplified"]
