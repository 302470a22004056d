"""PP-OCR (PP-OCRv6 small, shipped inside the ``rapidocr`` wheel) on ONNX Runtime, or OpenVINO.

Only the models the wheel ships are used, so nothing is downloaded at run time. OpenVINO
(``CONTRACT_REVIEW_OCR_RUNTIME=openvino``, ``pip install 'contract-review[openvino]'``) runs the
very same ONNX files, handed to it by path: on the bench's scans in about 70 % of ONNX Runtime's
time in float32 and half in bfloat16, with the same CER there, but not the very same text (the
small eval's scan CER went 0.67 → 0.74 % in either precision; README "Speed and memory"), so it
is not the default. Without OpenVINO installed, ONNX Runtime is used.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
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


@contextmanager
def _openvino_precision(precision: str):
    """OpenVINO's CPU plugin computes in bfloat16 where the CPU has it (AVX512-BF16, AMX): faster,
    but not the text ONNX Runtime reads (the eval's scan CER went 0.67 → 0.74 %). rapidocr passes
    only its own keys to the plugin, so the precision hint is added while the engine is built."""
    from rapidocr.inference_engine.openvino import device_config

    original = device_config.CPUConfig.get_config

    def get_config(self):
        return {**original(self), "INFERENCE_PRECISION_HINT": precision}

    device_config.CPUConfig.get_config = get_config
    try:
        yield
    finally:
        device_config.CPUConfig.get_config = original


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self, max_side: int = 2000, threads: int = -1, runtime: str = "onnxruntime", precision: str = "f32"):
        if runtime not in RUNTIMES:
            raise ValueError(f"unknown OCR runtime {runtime!r}; known: {', '.join(RUNTIMES)}")
        self.max_side = max_side
        self.threads = threads
        self.runtime = runtime
        self.precision = precision  # OpenVINO's inference precision: f32 (ONNX Runtime's text) or bf16 (faster)
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
                if runtime == "openvino":
                    with _openvino_precision(self.precision):
                        self._engine = RapidOCR(params=self._params(runtime))
                else:
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
