"""Read a file in a child process with a time limit and a memory cap.

A PDF that loops the parser forever, an image that decompresses to gigabytes, or a crash inside
a C library end the child, not the batch: the parent returns a ``failed`` Document saying why.

The time limit scales with the file: the child first counts the pages (without reading them)
and tells the parent, which then allows ``timeout_base_s + timeout_per_page_s × pages``, at most
``timeout_s`` (:meth:`IngestSettings.time_limit`); until the count arrives, the base alone. The
memory cap is an address-space limit (``RLIMIT_AS``) of ``memory_limit_mb`` on the child.

:func:`read_document_guarded` forks a fresh child per file. A batch worker uses a
:class:`WarmReader` instead: one reading child that reads file after file (the OCR model it
loads stays loaded), under the same limits for each file, killed and replaced after a timeout,
a memory overrun or a crash, and replaced after ``max_files`` files.
"""

from __future__ import annotations

import atexit
import multiprocessing as mp
import os
import resource
import time
import traceback
from pathlib import Path

from .document import Document
from .errors import UnknownEngineError
from .reader import count_pages, fail, new_document, read_document
from .settings import IngestSettings


def _address_space() -> int:
    """Bytes of address space this process holds now (VmSize), 0 when unknown."""
    try:
        with open("/proc/self/status") as status:
            return next((int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:")), 0)
    except OSError:
        return 0


def _cap_memory(settings: IngestSettings) -> None:
    """This process may map ``memory_limit_mb`` more than it maps now."""
    limit = settings.memory_limit_mb * 1024 * 1024
    if limit > 0:
        try:
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            # the allowance is for reading this file: on top of what the child inherited from
            # the process it was forked from (a server or a test run holding models and arenas
            # may already map more than the limit, and the child could allocate nothing) or,
            # in a warm child, holds after the files before (a loaded OCR model)
            if soft != resource.RLIM_INFINITY:  # a warm child capped for the file before
                resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
            limit += _address_space()
            cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
        except (ValueError, OSError):
            pass


def _read_and_send(conn, path: str, settings: IngestSettings) -> bool:
    """Read one file in this (child) process and send the messages the parent waits for:
    ``("pages", n)`` then the outcome. True when the process can go on to another file."""
    try:
        _cap_memory(settings)
        conn.send(("pages", count_pages(path, settings)))
        doc = read_document(path, settings)
        conn.send(("ok", doc))
        return True
    except UnknownEngineError as exc:
        conn.send(("engine", (exc.name, exc.known)))
        return True
    except MemoryError:
        conn.send(("memory", None))
    except BaseException as exc:  # pragma: no cover - last resort
        conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"))
    return False


def _child(conn, path: str, settings: IngestSettings) -> None:
    try:
        _read_and_send(conn, path, settings)
    finally:
        conn.close()


def _serve(conn, parent_end) -> None:
    """A warm reading child: reads the files the parent sends, one after the other, until told
    to stop, the parent goes away, or a reading left it in doubt (out of memory, an error)."""
    parent_end.close()  # this process's copy of the parent's end: its exit must read as EOF here
    try:
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError):
                return
            if job is None or not _read_and_send(conn, *job):
                return
    finally:
        conn.close()


def _await(proc, conn, path: Path, settings: IngestSettings, started: float) -> Document | None:
    """The parent's side of one reading: the child's outcome within the time limit (scaled once
    the page count arrives), or a failed Document; None when the child is gone without one (its
    exit says why: :func:`_ended`). A child past its time limit is killed."""
    limit = settings.time_limit(None)
    while True:
        remaining = started + limit - time.perf_counter()
        if remaining <= 0 or not conn.poll(remaining):
            proc.kill()
            proc.join(5)
            doc = fail(new_document(path), "timeout", f"{limit:g}")
            doc.timings["ingest_s"] = round(time.perf_counter() - started, 3)
            return doc
        try:
            kind, payload = conn.recv()
        except (EOFError, OSError):
            return None
        if kind == "pages":
            limit = settings.time_limit(payload)
            continue
        if kind == "ok":
            return payload
        if kind == "engine":
            raise UnknownEngineError(*payload)
        if kind == "memory":
            return fail(new_document(path), "memory_exceeded", f"{settings.memory_limit_mb} MB")
        doc = fail(new_document(path), "internal_error", payload)
        doc.timings["ingest_s"] = round(time.perf_counter() - started, 3)
        return doc


def _ended(proc, path: Path, settings: IngestSettings) -> Document:
    """The failed Document of a child that ended without an answer."""
    code = proc.exitcode
    if code is not None and code < 0:
        detail = f"worker ended by signal {-code}"
        if -code == 9:
            return fail(new_document(path), "memory_exceeded", f"{settings.memory_limit_mb} MB ({detail})")
        return fail(new_document(path), "unreadable", detail)
    return fail(new_document(path), "unreadable", f"worker exited with code {code}")


def read_document_guarded(path: str | Path, settings: IngestSettings | None = None) -> Document:
    """Like :func:`ingest.read_document`, in a forked child killed after its time limit
    (:meth:`IngestSettings.time_limit` of its page count) or when it exceeds its memory cap."""
    settings = settings or IngestSettings.from_env()
    path = Path(path)
    ctx = mp.get_context("fork")
    parent_conn, child_conn = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child_conn, str(path), settings), daemon=True)
    started = time.perf_counter()
    proc.start()
    child_conn.close()
    try:
        doc = _await(proc, parent_conn, path, settings, started)
    finally:
        parent_conn.close()
        proc.join(10)
        if proc.is_alive():
            proc.kill()
            proc.join(5)
    return doc if doc is not None else _ended(proc, path, settings)


