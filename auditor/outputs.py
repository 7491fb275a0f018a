"""Where and how the auditor writes: paths resolved against the user's directory, output
directories claimed safely, names derived from hosts kept short and plain, files private.

    resolve_user_paths(args)        every path argument made absolute (the user's cwd), once,
                                    before a command runs: nothing is ever relative to the
                                    install root, whatever directory a child process runs in
    private_outputs(shared)         umask 077 (owner-only files and directories), inherited by
                                    the crawler child and Chromium; ``--shared-output`` or
                                    CARDSHOP_SHARED_OUTPUT=1 keep the user's umask
    claim_scan_dir(path)            an empty / new directory, or a previous scan of ours
                                    (its old reports and evidence cleared); anything else is
                                    refused: its files would be stored as this scan's evidence
    host_slug(host)                 "shop.example.cn": ASCII, no separators or control / bidi
                                    characters, at most HOST_SLUG_MAX characters
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import unicodedata
from pathlib import Path

SHARED_OUTPUT_ENV = "CARDSHOP_SHARED_OUTPUT"
PRIVATE_UMASK = 0o077
HOST_SLUG_MAX = 60          # a path component may be 255 bytes; leave room for port, time, id

# What a scan writes into its directory (a directory holding only these, or a report.json /
# artifacts of ours, is a previous scan and may be written again).
SCAN_PRODUCTS = ("report.json", "report.html", "report.pdf", "diff.json", "diff.html", "evidence", "artifacts",
                 "manifest.json", "manifest.sig", "manifest.tsr", "superseded")
ARTIFACT_FILES = {"meta.json", "pages.jsonl"}
BATCH_MARKERS = ("batch.json", "journal.log")


class OutputDirRefused(Exception):
    """--out names a directory that holds something else than a previous scan (exit 2)."""


# --------------------------------------------------------------------------- paths


def absolute(path: str | os.PathLike) -> Path:
    """``path`` against the user's current directory (``~`` expanded, ``..`` folded)."""
    return Path(os.path.abspath(os.path.expanduser(os.fspath(path))))


def resolve_user_paths(args: argparse.Namespace) -> None:
    """Make every path the user gave absolute, in place: ``Path`` values (and lists of
    them), and a ``--browser-path`` that names a file rather than a command on $PATH."""
    for name, value in vars(args).items():
        if isinstance(value, Path):
            setattr(args, name, absolute(value))
        elif isinstance(value, list) and value and all(isinstance(v, Path) for v in value):
            setattr(args, name, [absolute(v) for v in value])
    browser_path = getattr(args, "browser_path", None)
    if isinstance(browser_path, str) and os.sep in browser_path:
        args.browser_path = str(absolute(browser_path))


# --------------------------------------------------------------------------- permissions


def wants_shared_output(flag: bool = False) -> bool:
    return flag or os.environ.get(SHARED_OUTPUT_ENV, "").strip().lower() in ("1", "true", "yes")


def private_outputs(shared: bool = False) -> int:
    """Owner-only from now on (unless ``shared``): reports, evidence, artifacts, batch
    summaries, the history database and their directories.  Returns the previous umask."""
    previous = os.umask(0)
    os.umask(previous if shared else previous | PRIVATE_UMASK)
    return previous


# --------------------------------------------------------------------------- names


_UNSAFE = re.compile(r"[^a-z0-9.-]+")


def host_slug(host: str | None, limit: int = HOST_SLUG_MAX) -> str:
    """A file-name-safe form of a host name: IDNA (punycode) where the name allows it,
    anything else but ``a-z 0-9 . -`` replaced (separators, control and bidi characters,
    ``..``), cut to ``limit`` characters with a short hash of the whole name so two long
    names never share a directory."""
    raw = unicodedata.normalize("NFKC", host or "").strip().lower()
    try:
        ascii_host = raw.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        ascii_host = raw
    slug = _UNSAFE.sub("-", ascii_host)
    slug = re.sub(r"\.{2,}", ".", slug).strip("-.") or "shop"
    if len(slug) > limit:
        digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        slug = slug[:limit - 9].rstrip("-.") + "-" + digest
    return slug


# --------------------------------------------------------------------------- claiming --out


def _entries(path: Path) -> list[str]:
    try:
        return [name for name in os.listdir(path) if not _is_our_temp(name)]
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        raise OutputDirRefused(f"--out {path}: exists and is not a directory") from None


def _is_our_temp(name: str) -> bool:
    """A temp file of artifacts.write_atomic (``.report.json.1234.tmp``) left by a crash."""
    return name.startswith(".") and name.endswith(".tmp")


def is_previous_scan(path: Path) -> bool:
    """A scan directory of ours: its report.json is one of our reports, or it holds our
    artifacts directory (a scan stopped before its report, even one killed as it began)."""
    report = path / "report.json"
    if report.is_file():
        try:
            data = json.loads(report.read_text("utf-8"))
        except (OSError, ValueError):
            data = None
        if isinstance(data, dict) and data.get("schema_version") == 1 and "tool_version" in data:
            return True
    try:     # our artifacts directory, even empty (a scan killed as it started)
        names = {n for n in os.listdir(path / "artifacts") if not _is_our_temp(n)}
    except OSError:
        return False
    return names <= ARTIFACT_FILES


def claim_scan_dir(path: Path) -> Path:
    """The directory a scan will write to: created (owner-only under the umask) when new;
    an empty one as it is; a previous scan's with that scan's products removed first (no
    stale screenshot is ever stored as this scan's evidence).  Anything else: refused."""
    path = absolute(path)
    names = _entries(path)
    if names and not is_previous_scan(path):
        raise OutputDirRefused(
            f"--out {path}: directory is not empty and is not a previous scan "
            f"(choose a new or empty directory)")
    if path.is_dir():      # artifacts/ last: a run killed while clearing still finds its marker
        for name in sorted(os.listdir(path), key=lambda n: n == "artifacts"):
            if name in SCAN_PRODUCTS or _is_our_temp(name):
                _remove(path / name)
    path.mkdir(parents=True, exist_ok=True)
    # our marker before anything else is written (the crawl child may start the WARC in
    # evidence/ first): a scan killed at any moment leaves a directory a re-run recognises
    (path / "artifacts").mkdir(exist_ok=True)
    return path


def claim_new_dir(path: Path) -> Path:
    """A directory of our own naming (``audit-<host>-<time>``) that no other run holds:
    ``path``, else ``path-2``, ``path-3``… (two scans of a host in the same second)."""
    path = absolute(path)
    for n in range(1, 1000):
        candidate = path if n == 1 else path.with_name(f"{path.name}-{n}")
        try:
            candidate.mkdir(parents=True)
            return candidate
        except FileExistsError:
            continue
    raise FileExistsError(f"{path}: no free name")


def claim_batch_dir(path: Path) -> Path:
    """A batch directory: new, empty, or a previous batch of ours (journal.log / batch.json)."""
    path = absolute(path)
    names = _entries(path)
    if names and not any(marker in names for marker in BATCH_MARKERS):
        raise OutputDirRefused(
            f"--out {path}: directory is not empty and is not a previous batch "
            f"(choose a new or empty directory)")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
