"""review workflow: assignment, comments / returns, 复核 and 需重新提交

* ``agreements.assignee_id``: the reviewer an admin assigned the agreement to;
* ``review_notes``: append-only comments, files sent back to their unit (with the reason) and
  assignments;
* review states ``second_review`` (a void decision awaiting a second reviewer) and
  ``resubmit`` (a file not read, or not an agreement): set here for what is stored.

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from contract_review.store.states import decided_state, resubmission_reason

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_agreements = sa.table("agreements", sa.column("id", sa.Integer), sa.column("document_id", sa.Integer),
                       sa.column("record", sa.JSON), sa.column("status", sa.String), sa.column("version", sa.Integer),
                       sa.column("disposition", sa.String))
_documents = sa.table("documents", sa.column("id", sa.Integer), sa.column("status", sa.String))
_decisions = sa.table("decisions", sa.column("agreement_id", sa.Integer), sa.column("version", sa.Integer),
                      sa.column("disposition", sa.String), sa.column("user_id", sa.Integer))


def upgrade() -> None:
    op.create_table('review_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('review_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_notes_agreement_id'), ['agreement_id'], unique=False)
    # a plain ADD COLUMN: rebuilding ``agreements`` in batch mode on SQLite would trip the foreign
    # keys of the decisions that refer to it (and SQLite cannot add the constraint afterwards)
    if op.get_bind().dialect.name == "postgresql":
        op.add_column('agreements', sa.Column('assignee_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_agreements_assignee_id_users', 'agreements', 'users', ['assignee_id'], ['id'])
    else:  # SQLite adds a column with its reference in place
        op.execute("ALTER TABLE agreements ADD COLUMN assignee_id INTEGER REFERENCES users (id)")
    op.create_index('ix_agreements_assignee_id', 'agreements', ['assignee_id'], unique=False)
    bind = op.get_bind()
    history: dict[int, list] = {}
    for row in bind.execute(sa.select(_decisions.c.agreement_id, _decisions.c.disposition, _decisions.c.user_id)
                            .order_by(_decisions.c.agreement_id, _decisions.c.version)).all():
        history.setdefault(row.agreement_id, []).append(row)
    rows = bind.execute(sa.select(_agreements.c.id, _agreements.c.record, _agreements.c.version, _documents.c.status)
                        .join(_documents, _documents.c.id == _agreements.c.document_id)).all()
    for aid, record, version, doc_status in rows:
        if version:
            state = decided_state(history.get(aid, []))
            bind.execute(_agreements.update().where(_agreements.c.id == aid).values(status=state))
        elif resubmission_reason(record, doc_status):
            bind.execute(_agreements.update().where(_agreements.c.id == aid).values(status="resubmit", disposition=""))


def downgrade() -> None:
    op.execute("UPDATE agreements SET status = 'pending' WHERE status = 'resubmit'")
    op.execute("UPDATE agreements SET status = 'decided' WHERE status = 'second_review'")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint('fk_agreements_assignee_id_users', 'agreements', type_='foreignkey')
    op.drop_index('ix_agreements_assignee_id', table_name='agreements')
    op.drop_column('agreements', 'assignee_id')
    op.drop_table('review_notes')
