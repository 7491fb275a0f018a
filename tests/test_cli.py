"""The CLI contract of DESIGN.md, run as a user runs it: the installed console script."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from cardshop_auditor.report import validate_report

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


# --------------------------------------------------------------------------- batch exit codes


def test_batch_exit_code_is_the_highest_that_applies():
    from cardshop_auditor.commands.batch import batch_exit_code
    ok = {"status": "complete", "risk": "low", "changes": 0}
    high = {"status": "complete", "risk": "high", "changes": 2}
    failed = {"status": "failed", "risk": None, "changes": None}
    missing = {"status": "missing", "risk": None, "changes": None}
    assert batch_exit_code([ok, ok]) == 0
    assert batch_exit_code([ok, high], fail_on="high") == 1
    assert batch_exit_code([ok, high], fail_on_change=True) == 1
    assert batch_exit_code([ok, failed]) == 3
    assert batch_exit_code([high, failed], fail_on="medium") == 3
    assert batch_exit_code([ok, failed, missing], fail_on="low") == 4
    assert batch_exit_code([missing]) == 4


def test_batch_with_a_shop_that_cannot_be_audited_exits_3(tmp_path, fixture_server):
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{fixture_server.url('compliant_platform')}\nhttp://127.0.0.1:{free_port()}/\n", "utf-8")
    proc = run("batch", str(urls), "--out", str(tmp_path / "out"), "--browser", "never", "--timeout", "3",
               "--no-progress")
    assert proc.returncode == 3, proc.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    assert (summary["audited"], summary["failed"], summary["missing"]) == (1, 1, 0)


# --------------------------------------------------------------------------- --out


def test_out_refuses_a_directory_that_is_not_a_previous_scan(tmp_path, fixture_server):
    mine = tmp_path / "mine"
    (mine / "evidence").mkdir(parents=True)
    (mine / "notes.txt").write_text("private", "utf-8")
    (mine / "evidence" / "holiday.png").write_bytes(b"\x89PNG")
    proc = run("scan", fixture_server.url("compliant_platform"), "--out", str(mine), "--browser", "never")
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert "not empty" in line and "previous scan" in line and str(mine) in line
    assert sorted(p.name for p in mine.rglob("*")) == ["evidence", "holiday.png", "notes.txt"]
    proc = run("batch", str(tmp_path / "nofile.txt"), "--out", str(mine), timeout=60)
    assert proc.returncode == 2


def test_out_reuses_a_previous_scan_without_its_stale_evidence(tmp_path, fixture_server):
    out = tmp_path / "scan"
    url = fixture_server.url("compliant_platform")
    assert run("scan", url, "--out", str(out), "--browser", "never").returncode == 0
    (out / "evidence").mkdir(exist_ok=True)
    (out / "evidence" / "old-step.png").write_bytes(b"\x89PNG stale")
    (out / ".report.json.999.tmp").write_text("torn", "utf-8")
    proc = run("scan", url, "--out", str(out), "--browser", "never")
    assert proc.returncode == 0, proc.stderr
    assert not (out / "evidence" / "old-step.png").exists() and not list(out.glob("*.tmp"))
    assert json.loads((out / "report.json").read_text("utf-8"))["score"] is not None


def test_batch_out_must_be_new_empty_or_a_previous_batch(tmp_path, fixture_server):
    urls = tmp_path / "urls.txt"
    urls.write_text(fixture_server.url("compliant_platform") + "\n", "utf-8")
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "thesis.tex").write_text("x", "utf-8")
    proc = run("batch", str(urls), "--out", str(tmp_path / "taken"), "--no-progress", timeout=60)
    assert proc.returncode == 2 and "previous batch" in proc.stderr
    args = ("batch", str(urls), "--out", str(tmp_path / "weekly"), "--browser", "never", "--no-progress")
    assert run(*args).returncode == 0
    assert run(*args).returncode == 0, "a previous batch's directory is ours to write again"


# --------------------------------------------------------------------------- permissions


def test_outputs_are_owner_only_unless_shared(tmp_path, fixture_server):
    import os
    url = fixture_server.url("compliant_platform")
    db = f"sqlite:///{tmp_path / 'h' / 'history.db'}"
    assert run("scan", url, "--out", str(tmp_path / "private"), "--db", db, "--browser", "never").returncode == 0
    for path in [tmp_path / "private", tmp_path / "private" / "report.json", tmp_path / "private" / "report.html",
                 tmp_path / "private" / "artifacts", tmp_path / "private" / "artifacts" / "meta.json",
                 tmp_path / "h", tmp_path / "h" / "history.db"]:
        assert path.stat().st_mode & 0o077 == 0, f"{path}: {oct(path.stat().st_mode)}"
    umask = os.umask(0o022)
    try:
        proc = subprocess.run([CLI, "scan", url, "--out", str(tmp_path / "shared"), "--browser", "never",
                               "--shared-output"], capture_output=True, text=True, timeout=180)
    finally:
        os.umask(umask)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "shared" / "report.json").stat().st_mode & 0o777 == 0o644


# --------------------------------------------------------------------------- names from hosts


@pytest.mark.parametrize("host", ["a" * 300 + ".example.cn", "shop\u202egnp.cn", "../../etc", "a/b\\c\x00d.cn",
                                  "例子" * 100 + ".中国"])
def test_directory_names_from_hosts_are_bounded_and_plain(tmp_path, host, monkeypatch):
    from cardshop_auditor.batch import shop_id_for
    from cardshop_auditor.pipeline import default_out_dir
    monkeypatch.chdir(tmp_path)
    for name in (default_out_dir(f"http://{host}/").name, shop_id_for(f"http://{host}:8080/")):
        assert len(name.encode()) <= 100 and all(c.isascii() and c.isprintable() for c in name), name
        assert "/" not in name and "\\" not in name and ".." not in name
        (tmp_path / name).mkdir()                     # no ENAMETOOLONG
    assert default_out_dir("http://shop.example.cn:8080/").parent == tmp_path


def test_evidence_names_from_shop_text_are_bounded(tmp_path):
    from cardshop_auditor.browser.evidence import EvidenceWriter
    writer = EvidenceWriter(tmp_path)
    long_label = writer.add("refund_step", "申请退款" * 200 + "x" * 400, b"\x89PNG", "step")
    dots = writer.add("refund_step", "..", b"\x89PNG", "step")
    assert len(Path(long_label["path"]).name) <= 90 and (tmp_path / long_label["path"]).is_file()
    assert dots["path"] == "evidence/refund_step.png"


# --------------------------------------------------------------------------- our side failed: exit 4


@pytest.fixture
def in_process(monkeypatch):
    """Run the CLI in this process (for fault injection); its umask is put back after."""
    import os

    from cardshop_auditor.cli import main
    umask = os.umask(0o022)
    os.umask(umask)
    yield main
    os.umask(umask)


def _disk_full_for(monkeypatch, marker: str) -> None:
    """fsync of a file whose name contains ``marker`` fails like a full disk."""
    import errno
    import os
    real_fsync = os.fsync

    def fsync(fd):
        if marker in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_fsync(fd)
    monkeypatch.setattr(os, "fsync", fsync)


def test_disk_full_exits_4_with_one_line_a_report_json_and_no_temp_files(tmp_path, fixture_server, in_process,
                                                                         monkeypatch, capsys):
    _disk_full_for(monkeypatch, ".report.html.")           # the big page does not fit; the JSON does
    out = tmp_path / "out"
    code = in_process(["scan", fixture_server.url("compliant_platform"), "--out", str(out), "--browser", "never"])
    err = capsys.readouterr().err
    assert code == 4, err
    errors = [ln for ln in err.splitlines() if ln.startswith("cardshop-audit: error:")]
    assert len(errors) == 1 and "No space left on device" in errors[0] and "Traceback" not in err
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["status"] == "failed" and "No space left on device" in report["reason"]
    assert report["score"] is None
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_disk_full_with_debug_shows_the_traceback(tmp_path, fixture_server, in_process, monkeypatch):
    _disk_full_for(monkeypatch, ".report.")
    with pytest.raises(OSError):
        in_process(["scan", fixture_server.url("compliant_platform"), "--out", str(tmp_path / "o"),
                    "--browser", "never", "--debug"])
    assert not [p for p in (tmp_path / "o").rglob("*") if p.name.endswith(".tmp")]


def test_a_batch_that_cannot_write_its_reports_exits_4(tmp_path, fixture_server, in_process, monkeypatch, capsys):
    _disk_full_for(monkeypatch, ".report.")
    urls = tmp_path / "urls.txt"
    urls.write_text(fixture_server.url("compliant_platform") + "\n", "utf-8")
    code = in_process(["batch", str(urls), "--out", str(tmp_path / "b"), "--browser", "never", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 4, err
    assert "0/1 shop(s) audited" in err and "Traceback" not in err
    assert json.loads((tmp_path / "b" / "summary.json").read_text("utf-8"))["missing"] == 1
    assert not [p for p in (tmp_path / "b").rglob("*") if p.name.endswith(".tmp")]


def test_an_internal_error_exits_4_in_one_line(tmp_path, fixture_server, in_process, monkeypatch, capsys):
    import cardshop_auditor.judge
    real_judge = cardshop_auditor.judge.judge

    def broken_judge(findings, **kw):
        if findings:
            raise RuntimeError("checks exploded\nsecond line of detail")
        return real_judge(findings, **kw)
    monkeypatch.setattr(cardshop_auditor.judge, "judge", broken_judge)
    out = tmp_path / "o"
    code = in_process(["scan", fixture_server.url("compliant_platform"), "--out", str(out), "--browser", "never"])
    err = capsys.readouterr().err
    assert code == 4
    (line,) = [ln for ln in err.splitlines() if ln.startswith("cardshop-audit:")]
    assert "internal error: RuntimeError: checks exploded" in line and "second line" not in err
    assert "Traceback" not in err
    assert json.loads((out / "report.json").read_text("utf-8"))["status"] == "failed"


@pytest.fixture
def tiny_disk(tmp_path):
    """A real full disk: a tmpfs of a chosen size (root only; skipped where mounting is not
    allowed).  Never the real disk."""
    mounted = []

    def mount(size_bytes: int) -> Path:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_bytes},mode=0700", "tmpfs", str(point)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
        mounted.append(point)
        return point
    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def test_a_real_full_disk_ends_in_exit_4_one_line_and_a_report_json(tmp_path, fixture_server, tiny_disk):
    url = fixture_server.url("compliant_platform")
    assert run("scan", url, "--out", str(tmp_path / "probe"), "--browser", "never").returncode == 0
    # the crawl writes its artifacts and the scan's WARC (evidence/scan.warc.gz)
    artifacts = _size(tmp_path / "probe" / "artifacts") + _size(tmp_path / "probe" / "evidence")
    page = (tmp_path / "probe" / "report.html").stat().st_size
    # room for the crawl and a small failed report.json (~35 KB: every check's row, not
    # applicable), not for the full report.json / report.html (80-100 KB)
    disk = tiny_disk(-(-(artifacts + min(page, 48_000)) // 4096) * 4096)
    proc = run("scan", url, "--out", str(disk / "out"), "--browser", "never")
    assert proc.returncode == 4, proc.stderr
    (line,) = [ln for ln in proc.stderr.splitlines() if ln.startswith("cardshop-audit:")]
    assert "No space left on device" in line and "Traceback" not in proc.stderr
    report = json.loads((disk / "out" / "report.json").read_text("utf-8"))
    assert report["status"] == "failed" and "No space left on device" in report["reason"]
    assert not [p for p in disk.rglob("*") if p.name.endswith(".tmp")]
    # a disk too small for even the crawl: exit 4, one line, nothing half-written
    small = tiny_disk(16384)
    proc = run("scan", url, "--out", str(small / "out"), "--browser", "never")
    assert proc.returncode == 4 and "Traceback" not in proc.stderr, proc.stderr
    assert len([ln for ln in proc.stderr.splitlines() if ln.startswith("cardshop-audit:")]) == 1
    assert not [p for p in small.rglob("*") if p.name.endswith(".tmp")]


def test_an_unreachable_database_exits_4_in_one_line_without_its_password():
    proc = run("history", "shop.example.cn", "--db", f"postgresql://auditor:s3cret-pw@127.0.0.1:{free_port()}/h",
               timeout=60)
    assert proc.returncode == 4
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("cardshop-audit: error: database error:") and "s3cret-pw" not in proc.stderr
    assert "Traceback" not in proc.stderr


def test_two_default_directories_in_the_same_second_are_two(tmp_path):
    from cardshop_auditor.outputs import claim_new_dir
    first, second = claim_new_dir(tmp_path / "audit-x-1"), claim_new_dir(tmp_path / "audit-x-1")
    assert first != second and first.is_dir() and second.name == "audit-x-1-2"


def test_what_counts_as_a_previous_scan(tmp_path):
    from cardshop_auditor.outputs import OutputDirRefused, claim_scan_dir
    killed = tmp_path / "killed"                     # a scan killed as it began: an empty artifacts/
    (killed / "artifacts").mkdir(parents=True)
    (killed / "report.html").write_text("<html>", "utf-8")
    assert claim_scan_dir(killed) == killed and os.listdir(killed) == ["artifacts"]   # our marker, empty
    assert os.listdir(killed / "artifacts") == []
    theirs = tmp_path / "theirs"                     # someone else's artifacts/ is not ours
    (theirs / "artifacts").mkdir(parents=True)
    (theirs / "artifacts" / "model.bin").write_bytes(b"x")
    with pytest.raises(OutputDirRefused):
        claim_scan_dir(theirs)
    fake = tmp_path / "fake"                         # nor a report.json of another program
    fake.mkdir()
    (fake / "report.json").write_text('{"title": "quarterly report"}', "utf-8")
    with pytest.raises(OutputDirRefused):
        claim_scan_dir(fake)
    assert (theirs / "artifacts" / "model.bin").exists() and (fake / "report.json").exists()
