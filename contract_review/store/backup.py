"""Backup and restore of the embedded store: the SQLite database and the stored files.

A backup is one tar file:

* ``contract-review.db``: a consistent copy of the database made with SQLite's online backup
  API (never a copy of the live file: a batch or a reviewer may be writing, and the WAL holds
  what is not yet in the main file);
* ``files/xx/<sha256>.<ext>``: every stored file the copied database refers to, each checked
  against its SHA-256 while it is written (files are stored once, named by their hash and
  never changed, so the database copy and the files agree whatever was added meanwhile);
* ``manifest.json``: format, time, schema revision, counts, and the size and SHA-256 of every
  member, checked again on restore.

Restore refuses a store that already holds anything unless forced; forced, it moves the old
database and files aside (``pre-restore-<time>/`` in the data directory) rather than deleting
them. Members are extracted only under their expected names (no links, no ``..``).

PostgreSQL stores are backed up with ``pg_dump`` plus a copy of the data directory's ``files/``.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import sqlite3
import tarfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from sqlalchemy.engine import make_url

FORMAT = "contract-review/backup@1"
DB_MEMBER = "contract-review.db"
MANIFEST = "manifest.json"
_FILE_MEMBER = re.compile(r"^files/[0-9a-f]{2}/[0-9a-f]{64}(\.[A-Za-z0-9]{1,9})?$")
_CHUNK = 1 << 20
_CONTENT_TABLES = ("units", "users", "batches", "files", "documents", "agreements", "decisions", "corrections",
                   "finding_reviews", "config_versions")


class BackupError(Exception):
    """A backup or restore that cannot be done (message in Chinese, for the operator)."""


@dataclass
class Summary:
    path: Path
    files: int
    bytes: int
    agreements: int
    decisions: int
    revision: str | None
    moved_aside: Path | None = None


def sqlite_path(url: str) -> Path:
    """The database file of a SQLite URL; BackupError for any other database."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        raise BackupError("备份与恢复只用于内置的 SQLite 存储；PostgreSQL 请用 pg_dump，"
                          "并另行备份数据目录下的 files/（only the embedded SQLite store）")
    return Path(u.database)


class _Hashing(io.RawIOBase):
    """A file read through while its SHA-256 is computed."""

    def __init__(self, fh: IO[bytes]):
        self.fh, self.sha = fh, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.sha.update(data)
        return data


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def _scalar(conn: sqlite3.Connection, sql: str) -> Any:
    try:
        row = conn.execute(sql).fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def _snapshot(db_path: Path, dest: Path) -> None:
    """A consistent copy of a live database (SQLite's online backup API, in one step)."""
    src = sqlite3.connect(db_path, timeout=30)  # (read-only connections cannot always open a WAL database)
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _add(tar: tarfile.TarFile, name: str, fh: IO[bytes], size: int) -> str:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(time.time()), 0o644
    reader = _Hashing(fh)
    tar.addfile(info, reader)
    return reader.sha.hexdigest()


def backup(db_url: str, data_dir: Path, out: Path) -> Summary:
    """Write the store's database and files to the tar file ``out`` (replaced only when done)."""
    db_path = sqlite_path(db_url)
    if not db_path.is_file():
        raise BackupError(f"没有找到存储的数据库 {db_path}（no database）")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    snap = out.with_name(f".{out.name}.db-snapshot")
    try:
        _snapshot(db_path, snap)
        conn = sqlite3.connect(snap)
        try:
            stored = conn.execute("SELECT sha256, path, size FROM files ORDER BY path").fetchall()
            revision = _scalar(conn, "SELECT version_num FROM alembic_version")
            agreements = _scalar(conn, "SELECT count(*) FROM agreements") or 0
            decisions = _scalar(conn, "SELECT count(*) FROM decisions") or 0
        finally:
            conn.close()
        members: list[dict[str, Any]] = []
        total = 0
        with tarfile.open(part, "w", format=tarfile.PAX_FORMAT) as tar:
            size = snap.stat().st_size
            with open(snap, "rb") as fh:
                members.append({"name": DB_MEMBER, "size": size, "sha256": _add(tar, DB_MEMBER, fh, size)})
            total += size
            for sha, rel, _ in stored:
                src = data_dir / rel
                if not _FILE_MEMBER.match(rel) or not src.is_file():
                    raise BackupError(f"存储的文件 {rel} 不存在或名称异常（stored file missing）")
                size = src.stat().st_size
                with open(src, "rb") as fh:
                    got = _add(tar, rel, fh, size)
                if got != sha:
                    raise BackupError(f"存储的文件 {rel} 已损坏：内容与其 SHA-256 不符（stored file corrupt）")
                members.append({"name": rel, "size": size, "sha256": got})
                total += size
            manifest = json.dumps({
                "format": FORMAT, "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "schema_revision": revision, "agreements": agreements, "decisions": decisions,
                "members": members,
            }, ensure_ascii=False, indent=1).encode("utf-8")
            _add(tar, MANIFEST, io.BytesIO(manifest), len(manifest))
        part.replace(out)
    finally:
        snap.unlink(missing_ok=True)
        part.unlink(missing_ok=True)
    return Summary(out, len(stored), total, agreements, decisions, revision)


