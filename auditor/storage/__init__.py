"""History of scans: SQLite by default (``<user data dir>/history.db``), PostgreSQL with
``--db postgresql://…``, the same code and the same Alembic migrations on both.

    from cardshop_auditor.storage import record_result, open_store
    scan_id = record_result(db_url, result)      # store + diff against the previous scan
    store = open_store(db_url)                   # history(host), get_report(id), …
"""
from __future__ import annotations

from cardshop_auditor.storage.store import (Recorded, Store, close_stores, default_db_url,  # noqa: F401
                                   normalise_db_url, open_store, record_result, recorded_manifest_sha256,
                                   redact_db_url)
