"""Credentials a user gives on the command line or by reference: ``--username`` with
``--password`` / ``--password-env VAR`` / ``--password-file F`` or a prompt, and the
reference a batch row or a queue payload carries instead of a password.

``Credentials`` (the password never shows in a repr) registers both values with
cardshop_auditor.secrets the moment they are known.  Per-site ``--auth`` files and the
resolution of references live in cardshop_auditor.browser.credentials.
"""
from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

from cardshop_auditor.secrets import MASK, register_credentials, warn


class Credentials(tuple):
    """(username, password), usable as a pair; the password never shows in a repr, and both
    are registered for scrubbing the moment they are known."""

    def __new__(cls, username: str, password: str, source: str = ""):
        register_credentials(username, password)
        obj = super().__new__(cls, (username, password))
        obj.source = source               # "--password-env SHOP_PW", "--auth FILE", "prompt", …
        return obj

    @property
    def username(self) -> str:
        return self[0]

    @property
    def password(self) -> str:
        return self[1]

    def __repr__(self) -> str:
        return f"Credentials(username={self[0]!r}, password={MASK!r}, source={self.source!r})"

    __str__ = __repr__


class CredentialError(ValueError):
    """A credential source that cannot be used (unset variable, unreadable file…)."""


def password_from_env(var: str) -> str:
    if not var or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", var):
        raise CredentialError(f"--password-env {var!r}: not an environment variable name")
    value = os.environ.get(var)
    if not value:
        raise CredentialError(f"--password-env {var}: the variable is not set (or empty)")
    return value


def password_from_file(path: str | Path) -> str:
    """The first line of ``path``; a warning when others may read the file."""
    path = Path(path).expanduser()
    try:
        mode = path.stat().st_mode
        with path.open(encoding="utf-8-sig") as fh:
            first = fh.readline()
    except OSError as exc:
        raise CredentialError(f"--password-file {path}: cannot read ({exc.strerror or type(exc).__name__})") \
            from None
    except UnicodeDecodeError:
        raise CredentialError(f"--password-file {path}: not UTF-8 text") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        warn(f"{path} can be read by other users (mode {stat.S_IMODE(mode):o}); "
             f"chmod 600 it")
    value = first.rstrip("\r\n")
    if not value:
        raise CredentialError(f"--password-file {path}: the first line is empty")
    return value


def password_from_prompt(username: str, stream=None) -> str | None:
    """Ask on the terminal (getpass: nothing echoed); None when stdin is not a terminal."""
    stdin = stream or sys.stdin
    if not getattr(stdin, "isatty", lambda: False)():
        return None
    import getpass
    try:
        value = getpass.getpass(f"password for {username}: ")
    except (EOFError, KeyboardInterrupt):
        return None
    return value or None


PASSWORD_ARGV_WARNING = ("--password is visible to every local user in the process list; "
                         "prefer --password-env VAR, --password-file FILE or --auth FILE")


def add_credential_options(group) -> None:
    """The credential options shared by scan / batch / login (argparse group or parser)."""
    group.add_argument("--username", help="shop account for the logged-in refund-entry search")
    group.add_argument("--password", help="password for --username (visible in the process list: "
                                          "prefer --password-env / --password-file / the prompt)")
    group.add_argument("--password-env", metavar="VAR",
                       help="read the password for --username from environment variable VAR")
    group.add_argument("--password-file", type=Path, metavar="FILE",
                       help="read the password for --username from the first line of FILE (chmod 600)")


def credentials_from_args(args, *, prompt: bool = True) -> Credentials | None:
    """--username with --password / --password-env / --password-file, or a prompt on a
    terminal.  Raises CredentialError for a misuse (exit 2 in the commands)."""
    username = getattr(args, "username", None)
    given = [name for name in ("password", "password_env", "password_file") if getattr(args, name, None)]
    if len(given) > 1:
        raise CredentialError("give one of --password, --password-env, --password-file")
    if not username:
        if given:
            raise CredentialError(f"--{given[0].replace('_', '-')} needs --username")
        return None
    if not given:
        value = password_from_prompt(username) if prompt else None
        if value is None:
            raise CredentialError("--username needs a password: --password-env VAR, --password-file FILE, "
                                  "--auth FILE, or run on a terminal to be asked")
        return Credentials(username, value, "prompt")
    if given[0] == "password":
        register_credentials(username, args.password)
        warn(PASSWORD_ARGV_WARNING)
        return Credentials(username, args.password, "--password")
    if given[0] == "password_env":
        return Credentials(username, password_from_env(args.password_env), f"--password-env {args.password_env}")
    return Credentials(username, password_from_file(args.password_file), f"--password-file {args.password_file}")


def credential_ref(*, username: str | None = None, password_env: str | None = None,
                   password_file: str | None = None, auth: bool = False) -> dict:
    """What a batch row or a queue payload carries instead of a password: JSON-safe and
    free of secrets.  ``auth``: look the shop's host up in the auditing machine's --auth file."""
    ref: dict = {}
    if username:
        ref["username"] = username
    if password_env:
        ref["password_env"] = password_env
    if password_file:
        ref["password_file"] = str(password_file)
    if auth:
        ref["auth"] = True
    return ref
