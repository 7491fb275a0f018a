"""history.html: one shop's transparency score and risk flags across its stored scans
(the trend a weekly re-scan builds up), drawn as inline SVG: no script, no CDN."""
from __future__ import annotations

from pathlib import Path

from cardshop_auditor.artifacts import write_atomic
from cardshop_auditor.checks import flag_name
from cardshop_auditor.report.render import PAGE_STYLES, render_page
from cardshop_auditor.report.view import label
from cardshop_auditor.report_templates import i18n

# the plot area inside the SVG's 640 × 220 viewBox; score 100 at the top, 0 at the bottom
LEFT, RIGHT, TOP, BOTTOM = 44, 620, 16, 176
TONE = {"high": "bad", "medium": "neutral", "low": "good"}


def _y(score: float) -> float:
    return round(BOTTOM - (BOTTOM - TOP) * max(0.0, min(100.0, score)) / 100, 1)


def history_view(items: list[dict], lang: str = "zh") -> dict:
    """Points, line segments and the flag grid from `history --json` rows (newest first)."""
    scans = list(reversed(items))                     # oldest on the left
    step = (RIGHT - LEFT) / max(1, len(scans) - 1)
    points, segments, previous = [], [], None
    for i, scan in enumerate(scans):
        x = round(LEFT + step * i if len(scans) > 1 else (LEFT + RIGHT) / 2, 1)
        score = scan.get("score")
        level = scan.get("risk")
        when = (scan.get("scanned_at") or "")[:10]
        risk_text = label(i18n.RISK, level, lang) if level in i18n.RISK else i18n.ui(lang)["unknown"]
        point = {"x": x, "date": when, "score": score, "tone": TONE.get(level, "none"), "risk_text": risk_text,
                 "y": _y(score) if isinstance(score, (int, float)) else BOTTOM, "audited": score is not None}
        if point["audited"] and previous is not None and previous["audited"]:
            segments.append({"x1": previous["x"], "y1": previous["y"], "x2": x, "y2": point["y"]})
        points.append(point)
        previous = point
    flag_ids = sorted({f for scan in scans for f in scan.get("flags") or []})
    grid = [{"id": f, "name": flag_name(f, lang),
             "cells": [f in (scan.get("flags") or []) for scan in scans]} for f in flag_ids]
    ticks = [{"score": s, "y": _y(s)} for s in (0, 50, 100)]
    return {"points": points, "segments": segments, "grid": grid, "ticks": ticks,
            "dates": [p["date"] for p in points], "left": LEFT, "right": RIGHT, "bottom": BOTTOM}


def render_history(host: str, items: list[dict], out_dir: Path, lang: str = "zh") -> Path:
    """out_dir/history.html for ``host`` from its stored scans (newest first)."""
    lang = lang if lang in i18n.LANGS else "zh"
    html = render_page("history.html.j2", lang, stylesheets=PAGE_STYLES, host=host,
                       scans=items, **history_view(items, lang))
    out = Path(out_dir) / "history.html"
    write_atomic(out, html)
    return out
