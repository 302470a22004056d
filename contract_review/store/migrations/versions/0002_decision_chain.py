"""decisions: optimistic locking and a tamper-evident, append-only history

* ``agreements.version``: the number of decisions recorded; a decision names the version its
  reviewer saw and is refused when another was recorded since;
* ``decisions.version`` (unique per agreement), ``seq`` (unique), ``prev_hash``, ``hash``: the
  store's hash chain (``contract_review.store.audit``), and ``decision_chain_head``;
* triggers that refuse UPDATE and DELETE on ``decisions`` (and TRUNCATE on PostgreSQL).

Existing decisions are chained in id order, and every agreement's in-force decision is set to
the last entry of its history: before this revision two reviewers deciding at once could leave
the in-force decision from one and the last history entry from the other.

A later migration that rebuilds ``decisions`` in batch mode on SQLite drops the triggers with
the old table: it must create them again (:func:`create_triggers`).

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from contract_review.store import audit

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_APPEND_ONLY = "decisions are append-only"

_decisions = sa.table(
    "decisions", sa.column("id", sa.Integer), sa.column("agreement_id", sa.Integer),
    sa.column("disposition", sa.String), sa.column("note", sa.Text), sa.column("user_id", sa.Integer),
    sa.column("created_at", sa.DateTime), sa.column("version", sa.Integer), sa.column("seq", sa.Integer),
    sa.column("prev_hash", sa.String), sa.column("hash", sa.String),
)
_agreements = sa.table(
    "agreements", sa.column("id", sa.Integer), sa.column("version", sa.Integer), sa.column("status", sa.String),
    sa.column("decision", sa.String), sa.column("reviewer_id", sa.Integer), sa.column("decided_at", sa.DateTime),
)
_head = sa.table("decision_chain_head", sa.column("id", sa.Integer), sa.column("seq", sa.Integer),
                 sa.column("hash", sa.String))


def create_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""CREATE OR REPLACE FUNCTION decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END $$""")
        op.execute("CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions "
                   "FOR EACH ROW EXECUTE FUNCTION decisions_append_only()")
        op.execute("CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions "
                   "FOR EACH STATEMENT EXECUTE FUNCTION decisions_append_only()")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER decisions_no_{event.lower()} BEFORE {event} ON decisions "
                       f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END")


def drop_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS decisions_no_truncate ON decisions")
        op.execute("DROP TRIGGER IF EXISTS decisions_append_only ON decisions")
        op.execute("DROP FUNCTION IF EXISTS decisions_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS decisions_no_update")
        op.execute("DROP TRIGGER IF EXISTS decisions_no_delete")


def _chain_existing(bind: sa.Connection) -> None:
    rows = bind.execute(sa.select(_decisions.c.id, _decisions.c.agreement_id, _decisions.c.disposition,
                                  _decisions.c.note, _decisions.c.user_id, _decisions.c.created_at)
                        .order_by(_decisions.c.id)).all()
    prev = audit.GENESIS
    versions: dict[int, int] = {}
    last: dict[int, tuple] = {}
    for seq, (id_, agreement_id, disposition, note, user_id, created_at) in enumerate(rows, start=1):
        version = versions[agreement_id] = versions.get(agreement_id, 0) + 1
        digest = audit.entry_hash(seq=seq, agreement_id=agreement_id, version=version, disposition=disposition,
                                  note=note or "", user_id=user_id, created_at=created_at, prev_hash=prev)
        bind.execute(_decisions.update().where(_decisions.c.id == id_).values(
            version=version, seq=seq, prev_hash=prev, hash=digest, note=note or ""))
        last[agreement_id] = (disposition, user_id, created_at)
        prev = digest
    for agreement_id, (disposition, user_id, created_at) in last.items():  # the last entry is in force
        bind.execute(_agreements.update().where(_agreements.c.id == agreement_id).values(
            version=versions[agreement_id], status="decided", decision=disposition, reviewer_id=user_id,
            decided_at=created_at))
    bind.execute(_head.insert().values(id=audit.HEAD_ID, seq=len(rows), hash=prev))


def upgrade() -> None:
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    op.create_table('decision_chain_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    _chain_existing(op.get_bind())
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        for name, type_ in (('version', sa.Integer()), ('seq', sa.Integer()), ('prev_hash', sa.String(length=64)),
                            ('hash', sa.String(length=64))):
            batch_op.alter_column(name, existing_type=type_, nullable=False)
        batch_op.create_unique_constraint('uq_decision_agreement_version', ['agreement_id', 'version'])
        batch_op.create_unique_constraint('uq_decision_seq', ['seq'])
    create_triggers()


def downgrade() -> None:
    drop_triggers()
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_constraint('uq_decision_seq', type_='unique')
        batch_op.drop_constraint('uq_decision_agreement_version', type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
        batch_op.drop_column('version')
    op.drop_table('decision_chain_head')
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_column('version')
