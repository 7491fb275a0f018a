"""Hostile pages through the browser stage (`scan --browser always`): dialogs in a loop,
popups, forced downloads, permission prompts, a renderer stuck in ``while (true)``, a
script eating memory.  Each audit must end within 90 s and 1.5 GB (the issue's bound for
unseen cases), with a valid report.json and no traceback; the download never lands."""
from __future__ import annotations

import pytest

from cardshop_auditor.report import validate_report

pytestmark = pytest.mark.browser

CASES = ["browser_traps", "browser_busy_loop", "browser_memory_hog"]
WALL, MEMORY_MB = 90.0, 1536
# browser_traps was a known gap until the browser manager learnt to kill a hung close
# (context.close() on a dialog / popup flood never returned): it now ends in ~30 s.
KNOWN_GAPS: dict[str, str] = {}


@pytest.fixture(scope="module")
def runs(hostile_runs) -> dict[str, tuple]:
    """case -> (Run, report, out dir) of its `--browser always` run (conftest.hostile_runs)."""
    return {name: value for (name, browser), value in hostile_runs.items() if browser}


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_GAPS[n], strict=False)) if n in KNOWN_GAPS else n
    for n in CASES])
def test_browser_case(name, runs):
    run, report, out = runs[name]
    context = f"{name}: exit {run.returncode}, {run.wall:.1f} s\n{run.stderr[-2000:]}"
    assert not run.killed, context
    assert "Traceback" not in run.stderr, context
    assert run.wall <= WALL, context
    assert run.max_rss_mb <= MEMORY_MB, f"{run.max_rss_mb:.0f} MB — {context}"
    assert run.returncode in (0, 3), context
    assert report is not None, context
    validate_report(report)
    if report.get("status") != "complete":
        assert report.get("reason"), report
    downloads = [p for p in out.rglob("*") if p.name.endswith((".exe", ".bin", ".apk"))]
    assert downloads == [], downloads
