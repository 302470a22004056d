"""The batch runner on the distributed engine: Redis on loopback and two Celery workers
(subprocesses, one file at a time each). One worker is killed (SIGKILL, its whole process group)
in the middle of a 20-file batch: its file is delivered again, every file is read exactly once,
and the records equal those of the local process pool."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

REDIS = shutil.which("redis-server")
ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(REDIS is None, reason="redis-server is not installed (Debian package redis-server; .ci/run installs it)"),
]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _files(folder: Path, n: int = 20) -> list[Path]:
    from corpus.render import render_text
    from corpus.samples import LEASE

    folder.mkdir()
    text_blocks = LEASE.blocks
    out = []
    for i in range(n):
        path = render_text(text_blocks, folder / f"协议{i:02d}.txt")
        path.write_text(path.read_text(encoding="utf-8").replace("2023", str(2000 + i)) + f"\n编号 {i}\n",
                        encoding="utf-8")
        out.append(path)
    return out


def _wait(predicate, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _records(store) -> dict[str, dict]:
    from contract_review.store import SYSTEM

    rows, _ = store.queue(SYSTEM, limit=1000)
    out = {}
    for row in rows:
        record = store.agreement(SYSTEM, row["id"])["record"]
        out[record["source"]["filename"]] = record
    return out


def test_two_celery_workers_one_killed_every_file_read_once_same_results(tmp_path: Path, monkeypatch):
    pytest.importorskip("celery")
    from contract_review.batch import ingest_paths, run_batch
    from contract_review.store import Store

    files = _files(tmp_path / "in")
    port = _port()
    redis = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path),
                              "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[subprocess.Popen] = []
    try:
        url = f"redis://127.0.0.1:{port}/0"
        env = {**os.environ, "CONTRACT_REVIEW_BROKER_URL": url, "CONTRACT_REVIEW_DATA_DIR": str(tmp_path / "store"),
               "CONTRACT_REVIEW_BROKER_VISIBILITY_S": "5", "PYTHONPATH": str(ROOT)}
        env.pop("CONTRACT_REVIEW_DB_URL", None)
        store = Store(data_dir=tmp_path / "store")  # migrated before the workers open it
        logs = [tmp_path / f"worker{i}.log" for i in (1, 2)]
        for i, log in enumerate(logs, start=1):
            workers.append(subprocess.Popen(
                [sys.executable, "-m", "contract_review.cli", "worker", "--concurrency", "1",
                 "--hostname", f"w{i}@localhost"],
                env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT))
        _wait(lambda: all("ready" in log.read_text(errors="replace") for log in logs), 120, "the workers")

        monkeypatch.setenv("CONTRACT_REVIEW_BROKER_URL", url)
        batch = store.create_batch("城关镇", "分布式")
        for path in files:
            store.add_file(batch, path)
        killed: list[int] = []

        def kill_one_mid_run() -> None:
            _wait(lambda: "saved" in logs[0].read_text(errors="replace")
                  and store.batch_progress(batch)["read"] >= 3, 300, "the first readings")
            os.killpg(workers[0].pid, signal.SIGKILL)
            killed.append(store.batch_progress(batch)["read"])

        killer = threading.Thread(target=kill_one_mid_run, daemon=True)
        killer.start()
        summary = run_batch(store, batch, workers=2)
        killer.join(timeout=5)
        assert killed and killed[0] < len(files), "the worker was killed before the batch was done"
        assert (summary.read, summary.failed, summary.agreements) == (len(files), 0, len(files))

        saved = Counter()
        for log in logs:
            saved.update(int(m) for m in re.findall(r"document (\d+): saved", log.read_text(errors="replace")))
        ids = {item["document_id"] for item in store.batch_progress(batch)["items"]}
        assert set(saved) == ids and set(saved.values()) == {1}, saved  # each file read exactly once
        distributed = _records(store)
        store.close()

        monkeypatch.delenv("CONTRACT_REVIEW_BROKER_URL")
        local_store = Store(data_dir=tmp_path / "local")
        try:
            local = ingest_paths(local_store, [tmp_path / "in"], unit="城关镇", workers=2)
            assert local.read == len(files)
            assert _records(local_store) == distributed
        finally:
            local_store.close()
    finally:
        for w in workers:
            if w.poll() is None:
                os.killpg(w.pid, signal.SIGTERM)
                try:
                    w.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(w.pid, signal.SIGKILL)
        redis.terminate()
        redis.wait(timeout=10)
