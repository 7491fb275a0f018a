"""Batch audits: many shops, one report each, one summary, resumable.

    shops = read_targets(FILE)                  # a URL per line, or CSV url,username,password,label
    run_batch(shops, out_dir, options, db=…, concurrency=8, resume=True)

Layout of ``out_dir``::

    batch.json          the batch: id, start time, source, shops (no passwords)
    journal.log         append-only, fsynced: "start <batch id> <time>", then "done <shop id> <report>"
    batch.log           what the pipeline said, shop by shop
    <shop id>/          report.json, report.html, evidence/, artifacts/ (+ diff.json/html with --db)
    index.html          sortable summary with charts; summary.csv, summary.json

Shops are audited by ``pipeline.audit_shops`` in chunks of ``CHUNK_SHOPS`` (one crawl
child per chunk, judging overlapping crawling), ``concurrency`` shops crawled at once
(a new one starts whenever one finishes), so a batch of 1000 never starts 1000 crawls at
once and never waits for a chunk's slowest shop.  A shop is journaled only after its report (and, with ``--db``, its
database row) is written, so after Ctrl-C, kill -9 or a power cut ``--resume`` redoes
exactly the shops that have no journal line and no complete report of this batch: none
twice, none lost.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import logging
import os
import shutil
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

from cardshop_auditor.artifacts import write_atomic
from cardshop_auditor.batch_input import BatchShop, shop_id_for  # noqa: F401  (imported from here)
from cardshop_auditor.batch_summary import summary_rows, write_summary
from cardshop_auditor.logs import get_logger, writes_json

JOURNAL = "journal.log"
CHUNK_SHOPS = 100            # shops per crawler process
BATCH_JSON = "batch.json"


# --------------------------------------------------------------------------- input


def parse_targets(text: str) -> list[BatchShop]:
    """A URL list, CSV or TSV as text (auditor/batch_input.py), strictly: the first line
    that is not a web address raises ValueError with its line number; duplicates once."""
    from cardshop_auditor.batch_input import parse_text
    batch = parse_text(text)
    for problem in batch.problems:
        if problem.kind != "duplicate":
            raise ValueError(str(problem))
    return batch.shops


def read_targets(path: Path) -> list[BatchShop]:
    """The shops of a batch file in any format batch_input reads (skipped lines dropped)."""
    from cardshop_auditor.batch_input import read_batch_file
    return read_batch_file(path).shops


# --------------------------------------------------------------------------- journal


class Journal:
    """Append-only, one fsynced line per event; a torn last line (power cut) is ignored."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.batch_id: str | None = None
        self.started_at: str | None = None
        self.done: dict[str, str] = {}

    def load(self) -> "Journal":
        if not self.path.exists():
            return self
        with self.path.open("rb") as fh:
            data = fh.read()
        lines = data.split(b"\n")
        if not data.endswith(b"\n"):
            lines = lines[:-1]                       # a torn last line (power cut): never trust it
        for raw in lines:
            try:
                parts = raw.decode("utf-8").split(" ", 2)
            except UnicodeDecodeError:
                continue
            if parts[0] == "start" and len(parts) == 3:
                self.batch_id, self.started_at = parts[1], parts[2]
            elif parts[0] == "done" and len(parts) == 3:
                self.done[parts[1]] = parts[2]
        return self

    def start(self, batch_id: str, started_at: str) -> None:
        self.batch_id, self.started_at, self.done = batch_id, started_at, {}
        write_atomic(self.path, f"start {batch_id} {started_at}\n")

    def append(self, kind: str, shop_id: str, detail: str) -> None:
        line = f"{kind} {shop_id} {detail}\n".encode("utf-8")
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            size = os.fstat(fd).st_size
            if size:                                 # drop a torn last line before appending
                with open(self.path, "rb") as fh:
                    data = fh.read()
                if not data.endswith(b"\n"):
                    os.ftruncate(fd, data.rfind(b"\n") + 1)
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        if kind == "done":
            self.done[shop_id] = detail


def report_is_complete(path: Path, not_before: str | None = None) -> bool:
    """report.json exists, parses, has the contract's verdict fields, and (when given)
    was produced by this batch (scanned at or after ``not_before``)."""
    try:
        report = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(report, dict) or report.get("schema_version") != 1 or "risk" not in report \
            or "score" not in report or not report.get("scanned_at"):
        return False
    if not_before:
        from cardshop_auditor.storage.store import parse_time
        if parse_time(report["scanned_at"]) < parse_time(not_before).replace(microsecond=0):
            return False
    return True


# --------------------------------------------------------------------------- progress


