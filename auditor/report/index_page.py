"""index.html: one row per shop of a demo or a batch, linking each report."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from cardshop_auditor.artifacts import write_atomic
from cardshop_auditor.checks import flag_name
from cardshop_auditor.report.render import render_page
from cardshop_auditor.report.urls import safe_href, safe_relpath, short_url
from cardshop_auditor.report.view import label
from cardshop_auditor.report_templates import i18n


def index_entry(report: dict, href: str) -> dict:
    """One row of the index page from a report and the relative path to its report.html."""
    target = report.get("target") or ""
    business = (report.get("findings") or {}).get("business") or {}
    return {"name": business.get("company_name") if isinstance(business, dict) else None,
            "host": urlsplit(target).hostname or target, "target": target,
            "score": report.get("score"), "risk": (report.get("risk") or {}).get("level"),
            "flags": list((report.get("risk") or {}).get("flags") or []),
            "status": report.get("status") or "complete", "href": href}


def render_index(entries: list[dict], out_dir: Path, lang: str = "zh") -> Path:
    """out_dir/index.html: one row per shop (host, score, risk, flags, link to its report).

    An entry: {"name", "label"?, "host"? | "target"/"url", "score", "risk": level | risk dict,
    "flags", "status"?, "href"/"report": relative path to its report.html}."""
    lang = lang if lang in i18n.LANGS else "zh"
    rows = []
    for e in entries:
        risk = e.get("risk")
        level = (risk or {}).get("level") if isinstance(risk, dict) else risk
        flags = e.get("flags")
        if flags is None and isinstance(risk, dict):
            flags = risk.get("flags")
        score = e.get("score")
        target = e.get("target") or e.get("url")
        host = e.get("host") or (urlsplit(target).netloc if isinstance(target, str) else "") or short_url(target)
        rows.append({
            "name": e.get("name") or "", "label": e.get("label") or "", "host": host,
            "target_href": safe_href(target),
            "score": score if isinstance(score, (int, float)) and not isinstance(score, bool) else None,
            "level": level if level in i18n.RISK else None,
            "level_text": label(i18n.RISK, level, lang) if level in i18n.RISK else i18n.ui(lang)["unknown"],
            "flags": [{"id": f, "name": flag_name(f, lang)} for f in flags or []],
            "status": e.get("status") or "complete",
            "href": safe_relpath(e.get("href") or e.get("report"), (".html",)),
        })
    rows.sort(key=lambda r: ({"high": 0, "medium": 1, "low": 2}.get(r["level"], 3),
                             r["score"] if r["score"] is not None else 101, r["name"] or r["host"]))
    html = render_page("index.html.j2", lang, rows=rows)
    out = Path(out_dir) / "index.html"
    write_atomic(out, html)
    return out
