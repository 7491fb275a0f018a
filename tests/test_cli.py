"""The CLI contract of DESIGN.md, run as a user runs it: the installed console script."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.report import validate_report

CLI = shutil.which("cardshop-audit", path=str(Path(sys.executable).parent)) or "cardshop-audit"


def run(*args, timeout=180):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("command", ["scan", "demo", "batch", "worker", "history", "diff", "rescore"])
def test_every_command_has_help(command):
    proc = run(command, "--help", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "usage:" in proc.stdout


def test_usage_error_exits_2():
    proc = run("scan", timeout=60)
    assert proc.returncode == 2
    proc = run("scan", "ftp://example.invalid/", timeout=60)
    assert proc.returncode == 2 and "http" in proc.stderr


def test_unreachable_target_exits_3_with_a_report(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/"          # nothing listens there
    proc = run("scan", url, "--out", str(tmp_path), "--browser", "never", "--timeout", "3")
    assert proc.returncode == 3, proc.stderr
    reason_lines = [l for l in proc.stderr.splitlines() if "could not be audited" in l]
    assert len(reason_lines) == 1 and "connection_refused" in reason_lines[0]
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    validate_report(report)
    assert report["status"] == "failed" and report["reason"]
    assert "Traceback" not in proc.stderr


def test_scan_a_shop_writes_reports_and_fail_on(tmp_path, fixture_server):
    url = fixture_server.url("dujiaoka_default")
    proc = run("scan", url, "--out", str(tmp_path / "a"), "--browser", "never")
    assert proc.returncode == 0, proc.stderr
    assert f"report.html: {tmp_path / 'a' / 'report.html'}" in proc.stdout
    report = json.loads((tmp_path / "a" / "report.json").read_text("utf-8"))
    validate_report(report)
    assert report["target"] == url and report["risk"]["level"] == "high"
    proc = run("scan", url, "--out", str(tmp_path / "b"), "--browser", "never", "--fail-on", "high")
    assert proc.returncode == 1
    # the saved artifacts re-judge to the same verdict without crawling
    proc = run("rescore", str(tmp_path / "a"))
    assert proc.returncode == 0, proc.stderr
    again = json.loads((tmp_path / "a" / "report.json").read_text("utf-8"))
    assert again["risk"] == report["risk"] and again["score"] == report["score"]
