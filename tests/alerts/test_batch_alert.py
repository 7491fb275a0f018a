"""`batch --db --webhook`: a shop changed between two weekly runs and the alert endpoint
redirects elsewhere; the run exits 5 with one line on stderr, and the listener the redirect
points to receives nothing."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from alert_endpoints import Endpoint
from fixtures.server import FixtureServer

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def batch(urls, out, db, *extra):
    return subprocess.run([sys.executable, "-m", "cardshop_auditor.cli", "batch", str(urls), "--out", str(out), "--db", db,
                           "--browser", "never", "--max-pages", "8", "--no-progress", *map(str, extra)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "HOOK_SECRET": "whsec-batch-91c2"})


def test_a_batch_whose_alert_fails_exits_5(tmp_path):
    from batch_helpers_alerts import free_port
    port = free_port()
    urls = tmp_path / "urls.txt"
    urls.write_text(f"http://127.0.0.1:{port}/\n", "utf-8")
    db = f"sqlite:///{tmp_path / 'history.db'}"
    with FixtureServer(["changing_shop_v1"], ports={"changing_shop_v1": port}):
        first = batch(urls, tmp_path / "week1", db)
    assert first.returncode == 0, first.stderr[-2000:]
    with Endpoint([204]) as elsewhere, Endpoint([("redirect", 307, elsewhere.url)]) as hook, \
            FixtureServer(["changing_shop_v2"], ports={"changing_shop_v2": port}):
        second = batch(urls, tmp_path / "week2", db, "--fail-on-change", "--webhook", hook.url,
                       "--webhook-secret-env", "HOOK_SECRET", "--webhook-retries", "2")
    assert second.returncode == 5, second.stderr[-3000:]
    assert elsewhere.received == [] and len(hook.received) == 1
    alert_lines = [ln for ln in second.stderr.splitlines() if "alert not delivered" in ln]
    assert len(alert_lines) == 1 and "HTTP 307" in alert_lines[0]
    assert "Traceback" not in second.stderr and "whsec-batch-91c2" not in second.stderr + second.stdout
    assert (tmp_path / "week2" / "summary.json").exists()
