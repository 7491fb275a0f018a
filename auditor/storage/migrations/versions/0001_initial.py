"""History database: batches, scans, evidence stored once by sha256.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-27
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
ID = sa.Integer().with_variant(sa.BigInteger(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "batches",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("options", JSONType, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_batches"),
    )
    op.create_table(
        "evidence",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=True),
        sa.Column("first_path", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_evidence"),
    )
    op.create_table(
        "scans",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("risk_level", sa.String(16), nullable=True),
        sa.Column("flags", JSONType, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("tool_version", sa.String(32), nullable=True),
        sa.Column("report", JSONType, nullable=False),
        sa.Column("report_dir", sa.Text(), nullable=True),
        sa.Column("batch_id", sa.String(64), nullable=True),
        sa.Column("shop_id", sa.String(255), nullable=True),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("previous_scan_id", ID, nullable=True),
        sa.Column("changes_count", sa.Integer(), nullable=True),
        sa.Column("diff", JSONType, nullable=True),
        sa.Column("worker", sa.String(255), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["batches.id"], name="fk_scans_batch_id_batches"),
        sa.ForeignKeyConstraint(["previous_scan_id"], ["scans.id"], name="fk_scans_previous_scan_id_scans"),
        sa.PrimaryKeyConstraint("id", name="pk_scans"),
        sa.UniqueConstraint("batch_id", "shop_id", name="uq_scans_batch_shop"),
    )
    op.create_index("ix_scans_host_scanned_at", "scans", ["host", "scanned_at"])
    op.create_table(
        "scan_evidence",
        sa.Column("scan_id", ID, nullable=False),
        sa.Column("path", sa.String(512), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["scan_id"], ["scans.id"], name="fk_scan_evidence_scan_id_scans",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sha256"], ["evidence.sha256"], name="fk_scan_evidence_sha256_evidence"),
        sa.PrimaryKeyConstraint("scan_id", "path", name="pk_scan_evidence"),
    )
    op.create_index("ix_scan_evidence_sha256", "scan_evidence", ["sha256"])


def downgrade() -> None:
    op.drop_index("ix_scan_evidence_sha256", table_name="scan_evidence")
    op.drop_table("scan_evidence")
    op.drop_index("ix_scans_host_scanned_at", table_name="scans")
    op.drop_table("scans")
    op.drop_table("evidence")
    op.drop_table("batches")
