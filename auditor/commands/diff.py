"""`cardshop-audit diff OLD NEW`: what changed between two scans (report.json files, report
directories, or scan ids in the history database)."""
from __future__ import annotations

import json
from pathlib import Path

from cardshop_auditor.logs import get_logger


def add_parser(sub) -> None:
    p = sub.add_parser("diff", help="compare two scans of a shop",
                       description="Compare two scans and write DIR/diff.json and DIR/diff.html. OLD and NEW "
                                   "are report.json files (or their directories), or scan ids of the "
                                   "history database (--db).")
    p.add_argument("old", help="older scan: report.json, its directory, or a scan id")
    p.add_argument("new", help="newer scan: report.json, its directory, or a scan id")
    p.add_argument("--out", type=Path, default=Path("."), help="output directory (default: .)")
    p.add_argument("--db", help="history database for scan ids (default: $CARDSHOP_DB or the user's history.db)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="diff.html language (default zh)")
    p.add_argument("--fail-on-change", action="store_true", help="exit 1 when anything changed")
    from cardshop_auditor.alerts import add_webhook_options
    add_webhook_options(p, "the diff (when anything changed)")
    p.add_argument("--webhook-always", action="store_true", help="POST even when nothing changed")
    p.set_defaults(run=run)


def load_scan(ref: str, db: str | None) -> dict:
    """A report from a path or a scan id."""
    from cardshop_auditor.errors import UsageError
    path = Path(ref)
    if path.is_dir():
        path = path / "report.json"
    if path.is_file():
        try:
            return json.loads(path.read_text("utf-8"))
        except ValueError as exc:
            raise UsageError(f"{path}: not JSON ({exc})") from None
    if ref.isdigit():
        from cardshop_auditor.storage import open_store
        report = open_store(db).get_report(int(ref))
        if report is None:
            raise UsageError(f"no scan #{ref} in the history database")
        report = dict(report)
        report["_scan_id"] = int(ref)
        return report
    raise UsageError(f"{ref}: no such report.json (nor a scan id)")


def evidence_status(ref: str, db: str | None) -> dict | None:
    """Does a scan's directory still verify (cardshop-audit verify, against the manifest hash
    the history recorded when the scan is a scan id)?  None: no manifest to check."""
    from cardshop_auditor.evidence.manifest import MANIFEST
    from cardshop_auditor.evidence.verify import verify_scan
    path, expected = Path(ref), None
    if path.is_file():
        path = path.parent
    elif not path.is_dir() and ref.isdigit():
        from cardshop_auditor.storage import open_store
        scan = open_store(db).get_scan(int(ref), with_report=False)
        if scan is None or not scan.report_dir:
            return None
        path, expected = Path(scan.report_dir), scan.manifest_sha256
    if not (path / MANIFEST).is_file():
        return {"verified": False, "problems": [f"{path / MANIFEST}: missing"]} if expected else None
    result = verify_scan(path, expected_sha256=expected)
    return {"verified": result.ok, "manifest_sha256": result.manifest_sha256, "problems": result.problems[:20]}


def run(args) -> int:
    from cardshop_auditor.alerts import deliver, webhook_from_args
    from cardshop_auditor.errors import EXIT_ALERT
    from cardshop_auditor.diff import change_lines, diff_reports
    from cardshop_auditor.report.diff_page import write_diff

    hook = webhook_from_args(args)
    old, new = load_scan(args.old, args.db), load_scan(args.new, args.db)
    diff = diff_reports(old, new)
    for side, report in (("old", old), ("new", new)):
        if "_scan_id" in report:
            diff[side]["scan_id"] = report["_scan_id"]
    log = get_logger("diff")
    for side, ref in (("old", args.old), ("new", args.new)):
        status = evidence_status(ref, args.db)
        if status is not None:
            diff[side]["evidence"] = status
            if not status["verified"]:
                log.warning(f"the {side} scan's evidence no longer verifies: {status['problems'][0]}"
                            + (f" (and {len(status['problems']) - 1} more)" if len(status["problems"]) > 1 else ""))
    paths = write_diff(diff, args.out, lang=args.lang)
    for kind, path in paths.items():
        print(f"{kind}: {path}")
    lines = change_lines(diff)
    log.info(f"{len(lines)} change(s)")
    for line in lines:
        log.info("  " + line)
    code = 1 if (args.fail_on_change and lines) else 0
    if hook and (lines or args.webhook_always) and not deliver(hook, diff, list_key="changes"):
        code = max(code, EXIT_ALERT)
    return code
