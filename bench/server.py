"""A fast HTTP/1.1 server for the synthetic farm: one asyncio loop, one port per shop.

Every response is built once, in memory, before the first request (status line, headers
and body as one ``bytes``); serving is a dictionary lookup and one ``transport.write``.
Keep-alive, HEAD, POST bodies, a cookie session for the login shops.

    python -m bench.server serve --shops N [--seed S]
        builds the farm, listens on 127.0.0.1 (one ephemeral port per shop), prints one JSON
        line {"ready": true, "ports": [...], "build_s": …} and serves until stdin closes.
    python -m bench.server load URLS.json --seconds S --connections C
        a keep-alive load generator (asyncio streams): prints {"requests", "seconds", "rps", …}.

``FarmServer`` runs the first as a child process (it must not share a core's GIL with the
auditor it serves, nor count in the auditor's memory).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl, quote

from bench.farm import Route, Site, build_shop

NOT_FOUND = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>404 页面不存在</title></head>'
             '<body><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除。</p><p><a href="/">返回首页</a></p></body></html>')
SERVER = b"nginx/1.20.1"


def _raw(status: int, ctype: str, body: bytes, extra: tuple[tuple[str, str], ...] = ()) -> tuple[bytes, bytes]:
    """(headers, body) of a complete response."""
    reason = {200: "OK", 302: "Found", 404: "Not Found", 405: "Method Not Allowed"}.get(status, "OK")
    lines = [f"HTTP/1.1 {status} {reason}", "Server: nginx/1.20.1", f"Content-Type: {ctype}",
             f"Content-Length: {len(body)}", "Connection: keep-alive"]
    lines += [f"{k}: {v}" for k, v in extra]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"), body


def _route(route: Route) -> tuple[bytes, bytes]:
    return _raw(route.status, route.content_type, route.body, route.headers)


def _redirect(location: str, extra: tuple[tuple[str, str], ...] = ()) -> tuple[bytes, bytes]:
    body = f'<html><body>正在跳转到 <a href="{location}">{location}</a></body></html>'.encode("utf-8")
    return _raw(302, "text/html; charset=utf-8", body, (("Location", location),) + extra)


class ShopApp:
    """One shop's responses, prebuilt; ``respond`` picks one."""

    __slots__ = ("site", "static", "user", "robots", "not_found", "sessions", "login_fail", "counter")

    def __init__(self, site: Site):
        self.site = site
        self.static = {path: _route(r) for path, r in site.routes.items()}
        self.user = {path: _route(r) for path, r in site.user_routes.items()}
        self.robots = _raw(200, "text/plain", site.robots)
        self.not_found = _raw(404, "text/html; charset=utf-8", NOT_FOUND.encode("utf-8"))
        self.sessions: set[str] = set()
        self.counter = 0
        login = site.routes.get("/login")
        self.login_fail = _route(login) if login else self.not_found

    def respond(self, method: bytes, target: bytes, headers: dict[bytes, bytes], body: bytes) -> tuple[bytes, bytes]:
        path, _, query = target.decode("latin-1").partition("?")
        hit = self.static.get(path)
        if hit is not None and method != b"POST":
            return hit
        if path == "/robots.txt":
            return self.robots
        if path == "/login" and method == b"POST":
            return self._login(body, query)
        if path == "/logout":
            return _redirect("/", ((f"Set-Cookie", f"{self.site.cookie}=; Path=/; Max-Age=0"),))
        if self.user and path.startswith("/user"):
            if path == "/user":
                path = "/user/"
            if not self._logged_in(headers.get(b"cookie", b"")):
                return _redirect("/login?next=" + quote(path + ("?" + query if query else ""), safe="/"))
            return self.user.get(path) or self.user.get("/user/aftersale" if path.startswith("/user/aftersale") else "") \
                or self.not_found
        return self.not_found

    def _logged_in(self, cookie: bytes) -> bool:
        name = self.site.cookie.encode() + b"="
        for part in cookie.split(b";"):
            part = part.strip()
            if part.startswith(name) and part[len(name):].decode("latin-1") in self.sessions:
                return True
        return False

    def _login(self, body: bytes, query: str) -> tuple[bytes, bytes]:
        form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        plan = self.site.plan
        if plan.username and form.get("username") == plan.username and form.get("password") == plan.password:
            self.counter += 1
            token = f"s{plan.index:x}t{self.counter:x}{os.urandom(6).hex()}"
            self.sessions.add(token)
            nxt = form.get("next") or dict(parse_qsl(query)).get("next") or "/user/"
            if not nxt.startswith("/"):
                nxt = "/user/"
            return _redirect(nxt, (("Set-Cookie", f"{self.site.cookie}={token}; Path=/; HttpOnly"),))
        return self.login_fail


class HttpProtocol(asyncio.Protocol):
    """Minimal HTTP/1.1: request line, headers we need, Content-Length bodies, keep-alive."""

    __slots__ = ("app", "transport", "buf", "stats")

    def __init__(self, app: ShopApp, stats: list[int]):
        self.app = app
        self.buf = b""
        self.stats = stats
        self.transport = None

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        buf = self.buf + data if self.buf else data
        while True:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                if len(buf) > 65536:
                    self.transport.close()
                    return
                break
            lines = buf[:end].split(b"\r\n")
            try:
                method, target, version = lines[0].split(b" ", 2)
            except ValueError:
                self.transport.close()
                return
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get(b"content-length", b"0") or 0)
            if len(buf) < end + 4 + length:
                break
            body = buf[end + 4:end + 4 + length]
            buf = buf[end + 4 + length:]
            head, payload = self.app.respond(method, target, headers, body)
            self.stats[0] += 1
            self.transport.write(head if method == b"HEAD" else head + payload)
            if headers.get(b"connection", b"").lower() == b"close" or version == b"HTTP/1.0":
                self.transport.close()
                return
        self.buf = buf


