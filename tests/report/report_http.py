"""Local HTTP servers on 127.0.0.1 for the report tests (a module of its own, so that a
test imports it by a name no other folder's conftest shares)."""
from __future__ import annotations

import functools
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


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
