"""`cardshop-audit`: each subcommand is a module in auditor/commands/ with
``add_parser(subparsers)`` and ``run(args) -> int``.

Exit codes (DESIGN.md): 0 audit completed; 1 --fail-on threshold reached; 2 usage error;
3 target could not be audited at all.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from auditor import __version__

EXIT_OK, EXIT_THRESHOLD, EXIT_USAGE, EXIT_UNAUDITABLE = 0, 1, 2, 3
ORDER = ["scan", "demo", "batch", "worker", "history", "diff", "rescore", "login", "bench"]


def build_parser() -> argparse.ArgumentParser:
    import auditor.commands as commands
    parser = argparse.ArgumentParser(
        prog="cardshop-audit",
        description="Audit Chinese virtual-goods card shops (卡盟 / 发卡网): refund entry, "
                    "refund clauses, ICP / 公安备案 / business identity, fly-by-night signals.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = [m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")]
    for name in sorted(names, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n)):
        module = importlib.import_module(f"auditor.commands.{name}")
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("[cardshop-audit] interrupted", file=sys.stderr)
        return 130
    except UsageError as exc:
        print(f"cardshop-audit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


class UsageError(Exception):
    """A problem with how the command was called (exit code 2)."""


if __name__ == "__main__":
    # `python -m auditor.cli`: run the importable module, not this __main__ copy, or the
    # commands' `from auditor.cli import UsageError` would be another class (a traceback).
    from auditor.cli import main as _main
    sys.exit(_main())
