"""rectifications: the 整改措施 / 整改时限 / 责任人 a decision may carry (ledger, 整改清单)

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'rectifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('measure', sa.Text(), nullable=False),
        sa.Column('deadline', sa.Date(), nullable=True),
        sa.Column('responsible', sa.String(length=200), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('agreement_id', 'version', name='uq_rectification_agreement_version'),
    )
    op.create_index(op.f('ix_rectifications_agreement_id'), 'rectifications', ['agreement_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_rectifications_agreement_id'), table_name='rectifications')
    op.drop_table('rectifications')
