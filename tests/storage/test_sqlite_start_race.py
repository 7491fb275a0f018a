"""Two workers started together on one machine open the same new SQLite history file: the
first may still be writing in rollback mode when the second asks for WAL, which SQLite
answers with "database is locked" at once, busy timeout or not (bench engine, 1 in 12 pairs
of workers). The second must wait, not exit 4."""
from __future__ import annotations

import sqlite3
import threading

from cardshop_auditor.storage.store import Store, current_revision


def test_a_new_file_another_process_is_writing_is_waited_for(tmp_path):
    path = tmp_path / "new.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")            # rollback mode, its write lock held
    other.execute("CREATE TABLE other_process_was_here (x)")
    release = threading.Timer(0.8, other.execute, args=("COMMIT",))
    release.start()
    try:
        store = Store(f"sqlite:///{path}")
    finally:
        release.join()
        other.close()
    assert current_revision(store.engine) is not None
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.close()
