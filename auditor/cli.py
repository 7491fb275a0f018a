"""`cardshop-audit`: each subcommand is a module in auditor/commands/ with
``add_parser(subparsers)`` and ``run(args) -> int``.

Exit codes (DESIGN.md; a batch exits with the highest that applies):

  0  the audit completed, whatever the verdict
  1  the ``--fail-on`` threshold was reached (or ``--fail-on-change`` and something changed)
  2  usage error: bad option or URL, unreadable input file, ``--out`` naming a directory
     that is neither empty nor a previous scan
  3  the target could not be audited at all (the site's side: unreachable, not HTML,
     refused): one line on stderr, and still a report.json saying why
  4  our side failed: disk full or another OS error, database or broker unreachable, a
     missing optional extra, an internal error; also a batch that left shops unaudited.
     One line on stderr, a report.json where one can still be written, no traceback
     unless ``--debug``
  5  the audit completed but an alert (webhook) could not be delivered

Before a command runs, every path it was given (``--out``, FILE, ``--auth``,
``--storage-state``, sqlite paths…) is made absolute against the current directory, and
outputs become owner-only (umask 077) unless ``--shared-output`` or
``CARDSHOP_SHARED_OUTPUT=1`` asks otherwise.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from cardshop_auditor import __version__

EXIT_OK, EXIT_THRESHOLD, EXIT_USAGE, EXIT_UNAUDITABLE, EXIT_OUR_SIDE, EXIT_ALERT = 0, 1, 2, 3, 4, 5
ORDER = ["scan", "demo", "batch", "worker", "history", "diff", "rescore", "login", "bench"]


def build_parser() -> argparse.ArgumentParser:
    import cardshop_auditor.commands as commands
    parser = argparse.ArgumentParser(
        prog="cardshop-audit",
        description="Audit Chinese virtual-goods card shops (卡盟 / 发卡网): refund entry, "
                    "refund clauses, ICP / 公安备案 / business identity, fly-by-night signals.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_global_options(parser, default=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = [m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")]
    for name in sorted(names, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n)):
        module = importlib.import_module(f"cardshop_auditor.commands.{name}")
        module.add_parser(sub)
    for command_parser in sub.choices.values():      # also accepted after the command
        _add_global_options(command_parser, default=argparse.SUPPRESS)
    return parser


def _add_global_options(parser: argparse.ArgumentParser, default) -> None:
    if "--debug" not in parser._option_string_actions:
        parser.add_argument("--debug", action="store_true", default=default,
                            help="show the traceback of an internal or OS error")
    if "--shared-output" not in parser._option_string_actions:
        parser.add_argument("--shared-output", action="store_true", default=default,
                            help="create reports, evidence and databases with the usual umask "
                                 "instead of owner-only (also: CARDSHOP_SHARED_OUTPUT=1)")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    debug = bool(getattr(args, "debug", False))
    try:
        from cardshop_auditor.outputs import private_outputs, resolve_user_paths, wants_shared_output
        resolve_user_paths(args)
        private_outputs(shared=wants_shared_output(getattr(args, "shared_output", False)))
        return args.run(args)
    except KeyboardInterrupt:
        print("[cardshop-audit] interrupted", file=sys.stderr)
        return 130
    except UsageError as exc:
        print(f"cardshop-audit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - our side failed: one line, exit 4
        if debug:
            raise
        print(f"cardshop-audit: error: {describe_failure(exc)} (exit 4; --debug shows the traceback)",
              file=sys.stderr)
        return EXIT_OUR_SIDE


def describe_failure(exc: BaseException) -> str:
    """One line for an error on our side: an OS error as "what: file", anything else as
    its type and the first line of its message, bounded."""
    first = (str(exc).strip().splitlines() or [""])[0]
    module = type(exc).__module__.split(".")[0]
    if isinstance(exc, OSError) and exc.strerror:
        where = f": {exc.filename}" if exc.filename else ""
        text = f"{exc.strerror}{where}"
    elif isinstance(exc, ImportError):
        extra = {"psycopg": "postgres", "redis": "redis"}.get((exc.name or "").split(".")[0])
        text = f"missing module {exc.name or first}" + (
            f" (pip install 'cardshop-auditor[{extra}]')" if extra else "")
    elif module in ("sqlalchemy", "psycopg", "alembic"):
        text = f"database error: {first}"
    elif module == "redis":
        text = f"broker error: {first}"
    else:
        text = f"internal error: {type(exc).__name__}" + (f": {first}" if first else "")
    from cardshop_auditor.secrets import scrub
    text = " ".join(scrub(text).split())
    return text if len(text) <= 300 else text[:299] + "…"


class UsageError(Exception):
    """A problem with how the command was called (exit code 2)."""


if __name__ == "__main__":
    # `python -m cardshop_auditor.cli`: run the importable module, not this __main__ copy, or the
    # commands' `from cardshop_auditor.cli import UsageError` would be another class (a traceback).
    from cardshop_auditor.cli import main as _main
    sys.exit(_main())
