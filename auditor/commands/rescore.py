"""`cardshop-audit rescore DIR`: judge a saved scan again with the current checks."""
from __future__ import annotations

from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("rescore", help="re-judge a saved scan without crawling",
                       description="Re-run extractors and checks over DIR/artifacts and rewrite the reports.")
    p.add_argument("dir", type=Path, help="a scan output directory (contains artifacts/)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(run=run)


def run(args) -> int:
    from cardshop_auditor.errors import UsageError
    from cardshop_auditor.options import AuditOptions
    from cardshop_auditor.pipeline import rescore
    if not (args.dir / "artifacts" / "meta.json").exists():
        raise UsageError(f"{args.dir} has no saved artifacts (artifacts/meta.json)")
    report = rescore(args.dir, AuditOptions(lang=args.lang))
    print(f"report.json: {args.dir / 'report.json'} (score {report.get('score')}, risk {report['risk']['level']})")
    return 0
