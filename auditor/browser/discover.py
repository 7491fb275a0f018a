"""Find a Chromium to drive: explicit option / env var, Playwright's own, then the system one."""
from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path

ENV_VAR = "CARDSHOP_CHROMIUM"
SYSTEM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")

# Flags a closed network needs: no background traffic to Google's hosts (refused here, and
# nothing may leave the machine anyway).
LAUNCH_ARGS = [
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-quic", "--disable-gpu", "--disable-dev-shm-usage",
    "--metrics-recording-only", "--disable-default-apps", "--mute-audio",
    # A hostile page must not take the machine: cap each renderer's V8 heap (a shop page
    # needs a few tens of MB; an allocation loop otherwise grows to several GB).
    "--js-flags=--max-old-space-size=256",
]

# The audit's browser (auditor/browser/netguard.py): Chromium resolves no name and reaches
# no address itself except the per-context proxy on 127.0.0.1, through which everything
# goes; WebRTC may not send UDP around that proxy (without these two flags a page's STUN
# request reaches 127.0.0.2 over UDP even with every request route in place).
GUARDED_ARGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--enforce-webrtc-ip-permission-check",
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


def launch_args(guarded: bool = False) -> list[str]:
    """Chromium's flags.  ``guarded``: the audit's own browser (no name resolution, no
    WebRTC UDP).  As root without a sandboxed launch (``launch_plan``), ``--no-sandbox``."""
    args = list(LAUNCH_ARGS) + (list(GUARDED_ARGS) if guarded else [])
    if _is_root():
        args.append("--no-sandbox")
    return args


def launch_plan(executable: str) -> tuple[str, list[str]]:
    """(executable to start, flags) for the audit's browser.  Started as root, Chromium
    refuses its sandbox; rather than ``--no-sandbox`` it is started through a wrapper
    that drops to an unprivileged user (``sandbox.sandboxed_executable``), with the
    sandbox on.  Where that cannot work the fallback is explicit: ``--no-sandbox`` and
    ``sandbox.status()`` says why (reported with every browser stage)."""
    from cardshop_auditor.browser import sandbox

    args = list(LAUNCH_ARGS) + list(GUARDED_ARGS)
    if not _is_root():
        sandbox.note(True, "Chromium's own sandbox (not started as root)")
        return executable, args
    wrapped = sandbox.sandboxed_executable(executable)
    if wrapped is not None:
        return wrapped, args
    return executable, args + ["--no-sandbox"]


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0
