"""`cardshop-audit batch FILE --out DIR`: audit many shops, a report each plus a summary.

FILE: a URL per line, CSV / TSV (any delimiter, UTF-8 or GBK, a header in Chinese or
English), XLSX, or a TOML file with [defaults] and [[shop]] tables (auditor/batch_input.py).  With
``--broker`` the shops are enqueued on the task engine (Dramatiq, auditor/engine) for
``cardshop-audit worker`` processes on any number of machines (results land in ``--db``,
which is required then); the command waits for them and writes the same summary from the
database, and exits 4 naming the shops left unaudited.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from cardshop_auditor.commands._common import (add_audit_options, add_json_option, claim_output_dir,
                                               options_from_args)
from cardshop_auditor.errors import EXIT_OUR_SIDE
from cardshop_auditor.logs import get_logger

DEFAULT_CONCURRENCY = 8


def add_parser(sub) -> None:
    p = sub.add_parser("batch", help="audit many shops (file of URLs / CSV), with a summary report",
                       description="Audit every shop in FILE (a URL per line; CSV or TSV in UTF-8 or "
                                   "GBK with a header such as 网址,店铺,备注 or url,label,note; XLSX; or a "
                                   "TOML file with [defaults] and [[shop]] tables for per-shop options and "
                                   "credentials by reference) and write DIR/<shop>/report.html, "
                                   "DIR/index.html (sortable summary with charts), DIR/summary.csv, "
                                   "DIR/summary.xlsx and DIR/summary.json. Lines that are not web "
                                   "addresses are skipped with a warning naming their line.")
    p.add_argument("file", type=Path, help="URL list, CSV, TSV, XLSX or TOML batch file")
    p.add_argument("--out", type=Path, required=True, help="output directory")
    p.add_argument("--db", help="store every scan in this history database and diff it against the "
                                "shop's previous scan (sqlite:///… or postgresql://…)")
    p.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY,
                   help=f"shops crawled at once, per crawl process (default {DEFAULT_CONCURRENCY})")
    p.add_argument("--resume", action="store_true",
                   help="continue an interrupted batch in DIR: shops already done are not audited again")
    p.add_argument("--broker", "--redis", dest="broker",
                   help="enqueue the shops on this Dramatiq broker (redis://… or amqp://…) for "
                        "`cardshop-audit worker` processes (needs --db)")
    p.add_argument("--chunk", type=int, help="with --broker: shops per task, crawled together by one worker "
                                             "(default: about two tasks per live worker, 4 to 100 shops each)")
    p.add_argument("--no-wait", action="store_true", help="with --broker: enqueue and exit")
    p.add_argument("--outage-wait", type=float, default=120.0,
                   help="with --broker: ride out a broker or database outage this many seconds, retrying "
                        "with backoff, before giving up with exit 4 (default 120)")
    p.add_argument("--queue-secret-env", metavar="VAR",
                   help="with --broker: sign each task with the secret in this environment variable "
                        "(default $CARDSHOP_QUEUE_SECRET), for workers started with the same secret")
    p.add_argument("--wait-timeout", type=float, default=0,
                   help="with --broker: give up waiting after this many seconds (default: no limit)")
    p.add_argument("--fail-on-change", action="store_true",
                   help="exit 1 when any shop changed since its previous scan (needs --db)")
    from cardshop_auditor.alerts import add_webhook_options
    add_webhook_options(p, "the diffs of the shops that changed (needs --db)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    add_audit_options(p)
    add_json_option(p, "the summary (summary.json with every shop)")
    p.set_defaults(run=run)


def run(args) -> int:
    from cardshop_auditor.errors import EXIT_OK, UsageError

    options = options_from_args(args)
    if args.concurrency < 1:
        raise UsageError("--concurrency must be ≥ 1")
    if args.broker and not args.db:
        raise UsageError("--broker needs --db: workers store their results in the database")
    from cardshop_auditor.queue_tasks import MAX_CHUNK
    if args.chunk is not None and not 1 <= args.chunk <= MAX_CHUNK:
        raise UsageError(f"--chunk must be between 1 and {MAX_CHUNK}")
    if (args.fail_on_change or args.webhook) and not args.db:
        raise UsageError("--fail-on-change and --webhook compare with earlier scans: they need --db")
    from cardshop_auditor.alerts import webhook_from_args
    hook = webhook_from_args(args)
    shops = read_shops(args.file, resolve=not args.broker)   # with --broker, each worker resolves its own
    plaintext = sum(s.plaintext_password for s in shops)
    if plaintext:
        from cardshop_auditor.secrets import warn
        warn(f"{args.file} holds {plaintext} plaintext password(s); prefer a password_env (or "
             f"password_file) column, or --auth FILE with password_env entries")
    if args.auth:                    # --auth FILE: credentials per site, for shops the CSV gave none
        from cardshop_auditor.browser.credentials import credentials_for
        from cardshop_auditor.credentials import credential_ref
        for shop in shops:
            if not shop.username:
                creds = credentials_for(args.auth, shop.url)
                if creds:
                    shop.username, shop.password = creds
                    shop.credential_ref = credential_ref(username=creds.username, auth=True)

    claim_output_dir(args.out, batch=True)

    if args.broker:
        from cardshop_auditor.engine.coordinator import run_distributed_batch
        from cardshop_auditor.queue_signing import QueueSecretError, queue_secret
        try:
            secret = queue_secret(args.queue_secret_env)
        except QueueSecretError as exc:
            raise UsageError(str(exc)) from None
        outcome = run_distributed_batch(shops, args.out, options, broker_url=args.broker, db=args.db,
                                        resume=args.resume, source=str(args.file), wait=not args.no_wait,
                                        wait_timeout=args.wait_timeout or None,
                                        progress=not args.no_progress, queue_secret=secret,
                                        chunk=args.chunk, outage_wait=args.outage_wait)
        if outcome is None:   # --no-wait
            return EXIT_OK
    else:
        from cardshop_auditor.batch import run_batch
        outcome = run_batch(shops, args.out, options, db=args.db, concurrency=args.concurrency,
                            resume=args.resume, source=str(args.file), progress=not args.no_progress)

    rows = outcome.rows
    as_json = getattr(args, "json", False)
    for kind, path in outcome.paths.items():
        print(f"{kind}: {path}", file=sys.stderr if as_json else sys.stdout)
    log = get_logger("batch")
    n_done = sum(r["status"] != "missing" for r in rows)
    log.info(f"{n_done}/{len(rows)} shop(s) audited ({len(outcome.audited_now)} now, {len(outcome.skipped)} "
             f"already done); {sum(r['status'] == 'failed' for r in rows)} could not be audited; "
             f"{len(outcome.missing)} not done{_dead_letter_note(outcome)}")
    changed = [r for r in rows if r.get("changes")]
    if args.db and changed:
        log.info(f"{len(changed)} shop(s) changed since their previous scan:")
        for r in changed:
            log.info(f"  {r['url']}: {r['changes']} change(s) → {args.out / r['id'] / 'diff.html'}")
    alert_failed = bool(hook and changed) and not _post_changes(hook, outcome, changed, args.out)
    if outcome.missing:
        log.error("error: %s", missing_line(outcome, rows), extra={"exit_code": int(EXIT_OUR_SIDE)})
    code = batch_exit_code(rows, fail_on=args.fail_on, fail_on_change=args.fail_on_change,
                           alert_failed=alert_failed)
    if as_json:
        from cardshop_auditor.commands._common import print_json_result
        summary_path = outcome.paths.get("summary.json")
        try:
            summary = json.loads(Path(summary_path).read_text("utf-8")) if summary_path else None
        except (OSError, ValueError):
            summary = None
        print_json_result("batch", code, outcome.paths, "summary", summary or {"shops": rows})
    return code


def read_shops(path: Path, resolve: bool = True) -> list:
    """The shops of a batch file (auditor/batch_input.py); a line that is not a web address
    or a duplicate is a warning with its line number, a file with nothing usable exit 2.
    ``resolve=False``: password references are kept as references (``batch --broker``)."""
    from cardshop_auditor.batch_input import read_batch_file
    from cardshop_auditor.errors import UsageError
    try:
        batch = read_batch_file(path, resolve=resolve)
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UsageError(f"{path}: {exc}") from None
    log = get_logger("batch")
    for problem in batch.problems:
        log.warning(f"{path}: {problem}")
    if batch.problems:
        log.warning(f"{path}: {len(batch.shops)} shop(s) to audit, {len(batch.problems)} line(s) skipped")
    return batch.shops


def _dead_letter_note(outcome) -> str:
    """With --broker: what the broker's dead-letter queue holds, and how many of its oldest
    messages were dropped over its cap (a flood of malformed tasks shows here)."""
    stats = getattr(outcome, "dead_letter_queue", None)
    if not stats:
        return ""
    held, dropped = stats
    if dropped is None:            # RabbitMQ drops over the cap itself and does not count
        return f"; broker dead-letter queue: {held} message(s)"
    return f"; broker dead-letter queue: {held} message(s), {dropped} dropped over its cap"


MISSING_SHOWN = 5      # shops named on the error line; summary.json lists them all


def missing_line(outcome, rows: list[dict]) -> str:
    """One line naming the shops left unaudited and why (the first failure seen)."""
    urls = [r["url"] for r in rows if r["status"] == "missing"]
    named = ", ".join(urls[:MISSING_SHOWN]) + (f" and {len(urls) - MISSING_SHOWN} more" if len(urls) > MISSING_SHOWN else "")
    why = f" ({outcome.failures[0]})" if getattr(outcome, "failures", None) else ""
    return f"{len(urls)} shop(s) not audited{why}: {named}; see summary.json, rerun with --resume"


def batch_exit_code(rows: list[dict], fail_on: str | None = None, fail_on_change: bool = False,
                    alert_failed: bool = False) -> int:
    """The highest exit code that applies (DESIGN.md): 5 an alert not delivered, 4 shops left
    unaudited, 3 shops that could not be audited, 1 a --fail-on threshold or
    --fail-on-change, else 0."""
    from cardshop_auditor.errors import EXIT_ALERT, EXIT_OK, EXIT_OUR_SIDE, EXIT_THRESHOLD, EXIT_UNAUDITABLE
    from cardshop_auditor.checks.base import SEVERITY_RANK
    codes = [EXIT_OK]
    if fail_on and any(SEVERITY_RANK.get(r["risk"] or "", 0) >= SEVERITY_RANK[fail_on] for r in rows):
        codes.append(EXIT_THRESHOLD)
    if fail_on_change and any(r.get("changes") for r in rows):
        codes.append(EXIT_THRESHOLD)
    if any(r["status"] == "failed" for r in rows):
        codes.append(EXIT_UNAUDITABLE)
    if any(r["status"] == "missing" for r in rows):
        codes.append(EXIT_OUR_SIDE)
    if alert_failed:
        codes.append(EXIT_ALERT)
    return max(codes)


def _post_changes(hook, outcome, changed: list[dict], out_dir: Path) -> bool:
    """True when the alert was delivered (auditor/alerts.py)."""
    from cardshop_auditor.alerts import deliver
    payload = {"batch_id": outcome.batch_id, "changed": []}
    for r in changed:
        try:
            diff = json.loads((out_dir / r["id"] / "diff.json").read_text("utf-8"))
        except (OSError, ValueError):
            diff = None
        payload["changed"].append({"shop": r["id"], "url": r["url"], "label": r.get("label"), "diff": diff})
    return deliver(hook, payload, list_key="changed")
