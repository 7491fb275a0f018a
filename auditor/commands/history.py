"""`cardshop-audit history HOST`: past scans of a shop with score, risk and number of changes;
with --out, also history.html: the score and the flags over time as a chart."""
from __future__ import annotations

import json
import sys
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("history", help="list past scans of a shop from the history database",
                       description="List the stored scans of HOST (a hostname, host:port or URL), newest "
                                   "first, with score, risk level, flags and the number of changes since "
                                   "the scan before.")
    p.add_argument("host", help="shop.example.cn, 127.0.0.1:8080 or a URL")
    p.add_argument("--db", help="history database URL (default: $CARDSHOP_DB or the user's history.db)")
    p.add_argument("--limit", type=int, default=50, help="at most this many scans (default 50)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--out", type=Path, help="also write DIR/history.html: score and flags over time as a chart")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of history.html")
    p.set_defaults(run=run)


def run(args) -> int:
    from cardshop_auditor.storage import open_store
    from cardshop_auditor.storage.store import utc

    store = open_store(args.db)
    rows = store.history(args.host, limit=args.limit)
    items = [{"scan_id": r.id, "host": r.host, "url": r.url, "scanned_at": utc(r.scanned_at).isoformat(),
              "score": r.score, "risk": r.risk_level, "flags": r.flags or [], "status": r.status,
              "changes": r.changes_count, "previous_scan_id": r.previous_scan_id, "batch_id": r.batch_id,
              "report_dir": r.report_dir} for r in rows]
    if args.out is not None:
        from cardshop_auditor.report.history_page import render_history
        args.out.mkdir(parents=True, exist_ok=True)
        page = render_history(args.host, items, args.out, lang=args.lang)
        print(f"history: {page}", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return 0
    if not items:
        print(f"no scans of {args.host} in {store!r}")
        return 0
    print(f"{'scan':>6}  {'scanned at (UTC)':<20} {'score':>5}  {'risk':<7} {'changes':>7}  {'status':<9} flags")
    for i in items:
        when = i["scanned_at"][:19].replace("T", " ")
        score = "–" if i["score"] is None else str(i["score"])
        changes = "first" if i["changes"] is None else str(i["changes"])
        print(f"{i['scan_id']:>6}  {when:<20} {score:>5}  {(i['risk'] or '–'):<7} {changes:>7}  "
              f"{i['status']:<9} {','.join(i['flags'])}")
    return 0
