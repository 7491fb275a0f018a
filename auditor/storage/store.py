"""The history store: one class over SQLite (default) and PostgreSQL (``--db postgresql://…``).

Every write is one transaction: a scan, its diff against the previous scan of the same
host and its evidence links land together or not at all.  Opening a store runs the
Alembic migrations shipped in ``auditor/storage/migrations`` (``command.upgrade(cfg,
"head")``), so a database kept for years is upgraded in place by a newer version.
"""
from __future__ import annotations

import mimetypes
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

from sqlalchemy import create_engine, delete, event, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, undefer

from cardshop_auditor.logs import get_logger
from cardshop_auditor.storage.models import Batch, DeadLetter, Evidence, Scan, ScanEvidence
from cardshop_auditor.urls import host_key

ENV_DB = "CARDSHOP_DB"
MAX_EVIDENCE_BYTES = 25_000_000      # one file; bigger ones are linked by path only


# --------------------------------------------------------------------------- URLs


def default_db_url() -> str:
    """$CARDSHOP_DB, else ``sqlite:///<user data dir>/history.db``."""
    if os.environ.get(ENV_DB):
        return normalise_db_url(os.environ[ENV_DB])
    from platformdirs import user_data_dir
    return "sqlite:///" + str(Path(user_data_dir("cardshop-auditor")) / "history.db")


def normalise_db_url(url: str | None) -> str:
    """``postgresql://`` → the psycopg 3 driver; a bare path → an SQLite file."""
    if not url:
        return default_db_url()
    url = url.strip()
    if "://" not in url:
        return "sqlite:///" + str(Path(url).expanduser().resolve())
    scheme, rest = url.split("://", 1)
    if scheme in ("postgres", "postgresql"):
        return "postgresql+psycopg://" + rest
    if scheme.startswith("sqlite") and rest.startswith("/") and not rest.startswith("//"):
        # sqlite:///relative.db: relative to the user's directory, made absolute now
        path, sep, query = rest[1:].partition("?")
        if path and path != ":memory:":
            return f"{scheme}:///{Path(path).expanduser().absolute()}{sep}{query}"
    return url


def redact_db_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        parts = urlsplit(url)
        if parts.password:
            return url.replace(":" + parts.password + "@", ":***@", 1)
    except ValueError:
        pass
    return url


