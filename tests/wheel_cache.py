"""The project's wheel, built once per test session and shared by every xdist worker.

Several tests install the wheel (tests/test_packaging.py, tests/storage/
test_installed_migrations.py); each used to build its own from the same tree.  The first
worker that asks builds it under the session's shared temporary directory, holding a file
lock; the others wait for the lock and reuse it (the pattern pytest-xdist documents for
session data).  The cache directory is named after the tree it was built from, so a wheel
is never reused for a tree that changed.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_TOP = {".git", ".venv", ".venv-pywb", "node_modules", "build", "dist", "demo-reports", ".pytest_cache", "bench"}


def _skipped(directory: str, names: list[str]) -> list[str]:
    return [n for n in names if (Path(directory) == ROOT and n in SKIP_TOP)
            or n == "__pycache__" or n.endswith(".egg-info")]


def tree_key() -> str:
    """A digest of every file the build copies: path, size and modification time.  Stat only:
    the tree holds blind evaluation material that no test may read, and any edit moves the
    file's mtime."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(ROOT):
        skipped = set(_skipped(dirpath, dirnames + filenames))
        dirnames[:] = sorted(d for d in dirnames if d not in skipped)
        for name in sorted(f for f in filenames if f not in skipped):
            path = Path(dirpath, name)
            st = path.lstat()
            digest.update(f"{path.relative_to(ROOT)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def build_wheel(dest: Path) -> Path:
    """The wheel, built from a copy of the checkout (so the checkout gets no build/ dir)."""
    src = dest / "src"
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(ROOT, src, ignore=_skipped)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(dest / "dist"), str(src)], check=True, timeout=300, capture_output=True)
    shutil.rmtree(src, ignore_errors=True)
    return next((dest / "dist").glob("cardshop_auditor-*.whl"))


def shared_wheel(tmp_path_factory, worker_id: str) -> Path:
    """The session's wheel.  Under xdist every worker's basetemp sits in one session
    directory (its parent); without xdist the basetemp is the session's own."""
    base = tmp_path_factory.getbasetemp()
    session_dir = base if worker_id == "master" else base.parent
    cache = session_dir / f"wheel-{tree_key()}"
    cache.mkdir(exist_ok=True)
    with open(cache / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)            # released when the file closes
        done = cache / "wheel-path"
        if done.exists():
            return Path(done.read_text("utf-8"))
        wheel = build_wheel(cache)
        done.write_text(str(wheel), "utf-8")
        return wheel
