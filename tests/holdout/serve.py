"""Serve the hold-out shops (tests/holdout/shops/<name>/site) on 127.0.0.1, one port per shop.

    from serve import HoldoutServer            # (this folder on sys.path; measure.py loads it as holdout_serve)
    with HoldoutServer() as srv:               # every shop; HoldoutServer(["a"]) for some
        for name in srv.names:
            print(name, srv.url(name))

    python tests/holdout/serve.py [names...]   # prints "name URL" lines, serves until Ctrl-C

Deliberately independent of fixtures/server.py (which is hard-wired to fixtures/shops), and
deliberately small: static files only.

* ``/`` → ``index.html`` (or ``index.asp``/``.php``/``.htm``); ``/x`` → ``x``, ``x.html`` or
  ``x/index.html``; ``/x/`` → ``x/index.html``.  The query string is ignored.
* ``.asp``/``.php``/``.jsp``/``.htm`` files are served as text/html (old 卡盟 URLs).
* ``shop.json`` ``{"encoding": "gbk"}``: files are UTF-8 in the repository and are re-encoded
  on the way out, with ``charset=gbk`` in Content-Type.
* Anything else is a plain 404 page.  Nothing here reaches beyond the loopback socket.
"""
from __future__ import annotations

import json
import posixpath
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
SHOPS_DIR = HERE / "shops"
HOST = "127.0.0.1"
HTML_EXTS = (".html", ".htm", ".asp", ".aspx", ".php", ".jsp")
TYPES = {".css": "text/css", ".js": "application/javascript", ".json": "application/json",
         ".txt": "text/plain", ".xml": "application/xml", ".svg": "image/svg+xml"}
NOT_FOUND = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>404 Not Found</title>'
             '</head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>')


def shop_names() -> list[str]:
    if not SHOPS_DIR.is_dir():
        return []
    return sorted(p.name for p in SHOPS_DIR.iterdir()
                  if p.is_dir() and not p.name.startswith((".", "_")) and (p / "site").is_dir())


def load_labels(name: str) -> dict:
    return json.loads((SHOPS_DIR / name / "labels.json").read_text(encoding="utf-8"))


class _Shop:
    def __init__(self, name: str):
        self.name = name
        self.site = (SHOPS_DIR / name / "site").resolve()
        if not self.site.is_dir():
            raise KeyError(f"no hold-out shop {name!r} under {SHOPS_DIR}")
        cfg = SHOPS_DIR / name / "shop.json"
        self.config = json.loads(cfg.read_text(encoding="utf-8")) if cfg.is_file() else {}
        self.encoding = (self.config.get("encoding") or "utf-8").lower()
        labels = SHOPS_DIR / name / "labels.json"
        self.start_path = (json.loads(labels.read_text(encoding="utf-8")).get("start_path")
                           if labels.is_file() else None) or "/"

    def resolve(self, path: str) -> Path | None:
        rel = posixpath.normpath(path).lstrip("/")
        if rel in ("", "."):
            rel = ""
        base = (self.site / rel).resolve() if rel else self.site
        try:
            base.relative_to(self.site)
        except ValueError:
            return None
        index = [base / f"index{ext}" for ext in HTML_EXTS]
        if path.endswith("/") or not rel:
            candidates = index
        else:
            candidates = [base, base.with_name(base.name + ".html"), *index]
        return next((c for c in candidates if c.is_file()), None)

    def respond(self, path: str) -> tuple[int, str, bytes]:
        file = self.resolve(path)
        if file is None:
            return 404, "text/html; charset=utf-8", NOT_FOUND.encode("utf-8")
        ext = file.suffix.lower()
        if ext in HTML_EXTS or ext in TYPES:
            ctype = "text/html" if ext in HTML_EXTS else TYPES[ext]
            body = file.read_text(encoding="utf-8").encode(self.encoding)
            return 200, f"{ctype}; charset={self.encoding}", body
        return 200, "application/octet-stream", file.read_bytes()


class _Handler(BaseHTTPRequestHandler):
    server_version = "nginx/1.20.1"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 30
    shop: _Shop

    def log_message(self, format, *args):  # quiet
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > 0:
            self.rfile.read(length)
        if self.command not in ("GET", "HEAD"):
            status, ctype, body = 405, "text/html; charset=utf-8", b"<h1>405 Not Allowed</h1>"
        else:
            status, ctype, body = self.shop.respond(unquote(urlsplit(self.path).path) or "/")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class HoldoutServer:
    """Each hold-out shop on its own ephemeral 127.0.0.1 port, served by a daemon thread."""

    def __init__(self, names: Iterable[str] | None = None, host: str = HOST):
        self.names = list(names) if names is not None else shop_names()
        self.host = host
        self.shops: dict[str, _Shop] = {}
        self._servers: dict[str, _Server] = {}

    def start(self) -> "HoldoutServer":
        try:
            for name in self.names:
                shop = _Shop(name)
                handler = type(f"Handler_{name}", (_Handler,), {"shop": shop})
                httpd = _Server((self.host, 0), handler)
                threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                 name=f"holdout-{name}", daemon=True).start()
                self.shops[name] = shop
                self._servers[name] = httpd
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for httpd in self._servers.values():
            httpd.shutdown()
            httpd.server_close()
        self._servers.clear()

    def __enter__(self) -> "HoldoutServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def port(self, name: str) -> int:
        return self._servers[name].server_address[1]

    def url(self, name: str) -> str:
        return f"http://{self.host}:{self.port(name)}{self.shops[name].start_path}"


def main(argv: list[str]) -> int:
    names = argv or shop_names()
    from cardshop_auditor.demo.server import serve_until_interrupted
    with HoldoutServer(names) as srv:
        serve_until_interrupted(srv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
