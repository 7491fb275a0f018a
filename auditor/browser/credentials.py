"""Credentials per site: ``--auth FILE``.

JSON or TOML, a table per site::

    {"shop.example.cn": {"username": "u", "password_env": "SHOP_PW"},
     "127.0.0.1:8080":  {"username": "v", "password_file": "secrets/v.txt"},
     "*.kameng.cn":     {"username": "w", "password": "…"}}

    ["shop.example.cn"]            # TOML
    username = "u"
    password_env = "SHOP_PW"

A key may be a host, ``host:port``, a URL, or ``*.example.cn`` (any subdomain).  Each
entry names one password source: ``password_env`` (an environment variable),
``password_file`` (first line; relative to the --auth file) or ``password`` (plaintext:
then keep the file private).  CSV: ``url,username,password`` lines (a header line is
allowed; the first column may also be a bare host).

    credentials_for(path, url) -> Credentials (a (username, password) pair) | None

Most specific wins: host:port, then the host, then the host without ``www.``, then the
nearest ``*.`` wildcard.  A file that cannot be read or parsed, or a chosen entry whose
variable / file is missing, is a usage error (exit 2).  Every password and user name in
the file is registered with ``auditor.secrets`` as soon as it is read, and a file other
users may read draws a warning.
"""
from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path
from urllib.parse import urlsplit

from cardshop_auditor import secrets
from cardshop_auditor.errors import UsageError
from cardshop_auditor.credentials import CredentialError, Credentials, password_from_env, password_from_file

SOURCES = ("password", "password_env", "password_file")


class CredentialsError(UsageError, ValueError):
    """The --auth file is missing or malformed (a usage error: exit 2)."""


def _key(value: str) -> str:
    """A host or host:port (lower case) from a host, host:port or URL."""
    value = (value or "").strip()
    if not value:
        return ""
    if value.startswith("*."):
        return value.lower()
    parts = urlsplit(value if "://" in value else "//" + value)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port else host


def _read(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8-sig")
        mode = path.stat().st_mode
    except OSError as exc:
        raise CredentialsError(f"--auth {path}: cannot read ({exc.strerror or type(exc).__name__})") from None
    except UnicodeDecodeError:
        raise CredentialsError(f"--auth {path}: not UTF-8 text") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        secrets.warn(f"--auth {path} can be read by other users (mode {stat.S_IMODE(mode):o}); chmod 600 it")
    return text


def _parse_tables(path: Path, text: str) -> dict | None:
    """JSON or TOML as a dict (None: neither, try CSV).  Parse errors never quote the file
    (its lines hold passwords): only where it went wrong."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            return json.loads(text)
        except ValueError as exc:
            raise CredentialsError(f"--auth {path}: invalid JSON (line {getattr(exc, 'lineno', '?')})") from None
    if path.suffix.lower() == ".toml" or stripped.startswith("["):
        import tomllib
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            where = str(exc).rsplit("(", 1)[-1].rstrip(")") if "(" in str(exc) else "?"
            raise CredentialsError(f"--auth {path}: invalid TOML ({where})") from None
    return None


def load_credentials(path: str | Path) -> dict[str, dict]:
    """host key → entry {"username", and one of "password" / "password_env" / "password_file"}."""
    path = Path(path)
    text = _read(path)
    table: dict[str, dict] = {}
    data = _parse_tables(path, text)
    if data is not None:
        if not isinstance(data, dict):
            raise CredentialsError(f"--auth {path}: expected a table of sites")
        for site, entry in data.items():
            sources = [k for k in SOURCES if isinstance(entry, dict) and entry.get(k) not in (None, "")]
            if not isinstance(entry, dict) or not entry.get("username") or len(sources) != 1:
                raise CredentialsError(f"--auth {path}: entry {site!r} needs \"username\" and one of "
                                   f"\"password_env\", \"password_file\", \"password\"")
            clean = {"username": str(entry["username"]), sources[0]: str(entry[sources[0]])}
            if "password_file" in clean:
                clean["password_file"] = str((path.parent / Path(clean["password_file"]).expanduser()))
            secrets.register_credentials(clean["username"], clean.get("password"))
            table[_key(site)] = clean
        return table
    for n, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if n == 1 and row[0].strip().lower() in ("url", "host", "site"):
            continue
        if len(row) < 3:
            raise CredentialsError(f"--auth {path}: line {n} needs url,username,password")
        secrets.register_credentials(row[1].strip(), row[2])
        table[_key(row[0])] = {"username": row[1].strip(), "password": row[2]}
    return table


def _candidates(url: str) -> list[str]:
    parts = urlsplit(url if "://" in url else "//" + url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    candidates = []
    if port:
        candidates.append(f"{host}:{port}")
    candidates.append(host)
    if host.startswith("www."):
        candidates.append(host[4:])
    labels = host.split(".")
    candidates += ["*." + ".".join(labels[i:]) for i in range(1, len(labels) - 1)]
    return candidates


def credentials_for(path: str | Path, url: str) -> Credentials | None:
    """The credentials for ``url``'s site in the --auth file, or None."""
    table = load_credentials(path)
    for key in _candidates(url):
        if key in table:
            return _resolve(path, key, table[key])
    return None


def _resolve(path, key: str, entry: dict) -> Credentials:
    username = entry["username"]
    try:
        if "password_env" in entry:
            return Credentials(username, password_from_env(entry["password_env"]),
                               f"--auth {path} ({key}: password_env)")
        if "password_file" in entry:
            return Credentials(username, password_from_file(entry["password_file"]),
                               f"--auth {path} ({key}: password_file)")
    except CredentialError as exc:
        raise CredentialsError(f"--auth {path}, entry {key!r}: {exc}") from None
    return Credentials(username, entry["password"], f"--auth {path} ({key})")


def resolve_credentials(ref: dict | None, *, url: str, auth_file: str | Path | None = None,
                        trusted: bool = False) -> Credentials | None:
    """Credentials for the shop at ``url`` from a reference (see ``credential_ref``).

    ``trusted=False`` (a queue task, anything a stranger could write): only the auditing
    machine's own ``auth_file`` is consulted, by the URL's host; a reference naming an
    environment variable or a file is refused (it would let the task type any local
    secret into a page of its choosing).  ``trusted=True`` (the user's own batch file):
    ``password_env`` / ``password_file`` are honoured too.  None: no credentials."""
    ref = ref or {}
    if not isinstance(ref, dict):
        raise CredentialError("credential reference: not an object")
    if trusted and (ref.get("password_env") or ref.get("password_file")):
        username = ref.get("username")
        if not username:
            raise CredentialError("credential reference: a password reference needs a username")
        if ref.get("password_env"):
            return Credentials(username, password_from_env(str(ref["password_env"])),
                               f"password_env {ref['password_env']}")
        return Credentials(username, password_from_file(str(ref["password_file"])),
                           f"password_file {ref['password_file']}")
    if not trusted and (ref.get("password_env") or ref.get("password_file") or ref.get("password")):
        raise CredentialError("credential reference: an untrusted task may not name a password, "
                              "a variable or a file; workers use their own --auth file")
    if (ref.get("auth") or ref.get("username")) and auth_file:
        found = credentials_for(auth_file, url)
        if found and (not ref.get("username") or ref.get("username") == found.username):
            return found
    return None
