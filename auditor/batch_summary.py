"""A batch's summary for people and pipelines: one row per shop, written as summary.json,
summary.csv (spreadsheet-safe, with a BOM for Excel) and the sortable index.html."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit

from cardshop_auditor.artifacts import write_atomic
from cardshop_auditor.report.batch_page import render_batch_html, sort_rows


def _read_json(path: Path) -> dict | None:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def row_for(shop, report: dict | None, diff: dict | None, href: str | None = None,
            diff_href: str | None = None) -> dict:
    """One summary row from a shop (a BatchShop or its ``public()`` dict) and its report
    (None: not audited yet)."""
    shop = shop if isinstance(shop, dict) else shop.public()
    base = {"id": shop["id"], "label": shop.get("label") or "", "url": shop["url"],
            "host": urlsplit(shop["url"]).netloc, "note": shop.get("note") or ""}
    if report is None:
        return {**base, "status": "missing", "score": None, "risk": None, "flags": [], "refund_found": None,
                "refund_clicks": None, "company_name": None, "icp": None, "icp_registry": None, "changes": None,
                "scanned_at": None, "report": None, "diff": None, "reason": None}
    findings = report.get("findings") or {}
    refund = findings.get("refund_entry") or {}
    evaluated = refund.get("evaluated", True) is not False or bool(refund.get("found"))
    return {**base, "status": report.get("status") or "complete", "score": report.get("score"),
            "risk": (report.get("risk") or {}).get("level"), "flags": list((report.get("risk") or {}).get("flags") or []),
            "refund_found": bool(refund.get("found")) if evaluated else None,
            "refund_clicks": refund.get("clicks") if refund.get("found") else None,
            "company_name": (findings.get("business") or {}).get("company_name"),
            "icp": (findings.get("icp") or {}).get("number"),
            "changes": len(diff.get("changes") or []) if diff else None,
            "icp_registry": registry_outcome(report),
            "scanned_at": report.get("scanned_at"), "report": href, "diff": diff_href if diff else None,
            "reason": report.get("reason")}


# The filing-record cross-check in one word, worst first (checks/icp_registry_*.py).
REGISTRY_OUTCOMES = (("icp.registry_record", "no_record"), ("icp.registry_number", "number_mismatch"),
                     ("icp.registry_personal", "personal"), ("icp.registry_operator", "operator_mismatch"))


def registry_outcome(report: dict) -> str | None:
    """no_record | number_mismatch | personal | operator_mismatch | match; None: not checked."""
    status = {c.get("id"): c.get("status") for c in report.get("checks") or [] if isinstance(c, dict)}
    if status.get("icp.registry_record") not in ("pass", "fail"):
        return None
    for check_id, outcome in REGISTRY_OUTCOMES:
        if status.get(check_id) == "fail":
            return outcome
    return "match"


def summary_rows(shops: Iterable, out_dir: Path, batch_id: str | None = None,
                 done: set[str] | None = None) -> list[dict]:
    """A row per shop from its report on disk; ``done`` given: only those shops count as
    audited, the others are ``missing`` whatever is on disk."""
    rows = []
    for shop in shops:
        report = None if done is not None and shop.id not in done else _read_json(out_dir / shop.id / "report.json")
        diff = _read_json(out_dir / shop.id / "diff.json") if report is not None else None
        rows.append(row_for(shop, report, diff, href=f"{shop.id}/report.html", diff_href=f"{shop.id}/diff.html"))
    return rows


CSV_COLUMNS = ["id", "label", "url", "status", "score", "risk", "flags", "refund_found", "refund_clicks",
               "company_name", "icp", "icp_registry", "changes", "scanned_at", "report", "note"]


def _csv_cell(value) -> str:
    """Spreadsheet-safe: shop text starting with = + - @ is not a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = ";".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_summary(rows: list[dict], out_dir: Path, *, batch_id: str, started_at: str | None = None,
                  lang: str = "zh") -> dict[str, Path]:
    """out_dir/index.html, summary.csv, summary.xlsx and summary.json."""
    out_dir = Path(out_dir)
    rows = sort_rows(rows)
    counts = {"total": len(rows),
              "audited": sum(r["status"] in ("complete", "partial") for r in rows),
              "failed": sum(r["status"] == "failed" for r in rows),
              "missing": sum(r["status"] == "missing" for r in rows),
              "changed": sum(bool(r["changes"]) for r in rows)}
    data = {"schema_version": 1, "batch_id": batch_id, "started_at": started_at,
            "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), **counts, "shops": rows}
    paths = {"summary.json": out_dir / "summary.json", "summary.csv": out_dir / "summary.csv",
             "index.html": out_dir / "index.html"}
    write_atomic(paths["summary.json"], json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow([_csv_cell(r.get(c)) for c in CSV_COLUMNS])
    write_atomic(paths["summary.csv"], "\ufeff" + buf.getvalue())   # BOM: Excel reads it as UTF-8
    from cardshop_auditor.summary_xlsx import write_summary_xlsx
    paths["summary.xlsx"] = write_summary_xlsx(rows, out_dir / "summary.xlsx", batch_id=batch_id, lang=lang)
    write_atomic(paths["index.html"], render_batch_html(rows, counts, batch_id=batch_id,
                                                         started_at=started_at, lang=lang))
    return paths
