"""Full-text search of the review store: Chinese text cut into words by jieba (wrapped here, once).

SQLite's FTS5 and PostgreSQL's text search split on spaces and punctuation: neither knows where
a Chinese word ends. So each agreement's searchable text (:func:`search_body`: the file name,
asset and counterparty, the full text as read and the reviewers' corrected values) is folded
(:func:`fold`: full-width to half-width, lower case, traditional to simplified script — one
character for one) and cut by jieba's search mode (every word and the shorter words inside it:
城关镇 → 城关 关镇 城关镇) into a space-separated ``tokens`` column (:func:`tokens`). The index
is FTS5 (SQLite) or a GIN index over ``to_tsvector('simple', tokens)`` (PostgreSQL); a query is
cut the same way (precise mode) and every word must match (:func:`query_words`). The store also
finds the query as typed anywhere in the text (part of a word jieba keeps whole).

:func:`snippet` finds the query's words in an agreement's text and returns the passage that
holds most of them, split into plain and hit segments for the queue to highlight.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

SNIPPET_CHARS = 100  # characters of text shown around the hits
_CONTEXT = 10  # of which at least before the first hit (or after the last)


@lru_cache(maxsize=1)
def _jieba() -> Any:
    try:
        import jieba
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise ImportError("search needs jieba (pip install jieba)") from exc
    jieba.setLogLevel(logging.WARNING)  # its dictionary messages would go to stderr
    return jieba


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    out = unicodedata.normalize("NFKC", ch)
    out = out.lower() if len(out) == 1 else ch
    if len(out) != 1:
        return ch
    if "\u3400" <= out <= "\u9fff" or "\uf900" <= out <= "\ufaff":
        from extract.textnorm import to_simplified

        return to_simplified(out)
    return out


def fold(text: str) -> str:
    """``text`` as it is indexed and searched: half-width, lower case, simplified script; the
    same length as ``text`` (character ``i`` of the result comes from character ``i``)."""
    return "".join(_fold_char(ch) for ch in text)


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _is_word(token: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def tokens(text: str) -> str:
    """The index column: ``text`` folded and cut by jieba's search mode, words separated by
    spaces (punctuation and spacing dropped), then each Chinese character once on its own — a
    one-character query word (路 of 人民路, cut 人民 / 路 out of context) matches however the
    text was cut."""
    folded = fold(text)
    words = [t for t in _jieba().cut_for_search(folded) if _is_word(t)]
    singles = dict.fromkeys(ch for ch in folded if _CJK.match(ch))
    return " ".join([*words, *singles])


def query_words(query: str) -> list[str]:
    """The words a query must all match: folded, cut by jieba's precise mode, each once, in order."""
    words = (t.strip() for t in _jieba().cut(fold(query or "")))
    return list(dict.fromkeys(t for t in words if t and _is_word(t)))


def fts5_query(words: Iterable[str]) -> str:
    """An FTS5 MATCH expression requiring every word (each quoted, so no word is an operator)."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def search_body(*, filename: str = "", title: str = "", counterparty: str | None = None,
                text: str = "", corrections: Iterable[str | None] = ()) -> str:
    """What is searched for an agreement: names first (file, asset, counterparty), the reviewers'
    corrected values, then the full text as read."""
    parts = [filename, title, counterparty or "", *(c for c in corrections if c), text]
    return "\n".join(p.replace("\x00", "") for p in parts if p)


def snippet(body: str, query: str, width: int = SNIPPET_CHARS) -> list[tuple[str, bool]]:
    """The passage of ``body`` (at most ``width`` characters) that holds most of the query's
    words, as ``(text, is_hit)`` segments; ``[]`` when no word occurs (a match in the file name
    alone, for instance). The whole query typed as it stands counts as one more word."""
    folded = fold(body)
    words = [w for w in dict.fromkeys([fold(query or "").strip(), *query_words(query)]) if w]
    spans = sorted((i, i + len(w), w) for w in words for i in _find_all(folded, w))
    if not spans:
        return []
    best_start, best_seen = 0, -1
    # windows starting a little before a hit or ending a little after one: the first of those
    # holding the most distinct words
    starts = {max(0, s - _CONTEXT) for s, _, _ in spans} | {max(0, e + _CONTEXT - width) for _, e, _ in spans}
    for lo in sorted(starts):
        seen = len({w for s, e, w in spans if s >= lo and e <= lo + width})
        if seen > best_seen:
            best_start, best_seen = lo, seen
    hi = min(len(body), best_start + width)
    marked = [False] * (hi - best_start)
    for s, e, _ in spans:
        for i in range(max(s, best_start), min(e, hi)):
            marked[i - best_start] = True
    out: list[tuple[str, bool]] = []
    for i, flag in enumerate(marked):
        ch = body[best_start + i]
        ch = " " if ch in "\n\f\r\t" else ch
        if out and out[-1][1] == flag:
            out[-1] = (out[-1][0] + ch, flag)
        else:
            out.append((ch, flag))
    if best_start > 0:
        out.insert(0, ("…", False))
    if hi < len(body):
        out.append(("…", False))
    return out


def _find_all(haystack: str, needle: str) -> Iterable[int]:
    i = haystack.find(needle)
    while i >= 0:
        yield i
        i = haystack.find(needle, i + len(needle))
