"""Where the per-file work runs: in this process, or in a local process pool (the default).

An executor maps a picklable function over jobs and yields ``(index, outcome)`` as jobs finish,
the outcome being the function's value or the exception it raised (a job never stops the
others). The distributed engine (Celery, :mod:`contract_review.distributed`) runs the batch
runner's per-file work when ``CONTRACT_REVIEW_BROKER_URL`` is set.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Protocol

Outcome = Any  # the function's value, or the BaseException it raised


class Executor(Protocol):
    def map(self, fn: Callable[[Any], Any], jobs: Sequence[Any],
            on_submit: Callable[[Any], None] | None = None) -> Iterator[tuple[int, Outcome]]: ...


def worker_init(workers: int = 1) -> None:
    """In each pool worker: one OCR thread, and a memory cap for the child reading a file such
    that all the workers' children together stay within ``memory_budget_mb``."""
    from ingest import IngestSettings

    os.environ.setdefault("CONTRACT_REVIEW_OCR_THREADS", "1")
    os.environ["CONTRACT_REVIEW_MEMORY_LIMIT_MB"] = str(IngestSettings.from_env().memory_per_worker(workers))
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)


class InProcess:
    """Every job here, one after the other."""

    def map(self, fn, jobs, on_submit=None):
        for index, job in enumerate(jobs):
            if on_submit:
                on_submit(job)
            try:
                outcome: Outcome = fn(job)
            except Exception as exc:  # reported per job; the batch goes on
                outcome = exc
            yield index, outcome


class LocalPool:
    """``workers`` processes on this machine, at most ``2 × workers`` jobs in flight (``on_submit``
    is called as each is handed over: the batch runner marks the document processing)."""

    def __init__(self, workers: int):
        self.workers = max(1, workers)

    def map(self, fn, jobs, on_submit=None):
        pending = iter(enumerate(jobs))
        with ProcessPoolExecutor(max_workers=self.workers, initializer=worker_init,
                                 initargs=(self.workers,)) as pool:
            running: dict[Future[Any], int] = {}

            def submit() -> None:
                for index, job in pending:
                    if on_submit:
                        on_submit(job)
                    running[pool.submit(fn, job)] = index
                    if len(running) >= 2 * self.workers:
                        return

            submit()
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    index = running.pop(fut)
                    exc = fut.exception()
                    yield index, exc if exc is not None else fut.result()
                submit()


def local_executor(workers: int = 1) -> Executor:
    """In this process for one worker, a process pool for more."""
    return InProcess() if workers <= 1 else LocalPool(workers)
