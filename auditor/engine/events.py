"""Where a worker's dead letters go: the worker installs a handler (database row, log
line, Prometheus counter); without one they are only logged."""
from __future__ import annotations

import logging
from typing import Callable

_handler: Callable[[str | None, str | None, str], None] | None = None
log = logging.getLogger("cardshop_auditor.engine")


def set_handler(handler: Callable[[str | None, str | None, str], None] | None) -> None:
    global _handler
    _handler = handler


def dead_letter(batch_id: str | None, shop_id: str | None, reason: str) -> None:
    """A task given up on: ``batch_id``/``shop_id`` None when the message named none we
    could trust.  ``reason`` is our own words (never a value the message carried)."""
    if _handler is not None:
        _handler(batch_id, shop_id, reason)
    else:
        log.warning("dead-lettered %s:%s (%s)", batch_id or "?", shop_id or "?", reason)
