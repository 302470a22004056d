"""The distributed engine: the batch runner's per-file work on Celery workers with a Redis broker,
selected by ``CONTRACT_REVIEW_BROKER_URL``; without it the local process pool stays the default.

* The batch runner (:func:`contract_review.batch.run_batch`, on the machine that took the upload)
  puts each pending file's bytes into the store's database (:meth:`Store.share_file`), enqueues
  one task per document id and follows the store until every document of the batch is read;
  then it checks the unit through the pipeline as with the local pool. Progress is the store's
  (``batch_progress``), so the app shows it the same way for both executors.
* A worker (``contract-review worker``, same settings and environment variables: the store's
  ``CONTRACT_REVIEW_DB_URL``, the reading limits) fetches the file's bytes through the store (no
  shared disk), reads them with the pipeline's read stage (a guarded child: time limit and
  memory cap), and saves the reading once: :meth:`Store.save_read_once` is an atomic update keyed
  by the document id that only succeeds while the document has no reading.
* Tasks are acknowledged late (``acks_late``) and rejected when their worker is lost
  (``task_reject_on_worker_lost``): a file whose worker dies is delivered again — to another
  worker — after ``CONTRACT_REVIEW_BROKER_VISIBILITY_S`` seconds (default 1800, more than the
  longest reading time limit), and read exactly once: a delivery that finds the reading saved
  does nothing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import Store

log = logging.getLogger(__name__)

TASK = "contract_review.read_document"


def broker_url() -> str | None:
    """``CONTRACT_REVIEW_BROKER_URL`` (e.g. ``redis://host:6379/0``), or None: read locally."""
    return os.environ.get("CONTRACT_REVIEW_BROKER_URL") or None


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def make_app(url: str | None = None):
    """The Celery application on ``url`` (default: ``CONTRACT_REVIEW_BROKER_URL``)."""
    from celery import Celery

    url = url or broker_url()
    if not url:
        raise RuntimeError("CONTRACT_REVIEW_BROKER_URL is not set (redis://host:6379/0)")
    app = Celery("contract_review", broker=url)
    visibility = _int_env("CONTRACT_REVIEW_BROKER_VISIBILITY_S", 1800)
    restore = max(1, min(10, visibility // 5))
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # a worker holds no more than the file it is reading
        task_serializer="json", accept_content=["json"], result_backend=None, task_ignore_result=True,
        broker_transport_options={"visibility_timeout": visibility, "unacked_restore_interval": restore,
                                  "unacked_restore_throttle": 1},
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    app.task(name=TASK, acks_late=True, reject_on_worker_lost=True)(read_document_task)
    return app


def read_document_task(document_id: int) -> str:
    """On a worker: fetch the document's bytes through the store, read them (the pipeline's read
    stage, guarded) and save the reading once. Returns ``saved``, ``already read`` or ``failed``."""
    from .pipeline import Pipeline
    from .store import Store

    store = Store()
    try:
        fetched = store.fetch_file(document_id)
        if fetched is None:
            log.info("document %s: already read", document_id)
            return "already read"
        content, filename, suffix = fetched
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="contract-review-worker-") as tmp:
            path = Path(tmp) / (hashlib.sha256(content).hexdigest() + suffix)
            path.write_bytes(content)
            document = Pipeline().read(path).document
        saved = store.save_read_once(document_id, document, round(time.perf_counter() - started, 3))
    except Exception as exc:  # the runner is following the store: say why, the next run tries again
        log.exception("document %s: reading failed", document_id)
        store.save_failure(document_id, "internal_error", f"读取时程序出错 (internal error): {exc!r}")
        return "failed"
    else:
        log.info("document %s: %s (%s)", document_id, "saved" if saved else "already read", filename)
        return "saved" if saved else "already read"
    finally:
        store.close()


class CeleryReader:
    """The batch runner's reading on the workers: enqueue, then follow the store."""

    def __init__(self, app: Any = None, poll: float = 0.5):
        self.app = app or make_app()
        self.poll = poll

    def read_batch(self, store: Store, batch_id: int, todo: Sequence[tuple[int, Path, str]]
                   ) -> Iterator[tuple[str, str]]:
        """``(filename, status)`` as each document of ``todo`` is read by some worker."""
        waiting: dict[int, str] = {}
        for doc_id, _path, filename in todo:
            store.share_file(doc_id)
            store.mark_processing(doc_id)
            self.app.send_task(TASK, args=[doc_id])
            waiting[doc_id] = filename
        while waiting:
            progress = store.batch_progress(batch_id)
            for item in progress["items"]:
                doc_id = item["document_id"]
                if doc_id in waiting and item["status"] in ("read", "failed"):
                    yield waiting.pop(doc_id), item["status"]
            if waiting:
                time.sleep(self.poll)


def worker_main(concurrency: int = 1, loglevel: str = "INFO", hostname: str | None = None) -> int:
    """``contract-review worker``: a Celery worker reading files for the batch runner."""
    os.environ.setdefault("CONTRACT_REVIEW_OCR_THREADS", "1")
    from ingest import IngestSettings

    os.environ["CONTRACT_REVIEW_MEMORY_LIMIT_MB"] = str(IngestSettings.from_env().memory_per_worker(concurrency))
    logging.basicConfig(level=getattr(logging, loglevel.upper(), logging.INFO),
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    app = make_app()
    # each file is read in a guarded child process (time limit, memory cap), which a daemonic
    # prefork child may not start: one file at a time in the worker itself, or N threads each
    # waiting on its own reading child
    pool = "solo" if concurrency <= 1 else "threads"
    argv = ["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}", "--without-gossip",
            "--without-mingle", f"--pool={pool}"]
    if hostname:
        argv.append(f"--hostname={hostname}")
    app.worker_main(argv)
    return 0
