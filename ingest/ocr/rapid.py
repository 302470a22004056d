"""PP-OCR (PP-OCRv6 small, shipped inside the ``rapidocr`` wheel) on OpenVINO, or ONNX Runtime.

Only the models the wheel ships are used, so nothing is downloaded at run time. OpenVINO runs
the very same ONNX files (handed to it by path) about twice as fast on a CPU as ONNX Runtime
with the same text out (measured by ``make bench``, README "Speed and memory"); ONNX Runtime is used
when OpenVINO is not installed or ``CONTRACT_REVIEW_OCR_RUNTIME=onnxruntime``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from .base import OcrLine

log = logging.getLogger(__name__)

RUNTIMES = ("openvino", "onnxruntime")


def _openvino_available() -> bool:
    try:
        import openvino  # noqa: F401
    except Exception:
        return False
    return True


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self, max_side: int = 2000, threads: int = -1, runtime: str = "openvino"):
        if runtime not in RUNTIMES:
            raise ValueError(f"unknown OCR runtime {runtime!r}; known: {', '.join(RUNTIMES)}")
        self.max_side = max_side
        self.threads = threads
        self.runtime = runtime
        self._engine = None

    def _params(self, runtime: str) -> dict:
        params: dict = {"Global.log_level": "error", "Global.max_side_len": int(self.max_side)}
        if runtime == "onnxruntime":
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = int(self.threads)
            return params
        import rapidocr
        from rapidocr.utils.typings import EngineType

        models = Path(rapidocr.__file__).resolve().parent / "models"
        files = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx", "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx"}
        for task, name in files.items():
            if not (models / name).is_file():
                raise FileNotFoundError(f"the rapidocr wheel does not ship {name}")
            params[f"{task}.engine_type"] = EngineType.OPENVINO
            params[f"{task}.model_path"] = str(models / name)
        params["EngineConfig.openvino.inference_num_threads"] = int(self.threads)
        return params

    def _get(self):
        if self._engine is None:
            try:
                from rapidocr import RapidOCR
            except ImportError as exc:  # pragma: no cover - dependency of the package
                raise RuntimeError("rapidocr is not installed: pip install rapidocr onnxruntime") from exc
            runtime = self.runtime
            if runtime == "openvino" and not _openvino_available():
                log.info("openvino is not installed: OCR runs on ONNX Runtime")
                runtime = "onnxruntime"
            try:
                self._engine = RapidOCR(params=self._params(runtime))
            except Exception as exc:
                if runtime == "onnxruntime":
                    raise
                log.warning("OpenVINO could not load the OCR models (%s): OCR runs on ONNX Runtime", exc)
                runtime = "onnxruntime"
                self._engine = RapidOCR(params=self._params(runtime))
            self.runtime = runtime
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
