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
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from .store import SYSTEM, LimitExceeded, Store, UploadBudget, UploadLimits, Viewer
from .store.limits import archive_too_large, file_too_large, too_many_members

if TYPE_CHECKING:
    from checks import CheckContext

log = logging.getLogger(__name__)

SKIPPED_SUFFIXES = (".json", ".yaml", ".yml", ".csv", ".db", ".db-wal", ".db-shm")

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
def expand_inputs(paths: Sequence[str | Path], workdir: Path, budget: UploadBudget | None = None
                  ) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """Files to ingest as ``(path, name shown to people)``; folders are walked (hidden files
    and folders, manifests and databases skipped), zip archives unpacked into ``workdir``.
    Returns the files and the inputs refused with the reason. Every file is booked on the
    upload's ``budget`` (:class:`~contract_review.store.UploadLimits` from the environment by
    default): one over a limit is refused before anything of it is written."""
    budget = budget or UploadBudget(UploadLimits.from_env())
    files: list[tuple[Path, str]] = []
    rejected: list[tuple[str, str]] = []

    def add(f: Path, name: str) -> None:
        if f.suffix.lower() == ".zip":
            got, bad = _unzip(f, workdir, name, budget)
            files.extend(got)
            rejected.extend(bad)
            return
        try:
            budget.take(name, f.stat().st_size)
        except LimitExceeded as exc:
            rejected.append((name, str(exc)))
        except OSError as exc:
            rejected.append((name, f"无法读取文件 (cannot read): {exc.strerror or exc}"))
        else:
            files.append((f, name))

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if not f.is_file() or any(part.startswith(".") for part in rel.parts) \
                        or f.suffix.lower() in SKIPPED_SUFFIXES:
                    continue
                add(f, rel.as_posix())
        elif not p.exists():
            rejected.append((str(p), "文件不存在 (file not found)"))
        else:
            add(p, p.name)
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


class _Overflow(Exception):
    """More bytes came out of a zip member than the limits leave room for."""


def _copy_capped(src: Any, dst: Any, cap: int) -> int:
    """Copy at most ``cap`` bytes; raise :class:`_Overflow` (having written no more than
    ``cap``) when the source has more."""
    written = 0
    while chunk := src.read(1 << 20):
        written += len(chunk)
        if written > cap:
            raise _Overflow(written)
        dst.write(chunk)
    return written


def _overflow_reason(budget: UploadBudget, shown: str, name: str, seen: int, inflated: int) -> LimitExceeded:
    """Which limit a member passed when more came out of it than room was left for."""
    limits = budget.limits
    if seen > limits.max_file_bytes:
        return file_too_large(name, seen, limits.max_file_bytes)
    if inflated + seen > limits.max_archive_bytes:
        return archive_too_large(shown, inflated + seen, limits.max_archive_bytes)
    try:
        budget.check(name, seen)
    except LimitExceeded as exc:
        return exc
    raise AssertionError(f"{name}: {seen} bytes fit every limit")


