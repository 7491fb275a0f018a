"""`cardshop-audit verify DIR`: re-check a scan's manifest, signature, timestamp and WARC.

Exit 0 only when everything matches; 1 when a file, the signature, the timestamp or a WARC
record does not (each named on stderr, one line each); 2 for a usage error (no such
directory, an unreadable --pubkey / --tsa-ca)."""
from __future__ import annotations

import json
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("verify", help="re-check a scan's manifest, signature, timestamp and WARC",
                       description="Recompute the sha256 of every file of a scan directory against its "
                                   "manifest.json, check the manifest's Ed25519 signature and RFC 3161 "
                                   "timestamp, and find every quoted sentence of the report again in the "
                                   "recorded bytes of its page in the WARC. Exit 0 only if all match.")
    p.add_argument("dir", type=Path, help="the scan directory (holding manifest.json)")
    p.add_argument("--pubkey", type=Path, help="the operator's Ed25519 public key (PEM, DER, OpenSSH or raw)")
    p.add_argument("--tsa-ca", type=Path, help="the TSA's CA certificate(s), PEM: root (and intermediates)")
    p.add_argument("--manifest-sha256", metavar="HEX",
                   help="the manifest hash recorded elsewhere (the PDF footer, the history database)")
    p.add_argument("--db", help="check the manifest hash the history database recorded for this scan")
    p.add_argument("--json", action="store_true", help="print the result as one JSON document on stdout")
    p.set_defaults(run=run)


def run(args) -> int:
    from cardshop_auditor.errors import EXIT_OK, EXIT_THRESHOLD, UsageError
    from cardshop_auditor.evidence.verify import verify_scan
    if not args.dir.is_dir():
        raise UsageError(f"{args.dir}: not a directory")
    for name in ("pubkey", "tsa_ca"):
        path = getattr(args, name)
        if path is not None and not path.is_file():
            raise UsageError(f"--{name.replace('_', '-')} {path}: no such file")
    expected = args.manifest_sha256
    if args.db and not expected:
        from cardshop_auditor.secrets import register_url_credentials
        from cardshop_auditor.storage import recorded_manifest_sha256
        register_url_credentials(args.db)
        expected = recorded_manifest_sha256(args.db, args.dir)
        if not expected:
            raise UsageError(f"--db: no scan of {args.dir} with a manifest hash is recorded")
    result = verify_scan(args.dir, pubkey=args.pubkey, tsa_ca=args.tsa_ca, expected_sha256=expected)
    code = EXIT_OK if result.ok else EXIT_THRESHOLD
    if args.json:
        from cardshop_auditor.secrets import scrub_json
        doc = {"schema_version": 1, "command": "verify", "exit_code": int(code), "verify": result.to_json()}
        print(scrub_json(json.dumps(doc, ensure_ascii=False, indent=1)))
        return code
    from cardshop_auditor.logs import get_logger
    log = get_logger("verify")
    for line in result.problems:
        log.error(f"MISMATCH {line}")
    for line in result.notes:
        log.warning(line)
    warc = result.checked.get("warc") or {}
    print(f"manifest sha256: {result.manifest_sha256 or '-'}")
    print(f"files: {result.checked.get('files', 0)}  signature: {result.checked.get('signature', 'none')}  "
          f"timestamp: {(result.checked.get('timestamp') or {}).get('time', 'none')}  "
          f"WARC quotes found: {warc.get('quotes_found', 0)}/{warc.get('quotes', 0)}")
    print("verified: everything matches" if result.ok else f"NOT verified: {len(result.problems)} mismatch(es)")
    return code
