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


def _fast_detection_input(detector) -> None:
    """Have rapidocr's text detector prepare its input through a lookup table.

    rapidocr normalises the page for detection as ``(uint8 / 255 - mean) / std`` in float64 (its
    mean and std are float64 arrays) and hands ONNX Runtime a transposed, non-contiguous array to
    copy again: about a quarter of a second a 200-dpi page, as much as a tenth of the detector's own
    time. A pixel's value after normalisation depends only on its byte and channel, so the 256 × 3
    values rapidocr's own ``normalize`` gives are computed once and looked up (``cv2.LUT``) — the
    same float32 numbers bit for bit — into a contiguous array. A detector without the expected
    shape (another rapidocr release) keeps its own preprocessing."""
    import cv2
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    if not callable(getattr(detector, "get_preprocess", None)) or not callable(getattr(DetPreProcess, "normalize", None)):
        return
    tables: dict[tuple, np.ndarray] = {}

    class LookupDetPreProcess(DetPreProcess):
        def __call__(self, img: np.ndarray):
            if img.dtype != np.uint8 or img.ndim != 3 or img.shape[2] != 3 or np.size(self.mean) not in (1, 3):
                return super().__call__(img)
            resized = self.resize(img)
            if resized is None:
                return None
            key = (tuple(np.ravel(self.mean)), tuple(np.ravel(self.std)), self.scale)
            if key not in tables:
                values = np.repeat(np.arange(256, dtype=np.uint8).reshape(256, 1, 1), 3, axis=2)
                tables[key] = np.asarray(self.normalize(values), dtype=np.float32).reshape(1, 256, 3)
            normalised = cv2.LUT(np.ascontiguousarray(resized), tables[key])
            return np.ascontiguousarray(normalised.transpose(2, 0, 1))[np.newaxis]

    def get_preprocess():
        return LookupDetPreProcess(detector.limit_side_len, detector.limit_type, detector.mean, detector.std)

    detector.get_preprocess = get_preprocess


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self, max_side: int = 2000, threads: int = -1, runtime: str = "onnxruntime", precision: str = "f32",
                 det_max_side: int = 0, rec_batch: int = 6):
        if runtime not in RUNTIMES:
            raise ValueError(f"unknown OCR runtime {runtime!r}; known: {', '.join(RUNTIMES)}")
        self.max_side = max_side  # longest side of the page the lines are cropped from
        # longest side of the image text detection runs on; 0 (or max_side and more): rapidocr's own
        # sizing, the whole max_side page
        self.det_max_side = det_max_side
        self.rec_batch = rec_batch  # line crops recognised per model call
        self.threads = threads
        self.runtime = runtime
        self.precision = precision  # OpenVINO's inference precision: f32 (ONNX Runtime's text) or bf16 (faster)
        self._engine = None
        self._detector_ready = False  # rapidocr's detector prepares its input by lookup table

    def _params(self, runtime: str) -> dict:
        params: dict = {
            "Global.log_level": "error",
            "Global.max_side_len": int(self.max_side),
            "Rec.rec_batch_num": max(1, int(self.rec_batch)),
        }
        if 0 < self.det_max_side < self.max_side:
            # rapidocr's own sizing (limit_type "min", 736) detects on the whole max_side page
            params["Det.limit_type"] = "max"
            params["Det.limit_side_len"] = int(self.det_max_side)
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
        return self.read_detected(image, self.detect(image))

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        engine = self._get()
        if not self._detector_ready:  # the detector is loaded by the first detection, not before
            load = getattr(engine, "_load_det_model", None)
            if callable(load):
                _fast_detection_input(load())
            self._detector_ready = True
        result = engine(image, use_det=True, use_cls=False, use_rec=False)
        boxes = getattr(result, "boxes", None)
        if boxes is None:
            return []
        return [np.asarray(b, dtype=np.float32).reshape(4, 2) for b in boxes]

    def read_detected(self, image: np.ndarray, quads: list[np.ndarray]) -> list[OcrLine]:
        """Recognise the lines ``detect`` found on ``image`` (boxes in its pixels), as rapidocr's own
        pass would: cropped from the page scaled to ``max_side``, recognised in batches, lines
        scoring under its ``text_score`` or reading empty dropped. No lines, no recognition."""
        if not quads:
            return []
        engine = self._get()
        small, record = engine.preprocess_img(image)
        ratio = np.array([record["preprocess"]["ratio_w"], record["preprocess"]["ratio_h"]], dtype=np.float32)
        boxes = np.stack([np.asarray(q, dtype=np.float32).reshape(4, 2) / ratio for q in quads])
        crops = engine.crop_text_regions(small, boxes)
        floor = float(engine.cfg.Global.text_score)
        return [
            OcrLine(text, np.asarray(q, dtype=np.float32).reshape(4, 2), score)
            for q, (text, score) in zip(quads, self.recognize(crops))
            if text.strip() and score >= floor
        ]

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """One batched pass of the recogniser (crops sorted by width inside it, ``rec_batch`` a call)."""
        if not crops:
            return []
        result = self._get().recognize_txt(list(crops))
        return [(str(t), float(s)) for t, s in zip(result.txts, result.scores)]
