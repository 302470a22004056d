"""A batch worker's warm reading child (ingest.guard.WarmReader): file after file in one child,
the OCR model loaded once, and the same limits and failure reports as a fresh child per file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from conftest import EchoEngine, NullEngine
from ingest import IngestSettings, read_document_guarded, register_engine
from ingest.guard import WarmReader

LOADS = Path(os.environ.get("TMPDIR", "/tmp")) / f"warm-reader-loads-{os.getpid()}.log"


class CountingEngine(EchoEngine):
    """The echo engine, writing a line each time it is loaded (in whichever process loads it)."""

    name = "counting"

    def __init__(self, max_side: int = 2000, **options):
        super().__init__(max_side, **options)
        with LOADS.open("a") as fh:
            fh.write(f"{os.getpid()}\n")


class CrashingEngine(NullEngine):
    """Dies the way a C library does: a segmentation fault."""

    name = "crashing"

    def read(self, image):
        os.kill(os.getpid(), signal.SIGSEGV)


for _engine in (CountingEngine, CrashingEngine):
    register_engine(_engine.name, _engine)


@pytest.fixture
def images(tmp_path: Path) -> list[Path]:
    paths = []
    for k in range(4):
        path = tmp_path / f"page{k}.png"
        Image.new("RGB", (300, 200), "white").save(path)
        paths.append(path)
    return paths


@pytest.fixture
def loads():
    LOADS.unlink(missing_ok=True)
    yield lambda: LOADS.read_text().split() if LOADS.exists() else []
    LOADS.unlink(missing_ok=True)


@pytest.fixture
def reader():
    r = WarmReader()
    yield r
    r.close()


def test_one_child_reads_several_files_with_one_model_load(images, loads, reader):
    settings = IngestSettings.from_env(ocr_engine="counting")
    pids = set()
    for path in images:
        doc = reader.read(path, settings)
        assert doc.status == "ok" and doc.pages[0].kind == "ocr", doc.errors
        pids.add(reader.pid)
    assert len(pids) == 1 and reader.children == 1 and pids != {os.getpid()}
    assert loads() == [str(pids.pop())]  # loaded once, in the reading child
    # a fresh child per file (read_document_guarded) loads the model for every file
    for path in images[:2]:
        read_document_guarded(path, settings)
    assert len(loads()) == 3


def test_a_hung_file_still_times_out_and_the_next_file_is_read(images, reader):
    hung = reader.read(images[0], IngestSettings.from_env(ocr_engine="sleepy", timeout_s=2))
    assert hung.status == "failed" and [e.code for e in hung.errors] == ["timeout"]
    fresh = read_document_guarded(images[0], IngestSettings.from_env(ocr_engine="sleepy", timeout_s=2))
    assert [e.message for e in hung.errors] == [e.message for e in fresh.errors]  # the same report
    doc = reader.read(images[1], IngestSettings.from_env(ocr_engine="echo"))
    assert doc.status == "ok" and reader.children == 2  # the hung child was killed and replaced


def test_memory_overrun_and_crash_fail_that_file_only(images, reader):
    hog = reader.read(images[0], IngestSettings.from_env(ocr_engine="hog", memory_limit_mb=1500))
    assert hog.status == "failed" and "memory_exceeded" in {e.code for e in hog.errors}, hog.errors
    assert reader.read(images[1], IngestSettings.from_env(ocr_engine="echo")).status == "ok"
    crash = reader.read(images[2], IngestSettings.from_env(ocr_engine="crashing"))
    fresh = read_document_guarded(images[2], IngestSettings.from_env(ocr_engine="crashing"))
    assert crash.status == "failed" and [e.code for e in crash.errors] == [e.code for e in fresh.errors] == ["unreadable"]
    assert "signal 11" in crash.errors[0].message
    assert reader.read(images[3], IngestSettings.from_env(ocr_engine="echo")).status == "ok"
    assert reader.children == 3  # replaced after the overrun and after the crash


def test_the_memory_cap_holds_for_every_file_not_only_the_first(images, reader):
    """Each file gets the same allowance on top of what the child holds: a child that read
    files before still stops a hog at the cap."""
    for path in images[:2]:
        assert reader.read(path, IngestSettings.from_env(ocr_engine="echo")).status == "ok"
    hog = reader.read(images[2], IngestSettings.from_env(ocr_engine="hog", memory_limit_mb=1500))
    assert "memory_exceeded" in {e.code for e in hog.errors}, hog.errors


def test_the_child_is_replaced_after_max_files(images):
    reader = WarmReader(max_files=2)
    try:
        for path in images:
            assert reader.read(path, IngestSettings.from_env(ocr_engine="echo")).status == "ok"
        assert reader.children == 2
    finally:
        reader.close()


def test_the_child_ends_when_its_parent_does(tmp_path):
    """A worker that dies leaves no reading child behind (it reads EOF and leaves)."""
    code = (
        "import os, sys\n"
        "from ingest.guard import WarmReader\n"
        "from ingest import IngestSettings\n"
        "r = WarmReader()\n"
        f"r.read({str(tmp_path / 'a.txt')!r}, IngestSettings.from_env())\n"
        "print(r.pid, flush=True)\n"
        "os._exit(0)\n"
    )
    (tmp_path / "a.txt").write_text("租赁合同", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    pid = int(done.stdout.split()[-1])
    deadline = time.monotonic() + 10
    while _running(pid):
        if time.monotonic() > deadline:
            pytest.fail(f"reading child {pid} outlived its parent")
        time.sleep(0.05)


def _running(pid: int) -> bool:
    """Alive and not a zombie (a container's init may be slow to reap)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
