"""A distributed batch that cannot finish says so: the broker unreachable past
--outage-wait, or shops left unaudited when waiting ends — exit 4 (DESIGN.md), one line
naming what failed or which shops are missing, no traceback."""
from __future__ import annotations

import subprocess
import sys

import pytest

from engine_helpers import ROOT, emptied_redis_db

pytestmark = pytest.mark.services


def batch(tmp_path, *args):
    urls = tmp_path / "urls.txt"
    urls.write_text("http://127.0.0.1:9/\nhttp://127.0.0.1:10/\n", "utf-8")
    return subprocess.run([sys.executable, "-m", "cardshop_auditor", "batch", urls, "--out", tmp_path / "out",
                           "--db", f"sqlite:///{tmp_path / 'h.db'}", "--no-progress", *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_an_unreachable_broker_ends_in_exit_4_and_one_line(tmp_path):
    import socket
    with socket.socket() as s:               # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = batch(tmp_path, "--broker", f"redis://127.0.0.1:{port}/0", "--outage-wait", "1.5")
    assert run.returncode == 4, run.stderr
    assert "Traceback" not in run.stderr
    errors = [ln for ln in run.stderr.splitlines() if ln.startswith("cardshop-audit: error:")]
    assert len(errors) == 1 and "broker unreachable (ConnectionError); gave up after 1.5s" in errors[0], run.stderr
    assert "retrying in 1s" in run.stderr                          # it tried again before giving up


def test_shops_left_unaudited_are_named_and_exit_4(redis_server, tmp_path):
    url = emptied_redis_db(redis_server, 7)
    run = batch(tmp_path, "--broker", url, "--wait-timeout", "1")          # no worker is running
    assert run.returncode == 4, run.stderr
    assert "Traceback" not in run.stderr
    errors = [ln for ln in run.stderr.splitlines() if ln.startswith("cardshop-audit: error:")]
    assert len(errors) == 1 and "2 shop(s) not audited" in errors[0], run.stderr
    assert "http://127.0.0.1:9/" in errors[0] and "http://127.0.0.1:10/" in errors[0]
