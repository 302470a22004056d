"""Saving an upload as a batch and reading it in the background (no Streamlit here, so the
tests call it directly).

The uploaded bytes go to a temporary folder under the data directory, zip archives are
unpacked (:func:`contract_review.batch.expand_inputs`), every file is stored once in the
store (:meth:`Store.add_file`) and the folder is removed. Reading runs in a detached process,
``python -m contract_review.batch BATCH_ID``, which writes its progress to the store; the
page polls :meth:`Store.batch_progress`. The log of that process is
``<data dir>/logs/batch-<id>.log``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from contract_review.batch import expand_inputs
from contract_review.store import LimitExceeded, Store, StoreError, UploadBudget, UploadLimits, Viewer
from contract_review.store.limits import archive_too_large

ROOT = Path(__file__).resolve().parent.parent

UPLOAD_TYPES = ("pdf", "docx", "doc", "jpg", "jpeg", "png", "tif", "tiff", "bmp", "webp", "txt", "zip")
ACTIVE_STATES = ("queued", "processing", "checking")

_RUNNING: dict[tuple[str, int], subprocess.Popen] = {}  # (data dir, batch id) -> process started here


@dataclass
class UploadResult:
    batch_id: int | None = None
    batch_name: str = ""
    unit: str = ""
    added: list[str] = field(default_factory=list)  # stored, to be read
    known: list[str] = field(default_factory=list)  # same bytes already read for this unit
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (name, reason in Chinese)
    started: bool = False  # background processing launched
    pid: int | None = None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def safe_name(name: str) -> str:
    """The file's own name (no folders a browser might send), never empty."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".")
    return base or "未命名文件"


_ENGLISH_PART = re.compile(r" \((?:file_too_large|upload_too_large): | \((?=[a-z])")


def _zh(reason: str) -> str:
    """``expand_inputs`` reasons read ``中文 (english)``: keep the Chinese (a file name in it
    may hold brackets of its own)."""
    found = _ENGLISH_PART.search(reason)
    zh = reason[:found.start()] if found else reason
    if zh == "无法解压":
        return "无法解压：不是有效的 zip 压缩包，或文件已损坏"
    return zh


def save_upload(store: Store, viewer: Viewer, unit: str, batch_name: str | None,
                files: Sequence[tuple[str, bytes]], *, start: bool = True) -> UploadResult:
    """Store uploaded ``(filename, bytes)`` as a batch of ``unit`` and (``start``) begin
    reading it in the background. Uploaders may only upload for their own unit."""
    unit = (unit or "").strip()
    if not viewer.sees_all_units:
        unit = viewer.unit_name or ""
    if not unit:
        raise StoreError("请选择或填写单位")
    if not files:
        raise StoreError("请先选择要上传的文件")
    batch_id = store.create_batch(unit, batch_name, viewer)
    result = UploadResult(batch_id=batch_id, unit=unit)
    uploads = store.data_dir / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    limits = UploadLimits.from_env()
    budget = UploadBudget(limits)
    with tempfile.TemporaryDirectory(prefix="upload-", dir=uploads) as tmp:
        tmp_path = Path(tmp)
        paths: list[Path] = []
        for n, (name, data) in enumerate(files):
            name = safe_name(name)
            suffix = Path(name).suffix.lower().lstrip(".")
            if suffix not in UPLOAD_TYPES:
                result.rejected.append((name, f"不支持的文件类型 .{suffix or '?'}（可上传 PDF、Word(.docx/.doc)、图片、文本或 zip 压缩包）"))
                continue
            try:  # before its bytes touch the disk (expand_inputs books it on the budget)
                if suffix == "zip":
                    if len(data) > limits.max_archive_bytes:
                        raise archive_too_large(name, len(data), limits.max_archive_bytes)
                else:
                    budget.check(name, len(data))
            except LimitExceeded as exc:
                result.rejected.append((name, exc.zh))
                continue
            folder = tmp_path / f"{n:05d}"  # own folder: two uploads may share a name
            folder.mkdir()
            path = folder / name
            path.write_bytes(data)
            paths.append(path)
        work = tmp_path / "unzipped"
        work.mkdir()
        expanded, refused = expand_inputs(paths, work, budget)
        result.rejected.extend((name, _zh(reason)) for name, reason in refused)
        for path, name in expanded:
            try:
                _, fresh = store.add_file(batch_id, path, name, limits)
            except LimitExceeded as exc:
                result.rejected.append((name, exc.zh))
                continue
            except OSError as exc:
                result.rejected.append((name, f"无法读取文件：{exc.strerror or exc}"))
                continue
            (result.added if fresh else result.known).append(name)
    progress = store.batch_progress(batch_id, viewer)
    result.batch_name = progress["name"]
    if progress["total"] == 0:
        store.set_batch_status(batch_id, "failed", "没有可处理的文件")
        return result
    if start:
        result.pid = start_batch(store, batch_id)
        result.started = True
    return result


def _log_dir(store: Store) -> Path:
    d = store.data_dir / "logs"
    d.mkdir(parents=True, exist_ok=True)
    return d


def log_path(store: Store, batch_id: int) -> Path:
    return _log_dir(store) / f"batch-{batch_id}.log"


def start_batch(store: Store, batch_id: int) -> int:
    """Launch ``python -m contract_review.batch BATCH_ID`` detached from the app (its own
    session: it goes on if the app restarts); returns its pid."""
    env = dict(os.environ)
    env["CONTRACT_REVIEW_DATA_DIR"] = str(store.data_dir.resolve())
    env["CONTRACT_REVIEW_DB_URL"] = store.url
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    with open(log_path(store, batch_id), "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "contract_review.batch", str(batch_id)],
            cwd=str(ROOT), env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _RUNNING[(str(store.data_dir), batch_id)] = proc
    (_log_dir(store) / f"batch-{batch_id}.pid").write_text(str(proc.pid))
    return proc.pid


def is_running(store: Store, batch_id: int) -> bool:
    """Whether a reading process for the batch is alive (started by this app process, or by
    an earlier one whose pid file is still there)."""
    proc = _RUNNING.get((str(store.data_dir), batch_id))
    if proc is not None:
        return proc.poll() is None  # also reaps a finished child
    pid_file = _log_dir(store) / f"batch-{batch_id}.pid"
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return False
    return True
