"""Helpers for the batch tests (imported by module name: pytest puts this directory on sys.path)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def fake_report(url: str, score: int = 80, flags=()) -> dict:
    return {"schema_version": 1, "target": url, "final_url": url, "status": "complete",
            "scanned_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "tool_version": "test",
            "pages": [], "findings": {"icp": None, "business": None, "agreement": None,
                                      "refund_entry": {"found": True, "clicks": 2, "steps": ["a", "b"]},
                                      "contacts": {}},
            "checks": [], "score": score, "risk": {"level": "high" if flags else "low", "flags": list(flags)}}


class FakeAudit:
    """Stands in for pipeline.audit_shops: writes report.json per target, counts audits,
    and can be told to die (KeyboardInterrupt) after N shops."""

    def __init__(self, die_after: int | None = None):
        self.audited: list[str] = []
        self.die_after = die_after

    def __call__(self, targets, options, log=None, on_result=None):
        from cardshop_auditor.pipeline import AuditResult
        out = []
        for t in targets:
            if self.die_after is not None and len(self.audited) >= self.die_after:
                raise KeyboardInterrupt
            t.out_dir.mkdir(parents=True, exist_ok=True)
            report = fake_report(t.url, score=len(self.audited) * 7 % 100)
            (t.out_dir / "report.json").write_text(json.dumps(report), "utf-8")
            (t.out_dir / "report.html").write_text("<html></html>", "utf-8")
            self.audited.append(t.id)
            result = AuditResult(t, report, {})
            out.append(result)
            if on_result:
                on_result(result)
        return out


def cli(*args, timeout=600, env=None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cardshop_auditor.cli", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})}, **kwargs)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Webhook:
    """A local HTTP endpoint on 127.0.0.1 that records the JSON bodies POSTed to it."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received.append({"path": self.path, "type": self.headers.get("Content-Type"),
                                 "json": json.loads(body.decode("utf-8"))})
                self.send_response(204)
                self.end_headers()

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def wait_for(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
