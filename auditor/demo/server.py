"""Serve the bundled fixture shops on 127.0.0.1, one port per shop.

    from cardshop_auditor.demo.server import FixtureServer, shop_names, load_labels, SHOPS_DIR

    with FixtureServer() as srv:              # every shop; FixtureServer(["a", "b"]) for some
        for name in srv.names:
            print(name, srv.url(name))        # http://127.0.0.1:PORT/ (+ labels["start_path"])

    python -m cardshop_auditor.demo.server [names...]    # prints "name URL" lines, serves until Ctrl-C

A shop is a directory ``fixtures/shops/<name>/``:

``site/``         static files.  ``/`` → ``index.html``; ``/foo`` → ``foo``, ``foo.html`` or
                  ``foo/index.html``; ``/foo/`` → ``foo/index.html``.  ``.asp``/``.php``/``.jsp``
                  files are served as text/html (old 卡盟 URLs), ``index.asp`` etc. count as indexes.
``labels.json``   the ground truth a person wrote after reading the pages (see README in shops/).
``shop.json``     optional server behaviour::

    {"encoding": "gbk",              # text files are UTF-8 in the repo, served re-encoded
     "header_charset": "gbk" | null | "utf-8",   # charset in Content-Type (default: encoding;
                                                 # null: none; anything else: deliberately wrong)
     "pages": {"/about.html": {"header_charset": null}},   # per-file (or URL path) overrides
     "headers": {"Server": "nginx/1.14.0"},      # extra headers on every response
     "robots": "User-agent: *\\nDisallow: /admin/",
     "redirects": {"/old": "/new", "/tmp": {"to": "/", "status": 302}}}

``handler.py``    optional ``handle(request) -> (status, headers, body) | None`` for dynamic
                  routes (login with a cookie session, form posts, JSON).  ``None`` falls
                  through to the static files.  ``request`` is a :class:`Request`; helpers
                  :func:`html`, :func:`json_response`, :func:`redirect`, :func:`image`, :func:`png`.
``templates/``    optional HTML that a handler fills in (never served as a static file).

Nothing here reaches the network beyond the loopback sockets it binds.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import mimetypes
import posixpath
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable
from urllib.parse import parse_qsl, unquote, urlsplit

# fixtures/shops in the repository; cardshop_auditor/demo/shops in an installed wheel
SHOPS_DIR = Path(importlib.import_module("cardshop_auditor.demo.shops").__file__).resolve().parent
HOST = "127.0.0.1"

HTML_EXTS = (".html", ".htm", ".asp", ".aspx", ".php", ".jsp")
TEXT_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".asp": "text/html", ".aspx": "text/html",
    ".php": "text/html", ".jsp": "text/html", ".css": "text/css",
    ".js": "application/javascript", ".json": "application/json", ".txt": "text/plain",
    ".xml": "application/xml", ".svg": "image/svg+xml", ".csv": "text/csv",
}
BINARY_TYPES = {
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".ico": "image/x-icon", ".webp": "image/webp", ".woff2": "font/woff2", ".pdf": "application/pdf",
}
_MISSING = object()

NOT_FOUND_HTML = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>404 页面不存在</title>
<style>body{{font-family:"Microsoft YaHei",sans-serif;color:#555;text-align:center;padding:80px 20px}}
h1{{font-size:64px;color:#ccc;margin:0}}a{{color:#1e88e5}}</style></head>
<body><h1>404</h1><p>抱歉，您访问的页面 <code>{path}</code> 不存在或已被删除。</p>
<p><a href="/">返回首页</a></p></body></html>
"""
METHOD_NOT_ALLOWED_HTML = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>405 请求方式不被允许</title></head>
<body style="font-family:sans-serif;text-align:center;padding:80px 20px;color:#555">
<h1>405</h1><p>该页面不接受此请求方式。</p><p><a href="/">返回首页</a></p></body></html>
"""


# --------------------------------------------------------------------------- shops on disk

def _shop_dirs() -> Iterable[Path]:
    if not SHOPS_DIR.is_dir():
        return []
    return (p for p in SHOPS_DIR.iterdir()
            if p.is_dir() and not p.name.startswith((".", "_")) and (p / "site").is_dir())


def shop_names(tag: str | None = None) -> list[str]:
    """Every shop under fixtures/shops/ (sorted); with ``tag``, only those whose labels carry it."""
    names = sorted(p.name for p in _shop_dirs())
    if tag is None:
        return names
    return [n for n in names if tag in (load_labels(n).get("tags") or [])]


def load_labels(name: str) -> dict:
    """fixtures/shops/<name>/labels.json as a dict."""
    return json.loads((SHOPS_DIR / name / "labels.json").read_text(encoding="utf-8"))


def load_shop_config(name: str) -> dict:
    path = SHOPS_DIR / name / "shop.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


# --------------------------------------------------------------------------- request / responses

@dataclass
class Request:
    """What a shop's ``handle(request)`` receives."""
    method: str                      # "GET", "POST", "HEAD"
    path: str                        # URL path, percent-decoded, e.g. "/user/orders"
    query: dict[str, str]            # last value wins for repeated keys
    headers: dict[str, str]          # lower-case names
    body: bytes
    cookies: dict[str, str]
    shop: str                        # shop name
    site_dir: Path                   # fixtures/shops/<name>/site
    state: dict[str, Any]            # per-server scratch space (sessions), shared by threads
    lock: threading.Lock = field(repr=False, default_factory=threading.Lock)

    @property
    def form(self) -> dict[str, str]:
        """The body parsed as application/x-www-form-urlencoded."""
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    def static_text(self, rel: str) -> str:
        """A file under site/ as text (UTF-8 in the repo), for handlers that fill in pages."""
        return (self.site_dir / rel.lstrip("/")).read_text(encoding="utf-8")


