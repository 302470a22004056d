"""The OCR engine interface every backend implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass
class OcrLine:
    """One recognised text line: quadrilateral box in image pixels, text and score."""

    text: str
    quad: np.ndarray  # shape (4, 2): the four corners, clockwise from top-left
    score: float

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        xs, ys = self.quad[:, 0], self.quad[:, 1]
        return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())


class OcrEngine(Protocol):
    """What ingest needs of an OCR engine. Images are RGB ``uint8`` arrays of shape (H, W, 3)."""

    name: str

    def read(self, image: np.ndarray) -> list[OcrLine]:
        """Detect and recognise every text line of a page image."""

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        """Text-line quadrilaterals only (no recognition): used to find page orientation."""

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """Recognise already cropped, upright single-line images."""

    # optional: ``read_detected(image, quads) -> list[OcrLine]`` recognises the boxes ``detect``
    # found on ``image``, so that ``read == read_detected(image, detect(image))``. With it,
    # ingest.vision turns a page lying on its side before recognising anything on it.
