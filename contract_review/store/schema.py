"""The review store's tables (SQLAlchemy 2 declarative).

What the machine read and what people said are kept apart: ``agreements.record`` is the
pipeline's record (``contract-review/agreement@1``) and is only ever replaced by the machine;
reviewer corrections, finding reviews and decisions are append-only rows with who, when and
why. The current value of a field is the latest correction, else the machine's value.

The schema is created and upgraded by Alembic (``migrations/``); ``Base.metadata`` is what the
migrations are written against.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Optional

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    """Now in UTC without a time zone: every timestamp column holds naive UTC (the same on
    SQLite and PostgreSQL); :func:`contract_review.store.store.local_time` converts for display."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    """The declarative base; its metadata is what the Alembic migrations are written against."""

    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


ROLES = ("uploader", "reviewer", "admin")
DOCUMENT_STATES = ("queued", "processing", "read", "failed")
BATCH_STATES = ("queued", "processing", "checking", "ready", "failed")
DECISIONS = ("void", "fixable", "re-sign", "compliant")
#: dispositions from the most severe to the least: the queue's default order (the same ranking as
#: ``checks.disposition.DISPOSITION_RANK``, which the store does not import; a test keeps them equal)
SEVERITY_ORDER = ("void", "re-sign", "fixable", "compliant")
# an agreement's review state: to review; a void decision awaiting a second reviewer (复核);
# decided; a file that was not read or is not an agreement, to be handed in again
REVIEW_STATES = ("pending", "second_review", "decided", "resubmit")
NOTE_KINDS = ("comment", "returned", "assigned")
FINDING_ACTIONS = ("confirmed", "dismissed")


class Unit(Base):
    """A township or department handing in agreements; uploaders see only their own."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(400))
    role: Mapped[str] = mapped_column(String(20))  # uploader | reviewer | admin
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # a published password (the demo accounts'): changed at first login on an exposed server
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    unit: Mapped[Optional[Unit]] = relationship()


class LoginThrottle(Base):
    """Failed logins counted per account name (``kind`` account) and per client address
    (``kind`` address), whether the account exists or not; kept in the database so a restart
    does not reset them."""

    __tablename__ = "login_throttles"
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # account | address
    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # casefolded username | address
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    locked_until: Mapped[Optional[datetime]] = mapped_column(DateTime)


class LoginSession(Base):
    """A login: the browser keeps a random token (in a cookie), the store only its SHA-256.
    Valid until revoked (logout, password change), idle too long or too old."""

    __tablename__ = "login_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    address: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(DateTime)


class Batch(Base):
    __tablename__ = "batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    error: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    finished_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    unit: Mapped[Unit] = relationship()
    __table_args__ = (UniqueConstraint("unit_id", "name", name="uq_batch_unit_name"),)


class FileContent(Base):
    """A stored file's bytes in the database: put there when its reading is handed to the
    distributed workers, which fetch it through the store (no shared disk needed)."""

    __tablename__ = "file_contents"
    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("files.sha256"), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class StoredFile(Base):
    """One file's bytes, stored once under the data directory whatever batch brought it."""

    __tablename__ = "files"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(400))  # relative to the data directory
    first_name: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Document(Base):
    """A file as read for one unit (the same bytes handed in twice by a unit are one document)."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    file_sha256: Mapped[str] = mapped_column(ForeignKey("files.sha256"), index=True)
    filename: Mapped[str] = mapped_column(String(400))
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)  # the batch that brought it
    status: Mapped[str] = mapped_column(String(20), default="queued")
    error_code: Mapped[Optional[str]] = mapped_column(String(60))
    error_message: Mapped[Optional[str]] = mapped_column(Text)
    pages: Mapped[Optional[int]] = mapped_column(Integer)
    content: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)  # ingest.Document.to_dict()
    read_seconds: Mapped[Optional[float]] = mapped_column(Float)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    file: Mapped[StoredFile] = relationship()
    __table_args__ = (UniqueConstraint("unit_id", "file_sha256", name="uq_document_unit_file"),)


class BatchItem(Base):
    """A file as handed in with a batch (also when it was already known and reused)."""

    __tablename__ = "batch_items"
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    filename: Mapped[str] = mapped_column(String(400))
    reused: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Agreement(Base):
    """The machine's reading of one document, plus the review state derived from the
    append-only history (kept here only to sort and filter the queue quickly)."""

    __tablename__ = "agreements"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)  # contract-review/agreement@1
    agreement_type: Mapped[Optional[str]] = mapped_column(String(60), index=True)
    title: Mapped[str] = mapped_column(String(400), default="")
    counterparty: Mapped[Optional[str]] = mapped_column(String(400))
    risk_score: Mapped[float] = mapped_column(Float, default=0.0, index=True)
    disposition: Mapped[str] = mapped_column(String(20), default="compliant")  # proposed by the machine
    checks: Mapped[str] = mapped_column(String(600), default="")  # ",id,id," for filtering
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # REVIEW_STATES
    # the number of decisions recorded: a decision names the version its reviewer saw and is
    # refused when another was recorded since (compare-and-set in Store.decide)
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    decision: Mapped[Optional[str]] = mapped_column(String(20))
    reviewer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    checked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # the reviewer an admin assigned it to (「我的待办」); the assignment itself is a ReviewNote
    assignee_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), index=True)
    document: Mapped[Document] = relationship()
    unit: Mapped[Unit] = relationship()
    reviewer: Mapped[Optional[User]] = relationship(foreign_keys=[reviewer_id])
    findings: Mapped[list["Finding"]] = relationship(
        cascade="all, delete-orphan", order_by="Finding.id", back_populates="agreement"
    )


class Finding(Base):
    """A check's finding as last computed by the machine (replaced when the checks re-run)."""

    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    check: Mapped[str] = mapped_column(String(60), index=True)
    severity: Mapped[str] = mapped_column(String(20))
    disposition: Mapped[Optional[str]] = mapped_column(String(20))  # None for a warning (expiry_warning)
    score: Mapped[float] = mapped_column(Float)
    title: Mapped[str] = mapped_column(String(400))
    explanation: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[Any]] = mapped_column(JSON)
    related: Mapped[list[Any]] = mapped_column(JSON)  # [{"agreement_id", "filename", "sha256"}], same unit
    agreement: Mapped[Agreement] = relationship(back_populates="findings")


