"""``contract-review backup`` / ``restore`` of the embedded store (issue 11): a round trip keeps
agreements, decisions and corrections, the files byte for byte and an intact decision chain;
a backup taken while reviewers decide is consistent; restore refuses a store holding data
unless forced (and then keeps the old one aside), and refuses a damaged or crafted archive."""

from __future__ import annotations

import io
import tarfile
import threading
from pathlib import Path

import pytest

from contract_review.batch import ingest_paths
from contract_review.cli import main
from contract_review.ledger import ledger_rows
from contract_review.store import SYSTEM, StaleDecision, Store
from contract_review.store.backup import DB_MEMBER
from store_fixtures import make_agreements, make_reviewers


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run the command line on a data directory: ``cli(data_dir, *argv) -> (code, out, err)``."""
    monkeypatch.delenv("CONTRACT_REVIEW_DB_URL", raising=False)

    def run(data_dir: Path, *argv: str) -> tuple[int, str, str]:
        monkeypatch.setenv("CONTRACT_REVIEW_DATA_DIR", str(data_dir))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _files(data_dir: Path) -> dict[str, bytes]:
    root = data_dir / "files"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _state(data_dir: Path) -> dict:
    """Everything a reviewer or the ledger can see of a store, and its chain head."""
    store = Store(data_dir=data_dir)
    try:
        rows, _ = store.queue(SYSTEM, limit=1000)
        agreements = []
        for r in rows:
            a = store.agreement(SYSTEM, r["id"])
            a.pop("file_path")  # where the data directory is
            agreements.append(a)
        report = store.audit_report()
        return {"agreements": agreements, "ledger": ledger_rows(store, SYSTEM), "users": store.users(),
                "chain": (report.ok, report.entries, report.head_hash)}
    finally:
        store.close()


def test_backup_and_restore_round_trip(tmp_path: Path, samples, cli):
    source = tmp_path / "source"
    store = Store(data_dir=source)
    ingest_paths(store, [samples.docx, samples.text, samples.pdf, samples.broken], "甲镇", "第一批", workers=1)
    rev = store.viewer(make_reviewers(store, ["审查员甲"])[0])
    rows, _ = store.queue(rev)
    rows = [r for r in rows if r["status"] != "resubmit"]  # the broken file is sent back, not decided (issue 12)
    for i, row in enumerate(rows):
        a = store.agreement(rev, row["id"])
        v = store.decide(rev, a["id"], "fixable", f"第 {i + 1} 份的说明", version=a["version"])
        if i == 0:
            store.decide(rev, a["id"], "void", "复核后改为无效", version=v)
            store.correct(rev, a["id"], "counterparty", "更正后的合作方")
    store.close()
    before = _state(source)
    assert before["chain"][:2] == (True, len(rows) + 1) and len(before["agreements"]) == 4

    archive = tmp_path / "备份" / "store.tar"
    code, out, err = cli(source, "backup", "--out", str(archive))
    assert code == 0, err
    assert f"备份已写入：{archive}（4 份协议，4 条决定，4 个文件" in out

    target = tmp_path / "target"
    code, out, err = cli(target, "restore", str(archive))
    assert code == 0, err
    assert "恢复：4 份协议，4 条决定，4 个文件" in out and "决定历史完整：4 条决定" in out
    assert _files(target) == _files(source) and len(_files(target)) == 4
    assert _state(target) == before

    # over a store that holds data: refused, unless forced (the old one is kept aside)
    code, _, err = cli(target, "restore", str(archive))
    assert code == 2 and "已有数据" in err and "--force" in err
    code, out, err = cli(target, "restore", str(archive), "--force")
    assert code == 0, err
    aside = [p for p in target.iterdir() if p.name.startswith("pre-restore-")]
    assert len(aside) == 1 and (aside[0] / "contract-review.db").is_file() and _files(aside[0]) == _files(source)
    assert _state(target) == before


def test_a_backup_taken_while_reviewers_decide_is_consistent(tmp_path: Path, cli):
    source = tmp_path / "source"
    store = Store(data_dir=source)
    ids = make_agreements(store, 3)
    viewers = [store.viewer(u) for u in make_reviewers(store, ["审查员甲", "审查员乙"])]
    stop = threading.Event()
    made = [0]

    def decide() -> None:
        other = Store(data_dir=source, migrate=False)
        try:
            while not stop.is_set():
                for aid in ids:
                    for viewer in viewers:
                        try:
                            version = other.agreement(viewer, aid)["version"]
                            other.decide(viewer, aid, "void", "备份期间的决定", version=version)
                            made[0] += 1
                        except StaleDecision:
                            pass
        finally:
            other.close()

    worker = threading.Thread(target=decide)
    worker.start()
    try:
        for i in range(4):
            code, _, err = cli(source, "backup", "--out", str(tmp_path / f"b{i}.tar"))
            assert code == 0, err
    finally:
        stop.set()
        worker.join()
    assert made[0] > 0
    store.close()
    for i in range(4):
        code, out, err = cli(tmp_path / f"restored{i}", "restore", str(tmp_path / f"b{i}.tar"))
        assert code == 0 and "决定历史完整" in out, err


def _rewrite(archive: Path, out: Path, change) -> None:
    """A copy of ``archive`` with ``change(name, data) -> [(name, data), ...]`` applied per member."""
    with tarfile.open(archive) as src, tarfile.open(out, "w") as dst:
        for member in src:
            data = src.extractfile(member).read()
            for name, new in change(member.name, data):
                info = tarfile.TarInfo(name)
                info.size = len(new)
                dst.addfile(info, io.BytesIO(new))


@pytest.mark.parametrize("change, says", [
    (lambda name, data: [(name, data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("files/") else data)],
     "已损坏"),
    (lambda name, data: [(name, data)] + ([("../escaped.txt", b"x")] if name == DB_MEMBER else []),
     "不应有的条目"),
    (lambda name, data: [] if name == "manifest.json" else [(name, data)], "不是本系统的备份文件"),
])
def test_restore_refuses_a_damaged_or_crafted_archive(tmp_path: Path, cli, change, says):
    source = tmp_path / "source"
    store = Store(data_dir=source)
    batch = store.create_batch("甲镇", "一批")
    (tmp_path / "a.txt").write_text("租赁合同", encoding="utf-8")
    store.add_file(batch, tmp_path / "a.txt")
    store.close()
    assert cli(source, "backup", "--out", str(tmp_path / "good.tar"))[0] == 0
    _rewrite(tmp_path / "good.tar", tmp_path / "bad.tar", change)
    target = tmp_path / "target"
    code, _, err = cli(target, "restore", str(tmp_path / "bad.tar"))
    assert code == 2 and says in err, err
    assert not (target / "files").exists() and not (tmp_path / "escaped.txt").exists()
    assert not any(p.name.startswith(".restore-") for p in target.iterdir())


def test_backup_is_for_the_embedded_store_only(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CONTRACT_REVIEW_DB_URL", "postgresql+psycopg://someone@127.0.0.1:1/nothing")
    for argv in (("backup", "--out", str(tmp_path / "x.tar")), ("restore", str(tmp_path / "x.tar"))):
        code, _, err = cli(tmp_path / "store", *argv)
        assert code == 2 and "只用于内置的 SQLite 存储" in err and "pg_dump" in err
    assert not (tmp_path / "x.tar").exists()
