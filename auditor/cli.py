"""`cardshop-audit`: each subcommand is a module in auditor/commands/ with
``add_parser(subparsers)`` and ``run(args) -> int``.

Exit codes: cardshop_auditor.errors (DESIGN.md).  An exception that reaches ``main`` is
one line on stderr and its exit code (a UsageError 2, anything else 4), never a traceback
unless ``--debug``.

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

from cardshop_auditor.errors import (  # noqa: F401 - the exit codes, also as cli.EXIT_*
    EXIT_ALERT, EXIT_OK, EXIT_OUR_SIDE, EXIT_THRESHOLD, EXIT_UNAUDITABLE, EXIT_USAGE, ExitCode, UsageError,
    describe_failure, exit_code_for)

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
        from cardshop_auditor.secrets import scrub
        code = exit_code_for(exc)
        print(f"cardshop-audit: error: {scrub(describe_failure(exc))} (exit {code}; --debug shows the traceback)",
              file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
