"""Shared fixtures: fake OCR engines (registered by name like real ones), generated files."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from ingest import IngestSettings, register_engine
from ingest.ocr.base import OcrLine

pytest_plugins = ("store_fixtures",)  # the review-store fixtures (store per backend, PostgreSQL server)

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


class NullEngine:
    """Reads nothing, instantly: for tests of parsing and failure handling, not of OCR."""

    name = "null"

    def __init__(self, max_side: int = 2000, **_options):
        self.max_side = max_side

    def read(self, image):
        assert image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3, image.shape
        return []

    def detect(self, image):
        return []

    def recognize(self, crops):
        return [("", 0.0) for _ in crops]


class EchoEngine(NullEngine):
    """Returns one fixed line per page: lets tests see that a page went through OCR."""

    name = "echo"

    def read(self, image):
        super().read(image)
        quad = np.array([[10, 10], [200, 10], [200, 40], [10, 40]], dtype=np.float32)
        return [OcrLine("扫描页文字", quad, 0.9)]


class SleepyEngine(NullEngine):
    name = "sleepy"

    def read(self, image):
        time.sleep(60)
        return []


class HogEngine(NullEngine):
    name = "hog"

    def read(self, image):
        hoard = []
        for _ in range(200):
            hoard.append(np.ones((64, 1024, 1024), dtype=np.uint8))  # 64 MiB each
        return []


for engine in (NullEngine, EchoEngine, SleepyEngine, HogEngine):
    register_engine(engine.name, engine)


@pytest.fixture
def null_settings() -> IngestSettings:
    return IngestSettings.from_env(ocr_engine="null", timeout_s=60)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared not found beside the repository ({SHARED})")
    return SHARED


@pytest.fixture
def modules_imported():
    """``modules_imported(code, heavy)``: run ``code`` in a fresh interpreter and return which of
    the top-level packages ``heavy`` it imported (sorted)."""
    import ast
    import subprocess
    import sys

    def run(code: str, heavy: tuple[str, ...]) -> list[str]:
        probe = code + f"\nimport sys\nprint(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r})))\n"
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return ast.literal_eval(done.stdout.strip().splitlines()[-1])

    return run