Response = tuple[int, dict, bytes]


def html(body: str, status: int = 200, headers: dict | None = None) -> Response:
    return status, {"Content-Type": "text/html; charset=utf-8", **(headers or {})}, body.encode("utf-8")


def json_response(data: Any, status: int = 200, headers: dict | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return status, {"Content-Type": "application/json; charset=utf-8", **(headers or {})}, body


def png(width: int = 60, height: int = 22, rgb: tuple[int, int, int] = (238, 238, 238)) -> bytes:
    """A plain PNG (for captcha images and the like), built without any imaging library."""
    import struct
    import zlib
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def image(body: bytes, content_type: str = "image/png") -> Response:
    return 200, {"Content-Type": content_type, "Cache-Control": "no-store"}, body


def redirect(location: str, status: int = 302, headers: dict | None = None) -> Response:
    return status, {"Location": location, "Content-Type": "text/html; charset=utf-8", **(headers or {})}, \
        f'<html><body>正在跳转到 <a href="{location}">{location}</a></body></html>'.encode("utf-8")


# --------------------------------------------------------------------------- one shop

class Shop:
    """A shop's files, config and handler, resolved once at start."""

    def __init__(self, name: str):
        self.name = name
        self.dir = SHOPS_DIR / name
        if not (self.dir / "site").is_dir():
            raise KeyError(f"no fixture shop {name!r} under {SHOPS_DIR}")
        self.site = (self.dir / "site").resolve()
        self.config = load_shop_config(name)
        self.encoding = (self.config.get("encoding") or "utf-8").lower()
        self.labels = load_labels(name) if (self.dir / "labels.json").is_file() else {}
        self.handler = self._load_handler()
        self.state: dict[str, Any] = {}
        self.lock = threading.Lock()

    def _load_handler(self) -> Callable[[Request], Response | None] | None:
        path = self.dir / "handler.py"
        if not path.is_file():
            return None
        mod_name = f"_fixture_shop_handler_{self.name}"
        module = sys.modules.get(mod_name)
        if module is None:
            spec = importlib.util.spec_from_file_location(mod_name, path)
            module = importlib.util.module_from_spec(spec)  # type: ModuleType
            spec.loader.exec_module(module)
            sys.modules[mod_name] = module
        return getattr(module, "handle", None)

    @property
    def start_path(self) -> str:
        return self.labels.get("start_path") or "/"

    def header_charset(self, path: str, file: Path | None = None) -> str | None:
        pages = self.config.get("pages") or {}
        page = pages.get(path)
        if page is None and file is not None:
            page = pages.get("/" + file.relative_to(self.site).as_posix())
        value = (page or {}).get("header_charset", self.config.get("header_charset", _MISSING))
        return self.encoding if value is _MISSING else value

    def resolve(self, path: str) -> Path | None:
        """URL path → file under site/, or None.  Never leaves site/."""
        rel = posixpath.normpath(path).lstrip("/")
        if rel in ("", "."):
            rel = ""
        try:
            base = (self.site / rel).resolve() if rel else self.site
            base.relative_to(self.site)
        except (ValueError, OSError):         # outside site/, or a NUL byte in the path
            return None
        index = [base / f"index{ext}" for ext in HTML_EXTS]
        candidates = index if path.endswith("/") or not rel else \
            [base, base.with_name(base.name + ".html"), *index]
        for cand in candidates:
            try:
                if cand.is_file():
                    return cand
            except (ValueError, OSError):
                return None
        return None

    def static(self, path: str) -> Response | None:
        if path == "/robots.txt" and "robots" in self.config:
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, self.config["robots"].encode("utf-8")
        file = self.resolve(path)
        if file is None:
            return None
        ext = file.suffix.lower()
        if ext in TEXT_TYPES:
            ctype = TEXT_TYPES[ext]
            body = file.read_text(encoding="utf-8").encode(self.encoding)
            charset = self.header_charset(path, file) if ext in HTML_EXTS else self.encoding
            if charset:
                ctype += f"; charset={charset}"
            return 200, {"Content-Type": ctype}, body
        ctype = BINARY_TYPES.get(ext) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return 200, {"Content-Type": ctype}, file.read_bytes()

    def not_found(self, path: str) -> Response:
        from html import escape
        body = NOT_FOUND_HTML.format(path=escape(path))
        return 404, {"Content-Type": "text/html; charset=utf-8"}, body.encode("utf-8")

    def respond(self, request: Request) -> Response:
        redirects = self.config.get("redirects") or {}
        if request.path in redirects:
            target = redirects[request.path]
            if isinstance(target, dict):
                return redirect(target["to"], int(target.get("status", 301)))
            return redirect(target, 301)
        if self.handler is not None:
            result = self.handler(request)
            if result is not None:
                status, headers, body = result
                if isinstance(body, str):
                    body = body.encode("utf-8")
                return status, dict(headers or {}), body
        if request.method not in ("GET", "HEAD"):
            return 405, {"Content-Type": "text/html; charset=utf-8", "Allow": "GET, HEAD"}, \
                METHOD_NOT_ALLOWED_HTML.encode("utf-8")
        return self.static(request.path) or self.not_found(request.path)


# --------------------------------------------------------------------------- HTTP plumbing

class _Handler(BaseHTTPRequestHandler):
    server_version = "nginx"           # what a card shop's server usually says
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 60                       # idle keep-alive connections do not pin a thread forever
    shop: Shop                         # set on the per-shop subclass

    def version_string(self) -> str:   # the Server header: a shop may claim IIS or Apache
        return str((self.shop.config.get("headers") or {}).get("Server") or self.server_version)

    def log_message(self, format: str, *args: Any) -> None:   # quiet by default
        if getattr(self.server, "verbose", False):
            sys.stderr.write(f"[{self.shop.name}] {format % args}\n")

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        cookies: dict[str, str] = {}
        if self.headers.get("Cookie"):
            jar = SimpleCookie()
            try:
                jar.load(self.headers["Cookie"])
            except Exception:
                pass
            cookies = {k: m.value for k, m in jar.items()}
        request = Request(
            method=self.command, path=unquote(parts.path) or "/",
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()}, body=body, cookies=cookies,
            shop=self.shop.name, site_dir=self.shop.site, state=self.shop.state, lock=self.shop.lock)
        try:
            status, headers, payload = self.shop.respond(request)
        except Exception as exc:  # a broken handler is a 500, not a dead server
            status, headers = 500, {"Content-Type": "text/plain; charset=utf-8"}
            payload = f"500 服务器内部错误: {type(exc).__name__}: {exc}".encode("utf-8")
        self.send_response(status)
        extra = {k: v for k, v in (self.shop.config.get("headers") or {}).items() if k.lower() != "server"}
        extra.update(headers)
        for key, value in extra.items():
            if isinstance(value, (list, tuple)):          # several Set-Cookie lines
                for item in value:
                    self.send_header(key, item)
            else:
                self.send_header(key, str(value))
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _serve


