"""Typed ingest settings: defaults in one place, overridable by ``CONTRACT_REVIEW_*`` env vars."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

_PREFIX = "CONTRACT_REVIEW_"


@dataclass(frozen=True)
class IngestSettings:
    ocr_engine: str = "rapidocr"  # name in ingest.ocr.ENGINES
    ocr_dpi: int = 300  # resolution scanned PDF pages are rendered at
    ocr_max_side: int = 2000  # longest side (px) handed to text detection
    ocr_threads: int = -1  # ONNX Runtime threads per engine (-1: all cores); 1 when running N workers
    max_pages: int = 200  # pages read per file; the rest is reported (too_many_pages)
    max_image_pixels: int = 120_000_000  # larger images are refused (image_too_large)
    max_render_pixels: int = 40_000_000  # a rendered PDF page is scaled down to fit this
    max_file_bytes: int = 300 * 1024 * 1024
    timeout_s: float = 600.0  # per file, when read through ingest.guard
    memory_limit_mb: int = 6144  # address-space cap of the worker reading one file
    detect_orientation: bool = True
    detect_seals: bool = True

    @classmethod
    def from_env(cls, **overrides: object) -> "IngestSettings":
        """Defaults, then ``CONTRACT_REVIEW_<FIELD>`` from the environment, then ``overrides``."""
        values: dict[str, object] = {}
        for f in fields(cls):
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
        return replace(cls(), **values)
