"""Fixtures for the review-store tests (loaded by ``conftest.py`` as a plugin).

``store`` is a fresh :class:`Store` per test, parametrised over the backends: SQLite (always)
and PostgreSQL. For PostgreSQL one server is started per test session from the Debian package's
binaries (``/usr/lib/postgresql/<version>/bin``) in a temporary directory: unix socket in that
directory, TCP on 127.0.0.1 at a free port, trust authentication, fsync off. Each test gets a
database of its own. As root (initdb refuses to run as root) the server runs as the ``postgres``
OS user the package creates, through ``runuser``. Without the binaries the PostgreSQL cases are
skipped, saying so.

``samples`` are small agreements written once per session: a Word file, a plain-text file, a
digital PDF, a truncated PDF, and a generated text corpus with a side-contract pair.
"""

from __future__ import annotations

import glob
import itertools
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

import pytest

from contract_review.store import Store

PG_MISSING = "PostgreSQL server binaries not installed (apt-get install postgresql)"
BACKENDS = ("sqlite", "postgres")


# ---------------------------------------------------------------------- PostgreSQL
def pg_bindir() -> Path | None:
    """The newest installed PostgreSQL server's bin directory (Debian layout), else one on PATH."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    found.sort(key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and Path(initdb).with_name("pg_ctl").exists() else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    bindir: Path
    base: Path
    port: int
    user: str = "contract_review"
    _names: ClassVar[Iterator[int]] = itertools.count(1)

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self) -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        import psycopg

        name = f"test_{next(self._names)}"
        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.user, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _run(cmd: list[str], as_user: list[str], what: str, log: Path | None = None) -> None:
    proc = subprocess.run(as_user + cmd, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        detail = (proc.stdout + proc.stderr)[-3000:]
        if log is not None and log.exists():
            detail += "\n--- server log ---\n" + log.read_text(errors="replace")[-3000:]
        pytest.fail(f"{what} failed ({proc.returncode}): {detail}", pytrace=False)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bindir = pg_bindir()
    if bindir is None:
        pytest.skip(PG_MISSING)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg not installed (pip install 'psycopg[binary]')")
    as_user: list[str] = []
    owner = None
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' OS user to run the server as")
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("running as root and runuser is not installed")
        as_user = [runuser, "-u", "postgres", "--"]
    # short (the socket path must stay under 108 bytes) and, as root, where the postgres user can reach
    base = Path(tempfile.mkdtemp(prefix="cr-pg-", dir="/tmp" if owner is not None else None))
    data, sock, log = base / "data", base / "sock", base / "server.log"
    sock.mkdir()
    if owner is not None:
        for p in (base, sock):
            os.chown(p, owner.pw_uid, owner.pw_gid)
    server = PgServer(bindir, base, _free_port())
    try:
        _run([str(bindir / "initdb"), "-D", str(data), "-U", server.user, "-A", "trust", "-E", "UTF8",
              "--locale=C", "-N"], as_user, "initdb")
        options = (f"-k {sock} -h 127.0.0.1 -p {server.port} -F -c full_page_writes=off "
                   "-c synchronous_commit=off -c max_connections=50 -c shared_buffers=32MB")
        _run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "30", "-o", options, "start"],
             as_user, "pg_ctl start", log)
        yield server
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(as_user + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


# ---------------------------------------------------------------------- stores
@pytest.fixture
def store_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never the developer's store: the data directory is the test's, no database URL."""
    monkeypatch.delenv("CONTRACT_REVIEW_DB_URL", raising=False)
    monkeypatch.setenv("CONTRACT_REVIEW_DATA_DIR", str(tmp_path / "store"))


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A SQLAlchemy URL of an empty database on each backend."""
    if request.param == "postgres":
        return request.getfixturevalue("pg_server").create_database()
    return f"sqlite:///{tmp_path / 'store' / 'contract-review.db'}"


@pytest.fixture
def store(db_url: str, tmp_path: Path, store_env: None) -> Iterator[Store]:
    s = Store(url=db_url, data_dir=tmp_path / "store")
    yield s
    s.close()


# ---------------------------------------------------------------------- sample agreements
@dataclass
class Samples:
    docx: Path  # 门面房屋租赁合同 (Word)
    text: Path  # 集体土地承包合同 (plain text)
    pdf: Path  # 国有资产出借协议 (digital PDF)
    broken: Path  # a truncated PDF
    corpus: list[Path]  # generated plain-text agreements
    side_pair: tuple[Path, Path]  # two of them: an agreement and its side contract


@pytest.fixture(scope="session")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Samples:
    from corpus.generate import generate_corpus
    from corpus.render import render_docx, render_pdf, render_text
    from corpus.samples import LAND, LEASE, LOAN

    out = tmp_path_factory.mktemp("samples")
    docx = render_docx(LEASE.blocks, out / "门面房屋租赁合同.docx", header=f"合同编号：{LEASE.contract_no}")
    text = render_text(LAND.blocks, out / "集体土地承包合同.txt")
    pdf = render_pdf(LOAN.blocks, out / "国有资产出借协议.pdf", seal=LOAN.seals, seed=7)
    broken = out / "损坏的文件.pdf"
    broken.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog")
    corpus_dir = out / "corpus"
    manifest = generate_corpus(corpus_dir, n=40, seed=3, formats=("text",), as_of=date(2026, 11, 21))
    corpus, pairs = [], {}
    for d in manifest["documents"]:
        path = corpus_dir / d["renderings"]["text"]
        corpus.append(path)
        truth = json.loads((corpus_dir / d["truth"]).read_text(encoding="utf-8"))
        if truth.get("pair_id"):
            pairs[d["id"]] = (path, truth["pair_id"])
    first = min(pairs)
    side_pair = (pairs[first][0], pairs[pairs[first][1]][0])
    return Samples(docx, text, pdf, broken, corpus, side_pair)


# ---------------------------------------------------------------------- bare agreements
def make_agreements(store: Store, n: int, unit: str = "甲镇") -> list[int]:
    """``n`` agreements of ``unit`` written straight into the store (a small text file each, never
    read by the pipeline): for tests of the review state, which does not depend on what the
    machine read."""
    import hashlib

    from contract_review.store.schema import Agreement, Document, StoredFile

    unit_id = store.ensure_unit(unit)
    batch_id = store.create_batch(unit, "直接写入")
    ids = []
    with store.session() as s:
        for i in range(n):
            name = f"协议{i + 1}.txt"
            content = f"{unit} {name}".encode()
            sha = hashlib.sha256(content).hexdigest()
            rel = f"files/{sha[:2]}/{sha}.txt"
            (store.data_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (store.data_dir / rel).write_bytes(content)
            s.add(StoredFile(sha256=sha, size=len(content), path=rel, first_name=name))
            doc = Document(unit_id=unit_id, file_sha256=sha, filename=name, batch_id=batch_id, status="read", pages=1)
            s.add(doc)
            s.flush()
            a = Agreement(document_id=doc.id, unit_id=unit_id, title=f"协议{i + 1}", disposition="fixable",
                          record={"fields": {}, "findings": [], "errors": []})
            s.add(a)
            s.flush()
            ids.append(a.id)
    return ids


def make_reviewers(store: Store, names: list[str]) -> list[int]:
    """Reviewer accounts (display names ``names``) written straight into the store: they cannot
    log in (no password hash matches), which tests of the review state do not need."""
    from contract_review.store.schema import User

    with store.session() as s:
        users = [User(username=f"reviewer{i + 1}", display_name=name, password_hash="!", role="reviewer")
                 for i, name in enumerate(names)]
        s.add_all(users)
        s.flush()
        return [u.id for u in users]
