"""Point report.json at the WARC: every page row, every quoted finding and every check's
evidence gets ``"warc": {"record_id": "<urn:uuid:…>", "target_uri": "…"}`` — the record
holding the bytes it was read from (a response record for a fetched page, a conversion
record for a page read from the browser's rendered DOM) — and every screenshot the id of
its resource record.  ``report["warc"]`` names the file and counts what it covers.

Additive only: fields are added, never renamed or dropped (DESIGN.md, report.json).
"""
from __future__ import annotations

import re
from pathlib import Path

from cardshop_auditor.artifacts import Page
from cardshop_auditor.evidence.warc import WARC_PATH, warc_path

_SPACE = re.compile(r"\s+")
# The fields of a finding / evidence item that hold what the page said (in this order).
QUOTED_FIELDS = ("text", "snippet", "raw", "number", "uscc", "company_name", "value")


def page_ref(page: Page) -> dict:
    return {"record_id": page.warc_record_id, "target_uri": page.final_url or page.url,
            "record_type": "conversion" if page.fetched_with == "browser" else "response"}


class _Lookup:
    def __init__(self, pages: list[Page]):
        self.by_url: dict[str, list[Page]] = {}
        for page in pages:
            if page.warc_record_id:
                for url in dict.fromkeys((page.final_url, page.url)):
                    if url:
                        self.by_url.setdefault(url, []).append(page)
        self._flat: dict[str, str] = {}

    def ref(self, url, quote=None) -> dict | None:
        """The record of the page at ``url``; among several (fetched and rendered), the
        first whose text holds the quoted sentence (``quote``: a string or several forms of
        it, e.g. a snippet ``emails: x@y`` and its value), fetched bytes before the DOM."""
        if not isinstance(url, str):
            return None
        candidates = sorted(self.by_url.get(url, ()), key=lambda p: p.fetched_with != "http")
        if not candidates:
            return None
        if len(candidates) > 1:
            for text in ([quote] if isinstance(quote, str) else list(quote or ())):
                if not isinstance(text, str) or not text.strip():
                    continue
                for form in [text] + ([text.split(": ", 1)[1]] if ": " in text else []):
                    needle = _SPACE.sub("", form)[:200]
                    for page in candidates:
                        if needle and needle in self._flat_text(page):
                            return page_ref(page)
        return page_ref(candidates[0])

    def _flat_text(self, page: Page) -> str:
        key = page.warc_record_id
        if key not in self._flat:
            self._flat[key] = _SPACE.sub("", page.html or "")
        return self._flat[key]


def attach(report: dict, artifacts, out_dir: str | Path) -> dict:
    """Add the WARC references to ``report`` (in place; returned for convenience)."""
    if not warc_path(out_dir).exists() or not isinstance(report, dict):
        return report
    pages = list(artifacts.pages)
    lookup = _Lookup(pages)
    rows = [r for r in report.get("pages") or [] if isinstance(r, dict)]
    archived = 0
    if len(rows) == len(pages):            # the rows are the pages, in order (report._page_row)
        for row, page in zip(rows, pages):
            if page.warc_record_id and row.get("url") == page.url:
                row["warc"] = page_ref(page)
                archived += 1
    _walk(report.get("findings"), lookup)
    for check in report.get("checks") or []:
        if isinstance(check, dict):
            _walk(check.get("evidence"), lookup)
    shots = {item.get("path"): item for item in ((artifacts.meta.browser or {}).get("evidence") or [])
             if isinstance(item, dict) and item.get("warc_record_id")}
    for item in report.get("evidence") or []:
        if not isinstance(item, dict):
            continue
        item.pop("warc_record_id", None)
        item.pop("warc_target_uri", None)
        found = shots.get(item.get("path"))
        if found:
            item["warc"] = {"record_id": found["warc_record_id"], "target_uri": found["warc_target_uri"],
                            "record_type": "resource"}
    report["warc"] = {"path": WARC_PATH, "pages": len(rows), "pages_archived": archived}
    return report


def _walk(node, lookup: _Lookup, depth: int = 0) -> None:
    if depth > 8:
        return
    if isinstance(node, list):
        for item in node:
            _walk(item, lookup, depth + 1)
        return
    if not isinstance(node, dict):
        return
    url = node.get("source_url") if "source_url" in node else (node.get("url") if "snippet" in node else None)
    if url:
        ref = lookup.ref(url, [node.get(k) for k in QUOTED_FIELDS])
        if ref:
            node["warc"] = ref
    for key, value in node.items():
        if key != "warc" and isinstance(value, (dict, list)):
            _walk(value, lookup, depth + 1)
