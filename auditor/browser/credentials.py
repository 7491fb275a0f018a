"""Credentials per site for batches: ``--auth FILE``.

JSON: ``{"shop.example.cn": {"username": "u", "password": "p"}, ...}``; a key may be a
host, ``host:port``, a URL, or ``*.example.cn`` (any subdomain).
CSV: ``url,username,password`` lines (a header line is allowed; the first column may
also be a bare host).

    credentials_for(path, url) -> (username, password) | None

Most specific wins: host:port, then the host, then the host without ``www.``, then the
nearest ``*.`` wildcard.  A file that cannot be read or parsed is a usage error (exit 2).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import urlsplit


class CredentialsError(ValueError):
    """The --auth file is missing or malformed."""


def _usage_error(message: str) -> Exception:
    try:
        from auditor.cli import UsageError

        class CredentialsUsageError(UsageError, CredentialsError):
            pass
        return CredentialsUsageError(message)
    except Exception:  # noqa: BLE001 - used outside the CLI
        return CredentialsError(message)


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


def load_credentials(path: str | Path) -> dict[str, tuple[str, str]]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise _usage_error(f"--auth {path}: cannot read ({exc.strerror or exc})") from None
    table: dict[str, tuple[str, str]] = {}
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise _usage_error(f"--auth {path}: invalid JSON ({exc})") from None
        for site, entry in data.items():
            if not isinstance(entry, dict) or not entry.get("username") or entry.get("password") is None:
                raise _usage_error(f"--auth {path}: entry {site!r} needs \"username\" and \"password\"")
            table[_key(site)] = (str(entry["username"]), str(entry["password"]))
        return table
    for n, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if n == 1 and row[0].strip().lower() in ("url", "host", "site"):
            continue
        if len(row) < 3:
            raise _usage_error(f"--auth {path}: line {n} needs url,username,password")
        table[_key(row[0])] = (row[1].strip(), row[2])
    return table


def credentials_for(path: str | Path, url: str) -> tuple[str, str] | None:
    """The (username, password) for ``url``'s site in the --auth file, or None."""
    table = load_credentials(path)
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
    for key in candidates:
        if key in table:
            return table[key]
    return None
