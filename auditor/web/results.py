"""The web page's results in the history database (cardshop_auditor.storage).

A scan submitted through the web is stored like any other scan, in the batch ``web`` with
its token as ``shop_id`` (the permanent address /r/<token>/), its evidence files in the
database (so any app instance or worker can serve them), and ``label`` ``web`` or
``web-private`` (run with the buyer's own account: never listed, never handed to anyone
else as a recent result).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import undefer

from cardshop_auditor.storage import open_store
from cardshop_auditor.storage.models import Evidence, Scan, ScanEvidence
from cardshop_auditor.urls import host_key

WEB_BATCH = "web"
PUBLIC, PRIVATE = "web", "web-private"


class ResultStore:
    def __init__(self, db_url: str | None):
        self.store = open_store(db_url)
        self.store.ensure_batch(WEB_BATCH, source="cardshop-audit serve")

    def record(self, token: str, result, private: bool) -> int:
        rec = self.store.record(result.report, report_dir=result.target.out_dir, batch_id=WEB_BATCH,
                                shop_id=token, label=PRIVATE if private else PUBLIC, url=result.target.url)
        return rec.scan_id

    def find(self, token: str, with_report: bool = True) -> Scan | None:
        with self.store.transaction() as s:
            query = select(Scan).where(Scan.batch_id == WEB_BATCH, Scan.shop_id == token)
            if with_report:
                query = query.options(undefer(Scan.report))
            return s.scalar(query)

    def recent_for(self, url: str, max_age: timedelta) -> Scan | None:
        """The newest public, audited web result for ``url``'s host, if younger than ``max_age``."""
        since = datetime.now(timezone.utc) - max_age
        with self.store.transaction() as s:
            return s.scalar(select(Scan).where(
                Scan.batch_id == WEB_BATCH, Scan.label == PUBLIC, Scan.host == host_key(url),
                Scan.status != "failed", Scan.scanned_at >= since).order_by(Scan.scanned_at.desc(), Scan.id.desc())
                .limit(1))

    def latest(self, limit: int = 8) -> list[Scan]:
        """The most recently checked shops (public web results, one per host)."""
        out: list[Scan] = []
        seen: set[str] = set()
        with self.store.transaction() as s:
            rows = s.scalars(select(Scan).where(Scan.batch_id == WEB_BATCH, Scan.label == PUBLIC)
                             .order_by(Scan.scanned_at.desc(), Scan.id.desc()).limit(limit * 5))
            for row in rows:
                if row.host not in seen:
                    seen.add(row.host)
                    out.append(row)
                if len(out) >= limit:
                    break
        return out

    def evidence(self, scan_id: int, path: str) -> tuple[bytes, str] | None:
        with self.store.transaction() as s:
            row = s.execute(select(Evidence.content, Evidence.media_type)
                            .join(ScanEvidence, ScanEvidence.sha256 == Evidence.sha256)
                            .where(ScanEvidence.scan_id == scan_id, ScanEvidence.path == path)).first()
        return (bytes(row[0]), row[1] or "application/octet-stream") if row else None
