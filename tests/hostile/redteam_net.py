"""Plumbing for the red-team attacks (tests/hostile/test_redteam_*.py): a small hostile
shop server whose pages are plain functions, and listeners that count every TCP
connection made to them ("the other network").  Everything binds 127.0.0.0/8 only.

    with Trap("127.0.0.2") as other, RedShop(pages) as shop:
        ... scan shop.url("/") ...
        assert other.connections == 0
"""
from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

OTHER_IP = "127.0.0.2"        # stands for the auditor's internal network in every test


def other_loopback_usable() -> bool:
    try:
        with socket.socket() as probe:
            probe.bind((OTHER_IP, 0))
        return True
    except OSError:
        return False


class Trap:
    """A TCP listener that counts connections (accepted sockets, whatever they send) and
    answers each with a tiny HTTP page, so a client that got in would also get content."""

    def __init__(self, host: str, port: int = 0):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, port))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.host, self.port = self.sock.getsockname()[:2]
        self.connections = 0
        self.first_lines: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"trap-{self.port}")

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            try:
                conn.settimeout(0.5)
                data = conn.recv(4096)
                self.first_lines.append(data.split(b"\r\n", 1)[0][:200])
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 38\r\n"
                             b"Connection: close\r\n\r\n<title>internal admin</title>INTERNAL")
            except OSError:
                pass
            finally:
                conn.close()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def __enter__(self) -> "Trap":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


class RedShop:
    """A hostile shop on 127.0.0.1: ``pages`` maps a path to ``fn(request) -> (status,
    headers, body)``; unknown paths answer 404.  ``hits`` lists (method, path) seen."""

    def __init__(self, pages: dict):
        self.pages = pages
        self.hits: list[tuple[str, str]] = []
        shop = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _serve(self, method: str) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(min(length, 1 << 20)).decode("utf-8", "replace") if length else ""
                request = {"method": method, "path": parts.path, "query": dict(parse_qsl(parts.query)),
                           "form": dict(parse_qsl(body)), "headers": self.headers}
                shop.hits.append((method, parts.path))
                fn = shop.pages.get(parts.path)
                status, headers, payload = fn(request) if fn else (404, {}, "<h1>页面不存在</h1>")
                data = payload.encode("utf-8") if isinstance(payload, str) else payload
                self.send_response(status)
                headers = {"Content-Type": "text/html; charset=utf-8", **headers}
                for key, value in headers.items():
                    for one in value if isinstance(value, list) else [value]:
                        self.send_header(key, one)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._serve("POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> "RedShop":
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1},
                         daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def page(title: str, body: str, head: str = "") -> tuple[int, dict, str]:
    return 200, {}, (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
                     f'{head}</head><body>{body}'
                     '<footer>© 2025 本站 ｜ 客服QQ：3381207745 ｜ 闽ICP备2024031187号-2</footer></body></html>')