#: a reading that failed so: its child was killed, or is in doubt; the next file gets a new one
_ENDS_A_CHILD = frozenset({"timeout", "memory_exceeded", "internal_error", "unreadable"})


class WarmReader:
    """A reading child kept between files: :meth:`read` is :func:`read_document_guarded`
    (the same time limit, memory cap and failure reports for each file), but the child is
    forked once and reads file after file, so what it loads (the OCR model) is loaded once.
    It is killed and replaced after a timeout, a memory overrun or a crash, and replaced after
    ``max_files`` files (what a long life leaves in its memory does not pile up)."""

    def __init__(self, max_files: int = 100):
        self.max_files = max(1, max_files)
        self.files = 0  # read by the current child
        self.children = 0  # forked so far
        self._proc = None
        self._conn = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None and self._proc.is_alive() else None

    def _start(self) -> None:
        ctx = mp.get_context("fork")
        self._conn, child_conn = ctx.Pipe(duplex=True)
        self._proc = ctx.Process(target=_serve, args=(child_conn, self._conn), daemon=True)
        self._proc.start()
        child_conn.close()
        self.files = 0
        self.children += 1

    def read(self, path: str | Path, settings: IngestSettings | None = None) -> Document:
        settings = settings or IngestSettings.from_env()
        path = Path(path)
        if self._proc is None or not self._proc.is_alive() or self.files >= self.max_files:
            self.close()
            self._start()
        started = time.perf_counter()
        try:
            self._conn.send((str(path), settings))
            doc = _await(self._proc, self._conn, path, settings, started)
        except (BrokenPipeError, OSError):
            doc = None
        except BaseException:
            self.close()
            raise
        self.files += 1
        if doc is None or not self._proc.is_alive() or any(e.code in _ENDS_A_CHILD for e in doc.errors):
            # the child is gone, was killed, or said it cannot go on: the next file gets a new one
            proc = self._proc
            self.close()
            if doc is None:
                doc = _ended(proc, path, settings)
        return doc

    def close(self) -> None:
        """Stop the child (asked first, killed if it does not go)."""
        proc, conn, self._proc, self._conn = self._proc, self._conn, None, None
        if conn is not None:
            try:
                conn.send(None)
            except (BrokenPipeError, OSError):
                pass
            conn.close()
        if proc is not None:
            proc.join(5)
            if proc.is_alive():
                proc.kill()
                proc.join(5)


_warm: tuple[int, WarmReader] | None = None


def read_document_warm(path: str | Path, settings: IngestSettings | None = None) -> Document:
    """:func:`read_document_guarded` through this process's :class:`WarmReader` (one per
    process: a reader inherited through a fork belongs to the parent and is left alone)."""
    global _warm
    if _warm is None or _warm[0] != os.getpid():
        _warm = (os.getpid(), WarmReader())
    return _warm[1].read(path, settings)


def close_warm_reader() -> None:
    """Stop this process's warm reading child, if it has one."""
    global _warm
    if _warm is not None and _warm[0] == os.getpid():
        _warm[1].close()
    _warm = None


atexit.register(close_warm_reader)


__all__ = ["WarmReader", "close_warm_reader", "read_document_guarded", "read_document_warm"]
