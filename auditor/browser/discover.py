"""Find a Chromium to drive: explicit option / env var, Playwright's own, then the system one."""
from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path

ENV_VAR = "CARDSHOP_CHROMIUM"
SYSTEM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")

# Flags a closed network and a root user need: no sandbox as root, and no background
# traffic to Google's hosts (refused here, and nothing may leave the machine anyway).
LAUNCH_ARGS = [
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-quic", "--disable-gpu", "--disable-dev-shm-usage",
    "--metrics-recording-only", "--disable-default-apps", "--mute-audio",
    # A hostile page must not take the machine: cap each renderer's V8 heap (a shop page
    # needs a few tens of MB; an allocation loop otherwise grows to several GB).
    "--js-flags=--max-old-space-size=256",
]


class BrowserNotFound(RuntimeError):
    pass


def _playwright_own() -> str | None:
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or str(Path.home() / ".cache" / "ms-playwright")
    hits = sorted(glob.glob(os.path.join(root, "chromium-*", "chrome-linux*", "chrome")))
    return hits[-1] if hits else None


def find_chromium(explicit: str | None = None) -> str:
    for candidate, origin in ((explicit, "--browser-path"), (os.environ.get(ENV_VAR), ENV_VAR)):
        if candidate:
            if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                return candidate
            raise BrowserNotFound(f"{origin} points to {candidate!r}, which is not an executable file")
    own = _playwright_own()
    if own:
        return own
    for path in SYSTEM_CANDIDATES:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    found = shutil.which("chromium")
    if found:
        return found
    raise BrowserNotFound(
        "no Chromium found: run `make demo` (installs Debian's chromium), or "
        "`apt-get install -y chromium`, or set CARDSHOP_CHROMIUM=/path/to/chrome")


def launch_args() -> list[str]:
    args = list(LAUNCH_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    return args
