"""Local HTTP servers for the report tests: one serves a report directory, one records
every request it gets (the target of the hostile payloads)."""
from __future__ import annotations

import functools
import sys
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # report_factory


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Recorder(SimpleHTTPRequestHandler):
    hits: list  # set per server

    def _record(self):
        self.hits.append(self.path)
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()

    do_GET = do_POST = do_HEAD = do_OPTIONS = _record

    def log_message(self, *args):
        pass


@contextmanager
def _running(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def serve_dir(directory: Path):
    """Serve ``directory`` on 127.0.0.1; yields the base URL ending in '/'."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    with _running(server):
        yield f"http://127.0.0.1:{server.server_port}/"


class Recorder:
    def __init__(self, url: str, hits: list):
        self.url, self.hits = url, hits


@pytest.fixture
def pwn_recorder():
    """A server that records every request: hostile payloads aim at ``.url + '/pwned'``."""
    hits: list = []
    handler = type("Recorder", (_Recorder,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    with _running(server):
        yield Recorder(f"http://127.0.0.1:{server.server_port}", hits)


@pytest.fixture
def report_server(tmp_path):
    """Serve tmp_path; yields the base URL."""
    with serve_dir(tmp_path) as base:
        yield base
