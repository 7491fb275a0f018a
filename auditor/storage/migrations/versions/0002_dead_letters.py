"""Dead letters of the task engine: shops of a batch given up on, with the reason.

Revision ID: 0002_dead_letters
Revises: 0001_initial
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_dead_letters"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dead_letters",
        sa.Column("batch_id", sa.String(64), nullable=False),
        sa.Column("shop_id", sa.String(255), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("worker", sa.String(255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["batches.id"], name="fk_dead_letters_batch_id_batches",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("batch_id", "shop_id", name="pk_dead_letters"),
    )


def downgrade() -> None:
    op.drop_table("dead_letters")
