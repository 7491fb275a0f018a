"""Measure how well the auditor generalises to the hold-out shops.

    .venv/bin/python tests/holdout/measure.py [--out DIR] [--json FILE] [names...]

Serves tests/holdout/shops/* on 127.0.0.1 (serve.py), audits them all in ONE
``audit_shops`` call with ``AuditOptions(browser="never")``, compares each report's
findings with the shop's labels.json and prints:

* ICP exact-match rate (number string, or both null)
* USCC + validity exact rate, company-name exact rate
* clause-kind precision / recall, micro over all shops (sets of kinds per shop)
* flag recall (micro) and wrong flags per shop, ``no_https`` ignored
* risk-level accuracy, refund-entry accuracy (found, requires_login and clicks)
* a per-shop table of every mismatch, with the report's own evidence (clause text,
  flag snippets) so a failure can be traced to the page text that caused it.

``measure()`` returns the same numbers as a dict (used by test_holdout.py).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def _load_serve():
    """serve.py under a name no other test module can shadow."""
    import importlib.util
    if "holdout_serve" not in sys.modules:
        spec = importlib.util.spec_from_file_location("holdout_serve", HERE / "serve.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["holdout_serve"] = module
        spec.loader.exec_module(module)
    return sys.modules["holdout_serve"]


_serve = _load_serve()
HoldoutServer, load_labels, shop_names = _serve.HoldoutServer, _serve.load_labels, _serve.shop_names

IGNORED_FLAGS = {"no_https"}


# --------------------------------------------------------------------------- running
def run_audits(names: list[str], out_root: Path) -> dict[str, dict]:
    from cardshop_auditor.options import AuditOptions
    from cardshop_auditor.pipeline import Target, audit_shops

    out_root.mkdir(parents=True, exist_ok=True)
    with HoldoutServer(names) as srv:
        targets = [Target(url=srv.url(n), out_dir=out_root / n, id=n) for n in names]
        results = audit_shops(targets, AuditOptions(browser="never"), log=lambda m: None)
    reports = {r.target.id: r.report for r in results}
    for n in names:                      # a shop the pipeline dropped still gets a row
        reports.setdefault(n, {"status": "missing", "findings": {}, "risk": {"level": None, "flags": []}})
    return reports


# --------------------------------------------------------------------------- comparing
def _digits(s: str) -> str:
    return re.sub(r"\D", "", s or "")


def _get(d, *keys):
    for k in keys:
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    return d


def compare(labels: dict, report: dict) -> dict:
    f = report.get("findings") or {}
    icp = f.get("icp") or None
    lic = f.get("icp_license") or None
    psb = f.get("psb_filing") or None
    biz = f.get("business") or None
    agr = f.get("agreement") or None
    ref = f.get("refund_entry") or {}
    con = f.get("contacts") or {}
    clauses = (agr or {}).get("clauses") or []
    got_kinds = {c.get("kind") for c in clauses if c.get("kind")}
    want_kinds = set(labels.get("clause_kinds") or [])
    fees = [c.get("fee_percent") for c in clauses if c.get("fee_percent") is not None]
    got_flags = set(_get(report, "risk", "flags") or []) - IGNORED_FLAGS
    want_flags = set(labels.get("flags") or []) - IGNORED_FLAGS

    got = {
        "icp": _get(icp, "number"),
        "icp_valid_format": _get(icp, "valid_format"),
        "icp_license": _get(lic, "number"),
        "psb_filing": _get(psb, "number"),
        "psb_region_code": _get(psb, "region_code"),
        "psb_consistent": _get(psb, "consistent"),
        "uscc": _get(biz, "uscc"),
        "uscc_valid": _get(biz, "uscc_valid"),
        "company_name": _get(biz, "company_name"),
        "agreement": agr is not None,
        "fee_percent": fees[0] if fees else None,
        "risk_level": _get(report, "risk", "level"),
    }
    want = {k: labels.get(k) for k in got}

    # refund entry: found + requires_login always; clicks when the label says found
    r_want = labels.get("refund_entry") or {}
    r_got = {"found": bool(ref.get("found")), "clicks": ref.get("clicks"),
             "requires_login": bool(ref.get("requires_login"))}
    refund_ok = (r_got["found"] == bool(r_want.get("found"))
                 and r_got["requires_login"] == bool(r_want.get("requires_login"))
                 and (not r_want.get("found") or r_got["clicks"] == r_want.get("clicks")))

    # contacts (reported, not part of the thresholds)
    wc = labels.get("contacts") or {}
    contacts_diff = {}
    for key, norm in (("phones", _digits), ("qq", _digits), ("emails", str.lower), ("wechat", str.lower)):
        g = {norm(x) for x in con.get(key) or []}
        w = {norm(x) for x in wc.get(key) or []}
        if g != w:
            contacts_diff[key] = {"missing": sorted(w - g), "extra": sorted(g - w)}
    if bool(con.get("address")) != bool(wc.get("address")):
        contacts_diff["address"] = {"expected": bool(wc.get("address")), "got": con.get("address")}

    extra_kind_text = {k: [c.get("text", "") for c in clauses if c.get("kind") == k]
                       for k in got_kinds - want_kinds}
    flag_evidence = _get(report, "risk", "evidence") or {}
    wrong_flags = sorted(got_flags - want_flags)

    return {
        "status": report.get("status"),
        "got": got, "want": want,
        "icp_ok": got["icp"] == want["icp"],
        "uscc_ok": (got["uscc"], got["uscc_valid"]) == (want["uscc"], want["uscc_valid"]),
        "company_ok": got["company_name"] == want["company_name"],
        "kinds": {"tp": sorted(got_kinds & want_kinds), "fp": sorted(got_kinds - want_kinds),
                  "fn": sorted(want_kinds - got_kinds)},
        "extra_kind_text": extra_kind_text,
        "flags": {"hit": sorted(got_flags & want_flags), "missed": sorted(want_flags - got_flags),
                  "wrong": wrong_flags},
        "wrong_flag_evidence": {k: flag_evidence.get(k) or [] for k in wrong_flags},
        "risk_ok": got["risk_level"] == want["risk_level"],
        "refund": {"want": {k: r_want.get(k) for k in ("found", "clicks", "requires_login")},
                   "got": r_got, "steps": ref.get("steps"), "url": ref.get("url"), "ok": refund_ok},
        "contacts_diff": contacts_diff,
    }


def summarise(per_shop: dict[str, dict]) -> dict:
    n = len(per_shop) or 1
    tp = sum(len(c["kinds"]["tp"]) for c in per_shop.values())
    fp = sum(len(c["kinds"]["fp"]) for c in per_shop.values())
    fn = sum(len(c["kinds"]["fn"]) for c in per_shop.values())
    hit = sum(len(c["flags"]["hit"]) for c in per_shop.values())
    missed = sum(len(c["flags"]["missed"]) for c in per_shop.values())
    return {
        "shops": len(per_shop),
        "icp_exact": sum(c["icp_ok"] for c in per_shop.values()) / n,
        "uscc_exact": sum(c["uscc_ok"] for c in per_shop.values()) / n,
        "company_exact": sum(c["company_ok"] for c in per_shop.values()) / n,
        "clause_precision": tp / (tp + fp) if tp + fp else 1.0,
        "clause_recall": tp / (tp + fn) if tp + fn else 1.0,
        "flag_recall": hit / (hit + missed) if hit + missed else 1.0,
        "wrong_flags": {s: len(c["flags"]["wrong"]) for s, c in per_shop.items()},
        "max_wrong_flags": max((len(c["flags"]["wrong"]) for c in per_shop.values()), default=0),
        "risk_accuracy": sum(c["risk_ok"] for c in per_shop.values()) / n,
        "refund_entry_accuracy": sum(c["refund"]["ok"] for c in per_shop.values()) / n,
        "refund_found_accuracy": sum(c["refund"]["got"]["found"] == bool(c["refund"]["want"]["found"])
                                     for c in per_shop.values()) / n,
    }


def measure(names: list[str] | None = None, out_root: Path | None = None) -> dict:
    names = names or shop_names()
    if out_root is None:
        out_root = Path(tempfile.mkdtemp(prefix="holdout-"))
    reports = run_audits(names, Path(out_root))
    per_shop = {n: compare(load_labels(n), reports[n]) for n in names}
    return {"summary": summarise(per_shop), "shops": per_shop, "out": str(out_root)}


# --------------------------------------------------------------------------- printing
def _short(text: str, limit: int = 110) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def mismatch_lines(name: str, c: dict) -> list[str]:
    lines = []
    if c.get("status") in ("failed", "missing"):
        lines.append(f"report status: {c['status']}")
    for key, got in c["got"].items():
        want = c["want"][key]
        if key == "icp_valid_format" and c["want"]["icp"] is None and got is None:
            continue
        if got != want:
            lines.append(f"{key}: expected {want!r}, got {got!r}")
    if c["kinds"]["fn"]:
        lines.append(f"clause kinds missed: {', '.join(c['kinds']['fn'])}")
    for kind, texts in c["extra_kind_text"].items():
        lines.append(f"clause kind not in labels: {kind}")
        for t in texts[:3]:
            lines.append(f"    ← \"{_short(t)}\"")
    if c["flags"]["missed"]:
        lines.append(f"flags missed: {', '.join(c['flags']['missed'])}")
    for flag in c["flags"]["wrong"]:
        lines.append(f"wrong flag: {flag}")
        for ev in c["wrong_flag_evidence"].get(flag, [])[:2]:
            lines.append(f"    ← {ev.get('url') or ''} \"{_short(ev.get('snippet') or '')}\"")
    if not c["refund"]["ok"]:
        r = c["refund"]
        lines.append(f"refund_entry: expected {r['want']}, got {r['got']} steps={r['steps']} url={r['url']}")
    for key, d in c["contacts_diff"].items():
        lines.append(f"contacts.{key}: {d}")
    return lines


def print_report(result: dict, file=sys.stdout) -> None:
    s = result["summary"]
    p = lambda *a: print(*a, file=file)  # noqa: E731
    p(f"hold-out shops: {s['shops']}   (reports under {result['out']})")
    p(f"ICP exact-match rate        {s['icp_exact']:.0%}")
    p(f"USCC + validity exact rate  {s['uscc_exact']:.0%}")
    p(f"company-name exact rate     {s['company_exact']:.0%}")
    p(f"clause-kind precision       {s['clause_precision']:.3f}")
    p(f"clause-kind recall          {s['clause_recall']:.3f}")
    p(f"flag recall                 {s['flag_recall']:.3f}")
    p(f"wrong flags per shop        max {s['max_wrong_flags']}: "
      + ", ".join(f"{k}={v}" for k, v in s["wrong_flags"].items()))
    p(f"risk-level accuracy         {s['risk_accuracy']:.0%}")
    p(f"refund-entry accuracy       {s['refund_entry_accuracy']:.0%}   "
      f"(found only: {s['refund_found_accuracy']:.0%})")
    p("")
    p("per-shop mismatches")
    p("-" * 78)
    for name, c in result["shops"].items():
        lines = mismatch_lines(name, c)
        head = f"{name}  risk {c['got']['risk_level']}/{c['want']['risk_level']}"
        p(head + ("  — all fields match" if not lines else ""))
        for line in lines:
            p(f"  {line}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="shops (default: all under tests/holdout/shops)")
    ap.add_argument("--out", type=Path, help="where to write the reports (default: a temp dir)")
    ap.add_argument("--json", type=Path, help="also write the full comparison as JSON")
    args = ap.parse_args(argv)
    result = measure(args.names or None, args.out)
    print_report(result)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
