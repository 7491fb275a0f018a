"""Logging for people and for worker fleets: standard ``logging`` under the
``cardshop_auditor`` logger, on stderr.

    cardshop-audit -v …                   debug detail too
    cardshop-audit -q …                   warnings and errors only (-qq: errors only)
    cardshop-audit --log-format json …    one JSON object per line (time, level, logger,
                                          message, and exit_code / url where known)

Text lines look as they always have: ``[cardshop-audit] progress``, ``[cardshop-audit]
warning: …``, and a failure as ``cardshop-audit: error: …``.  Every record passes the
secrets scrubber (cardshop_auditor.secrets installs it when imported) before it is
formatted, whatever the format: a password typed into a page never reaches a log.

A leaf module: it imports nothing of ours.
"""
from __future__ import annotations

import json
import logging
import os
import sys
from datetime import datetime, timezone
from typing import Callable

NAME = "cardshop_auditor"
FORMATS = ("text", "json")
PREFIX = "cardshop-audit"

_scrubber: Callable[[str], str] | None = None


def install_scrubber(scrub: Callable[[str], str]) -> None:
    """Every log record's message is passed through ``scrub`` before it is written."""
    global _scrubber
    _scrubber = scrub


class ScrubFilter(logging.Filter):
    """Renders the message once (msg % args) and scrubs it; the args are dropped, so no
    formatter can print an unscrubbed value."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _scrubber is not None:
            message = _scrubber(message)
        record.msg, record.args = message, None
        return True


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        worker = getattr(record, "worker", None)
        if worker is not None:        # a worker runs for days: its lines carry their time and name
            stamp = datetime.fromtimestamp(record.created).isoformat(timespec="seconds")
            level = "" if record.levelno == logging.INFO else f"{record.levelname.lower()}: "
            text = f"{stamp} [worker {worker}] {level}{message}"
        elif record.levelno >= logging.ERROR:
            text = f"{PREFIX}: {message}"
        elif record.levelno >= logging.WARNING:
            text = f"[{PREFIX}] warning: {message}"
        elif record.levelno < logging.INFO:
            text = f"[{PREFIX}] debug: {message}"
        else:
            text = f"[{PREFIX}] {message}"
        if record.exc_info:
            traceback = self.formatException(record.exc_info)
            text += "\n" + (_scrubber(traceback) if _scrubber else traceback)
        return text


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log shippers: never a multi-line record."""

    EXTRAS = ("exit_code", "url", "shop", "batch_id", "worker")

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                 "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        for key in self.EXTRAS:
            if getattr(record, key, None) is not None:
                entry[key] = getattr(record, key)
        if record.exc_info:
            traceback = self.formatException(record.exc_info)
            entry["traceback"] = _scrubber(traceback) if _scrubber else traceback
        return json.dumps(entry, ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (the secrets guard and test
    capture replace it after logging is set up)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def level_for(verbose: int = 0, quiet: int = 0) -> int:
    """-v debug, (nothing) info, -q warning, -qq error: errors are always shown."""
    n = verbose - quiet
    return logging.DEBUG if n >= 1 else {0: logging.INFO, -1: logging.WARNING}.get(n, logging.ERROR)


def configure(verbose: int = 0, quiet: int = 0, fmt: str = "text") -> logging.Logger:
    """(Re)configure the ``cardshop_auditor`` logger: one stderr handler, scrubbed, in
    ``fmt``; its level from -v / -q."""
    logger = logging.getLogger(NAME)
    for handler in list(logger.handlers):
        if isinstance(handler, StderrHandler):
            logger.removeHandler(handler)
    handler = StderrHandler()
    handler.addFilter(ScrubFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    logger.addHandler(handler)
    logger.setLevel(level_for(verbose, quiet))
    logger.propagate = False
    return logger


def capture_everything(others_level: int) -> None:
    """For a long-running process (``worker``): every record of every logger — Dramatiq's,
    the libraries', Python's warnings, an exception that ends a thread — goes through the
    same scrubbed stderr handler as ours, in its format (one JSON object per line with
    ``--log-format json``), not through a handler of its own.  ``others_level``: the
    level of loggers outside ``cardshop_auditor`` (-v shows their debug records)."""
    import threading
    ours = next((h for h in logging.getLogger(NAME).handlers if isinstance(h, StderrHandler)), None)
    if ours is None:
        configure()
        ours = next(h for h in logging.getLogger(NAME).handlers if isinstance(h, StderrHandler))
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, StderrHandler) or type(handler) is logging.StreamHandler:
            root.removeHandler(handler)
    root.addHandler(ours)
    root.setLevel(others_level)
    logging.captureWarnings(True)

    def thread_died(args) -> None:
        if issubclass(args.exc_type, SystemExit):
            return
        logging.getLogger(f"{NAME}.thread").error(
            "thread %s ended by %s", getattr(args.thread, "name", "?"), args.exc_type.__name__,
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
    threading.excepthook = thread_died


def writes_json() -> bool:
    """True when stderr carries JSON lines (nothing else may be written there)."""
    return any(isinstance(h, StderrHandler) and isinstance(h.formatter, JsonFormatter)
               for h in logging.getLogger(NAME).handlers)


def get_logger(name: str = NAME) -> logging.Logger:
    """A logger under ``cardshop_auditor``; configured with the defaults on first use
    (text, INFO) when the CLI has not configured it (the library used from Python)."""
    root = logging.getLogger(NAME)
    if not any(isinstance(h, StderrHandler) for h in root.handlers):
        configure(verbose=1 if os.environ.get("CARDSHOP_DEBUG") else 0)
    return logging.getLogger(name if name.startswith(NAME) else f"{NAME}.{name}")
