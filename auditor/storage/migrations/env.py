"""Alembic environment for the history database.

Run programmatically by ``auditor.storage.store.upgrade`` (``command.upgrade(cfg, "head")``):
the caller hands over an open connection in ``config.attributes["connection"]``, so the
upgrade runs inside the caller's transaction (on PostgreSQL serialised by an advisory
lock, so many workers opening the same database at once migrate it once).
``alembic`` on the command line works too: ``-x url=postgresql+psycopg://…``.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, text

from cardshop_auditor.storage.models import Base

config = context.config
target_metadata = Base.metadata
ADVISORY_LOCK = 0x63617264  # "card"


def run_migrations(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite",  # ALTER on SQLite
                      compare_type=True)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK})
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.begin() as conn:
        run_migrations(conn)
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