def _unzip(archive: Path, workdir: Path, shown: str, budget: UploadBudget
           ) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """Unpack ``archive`` under ``workdir``: each member is written as a numbered file (never
    under a name or path taken from the archive); its display name is ``shown/member``.

    The limits are checked first on the sizes the zip declares — a member over the per-file
    limit is refused, an archive whose other members add up to more than the per-archive
    limit is refused whole — and again on the bytes that really come out while unpacking
    (headers can lie): a member is cut off and removed as soon as it passes a limit."""
    limits = budget.limits
    out: list[tuple[Path, str]] = []
    bad: list[tuple[str, str]] = []
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [i for i in zf.infolist() if not i.is_dir()]
            if len(members) > limits.max_archive_members:
                return [], [(shown, str(too_many_members(shown, len(members), limits.max_archive_members)))]
            wanted: list[tuple[int, zipfile.ZipInfo, str, str]] = []
            for n, info in enumerate(members):
                member = _shown_name(_zip_name(info))
                pure = PurePosixPath(member)
                if any(p.startswith(".") for p in pure.parts) or "__MACOSX" in pure.parts \
                        or pure.suffix.lower() in SKIPPED_SUFFIXES:
                    continue
                name = f"{shown}/{member}"
                if pure.suffix.lower() == ".zip":
                    bad.append((name, "不支持压缩包中的压缩包 (nested archive)"))
                elif info.file_size > limits.max_file_bytes:
                    bad.append((name, str(file_too_large(name, info.file_size, limits.max_file_bytes))))
                else:
                    wanted.append((n, info, name, pure.suffix.lower()[:10]))
            declared = sum(info.file_size for _, info, _, _ in wanted)
            if declared > limits.max_archive_bytes:
                return [], bad + [(shown, str(archive_too_large(shown, declared, limits.max_archive_bytes)))]
            dest = Path(tempfile.mkdtemp(prefix="zip-", dir=workdir))
            inflated = 0
            for n, info, name, suffix in wanted:
                try:
                    budget.check(name, info.file_size)
                except LimitExceeded as exc:
                    bad.append((name, str(exc)))
                    continue
                target = dest / f"{n:05d}{suffix}"
                cap = min(limits.max_file_bytes, limits.max_archive_bytes - inflated,
                          limits.max_upload_bytes - budget.bytes)
                try:
                    with zf.open(info) as src, open(target, "wb") as dst:
                        size = _copy_capped(src, dst, cap)
                except _Overflow as over:  # the header lied
                    target.unlink(missing_ok=True)
                    bad.append((name, str(_overflow_reason(budget, shown, name, over.args[0], inflated))))
                    continue
                except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
                    target.unlink(missing_ok=True)
                    bad.append((name, f"无法解压 (cannot unpack): {exc}"))
                    continue
                inflated += size
                budget.take(name, size)
                out.append((target, name))
    except (zipfile.BadZipFile, OSError) as exc:
        return [], [(shown, f"无法解压 (cannot unpack): {exc}")]
    return out, bad


# ---------------------------------------------------------------------- reading
def _read_one(path: str) -> tuple[Any, float]:
    """In a worker: read one stored file (in the worker's warm guarded child: the same limits
    as a fresh child per file, the OCR model loaded once) through the pipeline's read stage and
    hand back the ingest Document and the seconds it took."""
    from .pipeline import Pipeline

    started = time.perf_counter()
    result = Pipeline(warm=True).read(path)
    return result.document, round(time.perf_counter() - started, 3)


@dataclass
class Prepared:
    """What batch workers work out per file ahead of the unit check (:func:`check_unit`), where
    they read it: nothing here changes a result, it only spares the unit check — serial — the
    per-file work."""

    #: document id → the Agreement extracted from its reading as stored (without its Document)
    agreements: dict[int, Any] = field(default_factory=dict)
    #: search words of a record, by the key of the searchable text they were cut from
    #: (:func:`~contract_review.store.store.search_words`, :meth:`Store.write_checked`)
    words: dict[str, str] = field(default_factory=dict)
    #: texts folded to simplified script for shingles, by key (:func:`checks.side.known_simplified`)
    simplified: dict[str, str | None] = field(default_factory=dict)

    def update(self, other: Prepared) -> None:
        self.agreements.update(other.agreements)
        self.words.update(other.words)
        self.simplified.update(other.simplified)


def _prepare(doc_id: int, content: dict[str, Any], filename: str) -> Prepared:
    """In a worker: from a reading as the store keeps it (``content``; ``source.path`` = the
    name people handed in), the Agreement the unit check would extract (its Document left out:
    the check puts the stored one back, :meth:`Pipeline.adopt`), the search words of its record
    and the simplified forms of the texts the unit check compares (side contracts: the text the
    checks read; duplicates: the text as read)."""
    from checks.facts import flatten
    from checks.side import simplified_form
    from ingest import Document as IngestDocument

    from .pipeline import Pipeline
    from .record import to_record
    from .store.store import search_words

    stored = IngestDocument.from_dict(content)
    stored.source.path = filename
    pipeline = Pipeline()
    result = pipeline.extract(pipeline.read(stored))
    key, words = search_words(filename, to_record(result))
    forms = dict(simplified_form(text) for text in (flatten(stored)[0], stored.text))
    result.agreement.document = None  # not sent back twice
    return Prepared({doc_id: result.agreement}, {key: words}, forms)


