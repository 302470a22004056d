"""PaddleOCR backend, for sites that have PaddlePaddle and local PP-OCR model directories.

Chosen with ``--ocr-engine paddleocr``. Model directories come from the environment
(``CONTRACT_REVIEW_PADDLE_DET_DIR``, ``..._REC_DIR``, ``..._CLS_DIR``) so nothing is downloaded.
"""

from __future__ import annotations

import os

import numpy as np

from .base import OcrLine


class PaddleOcrEngine:
    name = "paddleocr"

    def __init__(self, max_side: int = 2000, threads: int = -1, **_options):
        self.max_side = max_side
        self._engine = None
        self._get()  # fail now, with the install hint, rather than on every page

    @staticmethod
    def available() -> bool:
        try:
            import paddleocr  # noqa: F401
        except Exception:
            return False
        return True

    def _get(self):
        if self._engine is None:
            try:
                from paddleocr import PaddleOCR
            except ImportError as exc:
                raise RuntimeError(
                    "the paddleocr engine needs `pip install paddlepaddle paddleocr` and local model "
                    "directories in CONTRACT_REVIEW_PADDLE_DET_DIR / _REC_DIR / _CLS_DIR"
                ) from exc
            dirs = {
                key: os.environ.get(f"CONTRACT_REVIEW_PADDLE_{key.upper()}_DIR")
                for key in ("det", "rec", "cls")
            }
            missing = [k for k, v in dirs.items() if not v or not os.path.isdir(v)]
            if missing:
                raise RuntimeError(
                    "paddleocr model directories not set or missing: "
                    + ", ".join(f"CONTRACT_REVIEW_PADDLE_{k.upper()}_DIR" for k in missing)
                )
            self._engine = PaddleOCR(
                det_model_dir=dirs["det"], rec_model_dir=dirs["rec"], cls_model_dir=dirs["cls"],
                use_angle_cls=True, lang="ch", show_log=False,
            )
        return self._engine

    def read(self, image: np.ndarray) -> list[OcrLine]:
        result = self._get().ocr(image[:, :, ::-1], cls=True) or []
        lines = result[0] if result and isinstance(result[0], list) else result
        out = []
        for item in lines or []:
            quad, (text, score) = item
            out.append(OcrLine(str(text), np.asarray(quad, dtype=np.float32).reshape(4, 2), float(score)))
        return out

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        result = self._get().ocr(image[:, :, ::-1], det=True, rec=False, cls=False) or []
        quads = result[0] if result and isinstance(result[0], list) else result
        return [np.asarray(q, dtype=np.float32).reshape(4, 2) for q in quads or []]

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        out = []
        for crop in crops:
            result = self._get().ocr(crop[:, :, ::-1], det=False, cls=False) or [[("", 0.0)]]
            first = result[0][0] if result and result[0] else ("", 0.0)
            out.append((str(first[0]), float(first[1])))
        return out