def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """``[#####-----] 12/50  24%  0:32 elapsed  ETA 1:41`` on stderr: redrawn in place on a
    terminal, one line per shop otherwise (logs, CI)."""

    def __init__(self, total: int, already: int = 0, stream=None, width: int = 24, enabled: bool = True):
        self.total, self.done, self.start_done = total, already, already
        self.stream = stream or sys.stderr
        self.logged = stream is None             # stderr is the log's: lines go through logging
        self.width, self.enabled = width, enabled
        self.started = time.monotonic()
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def line(self, last: str = "") -> str:
        frac = self.done / self.total if self.total else 1.0
        filled = int(round(frac * self.width))
        elapsed = time.monotonic() - self.started
        fresh = self.done - self.start_done
        remaining = self.total - self.done
        eta = _clock(elapsed / fresh * remaining) if fresh and remaining else ("0:00" if not remaining else "–")
        text = (f"[{'#' * filled}{'-' * (self.width - filled)}] {self.done}/{self.total} {frac:4.0%}  "
                f"{_clock(elapsed)} elapsed  ETA {eta}")
        return text + (f"  {last}" if last else "")

    def update(self, n: int = 1, last: str = "") -> None:
        self.done += n
        self.show(last)

    def show(self, last: str = "") -> None:
        if not self.enabled:
            return
        if self.logged and (not self.tty or writes_json()):
            get_logger("batch").info(self.line(last))
            return
        if not self._drawn():
            return
        if self.tty:
            self.stream.write("\r\x1b[2K" + self.line(last)[:200])
        else:
            self.stream.write(self.line(last) + "\n")
        self.stream.flush()

    def _drawn(self) -> bool:
        """A bar is drawn on this stream (not with -q on the log's own stderr)."""
        return not self.logged or get_logger("batch").isEnabledFor(logging.INFO)

    def close(self) -> None:
        if self.enabled and self.tty and not (self.logged and writes_json()) and self._drawn():
            self.stream.write("\n")
            self.stream.flush()


# --------------------------------------------------------------------------- running


@dataclass
class BatchOutcome:
    batch_id: str
    out_dir: Path
    total: int
    audited_now: list[str] = field(default_factory=list)       # shop ids audited by this run
    skipped: list[str] = field(default_factory=list)           # already done (resume)
    missing: list[str] = field(default_factory=list)           # not done: no report, or not stored
    failures: list[str] = field(default_factory=list)          # one line per chunk that failed
    rows: list[dict] = field(default_factory=list)
    paths: dict = field(default_factory=dict)
    dead_letter_queue: tuple[int, int] | None = None           # --broker: (held, dropped over the cap)


def done_ids(outcome: BatchOutcome) -> set[str]:
    return set(outcome.audited_now) | set(outcome.skipped)


