"""A real `serve` app for the web tests and the web bench: uvicorn in a thread on a free
loopback port, the in-process engine, a history database of its own, fixture shops on
127.0.0.1 (and only 127.0.0.1/32 allowed: 127.0.0.2 is "the other network")."""
from __future__ import annotations

import socket
import threading
import time
import urllib.request
from pathlib import Path

import uvicorn

from cardshop_auditor.options import AuditOptions
from cardshop_auditor.web.app import create_app
from cardshop_auditor.web.core import WebConfig
from cardshop_auditor.web.engine import InProcessEngine

ALLOWED = ["127.0.0.1/32"]


class WebServer:
    def __init__(self, root: Path, slots: int = 2, browser: str = "never", broker: str | None = None, **config):
        config.setdefault("per_minute", 1000.0)
        self.config = WebConfig(db=f"sqlite:///{root / 'history.db'}", allow_networks=list(ALLOWED), **config)
        options = AuditOptions(browser=browser, allow_networks=list(ALLOWED), max_pages=20, shop_time_budget=40)
        self.engine = InProcessEngine(options, root / "work", slots=slots)
        if broker:                                   # scans go to `cardshop-audit worker` processes
            from cardshop_auditor.web.engine import WorkerEngine
            self.engine = WorkerEngine(broker, options, local=self.engine, slots=slots)
        self.app = create_app(self.config, self.engine)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def start(self) -> "WebServer":
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the web app did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.sock.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- a small JSON client ------------------------------------------------------------
    def call(self, method: str, path: str, body: dict | None = None, timeout: float = 30) -> tuple[int, dict]:
        from bench.web import call       # the load test's JSON client
        return call(self.url, method, path, body, timeout=timeout)

    def get_text(self, path: str, timeout: float = 30) -> str:
        with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
            return response.read().decode("utf-8")

    def wait_done(self, token: str, timeout: float = 180) -> dict:
        """Poll the status until the scan is done or failed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, body = self.call("GET", f"/api/scans/{token}")
            if status == 200 and body["state"] in ("done", "failed"):
                return body
            time.sleep(0.3)
        raise TimeoutError(f"scan {token} not finished in {timeout:g} s")


class StallingShop:
    """A loopback address that accepts connections and never answers until closed: a scan of
    it holds its slot for as long as the test needs, however fast the machine is."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:                          # closed: stop accepting
                return
            self.held.append(conn)

    def __enter__(self) -> "StallingShop":
        self.thread.start()
        return self

    def release(self) -> None:
        """Stop stalling: held connections close, so a scan of this address fails at once."""
        self.sock.close()
        for conn in self.held:
            conn.close()

    def __exit__(self, *exc) -> None:
        self.release()


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