class FindingReview(Base):
    """Append-only: a reviewer confirmed or dismissed an agreement's finding of a check."""

    __tablename__ = "finding_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    check: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(20))  # confirmed | dismissed
    reason: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[User] = relationship()


class Correction(Base):
    """Append-only: a reviewer's value for a field (the machine's reading stays as it was)."""

    __tablename__ = "corrections"
    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    field: Mapped[str] = mapped_column(String(60))
    value: Mapped[Optional[str]] = mapped_column(Text)  # as typed by the reviewer
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[User] = relationship()


class Decision(Base):
    """Append-only (the database refuses UPDATE and DELETE): who decided what about an
    agreement, when and why. The decisions of the whole store form one hash chain in ``seq``
    order: each entry's ``hash`` covers its content and the previous entry's hash
    (``contract_review.store.audit``). The agreement's in-force decision is its last entry."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)  # the agreement's version this decision made (1, 2, ...)
    disposition: Mapped[str] = mapped_column(String(20))  # void | fixable | re-sign | compliant
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    seq: Mapped[int] = mapped_column(Integer)  # position in the store's chain (1, 2, ...)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    user: Mapped[User] = relationship()
    __table_args__ = (UniqueConstraint("agreement_id", "version", name="uq_decision_agreement_version"),
                      UniqueConstraint("seq", name="uq_decision_seq"))


class Rectification(Base):
    """What a decision asks the unit to do (整改措施), by when (整改时限) and who answers for it
    (责任人): optional, written with the decision in the same transaction and tied to the
    version that decision made, so the ledger shows the plan of the decision in force only.
    Append-only like the decisions it belongs to."""

    __tablename__ = "rectifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)  # the decision's version (Decision.version)
    measure: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[Optional[date]] = mapped_column(Date)
    responsible: Mapped[str] = mapped_column(String(200), default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("agreement_id", "version", name="uq_rectification_agreement_version"),)


class ReviewNote(Base):
    """Append-only: a comment on an agreement, a file sent back to its unit with the reason
    (``returned``), or an assignment to a reviewer (``assigned``, ``text`` names who)."""

    __tablename__ = "review_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # NOTE_KINDS
    text: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[User] = relationship()


class DecisionChainHead(Base):
    """One row: the last entry of the decision chain (its ``seq`` and ``hash``). Every decision
    updates it in its own transaction, which serialises appends to the chain (a row lock on
    PostgreSQL, the database lock on SQLite) and lets ``audit verify`` notice entries removed
    from the end."""

    __tablename__ = "decision_chain_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))


class SearchDoc(Base):
    """What the queue's search looks in for one agreement (``store.search``): the text and the
    jieba words it is indexed by (FTS5 on SQLite, a GIN text-search index on PostgreSQL — both
    made by the migration, outside this metadata). Rewritten when the machine re-reads the
    agreement and when a reviewer corrects a field."""

    __tablename__ = "search_docs"
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True)
    body: Mapped[str] = mapped_column(Text, default="")
    tokens: Mapped[str] = mapped_column(Text, default="")


# the full-text index over search_docs.tokens, made by migration 0003 outside this metadata (a
# virtual table and an expression index have no portable declaration)
SEARCH_FTS_TABLE = "search_fts"  # SQLite: FTS5, external content search_docs, kept by triggers
SEARCH_PG_VECTOR = "to_tsvector('simple', tokens)"  # PostgreSQL: what the GIN index covers
SEARCH_PG_INDEX = "ix_search_docs_tokens"


def outside_metadata(name: str | None, type_: str, parent_names: Any = None) -> bool:
    """Whether a database object is one of the search index's (the FTS5 table and its shadow
    tables, the expression index), which :data:`Base.metadata` does not describe: an
    ``include_name`` hook returns the opposite, so schema comparisons leave them out."""
    if type_ == "table":
        return name == SEARCH_FTS_TABLE or (name or "").startswith(SEARCH_FTS_TABLE + "_")
    return type_ == "index" and name == SEARCH_PG_INDEX


class ConfigVersion(Base):
    """Append-only versions of the jurisdiction profile (YAML) and the market-rent reference
    (CSV); the latest of each kind is in force."""

    __tablename__ = "config_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # profile | market
    filename: Mapped[str] = mapped_column(String(400), default="")
    content: Mapped[str] = mapped_column(Text)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


Index("ix_agreements_queue", Agreement.unit_id, Agreement.status, Agreement.risk_score)
