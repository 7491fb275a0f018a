"""Options shared by the commands that audit, and their mapping onto AuditOptions."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from cardshop_auditor.checks.base import SEVERITY_RANK
from cardshop_auditor.options import AuditOptions


def add_audit_options(p: argparse.ArgumentParser) -> None:
    d = AuditOptions()
    g = p.add_argument_group("crawl limits")
    g.add_argument("--max-pages", type=int, default=d.max_pages, help=f"pages per shop (default {d.max_pages})")
    g.add_argument("--max-depth", type=int, default=d.max_depth, help=f"link depth (default {d.max_depth})")
    g.add_argument("--timeout", type=float, default=d.timeout, help=f"seconds per request (default {d.timeout:g})")
    g.add_argument("--time-budget", type=float, default=d.shop_time_budget,
                   help=f"seconds for one shop's static crawl (default {d.shop_time_budget:g})")
    g.add_argument("--max-page-bytes", type=int, default=d.max_page_bytes,
                   help=f"bytes kept per response (default {d.max_page_bytes})")
    g.add_argument("--max-decompressed-bytes", type=int, default=d.max_decompressed_bytes,
                   help=f"refuse a gzip/brotli body expanding beyond this (default {d.max_decompressed_bytes})")
    g.add_argument("--max-redirects", type=int, default=d.max_redirects,
                   help=f"redirects (HTTP and meta refresh) per request (default {d.max_redirects})")
    g.add_argument("--max-links-per-page", type=int, default=d.max_links_per_page,
                   help=f"links followed from one page (default {d.max_links_per_page})")
    g.add_argument("--ignore-robots", action="store_true", help="do not obey robots.txt (obeyed by default)")
    add_network_options(g)
    b = p.add_argument_group("browser")
    b.add_argument("--browser", choices=["auto", "always", "never"], default="auto",
                   help="auto: only for JS-rendered pages and logins (default)")
    b.add_argument("--browser-path", help="Chromium binary (else $CARDSHOP_CHROMIUM, Playwright's, /usr/bin/chromium)")
    from cardshop_auditor.credentials import add_credential_options
    add_credential_options(b)            # --username, --password, --password-env, --password-file
    b.add_argument("--auth", type=Path, help="JSON/TOML/CSV file with credentials per host "
                                             "(password_env / password_file references or passwords)")
    b.add_argument("--storage-state", type=Path, help="Playwright storage state saved by `cardshop-audit login`")
    b.add_argument("--order-no", help="order number for a public order-query refund flow")
    o = p.add_argument_group("output")
    o.add_argument("--lang", choices=["zh", "en"], default="zh", help="report language (default zh)")
    o.add_argument("--fail-on", choices=["low", "medium", "high"],
                   help="exit 1 when the risk level reaches this")
    o.add_argument("--icp-registry", type=Path, metavar="FILE",
                   help="filing records exported from the filing system (CSV or XLSX, UTF-8 or GBK: "
                        "主办单位名称, 主办单位性质, 网站备案号, 网站名称, 网站域名, 审核日期): each shop's "
                        "number, operator and filing type are checked against its domain's records (no online lookups)")
    o.add_argument("--no-warc", action="store_true",
                   help="do not archive the scan's HTTP exchanges in evidence/scan.warc.gz (archived by default)")
    o.add_argument("--wacz", action="store_true",
                   help="also package the scan as scan.wacz (WACZ 1.1.1: replay in ReplayWeb.page / pywb)")
    o.add_argument("--pdf", action="store_true",
                   help="also write report.pdf (Chromium's print, A4, the manifest hash and scan time on every page)")
    o.add_argument("--sign-key", type=Path, metavar="FILE",
                   help="sign manifest.json with this Ed25519 private key (PEM, DER, OpenSSH or raw 32 bytes)")
    o.add_argument("--tsa", metavar="URL",
                   help="timestamp manifest.json at this RFC 3161 time-stamping authority "
                        "(reached under the same network policy as the shop; none is contacted unless given)")


def add_network_options(g) -> None:
    g.add_argument("--allow-network", action="append", default=[], metavar="CIDR",
                   help="also let the audit reach this network (repeatable; e.g. 10.0.0.0/8 for an "
                        "intranet shop). By default only public addresses and the start URL's own "
                        "address and port are reached")
    g.add_argument("--insecure-login", action="store_true",
                   help="log in even when the shop's TLS certificate failed verification")


def network_options(args: argparse.Namespace) -> dict:
    """--allow-network / --insecure-login as AuditOptions fields (UsageError when bad)."""
    from cardshop_auditor.errors import UsageError
    from cardshop_auditor.netpolicy import parse_networks
    try:
        networks = [str(n) for n in parse_networks(getattr(args, "allow_network", None) or [])]
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return {"allow_networks": networks, "insecure_login": bool(getattr(args, "insecure_login", False))}


def options_from_args(args: argparse.Namespace) -> AuditOptions:
    from cardshop_auditor.errors import UsageError
    from cardshop_auditor import credentials
    from cardshop_auditor import secrets
    secrets.guard_streams()              # from here on, nothing printed carries a secret
    if getattr(args, "debug", False):
        secrets.enable_debug()
    try:
        creds = credentials.credentials_from_args(args)
    except credentials.CredentialError as exc:
        raise UsageError(str(exc)) from None
    secrets.register_storage_state(args.storage_state)
    for url in (getattr(args, name, None) for name in ("db", "broker", "redis", "webhook", "tsa")):
        secrets.register_url_credentials(url)          # database / broker passwords, hook tokens
    opts = AuditOptions(
        max_pages=args.max_pages, max_depth=args.max_depth, timeout=args.timeout,
        shop_time_budget=args.time_budget, max_page_bytes=args.max_page_bytes,
        max_decompressed_bytes=args.max_decompressed_bytes, max_redirects=args.max_redirects,
        max_links_per_page=args.max_links_per_page,
        obey_robots=not args.ignore_robots, browser=args.browser, browser_path=args.browser_path,
        username=creds.username if creds else None, password=creds.password if creds else None,
        storage_state=str(args.storage_state) if args.storage_state else None,
        order_no=args.order_no, lang=args.lang,
        icp_registry=str(args.icp_registry) if args.icp_registry else None,
        warc=not getattr(args, "no_warc", False), wacz=bool(getattr(args, "wacz", False)),
        pdf=bool(getattr(args, "pdf", False)), tsa_url=getattr(args, "tsa", None) or None,
        sign_key=str(args.sign_key) if getattr(args, "sign_key", None) else None,
        **network_options(args))
    if opts.sign_key:                    # a key that cannot be read fails now, not after the crawl
        from cardshop_auditor.evidence.manifest import SigningKeyError, load_signing_key
        try:
            load_signing_key(opts.sign_key)
        except SigningKeyError as exc:
            raise UsageError(str(exc)) from None
    if opts.tsa_url:
        from urllib.parse import urlsplit
        if urlsplit(opts.tsa_url).scheme not in ("http", "https") or not urlsplit(opts.tsa_url).hostname:
            raise UsageError(f"--tsa must be an http(s) URL")
    if opts.wacz and not opts.warc:
        raise UsageError("--wacz packages the scan's WARC: it cannot be combined with --no-warc")
    if opts.icp_registry:                # read (and checked) once, before any shop is audited
        from cardshop_auditor.icp_registry import RegistryError, load_registry
        try:
            load_registry(Path(opts.icp_registry))
        except RegistryError as exc:
            raise UsageError(f"--icp-registry {exc}") from None
    if opts.max_pages < 1 or opts.timeout <= 0 or opts.max_depth < 0:
        raise UsageError("--max-pages must be ≥ 1, --timeout > 0, --max-depth ≥ 0")
    if opts.shop_time_budget <= 0 or opts.max_page_bytes < 1024 or opts.max_decompressed_bytes < 1024 \
            or opts.max_redirects < 0 or opts.max_links_per_page < 1:
        raise UsageError("--time-budget must be > 0, --max-page-bytes and --max-decompressed-bytes ≥ 1024, "
                         "--max-redirects ≥ 0, --max-links-per-page ≥ 1")
    return opts


def threshold_reached(report: dict, fail_on: str | None) -> bool:
    if not fail_on:
        return False
    level = (report.get("risk") or {}).get("level", "low")
    return SEVERITY_RANK.get(level, 0) >= SEVERITY_RANK[fail_on]


def print_paths(paths: dict) -> None:
    """The report paths, last thing on stdout, as `report.json: PATH` lines."""
    for kind, path in paths.items():
        print(f"{REPORT_FILE_LABELS.get(kind, kind)}: {path}")


REPORT_FILE_LABELS = {"json": "report.json", "html": "report.html"}


def add_json_option(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--json", action="store_true",
                   help=f"print {what} as one JSON document on stdout (the file paths go to stderr)")


def print_json_result(command: str, exit_code: int, files: dict, key: str, payload) -> None:
    """--json: one document on stdout, ``{"schema_version", "command", "exit_code", "files",
    <key>: payload}`` (DESIGN.md "Machine-readable output"); nothing else is on stdout."""
    from cardshop_auditor.secrets import scrub_json
    document = {"schema_version": 1, "command": command, "exit_code": exit_code,
                "files": {REPORT_FILE_LABELS.get(k, k): str(v) for k, v in files.items()}, key: payload}
    print(scrub_json(json.dumps(document, ensure_ascii=False, indent=1)))


def load_json(path: Path) -> dict:
    return json.loads(Path(path).read_text("utf-8"))


def claim_output_dir(path: Path | None, batch: bool = False, default: Path | None = None) -> Path:
    """--out checked and created (auditor.outputs): a refusal is a usage error (exit 2).
    No --out: ``default``, a fresh directory of its own."""
    from cardshop_auditor.errors import UsageError
    from cardshop_auditor.outputs import OutputDirRefused, claim_batch_dir, claim_new_dir, claim_scan_dir
    if path is None:
        return claim_new_dir(default)
    try:
        return claim_batch_dir(path) if batch else claim_scan_dir(path)
    except OutputDirRefused as exc:
        raise UsageError(str(exc)) from None
