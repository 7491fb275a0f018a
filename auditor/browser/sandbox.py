"""Chromium keeps its sandbox when the auditor runs as root.

Chromium will not start its sandbox as root (it would need ``--no-sandbox``, which leaves
a compromised renderer with root's reach).  So, started as root, the audit's Chromium is
launched through a small wrapper script that

  * hands Playwright's fresh profile directory (``--user-data-dir``) to an unprivileged
    user (``nobody`` unless ``CARDSHOP_BROWSER_USER`` names another), and
  * ``exec``s Chromium as that user with ``setpriv`` (no groups, no capabilities, no new
    privileges), keeping Playwright's pipes,

and Chromium's namespace sandbox (unprivileged user namespaces) works as usual.  Before
the first launch a probe checks that it can: ``setpriv`` exists, the user exists, it can
create a user namespace (``unshare --user``) and run the Chromium binary.  If any of that
fails — or ``CARDSHOP_CHROMIUM_SANDBOX=off`` — the fallback is explicit: ``--no-sandbox``,
and ``status()`` (in every browser stage's ``meta.browser.network.sandbox``) says why.
"""
from __future__ import annotations

import atexit
import os
import pwd
import shutil
import subprocess
import tempfile
import threading

USER_ENV = "CARDSHOP_BROWSER_USER"
SWITCH_ENV = "CARDSHOP_CHROMIUM_SANDBOX"
DEFAULT_USER = "nobody"

WRAPPER = """#!/bin/sh
# cardshop-auditor: run Chromium as {user} (uid {uid}) so that its sandbox stays on.
for arg in "$@"; do
  case "$arg" in
    --user-data-dir=*) dir="${{arg#--user-data-dir=}}"
                       [ -d "$dir" ] && chown -R {uid}:{gid} "$dir" ;;
  esac
done
export HOME={home}
export XDG_CONFIG_HOME={home}/.config XDG_CACHE_HOME={home}/.cache
exec {setpriv} --reuid={uid} --regid={gid} --clear-groups --inh-caps=-all --no-new-privs -- {chromium} "$@"
"""

_lock = threading.Lock()
_wrappers: dict[str, str] = {}
_broken: dict[str, str] = {}
_status: dict = {"on": None, "how": None, "reason": "no browser launched yet"}


def status() -> dict:
    """How the audit's Chromium runs: {"on": bool, "how": …, "reason": … (when off)}."""
    return dict(_status)


def note(on: bool, how: str, reason: str | None = None) -> None:
    _status.update({"on": on, "how": how, "reason": reason})


def sandboxed_executable(chromium: str) -> str | None:
    """The wrapper that starts ``chromium`` as the unprivileged user, or None (and the
    reason in ``status()``) when the sandbox cannot work here."""
    with _lock:
        if chromium in _wrappers:
            note(True, _status.get("how") or "unprivileged user")
            return _wrappers[chromium]
        why = _broken.get(chromium) or _cannot(chromium)
        if why:
            note(False, "--no-sandbox (Chromium started as root)", why)
            return None
        user = pwd.getpwnam(os.environ.get(USER_ENV) or DEFAULT_USER)
        root = tempfile.mkdtemp(prefix="cardshop-chromium-")      # root-only: the script
        home = tempfile.mkdtemp(prefix="cardshop-chromium-home-")  # the user's HOME
        os.chown(home, user.pw_uid, user.pw_gid)
        os.chmod(home, 0o700)
        script = os.path.join(root, "chromium")
        with open(script, "w", encoding="utf-8") as fh:
            fh.write(WRAPPER.format(user=user.pw_name, uid=user.pw_uid, gid=user.pw_gid, home=_sh(home),
                                    setpriv=_sh(shutil.which("setpriv")), chromium=_sh(chromium)))
        os.chmod(script, 0o700)
        atexit.register(shutil.rmtree, root, True)
        atexit.register(shutil.rmtree, home, True)
        _wrappers[chromium] = script
        note(True, f"Chromium's sandbox on, run as the unprivileged user {user.pw_name} "
                   f"(uid {user.pw_uid}) through setpriv")
        return script


def launch_failed(chromium: str, why: str) -> None:
    """The wrapper passed its probe but Chromium did not start through it: no more tries."""
    with _lock:
        _broken[chromium] = why
        _wrappers.pop(chromium, None)
    note(False, "--no-sandbox (Chromium started as root)", f"the sandboxed launch failed: {why}")


def _cannot(chromium: str) -> str | None:
    """Why the sandboxed launch cannot work here (None: it can)."""
    if (os.environ.get(SWITCH_ENV) or "").lower() in ("0", "off", "no", "false"):
        return f"{SWITCH_ENV}=off"
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return "setpriv (util-linux) is not installed, so Chromium cannot be started as an unprivileged user"
    name = os.environ.get(USER_ENV) or DEFAULT_USER
    try:
        user = pwd.getpwnam(name)
    except KeyError:
        return f"no user {name!r} to run Chromium as (set {USER_ENV})"
    if user.pw_uid == 0:
        return f"{USER_ENV} names a root user"
    drop = [setpriv, f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups", "--"]
    unshare = shutil.which("unshare")
    checks = [([*drop, chromium, "--version"], f"user {name} cannot run {chromium}")]
    if unshare:
        checks.insert(0, ([*drop, unshare, "--user", "true"],
                          f"user {name} cannot create a user namespace (kernel.unprivileged_userns_clone "
                          f"or user.max_user_namespaces), which Chromium's sandbox needs"))
    for command, why in checks:
        try:
            done = subprocess.run(command, capture_output=True, timeout=20, cwd="/")
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"{why} ({type(exc).__name__})"
        if done.returncode != 0:
            detail = (done.stderr or b"").decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            return f"{why}: {detail[0][:160]}".rstrip(": ")
    return None


def _sh(value: str | None) -> str:
    return "'" + str(value).replace("'", "'\\''") + "'"
