"""The batch runner: files handed in for a unit → stored once → read in parallel → checked
with the unit's other agreements → ready to review.

Every read document is committed as soon as it is read, so a crash loses at most the files
being read at that moment; running the same batch again reads only what is left
(``Store.pending``). A file a unit already handed in (same bytes) is never read twice, and a
run that read nothing new does not check the unit again.

The review app starts ``python -m contract_review.batch BATCH_ID`` in the background after an
upload; the CLI's ``contract-review ingest`` calls :func:`ingest_paths`.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .store import SYSTEM, Store, Viewer

log = logging.getLogger(__name__)

SKIPPED_SUFFIXES = (".json", ".yaml", ".yml", ".csv", ".db", ".db-wal", ".db-shm")
MAX_ZIP_MEMBERS = 5000
MAX_ZIP_BYTES = 2 * 1024**3  # uncompressed total accepted from one archive

Progress = Callable[[int, int, str, str], None]
"""``progress(done, total, filename, status)`` after each file read (status ``ok``,
``partial`` or ``failed``)."""


@dataclass
class BatchSummary:
    batch_id: int
    files: int = 0  # handed in (and stored)
    read: int = 0  # read by this run
    failed: int = 0  # failed in this run
    unchanged: int = 0  # already read before: no work done
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (name, reason): never stored
    agreements: int = 0  # agreements of the unit (checked again when this run read anything)
    checked: bool = False  # whether this run checked the unit's agreements
    seconds: float = 0.0


# ---------------------------------------------------------------------- inputs
def expand_inputs(paths: Sequence[str | Path], workdir: Path) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """Files to ingest as ``(path, name shown to people)``; folders are walked (hidden files
    and folders, manifests and databases skipped), zip archives unpacked into ``workdir``.
    Returns the files and the inputs refused with the reason."""
    files: list[tuple[Path, str]] = []
    rejected: list[tuple[str, str]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if not f.is_file() or any(part.startswith(".") for part in rel.parts) \
                        or f.suffix.lower() in SKIPPED_SUFFIXES:
                    continue
                if f.suffix.lower() == ".zip":
                    got, bad = _unzip(f, workdir, rel.as_posix())
                    files.extend(got)
                    rejected.extend(bad)
                else:
                    files.append((f, rel.as_posix()))
        elif not p.exists():
            rejected.append((str(p), "文件不存在 (file not found)"))
        elif p.suffix.lower() == ".zip":
            got, bad = _unzip(p, workdir, p.name)
            files.extend(got)
            rejected.extend(bad)
        else:
            files.append((p, p.name))
    return files, rejected


def _zip_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its maker meant it: archives made on Chinese Windows store GBK names
    without the UTF-8 flag (Python reads those as cp437); some tools store UTF-8 unflagged."""
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _shown_name(name: str) -> str:
    """A member's path for display only, without ``..``, drive letters or a leading slash."""
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("", ".", "..", "/")]
    return "/".join(p for p in parts if not (len(p) == 2 and p[1] == ":")) or "?"


def _unzip(archive: Path, workdir: Path, shown: str) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """Unpack ``archive`` under ``workdir``: each member is written as a numbered file (never
    under a name or path taken from the archive); its display name is ``shown/member``."""
    out: list[tuple[Path, str]] = []
    bad: list[tuple[str, str]] = []
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [i for i in zf.infolist() if not i.is_dir()]
            if len(members) > MAX_ZIP_MEMBERS or sum(i.file_size for i in members) > MAX_ZIP_BYTES:
                return [], [(shown, "压缩包过大或文件过多 (archive too large)")]
            dest = Path(tempfile.mkdtemp(prefix="zip-", dir=workdir))
            for n, info in enumerate(members):
                member = _shown_name(_zip_name(info))
                pure = PurePosixPath(member)
                if any(p.startswith(".") for p in pure.parts) or "__MACOSX" in pure.parts \
                        or pure.suffix.lower() in SKIPPED_SUFFIXES:
                    continue
                name = f"{shown}/{member}"
                if pure.suffix.lower() == ".zip":
                    bad.append((name, "不支持压缩包中的压缩包 (nested archive)"))
                    continue
                target = dest / f"{n:05d}{pure.suffix.lower()[:10]}"
                try:
                    with zf.open(info) as src, open(target, "wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
                except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
                    target.unlink(missing_ok=True)
                    bad.append((name, f"无法解压 (cannot unpack): {exc}"))
                    continue
                out.append((target, name))
    except (zipfile.BadZipFile, OSError) as exc:
        return [], [(shown, f"无法解压 (cannot unpack): {exc}")]
    return out, bad


# ---------------------------------------------------------------------- reading
def _worker_init() -> None:
    os.environ.setdefault("CONTRACT_REVIEW_OCR_THREADS", "1")
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)


def _read_one(path: str) -> tuple[dict[str, Any], float]:
    """In a worker: read one stored file (in a guarded child) and hand back the Document."""
    from ingest import IngestSettings, read_document_guarded

    started = time.perf_counter()
    doc = read_document_guarded(path, IngestSettings.from_env())
    return doc.to_dict(), round(time.perf_counter() - started, 3)


