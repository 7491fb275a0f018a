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

DEFAULT_CHUNK = 4


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
    todo = [s for s in shops if store.find_scan(batch_id, s.id) is None]
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
                          chunk: int = DEFAULT_CHUNK, outage_wait: float = 120.0):
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
    try:
        while True:
            scans = _with_backoff("database", lambda: store.batch_scans(batch_id), budget=outage_wait)
            for scan in (s for s in scans if s.shop_id in wanted and s.shop_id not in exported):
                _export_scan(store, scan.id, out_dir / scan.shop_id)
                journal.append("done", scan.shop_id, f"{scan.shop_id}/report.json")
                exported.add(scan.shop_id)
                outcome.audited_now.append(scan.shop_id)
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


def _export_scan(store, scan_id: int, shop_dir: Path) -> None:
    """A stored scan back on disk: report.json + report.html, its evidence, its diff."""
    from cardshop_auditor.artifacts import write_atomic
    from cardshop_auditor.report.diff_page import write_diff
    from cardshop_auditor.report import render_html
    scan = store.get_scan(scan_id)
    shop_dir.mkdir(parents=True, exist_ok=True)
    store.export_evidence(scan_id, shop_dir)
    report = scan.report
    write_atomic(shop_dir / "report.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    write_atomic(shop_dir / "report.html", render_html(report, report.get("lang") or "zh"))
    if scan.diff:
        write_diff(scan.diff, shop_dir, lang=report.get("lang") or "zh")