_stores: dict[tuple[int, str, str], Store] = {}


class _ReadJob:
    """A batch job ``(document_id, stored path, filename)`` where it runs (this process, or a
    pool worker: pickled, it opens its own :class:`Store` on the same database): the document
    marked processing, its file read and the reading saved once — a crash loses at most the
    files being read, the next run reads what is left — then what the unit check needs of it
    worked out (:class:`Prepared`). Hands back ``(status, Prepared)``: the parent saves,
    extracts and cuts nothing per file."""

    def __init__(self, store: Store):
        self.store: Store | None = store
        self.url, self.data_dir = store.url, str(store.data_dir)

    def __getstate__(self) -> dict[str, Any]:
        return {"url": self.url, "data_dir": self.data_dir}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.store = None
        self.url, self.data_dir = state["url"], state["data_dir"]

    def _own_store(self) -> Store:
        if self.store is None:  # in a worker: one Store per process and database
            key = (os.getpid(), self.url, self.data_dir)
            if key not in _stores:
                _stores[key] = Store(url=self.url, data_dir=self.data_dir, migrate=False)
            self.store = _stores[key]
        return self.store

    def __call__(self, job: tuple[int, str, str]) -> tuple[str, Prepared]:
        store = self._own_store()
        store.mark_processing(job[0])
        document, seconds = _read_one(job[1])
        saved, filename, content = store.keep_reading(job[0], document, seconds)
        if not saved:  # read and saved by another run meanwhile: the check extracts the one stored
            return document.status, Prepared()
        try:
            return document.status, _prepare(job[0], content, filename)
        except Exception:  # noqa: BLE001 - the unit check extracts it again and reports what fails
            log.debug("preparing %s in the worker failed", filename, exc_info=True)
            return document.status, Prepared()


#: a byte's share of the reading time, by the kind of file (an image is all OCR; a PDF may be
#: scanned pages; Word and text files are read in milliseconds whatever their size)
_COST_PER_BYTE = {".jpg": 8.0, ".jpeg": 8.0, ".png": 8.0, ".tif": 8.0, ".tiff": 8.0, ".bmp": 8.0, ".gif": 8.0,
                  ".webp": 8.0, ".pdf": 1.0, ".doc": 0.5, ".wps": 0.5}


def _reading_cost(job: tuple[int, str, str]) -> float:
    """A rough guess of how long a batch job's reading takes (only to start the longest first)."""
    try:
        size = os.path.getsize(job[1])
    except OSError:
        return 0.0
    return size * _COST_PER_BYTE.get(Path(job[2]).suffix.lower(), 0.05)


def check_unit(store: Store, unit_id: int, ctx: CheckContext | None = None, prepared: Prepared | None = None) -> int:
    """Extract and check every read document of a unit as one batch through the pipeline (side
    contracts and peer rents compared within the unit) and have the store replace the machine's
    records and findings; the same agreement handed in again becomes a notice on the later one.
    ``prepared`` holds what batch workers worked out from these same readings (the Agreements
    they extracted, search words, simplified texts): not done again. Reviewer corrections,
    finding reviews and decisions are untouched. Returns the number of agreements written."""
    from checks.side import known_simplified

    from .config_files import check_context_in_force
    from .duplicates import duplicate_finding, find_duplicates
    from .pipeline import Pipeline, crashed
    from .record import to_record

    ctx = ctx or check_context_in_force(store)
    prepared = prepared or Prepared()
    extracted = prepared.agreements
    pipeline = Pipeline(ctx=ctx)
    rows = list(store.read_documents(unit_id))
    results = []
    for doc_id, filename, _seconds, document in rows:
        # what people call the file, not where the store keeps its bytes: findings that name
        # another document (side contracts) quote this
        document.source.path = filename
        agreement = extracted.get(doc_id)
        try:
            results.append(pipeline.adopt(document, agreement) if agreement is not None
                           else pipeline.read_extract(document))
        except Exception as exc:  # reported on the item; the unit goes on
            results.append(crashed(document, exc))
    with known_simplified(prepared.simplified):
        results = pipeline.check(results) if results else []
        items = []
        for (doc_id, filename, seconds, _), result in zip(rows, results, strict=True):
            result.timings["ingest_s"] = seconds or 0.0
            record = to_record(result)
            record["source"]["filename"] = filename
            items.append((doc_id, filename, record))
        # the same agreement handed in again (other bytes, same content): a notice on the later upload
        for later, (earlier, similarity) in find_duplicates([r for _, _, r in items]).items():
            _, earlier_name, earlier_record = items[earlier]
            items[later][2]["findings"].append(duplicate_finding(
                Path(earlier_name).name, earlier, earlier_record["source"].get("sha256"), similarity))
    return store.write_checked(unit_id, items, prepared.words)


