"""`cardshop-audit worker --credentials FILE`: the credentials a task may ask for by name.

A batch file names where a shop's password is (``password_env = "YIKA_PW"``); with
``--broker`` only that *name* travels (``"credential_ref": {"name": "YIKA_PW"}``), and each
worker resolves it from its own configuration — this file — never from the task::

    [YIKA_PW]                               # the name a batch file's password_env gives
    username = "yika2025"
    sites = ["shop.example.cn", "*.yikahui.cn", "127.0.0.1:8123"]
    # password_env = "YIKA_PW"             (the default: this worker's variable of the same name)
    # password_file = "secrets/yika.pw"    (first line; relative to this file)

(JSON: the same tables as one object.)  ``sites`` is required: a task chooses its URL, so
an entry is only ever typed into the sites listed here (host, host:port, URL or
``*.domain``, matched as ``--auth`` keys are), whatever the task asks.  A task names an
entry, never a variable or a path: a queue writer cannot make a worker read any other
secret of its environment or disk.
"""
from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from cardshop_auditor.browser.credentials import _candidates, _key, _read
from cardshop_auditor.credentials import CredentialError, Credentials, password_from_env, password_from_file
from cardshop_auditor.errors import UsageError
from cardshop_auditor import secrets

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_KEYS = {"username", "sites", "password_env", "password_file"}


class CredentialsFileError(UsageError, ValueError):
    """The --credentials file is missing or malformed (a usage error when the worker starts)."""


class NamedCredentialError(ValueError):
    """A task's named credential cannot be used here; ``str()`` is a dead-letter reason in our
    own words (never the name, a value or a path)."""


def load_named_credentials(path: str | Path) -> dict[str, dict]:
    """name → {"username", "sites": [keys], "password_env" | "password_file"}; every
    problem a CredentialsFileError naming the entry, never quoting a value."""
    path = Path(path)
    try:
        text = _read(path)
    except UsageError as exc:
        raise CredentialsFileError(str(exc).replace("--auth", "--credentials", 1)) from None
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError):
        raise CredentialsFileError(f"--credentials {path}: neither a TOML nor a JSON table of names") from None
    if not isinstance(data, dict) or not data:
        raise CredentialsFileError(f"--credentials {path}: expected a table per credential name")
    table = {}
    for name, entry in data.items():
        where = f"--credentials {path}, entry {name!r}" if NAME.fullmatch(str(name)) else f"--credentials {path}"
        if not NAME.fullmatch(str(name)):
            raise CredentialsFileError(f"{where}: a name is letters, digits and _ (as a batch file's "
                                       "password_env), at most 64")
        if not isinstance(entry, dict) or set(entry) - _KEYS:
            raise CredentialsFileError(f"{where}: keys are {', '.join(sorted(_KEYS))}")
        username, sites = entry.get("username"), entry.get("sites")
        if not isinstance(username, str) or not username:
            raise CredentialsFileError(f"{where}: needs a username")
        if not isinstance(sites, list) or not sites or not all(isinstance(s, str) and _key(s) for s in sites):
            raise CredentialsFileError(f"{where}: needs sites, a list of the hosts it may be typed into")
        if "password_env" in entry and "password_file" in entry:
            raise CredentialsFileError(f"{where}: give one of password_env, password_file")
        clean = {"username": username, "sites": [_key(s) for s in sites]}
        if "password_file" in entry:
            clean["password_file"] = str(path.parent / Path(str(entry["password_file"])).expanduser())
        else:
            clean["password_env"] = str(entry.get("password_env") or name)
        secrets.register_credentials(username, None)
        table[name] = clean
    return table


def named_credentials(path: str | Path, name: str, url: str) -> Credentials:
    """The credentials of entry ``name`` for a task at ``url`` (NamedCredentialError: the
    entry is missing, not for this site, or its password source is not there)."""
    try:
        table = load_named_credentials(path)
    except CredentialsFileError:
        raise NamedCredentialError("task names a credential but this worker's --credentials file "
                                   "cannot be read") from None
    entry = table.get(name)
    if entry is None:
        raise NamedCredentialError("task names a credential this worker's --credentials file does not have")
    if not set(_candidates(url)) & set(entry["sites"]):
        raise NamedCredentialError("task names a credential that this worker's --credentials file does not "
                                   "allow on the task's site (not in its sites)")
    try:
        if "password_file" in entry:
            password = password_from_file(entry["password_file"])
        else:
            password = password_from_env(entry["password_env"])
    except CredentialError:
        raise NamedCredentialError("task names a credential whose password this worker does not have "
                                   "(its variable unset or its file unreadable)") from None
    return Credentials(entry["username"], password, f"--credentials entry {name}")


def register_worker_secrets(auth: str | Path | None, named: str | Path | None) -> list[str]:
    """Read every password this worker may type (its --credentials entries, its --auth
    entries) once at start, so the scrubber knows them before any task arrives: a task (or
    Dramatiq's debug line quoting it) that carries one shows it masked in every log line.
    Returns the entries whose password is not available now (named, never quoted)."""
    from cardshop_auditor.browser.credentials import _resolve, load_credentials
    missing = []
    for name, entry in (load_named_credentials(named).items() if named else ()):
        try:
            password = (password_from_file(entry["password_file"]) if "password_file" in entry
                        else password_from_env(entry["password_env"]))
            secrets.register_credentials(entry["username"], password)
        except CredentialError:
            missing.append(f"--credentials entry {name}")
    for key, entry in (load_credentials(auth).items() if auth else ()):
        try:
            _resolve(auth, key, entry)
        except UsageError:
            missing.append(f"--auth entry {key}")
    return missing
