"""Exit codes and logs operations can trust (DESIGN.md, issue 14): every failure on our
side is exit 4 with exactly one line on stderr and no traceback (unless --debug); usage
is 2 in one line; logs are standard logging (-v / -q, --log-format json), scrubbed.

Run as a user runs it (``python -m cardshop_auditor``), against loopback only: closed
ports on 127.0.0.1 stand for a database or broker that is down."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PYTHON = [sys.executable, "-m", "cardshop_auditor"]


def run(*args, timeout=120, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([*PYTHON, *args], capture_output=True, text=True, timeout=timeout, env=env)


def run_python(code: str, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=timeout)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_error_line(proc: subprocess.CompletedProcess, code: int) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("cardshop-audit: error: "), lines[0]
    return lines[0]


# Where a database or broker is named, nothing is crawled: it fails before the audit starts.
NEVER_FETCHED = f"http://127.0.0.1:{closed_port()}/"


def test_sqlite_database_that_cannot_be_created_exits_4(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the database's folder should be")
    db = f"sqlite:///{blocker}/history.db"
    line = one_error_line(run("scan", NEVER_FETCHED, "--db", db, "--out", str(tmp_path / "o")), 4)
    assert line.startswith("cardshop-audit: error: database error:") and "(exit 4;" in line
    assert not (tmp_path / "o").exists(), "the audit must not start when its database is down"
    line = one_error_line(run("history", "shop.example.cn", "--db", db), 4)
    assert "database error" in line


def test_postgresql_port_closed_exits_4_without_the_password(tmp_path):
    db = f"postgresql://auditor:pg-s3cret-77@127.0.0.1:{closed_port()}/history"
    proc = run("scan", NEVER_FETCHED, "--db", db, "--out", str(tmp_path / "o"))
    line = one_error_line(proc, 4)
    assert "database error" in line and "pg-s3cret-77" not in proc.stderr
    assert not (tmp_path / "o").exists()


def test_redis_unreachable_exits_4(tmp_path):
    broker = f"redis://127.0.0.1:{closed_port()}/0"
    proc = run("worker", "--broker", broker, "--db", f"sqlite:///{tmp_path / 'h.db'}", "--idle-exit", "1",
               "--out", str(tmp_path / "w"))
    line = one_error_line(proc, 4)
    assert "broker" in line or "redis" in line.lower(), line



def test_a_broker_url_of_neither_kind_is_a_usage_error(tmp_path):
    proc = run("worker", "--broker", "kafka://127.0.0.1:9092", "--db", f"sqlite:///{tmp_path / 'h.db'}",
               "--out", str(tmp_path / "w"))
    line = one_error_line(proc, 2)
    assert "redis://" in line and "amqp://" in line, line


BLOCK_IMPORT = """
    import importlib.abc, sys

    class Missing(importlib.abc.MetaPathFinder):      # as if the extra were not installed
        def find_spec(self, name, path=None, target=None):
            if name == {module!r} or name.startswith({module!r} + "."):
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
            return None

    sys.meta_path.insert(0, Missing())
    from cardshop_auditor.cli import main
    sys.exit(main({argv!r}))
"""


@pytest.mark.parametrize("module, extra, argv", [
    ("psycopg", "postgres", ["history", "shop.example.cn", "--db", "postgresql://a@127.0.0.1:1/h"]),
    ("redis", "engine", ["worker", "--broker", "redis://127.0.0.1:1/0", "--db", "sqlite:///:memory:"]),
    ("pika", "engine", ["worker", "--broker", "amqp://guest:guest@127.0.0.1:1/%2F", "--db", "sqlite:///:memory:"]),
])
def test_a_missing_optional_extra_exits_4_and_names_it(module, extra, argv):
    line = one_error_line(run_python(BLOCK_IMPORT.format(module=module, argv=argv)), 4)
    assert f"missing module {module}" in line and f"cardshop-auditor[{extra}]" in line


def test_an_output_directory_we_refuse_is_usage_and_a_full_disk_is_ours(tmp_path, fixture_server):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    line = one_error_line(run("scan", NEVER_FETCHED, "--out", str(blocker / "out")), 2)
    assert "not a directory" in line
    disk = tmp_path / "disk"                  # a real full disk: a 16 KiB tmpfs (root only)
    disk.mkdir()
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16384,mode=0700", "tmpfs", str(disk)],
                           capture_output=True, text=True)
    if mount.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mount.stderr.strip()}")
    try:
        proc = run("-q", "scan", fixture_server.url("compliant_platform"), "--out", str(disk / "out"),
                   "--browser", "never")
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
    line = one_error_line(proc, 4)
    assert "No space left on device" in line


INTERNAL_ERROR = """
    import sys
    import cardshop_auditor.commands.scan as scan

    def broken(args):
        raise KeyError("a bug of ours")
    scan.run = broken
    from cardshop_auditor.cli import main
    sys.exit(main({argv!r}))
