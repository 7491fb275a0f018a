"""`cardshop-audit batch FILE --broker URL --db URL`: register the batch in the database,
enqueue its shops in chunks on the broker, follow the workers' progress in the database,
and write DIR/<shop>/report.* and the summary from it.

The coordinator reads results and dead letters only from the database; the broker carries
work, never the truth about what is done.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from cardshop_auditor.engine.broker import (chunk_message, dead_letter_stats, enqueue, make_broker,
                                            with_backoff)
from cardshop_auditor.queue_signing import sign
from cardshop_auditor.queue_tasks import (TaskRejected, clean_label, parse_batch_options, queue_options,
                                          worker_only_options_set)

DEFAULT_CHUNK = 4                # the smallest automatic chunk (and the web app's one-shop tasks stay 1)
TASKS_PER_WORKER = 2             # automatic chunks: about this many per live worker, for an even finish
MAX_MANIFEST_BYTES = 16 * 2**20
MAX_HTML_BYTES = 64 * 2**20


def auto_chunk(shops: int, workers: int) -> int:
    """Shops per task when ``--chunk`` is not given: few large tasks, as the single-process
    batch's chunks of 100 (every task costs a crawl child's start-up, ~0.9 s of CPU), but at
    least ``TASKS_PER_WORKER`` per live worker so that every worker has work to the end."""
    from cardshop_auditor.queue_tasks import MAX_CHUNK
    share = -(-shops // (TASKS_PER_WORKER * max(1, workers)))
    return max(DEFAULT_CHUNK, min(MAX_CHUNK, share))


def _say(message: str) -> None:
    print(f"[cardshop-audit] {message}", file=sys.stderr, flush=True)


# A batch file's per-shop options that travel with the shop (AuditOptions names; each
# bounded by the payload schema, as the batch's own options are).
SHOP_OPTIONS = ("lang", "max_pages", "max_depth", "timeout", "shop_time_budget", "max_page_bytes", "browser")


def shop_payload(shop) -> dict:
    """What travels for one shop: its URL, label, order number and own options, and only a
    reference when it logs in (the password, and the user name, which is personal data,
    stay with each worker): the *name* of a batch file's password_env, which each worker
    resolves from its own --credentials file, else "site" (the worker's --auth file)."""
    payload = {"url": shop.url, "label": clean_label(shop.label)}
    ref = getattr(shop, "credential_ref", None) or {}
    if ref.get("password_env"):
        payload["credential_ref"] = {"name": str(ref["password_env"])}
    elif shop.username or shop.password:
        payload["credential_ref"] = "site"
    if getattr(shop, "order_no", None):
        payload["order_no"] = str(shop.order_no)
    own = {k: v for k, v in (getattr(shop, "options", None) or {}).items() if k in SHOP_OPTIONS}
    if own:
        payload["options"] = own
    return payload


def check_payloads(shops) -> None:
    """Refuse here (exit 2) what every worker would dead-letter: a shop whose order number,
    own options or credential name the task schema does not accept."""
    from cardshop_auditor.errors import UsageError
    from cardshop_auditor.queue_tasks import parse_task
    for shop in shops:
        raw = json.dumps(shop_payload(shop), ensure_ascii=False, separators=(",", ":"))
        try:
            parse_task("batch:shop", raw)
        except TaskRejected as exc:
            raise UsageError(f"with --broker, shop {shop.url}: {exc}") from None


def enqueue_shops(broker, store, batch_id: str, shops, *, chunk: int = DEFAULT_CHUNK,
                  queue_secret: str | None = None) -> int:
    """Enqueue the shops not yet stored, ``chunk`` per message; returns how many."""
    from cardshop_auditor.storage import deadletters
    stored = store.stored_shops(batch_id, [s.id for s in shops])
    todo = [s for s in shops if s.id not in stored]
    deadletters.clear(store, batch_id, [s.id for s in todo])       # --resume: a fresh set of attempts
    for start in range(0, len(todo), chunk):
        tasks = []
        for shop in todo[start:start + chunk]:
            payload = shop_payload(shop)
            raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
            tasks.append((shop.id, raw, sign(queue_secret, batch_id, shop.id, payload) if queue_secret else None))
        enqueue(broker, chunk_message(batch_id, tasks))
    return len(todo)


def _with_backoff(what: str, fn, *, budget: float):
    return with_backoff(what, fn, budget=budget, say=_say)


def run_distributed_batch(shops, out_dir: Path, options, *, broker_url: str, db: str, resume: bool = False,
                          source: str | None = None, wait: bool = True, wait_timeout: float | None = None,
                          progress: bool = True, poll: float = 1.0, queue_secret: str | None = None,
                          chunk: int | None = None, outage_wait: float = 120.0):
    from cardshop_auditor.batch import BatchOutcome, Progress, prepare_batch, summary_rows, write_summary
    from cardshop_auditor.storage import deadletters, open_store

    out_dir = Path(out_dir)
    try:                         # what workers would refuse is refused here, before anything is queued
        parse_batch_options(json.dumps(queue_options(options.to_json())))
    except TaskRejected as exc:
        from cardshop_auditor.errors import UsageError
        raise UsageError(f"with --broker, {exc}: workers accept only bounded audit limits") from None
    check_payloads(shops)
    batch_id, started, journal = prepare_batch(shops, out_dir, resume=resume, source=source,
                                               options_json=options.to_json())
    store = _with_backoff("database", lambda: open_store(db), budget=outage_wait)
    # the workers read the batch's options from this row (allow-listed again on their side)
    _with_backoff("database", lambda: store.ensure_batch(batch_id, source=source, total=len(shops),
                                                         options=queue_options(options.to_json())),
                  budget=outage_wait)
    local = worker_only_options_set(options.to_json())
    if local:
        _say(f"not sent to workers (each worker sets its own): {', '.join(local)}")
    named = sorted({p["credential_ref"]["name"] for p in map(shop_payload, shops)
                    if isinstance(p.get("credential_ref"), dict)})
    by_site = sum(shop_payload(s).get("credential_ref") == "site" for s in shops)
    if named:
        _say(f"{len(named)} credential name(s) go to the workers, never a password: each worker needs "
             f"them in its own --credentials FILE ({', '.join(named)})")
    if by_site:
        _say(f"{by_site} shop(s) log in: their passwords are not put on the broker; each worker "
             "needs them in its own --auth FILE")
    broker = make_broker(broker_url)
    if not chunk:
        from cardshop_auditor.engine.broker import live_workers
        workers = _with_backoff("broker", lambda: live_workers(broker), budget=outage_wait)
        chunk = auto_chunk(len(shops), workers)
        _say(f"{chunk} shop(s) per task ({workers or 'no'} worker(s) seen on the broker)")
    try:
        enqueued = _with_backoff("broker", lambda: enqueue_shops(broker, store, batch_id, shops, chunk=chunk,
                                                                  queue_secret=queue_secret), budget=outage_wait)
    finally:
        broker.close()
    _say(f"batch {batch_id}: {enqueued} shop(s) enqueued on {broker_url.split('@')[-1]} "
         f"({len(shops) - enqueued} already stored)")
    if not wait:
        return None

    outcome = BatchOutcome(batch_id, out_dir, len(shops))
    exported: set[str] = set(journal.done)
    wanted = {s.id for s in shops}
    bar = Progress(len(shops), already=0, enabled=progress)
    deadline = time.monotonic() + wait_timeout if wait_timeout else None
    dead: dict[str, str] = {}
    rendered = 0                       # report.html rendered here, not taken from the worker
    try:
        while True:
            scans = _with_backoff("database", lambda: store.batch_shop_scans(batch_id), budget=outage_wait)
            for scan_id, shop_id in scans:
                if shop_id in wanted and shop_id not in exported:
                    if not _export_scan(store, scan_id, out_dir / shop_id):
                        rendered += 1
                    journal.append("done", shop_id, f"{shop_id}/report.json")
                    exported.add(shop_id)
                    outcome.audited_now.append(shop_id)
            letters = _with_backoff("database", lambda: deadletters.for_batch(store, batch_id), budget=outage_wait)
            dead = {k: v for k, v in letters.items() if k in wanted and k not in exported}
            bar.done = len(exported)
            bar.show(f"{len(dead)} given up")
            if len(exported) + len(dead) >= len(wanted):
                break
            if deadline and time.monotonic() > deadline:
                print(file=sys.stderr)
                _say(f"stopped waiting after {wait_timeout:g}s; workers go on — rerun with --resume to "
                     "collect the rest")
                break
            time.sleep(poll)
    finally:
        bar.close()
    if rendered:
        _say(f"report.html of {rendered} shop(s) rendered again here (the worker's file was not readable "
             "on this machine or not the one its manifest lists)")
    outcome.rows = summary_rows(shops, out_dir, batch_id=batch_id)
    for row in outcome.rows:
        if row["status"] == "missing" and row["id"] in dead:
            row["reason"] = f"given up: {dead[row['id']]}"
    outcome.missing = [r["id"] for r in outcome.rows if r["status"] == "missing"]
    given_up = [sid for sid in outcome.missing if sid in dead]
    if given_up:                       # which shops are missing is said by the batch command
        shown = ", ".join(f"{sid} ({dead[sid]})" for sid in given_up[:20])
        more = f" and {len(given_up) - 20} more" if len(given_up) > 20 else ""
        _say(f"given up by the workers: {shown}{more}")
    outcome.paths = write_summary(outcome.rows, out_dir, batch_id=batch_id, started_at=started, lang=options.lang)
    outcome.dead_letter_queue = _dead_letter_queue(broker_url)
    return outcome


def _dead_letter_queue(broker_url: str) -> tuple[int, int] | None:
    """(held, dropped over the cap) of the broker's dead-letter queue, for the summary line;
    None when the broker cannot say (the batch's own result does not depend on it)."""
    import redis
    from dramatiq.errors import BrokerConnectionError
    broker = make_broker(broker_url)
    try:
        return dead_letter_stats(broker)
    except (redis.RedisError, BrokerConnectionError):
        return None
    finally:
        broker.close()


def _export_scan(store, scan_id: int, shop_dir: Path) -> bool:
    """A stored scan back on disk: report.json + report.html, its evidence, its diff.
    report.html is the worker's own file when it can be proven to be (``worker_html``),
    else rendered here from the stored report.  True when the worker's file was used."""
    from cardshop_auditor.artifacts import write_atomic
    from cardshop_auditor.report.diff_page import write_diff
    from cardshop_auditor.report import render_html
    from cardshop_auditor.report.write import report_json
    scan = store.get_scan(scan_id)
    shop_dir.mkdir(parents=True, exist_ok=True)
    store.export_evidence(scan_id, shop_dir)
    report = scan.report
    html = worker_html(scan.report_dir, scan.manifest_sha256)
    write_atomic(shop_dir / "report.html", html if html is not None else render_html(report, report.get("lang") or "zh"))
    write_atomic(shop_dir / "report.json", report_json(report))      # last: the commit marker
    if scan.diff:
        write_diff(scan.diff, shop_dir, lang=report.get("lang") or "zh")
    return html is not None


def worker_html(report_dir: str | None, manifest_sha256: str | None) -> bytes | None:
    """The report.html a worker wrote for a scan, when this machine can read it and it is
    provably that file: its sha256 is the one listed in the worker's manifest.json, whose
    own sha256 the worker stored with the scan.  Otherwise None (rendered again: another
    machine, a manifest turned off, a file changed or gone).

    The directory comes from the database row, never from the queue; and whatever is
    there, only bytes whose hash chain ends at the stored manifest hash are used."""
    import hashlib
    if not report_dir or not manifest_sha256 or not Path(report_dir).is_absolute():
        return None
    base = Path(report_dir)
    raw = _read_regular_file(base / "manifest.json", MAX_MANIFEST_BYTES)
    if raw is None or hashlib.sha256(raw).hexdigest() != manifest_sha256:
        return None
    try:
        files = json.loads(raw).get("files")
        listed = next(f["sha256"] for f in files if isinstance(f, dict) and f.get("path") == "report.html"
                      and not f.get("symlink"))
    except (ValueError, AttributeError, TypeError, KeyError, StopIteration):
        return None
    html = _read_regular_file(base / "report.html", MAX_HTML_BYTES)
    if html is None or not isinstance(listed, str) or hashlib.sha256(html).hexdigest() != listed:
        return None
    return html


def _read_regular_file(path: Path, limit: int) -> bytes | None:
    """The bytes of a regular file of at most ``limit`` bytes; None for anything else (a
    symlink, a FIFO or a device is never opened for reading past its first check)."""
    import os
    import stat
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):     # a device is not even opened
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(limit + 1)
        return data if len(data) <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)
