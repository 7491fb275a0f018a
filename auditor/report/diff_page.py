"""diff.json and diff.html: what changed between two scans of a shop, for a reader.

The changes themselves are computed by cardshop_auditor.diff (pure); this module draws
them with the shared render environment (cardshop_auditor.report.render): old and new
text side by side, marked to the character, each change toned good / bad / neutral for
the buyer.
"""
from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from cardshop_auditor.artifacts import write_atomic
from cardshop_auditor.checks import flag_name
from cardshop_auditor.diff import change_lines
from cardshop_auditor.report.render import PAGE_STYLES, render_page
from cardshop_auditor.report_templates import i18n


def write_diff(diff: dict, out_dir: Path, lang: str = "zh") -> dict[str, Path]:
    """out_dir/diff.json and out_dir/diff.html, each written atomically."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"diff.json": out_dir / "diff.json", "diff.html": out_dir / "diff.html"}
    write_atomic(paths["diff.json"], json.dumps(diff, ensure_ascii=False, indent=2) + "\n")
    write_atomic(paths["diff.html"], render_diff_html(diff, lang=lang))
    return paths


# --------------------------------------------------------------------------- HTML
# diff.html and the batch summary share this: autoescaped Jinja2 over report_templates/,
# the report's stylesheet plus history.css inlined, and a CSP that allows exactly that
# stylesheet (and, for the batch page, its one sorting script) by hash.


def _segments(a: str, b: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Character-level side-by-side: (text, marked) runs for the old and the new text."""
    old, new = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            old.append((a[i1:i2], False))
            new.append((b[j1:j2], False))
        else:
            if i2 > i1:
                old.append((a[i1:i2], True))
            if j2 > j1:
                new.append((b[j1:j2], True))
    return old, new


def diff_view(diff: dict, lang: str = "zh") -> dict:
    zh = lang != "en"

    def kind_name(kind: Any) -> str:
        entry = i18n.CLAUSE_KINDS.get(kind)
        return (entry[0] if zh else entry[1]) if entry else str(kind or "")

    rows, clauses = [], []
    lines = change_lines(diff)
    for c, line in zip(diff.get("changes") or [], lines):
        row = {"field": c.get("field"), "change": c.get("change"), "line": line,
               "old": c.get("old"), "new": c.get("new"), "attr": c.get("attr"),
               "kind": kind_name(c.get("kind")) if c.get("kind") else None,
               "old_kind": kind_name(c.get("old_kind")) if c.get("old_kind") else None,
               "direction": c.get("direction"), "delta": c.get("delta"), "reason": c.get("reason"),
               "flag": flag_name(c.get("new") or c.get("old"), lang) if c.get("field") == "flags" else None,
               "tone": _tone(c, i18n.CLAUSE_KINDS)}
        rows.append(row)
        if c.get("field") == "clause":
            old_segs, new_segs = _segments(str(c.get("old") or ""), str(c.get("new") or ""))
            clauses.append({**row, "old_segs": old_segs if c.get("old") else [],
                            "new_segs": new_segs if c.get("new") else [],
                            "source_url": c.get("source_url")})
    return {"d": diff, "rows": rows, "clauses": clauses, "old": diff.get("old") or {},
            "new": diff.get("new") or {}, "notes": diff.get("notes") or [], "count": len(rows)}


def _tone(c: dict, kinds: dict) -> str:
    """good | bad | neutral: for the reader, is this change in the buyer's favour?"""
    field, change = c.get("field"), c.get("change")
    if field == "flags":
        return "bad" if change == "added" else "good"
    if field == "score":
        delta = c.get("delta")
        return "neutral" if delta is None else "good" if delta > 0 else "bad"
    if field == "refund_entry":
        if change == "changed":
            return {"deeper": "bad", "into_overflow": "bad", "shallower": "good", "out_of_overflow": "good"}.get(
                c.get("direction"), "neutral")
        return "good" if change == "added" else "bad"
    if field == "clause":
        new_tone = (kinds.get(c.get("kind")) or (None, None, "neutral"))[2]
        old_tone = (kinds.get(c.get("old_kind") or c.get("kind")) or (None, None, "neutral"))[2]
        if change == "removed":
            return "bad" if old_tone == "good" else "good" if old_tone == "bad" else "neutral"
        return new_tone if change == "added" or new_tone != "neutral" else "neutral"
    if field == "status":
        return "bad" if c.get("new") == "failed" else "good"
    if field in ("icp", "icp_license", "psb_filing", "business", "contacts"):
        return {"added": "good", "removed": "bad"}.get(change, "neutral")
    return "neutral"


def render_diff_html(diff: dict, lang: str = "zh") -> str:
    return render_page("diff.html.j2", lang, stylesheets=PAGE_STYLES, **diff_view(diff, lang))
