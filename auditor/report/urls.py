"""URL safety for every page we draw from shop data: links only to http(s) URLs a reader
may click, evidence only as plain relative paths inside the report directory."""
from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

IMAGE_EXTS = (".png", ".jpg", ".jpeg", ".webp", ".gif")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")


def safe_href(url: Any) -> str | None:
    """The URL if it is an absolute http(s) URL a reader may click, else None."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    if not text or len(text) > 2048 or _CONTROL.search(text):
        return None  # browsers drop tabs/newlines inside schemes ("java\tscript:"): refuse them all
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return text


def safe_relpath(path: Any, exts: tuple[str, ...] | None = None) -> str | None:
    """A plain relative path (segments of letters, digits, ``_.-``; no ``..``, no scheme,
    no leading slash, no backslash), optionally with one of ``exts``; else None."""
    if not isinstance(path, str) or not path or len(path) > 512:
        return None
    if path.startswith("./"):
        path = path[2:]
    segments = path.split("/")
    if not all(_SEGMENT.fullmatch(s) and s not in (".", "..") and ".." not in s for s in segments):
        return None
    if exts and not path.lower().endswith(exts):
        return None
    return str(PurePosixPath(*segments))


def short_url(url: Any, limit: int = 70) -> str:
    """A readable label for a URL: host + path, trimmed; a single-page app's route
    (``#/18/detail``) is its page, so it is kept (the bare root route ``#/`` is not)."""
    if not isinstance(url, str):
        return ""
    try:
        parts = urlsplit(url.strip())
        route = "#" + parts.fragment if parts.fragment.startswith("/") and parts.fragment.strip("/") else ""
        label = (parts.netloc + parts.path + (("?" + parts.query) if parts.query else "") + route) if parts.netloc else url
    except ValueError:
        label = url
    return label if len(label) <= limit else label[: limit - 1] + "…"