def parse_time(value: Any) -> datetime:
    if isinstance(value, datetime):
        dt = value
    else:
        try:
            dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except (TypeError, ValueError):
            dt = datetime.now(timezone.utc)
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def utc(dt: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes: they were stored as UTC."""
    if dt is None:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


# --------------------------------------------------------------------------- engine + migrations


def make_engine(url: str) -> Engine:
    url = normalise_db_url(url)
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):  # pragma: no cover - trivial
            # Let SQLAlchemy, not pysqlite, decide where transactions begin (so DDL is
            # transactional too), wait for a busy writer instead of failing, use WAL so
            # readers never block the writer, and enforce foreign keys like PostgreSQL.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout = 60000")
            cur.execute("PRAGMA foreign_keys = ON")
            if path and path != ":memory:":
                _switch_to_wal(cur)
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # pragma: no cover - trivial
            conn.exec_driver_sql("BEGIN IMMEDIATE")   # take the write lock up front: no upgrade deadlocks
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4)


def _switch_to_wal(cur, wait: float = 60.0) -> None:
    """WAL, kept in the file once set.  A new file another process is writing in rollback
    mode (it opened the file first and could not switch while we were opening it) answers
    the switch with "database is locked" at once, busy timeout or not: wait for it."""
    import sqlite3
    deadline = time.monotonic() + wait
    while True:
        try:
            if str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def alembic_config(connection=None):
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("cardshop_auditor.storage").joinpath("migrations")))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the shipped migrations up to ``revision`` in one transaction."""
    from alembic import command
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


# --------------------------------------------------------------------------- the store


@dataclass
class Recorded:
    scan_id: int
    previous_scan_id: int | None = None
    diff: dict | None = None
    duplicate: bool = False          # (batch_id, shop_id) was already stored: nothing written


class Store:
    def __init__(self, url: str | None = None, migrate: bool = True):
        self.url = normalise_db_url(url)
        self.engine = make_engine(self.url)
        if migrate:
            upgrade(self.engine)

    def __repr__(self) -> str:
        return f"Store({redact_db_url(self.url)!r})"

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits at the end of the block, or rolls back entirely."""
        with Session(self.engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    # ---- batches -----------------------------------------------------------
    def ensure_batch(self, batch_id: str, source: str | None = None, total: int = 0,
                     options: dict | None = None) -> None:
        try:
            with self.transaction() as s:
                row = s.get(Batch, batch_id)
                if row is None:
                    from cardshop_auditor import secrets
                    s.add(Batch(id=batch_id, created_at=datetime.now(timezone.utc), source=secrets.scrub(source),
                                total=total, options=secrets.scrub_obj(options)))
                elif total and row.total != total:
                    row.total = total
        except IntegrityError:   # created concurrently by someone else: fine
            pass

    def get_batch(self, batch_id: str) -> Batch | None:
        with self.transaction() as s:
            return s.get(Batch, batch_id)

    # ---- scans -------------------------------------------------------------
    def find_scan(self, batch_id: str, shop_id: str) -> int | None:
        with self.transaction() as s:
            return s.scalar(select(Scan.id).where(Scan.batch_id == batch_id, Scan.shop_id == shop_id))

    def stored_shops(self, batch_id: str, shop_ids) -> set[str]:
        """Which of ``shop_ids`` have a scan in batch ``batch_id`` (one query per 500 ids)."""
        shop_ids, found = list(shop_ids), set()
        with self.transaction() as s:
            for start in range(0, len(shop_ids), 500):
                found.update(s.scalars(select(Scan.shop_id).where(
                    Scan.batch_id == batch_id, Scan.shop_id.in_(shop_ids[start:start + 500]))))
        return found

    def batch_shop_scans(self, batch_id: str) -> list[tuple[int, str]]:
        """(scan id, shop id) of every scan of the batch: plain rows, not ORM objects, for a
        coordinator polling its batch every second.  (Not "ids above the last one seen": on
        PostgreSQL a lower id can commit after a higher one.)"""
        with self.transaction() as s:
            rows = s.execute(select(Scan.id, Scan.shop_id).where(Scan.batch_id == batch_id).order_by(Scan.id))
            return [(scan_id, shop_id) for scan_id, shop_id in rows]

    def record(self, report: dict, *, report_dir: str | Path | None = None, batch_id: str | None = None,
               shop_id: str | None = None, label: str | None = None, worker: str | None = None,
               url: str | None = None, manifest_sha256: str | None = None) -> Recorded:
        """Store one report with its evidence and its diff against the previous scan of the
        same host, in one transaction.  With (batch_id, shop_id) already stored, nothing is
        written and ``duplicate`` is True (a retried queue task stores exactly once)."""
        from cardshop_auditor import secrets
        from cardshop_auditor.diff import diff_reports

        if batch_id and shop_id:
            existing = self.find_scan(batch_id, shop_id)
            if existing is not None:
                return Recorded(existing, duplicate=True)
        host = host_key(url or report.get("target") or report.get("final_url") or "")
        # nothing reaches the database with a secret of the run in it (the host key is
        # taken first: a URL's user-info is a secret, its host is the history's key)
        report, label, url = secrets.scrub_obj(report), secrets.scrub(label), secrets.scrub(url)
        target = url or report.get("target") or report.get("final_url") or ""
        scanned_at = parse_time(report.get("scanned_at"))
        risk = report.get("risk") or {}
        files = list(_evidence_files(report, Path(report_dir)) if report_dir else [])
        try:
            with self.transaction() as s:
                prev = _previous_scan(s, host, scanned_at, failed_too=report.get("status") == "failed")
                diff = None
                if prev is not None:
                    diff = diff_reports(prev.report, report)
                    diff["old"]["scan_id"] = prev.id
                scan = Scan(host=host, url=target, scanned_at=scanned_at, score=_int(report.get("score")),
                            # not audited: no level, even from a report.json written before that rule
                            risk_level=risk.get("level") if report.get("status") != "failed" else None,
                            flags=list(risk.get("flags") or []),
                            status=report.get("status") or "complete", tool_version=report.get("tool_version"),
                            report=report, report_dir=str(report_dir) if report_dir else None,
                            batch_id=batch_id, shop_id=shop_id, label=label, worker=worker,
                            manifest_sha256=manifest_sha256,
                            previous_scan_id=prev.id if prev is not None else None,
                            changes_count=len(diff["changes"]) if diff is not None else None, diff=None)
                s.add(scan)
                s.flush()                      # the id, for the diff and the evidence links
                if diff is not None:
                    diff["new"]["scan_id"] = scan.id
                    scan.diff = diff = secrets.scrub_obj(diff)
                self._add_evidence(s, scan.id, files)
                if batch_id and shop_id:       # stored at last: the task engine's dead letter goes with it
                    s.execute(delete(DeadLetter).where(DeadLetter.batch_id == batch_id, DeadLetter.shop_id == shop_id))
            return Recorded(scan.id, scan.previous_scan_id, diff)
        except IntegrityError:
            if batch_id and shop_id:
                existing = self.find_scan(batch_id, shop_id)
                if existing is not None:     # lost a race with a retried copy of this task
                    return Recorded(existing, duplicate=True)
            raise

    def _add_evidence(self, s: Session, scan_id: int, files: list[tuple[str, Path, str | None]]) -> None:
        import hashlib
        seen: set[str] = set()
        for rel, path, caption in files:
            if rel in seen:
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if len(data) > MAX_EVIDENCE_BYTES:
                get_logger(__name__).warning(f"evidence {rel} ({len(data)} bytes) too large to store; skipped")
                continue
            seen.add(rel)
            digest = hashlib.sha256(data).hexdigest()
            if s.get(Evidence, digest) is None:
                # ON CONFLICT DO NOTHING: another worker may store the same bytes right now
                s.execute(_insert_ignore(s, Evidence).values(
                    sha256=digest, size=len(data), media_type=mimetypes.guess_type(rel)[0],
                    first_path=rel, created_at=datetime.now(timezone.utc), content=data))
            s.add(ScanEvidence(scan_id=scan_id, path=rel, sha256=digest, caption=caption))

    # ---- reading -----------------------------------------------------------
    def get_scan(self, scan_id: int, with_report: bool = True) -> Scan | None:
        with self.transaction() as s:
            query = select(Scan).where(Scan.id == scan_id)
            if with_report:
                query = query.options(undefer(Scan.report), undefer(Scan.diff))
            return s.scalar(query)

    def get_report(self, scan_id: int) -> dict | None:
        scan = self.get_scan(scan_id)
        return scan.report if scan is not None else None

    def history(self, host: str, limit: int | None = None) -> list[Scan]:
        """Scans of a host, newest first.  ``host`` may be a URL, host:port or a bare
        hostname (then every port of that hostname)."""
        key = host_key(host) if ("://" in host or ":" in host) else host.lower().strip()
        with self.transaction() as s:
            like = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ":%"
            query = (select(Scan).where(or_(Scan.host == key, Scan.host.like(like, escape="\\")))
                     .order_by(Scan.scanned_at.desc(), Scan.id.desc()).options(undefer(Scan.diff)))
            if limit:
                query = query.limit(limit)
            return list(s.scalars(query))

    def batch_scans(self, batch_id: str, with_report: bool = False) -> list[Scan]:
        with self.transaction() as s:
            query = select(Scan).where(Scan.batch_id == batch_id).order_by(Scan.id)
            if with_report:
                query = query.options(undefer(Scan.report), undefer(Scan.diff))
            return list(s.scalars(query))

    def count_batch(self, batch_id: str) -> int:
        with self.transaction() as s:
            return s.scalar(select(func.count()).select_from(Scan).where(Scan.batch_id == batch_id)) or 0

    def evidence_for(self, scan_id: int) -> list[ScanEvidence]:
        with self.transaction() as s:
            return list(s.scalars(select(ScanEvidence).where(ScanEvidence.scan_id == scan_id)
                                  .order_by(ScanEvidence.path)))

    def export_evidence(self, scan_id: int, directory: Path) -> list[Path]:
        """Write a scan's evidence files under ``directory`` at their relative paths."""
        from cardshop_auditor.artifacts import write_atomic
        written = []
        with self.transaction() as s:
            rows = s.execute(select(ScanEvidence.path, Evidence.content)
                             .join(Evidence, Evidence.sha256 == ScanEvidence.sha256)
                             .where(ScanEvidence.scan_id == scan_id)).all()
        base = Path(directory).resolve()
        for rel, content in rows:
            dest = (base / rel).resolve()
            if base not in dest.parents:
                continue
            write_atomic(dest, bytes(content))
            written.append(dest)
        return written


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(round(float(value)))
    except (TypeError, ValueError):
        return None


def _previous_scan(s: Session, host: str, scanned_at: datetime, failed_too: bool) -> Scan | None:
    """The latest earlier scan of ``host`` that was audited (a failed scan has nothing to
    compare); when the new scan itself failed, any earlier scan (so "went offline" shows)."""
    query = (select(Scan).where(Scan.host == host, Scan.scanned_at <= scanned_at)
             .order_by(Scan.scanned_at.desc(), Scan.id.desc()).limit(1).options(undefer(Scan.report)))
    if not failed_too:
        query = query.where(Scan.status != "failed")
    return s.scalar(query)


def _insert_ignore(s: Session, table):
    if s.bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).on_conflict_do_nothing(index_elements=["sha256"])


