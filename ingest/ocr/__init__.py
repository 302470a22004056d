"""OCR engines by name. ``get_engine(name)`` returns a per-process cached engine.

The table below is the only place engines are listed; an unknown name raises
:class:`~ingest.errors.UnknownEngineError` naming the known ones.
"""

from __future__ import annotations

import os
from typing import Callable

from ..errors import UnknownEngineError
from .base import OcrEngine, OcrLine
from .paddle import PaddleOcrEngine
from .rapid import RapidOcrEngine

ENGINES: dict[str, Callable[..., OcrEngine]] = {
    "rapidocr": RapidOcrEngine,
    "paddleocr": PaddleOcrEngine,
}

_cache: dict[tuple, OcrEngine] = {}


def register_engine(name: str, factory: Callable[..., OcrEngine]) -> None:
    """Add an engine (tests register fakes; sites may add their own)."""
    ENGINES[name] = factory


def get_engine(name: str, max_side: int = 2000, threads: int = -1, **options) -> OcrEngine:
    """The engine ``name`` (loaded once per process); ``options`` go to its factory (rapidocr:
    ``runtime="openvino"`` or ``"onnxruntime"``)."""
    if name not in ENGINES:
        raise UnknownEngineError(name, sorted(ENGINES))
    # keyed by pid: an engine's thread pools must never be shared across a fork
    key = (os.getpid(), name, max_side, threads, tuple(sorted(options.items())))
    if key not in _cache:
        _cache[key] = ENGINES[name](max_side=max_side, threads=threads, **options)
    return _cache[key]


__all__ = ["ENGINES", "OcrEngine", "OcrLine", "get_engine", "register_engine"]
