"""Dead letters in the history database: the shops of a batch the task engine gave up on.

A worker writes one only for a batch a coordinator registered (``batches``) and a shop id
that is a valid id, at most ``PER_BATCH_CAP`` per batch: anyone who can write to the
broker can forge tasks, and a flood of them must not fill the database.  The coordinator
reads them to say which shops are missing and why.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from cardshop_auditor.storage.models import Batch, DeadLetter

PER_BATCH_CAP = 100_000
MAX_REASON = 300


def note(store, batch_id: str, shop_id: str, reason: str, worker: str | None = None) -> bool:
    """Record (or replace) the dead letter of one shop; False when the batch is unknown or
    its dead letters are at the cap."""
    now = datetime.now(timezone.utc)
    try:
        with store.transaction() as s:
            if s.get(Batch, batch_id) is None:
                return False
            row = s.get(DeadLetter, (batch_id, shop_id))
            if row is not None:
                row.reason, row.worker, row.created_at = reason[:MAX_REASON], worker, now
                return True
            count = s.scalar(select(func.count()).select_from(DeadLetter)
                             .where(DeadLetter.batch_id == batch_id)) or 0
            if count >= PER_BATCH_CAP:
                return False
            s.add(DeadLetter(batch_id=batch_id, shop_id=shop_id, reason=reason[:MAX_REASON], worker=worker,
                             created_at=now))
        return True
    except IntegrityError:     # written at the same moment by another worker: theirs stands
        return True


def clear(store, batch_id: str, shop_ids) -> None:
    """Forget the dead letters of shops enqueued again (``--resume``) or stored at last."""
    shop_ids = list(shop_ids)
    if not shop_ids:
        return
    with store.transaction() as s:
        for start in range(0, len(shop_ids), 500):
            s.execute(delete(DeadLetter).where(DeadLetter.batch_id == batch_id,
                                               DeadLetter.shop_id.in_(shop_ids[start:start + 500])))


def for_batch(store, batch_id: str) -> dict[str, str]:
    """shop id → reason, for one batch."""
    with store.transaction() as s:
        rows = s.execute(select(DeadLetter.shop_id, DeadLetter.reason).where(DeadLetter.batch_id == batch_id))
        return {shop: reason for shop, reason in rows}
