"""Exit codes and the errors that choose them (DESIGN.md).

A leaf module: it imports nothing of ours, so commands, the queue, the credentials
loader and the web app raise ``UsageError`` without importing the CLI, and there is one
``UsageError`` class whichever way the tool was started.

  0  the audit completed, whatever the verdict
  1  the ``--fail-on`` threshold was reached (or ``--fail-on-change`` and something changed)
  2  usage error: bad option or URL, unreadable input file, refused ``--out``
  3  the target could not be audited at all (the site's side)
  4  our side failed: disk or other OS error, database or broker unreachable, a missing
     optional extra, an internal error; also a batch that left shops unaudited
  5  the audit completed but an alert (webhook) could not be delivered

A batch exits with the highest code that applies.
"""
from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    THRESHOLD = 1
    USAGE = 2
    UNAUDITABLE = 3
    OUR_SIDE = 4
    ALERT = 5
    INTERRUPTED = 130


EXIT_OK, EXIT_THRESHOLD, EXIT_USAGE = ExitCode.OK, ExitCode.THRESHOLD, ExitCode.USAGE
EXIT_UNAUDITABLE, EXIT_OUR_SIDE, EXIT_ALERT = ExitCode.UNAUDITABLE, ExitCode.OUR_SIDE, ExitCode.ALERT

# An optional extra per module that only it installs: the hint in a missing-module line.
EXTRAS = {"psycopg": "postgres", "redis": "engine", "dramatiq": "engine", "pika": "engine",
          "prometheus_client": "engine"}
# Exceptions from these packages mean the database or the broker failed, not the audit.
DATABASE_MODULES = ("sqlalchemy", "psycopg", "alembic", "sqlite3")
BROKER_MODULES = ("redis", "kombu", "celery", "dramatiq", "amqp", "pika")

MAX_LINE = 300


class UsageError(Exception):
    """A problem with how the command was called (exit 2)."""

    exit_code = ExitCode.USAGE


class OurSideError(Exception):
    """Our side failed (exit 4); ``str(exc)`` is the one line the user sees."""

    exit_code = ExitCode.OUR_SIDE


class DatabaseUnavailable(OurSideError):
    """The history database could not be opened, reached or written."""


class BrokerUnavailable(OurSideError):
    """The task broker could not be reached."""


class MissingExtra(OurSideError):
    """An optional dependency is not installed."""

    def __init__(self, module: str, extra: str | None = None):
        extra = extra or EXTRAS.get(module.split(".")[0])
        hint = f" (pip install 'cardshop-auditor[{extra}]')" if extra else ""
        super().__init__(f"missing module {module}{hint}")
        self.module, self.extra = module, extra


def exit_code_for(exc: BaseException) -> int:
    """The exit code an exception that reached the command line stands for."""
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    return int(getattr(exc, "exit_code", ExitCode.OUR_SIDE))


def describe_failure(exc: BaseException) -> str:
    """One line for an error on our side: an OS error as "what: file", a database or
    broker error named as such, anything else as its type and the first line of its
    message, bounded.  Not scrubbed: callers print it through the secrets scrubber."""
    first = (str(exc).strip().splitlines() or [""])[0]
    module = type(exc).__module__.split(".")[0]
    if isinstance(exc, (UsageError, OurSideError)):
        text = first
    elif isinstance(exc, OSError) and exc.strerror:
        where = f": {exc.filename}" if exc.filename else ""
        text = f"{exc.strerror}{where}"
    elif isinstance(exc, ImportError):
        text = str(MissingExtra(exc.name or first))
    elif module in DATABASE_MODULES:
        text = f"database error: {first}"
    elif module in BROKER_MODULES:
        text = f"broker error: {first}"
    else:
        text = f"internal error: {type(exc).__name__}" + (f": {first}" if first else "")
    text = " ".join(text.split())
    return text if len(text) <= MAX_LINE else text[:MAX_LINE - 1] + "…"
