"""The review store: what the pipeline read, what the checks found and what people decided.

One :class:`Store` per process; every method opens its own short session. Access is scoped
by a :class:`Viewer`: an uploader sees only their own unit's batches and agreements, reviewers
and admins see every unit. Methods that change review state refuse uploaders.

Timestamps are naive UTC (:func:`schema.utcnow`); :func:`local_time` turns one into the
server's local time for display (the ledger's dates, decisions per day).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Boolean, ColumnElement, Select, bindparam, case, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased, selectinload, sessionmaker

from ..labels import CHECK_LABELS, DISPOSITION_LABELS, FIELD_LABELS
from ..values import as_date
from . import audit, db, states
from . import search as fulltext
from .schema import (
    BATCH_STATES,
    DECISIONS,
    FINDING_ACTIONS,
    NOTE_KINDS,
    SEARCH_FTS_TABLE,
    SEARCH_PG_VECTOR,
    SEVERITY_ORDER,
    SearchDoc,
    Agreement,
    Batch,
    BatchItem,
    ConfigVersion,
    Correction,
    Decision,
    Document,
    Finding,
    FindingReview,
    FileContent,
    Rectification,
    ReviewNote,
    StoredFile,
    Unit,
    User,
    utcnow,
)

if TYPE_CHECKING:
    from ingest import Document as IngestDocument

    from .limits import UploadLimits

T = TypeVar("T")
_Stmt = TypeVar("_Stmt", bound=Select)  # type: ignore[type-arg]  # any select
_Row = TypeVar("_Row", Correction, FindingReview, Decision, ReviewNote)
NOT_FOUND = "协议不存在或无权查看"

MAX_ATTEMPTS = 3
"""A document whose reading crashed (no Document came back) is tried again on the next run of
its batch, up to this many attempts in all."""
_READ_CHUNK = 50  # documents' contents loaded at a time by read_documents
_IN_CHUNK = 500  # ids per ``IN (...)``
QUEUE_SORTS = ("severity", "risk", "newest")
"""The queue's orders (always over the whole filtered set, in SQL): ``severity`` (the default:
the machine's proposal, void before re-sign before fixable before compliant, then risk),
``risk`` (highest risk first) and ``newest`` (last handed in first)."""


class StoreError(Exception):
    """A request the store cannot carry out (message in Chinese, shown to the user)."""


class AccessDenied(StoreError):
    """The viewer may not see or change this object."""


class StaleDecision(StoreError):
    """Another decision was recorded after the reviewer loaded the agreement: they must see it
    before deciding (the message names who decided and when)."""


class NotDecidable(StoreError):
    """The file was not read or is not an agreement: it is sent back, not decided."""


@dataclass(frozen=True)
class Viewer:
    """Who is asking: the logged-in user (or :data:`SYSTEM` for the command line)."""

    user_id: int
    username: str
    role: str
    unit_id: int | None = None
    unit_name: str | None = None
    display_name: str = ""
    must_change_password: bool = False  # a published password: changed at first login when exposed

    @property
    def can_review(self) -> bool:
        return self.role in ("reviewer", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def sees_all_units(self) -> bool:
        return self.role in ("reviewer", "admin")


SYSTEM = Viewer(user_id=0, username="system", role="admin", display_name="系统")
"""The CLI's viewer (an operator on the server sees everything). It cannot review: every
review action records a real user."""


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def viewer_of(user: User) -> Viewer:
    return Viewer(user.id, user.username, user.role, user.unit_id,
                  user.unit.name if user.unit else None, user.display_name or user.username,
                  bool(user.must_change_password))


def local_time(value: datetime | None) -> datetime | None:
    """A stored (naive UTC) timestamp in the server's local time zone."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone()


