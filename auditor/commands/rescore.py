"""`cardshop-audit rescore DIR`: judge a saved scan again with the current checks.

A sealed scan (manifest.json) must verify first; it is sealed again afterwards, the old
seal kept under superseded/<n>/ (auditor/evidence/reseal.py).  --sign-key signs the new
manifest; without it the new manifest is unsigned and the old signature stays with the
old manifest."""
from __future__ import annotations

from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("rescore", help="re-judge a saved scan without crawling",
                       description="Re-run extractors and checks over DIR/artifacts and rewrite the reports. "
                                   "A scan with a manifest.json must verify first; it is sealed again "
                                   "(the old manifest, signature, timestamp and reports are kept in "
                                   "DIR/superseded/<n>/), so `cardshop-audit verify DIR` holds afterwards.")
    p.add_argument("dir", type=Path, help="a scan output directory (contains artifacts/)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--sign-key", type=Path, metavar="FILE",
                   help="sign the new manifest.json with this Ed25519 private key (without it the new "
                        "manifest is unsigned; the scan's own signature stays valid for its superseded manifest)")
    p.add_argument("--tsa", metavar="URL", help="timestamp the new manifest.json at this RFC 3161 TSA")
    p.add_argument("--allow-network", action="append", default=[], metavar="CIDR",
                   help="where the --tsa may be, besides what the scan itself allowed")
    p.add_argument("--pdf", action="store_true", help="also print report.pdf again (the new manifest hash on every page)")
    p.set_defaults(run=run)


def run(args) -> int:
    from cardshop_auditor.errors import UsageError
    from cardshop_auditor.evidence.manifest import SigningKeyError, load_signing_key
    from cardshop_auditor.evidence.reseal import ResealRefused
    from cardshop_auditor.options import AuditOptions
    from cardshop_auditor.pipeline import rescore
    from cardshop_auditor.commands._common import network_options
    from cardshop_auditor.secrets import register_url_credentials
    if not (args.dir / "artifacts" / "meta.json").exists():
        raise UsageError(f"{args.dir} has no saved artifacts (artifacts/meta.json)")
    if args.sign_key:
        try:
            load_signing_key(args.sign_key)
        except SigningKeyError as exc:
            raise UsageError(str(exc)) from None
    if args.tsa:
        from urllib.parse import urlsplit
        register_url_credentials(args.tsa)
        if urlsplit(args.tsa).scheme not in ("http", "https") or not urlsplit(args.tsa).hostname:
            raise UsageError("--tsa must be an http(s) URL")
    options = AuditOptions(lang=args.lang, sign_key=str(args.sign_key) if args.sign_key else None,
                           tsa_url=args.tsa or None, pdf=args.pdf,
                           allow_networks=network_options(args)["allow_networks"])
    try:
        result = rescore(args.dir, options)
    except ResealRefused as exc:
        raise UsageError(str(exc)) from None
    report = result.report
    print(f"report.json: {args.dir / 'report.json'} (score {report.get('score')}, risk {report['risk']['level']})")
    if result.manifest_sha256:
        print(f"manifest.json: {args.dir / 'manifest.json'} (sha256 {result.manifest_sha256}, "
              f"{'signed' if args.sign_key else 'unsigned'}; the scan's previous seal kept in "
              f"{result.paths['superseded']})")
    return 0
