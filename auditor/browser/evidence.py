"""Screenshots written under ``<out_dir>/evidence/`` with their sha256, for report.json."""
from __future__ import annotations

import re
from pathlib import Path

from cardshop_auditor import secrets
from cardshop_auditor.artifacts import sha256_bytes, write_atomic

KINDS = ("footer", "agreement", "refund_step", "refund_entry")


class EvidenceWriter:
    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.items: list[dict] = []
        self._names: set[str] = set()

    def add(self, kind: str, name: str, data: bytes | None, caption: str, **extra) -> dict | None:
        """Write ``data`` (PNG bytes) as evidence/<name>.png; returns the evidence entry."""
        if not data:
            return None
        # bounded: a name built from a shop's text must never hit ENAMETOOLONG
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", secrets.scrub(name)).strip("-.")[:80].rstrip("-.") or kind
        candidate, n = stem, 2
        while candidate in self._names:
            candidate, n = f"{stem}-{n}", n + 1
        self._names.add(candidate)
        rel = f"evidence/{candidate}.png"
        write_atomic(self.out_dir / rel, data)
        entry = {"path": rel, "sha256": sha256_bytes(data), "kind": kind, "caption": caption, **extra}
        self.items.append(entry)
        return entry