def reading_executor(workers: int):
    """Where a batch's files are read: the distributed engine when ``CONTRACT_REVIEW_BROKER_URL``
    is set, else this machine's process pool (in-process for one worker)."""
    from .distributed import broker_url

    if broker_url():
        from .distributed import CeleryReader

        return CeleryReader()
    from .executors import local_executor

    return local_executor(workers)


def run_batch(store: Store, batch_id: int, workers: int = 2, progress: Progress | None = None) -> BatchSummary:
    """Read what is pending in the batch, then check the unit's agreements together (when
    anything was read, or a document of the unit has not been checked yet)."""
    from ingest.guard import close_warm_reader

    started = time.perf_counter()
    summary = BatchSummary(batch_id)
    unit_id = store.unit_of_batch(batch_id)
    todo = store.pending(batch_id)
    store.set_batch_status(batch_id, "processing")
    total = len(todo)

    prepared = Prepared()  # what the workers worked out for the unit check

    def done(doc_id: int, filename: str, outcome: tuple[str, Prepared] | BaseException) -> None:
        if isinstance(outcome, BaseException):
            log.error("reading %s failed: %r", filename, outcome)
            store.save_failure(doc_id, "internal_error", f"读取时程序出错 (internal error): {outcome!r}")
            status = "failed"
        else:
            status = outcome[0]
            prepared.update(outcome[1])
        count(filename, status)

    def count(filename: str, status: str) -> None:
        if status == "failed":
            summary.failed += 1
        else:
            summary.read += 1
        if progress:
            progress(summary.read + summary.failed, total, filename, status)

    try:
        executor = reading_executor(1 if total <= 1 else workers)
        if hasattr(executor, "read_batch"):  # distributed: the workers save what they read
            for filename, status in executor.read_batch(store, batch_id, todo):
                count(filename, status)
        else:  # the workers (or this process, for one) save what they read, too
            jobs = [(doc_id, str(path), filename) for doc_id, path, filename in todo]
            if total > 1 and workers > 1:  # the longest first: a scan read last keeps one worker busy alone
                jobs.sort(key=_reading_cost, reverse=True)
            for index, outcome in executor.map(_ReadJob(store), jobs):
                done(jobs[index][0], jobs[index][2], outcome)
        if summary.read or summary.failed or store.needs_check(unit_id):
            store.set_batch_status(batch_id, "checking")
            summary.agreements = check_unit(store, unit_id, prepared=prepared)
            summary.checked = True
        else:
            summary.agreements = store.counts(SYSTEM, unit_id=unit_id)["total"]
        store.set_batch_status(batch_id, "ready")
    except BaseException as exc:
        store.set_batch_status(batch_id, "failed", f"{type(exc).__name__}: {exc}")
        raise
    finally:
        close_warm_reader()  # one worker reads in this process: its reading child is not needed now
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


def ingest_paths(store: Store, paths: Sequence[str | Path], unit: str, batch: str | None = None,
                 workers: int = 2, progress: Progress | None = None, viewer: Viewer | None = None) -> BatchSummary:
    """Store the files (folders and zip archives expanded) as a batch of ``unit`` and run it."""
    batch_id = store.create_batch(unit, batch, viewer)
    stored = unchanged = 0
    limits = UploadLimits.from_env()
    with tempfile.TemporaryDirectory(prefix="contract-review-ingest-") as tmp:
        files, rejected = expand_inputs(paths, Path(tmp), UploadBudget(limits))
        for path, name in files:
            try:
                _, fresh = store.add_file(batch_id, path, name, limits)
            except LimitExceeded as exc:
                rejected.append((name, str(exc)))
                continue
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
