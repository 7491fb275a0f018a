"""A scan killed with SIGKILL at any moment leaves either no report.json or a complete,
schema-valid one (never a torn file), leaves no crawler process behind, and a re-run
into the same directory works and is not confused by what the killed run left."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cardshop_auditor.report import validate_report
from hostile_helpers import REPO, cli_command, run_cli

TRIALS = 5


def _group_alive(pgid: int) -> list[int]:
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(") ", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


def _check_dir(out: Path) -> str:
    """'absent' or 'complete'; fails on anything torn."""
    report = out / "report.json"
    if not report.exists():
        return "absent"
    data = json.loads(report.read_text("utf-8"))     # a torn file fails here
    validate_report(data)
    html = out / "report.html"
    if html.exists():
        assert html.read_text("utf-8").rstrip().endswith("</html>"), "torn report.html"
    return "complete"


def test_sigkill_at_random_moments(hostile_server, tmp_path):
    url = hostile_server.url("plain")     # ~3 s: start-up, crawl, judge, write
    args = ["--browser", "never", "--timeout", "2", "--time-budget", "4"]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    reference = run_cli(["scan", url, "--out", str(tmp_path / "ref"), *args], cwd=tmp_path)
    assert reference.returncode == 0, reference.stderr
    rnd = random.Random(20240605)
    moments = sorted(rnd.uniform(0.2, reference.wall + 0.5) for _ in range(TRIALS))
    out = tmp_path / "killed"          # the same directory every time: re-runs over debris
    seen = []
    for moment in moments:
        proc = subprocess.Popen([*cli_command(), "scan", url, "--out", str(out), *args],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=env, cwd=tmp_path, start_new_session=True)
        time.sleep(moment)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        leftovers = _group_alive(proc.pid)
        if leftovers:
            os.killpg(proc.pid, signal.SIGKILL)
        assert not leftovers, f"processes left after killing the scan at {moment:.1f} s: {leftovers}"
        seen.append((round(moment, 1), _check_dir(out)))
    # and a clean re-run over whatever the kills left
    rerun = run_cli(["scan", url, "--out", str(out), *args], cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert _check_dir(out) == "complete"
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["status"] in ("complete", "partial")
    meta = json.loads((out / "artifacts" / "meta.json").read_text("utf-8"))
    assert meta["target"] == url and meta["finished_at"]
    print("kill moments and what they left:", seen)


def test_torn_pages_jsonl_still_judges(tmp_path):
    """rescore over artifacts whose pages.jsonl ends in a torn line (a crawl killed mid-write)."""
    from cardshop_auditor.artifacts import Page, ShopArtifacts, ShopMeta
    art = tmp_path / "artifacts"
    page = Page(url="http://127.0.0.1:9/", final_url="http://127.0.0.1:9/", status=200,
                content_type="text/html; charset=utf-8", encoding="utf-8", sha256="0" * 64,
                html="<html><body><footer>京ICP备12345678号-1</footer></body></html>")
    ShopArtifacts(meta=ShopMeta(target="http://127.0.0.1:9/"), pages=[page]).save(art)
    with open(art / "pages.jsonl", "ab") as fh:
        fh.write(json.dumps(page.to_json(), ensure_ascii=False).encode()[:-20])
    proc = subprocess.run([*cli_command(), "rescore", str(tmp_path)], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    validate_report(report)
    assert len(report["pages"]) == 1