class _ShopHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64
    verbose = False

    def handle_error(self, request, client_address):
        # a client that hangs up (a scan killed or timed out) is normal here, not a traceback
        # on the stderr that tests read
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


class FixtureServer:
    """Each shop on its own ephemeral port of 127.0.0.1, each served by a daemon thread."""

    def __init__(self, names: Iterable[str] | None = None, host: str = HOST,
                 ports: dict[str, int] | None = None, verbose: bool = False,
                 shops: dict[str, Any] | None = None):
        """``shops``: ready-made shops (objects with Shop's name, config, site, state, lock,
        start_path and respond) served instead of directories, e.g. generated hostile sites."""
        self._given = dict(shops or {})
        self.names: list[str] = list(names) if names is not None else (list(self._given) or shop_names())
        unknown = [n for n in self.names if n not in self._given and not (SHOPS_DIR / n / "site").is_dir()]
        if unknown:
            raise KeyError(f"unknown fixture shop(s): {', '.join(unknown)}")
        self.host = host
        self._ports = dict(ports or {})
        self.verbose = verbose
        self._servers: dict[str, _ShopHTTPServer] = {}
        self._threads: list[threading.Thread] = []
        self.shops: dict[str, Shop] = {}

    # -- lifecycle
    def start(self) -> "FixtureServer":
        if self._servers:
            return self
        try:
            for name in self.names:
                shop = self._given.get(name) or Shop(name)
                handler = type(f"Handler_{name}", (_Handler,), {"shop": shop})
                httpd = _ShopHTTPServer((self.host, self._ports.get(name, 0)), handler)
                httpd.verbose = self.verbose
                thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                          name=f"fixture-{name}", daemon=True)
                thread.start()
                self.shops[name] = shop
                self._servers[name] = httpd
                self._threads.append(thread)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        servers = list(self._servers.values())
        stoppers = [threading.Thread(target=s.shutdown, daemon=True) for s in servers]
        for t in stoppers:
            t.start()
        for t in stoppers:
            t.join(timeout=5)
        for s in servers:
            s.server_close()
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> "FixtureServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- addresses
    def port(self, name: str) -> int:
        return self._servers[name].server_address[1]

    def base_url(self, name: str) -> str:
        return f"http://{self.host}:{self.port(name)}/"

    def url(self, name: str) -> str:
        """The shop's start URL: base URL + labels["start_path"] (default "/")."""
        return self.base_url(name).rstrip("/") + self.shops[name].start_path

    def urls(self) -> dict[str, str]:
        return {name: self.url(name) for name in self.names}


def main(argv: list[str] | None = None) -> int:
    import argparse
    parser = argparse.ArgumentParser(prog="python -m cardshop_auditor.demo.server",
                                     description="Serve the fixture card shops on 127.0.0.1.")
    parser.add_argument("names", nargs="*", help="shop names (default: all)")
    parser.add_argument("--tag", help="only shops whose labels carry this tag")
    parser.add_argument("--base-port", type=int, default=0,
                        help="give shops consecutive ports from here (default: ephemeral)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log requests to stderr")
    args = parser.parse_args(argv)
    names = args.names or shop_names(args.tag)
    ports = {n: args.base_port + i for i, n in enumerate(names)} if args.base_port else None
    with FixtureServer(names, ports=ports, verbose=args.verbose) as srv:
        serve_until_interrupted(srv)
    return 0


def serve_until_interrupted(srv) -> None:
    """Print a "name URL" line per shop of a running server, then serve until Ctrl-C."""
    for name in srv.names:
        print(f"{name} {srv.url(name)}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    raise SystemExit(main())
