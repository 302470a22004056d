"""kill -9 of `contract-review ingest` in the middle of a batch, then the same command again: every
file is read to the end exactly once — what was saved before the kill is neither lost nor read
again, what was in flight or queued is read by the second run, and nothing is stored twice
(issue 11)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from contract_review.store import Store
from contract_review.store.schema import Agreement, Document

pytestmark = pytest.mark.slow

CLI = [sys.executable, "-m", "contract_review.cli"]


def _files(folder: Path, n: int) -> list[Path]:
    folder.mkdir()
    out = []
    for i in range(n):
        p = folder / f"租赁合同{i:02d}.txt"
        p.write_text(
            f"房屋租赁合同\n出租方（甲方）：石岭村村民委员会\n承租方（乙方）：王建{i:02d}\n"
            f"甲方将位于石岭村{i}号的门面房一间出租给乙方使用，面积{30 + i}平方米。\n"
            f"租赁期限自2024年1月1日起至2026年12月31日止。年租金{10000 + 100 * i}元。\n"
            "甲方（盖章）：石岭村村民委员会　乙方（签字）：\n2023年12月20日\n",
            encoding="utf-8",
        )
        out.append(p)
    return out


def _ok(store: Store) -> dict[str, tuple[float, int]]:
    with store.session() as s:
        return {name: (sec, att) for name, sec, att in s.execute(
            select(Document.filename, Document.read_seconds, Document.attempts).where(Document.status == "read"))}


@pytest.mark.parametrize("workers", ["1", "2"])  # two: the pool's workers save what they read
def test_kill_9_in_the_middle_of_a_batch_then_resume_reads_each_file_once(tmp_path, workers):
    files = _files(tmp_path / "in", 48)
    env = dict(os.environ, CONTRACT_REVIEW_DATA_DIR=str(tmp_path / "store"), CONTRACT_REVIEW_OCR_ENGINE="null")
    env.pop("CONTRACT_REVIEW_DB_URL", None)
    cmd = CLI + ["ingest", "--unit", "石岭村", "--workers", workers, "--quiet", str(tmp_path / "in")]
    store = Store(data_dir=tmp_path / "store")  # created (and migrated) before the runner opens it
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None and len(_ok(store)) < 3:
            time.sleep(0.05)
        assert proc.poll() is None, "the batch ended before it could be killed: " + proc.stderr.read().decode()[-500:]
        os.killpg(proc.pid, signal.SIGKILL)  # the runner and its reading children, mid-batch
        proc.wait(30)
        before = _ok(store)
        assert 3 <= len(before) < len(files)

        done = subprocess.run(cmd, env=env, capture_output=True, timeout=600)
        assert done.returncode == 0, done.stderr.decode()[-800:]
        after = _ok(store)
        assert set(after) == {p.name for p in files}  # every file read to the end
        for name, (seconds, attempts) in before.items():
            assert after[name] == (seconds, attempts)  # saved before the kill: kept, not read again
        with store.session() as s:
            assert s.scalar(select(func.count()).select_from(Document)) == len(files)  # none stored twice
            per_doc = s.execute(select(Agreement.document_id, func.count()).group_by(Agreement.document_id)).all()
        assert len(per_doc) == len(files) and all(n == 1 for _, n in per_doc)  # one agreement each
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        store.close()
