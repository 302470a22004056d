"""search: full-text search over each agreement's text and corrected values

* ``search_docs``: per agreement, the searchable text (file name, asset, counterparty, the
  reviewers' corrected values, the full text as read) and its jieba words, space-separated
  (``contract_review.store.search``);
* SQLite: an FTS5 table ``search_fts`` over ``search_docs.tokens`` (external content, kept in
  step by triggers); PostgreSQL: a GIN index over ``to_tsvector('simple', tokens)``;
* every agreement already stored is indexed.

Revision ID: 0007
Revises: 0006
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from contract_review.store import search
from contract_review.store.schema import SEARCH_FTS_TABLE as FTS_TABLE
from contract_review.store.schema import SEARCH_PG_INDEX as PG_INDEX
from contract_review.store.schema import SEARCH_PG_VECTOR

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


_agreements = sa.table("agreements", sa.column("id", sa.Integer), sa.column("document_id", sa.Integer),
                       sa.column("record", sa.JSON), sa.column("title", sa.String), sa.column("counterparty", sa.String))
_documents = sa.table("documents", sa.column("id", sa.Integer), sa.column("filename", sa.String))
_corrections = sa.table("corrections", sa.column("id", sa.Integer), sa.column("agreement_id", sa.Integer),
                        sa.column("field", sa.String), sa.column("value", sa.Text))
_search_docs = sa.table("search_docs", sa.column("agreement_id", sa.Integer), sa.column("body", sa.Text),
                        sa.column("tokens", sa.Text))


def create_index() -> None:
    """The full-text index over ``search_docs.tokens`` of the connection's database."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX {PG_INDEX} ON search_docs USING gin ({SEARCH_PG_VECTOR})")
        return
    op.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(tokens, content='search_docs', "
               "content_rowid='agreement_id', tokenize='unicode61')")
    old, new = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, tokens) VALUES('delete', old.agreement_id, old.tokens)", \
        f"INSERT INTO {FTS_TABLE}(rowid, tokens) VALUES (new.agreement_id, new.tokens)"
    op.execute(f"CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN {new}; END")
    op.execute(f"CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN {old}; END")
    op.execute(f"CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN {old}; {new}; END")


def drop_index() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
        return
    for name in ("search_docs_ai", "search_docs_ad", "search_docs_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def _index_existing(bind: sa.Connection) -> None:
    latest: dict[int, dict[str, str | None]] = {}
    for agreement_id, field, value in bind.execute(
            sa.select(_corrections.c.agreement_id, _corrections.c.field, _corrections.c.value)
            .order_by(_corrections.c.id)).all():
        latest.setdefault(agreement_id, {})[field] = value
    rows = bind.execute(
        sa.select(_agreements.c.id, _documents.c.filename, _agreements.c.title, _agreements.c.counterparty,
                  _agreements.c.record)
        .join(_documents, _documents.c.id == _agreements.c.document_id).order_by(_agreements.c.id)).all()
    for agreement_id, filename, title, counterparty, record in rows:
        body = search.search_body(filename=filename, title=title or "", counterparty=counterparty,
                                  text=(record or {}).get("text") or "",
                                  corrections=latest.get(agreement_id, {}).values())
        bind.execute(_search_docs.insert().values(agreement_id=agreement_id, body=body, tokens=search.tokens(body)))


def upgrade() -> None:
    op.create_table(
        "search_docs",
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("tokens", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("agreement_id"),
    )
    create_index()
    _index_existing(op.get_bind())


def downgrade() -> None:
    drop_index()
    op.drop_table("search_docs")