def _read_in_pool(store: Store, todo: Sequence[tuple[int, Path, str]], workers: int
                  ) -> Iterator[tuple[int, str, tuple[dict[str, Any], float] | BaseException]]:
    """``(document_id, filename, (content, seconds) or the exception)`` as files are read,
    at most ``2 × workers`` in flight (a document is marked processing when submitted)."""
    pending = iter(todo)
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init) as pool:
        running: dict[Future[tuple[dict[str, Any], float]], tuple[int, str]] = {}

        def submit() -> None:
            for doc_id, path, filename in pending:
                store.mark_processing(doc_id)
                running[pool.submit(_read_one, str(path))] = (doc_id, filename)
                if len(running) >= 2 * workers:
                    return

        submit()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                doc_id, filename = running.pop(fut)
                exc = fut.exception()
                yield doc_id, filename, exc if exc is not None else fut.result()
            submit()


def run_batch(store: Store, batch_id: int, workers: int = 2, progress: Progress | None = None) -> BatchSummary:
    """Read what is pending in the batch, then check the unit's agreements together (when
    anything was read, or a document of the unit has not been checked yet)."""
    from ingest import Document as IngestDocument

    started = time.perf_counter()
    summary = BatchSummary(batch_id)
    unit_id = store.unit_of_batch(batch_id)
    todo = store.pending(batch_id)
    store.set_batch_status(batch_id, "processing")
    total = len(todo)

    def save(doc_id: int, filename: str, outcome: tuple[dict[str, Any], float] | BaseException) -> None:
        if isinstance(outcome, BaseException):
            log.error("reading %s failed: %r", filename, outcome)
            store.save_failure(doc_id, "internal_error", f"读取时程序出错 (internal error): {outcome!r}")
            status = "failed"
        else:
            document = IngestDocument.from_dict(outcome[0])
            store.save_read(doc_id, document, outcome[1])
            status = document.status
        if status == "failed":
            summary.failed += 1
        else:
            summary.read += 1
        if progress:
            progress(summary.read + summary.failed, total, filename, status)

    try:
        if workers <= 1 or total <= 1:
            for doc_id, path, filename in todo:
                store.mark_processing(doc_id)
                try:
                    outcome: tuple[dict[str, Any], float] | BaseException = _read_one(str(path))
                except Exception as exc:  # reported per file; the batch goes on
                    outcome = exc
                save(doc_id, filename, outcome)
        else:
            for doc_id, filename, outcome in _read_in_pool(store, todo, workers):
                save(doc_id, filename, outcome)
        if summary.read or summary.failed or store.needs_check(unit_id):
            store.set_batch_status(batch_id, "checking")
            summary.agreements = store.recheck_unit(unit_id)
            summary.checked = True
        else:
            summary.agreements = store.counts(SYSTEM, unit_id=unit_id)["total"]
        store.set_batch_status(batch_id, "ready")
    except BaseException as exc:
        store.set_batch_status(batch_id, "failed", f"{type(exc).__name__}: {exc}")
        raise
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


def ingest_paths(store: Store, paths: Sequence[str | Path], unit: str, batch: str | None = None,
                 workers: int = 2, progress: Progress | None = None, viewer: Viewer | None = None) -> BatchSummary:
    """Store the files (folders and zip archives expanded) as a batch of ``unit`` and run it."""
    batch_id = store.create_batch(unit, batch, viewer)
    stored = unchanged = 0
    with tempfile.TemporaryDirectory(prefix="contract-review-ingest-") as tmp:
        files, rejected = expand_inputs(paths, Path(tmp))
        for path, name in files:
            try:
                _, fresh = store.add_file(batch_id, path, name)
            except OSError as exc:
                rejected.append((name, f"无法读取文件 (cannot read): {exc.strerror or exc}"))
                continue
            stored += 1
            unchanged += not fresh
    summary = run_batch(store, batch_id, workers, progress)
    summary.files, summary.unchanged, summary.rejected = stored, unchanged, rejected
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m contract_review.batch BATCH_ID [--workers N]``: run a stored batch (the app
    starts this in the background after an upload; it is safe to run again after a crash)."""
    ap = argparse.ArgumentParser(prog="python -m contract_review.batch")
    ap.add_argument("batch_id", type=int)
    ap.add_argument("--workers", type=int, default=int(os.environ.get("CONTRACT_REVIEW_WORKERS", "2")))
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    store = Store()
    try:
        s = run_batch(store, args.batch_id, args.workers,
                      lambda d, t, name, status: log.info("batch %s: %d/%d %s %s", args.batch_id, d, t, name, status))
    except Exception:
        traceback.print_exc()
        return 1
    finally:
        store.close()
    log.info("batch %s ready: %d read, %d failed, %d agreements%s in %.1f s", s.batch_id, s.read, s.failed,
             s.agreements, " checked" if s.checked else " (unchanged, not checked again)", s.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
