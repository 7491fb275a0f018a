"""The batch summary page (index.html of a batch): shops worst first, a score histogram
and the flags raised, sortable by a small script the page's CSP allows by hash."""
from __future__ import annotations

from importlib import resources

from cardshop_auditor.checks import flag_name
from cardshop_auditor.report.render import PAGE_STYLES, TEMPLATES, render_page
from cardshop_auditor.report_templates import i18n

RISK_RANK = {"high": 0, "medium": 1, "low": 2}


def sort_rows(rows: list[dict]) -> list[dict]:
    """Worst first: risk, then score (low first), then host."""
    return sorted(rows, key=lambda r: (r["status"] == "missing", RISK_RANK.get(r["risk"], 3),
                                       r["score"] if isinstance(r["score"], (int, float)) else 101, r["host"]))


def _histogram(rows: list[dict]) -> list[dict]:
    bins = [0] * 10
    for r in rows:
        s = r.get("score")
        if isinstance(s, (int, float)) and not isinstance(s, bool):
            bins[min(9, max(0, int(s) // 10))] += 1
    top = max(bins) or 1
    width, height, gap = 30, 120, 6
    out = []
    for i, n in enumerate(bins):
        h = round(height * n / top)
        out.append({"x": 30 + i * (width + gap), "y": 10 + height - h, "w": width, "h": h, "n": n,
                    "label": f"{i * 10}–{i * 10 + 9}" if i < 9 else "90–100", "tone": "bad" if i < 5 else ""})
    return out


def _flag_bars(rows: list[dict], lang: str) -> list[dict]:
    counts: dict[str, int] = {}
    for r in rows:
        for f in r.get("flags") or []:
            counts[f] = counts.get(f, 0) + 1
    top = max(counts.values(), default=1)
    bars = []
    for i, (flag, n) in enumerate(sorted(counts.items(), key=lambda t: (-t[1], t[0]))):
        bars.append({"id": flag, "name": flag_name(flag, lang), "n": n, "y": 8 + i * 24, "w": max(2, round(260 * n / top))})
    return bars


def render_batch_html(rows: list[dict], counts: dict, *, batch_id: str, started_at: str | None,
                      lang: str = "zh") -> str:
    script = resources.files(TEMPLATES).joinpath("batch_sort.js").read_text("utf-8")
    zh = lang != "en"
    view = []
    for r in sort_rows(rows):
        flags = [{"id": f, "name": flag_name(f, lang)} for f in r["flags"]]
        level = r["risk"]
        view.append({**r, "flag_views": flags,
                     "risk_text": (i18n.RISK.get(level) or (level or "–", level or "–"))[0 if zh else 1],
                     "risk_rank": RISK_RANK.get(level, 3),
                     "href": r["report"] if r["report"] else None,
                     "diff_href": r["diff"] if r.get("diff") else None})
    hist = _histogram(rows)
    bars = _flag_bars(rows, lang)
    return render_page(
        "batch.html.j2", lang, stylesheets=PAGE_STYLES, script=script,
        rows=view, counts=counts, batch_id=batch_id, started_at=started_at,
        hist=hist, hist_max=max((b["n"] for b in hist), default=0), bars=bars,
        bars_height=16 + 24 * len(bars))
