"""One Chromium per process, reused across shops, closed cleanly: no chromium left running
(and no zombies) once ``close_browser()`` returns.  Run in a child process so browsers of
other tests in this session do not count."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from cardshop_auditor.browser.manager import _cmdline

pytestmark = pytest.mark.browser

CHILD = textwrap.dedent('''
    import json, os, sys, time
    sys.path.insert(0, sys.argv[1])
    from cardshop_auditor.browser.manager import close_browser, get_browser, pool
    from cardshop_auditor.browser.session import ShopSession
    from cardshop_auditor.options import AuditOptions
    from fixtures.server import FixtureServer

    def descendants():
        kids = {}
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{pid}/cmdline", "rb") as fh:
                    cmd = fh.read().replace(b"\\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            kids.setdefault(int(fields[1]), []).append((int(pid), fields[0], cmd))
        out, todo = [], [os.getpid()]
        while todo:
            for pid, state, cmd in kids.get(todo.pop(), []):
                out.append((pid, state, cmd))
                todo.append(pid)
        return out

    with FixtureServer(["login_form_cookie", "refund_in_order_list"]) as srv:
        first = get_browser()
        for name in ("login_form_cookie", "refund_in_order_list"):
            s = ShopSession(get_browser(), srv.url(name), AuditOptions())
            s.goto(srv.url(name))
            s.close()
        same = get_browser() is first
        during = [p for p in descendants() if "chrom" in p[2]]
        live = pool().live
        close_browser()
        time.sleep(0.5)
        after = [p for p in descendants() if "chrom" in p[2] or p[1] == "Z"]
    print(json.dumps({"same": same, "live": live, "during": [[p[0], p[2][:80]] for p in during],
                      "after": after}))
''')


def test_browser_reused_and_closed_cleanly(tmp_path):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    script = tmp_path / "child.py"
    script.write_text(CHILD, "utf-8")
    proc = subprocess.run([sys.executable, str(script), root], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    assert data["same"] is True and data["live"] == 1
    assert data["during"], "no chromium process seen while the browser was open"
    assert data["after"] == [], f"left behind: {data['after']}"
    # the same processes are gone for good once the child exited (pids compared with their
    # command line: on a busy machine a pid may be reused by something else)
    deadline = time.monotonic() + 5
    while True:
        alive = [(pid, cmd) for pid, cmd in data["during"] if _cmdline(pid).startswith(cmd[:40])]
        if not alive or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert alive == [], f"chromium processes still alive after the child exited: {alive}"