async def serve(shops: int, seed: int, host: str = "127.0.0.1") -> None:
    started = time.perf_counter()
    apps = [ShopApp(build_shop(seed, i)) for i in range(shops)]
    build_s = time.perf_counter() - started
    loop = asyncio.get_running_loop()
    stats = [0]
    servers = []
    for app in apps:
        servers.append(await loop.create_server(lambda app=app: HttpProtocol(app, stats), host, 0,
                                                backlog=256, reuse_address=True))
    ports = [s.sockets[0].getsockname()[1] for s in servers]
    print(json.dumps({"ready": True, "ports": ports, "build_s": round(build_s, 2), "pid": os.getpid(),
                      "bytes": sum(len(r.body) for a in apps for r in a.site.routes.values())}), flush=True)
    # Serve until the parent closes our stdin (or dies).
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    await reader.read()
    for s in servers:
        s.close()


class FarmServer:
    """The farm server as a child process.  ``with FarmServer(n, seed) as srv: srv.url(i)``."""

    def __init__(self, shops: int, seed: int = 1, host: str = "127.0.0.1"):
        self.shops, self.seed, self.host = shops, seed, host
        self.proc: subprocess.Popen | None = None
        self.ports: list[int] = []
        self.info: dict = {}

    def start(self) -> "FarmServer":
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.server", "serve", "--shops", str(self.shops),
                                      "--seed", str(self.seed)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, cwd=str(Path(__file__).resolve().parent.parent))
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("farm server did not start")
        self.info = json.loads(line)
        self.ports = self.info["ports"]
        return self

    @property
    def pid(self) -> int:
        return self.proc.pid

    def url(self, index: int, path: str = "/") -> str:
        return f"http://{self.host}:{self.ports[index]}{path}"

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except Exception:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> "FarmServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# ---------------------------------------------------------------------------- load generator

async def _load(urls: list[tuple[int, str]], seconds: float, connections: int, host: str) -> dict:
    done = [0, 0]     # requests, bytes
    deadline = time.perf_counter() + seconds

    by_port: dict[int, list[str]] = {}
    for port, path in urls:
        by_port.setdefault(port, []).append(path)
    groups = list(by_port.items())

    async def worker(k: int) -> None:
        port, paths = groups[k % len(groups)]     # a keep-alive connection belongs to one shop
        reader, writer = await asyncio.open_connection(host, port)
        i = k
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            i += 1
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: */*\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            done[0] += 1
            done[1] += length
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(connections)))
    elapsed = time.perf_counter() - started
    return {"requests": done[0], "bytes": done[1], "seconds": round(elapsed, 3),
            "rps": round(done[0] / elapsed, 1), "mb_per_s": round(done[1] / elapsed / 1e6, 1),
            "connections": connections}


def measure_capacity(server: FarmServer, shops: list[int], paths: list[str], seconds: float = 3.0,
                     connections: int = 32, clients: int = 1) -> dict:
    """Drive the server with ``clients`` load-generator processes; report requests/s and the
    server's CPU time per request (its capacity on one core is 1 / that)."""
    from bench.procs import cpu_seconds
    import tempfile
    urls = [(server.ports[i], p) for p in paths for i in shops]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(urls, fh)
    cpu0 = cpu_seconds(server.pid)
    procs = [subprocess.Popen([sys.executable, "-m", "bench.server", "load", fh.name, "--seconds", str(seconds),
                               "--connections", str(connections), "--offset", str(k)],
                              stdout=subprocess.PIPE, text=True, cwd=str(Path(__file__).resolve().parent.parent))
             for k in range(clients)]
    outs = [json.loads(p.communicate()[0]) for p in procs]
    cpu = cpu_seconds(server.pid) - cpu0
    os.unlink(fh.name)
    requests = sum(o["requests"] for o in outs)
    wall = max(o["seconds"] for o in outs)
    return {"rps": round(requests / wall, 1), "requests": requests, "seconds": wall,
            "mb_per_s": round(sum(o["bytes"] for o in outs) / wall / 1e6, 1),
            "connections": connections * clients, "clients": clients,
            "server_cpu_s": round(cpu, 3),
            "server_cpu_ms_per_request": round(1000 * cpu / max(requests, 1), 4),
            "server_one_core_rps": round(requests / cpu, 1) if cpu > 0 else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.server")
    sub = parser.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--shops", type=int, default=300)
    s.add_argument("--seed", type=int, default=1)
    ld = sub.add_parser("load")
    ld.add_argument("urls")
    ld.add_argument("--seconds", type=float, default=3.0)
    ld.add_argument("--connections", type=int, default=32)
    ld.add_argument("--offset", type=int, default=0)
    args = parser.parse_args(argv)
    if args.cmd == "serve":
        asyncio.run(serve(args.shops, args.seed))
        return 0
    urls = [tuple(u) for u in json.loads(Path(args.urls).read_text())]
    urls = urls[args.offset:] + urls[:args.offset]
    print(json.dumps(asyncio.run(_load(urls, args.seconds, args.connections, "127.0.0.1"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
