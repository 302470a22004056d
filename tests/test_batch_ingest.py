"""The batch runner's inputs and entry points: folders and zip archives expanded (GBK member
names, no path from an archive ever used), ``python -m contract_review.batch BATCH_ID``, and
one batch read with the real OCR."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import contract_review.batch as batch_mod
from contract_review.batch import expand_inputs, ingest_paths
from contract_review.store import SYSTEM, Store


class _GbkName(zipfile.ZipInfo):
    """A member name written as GBK bytes without the UTF-8 flag."""

    __slots__ = ("raw",)

    def __init__(self, name: str):
        self.raw = name.encode("gbk")
        super().__init__(self.raw.decode("cp437"))  # how readers see an unflagged name

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.raw, self.flag_bits & ~0x800


def _zip(path: Path, members: list[tuple[str, bytes]], gbk: tuple[str, ...] = ()) -> Path:
    """A zip archive; the members named in ``gbk`` get GBK names without the UTF-8 flag, as
    the archiver of Chinese Windows writes them."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members:
            zf.writestr(_GbkName(name) if name in gbk else zipfile.ZipInfo(name), data)
    return path


def test_a_gbk_named_member_keeps_its_chinese_name(tmp_path: Path):
    archive = _zip(tmp_path / "上传.zip", [("合同（扫描）.txt", "租赁合同".encode()), ("plain.txt", b"x")],
                   gbk=("合同（扫描）.txt",))
    with zipfile.ZipFile(archive) as zf:
        assert not zf.infolist()[0].flag_bits & 0x800  # really written without the UTF-8 flag
    work = tmp_path / "work"
    work.mkdir()
    files, rejected = expand_inputs([archive], work)
    assert rejected == []
    assert [name for _, name in files] == ["上传.zip/合同（扫描）.txt", "上传.zip/plain.txt"]
    assert files[0][0].read_bytes() == "租赁合同".encode()


def test_no_member_name_can_write_outside_the_work_directory(tmp_path: Path):
    archive = _zip(tmp_path / "evil.zip", [
        ("../x.txt", b"escape one level"),
        ("../../../../tmp/evil.txt", b"escape to /tmp"),
        ("/etc/evil.txt", b"absolute"),
        ("C:\\Windows\\evil.txt", b"drive letter"),
        ("sub/../../y.txt", b"through a folder"),
        ("__MACOSX/._x.txt", b"resource fork"),
        (".DS_Store", b"finder"),
        ("inner.zip", b"PK"),
    ])
    work = tmp_path / "work"
    work.mkdir()
    files, rejected = expand_inputs([archive], work)
    names = [name for _, name in files]
    assert names == ["evil.zip/x.txt", "evil.zip/tmp/evil.txt", "evil.zip/etc/evil.txt",
                     "evil.zip/Windows/evil.txt", "evil.zip/sub/y.txt"]
    assert rejected == [("evil.zip/inner.zip", "不支持压缩包中的压缩包 (nested archive)")]
    for path, _ in files:
        assert path.resolve().is_relative_to(work.resolve())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.zip", "work"]  # nothing escaped
    assert not Path("/tmp/evil.txt").exists() and not Path("/etc/evil.txt").exists()


def test_folders_are_walked_and_bad_inputs_reported(tmp_path: Path):
    root = tmp_path / "交来的"
    (root / "sub").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.txt").write_text("甲", encoding="utf-8")
    (root / "sub" / "c.docx").write_bytes(b"not really")
    (root / ".git" / "config").write_text("hidden")
    (root / "manifest.json").write_text("{}")
    _zip(root / "sub" / "内层.zip", [("d.txt", b"d")])
    (tmp_path / "坏.zip").write_bytes(b"PK\x03\x04 truncated")
    work = tmp_path / "work"
    work.mkdir()
    files, rejected = expand_inputs([root, tmp_path / "坏.zip", tmp_path / "不存在.pdf"], work)
    assert [name for _, name in files] == ["a.txt", "sub/c.docx", "sub/内层.zip/d.txt"]
    assert [r[0] for r in rejected] == ["坏.zip", str(tmp_path / "不存在.pdf")]
    assert "无法解压" in rejected[0][1] and "文件不存在" in rejected[1][1]