def new_batch_id() -> str:
    return datetime.now(timezone.utc).strftime("b%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]


def chunks(items: list, size: int) -> Iterator[list]:
    size = max(1, size)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def option_chunks(shops: list[BatchShop], options, size: int) -> Iterator[tuple[list, object]]:
    """Chunks of shops that share their per-shop options (a TOML batch file's limits and
    language), each with the AuditOptions they run with; file order kept within a group."""
    groups: dict[str, list[BatchShop]] = {}
    for shop in shops:
        groups.setdefault(json.dumps(shop.options, sort_keys=True), []).append(shop)
    for key, group in groups.items():
        group_options = dataclasses.replace(options, **json.loads(key)) if group[0].options else options
        for chunk in chunks(group, size):
            yield chunk, group_options


def prepare_batch(shops: list[BatchShop], out_dir: Path, *, resume: bool, source: str | None,
                  options_json: dict, batch_id: str | None = None) -> tuple[str, str, Journal]:
    """Open (or continue) the batch in out_dir: its id, start time and journal."""
    out_dir.mkdir(parents=True, exist_ok=True)
    journal = Journal(out_dir / JOURNAL)
    if resume:
        journal.load()
    if resume and journal.batch_id:
        return journal.batch_id, journal.started_at or "", journal
    batch_id = batch_id or new_batch_id()
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    write_atomic(out_dir / BATCH_JSON, json.dumps(
        {"batch_id": batch_id, "started_at": started, "source": source, "total": len(shops),
         "options": options_json, "shops": [s.public() for s in shops]}, ensure_ascii=False, indent=1) + "\n")
    journal.start(batch_id, started)
    return batch_id, started, journal


def run_batch(shops: list[BatchShop], out_dir: Path, options, *, db: str | None = None,
              concurrency: int = 8, resume: bool = False, source: str | None = None,
              progress: bool = True, lang: str | None = None,
              audit: Callable | None = None) -> BatchOutcome:
    """Audit every shop (resuming when asked), store them with ``db``, write the summary.
    ``audit`` is pipeline.audit_shops (replaceable in tests)."""
    from cardshop_auditor.pipeline import Target, audit_shops
    audit = audit or audit_shops
    out_dir = Path(out_dir)
    batch_id, started, journal = prepare_batch(shops, out_dir, resume=resume, source=source,
                                               options_json=options.to_json())
    outcome = BatchOutcome(batch_id, out_dir, len(shops))
    store = None
    if db:
        from cardshop_auditor.storage import open_store
        store = open_store(db)
        store.ensure_batch(batch_id, source=source, total=len(shops), options=options.to_json())
    logfile = open(out_dir / "batch.log", "a", encoding="utf-8")

    def log(message: str) -> None:
        from cardshop_auditor.secrets import scrub
        logfile.write(f"{datetime.now().isoformat(timespec='seconds')} {scrub(message)}\n")
        logfile.flush()

    # What is done already: journaled, or a complete report of this batch on disk (killed
    # after the report was written but before its journal line).
    todo: list[BatchShop] = []
    for shop in shops:
        report_path = out_dir / shop.id / "report.json"
        if shop.id in journal.done and report_is_complete(report_path):
            outcome.skipped.append(shop.id)
        elif resume and report_is_complete(report_path, not_before=started):
            if store is not None and store.find_scan(batch_id, shop.id) is None:
                _record_from_disk(db, shop, report_path, batch_id, log)
            journal.append("done", shop.id, f"{shop.id}/report.json")
            outcome.skipped.append(shop.id)
        else:
            todo.append(shop)
    if outcome.skipped:
        log(f"resume: {len(outcome.skipped)} shop(s) already done, {len(todo)} to go")

    bar = Progress(len(shops), already=len(outcome.skipped), enabled=progress)
    bar.show("resuming" if outcome.skipped else "starting")
    by_id = {s.id: s for s in shops}

    def on_result(result) -> None:
        shop = by_id[result.target.id]
        changes = None
        if db:
            from cardshop_auditor.storage import record_result
            record_result(db, result, batch_id=batch_id, shop_id=shop.id, log=log)
        journal.append("done", shop.id, f"{shop.id}/report.json")
        outcome.audited_now.append(shop.id)
        diff_path = out_dir / shop.id / "diff.json"
        if diff_path.exists():
            changes = len(json.loads(diff_path.read_text("utf-8")).get("changes") or [])
        status = result.report.get("status") or "complete"
        note = f"{urlsplit(shop.url).netloc} {result.report.get('score')}"
        if status == "failed":
            note += " (could not be audited)"
        elif changes:
            note += f" ({changes} change(s))"
        bar.update(1, note)

    # One crawler process per chunk of CHUNK_SHOPS shops, ``concurrency`` of them crawled at
    # once: a shop starts as soon as another finishes (no waiting for a whole chunk's
    # slowest shop), and a crawler that dies costs one chunk at most.
    options = dataclasses.replace(options, shops_in_flight=concurrency)
    try:
        for chunk, chunk_options in option_chunks(todo, options, max(concurrency, CHUNK_SHOPS)):
            targets = []
            for shop in chunk:
                shop_dir = out_dir / shop.id
                if shop_dir.exists():            # leftovers of an interrupted or older run
                    shutil.rmtree(shop_dir, ignore_errors=True)
                targets.append(Target(url=shop.url, out_dir=shop_dir, id=shop.id, label=shop.label,
                                      username=shop.username, password=shop.password,
                                      order_no=shop.order_no or options.order_no))
            try:
                audit(targets, chunk_options, log=log, on_result=on_result)
            except KeyboardInterrupt:
                raise
            except Exception as exc:             # one broken chunk must not sink the batch
                from cardshop_auditor.errors import describe_failure
                from cardshop_auditor.secrets import debug
                log(f"chunk failed: {type(exc).__name__}")      # library text: --debug only
                debug(f"chunk failed: {type(exc).__name__}: {exc}")
                left = [s.id for s in chunk if s.id not in done_ids(outcome)]
                outcome.failures.append(describe_failure(exc))
                get_logger(__name__).warning(f"{len(left)} shop(s) not audited: {outcome.failures[-1]} "
                                             "(rerun with --resume to retry them)")
    finally:
        bar.close()
        logfile.close()
        # A shop is done when it is journaled (its report, and with --db its row, written):
        # a report on disk whose row could not be stored (the database went away) is not.
        outcome.rows = summary_rows(shops, out_dir, batch_id=batch_id, done=done_ids(outcome))
        outcome.missing = [r["id"] for r in outcome.rows if r["status"] == "missing"]
        outcome.paths = write_summary(outcome.rows, out_dir, batch_id=batch_id, started_at=started,
                                      lang=lang or options.lang)
    return outcome


def _record_from_disk(db: str, shop: BatchShop, report_path: Path, batch_id: str, log) -> None:
    """Store a report written by a run that was killed before storing it."""
    from types import SimpleNamespace
    from cardshop_auditor.storage import record_result
    report = json.loads(report_path.read_text("utf-8"))
    target = SimpleNamespace(url=shop.url, out_dir=report_path.parent, label=shop.label, id=shop.id)
    record_result(db, SimpleNamespace(report=report, target=target), batch_id=batch_id, shop_id=shop.id, log=log)