"""


def test_an_internal_error_is_one_line_and_a_traceback_only_with_debug():
    line = one_error_line(run_python(INTERNAL_ERROR.format(argv=["scan", NEVER_FETCHED])), 4)
    assert "internal error: KeyError" in line
    proc = run_python(INTERNAL_ERROR.format(argv=["scan", NEVER_FETCHED, "--debug"]))
    assert proc.returncode == 1 and "Traceback" in proc.stderr and "a bug of ours" in proc.stderr


def test_usage_errors_exit_2_in_one_line(tmp_path):
    line = one_error_line(run("scan", "--max-pages", "many", "http://shop.example.cn/"), 2)
    assert "--max-pages" in line and "--help" in line
    line = one_error_line(run("scan", "ftp://shop.example.cn/"), 2)
    assert "(exit" not in line


def test_json_log_format_gives_one_json_object_per_line(tmp_path):
    proc = run("--log-format", "json", "history", "shop.example.cn",
               "--db", f"postgresql://a@127.0.0.1:{closed_port()}/h")
    assert proc.returncode == 4 and len(proc.stderr.splitlines()) == 1, proc.stderr
    record = json.loads(proc.stderr)
    assert record["level"] == "error" and record["exit_code"] == 4 and "database error" in record["message"]
    assert record["logger"].startswith("cardshop_auditor") and record["time"].endswith("+00:00")


def test_quiet_hides_progress_and_json_lines_carry_it(tmp_path, fixture_server):
    url = fixture_server.url("compliant_platform")
    loud = run("scan", url, "--out", str(tmp_path / "a"), "--browser", "never")
    assert loud.returncode == 0 and "[cardshop-audit] crawling 1 shop(s)" in loud.stderr, loud.stderr
    quiet = run("-q", "scan", url, "--out", str(tmp_path / "b"), "--browser", "never")
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
    assert "report.json:" in quiet.stdout, "-q quiets the log, not the result"
    json_lines = run("scan", url, "--out", str(tmp_path / "c"), "--browser", "never", "--log-format", "json")
    records = [json.loads(line) for line in json_lines.stderr.splitlines()]
    assert records and all(r["level"] in ("info", "warning", "debug") for r in records)
    assert any(r["message"] == "crawling 1 shop(s)" for r in records)


def test_verbose_adds_debug_lines_without_the_database_password(tmp_path):
    db = f"postgresql://auditor:pg-v3rbose-9@127.0.0.1:{closed_port()}/h"
    proc = run("-v", "history", "shop.example.cn", "--db", db)
    assert proc.returncode == 4
    debug = [ln for ln in proc.stderr.splitlines() if ln.startswith("[cardshop-audit] debug: ")]
    assert any("command history" in ln for ln in debug) and any("history database" in ln for ln in debug)
    assert "pg-v3rbose-9" not in proc.stderr
    assert run("history", "shop.example.cn", "--db", db).stderr.count("\n") == 1, "no debug lines without -v"


def test_log_records_are_scrubbed_in_both_formats(capsys):
    from cardshop_auditor import logs, secrets
    secrets.register("hunter2-Pa55word", "password")
    try:
        for fmt in logs.FORMATS:
            logger = logs.configure(fmt=fmt)
            logger.warning("login with %s failed", "hunter2-Pa55word")
            logger.error("url http://u:hunter2-Pa55word@shop.example.cn/")
            err = capsys.readouterr().err
            assert "hunter2" not in err and err.count(secrets.MASK) == 2, err
            assert len(err.splitlines()) == 2
    finally:
        secrets.reset()
        logs.configure()


@pytest.mark.services
def test_a_batch_whose_database_goes_away_exits_4_and_names_the_missing_shops(tmp_path, fixture_server,
                                                                               monkeypatch, capsys):
    """A real PostgreSQL, stopped after the first shop is stored: the other shops' reports
    may be on disk, but they are not stored, so they are missing, named, and the batch exits 4."""
    services = _services()
    try:
        server = services.PostgresServer()
    except services.ServiceUnavailable as exc:
        pytest.skip(str(exc))
    try:
        db = server.create_database("gone")
        import cardshop_auditor.storage as storage
        real_record = storage.record_result
        stored = []

        def record_then_stop(*args, **kwargs):
            scan_id = real_record(*args, **kwargs)
            stored.append(scan_id)
            if len(stored) == 1:
                storage.close_stores()       # pooled connections would outlive the server
                server.stop()
            return scan_id
        monkeypatch.setattr(storage, "record_result", record_then_stop)
        shops = ["compliant_platform", "fake_uscc", "placeholder_icp"]
        urls = tmp_path / "urls.txt"
        urls.write_text("".join(fixture_server.url(s) + "\n" for s in shops), "utf-8")
        from cardshop_auditor.cli import main
        code = main(["-q", "batch", str(urls), "--out", str(tmp_path / "b"), "--db", db, "--browser", "never",
                     "--no-progress", "--concurrency", "1"])
        err = capsys.readouterr().err
    finally:
        server.stop()
        from cardshop_auditor.storage import close_stores
        close_stores()
    assert code == 4, err
    errors = [ln for ln in err.splitlines() if ln.startswith("cardshop-audit: error:")]
    assert len(errors) == 1 and "Traceback" not in err, err
    summary = json.loads((tmp_path / "b" / "summary.json").read_text("utf-8"))
    missing = [r["url"] for r in summary["shops"] if r["status"] == "missing"]
    assert summary["missing"] == len(shops) - 1 == len(missing)
    assert "2 shop(s) not audited" in errors[0] and "database error" in errors[0]
    assert all(url in errors[0] for url in missing)


def _services():
    import importlib.util
    name = "cardshop_test_services"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parent / "scale" / "services.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_systemd_units_verify(tmp_path):
    """deploy/systemd/*: systemd-analyze verify accepts them (with the ExecStart program
    pointed at this checkout), and rejects a broken copy, so the check can fail."""
    import shutil
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        pytest.skip("systemd-analyze is not installed (Debian package systemd)")
    units = sorted((Path(__file__).resolve().parent.parent / "deploy" / "systemd").glob("cardshop-audit-*"))
    assert {u.suffix for u in units} == {".service", ".timer"} and len(units) == 3
    program = str(Path(sys.executable).parent / "cardshop-audit")
    for unit in units:
        text = unit.read_text("utf-8")
        if unit.suffix == ".service":
            assert "/opt/cardshop-auditor/.venv/bin/cardshop-audit" in text
        (tmp_path / unit.name).write_text(text.replace("/opt/cardshop-auditor/.venv/bin/cardshop-audit", program))
    scan = (tmp_path / "cardshop-audit-scan.service").read_text("utf-8")
    assert "SuccessExitStatus=1 3\n" in scan, "4 (our side) and 5 (alert) must fail the unit"
    assert "RestartPreventExitStatus=2" in (tmp_path / "cardshop-audit-worker.service").read_text("utf-8")
    env = {"PATH": "/usr/bin:/bin", "SYSTEMD_LOG_LEVEL": "notice"}
    proc = subprocess.run([analyze, "verify", *map(str, sorted(tmp_path.iterdir()))], capture_output=True,
                          text=True, timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    broken = tmp_path / "broken" / "cardshop-audit-scan.service"
    broken.parent.mkdir()
    broken.write_text(scan.replace("Type=oneshot", "Type=oneshot\nExecStart=relative/program --flag"))
    proc = subprocess.run([analyze, "verify", str(broken)], capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode != 0
