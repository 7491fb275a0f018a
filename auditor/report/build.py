"""Assembly of report.json (DESIGN.md schema_version 1) and its status policy: complete,
partial or failed, and what a failed target may (not) say."""
from __future__ import annotations

import re
from typing import Iterable

from cardshop_auditor.artifacts import Page, ShopArtifacts
from cardshop_auditor.contracts import ContactDetails, Findings, RefundEntry
from cardshop_auditor.report.summary import failure_cause, summarize
from cardshop_auditor.report.urls import IMAGE_EXTS, safe_relpath
from cardshop_auditor.report_templates import i18n

SCHEMA_VERSION = 1
FINDING_KEYS = Findings.DESIGN_KEYS
NOT_LOOKED_AT = "the shop's pages were not judged"


def default_refund_entry() -> dict:
    return RefundEntry.not_evaluated(NOT_LOOKED_AT, method="static").to_json()


def default_contacts() -> dict:
    return ContactDetails().to_json()


def _page_row(page: Page) -> dict:
    return {"url": page.url, "status": int(page.status or 0), "fetched_with": page.fetched_with,
            "sha256": page.sha256 or "", "final_url": page.final_url or None,
            "encoding": page.encoding, "error": page.error, "depth": page.depth,
            "content_type": page.content_type or None, "truncated": page.truncated}


def _usable(page: Page) -> bool:
    ctype = (page.content_type or "").lower()
    return (page.error is None and 200 <= (page.status or 0) < 400
            and (not ctype or "html" in ctype or "xml" in ctype or "text/plain" in ctype))


def scan_status(artifacts: ShopArtifacts, checks: list[dict]) -> tuple[str, str | None]:
    """complete | partial | failed, with a one-line reason for the last two."""
    meta, pages = artifacts.meta, artifacts.pages
    start = artifacts.start_page
    if not pages or not any(_usable(p) for p in pages) or (start is not None and not _usable(start)):
        if start is not None and start.error:
            reason = f"start page not fetched: {start.error}"
        elif start is not None and start.status and not (200 <= start.status < 400):
            reason = f"start page answered HTTP {start.status}"
        elif start is not None and _usable_status(start):
            reason = f"start page is not HTML ({start.content_type})"
        elif meta.errors:
            reason = meta.errors[0]
        elif meta.robots_denied:
            reason = "robots.txt disallows crawling this site"
        else:
            reason = "no page could be fetched"
        return "failed", reason
    problems = list(meta.errors)
    failed_pages = [p for p in pages if p.error or not p.status or p.status >= 500]
    if failed_pages:
        problems.append(f"{len(failed_pages)} of {len(pages)} pages could not be fetched")
    if meta.robots_denied:
        problems.append("robots.txt limited the crawl")
    crashed = [c["id"] for c in checks if c.get("status") == "error"]
    if crashed:
        problems.append("checks that could not run: " + ", ".join(crashed))
    if problems:
        return "partial", "; ".join(problems)
    return "complete", None


def _usable_status(page: Page) -> bool:
    return page.error is None and 200 <= (page.status or 0) < 400


def normalise_findings(findings: dict | None) -> dict:
    """The findings as given, with DESIGN.md's keys always present (null = looked, not found)."""
    out = dict(findings or {})
    for key in FINDING_KEYS:
        out.setdefault(key, None)
    if not isinstance(out["refund_entry"], dict):
        out["refund_entry"] = default_refund_entry()
    if not isinstance(out["contacts"], dict):
        out["contacts"] = default_contacts()
    shot = out["refund_entry"].get("screenshot")
    if shot is not None and safe_relpath(shot, IMAGE_EXTS) is None:
        out["refund_entry"] = {**out["refund_entry"], "screenshot": None}  # never point outside the report dir
    return out


def clean_evidence_files(evidence: Iterable[dict] | None) -> list[dict]:
    """Screenshot records with safe relative paths only (others are dropped)."""
    rows = []
    for item in evidence or []:
        path = safe_relpath(item.get("path"))
        if path is None:
            continue
        digest = str(item.get("sha256") or "").lower()
        rows.append({**item, "path": path,
                     "sha256": digest if re.fullmatch(r"[0-9a-f]{64}", digest) else "",
                     "kind": str(item.get("kind") or "screenshot"),
                     "caption": str(item.get("caption") or "")})
    return rows


def build_report(artifacts: ShopArtifacts, findings: dict, judged: dict, *, tool_version: str,
                 scanned_at: str, lang: str = "zh", evidence: list | None = None) -> dict:
    """Assemble report.json (DESIGN.md schema_version 1, plus lang/status/summary/gather/evidence)."""
    lang = lang if lang in i18n.LANGS else "zh"
    meta = artifacts.meta
    checks = list(judged.get("checks") or [])
    risk = dict(judged.get("risk") or {})
    risk.setdefault("level", None)
    risk.setdefault("flags", [])
    start = artifacts.start_page
    final_url = meta.final_url or (start.final_url if start is not None and _usable_status(start) else None)
    status, reason = scan_status(artifacts, checks)
    report = {
        "schema_version": SCHEMA_VERSION,
        "target": meta.target,
        "final_url": final_url,
        "scanned_at": scanned_at,
        "tool_version": tool_version,
        "lang": lang,
        "status": status,
        "reason": reason,
        "pages": [_page_row(p) for p in artifacts.pages],
        "findings": normalise_findings(findings),
        "checks": checks,
        "score": judged.get("score"),
        "risk": risk,
        "gather": {"errors": list(meta.errors), "stats": dict(meta.stats or {}),
                   "network": network_summary(meta),
                   "robots_denied": bool(meta.robots_denied)},
        "evidence": clean_evidence_files(evidence),
    }
    if status == "failed":
        _neutralise(report)
    report["summary"] = summarize(report, lang)
    return report


def network_summary(meta) -> dict:
    """gather.network: addresses refused by the crawler and the browser (auditor/netpolicy.py),
    the shop's address policy, and the TLS certificate status the browser saw."""
    crawl = dict(getattr(meta, "network", None) or {})
    browser = (meta.browser or {}).get("network") or {}
    refused = list(crawl.get("refused") or []) + list(browser.get("refused") or [])
    return {"policy": crawl.get("policy"), "refused": refused[:100],
            "refused_count": int(crawl.get("refused_count") or 0) + int(browser.get("refused_count") or 0),
            "certificate": _worse_certificate(browser.get("certificate"), crawl.get("certificate"))}


def _worse_certificate(*verdicts):
    """The first failed certificate verdict, else the first one there is."""
    verdicts = [v for v in verdicts if isinstance(v, dict)]
    return next((v for v in verdicts if v.get("ok") is False), verdicts[0] if verdicts else None)


def _neutralise(report: dict) -> None:
    """A target that could not be audited was not looked at: no check can pass or fail,
    no flag is raised, and there is neither a score nor a risk level (DESIGN.md: null when
    not audited; never "low", which would read as "looked and found nothing wrong")."""
    why = i18n.pick(i18n.NOT_AUDITED, report.get("lang") or "zh").format(cause=failure_cause(report, report.get("lang")))
    report["checks"] = [{**c, "status": "not_applicable", "flag": None, "evidence": [], "reason": why}
                        for c in report["checks"]]
    report["score"] = None
    report["risk"] = {**report["risk"], "level": None, "flags": [], "evidence": {}, "reasons": []}
