"""Typed ingest settings: defaults in one place, overridable by ``CONTRACT_REVIEW_*`` env vars."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import TypeVar

_PREFIX = "CONTRACT_REVIEW_"
MiB = 1024 * 1024
MAX_FILE_BYTES = 300 * MiB
"""One file's size limit, shared by reading (:class:`IngestSettings`) and storing
(``contract_review.limits.UploadLimits``): ``CONTRACT_REVIEW_MAX_FILE_BYTES`` sets both."""

_S = TypeVar("_S", bound="EnvSettings")


class EnvSettings:
    """A frozen settings dataclass whose every field can be set by ``CONTRACT_REVIEW_<FIELD>``."""

    @classmethod
    def from_env(cls: type[_S], **overrides: object) -> _S:
        """Defaults, then ``CONTRACT_REVIEW_<FIELD>`` from the environment, then ``overrides``."""
        values: dict[str, object] = {}
        for f in fields(cls):  # type: ignore[arg-type]
            raw = os.environ.get(_PREFIX + f.name.upper())
            if raw is None:
                continue
            default = f.default
            try:
                if isinstance(default, bool):
                    values[f.name] = raw.strip().lower() in {"1", "true", "yes", "on"}
                elif isinstance(default, int):
                    values[f.name] = int(raw)
                elif isinstance(default, float):
                    values[f.name] = float(raw)
                else:
                    values[f.name] = raw
            except ValueError as exc:
                raise ValueError(f"{_PREFIX}{f.name.upper()}={raw!r} is not a valid {type(default).__name__}") from exc
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)  # type: ignore[type-var]


@dataclass(frozen=True)
class IngestSettings(EnvSettings):
    ocr_engine: str = "rapidocr"  # name in ingest.ocr.ENGINES
    # rapidocr's inference runtime: onnxruntime, or openvino (pip install 'contract-review[openvino]'):
    # several times faster on scans, but on make eval's 200 agreements the scan CER went 0.38 -> 0.39 %
    # and one scanned counterparty was misread (README "Speed and memory")
    ocr_runtime: str = "onnxruntime"
    ocr_precision: str = "f32"  # OpenVINO's: f32, or bf16 (faster where the CPU has it)
    ocr_dpi: int = 300  # resolution scanned PDF pages are rendered at
    ocr_max_side: int = 2000  # longest side (px) of the page text lines are cropped from for recognition
    # longest side (px) text detection runs on; 0: rapidocr's own sizing, the whole ocr_max_side page
    # (1408×2000 for A4), two fifths of a scanned page's OCR time. 960 (PaddleOCR's own default)
    # cuts that time by three quarters; line grouping copes with its padded boxes, but the eval's
    # scan CER went 0.53 -> 0.64 % and one scanned area was lost (README "Speed and memory"): opt-in
    ocr_det_max_side: int = 0
    ocr_rec_batch: int = 6  # text-line crops per recognition call (rapidocr's default)
    ocr_threads: int = -1  # ONNX Runtime threads per engine (-1: all cores); 1 when running N workers
    max_pages: int = 200  # pages read per file; the rest is reported (too_many_pages)
    max_image_pixels: int = 120_000_000  # larger images are refused (image_too_large)
    max_render_pixels: int = 40_000_000  # a rendered PDF page is scaled down to fit this
    max_file_bytes: int = MAX_FILE_BYTES  # larger files are refused unread (file_too_large)
    max_docx_member_bytes: int = 256 * MiB  # one part of a .docx, inflated (zip headers, then counted)
    max_docx_inflated_bytes: int = 512 * MiB  # all parts of a .docx together, inflated
    # time limit of one file read through ingest.guard: base + per page, at most timeout_s
    timeout_s: float = 600.0
    timeout_base_s: float = 60.0
    timeout_per_page_s: float = 20.0
    text_layer_timeout_s: float = 15.0  # pdfplumber on one PDF page; then pypdfium2's text layer instead
    memory_limit_mb: int = 6144  # address-space cap of the child reading one file
    memory_budget_mb: int = 16384  # all reading children of a batch together: each gets budget / workers at most
    detect_orientation: bool = True
    detect_seals: bool = True

    def time_limit(self, pages: int | None) -> float:
        """Seconds one file may take: ``timeout_base_s + timeout_per_page_s × pages``, never
        more than ``timeout_s`` (before the pages are counted: the base alone)."""
        scaled = self.timeout_base_s + self.timeout_per_page_s * max(0, pages or 0)
        return min(self.timeout_s, scaled)

    def memory_per_worker(self, workers: int) -> int:
        """The memory cap (MB) of each of ``workers`` children reading at once."""
        return max(256, min(self.memory_limit_mb, self.memory_budget_mb // max(1, workers)))