def is_empty(db_url: str, data_dir: Path) -> bool:
    """Whether the store holds nothing: no row in any content table, no stored file."""
    db_path = sqlite_path(db_url)
    files = data_dir / "files"
    if files.is_dir() and any(p.is_file() for p in files.rglob("*")):
        return False
    if not db_path.is_file():
        return True
    conn = sqlite3.connect(db_path, timeout=30)
    try:
        return not any(_scalar(conn, f"SELECT 1 FROM {t} LIMIT 1") for t in _CONTENT_TABLES)
    finally:
        conn.close()


def _read_manifest(tar: tarfile.TarFile, archive: Path) -> dict[str, Any]:
    try:
        member = tar.getmember(MANIFEST)
        manifest = json.loads(tar.extractfile(member).read().decode("utf-8"))  # type: ignore[union-attr]
    except (KeyError, AttributeError, ValueError) as exc:
        raise BackupError(f"「{archive.name}」不是本系统的备份文件：缺少或无法读取 {MANIFEST}（{exc}）") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"「{archive.name}」的备份格式 {manifest.get('format')!r} 不可识别（应为 {FORMAT}）")
    return manifest


def restore(archive: Path, db_url: str, data_dir: Path, *, force: bool = False) -> Summary:
    """Put the backup ``archive`` in place of the store (database and files). Refused when the
    store holds anything, unless ``force``: then the old database and files are moved aside."""
    archive = Path(archive)
    db_path = sqlite_path(db_url)
    if not archive.is_file():
        raise BackupError(f"备份文件 {archive} 不存在（backup not found）")
    if not force and not is_empty(db_url, data_dir):
        raise BackupError(f"存储 {data_dir} 中已有数据，恢复会替换它们；确需替换请加 --force"
                          "（原有数据库和文件将移到 pre-restore-<时间>/ 保留）")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    staging = data_dir / f".restore-{stamp}"
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        with tarfile.open(archive, "r:") as tar:
            manifest = _read_manifest(tar, archive)
            expected = {m["name"]: m for m in manifest.get("members", [])}
            if DB_MEMBER not in expected:
                raise BackupError(f"「{archive.name}」中没有数据库")
            total, seen = 0, set()
            for member in tar:
                if member.name == MANIFEST:
                    continue
                want = expected.get(member.name)
                if want is None or member.name in seen or not member.isfile() or not (member.name == DB_MEMBER
                                                              or _FILE_MEMBER.match(member.name)):
                    raise BackupError(f"「{archive.name}」含有不应有的条目 {member.name!r}（unexpected member）")
                dest = staging / member.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                src = tar.extractfile(member)
                assert src is not None
                h = hashlib.sha256()
                with open(dest, "wb") as fh:
                    for chunk in iter(lambda: src.read(_CHUNK), b""):
                        h.update(chunk)
                        fh.write(chunk)
                if h.hexdigest() != want["sha256"] or member.size != want["size"]:
                    raise BackupError(f"「{archive.name}」中的 {member.name} 已损坏（checksum mismatch）")
                seen.add(member.name)
                total += member.size
            if missing := sorted(set(expected) - seen):
                raise BackupError(f"「{archive.name}」不完整，缺少 {missing[0]} 等 {len(missing)} 项（incomplete）")
        conn = sqlite3.connect(staging / DB_MEMBER)
        try:
            check = _scalar(conn, "PRAGMA integrity_check")
        finally:
            conn.close()
        if check != "ok":
            raise BackupError(f"「{archive.name}」中的数据库未通过完整性检查：{check}")
        aside = _move_aside(db_path, data_dir, stamp)
        db_path.parent.mkdir(parents=True, exist_ok=True)
        (staging / DB_MEMBER).replace(db_path)
        if (staging / "files").is_dir():
            (staging / "files").replace(data_dir / "files")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Summary(archive, len(expected) - 1, total, manifest.get("agreements", 0), manifest.get("decisions", 0),
                   manifest.get("schema_revision"), aside)


def _move_aside(db_path: Path, data_dir: Path, stamp: str) -> Path | None:
    """Move the store's database (with its WAL) and files to ``pre-restore-<stamp>/``."""
    olds = [p for p in (db_path, db_path.with_name(db_path.name + "-wal"), db_path.with_name(db_path.name + "-shm"),
                        data_dir / "files") if p.exists()]
    if not olds:
        return None
    aside = data_dir / f"pre-restore-{stamp}"
    aside.mkdir()
    for p in olds:
        p.replace(aside / p.name)
    return aside
