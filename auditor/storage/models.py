"""The history database: SQLAlchemy 2.0 models, identical on SQLite and PostgreSQL.

    batches        one row per batch run (its id is also the Redis batch id)
    scans          one row per audited shop: the whole report.json plus the columns
                   people filter on (host, score, risk, flags, status), the diff against
                   the previous scan of the same host, and (batch_id, shop_id) UNIQUE so a
                   shop retried by the queue is stored exactly once
    evidence       files (screenshots, …) stored once by sha256, whatever number of
                   scans point at them
    scan_evidence  which scan used which evidence file, under which relative path
    dead_letters   shops of a batch the task engine gave up on, with the reason (so the
                   coordinator reads it from the database, never from the broker)

The schema is created and upgraded by the Alembic migrations in ``migrations/``; these
models are their ``target_metadata`` (a new column = a model change + a new revision).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (JSON, BigInteger, DateTime, ForeignKey, Index, Integer, LargeBinary, MetaData,
                        String, Text, UniqueConstraint)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column

# Constraint names fixed, so migrations are the same on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Batch(Base):
    __tablename__ = "batches"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str | None] = mapped_column(Text)          # the FILE given to `batch`
    total: Mapped[int] = mapped_column(Integer, default=0)
    options: Mapped[dict | None] = mapped_column(JSONType)    # AuditOptions (no passwords)


class Scan(Base):
    __tablename__ = "scans"
    __table_args__ = (
        UniqueConstraint("batch_id", "shop_id", name="uq_scans_batch_shop"),
        Index("ix_scans_host_scanned_at", "host", "scanned_at"),
    )

    id: Mapped[int] = mapped_column(Integer().with_variant(BigInteger(), "postgresql"), primary_key=True,
                                    autoincrement=True)
    host: Mapped[str] = mapped_column(String(255))            # hostname[:port], lower case
    url: Mapped[str] = mapped_column(Text)
    scanned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    score: Mapped[int | None] = mapped_column(Integer)
    risk_level: Mapped[str | None] = mapped_column(String(16))
    flags: Mapped[list] = mapped_column(JSONType, default=list)
    status: Mapped[str] = mapped_column(String(16), default="complete")   # complete|partial|failed
    tool_version: Mapped[str | None] = mapped_column(String(32))
    report: Mapped[dict] = deferred(mapped_column(JSONType, nullable=False))  # the whole report.json
    report_dir: Mapped[str | None] = mapped_column(Text)      # where report.html was written
    batch_id: Mapped[str | None] = mapped_column(String(64), ForeignKey("batches.id"))
    shop_id: Mapped[str | None] = mapped_column(String(255))
    label: Mapped[str | None] = mapped_column(Text)
    # against the previous scan of the same host (None: first scan of that host)
    previous_scan_id: Mapped[int | None] = mapped_column(
        Integer().with_variant(BigInteger(), "postgresql"), ForeignKey("scans.id"))
    changes_count: Mapped[int | None] = mapped_column(Integer)
    diff: Mapped[dict | None] = deferred(mapped_column(JSONType))
    worker: Mapped[str | None] = mapped_column(String(255))   # who audited it (queue workers)
    manifest_sha256: Mapped[str | None] = mapped_column(String(64))   # sha256 of its manifest.json


class Evidence(Base):
    __tablename__ = "evidence"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str | None] = mapped_column(String(100))
    first_path: Mapped[str | None] = mapped_column(Text)      # the name it was first stored under
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))


class ScanEvidence(Base):
    __tablename__ = "scan_evidence"

    scan_id: Mapped[int] = mapped_column(Integer().with_variant(BigInteger(), "postgresql"),
                                         ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True)
    path: Mapped[str] = mapped_column(String(512), primary_key=True)   # relative to the report dir
    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("evidence.sha256"), index=True)
    caption: Mapped[str | None] = mapped_column(Text)


class DeadLetter(Base):
    """A shop of a registered batch that the task engine gave up on: malformed, refused or
    failed ``max_attempts`` times.  One row per (batch, shop), replaced by a later attempt
    and deleted when the shop is stored."""
    __tablename__ = "dead_letters"

    batch_id: Mapped[str] = mapped_column(String(64), ForeignKey("batches.id", ondelete="CASCADE"),
                                          primary_key=True)
    shop_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    worker: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
