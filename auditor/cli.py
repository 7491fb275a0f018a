"""`cardshop-audit`: each subcommand is a module in auditor/commands/ with
``add_parser(subparsers)`` and ``run(args) -> int``.

Exit codes: cardshop_auditor.errors (DESIGN.md).  An exception that reaches ``main`` is
one line on stderr and its exit code (a UsageError 2, anything else 4), never a traceback
unless ``--debug``; so is an argparse usage error.  Logging: cardshop_auditor.logs
(``-v`` / ``-q`` / ``--log-format json``).

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

from cardshop_auditor import __version__, logs
from cardshop_auditor.errors import (  # noqa: F401 - the exit codes, also as cli.EXIT_*
    EXIT_ALERT, EXIT_OK, EXIT_OUR_SIDE, EXIT_THRESHOLD, EXIT_UNAUDITABLE, EXIT_USAGE, ExitCode, UsageError,
    describe_failure, exit_code_for)

ORDER = ["scan", "demo", "batch", "worker", "history", "diff", "rescore", "login", "bench"]


class Parser(argparse.ArgumentParser):
    """A usage error is one line on stderr (and the exit code 2), not the usage text."""

    def error(self, message: str):
        command = self.prog if self.prog != "cardshop-audit" else "cardshop-audit"
        self.exit(EXIT_USAGE, f"cardshop-audit: error: {message} (see {command} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    import cardshop_auditor.commands as commands
    parser = Parser(
        prog="cardshop-audit",
        description="Audit Chinese virtual-goods card shops (卡盟 / 发卡网): refund entry, "
                    "refund clauses, ICP / 公安备案 / business identity, fly-by-night signals.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_global_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = [m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")]
    for name in sorted(names, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n)):
        module = importlib.import_module(f"cardshop_auditor.commands.{name}")
        module.add_parser(sub)
    for command_parser in sub.choices.values():      # also accepted after the command
        _add_global_options(command_parser, top=False)
    return parser


def _add_global_options(parser: argparse.ArgumentParser, top: bool) -> None:
    def default(value):
        return value if top else argparse.SUPPRESS
    options = parser._option_string_actions
    if "--debug" not in options:
        parser.add_argument("--debug", action="store_true", default=default(False),
                            help="show the traceback of an internal or OS error")
    if "--shared-output" not in options:
        parser.add_argument("--shared-output", action="store_true", default=default(False),
                            help="create reports, evidence and databases with the usual umask "
                                 "instead of owner-only (also: CARDSHOP_SHARED_OUTPUT=1)")
    if "--verbose" not in options:
        parser.add_argument("-v", "--verbose", action="count", default=default(0),
                            help="more detail on stderr (repeatable)")
    if "--quiet" not in options:
        parser.add_argument("-q", "--quiet", action="count", default=default(0),
                            help="only warnings and errors on stderr (-qq: errors only)")
    if "--log-format" not in options:
        parser.add_argument("--log-format", choices=logs.FORMATS, default=default("text"),
                            help="stderr as text lines (default) or JSON lines for log collectors")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = bool(getattr(args, "debug", False))
    log = logs.configure(verbose=args.verbose + debug, quiet=args.quiet, fmt=args.log_format)
    log.debug("cardshop-audit %s, command %s, Python %s", __version__, args.command or "-", sys.version.split()[0])
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        from cardshop_auditor.outputs import private_outputs, resolve_user_paths, wants_shared_output
        resolve_user_paths(args)
        private_outputs(shared=wants_shared_output(getattr(args, "shared_output", False)))
        return args.run(args)
    except KeyboardInterrupt:
        log.warning("interrupted", extra={"exit_code": ExitCode.INTERRUPTED})
        return ExitCode.INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - one line and the exit code that says whose side failed
        code = exit_code_for(exc)
        if debug and code != EXIT_USAGE:
            raise
        from cardshop_auditor.secrets import scrub
        line = scrub(describe_failure(exc))
        if code != EXIT_USAGE:
            line += f" (exit {code}; --debug shows the traceback)"
        log.error("error: %s", line, extra={"exit_code": int(code)})
        return code


if __name__ == "__main__":
    sys.exit(main())
