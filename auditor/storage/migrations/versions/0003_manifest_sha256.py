"""The manifest hash of each scan (sha256 of its manifest.json): what `verify --db` and
`diff` check a scan directory against later.

Revision ID: 0003_manifest_sha256
Revises: 0002_dead_letters
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_manifest_sha256"
down_revision = "0002_dead_letters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("scans") as batch:
        batch.add_column(sa.Column("manifest_sha256", sa.String(64), nullable=True))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and (bind.dialect.server_version_info or ()) >= (3, 35):
        # SQLite's own ALTER TABLE ... DROP COLUMN, in place: batch mode rebuilds the table,
        # and with foreign keys enforced (storage/store.py) dropping the old scans table
        # fails as soon as scan_evidence rows or later scans point at its rows
        op.drop_column("scans", "manifest_sha256")
        return
    with op.batch_alter_table("scans") as batch:
        batch.drop_column("manifest_sha256")