class Store:
    """The review store over one database (SQLite in ``data_dir`` unless a URL is given) and
    the files' bytes under ``data_dir/files``. ``migrate`` brings the schema up to date."""

    def __init__(self, url: str | None = None, data_dir: str | Path | None = None, *, migrate: bool = True):
        self.data_dir = db.data_dir(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.url = db.database_url(url, self.data_dir)
        self.engine = db.make_engine(self.url)
        if migrate:
            db.upgrade(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Store({db.redacted(self.url)!r}, data_dir={str(self.data_dir)!r})"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on any error."""
        with self._sessions() as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ units and users
    def ensure_unit(self, name: str) -> int:
        """The id of the unit called ``name``, created when new."""
        name = valid_name(name, "单位名称", 200)
        for _ in range(2):  # a second process may create the same unit at the same moment
            try:
                with self.session() as s:
                    unit = s.scalar(select(Unit).where(Unit.name == name))
                    if unit is None:
                        unit = Unit(name=name)
                        s.add(unit)
                        s.flush()
                    return unit.id
            except IntegrityError:
                continue
        raise StoreError(f"无法创建单位「{name}」")

    def units(self, viewer: Viewer | None = None) -> list[dict[str, Any]]:
        with self.session() as s:
            stmt = select(Unit).order_by(Unit.name)
            if viewer is not None and not viewer.sees_all_units:
                stmt = stmt.where(Unit.id == _own_unit(viewer))
            return [{"id": u.id, "name": u.name} for u in s.scalars(stmt)]

    def add_user(self, username: str, password_hash: Callable[[], str], role: str, unit: str | None = None,
                 *, display_name: str = "", must_change_password: bool = False) -> int:
        """Insert an account (its rules were checked by :mod:`contract_review.accounts`);
        ``password_hash`` is called once the name is known to be free."""
        with self.session() as s:
            if s.scalar(select(User.id).where(User.username == username)) is not None:
                raise StoreError(f"用户 {username} 已存在")
        unit_id = self.ensure_unit(unit) if unit else None
        try:
            with self.session() as s:
                user = User(username=username, password_hash=password_hash(), role=role,
                            unit_id=unit_id, display_name=(display_name or "").strip()[:200] or username,
                            must_change_password=must_change_password)
                s.add(user)
                s.flush()
                return user.id
        except IntegrityError:
            raise StoreError(f"用户 {username} 已存在") from None

    def viewer(self, user_id: int) -> Viewer:
        with self.session() as s:
            user = s.get(User, user_id)
            if user is None or not user.active:
                raise AccessDenied("用户不存在或已停用")
            return viewer_of(user)

    def users(self) -> list[dict[str, Any]]:
        with self.session() as s:
            rows = s.execute(
                select(User.id, User.username, User.display_name, User.role, Unit.name, User.active)
                .outerjoin(Unit, Unit.id == User.unit_id).order_by(User.username)
            ).all()
            return [{"id": i, "username": u, "display_name": d, "role": r, "unit": n, "active": a}
                    for i, u, d, r, n, a in rows]

    def reviewers(self) -> list[dict[str, Any]]:
        return [u for u in self.users() if u["role"] in ("reviewer", "admin")]

    # ------------------------------------------------------------------ batches and files
    def create_batch(self, unit: str, name: str | None = None, viewer: Viewer | None = None) -> int:
        """A new batch for ``unit`` (or the existing one of that name: re-running an ingest
        with the same ``--batch`` resumes it). An uploader may hand in only for their unit."""
        unit = valid_name(unit, "单位名称", 200)
        if viewer is not None and not viewer.sees_all_units and viewer.unit_name != unit:
            raise AccessDenied("只能为本单位上传")
        unit_id = self.ensure_unit(unit)
        name = valid_name(name or datetime.now().strftime("%Y-%m-%d %H:%M:%S"), "批次名称", 200)
        for _ in range(2):
            try:
                with self.session() as s:
                    batch = s.scalar(select(Batch).where(Batch.unit_id == unit_id, Batch.name == name))
                    if batch is None:
                        batch = Batch(name=name, unit_id=unit_id,
                                      created_by=viewer.user_id if viewer and viewer.user_id else None)
                        s.add(batch)
                        s.flush()
                    return batch.id
            except IntegrityError:
                continue
        raise StoreError(f"无法创建批次「{name}」")

    def add_file(self, batch_id: int, path: str | Path, filename: str | None = None,
                 limits: UploadLimits | None = None) -> tuple[int, bool]:
        """Store a file's bytes once and attach it to the batch. Returns ``(document_id, fresh)``:
        ``fresh`` is False when nothing is left to do — this unit already has the same bytes
        read, or another unit had them read and the reading is reused. A file over the per-file
        limit or the unit's storage quota (``limits``, default from the environment) raises
        :class:`~contract_review.store.limits.LimitExceeded` before anything is written."""
        from .limits import UploadLimits, file_too_large

        limits = limits or UploadLimits.from_env()
        path = Path(path)
        filename = (filename or path.name)[:400]
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise file_too_large(filename, size, limits.max_file_bytes)
        sha = sha256_file(path)
        try:
            return self._add_file(batch_id, path, filename, sha, limits)
        except IntegrityError:  # another process stored the same bytes at the same moment
            return self._add_file(batch_id, path, filename, sha, limits)

    def unit_bytes(self, unit_id: int) -> int:
        """Bytes of the files a unit has handed in (each distinct file once): its quota use."""
        with self.session() as s:
            return self._unit_bytes(s, unit_id)

    @staticmethod
    def _unit_bytes(s: Session, unit_id: int) -> int:
        return int(s.scalar(select(func.coalesce(func.sum(StoredFile.size), 0))
                            .join(Document, Document.file_sha256 == StoredFile.sha256)
                            .where(Document.unit_id == unit_id)) or 0)

    def _add_file(self, batch_id: int, path: Path, filename: str, sha: str,
                  limits: UploadLimits) -> tuple[int, bool]:
        from .limits import quota_exceeded

        with self.session() as s:
            batch = _get(s, Batch, batch_id, f"批次 {batch_id} 不存在")
            if s.scalar(select(Document.id).where(Document.unit_id == batch.unit_id,
                                                  Document.file_sha256 == sha)) is None:
                size = path.stat().st_size  # new to this unit: it counts against the quota
                used = self._unit_bytes(s, batch.unit_id)
                if used + size > limits.unit_quota_bytes:
                    raise quota_exceeded(filename, size, used, limits.unit_quota_bytes)
            if s.get(StoredFile, sha) is None:
                rel = Path("files") / sha[:2] / (sha + path.suffix.lower()[:10])
                dest = self.data_dir / rel
                if not dest.exists():  # named by its hash: an existing file has these very bytes
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with tempfile.NamedTemporaryFile(dir=dest.parent, prefix=sha, suffix=".part", delete=False) as tmp:
                        with open(path, "rb") as src:
                            shutil.copyfileobj(src, tmp, 1 << 20)
                    Path(tmp.name).replace(dest)
                s.add(StoredFile(sha256=sha, size=dest.stat().st_size, path=rel.as_posix(), first_name=filename))
                s.flush()
            doc = s.scalar(select(Document).where(Document.unit_id == batch.unit_id, Document.file_sha256 == sha))
            reused = doc is not None
            if doc is None:
                doc = Document(unit_id=batch.unit_id, file_sha256=sha, filename=filename, batch_id=batch.id,
                               status="queued", attempts=0)
                _copy_reading(s, doc)
                s.add(doc)
                s.flush()
            elif doc.status == "failed" and doc.content is None:
                doc.attempts = 0  # a crash, not the file's fault: handed in again, try again
            if s.get(BatchItem, (batch.id, doc.id)) is None:
                s.add(BatchItem(batch_id=batch.id, document_id=doc.id, filename=filename,
                                reused=reused and doc.batch_id != batch.id))
            fresh = _needs_reading(doc)
            if fresh and batch.status in ("ready", "failed"):
                batch.status = "queued"
            return doc.id, fresh

    def file_path(self, viewer: Viewer, sha256: str) -> Path:
        """Where the stored bytes of ``sha256`` are, for a viewer who may see a document made of
        them (an uploader: one of their unit's). Raises AccessDenied otherwise — also when no
        such file exists, so an uploader learns nothing of other units' files — and KeyError
        when a viewer who sees every unit asks for a file that is not stored."""
        with self.session() as s:
            stored = s.get(StoredFile, sha256)
            if not viewer.sees_all_units:
                mine = s.scalar(select(Document.id).where(Document.file_sha256 == sha256,
                                                          Document.unit_id == _own_unit(viewer)).limit(1))
                if stored is None or mine is None:
                    raise AccessDenied("无权查看其他单位的文件")
            if stored is None:
                raise KeyError(sha256)
            return self.data_dir / stored.path

    def pending(self, batch_id: int) -> list[tuple[int, Path, str]]:
        """``(document_id, stored path, filename)`` of the batch's documents still to be read:
        queued, left half-done by a crash, or whose reading crashed (fewer than
        :data:`MAX_ATTEMPTS` times)."""
        with self.session() as s:
            rows = s.execute(
                select(Document.id, StoredFile.path, BatchItem.filename)
                .join(BatchItem, BatchItem.document_id == Document.id)
                .join(StoredFile, StoredFile.sha256 == Document.file_sha256)
                .where(BatchItem.batch_id == batch_id, _pending_clause())
                .order_by(Document.id)
            ).all()
            return [(i, self.data_dir / p, n) for i, p, n in rows]

    def set_batch_status(self, batch_id: int, status: str, error: str | None = None) -> None:
        if status not in BATCH_STATES:
            raise ValueError(f"unknown batch status {status!r}")
        with self.session() as s:
            batch = _get(s, Batch, batch_id, f"批次 {batch_id} 不存在")
            batch.status = status
            batch.error = error
            if status == "processing":
                batch.started_at = batch.started_at or utcnow()
                batch.finished_at = None
            if status in ("ready", "failed"):
                batch.finished_at = utcnow()

    def mark_processing(self, document_id: int) -> None:
        """The document's reading starts (one attempt more: a file that crashes every run is
        given up after :data:`MAX_ATTEMPTS`)."""
        with self.session() as s:
            done = s.execute(update(Document).where(Document.id == document_id)
                             .values(status="processing", attempts=Document.attempts + 1)).rowcount
            if not done:
                raise StoreError(f"文件 {document_id} 不存在")

    def save_read(self, document_id: int, document: IngestDocument, seconds: float | None = None) -> None:
        """Keep what ingest read (an ``ingest.Document``); a failed reading keeps its error.
        The stored file's name (its hash) is replaced by the name people handed in."""
        with self.session() as s:
            doc = _get(s, Document, document_id, f"文件 {document_id} 不存在")
            for key, value in _reading(doc.filename, document, seconds).items():
                setattr(doc, key, value)

    # ------------------------------------------------------------------ reading on other machines
    def share_file(self, document_id: int) -> None:
        """Put the document's stored bytes into the database (once per file), so a reading
        worker on any machine can fetch them through the store (:meth:`fetch_file`)."""
        with self.session() as s:
            doc = _get(s, Document, document_id, f"文件 {document_id} 不存在")
            if s.get(FileContent, doc.file_sha256) is not None:
                return
            stored = _get(s, StoredFile, doc.file_sha256, f"文件 {document_id} 的内容不存在")
            s.add(FileContent(sha256=stored.sha256, content=(self.data_dir / stored.path).read_bytes()))
        # another process sharing the same file at the same moment: the primary key keeps one

    def fetch_file(self, document_id: int) -> tuple[bytes, str, str] | None:
        """``(bytes, filename, suffix)`` of a document still to be read, from the database, or
        None when it needs no reading any more (already read: the task was delivered again)."""
        with self.session() as s:
            row = s.execute(select(FileContent.content, Document.filename, StoredFile.path, Document.content)
                            .join(Document, Document.file_sha256 == FileContent.sha256)
                            .join(StoredFile, StoredFile.sha256 == FileContent.sha256)
                            .where(Document.id == document_id)).first()
            if row is None:
                raise KeyError(f"文件 {document_id} 的内容未共享 (not shared)")
            content, filename, path, read = row
            if read is not None:
                return None
            return bytes(content), filename, Path(path).suffix

    def save_read_once(self, document_id: int, document: IngestDocument, seconds: float | None = None) -> bool:
        """:meth:`save_read` only when the document has no reading yet — keyed by the document
        id, one atomic conditional update: of two deliveries of the same task, one saves and the
        other returns False."""
        return self.keep_reading(document_id, document, seconds)[0]

    def keep_reading(self, document_id: int, document: IngestDocument, seconds: float | None = None
                     ) -> tuple[bool, str, dict[str, Any]]:
        """:meth:`save_read_once` for a batch worker that goes on with the reading: whether it
        was saved, the document's filename and the content as stored (``document`` itself is
        renamed as stored: its source name and messages say the filename)."""
        with self.session() as s:
            filename = s.scalar(select(Document.filename).where(Document.id == document_id))
            if filename is None:
                raise KeyError(f"文件 {document_id} 不存在")
            values = _reading(filename, document, seconds)
            saved = bool(s.execute(update(Document).where(Document.id == document_id, Document.content.is_(None))
                                   .values(**values)).rowcount)
            return saved, filename, values["content"]

    def save_failure(self, document_id: int, code: str, message: str) -> None:
        """A reading that crashed (no Document came back): tried again on the next run."""
        with self.session() as s:
            doc = _get(s, Document, document_id, f"文件 {document_id} 不存在")
            doc.status, doc.error_code, doc.error_message = "failed", code[:60], message

    def batch_progress(self, batch_id: int, viewer: Viewer | None = None) -> dict[str, Any]:
        """The batch with counts per document state and one item per file handed in. Raises
        KeyError when absent, AccessDenied for an uploader of another unit."""
        with self.session() as s:
            batch = s.get(Batch, batch_id)
            if batch is None:
                raise KeyError(batch_id)
            _require_unit(viewer, batch.unit_id)
            rows = s.execute(
                select(BatchItem.filename, BatchItem.reused, Document.id, Document.status, Document.error_code,
                       Document.error_message, Document.pages, Document.read_seconds, Agreement.id)
                .join(Document, Document.id == BatchItem.document_id)
                .outerjoin(Agreement, Agreement.document_id == Document.id)
                .where(BatchItem.batch_id == batch_id)
                .order_by(BatchItem.filename)
            ).all()
            counts = Counter(r[3] for r in rows)
            return {
                "id": batch.id, "name": batch.name, "unit": batch.unit.name, "unit_id": batch.unit_id,
                "status": batch.status, "error": batch.error, "created_at": batch.created_at,
                "started_at": batch.started_at, "finished_at": batch.finished_at, "total": len(rows),
                "queued": counts["queued"], "processing": counts["processing"], "read": counts["read"],
                "failed": counts["failed"],
                "items": [
                    {"filename": r[0], "reused": r[1], "document_id": r[2], "status": r[3], "error_code": r[4],
                     "error_message": r[5], "pages": r[6], "seconds": r[7], "agreement_id": r[8]}
                    for r in rows
                ],
            }

    def batches(self, viewer: Viewer, limit: int = 50) -> list[dict[str, Any]]:
        """The newest batches the viewer may see, with their progress."""
        with self.session() as s:
            stmt = select(Batch.id).order_by(Batch.id.desc()).limit(limit)
            if not viewer.sees_all_units:
                stmt = stmt.where(Batch.unit_id == _own_unit(viewer))
            ids = list(s.scalars(stmt))
        return [self.batch_progress(i, viewer) for i in ids]

    def unit_of_batch(self, batch_id: int) -> int:
        with self.session() as s:
            return _get(s, Batch, batch_id, f"批次 {batch_id} 不存在").unit_id

    # ------------------------------------------------------------------ configuration
    def config(self, kind: str) -> dict[str, Any] | None:
        """The profile (``kind='profile'``, YAML) or market reference (``'market'``, CSV) in force."""
        with self.session() as s:
            row = s.scalar(select(ConfigVersion).where(ConfigVersion.kind == kind).order_by(ConfigVersion.id.desc()))
            if row is None:
                return None
            return {"id": row.id, "content": row.content, "filename": row.filename, "created_at": row.created_at,
                    "user_id": row.user_id}

    def config_history(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Every uploaded version of the profile / market reference, newest first."""
        with self.session() as s:
            stmt = (select(ConfigVersion, User).outerjoin(User, User.id == ConfigVersion.user_id)
                    .order_by(ConfigVersion.id.desc()))
            if kind:
                stmt = stmt.where(ConfigVersion.kind == kind)
            return [{"id": c.id, "kind": c.kind, "filename": c.filename, "created_at": c.created_at,
                     "by": (u.display_name or u.username) if u else "系统", "size": len(c.content or "")}
                    for c, u in s.execute(stmt).all()]

    def add_config_version(self, viewer: Viewer, kind: str, content: str, filename: str = "") -> int:
        """Keep a new version of the profile or market reference (it is in force from now on);
        an admin's only. The content was checked by :func:`contract_review.config_files.save_config`."""
        if not viewer.is_admin:
            raise AccessDenied("只有管理员可以修改设置")
        with self.session() as s:
            row = ConfigVersion(kind=kind, content=content, filename=filename[:400],
                                user_id=viewer.user_id or None)
            s.add(row)
            s.flush()
            return row.id

    # ------------------------------------------------------------------ checks over a unit
    def needs_check(self, unit_id: int) -> bool:
        """Whether a read document of the unit has no agreement yet (new files, or a run that
        stopped before its checks were written)."""
        with self.session() as s:
            return bool(s.scalar(select(exists().where(
                Document.unit_id == unit_id, Document.status.in_(("read", "failed")), Document.content.is_not(None),
                ~exists().where(Agreement.document_id == Document.id),
            ))))

    def read_documents(self, unit_id: int) -> Iterator[tuple[int, str, float | None, IngestDocument]]:
        """``(document_id, filename, read seconds, ingest Document)`` of every read (or failed
        with a reading) document of a unit, in id order, loaded a chunk at a time."""
        from ingest import Document as IngestDocument

        with self.session() as s:
            docs = s.execute(
                select(Document.id, Document.filename, Document.read_seconds)
                .where(Document.unit_id == unit_id, Document.status.in_(("read", "failed")),
                       Document.content.is_not(None))
                .order_by(Document.id)
            ).all()
        meta = {doc_id: (filename, seconds) for doc_id, filename, seconds in docs}
        for chunk in _chunks([d[0] for d in docs], _READ_CHUNK):
            with self.session() as s:
                rows = s.execute(select(Document.id, Document.content).where(Document.id.in_(chunk))).all()
                contents: dict[int, dict[str, Any]] = {i: c for i, c in rows if c is not None}
            for doc_id in chunk:
                if doc_id in contents:
                    yield doc_id, meta[doc_id][0], meta[doc_id][1], IngestDocument.from_dict(contents.pop(doc_id))

    def write_checked(self, unit_id: int, items: Sequence[tuple[int, str, dict[str, Any]]],
                      known_words: Mapping[str, str] | None = None) -> int:
        """Replace the machine's records and findings of a unit's agreements by ``items``
        (``(document_id, filename, record)``); reviewer corrections, finding reviews and
        decisions are untouched. ``known_words`` holds search words cut elsewhere (a batch
        worker's :func:`search_words`): used for the agreements whose searchable text is the
        one they were cut from. Returns the number written."""
        try:
            return self._write_checked(unit_id, items, known_words)
        except IntegrityError:  # another run wrote this unit's agreements at the same moment
            return self._write_checked(unit_id, items, known_words)

    def _write_checked(self, unit_id: int, items: Sequence[tuple[int, str, dict[str, Any]]],
                       known_words: Mapping[str, str] | None = None) -> int:
        now = utcnow()
        with self.session() as s:
            by_doc = {a.document_id: a for a in s.scalars(
                select(Agreement).where(Agreement.unit_id == unit_id).options(selectinload(Agreement.findings)))}
            doc_states = dict(s.execute(select(Document.id, Document.status)
                                        .where(Document.id.in_([i for i, _, _ in items]))).all()) if items else {}
            rows: list[Agreement] = []
            for doc_id, filename, record in items:
                row = by_doc.get(doc_id)
                if row is None:
                    row = Agreement(document_id=doc_id, unit_id=unit_id, record=record, status="pending")
                    s.add(row)
                row.record = record
                row.agreement_type = record["agreement_type"]
                row.title, row.counterparty = _names(filename, record["fields"])
                row.risk_score = float(record["risk_score"] or 0.0)
                row.disposition = record["disposition"]
                if not row.version:  # no decision yet: a file nobody can review is sent back, not proposed
                    unusable = states.resubmission_reason(record, doc_states.get(doc_id))
                    row.status = "resubmit" if unusable else "pending"
                    if unusable:
                        row.disposition = ""
                row.checks = "," + ",".join(sorted({f["check"] for f in record["findings"]})) + ","
                row.checked_at = now
                row.findings.clear()
                rows.append(row)
            s.flush()
            for row, (_, _, record) in zip(rows, items, strict=True):
                for f in record["findings"]:
                    related = []
                    for r in f.get("related") or []:
                        i = r.get("index")
                        if isinstance(i, int) and 0 <= i < len(rows):
                            related.append({"agreement_id": rows[i].id, "filename": items[i][1],
                                            "sha256": r.get("sha256")})
                    row.findings.append(Finding(
                        check=f["check"], severity=f["severity"], disposition=f["disposition"], score=f["score"],
                        title=_clean(f["title"], 400), explanation=f["explanation"], basis=f["basis"],
                        evidence=f["evidence"], related=related,
                    ))
            _index_for_search(s, [row.id for row in rows], known_words)
            return len(rows)

    # ------------------------------------------------------------------ the queue
    @staticmethod
    def _scoped(stmt: _Stmt, viewer: Viewer) -> _Stmt:
        if not viewer.sees_all_units:
            stmt = stmt.where(Agreement.unit_id == _own_unit(viewer))
        return stmt

    def _filtered(self, stmt: _Stmt, viewer: Viewer, *, unit_id: int | None = None,
                  agreement_type: str | None = None, check: str | None = None, status: str | None = None,
                  reviewer_id: int | None = None, disposition: str | None = None,
                  decision: str | None = None, search: str | None = None, assignee_id: int | None = None,
                  has_findings: bool | None = None) -> _Stmt:
        stmt = self._scoped(stmt, viewer)
        if unit_id is not None:
            stmt = stmt.where(Agreement.unit_id == unit_id)
        if agreement_type:
            stmt = stmt.where(Agreement.agreement_type == agreement_type)
        if check:
            stmt = stmt.where(Agreement.checks.contains(f",{check},", autoescape=True))
        if status:
            stmt = stmt.where(Agreement.status == status)
        if reviewer_id is not None:
            stmt = stmt.where(Agreement.reviewer_id == reviewer_id)
        if disposition:  # the machine's proposal
            stmt = stmt.where(Agreement.disposition == disposition)
        if decision:  # the decision in force
            stmt = stmt.where(Agreement.decision == decision)
        if assignee_id is not None:
            stmt = stmt.where(Agreement.assignee_id == assignee_id)
        if has_findings is not None:
            none = Agreement.checks.in_(("", ",", ",,"))  # written as "," + ",".join(ids) + ","
            stmt = stmt.where(~none) if has_findings else stmt.where(none)
        if search and search.strip():
            stmt = stmt.where(_search_clause(search.strip()))
        return stmt

    @staticmethod
    def _queue_order(stmt: _Stmt, sort: str | None = None) -> _Stmt:
        """The whole filtered set in one of :data:`QUEUE_SORTS` (an unknown name, as a hand-edited
        URL may carry, is the default). ``severity`` and ``risk``: files to hand in again first
        (nobody knows their risk: they need a new scan or the right file), then void decisions
        awaiting 复核, then pending, then decided; among them, files that could not be read first,
        then — ``severity`` — the machine's proposal from void to compliant, then the highest
        risk. The agreement's id breaks ties, so the order is stable from page to page."""
        if sort == "newest":
            return stmt.order_by(Agreement.id.desc())
        doc = aliased(Document)
        unreadable = (
            select(func.count(doc.id))
            .where(doc.id == Agreement.document_id, doc.status == "failed")
            .correlate(Agreement)
            .scalar_subquery()
        )
        state = case({"resubmit": 0, "second_review": 1, "pending": 2}, value=Agreement.status, else_=3)
        keys: list[Any] = [state, unreadable.desc()]
        if sort != "risk":
            keys.append(case({d: i for i, d in enumerate(SEVERITY_ORDER)}, value=Agreement.disposition,
                             else_=len(SEVERITY_ORDER)))
        return stmt.order_by(*keys, Agreement.risk_score.desc(), Agreement.id)

    def queue(self, viewer: Viewer, *, offset: int = 0, limit: int = 50, sort: str | None = None,
              **filters: Any) -> tuple[list[dict[str, Any]], int]:
        """A page of the queue in ``sort`` order (:data:`QUEUE_SORTS`, default ``severity``) and
        the number of rows matching the filters (``unit_id``, ``agreement_type``, ``check``,
        ``status``, ``reviewer_id``, ``disposition`` — the machine's proposal —, ``decision`` —
        the decision in force —, ``search``). With a search, each row's ``snippet`` is where the
        words were found: ``[(text, is_hit), ...]`` (:func:`search.snippet`; ``[]`` for a hit in
        the file name alone)."""
        with self.session() as s:
            total = s.scalar(self._filtered(select(func.count(Agreement.id)), viewer, **filters))
            stmt = self._filtered(
                select(Agreement.id, Unit.name, Document.filename, Agreement.title, Agreement.agreement_type,
                       Agreement.counterparty, Agreement.risk_score, Agreement.disposition, Agreement.checks,
                       Agreement.status, Agreement.decision, User.display_name, Agreement.decided_at,
                       Document.status)
                .join(Unit, Unit.id == Agreement.unit_id)
                .join(Document, Document.id == Agreement.document_id)
                .outerjoin(User, User.id == Agreement.reviewer_id),
                viewer, **filters)
            rows = [
                {"id": r[0], "unit": r[1], "filename": r[2], "title": r[3], "agreement_type": r[4],
                 "counterparty": r[5], "risk_score": r[6], "disposition": r[7],
                 "checks": [c for c in r[8].split(",") if c], "status": r[9], "decision": r[10],
                 "reviewer": r[11], "decided_at": r[12], "document_status": r[13]}
                for r in s.execute(self._queue_order(stmt, sort).offset(offset).limit(limit)).all()
            ]
            term = (filters.get("search") or "").strip()
            if term and rows:  # where the words were found, for the queue to show highlighted
                bodies = dict(s.execute(select(SearchDoc.agreement_id, SearchDoc.body)
                                        .where(SearchDoc.agreement_id.in_([r["id"] for r in rows]))).all())
                for r in rows:
                    r["snippet"] = fulltext.snippet(bodies.get(r["id"], ""), term)
            return rows, int(total or 0)

    def queue_ids(self, viewer: Viewer, sort: str | None = None, **filters: Any) -> list[int]:
        """Every id of the filtered queue, in queue order (next/previous on the detail page)."""
        with self.session() as s:
            return list(s.scalars(self._queue_order(self._filtered(select(Agreement.id), viewer, **filters), sort)))

    def counts(self, viewer: Viewer, sort: str | None = None, **filters: Any) -> dict[str, int]:
        """Rows matching the filters, pending and decided (``sort`` is accepted and has no
        effect, so the queue's one dict of filters and order can be handed to every method)."""
        del sort
        with self.session() as s:
            stmt = self._filtered(select(Agreement.status, func.count(Agreement.id)), viewer, **filters)
            got: dict[str, int] = {k: int(v) for k, v in s.execute(stmt.group_by(Agreement.status)).all()}
            return {"total": sum(got.values()), "pending": got.get("pending", 0), "decided": got.get("decided", 0),
                    "second_review": got.get("second_review", 0), "resubmit": got.get("resubmit", 0)}

    def selection(self, viewer: Viewer, limit: int = 5000, **filters: Any) -> list[dict[str, Any]]:
        """The filtered queue (queue order) with what a bulk action needs: each row's version,
        proposal, findings and assignee."""
        with self.session() as s:
            stmt = self._filtered(
                select(Agreement.id, Agreement.version, Unit.name, Document.filename, Agreement.title,
                       Agreement.disposition, Agreement.checks, Agreement.risk_score, Agreement.status,
                       Agreement.assignee_id)
                .join(Unit, Unit.id == Agreement.unit_id).join(Document, Document.id == Agreement.document_id),
                viewer, **filters)
            names = dict(s.execute(select(User.id, User.display_name)).all())
            return [{"id": r[0], "version": r[1], "unit": r[2], "filename": r[3], "title": r[4], "disposition": r[5],
                     "checks": [c for c in r[6].split(",") if c], "risk_score": r[7], "status": r[8],
                     "assignee_id": r[9], "assignee": names.get(r[9]) if r[9] else None}
                    for r in s.execute(self._queue_order(stmt).limit(limit)).all()]

    def todo(self, viewer: Viewer) -> dict[str, list[dict[str, Any]]]:
        """「我的待办」: for a reviewer, the undecided agreements assigned to them and the void
        decisions of other reviewers awaiting their 复核; for an uploader, the files sent back
        to their unit with the reason."""
        out: dict[str, list[dict[str, Any]]] = {"assigned": [], "second_review": [], "returned": []}
        if viewer.can_review:
            out["assigned"] = [r for r in self.selection(viewer, assignee_id=viewer.user_id)
                               if r["status"] in ("pending", "second_review")]
            with self.session() as s:
                waiting = list(s.scalars(self._filtered(select(Agreement.id), viewer, status="second_review")))
                mine = {aid for aid, uid in s.execute(
                    select(Agreement.id, Agreement.reviewer_id).where(Agreement.id.in_(waiting))).all()
                    if uid == viewer.user_id}
            out["second_review"] = [r for r in self.selection(viewer, status="second_review") if r["id"] not in mine]
        with self.session() as s:
            stmt = self._scoped(
                select(ReviewNote.agreement_id, ReviewNote.text, ReviewNote.created_at, User.display_name,
                       Document.filename, Agreement.status)
                .join(Agreement, Agreement.id == ReviewNote.agreement_id)
                .join(Document, Document.id == Agreement.document_id)
                .join(User, User.id == ReviewNote.user_id)
                .where(ReviewNote.kind == "returned"), viewer).order_by(ReviewNote.created_at.desc())
            out["returned"] = [{"id": r[0], "reason": r[1], "at": r[2], "by": r[3], "filename": r[4], "status": r[5]}
                               for r in s.execute(stmt).all()]
        return out

    # ------------------------------------------------------------------ one agreement
    def agreement(self, viewer: Viewer, agreement_id: int) -> dict[str, Any]:
        """Everything the detail page shows: the machine's fields next to the reviewers'
        corrections, the findings with their reviews, the decisions and the whole history.
        Raises KeyError when absent, AccessDenied when the viewer may not see it (an uploader
        asking for another unit's agreement)."""
        with self.session() as s:
            a = s.get(Agreement, agreement_id, options=[selectinload(Agreement.findings)])
            if a is None:
                raise KeyError(agreement_id)
            _require_unit(viewer, a.unit_id)
            history = _History(s, [a.id])
            in_force = history.in_force(a.id)
            doc = a.document
            findings = []
            visible = _visible_ids(s, viewer, {r.get("agreement_id") for f in a.findings for r in f.related})
            for f in a.findings:
                findings.append({
                    "check": f.check, "label": CHECK_LABELS.get(f.check, f.check), "severity": f.severity,
                    "disposition": f.disposition, "score": f.score, "title": f.title, "explanation": f.explanation,
                    "basis": f.basis, "evidence": f.evidence,
                    "related": [r for r in f.related if r.get("agreement_id") in visible],
                    "review": history.review_state(a.id).get(f.check),
                })
            return {
                "id": a.id, "unit": a.unit.name, "unit_id": a.unit_id, "filename": doc.filename,
                "file_sha256": doc.file_sha256, "file_path": self.data_dir / doc.file.path,
                "document_id": doc.id, "document_status": doc.status, "document_content": doc.content,
                "error_code": doc.error_code, "error_message": doc.error_message, "pages": doc.pages,
                "record": a.record, "title": a.title, "agreement_type": a.agreement_type,
                "risk_score": a.risk_score, "disposition": a.disposition,
                "disposition_reason": a.record.get("disposition_reason", ""),
                # the decision in force and the version to decide on, from the history shown
                "status": "resubmit" if not a.version and a.status == "resubmit" else in_force["status"],
                "decision": in_force["decision"], "reviewer": in_force["reviewer"],
                "decided_at": in_force["decided_at"], "version": in_force["version"], "checked_at": a.checked_at,
                "decided_by_id": in_force["reviewer_id"],
                "fields": history.fields(a.id, a.record), "findings": findings,
                "decisions": history.decisions_of(a.id), "history": history.timeline(a.id),
                "rectification": _rectifications(s, [a.id]).get((a.id, in_force["version"])),
                "notes": history.notes_of(a.id),
                "assignee_id": a.assignee_id, "assignee": history.name(a.assignee_id) if a.assignee_id else None,
                "resubmit_reason": (states.resubmission_reason(a.record, doc.status) or "已退回单位重新提交")
                if not a.version and a.status == "resubmit" else None,
            }

    def _reviewable(self, s: Session, viewer: Viewer, agreement_id: int) -> Agreement:
        if not viewer.can_review or not viewer.user_id:
            raise AccessDenied("只有审查员或管理员可以审查")
        a = s.get(Agreement, agreement_id)
        if a is None:
            raise KeyError(agreement_id)
        _require_unit(viewer, a.unit_id)
        return a

    def correct(self, viewer: Viewer, agreement_id: int, field: str, value: str | None, note: str = "") -> None:
        """Record a reviewer's value for a field (None clears it); the machine's reading is
        kept as it was."""
        if field not in FIELD_LABELS:
            raise StoreError(f"未知字段 {field}")
        with self.session() as s:
            self._reviewable(s, viewer, agreement_id)
            s.add(Correction(agreement_id=agreement_id, field=field, value=value, note=(note or "").strip(),
                             user_id=viewer.user_id))
            s.flush()
            _index_for_search(s, [agreement_id])  # corrected values are searched

    def review_finding(self, viewer: Viewer, agreement_id: int, check: str, action: str, reason: str = "") -> None:
        """Confirm or dismiss a finding of the agreement; dismissing needs a reason."""
        if action not in FINDING_ACTIONS:
            raise StoreError(f"操作必须是 {'/'.join(FINDING_ACTIONS)} 之一")
        if action == "dismissed" and not (reason or "").strip():
            raise StoreError("排除一项发现须写明理由")
        with self.session() as s:
            a = self._reviewable(s, viewer, agreement_id)
            if check not in {f.check for f in a.findings}:
                raise StoreError(f"该协议没有「{CHECK_LABELS.get(check, check)}」这项发现")
            s.add(FindingReview(agreement_id=agreement_id, check=check, action=action, reason=(reason or "").strip(),
                                user_id=viewer.user_id))

    def decide(self, viewer: Viewer, agreement_id: int, disposition: str, note: str = "", *, version: int,
               rectification: dict[str, Any] | None = None) -> int:
        """Record a decision made on the agreement as it stood at ``version`` (the ``version`` of
        :meth:`agreement` the reviewer saw). Refused with :class:`StaleDecision` when another
        decision was recorded since. The history entry, the in-force decision and the chain
        head are written in one transaction, under the agreement's row (compare-and-set on its
        version) and the chain head's row lock, so the in-force decision is always the last
        entry of the history. ``rectification`` (optional: ``measure``, ``deadline``,
        ``responsible``) is kept with this decision. Returns the agreement's new version."""
        if disposition not in DECISIONS:
            raise StoreError(f"处理决定必须是 {'/'.join(DECISIONS)} 之一")
        plan = _rectification(rectification)
        note = (note or "").replace("\x00", "").strip()  # (PostgreSQL refuses NUL)
        with self.session() as s:
            a = self._reviewable(s, viewer, agreement_id)
            if a.status == "resubmit" and not a.version:
                raise NotDecidable("该文件需重新提交（未能读取或不是协议），不能作出处理决定；请退回单位并写明原因")
            # the entries the reviewer saw (1..version: append-only, so they cannot change)
            seen = list(s.scalars(select(Decision).where(Decision.agreement_id == agreement_id,
                                                         Decision.version <= version).order_by(Decision.version)))
            if len(seen) != version:
                raise StaleDecision(_stale_message(s, agreement_id))
            state = "second_review" if states.needs_second_review(seen, disposition, viewer.user_id) else "decided"
            now = utcnow()
            took = s.execute(
                update(Agreement).where(Agreement.id == agreement_id, Agreement.version == version)
                .values(version=Agreement.version + 1, status=state, decision=disposition,
                        reviewer_id=viewer.user_id, decided_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount
            if took != 1:
                raise StaleDecision(_stale_message(s, agreement_id))
            head = audit.head_for_update(s)
            entry = dict(seq=head.seq + 1, agreement_id=agreement_id, version=version + 1, disposition=disposition,
                         note=note, user_id=viewer.user_id, created_at=now, prev_hash=head.hash)
            digest = audit.entry_hash(**entry)
            s.add(Decision(**entry, hash=digest))
            head.seq, head.hash = entry["seq"], digest
            if plan:
                s.add(Rectification(agreement_id=agreement_id, version=version + 1, user_id=viewer.user_id, **plan))
            return version + 1

    def decide_many(self, viewer: Viewer, seen: Sequence[tuple[int, int]], disposition: str,
                    note: str = "") -> tuple[list[int], list[tuple[int, str]]]:
        """One decision per agreement of a bulk action, each at the version the reviewer saw
        (``seen``: ``(agreement_id, version)``) and in its own transaction: one history entry
        each; an agreement decided meanwhile (or not decidable) is refused alone. Returns the
        ids decided and ``(id, reason)`` of those refused."""
        done: list[int] = []
        refused: list[tuple[int, str]] = []
        for agreement_id, version in seen:
            try:
                self.decide(viewer, agreement_id, disposition, note, version=version)
            except (StoreError, KeyError) as exc:
                refused.append((agreement_id, str(exc) if isinstance(exc, StoreError) else NOT_FOUND))
            else:
                done.append(agreement_id)
        return done, refused

    def add_note(self, viewer: Viewer, agreement_id: int, kind: str, text: str) -> None:
        """A comment (anyone who sees the agreement) or a file sent back to its unit
        (``returned``: reviewers and admins; the unit sees the reason; an undecided agreement
        becomes 需重新提交)."""
        if kind not in ("comment", "returned"):
            raise StoreError(f"备注类型必须是 comment/returned 之一（{kind}）")
        text = (text or "").replace("\x00", "").strip()
        if not text:
            raise StoreError("请填写内容" if kind == "comment" else "退回须写明原因")
        with self.session() as s:
            if kind == "returned":
                a = self._reviewable(s, viewer, agreement_id)
                if a.version:
                    raise StoreError("该协议已有处理决定，不能退回")
                a.status = "resubmit"
            else:
                a = s.get(Agreement, agreement_id)
                if a is None or not viewer.user_id:
                    raise AccessDenied(NOT_FOUND)
                _require_unit(viewer, a.unit_id)
            s.add(ReviewNote(agreement_id=agreement_id, kind=kind, text=text, user_id=viewer.user_id))

    def assign(self, viewer: Viewer, agreement_ids: Iterable[int], reviewer_id: int | None) -> int:
        """An admin assigns agreements to a reviewer (None: unassigns); recorded in each one's
        history. Returns how many changed."""
        if not viewer.is_admin or not viewer.user_id:
            raise AccessDenied("只有管理员可以分配审查任务")
        with self.session() as s:
            name = "（取消分配）"
            if reviewer_id is not None:
                user = s.get(User, reviewer_id)
                if user is None or user.role not in ("reviewer", "admin") or not user.active:
                    raise StoreError("只能分配给在用的审查员或管理员")
                name = user.display_name or user.username
            changed = 0
            for chunk in _chunks(list(agreement_ids), _IN_CHUNK):
                for a in s.scalars(select(Agreement).where(Agreement.id.in_(chunk))):
                    if a.assignee_id != reviewer_id:
                        a.assignee_id = reviewer_id
                        s.add(ReviewNote(agreement_id=a.id, kind="assigned", text=name, user_id=viewer.user_id))
                        changed += 1
            return changed

    def audit_report(self) -> audit.AuditReport:
        """Check the decision history's hash chain and every in-force decision against it."""
        with self.session() as s:
            return audit.verify(s)

    # ------------------------------------------------------------------ ledger and statistics
    def ledger_items(self, viewer: Viewer, sort: str | None = None, **filters: Any) -> list[dict[str, Any]]:
        """What the ledger is made of, one item per agreement of the filtered queue in queue order
        (:func:`contract_review.ledger.ledger_rows` lays each out): the unit's name, the file's
        name, status and reading error, the machine's type, proposal and risk, the fields (the
        machine's reading beside the latest correction, as on the detail page; none for a file
        that could not be read), the latest review of each finding, the findings
        (``check, title, evidence``), the decision in force and its rectification (or None)."""
        items: list[dict[str, Any]] = []
        with self.session() as s:
            ids = list(s.scalars(self._queue_order(self._filtered(select(Agreement.id), viewer, **filters), sort)))
            units = dict(s.execute(select(Unit.id, Unit.name)).all())
            for chunk in _chunks(ids, _IN_CHUNK):
                found = {a.id: a for a in s.scalars(
                    select(Agreement).where(Agreement.id.in_(chunk)).options(selectinload(Agreement.findings)))}
                docs = {i: (name, status, message, code) for i, name, status, message, code in s.execute(
                    select(Document.id, Document.filename, Document.status, Document.error_message, Document.error_code)
                    .where(Document.id.in_([a.document_id for a in found.values()]))).all()}
                history = _History(s, chunk)
                plans = _rectifications(s, chunk)
                for agreement_id in chunk:
                    a = found[agreement_id]
                    filename, doc_status, message, code = docs[a.document_id]
                    in_force = history.in_force(a.id)
                    items.append({
                        "unit": units[a.unit_id], "filename": filename, "document_status": doc_status,
                        "error_message": message, "error_code": code, "agreement_type": a.agreement_type,
                        "disposition": a.disposition, "risk_score": a.risk_score,
                        "fields": history.fields(a.id, a.record) if doc_status != "failed" else [],
                        "reviews": history.review_state(a.id),
                        "findings": [(f.check, f.title, f.evidence) for f in a.findings],
                        "decision": in_force, "rectification": plans.get((a.id, in_force["version"])),
                    })
        return items

    def stats_rows(self, viewer: Viewer) -> tuple[list[tuple[Any, ...]], list[datetime]]:
        """What the statistics count, read in one transaction: ``(unit, agreement type, checks,
        status, machine proposal, decision, document status)`` of every agreement the viewer sees
        (``checks`` as stored: ``,id,id,``), and when each decision on them was made (naive UTC,
        every history entry). Counted by :func:`contract_review.stats.stats_of`."""
        with self.session() as s:
            rows = [tuple(r) for r in s.execute(self._scoped(
                select(Unit.name, Agreement.agreement_type, Agreement.checks, Agreement.status,
                       Agreement.disposition, Agreement.decision, Document.status)
                .join(Unit, Unit.id == Agreement.unit_id).join(Document, Document.id == Agreement.document_id),
                viewer)).all()]
            times = list(s.scalars(self._scoped(
                select(Decision.created_at).join(Agreement, Agreement.id == Decision.agreement_id), viewer)))
        return rows, times


# ---------------------------------------------------------------------- review history
class _History:
    """The append-only rows (corrections, finding reviews, decisions) of some agreements,
    loaded at once, and the views built from them."""

    def __init__(self, s: Session, agreement_ids: Sequence[int]):
        self.corrections = _by_agreement(s, Correction, agreement_ids)
        self.reviews = _by_agreement(s, FindingReview, agreement_ids)
        self.decisions = _by_agreement(s, Decision, agreement_ids)
        self.notes = _by_agreement(s, ReviewNote, agreement_ids)
        self.names: dict[int, str] = dict(s.execute(select(User.id, User.display_name)).all())

    def name(self, user_id: int) -> str:
        return self.names.get(user_id) or f"#{user_id}"

    def fields(self, agreement_id: int, record: dict[str, Any]) -> list[dict[str, Any]]:
        """Every field: the machine's reading, the latest correction and the value in force."""
        latest = {c.field: c for c in self.corrections[agreement_id]}
        out = []
        for name, machine in record["fields"].items():
            c = latest.get(name)
            out.append({
                "name": name, "label": FIELD_LABELS.get(name, name), "machine": machine,
                "correction": None if c is None else {"value": c.value, "note": c.note, "by": self.name(c.user_id),
                                                      "at": c.created_at},
                "value": c.value if c else (machine or {}).get("value"),
            })
        return out

    def review_state(self, agreement_id: int) -> dict[str, dict[str, Any]]:
        """The latest review of each check."""
        return {r.check: {"action": r.action, "reason": r.reason, "by": self.name(r.user_id), "at": r.created_at}
                for r in self.reviews[agreement_id]}

    def notes_of(self, agreement_id: int) -> list[dict[str, Any]]:
        return [{"kind": n.kind, "text": n.text, "by": self.name(n.user_id), "at": n.created_at}
                for n in self.notes[agreement_id]]

    def decisions_of(self, agreement_id: int) -> list[dict[str, Any]]:
        return [{"disposition": d.disposition, "label": DISPOSITION_LABELS.get(d.disposition, d.disposition),
                 "note": d.note, "by": self.name(d.user_id), "at": d.created_at, "version": d.version}
                for d in self.decisions[agreement_id]]

    def in_force(self, agreement_id: int) -> dict[str, Any]:
        """The decision in force: the last entry of the history, and the version it made (what
        a reviewer who sees it must hand back to :meth:`Store.decide`). Taken from the history
        as loaded, so it cannot disagree with the history shown beside it."""
        rows = self.decisions[agreement_id]
        if not rows:
            return {"status": "pending", "decision": None, "reviewer_id": None, "reviewer": None,
                    "decided_at": None, "note": "", "version": 0}
        last = rows[-1]
        return {"status": states.decided_state(rows), "decision": last.disposition, "reviewer_id": last.user_id,
                "reviewer": self.name(last.user_id), "decided_at": last.created_at, "note": last.note,
                "version": last.version}

    def timeline(self, agreement_id: int) -> list[dict[str, Any]]:
        """Who did what when and why, oldest first."""
        items = [
            {"at": c.created_at, "by": self.name(c.user_id), "what": "更正",
             "detail": f"{FIELD_LABELS.get(c.field, c.field)} → {c.value if c.value is not None else '（清空）'}",
             "why": c.note}
            for c in self.corrections[agreement_id]
        ] + [
            {"at": r.created_at, "by": self.name(r.user_id),
             "what": "确认发现" if r.action == "confirmed" else "排除发现",
             "detail": CHECK_LABELS.get(r.check, r.check), "why": r.reason}
            for r in self.reviews[agreement_id]
        ] + [
            {"at": d.created_at, "by": self.name(d.user_id), "what": "处理决定",
             "detail": DISPOSITION_LABELS.get(d.disposition, d.disposition), "why": d.note}
            for d in self.decisions[agreement_id]
        ] + [
            {"at": n.created_at, "by": self.name(n.user_id), "what": _NOTE_WHAT[n.kind],
             "detail": n.text if n.kind == "assigned" else "", "why": "" if n.kind == "assigned" else n.text}
            for n in self.notes[agreement_id]
        ]
        return sorted(items, key=lambda h: h["at"])


_NOTE_WHAT = {"comment": "评论", "returned": "退回单位", "assigned": "分配审查人"}


# ---------------------------------------------------------------------- helpers
def valid_name(value: str | None, what: str, limit: int) -> str:
    """A name for a bounded column: no NUL, trimmed, not empty, at most ``limit`` characters."""
    value = (value or "").replace("\x00", "").strip()
    if not value:
        raise StoreError(f"{what}不能为空")
    if len(value) > limit:
        raise StoreError(f"{what}过长（最多 {limit} 个字符）")
    return value




def _own_unit(viewer: Viewer) -> int:
    """An uploader's unit id (-1, matching nothing, for an account without a unit)."""
    return viewer.unit_id if viewer.unit_id is not None else -1


def _require_unit(viewer: Viewer | None, unit_id: int) -> None:
    if viewer is not None and not viewer.sees_all_units and _own_unit(viewer) != unit_id:
        raise AccessDenied("无权查看其他单位的协议")


def _visible_ids(s: Session, viewer: Viewer, ids: Iterable[Any]) -> set[int]:
    wanted = [i for i in ids if isinstance(i, int)]
    if not wanted:
        return set()
    stmt = select(Agreement.id).where(Agreement.id.in_(wanted))
    return set(s.scalars(Store._scoped(stmt, viewer)))


def _get(s: Session, model: type[T], key: Any, message: str) -> T:
    row = s.get(model, key)
    if row is None:
        raise StoreError(message)
    return row


def _search_clause(term: str) -> Any:
    """Rows whose indexed words hold every word of ``term`` (full-text: FTS5 on SQLite, text
    search on PostgreSQL), or whose text holds ``term`` as typed (part of a word jieba keeps
    whole: 建国 in 王建国), or whose file name, asset or counterparty does."""
    words = fulltext.query_words(term)
    clauses = [
        Agreement.title.contains(term, autoescape=True),
        Agreement.counterparty.contains(term, autoescape=True),
        Agreement.document_id.in_(select(Document.id).where(Document.filename.contains(term, autoescape=True))),
        Agreement.id.in_(select(SearchDoc.agreement_id).where(SearchDoc.body.contains(term, autoescape=True))),
    ]
    if words:
        clauses.append(_FullText(words))
    return or_(*clauses)


class _FullText(ColumnElement[bool]):
    """``agreements.id`` among the agreements whose indexed words hold every one of ``words``,
    compiled for the database at hand (the index is the migration's: ``0007_search``)."""

    inherit_cache = False
    type = Boolean()

    def __init__(self, words: Sequence[str]):
        self.words = list(words)


@compiles(_FullText, "sqlite")
def _fulltext_sqlite(element: _FullText, compiler: Any, **kw: Any) -> str:
    column = compiler.process(Agreement.id, **kw)
    match = compiler.process(bindparam("fts_query", fulltext.fts5_query(element.words), unique=True), **kw)
    table = SEARCH_FTS_TABLE
    return f"{column} IN (SELECT rowid FROM {table} WHERE {table} MATCH {match})"


@compiles(_FullText, "postgresql")
def _fulltext_postgresql(element: _FullText, compiler: Any, **kw: Any) -> str:
    column = compiler.process(Agreement.id, **kw)
    query = compiler.process(bindparam("ts_query", " ".join(element.words), unique=True), **kw)
    return (f"{column} IN (SELECT agreement_id FROM search_docs "
            f"WHERE {SEARCH_PG_VECTOR} @@ plainto_tsquery('simple', {query}))")


def _names(filename: str, fields: dict[str, Any]) -> tuple[str, str | None]:
    """An agreement row's title (the asset, else the file name) and counterparty."""
    return (_clean(_field_value(fields, "asset") or filename, 400),
            _clean(_field_value(fields, "counterparty"), 400) or None)


def _body_key(body: str) -> str:
    return hashlib.blake2b(body.encode("utf-8"), digest_size=16).hexdigest()


def search_words(filename: str, record: dict[str, Any]) -> tuple[str, str]:
    """``(key, words)``: the search words of an agreement with this record and no corrections,
    cut where the record was made (a batch worker), for :meth:`Store.write_checked`; the key
    names the searchable text they were cut from."""
    title, counterparty = _names(filename, record["fields"])
    body = fulltext.search_body(filename=filename, title=title, counterparty=counterparty,
                                text=record.get("text") or "")
    return _body_key(body), fulltext.tokens(body)


def _index_for_search(s: Session, agreement_ids: Sequence[int], known: Mapping[str, str] | None = None) -> None:
    """(Re)write the search text and words of these agreements: file name, asset, counterparty,
    the latest corrected value of each field and the full text as read. ``known``: words cut
    before (:func:`search_words`), by the key of the text they were cut from."""
    for chunk in _chunks(list(agreement_ids), _IN_CHUNK):
        latest: dict[int, dict[str, str | None]] = defaultdict(dict)
        for c in s.scalars(select(Correction).where(Correction.agreement_id.in_(chunk)).order_by(Correction.id)):
            latest[c.agreement_id][c.field] = c.value
        rows = s.execute(select(Agreement.id, Document.filename, Agreement.title, Agreement.counterparty,
                                Agreement.record).join(Document, Document.id == Agreement.document_id)
                         .where(Agreement.id.in_(chunk))).all()
        indexed = {d.agreement_id: d for d in s.scalars(select(SearchDoc).where(SearchDoc.agreement_id.in_(chunk)))}
        for agreement_id, filename, title, counterparty, record in rows:
            body = fulltext.search_body(filename=filename, title=title or "", counterparty=counterparty,
                                        text=(record or {}).get("text") or "",
                                        corrections=latest[agreement_id].values())
            doc = indexed.get(agreement_id)
            if doc is not None and doc.body == body:
                continue
            words = known.get(_body_key(body)) if known else None
            if words is None:
                words = fulltext.tokens(body)
            if doc is None:
                s.add(SearchDoc(agreement_id=agreement_id, body=body, tokens=words))
            else:
                doc.body, doc.tokens = body, words
        s.flush()


def _reading(filename: str, document: IngestDocument, seconds: float | None) -> dict[str, Any]:
    """A document row's columns for what ingest read; the stored file's name (its hash) in the
    Document and its messages is replaced by the name people handed in."""
    stored_name = document.source.name
    shown = Path(filename).name
    if stored_name:
        document.source.name = shown
        for error in document.errors:
            error.message = error.message.replace(stored_name, shown)
    values: dict[str, Any] = {"content": document.to_dict(), "pages": len(document.pages), "read_seconds": seconds}
    if document.status == "failed":
        first = document.errors[0] if document.errors else None
        values.update(status="failed", error_code=(first.code if first else "failed")[:60],
                      error_message=first.message if first else "无法读取 (unreadable)")
    else:
        values.update(status="read", error_code=None, error_message=None)
    return values


def _pending_clause() -> Any:
    return or_(
        Document.status.in_(("queued", "processing")),
        (Document.status == "failed") & Document.content.is_(None) & (Document.attempts < MAX_ATTEMPTS),
    )


def _needs_reading(doc: Document) -> bool:
    return doc.status in ("queued", "processing") or (
        doc.status == "failed" and doc.content is None and doc.attempts < MAX_ATTEMPTS)


def _copy_reading(s: Session, doc: Document) -> None:
    """Give a new document the reading another unit already has of the same bytes."""
    other = s.scalar(
        select(Document).where(Document.file_sha256 == doc.file_sha256, Document.status.in_(("read", "failed")),
                               Document.content.is_not(None)).order_by(Document.id).limit(1)
    )
    if other is not None:
        doc.status, doc.content, doc.pages = other.status, other.content, other.pages
        doc.read_seconds = other.read_seconds
        doc.error_code, doc.error_message = other.error_code, other.error_message


def _stale_message(s: Session, agreement_id: int) -> str:
    """Why a decision on a stale view is refused: who made the decision in force, and when."""
    last = s.execute(
        select(User.display_name, User.username, Decision.created_at)
        .join(User, User.id == Decision.user_id)
        .where(Decision.agreement_id == agreement_id).order_by(Decision.version.desc()).limit(1)
    ).first()
    if last is None:
        return "该协议的审查状态已变化，请刷新后再决定"
    name, username, at = last
    return f"该协议已由{name or username}于{local_time(at):%Y-%m-%d %H:%M:%S}作出决定，请刷新后再决定"


def _by_agreement(s: Session, model: type[_Row], agreement_ids: Sequence[int]) -> dict[int, list[_Row]]:
    """The rows of ``model`` of these agreements, oldest first, by agreement id."""
    out: dict[int, list[_Row]] = defaultdict(list)
    for row in s.scalars(select(model).where(model.agreement_id.in_(agreement_ids)).order_by(model.id)):
        out[row.agreement_id].append(row)
    return out


def _history_order(model: type[_Row]) -> Any:
    """Decisions in the order they were made (their version); other rows by id."""
    return model.version if model is Decision else model.id


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _field_value(fields: dict[str, Any], name: str) -> Any:
    return (fields.get(name) or {}).get("value")


def _clean(value: Any, limit: int) -> str:
    """Text for a bounded column: no NUL (PostgreSQL refuses it), at most ``limit`` characters."""
    return ("" if value is None else str(value)).replace("\x00", "")[:limit]


def _rectifications(s: Session, agreement_ids: Sequence[int]) -> dict[tuple[int, int], dict[str, Any]]:
    """The rectification of each (agreement, decision version) that has one."""
    return {(r.agreement_id, r.version): {"measure": r.measure, "deadline": r.deadline, "responsible": r.responsible}
            for r in s.scalars(select(Rectification).where(Rectification.agreement_id.in_(agreement_ids)))}


def _rectification(plan: dict[str, Any] | None) -> dict[str, Any] | None:
    """A decision's optional rectification, cleaned: ``measure`` (整改措施), ``deadline``
    (整改时限: a date or ``YYYY-MM-DD``), ``responsible`` (责任人); None when all are empty."""
    if not plan:
        return None
    unknown = set(plan) - {"measure", "deadline", "responsible"}
    if unknown:
        raise StoreError(f"未知的整改项目：{'、'.join(sorted(unknown))}")
    measure = _clean(plan.get("measure"), 4000).strip()
    responsible = _clean(plan.get("responsible"), 200).strip()
    raw = plan.get("deadline")
    deadline = as_date(raw)
    if raw not in (None, "") and deadline is None:
        raise StoreError(f"整改时限「{raw}」不是有效日期（应为 YYYY-MM-DD）")
    if not (measure or responsible or deadline):
        return None
    return {"measure": measure, "deadline": deadline, "responsible": responsible}
