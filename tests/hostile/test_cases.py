"""Every hostile case through the real CLI: bounded, no traceback, a valid report.json
that says what went wrong, the exit code of DESIGN.md.

    .venv/bin/python -m pytest tests/hostile/test_cases.py            # all cases
    .venv/bin/python -m pytest tests/hostile/test_cases.py -k bomb    # some

The selected cases run concurrently (HOSTILE_JOBS, default: twice the CPUs, at least 4:
most cases wait on timeouts, not the CPU) against one HostileServer, each with ``--timeout 3 --time-budget 10``; the table of
wall time and peak memory is printed at the end of the session.
"""
from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from auditor.report import validate_report
from fixtures.hostile.server import CASES, visible_cases
from hostile_helpers import MEASURED, Run, run_cli

TIMEOUT, BUDGET = 3, 10
MEMORY_BOUND_MB = 1024          # per case; the bound for unseen cases is 1.5 GB
NAMES = visible_cases()


def _selected(session) -> list[str]:
    names = []
    for item in session.items:
        spec = getattr(item, "callspec", None)
        if spec is not None and item.module.__name__ == __name__ and "name" in spec.params:
            names.append(spec.params["name"])
    return names or NAMES


@pytest.fixture(scope="module")
def runs(request, hostile_server, tmp_path_factory) -> dict[str, tuple[Run, dict | None]]:
    root = tmp_path_factory.mktemp("hostile")
    names = _selected(request.session)

    def one(name: str):
        case = CASES[name]
        out = root / name
        run = run_cli(["scan", hostile_server.url(name), "--out", str(out / "report"),
                       "--browser", "never", "--timeout", str(TIMEOUT), "--time-budget", str(BUDGET),
                       *case.expect.args], cwd=out)
        path = out / "report" / "report.json"
        report = json.loads(path.read_text("utf-8")) if path.exists() else None
        MEASURED[name] = {"wall": run.wall, "rss": run.max_rss_mb, "rc": run.returncode,
                          "status": (report or {}).get("status"), "reason": (report or {}).get("reason"),
                          "bound": case.expect.wall}
        return name, (run, report)

    jobs = int(os.environ.get("HOSTILE_JOBS") or max(4, 2 * (os.cpu_count() or 2)))
    with ThreadPoolExecutor(jobs) as pool:
        return dict(pool.map(one, names))


def problems_text(report: dict) -> str:
    """Everything a report says about what went wrong, for matching expected words."""
    parts = [report.get("reason") or ""]
    gather = report.get("gather") or {}
    parts += list(gather.get("errors") or [])
    parts += [p.get("error") or "" for p in report.get("pages") or []]
    return " | ".join(parts).lower()


PARAMS = [pytest.param(n, marks=pytest.mark.xfail(reason=CASES[n].known_gap, strict=False))
          if CASES[n].known_gap else n for n in NAMES]


@pytest.mark.parametrize("name", PARAMS)
def test_case(name, runs):
    case = CASES[name]
    expect = case.expect
    run, report = runs[name]
    context = f"{name} ({case.doc}): exit {run.returncode}, {run.wall:.1f} s\nstderr:\n{run.stderr[-2000:]}"

    assert not run.killed, f"hung: killed after {run.wall:.0f} s — {context}"
    assert "Traceback" not in run.stderr, context
    assert run.wall <= expect.wall, f"took {run.wall:.1f} s > bound {expect.wall} s — {context}"
    assert run.max_rss_mb <= MEMORY_BOUND_MB, f"peak memory {run.max_rss_mb:.0f} MB — {context}"
    assert run.returncode in expect.exit_codes, context
    assert report is not None, f"no report.json — {context}"
    validate_report(report)

    status = report.get("status", "complete")
    assert status in expect.statuses, f"status {status!r}, reason {report.get('reason')!r} — {context}"
    if status != "complete":
        assert (report.get("reason") or "").strip(), "a partial/failed report must say why"
    if run.returncode == 3:
        assert status == "failed"
        last = run.stderr.strip().splitlines()[-1]
        assert last.startswith("cardshop-audit:") and "could not be audited" in last, context
        assert report.get("reason") and report["reason"] in last
    if status == "failed":
        assert run.returncode == 3, "a failed audit exits 3"
        for check in report["checks"]:
            assert check["status"] in ("error", "not_applicable"), check
            assert check.get("reason"), check
        assert report["risk"]["flags"] == [], "nothing was seen: no flag may be raised"
    text = problems_text(report)
    for word in expect.reason:
        assert word.lower() in text, f"{word!r} not in {text[:600]!r}"
    limits = set((report.get("gather") or {}).get("stats", {}).get("limits_hit") or [])
    assert set(expect.limits) <= limits, f"limits hit {sorted(limits)}, expected {expect.limits}"
    if expect.icp:
        icp = report["findings"].get("icp") or {}
        assert icp.get("number") == expect.icp, f"decoded ICP {icp!r}"


def test_suite_is_big_enough():
    assert len(NAMES) >= 20
