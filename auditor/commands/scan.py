"""`cardshop-audit scan URL`: audit one shop, write report.json + report.html."""
from __future__ import annotations

from pathlib import Path

from cardshop_auditor.commands._common import (add_audit_options, add_json_option, options_from_args, print_json_result,
                                               print_paths, threshold_reached)
from cardshop_auditor.logs import get_logger


def add_parser(sub) -> None:
    p = sub.add_parser("scan", help="audit one card shop",
                       description="Audit one card shop and write DIR/report.json, DIR/report.html, DIR/evidence/.")
    p.add_argument("url", help="the shop's home page, e.g. https://shop.example.cn/")
    p.add_argument("--out", type=Path, help="output directory (default ./audit-<host>-<timestamp>)")
    p.add_argument("--db", help="also store the scan in this history database (sqlite:///… or postgresql://…)")
    add_audit_options(p)
    add_json_option(p, "the report")
    p.set_defaults(run=run)


def run(args) -> int:
    from cardshop_auditor.errors import EXIT_OK, EXIT_THRESHOLD, EXIT_UNAUDITABLE, UsageError
    from cardshop_auditor.commands._common import claim_output_dir
    from cardshop_auditor.failures import write_our_side_report
    from cardshop_auditor.pipeline import default_out_dir, scan
    from cardshop_auditor.urls import target_url

    options = options_from_args(args)
    try:
        url = target_url(args.url)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.auth and not options.username:
        from cardshop_auditor.browser.credentials import credentials_for
        creds = credentials_for(args.auth, url)
        if creds:
            options.username, options.password = creds
    if getattr(args, "db", None):        # an unreachable database fails now, not after the audit
        from cardshop_auditor.storage import open_store
        open_store(args.db)
    out_dir = claim_output_dir(args.out, default=default_out_dir(url))
    try:
        result = scan(url, options, out_dir)
    except Exception as exc:         # our side (disk full, a bug): exit 4, a report.json if it fits
        if isinstance(exc, OSError) and not exc.filename:
            exc.filename = str(out_dir)  # "No space left on device: <the scan's directory>"
        write_our_side_report(url, out_dir, options, exc)
        raise
    if getattr(args, "db", None):
        from cardshop_auditor.storage import record_result
        record_result(args.db, result)
    if not result.audited:
        code = EXIT_UNAUDITABLE
    else:
        code = EXIT_THRESHOLD if threshold_reached(result.report, args.fail_on) else EXIT_OK
    if getattr(args, "json", False):
        print_json_result("scan", code, result.paths, "report", result.report)
    else:
        print_paths(result.paths)
    if not result.audited:
        get_logger("scan").error(f"{url} could not be audited: {result.report.get('reason', 'unknown')}",
                                 extra={"exit_code": int(EXIT_UNAUDITABLE), "url": url})
    return code
