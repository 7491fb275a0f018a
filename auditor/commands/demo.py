"""`cardshop-audit demo`: serve the bundled fixture shops on 127.0.0.1 and audit them."""
from __future__ import annotations

from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("demo", help="audit the bundled fixture shops (served on 127.0.0.1)",
                       description="Serve every fixture shop on 127.0.0.1, audit them all, and write "
                                   "a report per shop plus an index page.")
    p.add_argument("--out", type=Path, default=Path("demo-reports"), help="output directory (default ./demo-reports)")
    p.add_argument("--shops", nargs="*", help="only these fixture shops (default: all)")
    p.add_argument("--browser", choices=["auto", "always", "never"], default="auto")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(run=run)


def run(args) -> int:
    from cardshop_auditor.options import AuditOptions
    from cardshop_auditor.pipeline import Target, audit_shops, stderr_log
    from cardshop_auditor.report import render_index
    from cardshop_auditor.demo.server import FixtureServer, load_labels, shop_names

    names = args.shops or shop_names()
    options = AuditOptions(browser=args.browser, lang=args.lang)
    with FixtureServer(names) as server:
        targets = []
        for name in names:
            labels = load_labels(name)
            creds = labels.get("credentials") or {}
            targets.append(Target(url=server.url(name), out_dir=args.out / name, id=name,
                                  label=labels.get("description", name),
                                  username=creds.get("username"), password=creds.get("password"),
                                  order_no=labels.get("order_no")))
        results = audit_shops(targets, options, log=stderr_log)
    entries = [{"name": r.target.id, "label": r.target.label, "url": r.target.url,
                "report": f"{r.target.id}/report.html", "score": r.report.get("score"),
                "risk": r.report["risk"]["level"], "flags": r.report["risk"]["flags"],
                "status": r.report.get("status", "complete")} for r in results]
    index = render_index(entries, args.out)
    print(f"index: {index}")
    for r in results:
        print(f"{r.target.id}: {r.paths.get('html', '')}")
    return 0
