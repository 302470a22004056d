"""Read a file in a child process with a time limit and a memory cap.

A PDF that loops the parser forever, an image that decompresses to gigabytes, or a crash inside
a C library end the child, not the batch: the parent returns a ``failed`` Document saying why.

The time limit scales with the file: the child first counts the pages (without reading them)
and tells the parent, which then allows ``timeout_base_s + timeout_per_page_s × pages``, at most
``timeout_s`` (:meth:`IngestSettings.time_limit`); until the count arrives, the base alone. The
memory cap is an address-space limit (``RLIMIT_AS``) of ``memory_limit_mb`` on the child.
"""

from __future__ import annotations

import multiprocessing as mp
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


def _child(conn, path: str, settings: IngestSettings) -> None:
    try:
        limit = settings.memory_limit_mb * 1024 * 1024
        if limit > 0:
            try:
                soft, hard = resource.getrlimit(resource.RLIMIT_AS)
                # the allowance is for reading this file: on top of what the child inherited from
                # the process it was forked from (a server or a test run holding models and arenas
                # may already map more than the limit, and the child could allocate nothing)
                limit += _address_space()
                cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
                resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
            except (ValueError, OSError):
                pass
        conn.send(("pages", count_pages(path, settings)))
        doc = read_document(path, settings)
        conn.send(("ok", doc))
    except UnknownEngineError as exc:
        conn.send(("engine", (exc.name, exc.known)))
    except MemoryError:
        conn.send(("memory", None))
    except BaseException as exc:  # pragma: no cover - last resort
        conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"))
    finally:
        conn.close()


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
    result = None
    limit = settings.time_limit(None)
    try:
        while True:
            remaining = started + limit - time.perf_counter()
            if remaining <= 0 or not parent_conn.poll(remaining):
                proc.kill()
                proc.join(5)
                doc = fail(new_document(path), "timeout", f"{limit:g}")
                doc.timings["ingest_s"] = round(time.perf_counter() - started, 3)
                return doc
            try:
                message = parent_conn.recv()
            except (EOFError, OSError):
                break
            if message[0] == "pages":
                limit = settings.time_limit(message[1])
                continue
            result = message
            break
    finally:
        parent_conn.close()
        proc.join(10)
        if proc.is_alive():
            proc.kill()
            proc.join(5)
    if result is None:
        code = proc.exitcode
        if code is not None and code < 0:
            detail = f"worker ended by signal {-code}"
            if -code == 9:
                return fail(new_document(path), "memory_exceeded", f"{settings.memory_limit_mb} MB ({detail})")
            return fail(new_document(path), "unreadable", detail)
        return fail(new_document(path), "unreadable", f"worker exited with code {code}")
    kind, payload = result
    if kind == "ok":
        return payload
    if kind == "engine":
        raise UnknownEngineError(*payload)
    if kind == "memory":
        return fail(new_document(path), "memory_exceeded", f"{settings.memory_limit_mb} MB")
    doc = fail(new_document(path), "internal_error", payload)
    doc.timings["ingest_s"] = round(time.perf_counter() - started, 3)
    return doc


__all__ = ["read_document_guarded"]
