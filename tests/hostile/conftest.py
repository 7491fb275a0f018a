"""Hostile suite plumbing: one HostileServer for the session; every CLI run the case
tests need (static cases, and the browser-stage variants) started in one concurrent pool,
longest first, so the suite's wall time is that of its slowest runs rather than their sum;
and a table of wall time and peak memory per run printed at the end (terminal summary).
"""
from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from fixtures.hostile.server import CASES, HostileServer
from hostile_helpers import MEASURED, run_cli

TIMEOUT, BUDGET = 3, 10            # every case runs with --timeout 3 --time-budget 10
BROWSER_WALL = 90.0                # the bound for a browser audit of an unseen case
RUN_MODULES = {"test_cases": False, "test_browser_cases": True}   # module -> --browser always?


@pytest.fixture(scope="session")
def hostile_server():
    with HostileServer() as server:
        yield server


def _wanted(session) -> list[tuple[str, bool]]:
    keys = []
    for item in session.items:
        spec = getattr(item, "callspec", None)
        module = item.module.__name__ if item.module else ""
        if spec is not None and module in RUN_MODULES and "name" in spec.params:
            key = (spec.params["name"], RUN_MODULES[module])
            if key not in keys:
                keys.append(key)
    return keys


@pytest.fixture(scope="session")
def hostile_runs(request, hostile_server, tmp_path_factory) -> dict:
    """(case, browser?) -> (Run, report dict or None, output dir), for the selected tests.
    Concurrency: HOSTILE_JOBS, default twice the CPUs and at least 4 (most runs wait on
    timeouts, not the CPU); browser runs start first (they are the longest)."""
    root = tmp_path_factory.mktemp("hostile")
    keys = sorted(_wanted(request.session), key=lambda k: not k[1])

    def one(key):
        name, browser = key
        out = root / (name + ("-browser" if browser else ""))
        args = ["scan", hostile_server.url(name), "--out", str(out / "report"),
                "--browser", "always" if browser else "never",
                "--timeout", str(TIMEOUT), "--time-budget", str(BUDGET)]
        if not browser:
            args += list(CASES[name].expect.args)
        run = run_cli(args, cwd=out)
        path = out / "report" / "report.json"
        report = json.loads(path.read_text("utf-8")) if path.exists() else None
        MEASURED[name + (" (browser)" if browser else "")] = {
            "wall": run.wall, "rss": run.max_rss_mb, "rc": run.returncode,
            "status": (report or {}).get("status"), "reason": (report or {}).get("reason"),
            "bound": BROWSER_WALL if browser else CASES[name].expect.wall}
        return key, (run, report, out)

    jobs = int(os.environ.get("HOSTILE_JOBS") or max(4, 2 * (os.cpu_count() or 2)))
    with ThreadPoolExecutor(jobs) as pool:
        return dict(pool.map(one, keys))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not MEASURED:
        return
    tr = terminalreporter
    tr.section("hostile cases: wall time and peak memory (the CLI's whole process tree)")
    tr.write_line(f"{'case':30} {'exit':>4} {'status':9} {'wall s':>7} {'bound':>6} {'peak MB':>8}  reason")
    for name, m in sorted(MEASURED.items()):
        tr.write_line(f"{name:30} {m['rc']:>4} {m['status'] or '-':9} {m['wall']:7.1f} {m['bound']:6.0f} "
                      f"{m['rss']:8.0f}  {(m['reason'] or '')[:70]}")
    walls = [m["wall"] for m in MEASURED.values()]
    rss = [m["rss"] for m in MEASURED.values()]
    tr.write_line(f"{len(MEASURED)} runs; max wall {max(walls):.1f} s, max peak memory {max(rss):.0f} MB")