def _evidence_files(report: dict, report_dir: Path) -> Iterator[tuple[str, Path, str | None]]:
    """(relative path, file, caption) of every evidence file of a report: those it names,
    and everything under report_dir/evidence/."""
    from cardshop_auditor.report import safe_relpath
    named: list[tuple[str, str | None]] = []
    for item in report.get("evidence") or []:
        if isinstance(item, dict) and item.get("path"):
            named.append((item["path"], item.get("caption")))
    shot = ((report.get("findings") or {}).get("refund_entry") or {}).get("screenshot")
    if shot:
        named.append((shot, "refund entry"))
    base = report_dir.resolve()
    evidence_dir = base / "evidence"
    if evidence_dir.is_dir():
        for path in sorted(evidence_dir.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                named.append((path.relative_to(base).as_posix(), None))
    seen = set()
    for rel, caption in named:
        rel = safe_relpath(rel)
        if not rel or rel in seen:
            continue
        path = (base / rel).resolve()
        if base in path.parents and path.is_file():
            seen.add(rel)
            yield rel, path, caption


# --------------------------------------------------------------------------- per-process cache

_STORES: dict[str, Store] = {}
_LOCK = threading.Lock()


def open_store(url: str | None = None) -> Store:
    """The Store for ``url`` (default: the user's history.db), migrated once per process."""
    key = normalise_db_url(url)
    with _LOCK:
        store = _STORES.get(key)
        if store is None:
            store = _STORES[key] = connect(key)
        return store


def connect(url: str) -> Store:
    """A migrated Store, or one line saying why not (exit 4): DatabaseUnavailable when the
    database cannot be opened, reached or migrated, MissingExtra without its driver."""
    from cardshop_auditor.errors import DatabaseUnavailable, MissingExtra, describe_failure
    get_logger(__name__).debug(f"history database {redact_db_url(url)}")
    try:
        return Store(url)
    except ImportError as exc:
        raise MissingExtra(exc.name or "a database driver") from exc
    except Exception as exc:  # noqa: BLE001 - sqlalchemy, the driver or the file system
        line = describe_failure(exc)
        line = line if line.startswith("database error") else f"database error: {line}"
        raise DatabaseUnavailable(f"{line} ({redact_db_url(url)})") from exc


def close_stores() -> None:
    with _LOCK:
        for store in _STORES.values():
            store.close()
        _STORES.clear()


def record_result(db_url: str | None, result, *, batch_id: str | None = None, shop_id: str | None = None,
                  worker: str | None = None, write_diff: bool = True,
                  log: Callable[[str], None] | None = None) -> int:
    """Store an ``AuditResult``; diff it against the previous scan of the same host, write
    ``diff.json`` / ``diff.html`` next to its report when there is one, print the change
    summary (to stderr by default).  Returns the scan id."""
    from cardshop_auditor.diff import change_lines
    from cardshop_auditor.report.diff_page import write_diff as write_diff_files
    log = log or get_logger(__name__).info
    store = open_store(db_url)
    target = result.target
    rec = store.record(result.report, report_dir=target.out_dir, batch_id=batch_id, shop_id=shop_id,
                       label=getattr(target, "label", None) or None, worker=worker, url=target.url,
                       manifest_sha256=getattr(result, "manifest_sha256", None))
    if rec.duplicate:
        log(f"{target.url}: already stored as scan #{rec.scan_id}")
        return rec.scan_id
    if rec.diff is None:
        log(f"{target.url}: stored as scan #{rec.scan_id} (first scan of {host_key(target.url)})")
        return rec.scan_id
    if write_diff and target.out_dir:
        write_diff_files(rec.diff, Path(target.out_dir))
    lines = change_lines(rec.diff)
    head = (f"{target.url}: stored as scan #{rec.scan_id}; "
            f"{len(rec.diff['changes'])} change(s) since scan #{rec.previous_scan_id}")
    log(head + ("" if lines else " (unchanged)"))
    for line in lines:
        log("  " + line)
    return rec.scan_id


def recorded_manifest_sha256(db_url: str | None, report_dir: str | Path) -> str | None:
    """The manifest hash the history recorded for the latest scan written to ``report_dir``."""
    from sqlalchemy import select
    store = open_store(db_url)
    with store.transaction() as s:
        return s.scalar(select(Scan.manifest_sha256)
                        .where(Scan.report_dir == str(report_dir), Scan.manifest_sha256.is_not(None))
                        .order_by(Scan.id.desc()).limit(1))
