"""``python -m bench.batch_child FILES_LIST WORKDIR WORKERS``: one timed batch through the review
store's batch runner, as ``contract-review ingest`` runs it, in a fresh store; prints JSON
(wall, the reading phase, the checking phase) on stdout. Run by the bench as a fresh process so
that its peak memory is its own."""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    listing, workdir, workers = Path(argv[0]), Path(argv[1]), int(argv[2])
    logging.disable(logging.WARNING)
    from contract_review.batch import ingest_paths
    from contract_review.store import Store

    files = [line for line in listing.read_text(encoding="utf-8").splitlines() if line]
    data = workdir / "store"
    store = Store(data_dir=data, url=f"sqlite:///{data / 'contract-review.db'}")
    last_read = [0.0]
    started = time.perf_counter()

    def progress(done: int, total: int, name: str, status: str) -> None:
        last_read[0] = time.perf_counter()

    try:
        summary = ingest_paths(store, files, "基准测试镇", "bench", workers=workers, progress=progress)
    finally:
        store.close()
    wall = time.perf_counter() - started
    read_s = (last_read[0] or started) - started
    json.dump({"wall_s": round(wall, 2), "read_s": round(read_s, 2), "check_s": round(wall - read_s, 2),
               "read": summary.read, "failed": summary.failed, "agreements": summary.agreements}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