def test_an_uploaded_archive_is_ingested_with_its_member_names(store: Store, samples, tmp_path: Path):
    archive = _zip(tmp_path / "城关镇合同.zip", [
        ("土地承包合同.txt", samples.text.read_bytes()),
        ("../出借协议.pdf", samples.pdf.read_bytes()),
        ("备份/土地承包合同副本.txt", samples.text.read_bytes()),
    ], gbk=("土地承包合同.txt",))
    summary = ingest_paths(store, [archive], "城关镇", "压缩包", workers=1)
    assert (summary.files, summary.read, summary.failed, summary.rejected) == (3, 2, 0, [])
    progress = store.batch_progress(summary.batch_id)
    assert sorted(i["filename"] for i in progress["items"]) == [
        "城关镇合同.zip/出借协议.pdf", "城关镇合同.zip/土地承包合同.txt"]
    assert store.counts(SYSTEM)["total"] == 2


@pytest.fixture
def stored_batch(store: Store, samples, db_url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Store, int]:
    """A batch handed in but not run (as the app leaves it after an upload); the environment
    points at its store."""
    monkeypatch.setenv("CONTRACT_REVIEW_DB_URL", db_url)
    batch = store.create_batch("青山乡", "后台批次")
    for p in (samples.text, samples.docx, samples.broken):
        store.add_file(batch, p)
    return store, batch


def test_the_module_entry_point_runs_a_stored_batch(stored_batch):
    store, batch = stored_batch
    assert batch_mod.main([str(batch), "--workers", "2"]) == 0
    progress = store.batch_progress(batch)
    assert progress["status"] == "ready" and (progress["read"], progress["failed"]) == (2, 1)
    assert batch_mod.main([str(batch)]) == 0  # again: nothing to do
    assert batch_mod.main(["9999"]) == 1  # no such batch


