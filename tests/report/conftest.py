"""Local HTTP servers for the report tests: one serves a report directory, one records
every request it gets (the target of the hostile payloads)."""
from __future__ import annotations

import sys
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # report_factory


from report_http import _Recorder, _running, serve_dir  # noqa: E402


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
