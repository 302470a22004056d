"""PP-OCR (PP-OCRv6 small, shipped inside the ``rapidocr`` wheel) on ONNX Runtime.

Only the models the wheel ships are used, so nothing is downloaded at run time.
"""

from __future__ import annotations

import logging

import numpy as np

from .base import OcrLine


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self, max_side: int = 2000, threads: int = -1):
        self.max_side = max_side
        self.threads = threads
        self._engine = None

    def _get(self):
        if self._engine is None:
            try:
                from rapidocr import RapidOCR
            except ImportError as exc:  # pragma: no cover - dependency of the package
                raise RuntimeError("rapidocr is not installed: pip install rapidocr onnxruntime") from exc
            params = {
                "Global.log_level": "error",
                "Global.max_side_len": int(self.max_side),
                "EngineConfig.onnxruntime.intra_op_num_threads": int(self.threads),
            }
            self._engine = RapidOCR(params=params)
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        return self._engine

    def read(self, image: np.ndarray) -> list[OcrLine]:
        # no line classifier: upright pages read as well without it, and upside-down pages
        # are found (and turned) by ingest.vision from the low scores they give
        result = self._get()(image, use_det=True, use_cls=False, use_rec=True)
        boxes = getattr(result, "boxes", None)
        txts = getattr(result, "txts", None)
        scores = getattr(result, "scores", None)
        if boxes is None or txts is None:
            return []
        return [
            OcrLine(str(t), np.asarray(b, dtype=np.float32).reshape(4, 2), float(s))
            for b, t, s in zip(boxes, txts, scores)
        ]

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        result = self._get()(image, use_det=True, use_cls=False, use_rec=False)
        boxes = getattr(result, "boxes", None)
        if boxes is None:
            return []
        return [np.asarray(b, dtype=np.float32).reshape(4, 2) for b in boxes]

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        out: list[tuple[str, float]] = []
        engine = self._get()
        for crop in crops:
            result = engine(crop, use_det=False, use_cls=False, use_rec=True)
            txts = getattr(result, "txts", None) or ("",)
            scores = getattr(result, "scores", None) or (0.0,)
            out.append((str(txts[0]), float(scores[0])))
        return out