def test_python_dash_m_contract_review_batch(stored_batch):
    store, batch = stored_batch
    proc = subprocess.run([sys.executable, "-m", "contract_review.batch", str(batch), "--workers", "1"],
                          capture_output=True, text=True, timeout=300, env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr
    assert f"batch {batch} ready: 2 read, 1 failed, 3 agreements" in proc.stderr
    assert store.batch_progress(batch)["status"] == "ready" and store.counts(SYSTEM)["total"] == 3


@pytest.mark.ocr
def test_a_scanned_page_is_read_with_the_real_ocr(tmp_path: Path, store_env: None):
    from corpus.render import render_image
    from corpus.samples import LEASE

    scan = render_image(LEASE.blocks, tmp_path / "门面租赁合同_扫描.jpg", seed=3, kind="scan", seal=LEASE.seals)
    store = Store(data_dir=tmp_path / "store")
    try:
        summary = ingest_paths(store, [scan], "城关镇", "扫描件", workers=1)
        assert (summary.read, summary.failed, summary.agreements) == (1, 0, 1)
        rows, _ = store.queue(SYSTEM)
        view = store.agreement(SYSTEM, rows[0]["id"])
        assert view["record"]["source"]["page_kinds"] == ["ocr"]
        assert "租赁" in view["record"]["text"] and view["agreement_type"] == "lease"
    finally:
        store.close()


# -- the per-file work in the workers (issue 13) ----------------------------------------------------
def _records(store: Store) -> dict[int, dict]:
    from sqlalchemy import select

    from contract_review.store.schema import Agreement

    with store.session() as s:
        return {doc_id: record for doc_id, record in s.execute(select(Agreement.document_id, Agreement.record))}


def test_workers_extract_and_the_unit_check_does_not_extract_again(store: Store, samples, monkeypatch):
    """Each file's Agreement is extracted where it was read (a worker), from the reading as the
    store keeps it; the unit check only adopts it, and writes the same records as a check that
    extracts everything itself."""
    from contract_review.pipeline import Pipeline

    calls = {"read_extract": 0, "adopt": 0}
    for name in calls:
        real = getattr(Pipeline, name)

        def counted(self, *args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(Pipeline, name, counted)
    files = [samples.docx, samples.text, samples.pdf, samples.broken, *samples.side_pair]
    summary = ingest_paths(store, files, "石岭村", workers=1)
    assert (summary.read, summary.failed, summary.agreements) == (5, 1, 6)
    assert calls == {"read_extract": 0, "adopt": 6}
    first = _records(store)
    monkeypatch.undo()
    assert batch_mod.check_unit(store, store.unit_of_batch(summary.batch_id)) == 6  # everything extracted here
    again = _records(store)

    def strip(record: dict) -> dict:
        return {k: v for k, v in record.items() if k != "timings"}

    assert first.keys() == again.keys()
    for doc_id in first:
        assert strip(first[doc_id]) == strip(again[doc_id]), doc_id
    side = [r for r in first.values() if any(f.get("check") == "side_contract" for f in r.get("findings", []))]
    assert side  # found across the agreements the workers extracted


def test_a_pool_of_two_workers_gives_the_records_one_worker_gives(store: Store, samples, tmp_path):
    files = [samples.docx, samples.text, samples.pdf, samples.broken, *samples.corpus[:8]]
    one = ingest_paths(store, files, "石岭村", workers=1)
    records_one = {r["source"]["filename"]: r for r in _records(store).values()}
    other = Store(url=f"sqlite:///{tmp_path / 'other.db'}", data_dir=tmp_path / "other")
    try:
        two = ingest_paths(other, files, "石岭村", workers=2)
        records_two = {r["source"]["filename"]: r for r in _records(other).values()}
    finally:
        other.close()
    assert (one.read, one.failed) == (two.read, two.failed) == (11, 1)
    assert records_one.keys() == records_two.keys()
    for name, record in records_one.items():
        a, b = ({k: v for k, v in r.items() if k != "timings"} for r in (record, records_two[name]))
        assert a == b, name


def test_two_workers_start_with_the_longest_readings(store: Store, samples, tmp_path, monkeypatch):
    """A scan read last keeps one worker busy while the other has nothing left: the pool gets
    images first, then PDFs, then Word and text files."""
    import numpy as np
    from PIL import Image

    from contract_review.executors import InProcess

    scan = tmp_path / "扫描件.jpg"  # grainy, as a phone or scanner makes them
    Image.fromarray(np.random.default_rng(1).integers(150, 255, (900, 700, 3), dtype=np.uint8)).save(scan)
    order: list[str] = []

    class Recording(InProcess):
        def map(self, fn, jobs, on_submit=None):
            order.extend(job[2] for job in jobs)
            return super().map(fn, jobs, on_submit)

    monkeypatch.setattr(batch_mod, "reading_executor", lambda workers: Recording())
    ingest_paths(store, [samples.text, samples.docx, samples.pdf, scan], "石岭村", workers=2)
    assert order[0] == scan.name and order[1] == samples.pdf.name
    assert set(order[2:]) == {samples.text.name, samples.docx.name}


def test_with_two_workers_the_parent_saves_extracts_and_cuts_nothing_per_file(store: Store, samples, monkeypatch):
    """In a pool each worker saves the reading it made (once: a crash loses at most the files
    being read), extracts its Agreement, cuts its search words (jieba) and folds the texts the
    unit check compares to simplified script (OpenCC); the runner only checks the unit's
    agreements together and writes them: its per-file share does not hold the pool back. The
    words cut in the workers are the words the store would cut itself."""
    from opencc import OpenCC
    from sqlalchemy import select

    import checks.side
    from contract_review.pipeline import Pipeline
    from contract_review.store import search as fulltext
    from contract_review.store import store as store_module
    from contract_review.store.schema import SearchDoc

    parent = os.getpid()
    here = {"save": 0, "extract": 0, "words": 0, "fold": 0}

    def in_parent(key: str, real):
        def counted(*args, **kwargs):
            if os.getpid() == parent:
                here[key] += 1
            return real(*args, **kwargs)
        return counted

    fold = OpenCC("t2s").convert
    fold_text = in_parent("fold", fold)

    class Folding:  # an agreement's text (names of parties and assets are folded where compared)
        @staticmethod
        def convert(text: str) -> str:
            return fold_text(text) if len(text) > 200 else fold(text)

    cut = fulltext.tokens
    monkeypatch.setattr(store_module, "_reading", in_parent("save", store_module._reading))
    monkeypatch.setattr(Pipeline, "extract", in_parent("extract", Pipeline.extract))
    monkeypatch.setattr(fulltext, "tokens", in_parent("words", cut))
    monkeypatch.setattr(checks.side, "_T2S", Folding())
    files = [samples.docx, samples.text, samples.pdf, *samples.corpus[:5]]
    summary = ingest_paths(store, files, "石岭村", workers=2)
    assert (summary.read, summary.failed, summary.agreements) == (8, 0, 8)
    assert here == {"save": 0, "extract": 0, "words": 0, "fold": 0}
    with store.session() as s:
        indexed = s.execute(select(SearchDoc.body, SearchDoc.tokens)).all()
    assert len(indexed) == 8 and all(words == cut(body) for body, words in indexed)
