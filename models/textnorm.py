"""What the text models see (no scikit-learn here: the lean predictors import it too)."""

from __future__ import annotations

import re
import unicodedata

_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Width-folded, digits collapsed to 0, whitespace squeezed: what the models see."""
    text = unicodedata.normalize("NFKC", text)
    text = _DIGITS.sub("0", text)
    return _SPACES.sub(" ", text).strip()
