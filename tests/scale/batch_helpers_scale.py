"""Helpers for the scale-out tests (imported by module name)."""
from __future__ import annotations

from datetime import datetime, timezone


def fake_report(url: str, score: int = 80) -> dict:
    return {"schema_version": 1, "target": url, "final_url": url, "status": "complete",
            "scanned_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "tool_version": "test",
            "pages": [], "findings": {}, "checks": [], "score": score, "risk": {"level": "low", "flags": []}}
