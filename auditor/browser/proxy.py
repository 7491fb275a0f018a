"""The browser's only way out: a small HTTP proxy per shop context that decides every
connection Chromium opens on the address it really goes to.

Chromium is launched with ``--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1``: it
cannot resolve or reach anything itself except this proxy on 127.0.0.1.  Each shop's
context is given its own proxy (``browser.new_context(proxy=…)``; Playwright sends
loopback through it too), so every page load, subresource, fetch/XHR, form post, popup,
preconnect and WebSocket of that context arrives here as ``CONNECT host:port`` (https,
wss, ws) or ``GET http://host:port/…`` (http).  The proxy asks ``decide(host, port)``,
which resolves the name once (pinned) and checks it against the shop's network policy,
and connects to exactly the address it was given — so there is no moment between the
check and the connection where DNS could answer differently.

TLS stays end to end (CONNECT is a plain tunnel): Chromium checks the shop's certificate
itself.  Plain-HTTP requests are forwarded one per connection (``Connection: close``), so
a connection is never reused for another host.
"""
from __future__ import annotations

import socket
import threading
from typing import Callable
from urllib.parse import urlsplit

HEAD_LIMIT = 64 * 1024
IDLE_TIMEOUT = 60.0
MAX_CONNECTIONS = 256
HOP_HEADERS = {b"connection", b"keep-alive", b"proxy-connection", b"proxy-authorization",
               b"proxy-authenticate", b"te", b"trailer", b"upgrade", b"expect"}

# decide(host, port) -> (address to connect to, None) or (None, why refused)
Decide = Callable[[str, int], "tuple[str | None, str | None]"]


class GuardProxy:
    def __init__(self, decide: Decide, connect_timeout: float = 10.0):
        self.decide = decide
        self.connect_timeout = connect_timeout
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(128)
        self.port = self._sock.getsockname()[1]
        self._closed = threading.Event()
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.connections = 0               # tunnels / requests let through
        threading.Thread(target=self._accept, name="cardshop-proxy", daemon=True).start()

    @property
    def server(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ---- plumbing ---------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            if not self._slots.acquire(blocking=False):
                _close(client)
                continue
            self._track(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _track(self, sock: socket.socket, add: bool = True) -> None:
        with self._lock:
            (self._open.add if add else self._open.discard)(sock)

    def close(self) -> None:
        self._closed.set()
        _close(self._sock)
        with self._lock:
            socks = list(self._open)
        for sock in socks:
            _close(sock)

    def _serve(self, client: socket.socket) -> None:
        upstream = None
        try:
            client.settimeout(IDLE_TIMEOUT)
            head, rest = _read_head(client)
            if head is None:
                return
            lines = head.split(b"\r\n")
            parts = lines[0].split(b" ")
            if len(parts) != 3:
                return _reply(client, 400, "bad request")
            method, target = parts[0].upper(), parts[1].decode("latin-1")
            if method == b"CONNECT":
                host, _, port = target.rpartition(":")
                upstream = self._open_upstream(client, host, port)
                if upstream is not None:
                    client.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                    if rest:
                        upstream.sendall(rest)
                    _relay(client, upstream)
                return
            try:
                url = urlsplit(target)
                port = url.port or 80
            except ValueError:
                return _reply(client, 400, "bad request target")
            if url.scheme.lower() != "http" or not url.hostname:
                return _reply(client, 400, "only http:// URLs are proxied")
            upstream = self._open_upstream(client, url.hostname, str(port))
            if upstream is None:
                return
            body = _request_body(client, lines, rest)
            if body is None:
                return _reply(client, 501, "request body framing not supported")
            path = (url.path or "/") + (f"?{url.query}" if url.query else "")
            out = [method + b" " + path.encode("latin-1") + b" HTTP/1.1"]
            out += [line for line in lines[1:] if line and line.split(b":", 1)[0].strip().lower() not in HOP_HEADERS]
            out.append(b"Connection: close")
            upstream.sendall(b"\r\n".join(out) + b"\r\n\r\n" + body)
            _relay_response(upstream, client)
        except OSError:
            pass
        finally:
            self._track(client, add=False)
            _close(client)
            if upstream is not None:
                self._track(upstream, add=False)
                _close(upstream)
            self._slots.release()

    def _open_upstream(self, client: socket.socket, host: str, port: str) -> socket.socket | None:
        host = host.strip("[]")
        if not port.isdigit() or not host or not 0 < int(port) < 65536:
            _reply(client, 400, "bad host:port")
            return None
        address, why = self.decide(host, int(port))
        if address is None:
            _reply(client, 403, f"refused by the audit's network policy: {why}")
            return None
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        upstream = socket.socket(family, socket.SOCK_STREAM)
        self._track(upstream)
        upstream.settimeout(self.connect_timeout)
        try:
            upstream.connect((address, int(port)))
        except OSError:
            self._track(upstream, add=False)
            _close(upstream)
            _reply(client, 502, "could not connect")
            return None
        upstream.settimeout(IDLE_TIMEOUT)
        self.connections += 1
        return upstream


def _read_head(sock: socket.socket) -> tuple[bytes | None, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        if len(data) > HEAD_LIMIT:
            return None, b""
        chunk = sock.recv(8192)
        if not chunk:
            return None, b""
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _request_body(client: socket.socket, lines: list[bytes], rest: bytes) -> bytes | None:
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"transfer-encoding":
            return None
        if name == b"content-length":
            try:
                length = int(value.strip())
            except ValueError:
                return None
    if length < 0 or length > 64 * 1024 * 1024:
        return None
    body = rest
    while len(body) < length:
        chunk = client.recv(min(65536, length - len(body)))
        if not chunk:
            break
        body += chunk
    return body[:length]


def _relay_response(upstream: socket.socket, client: socket.socket) -> None:
    """The upstream's response with ``Connection: close`` (the client never reuses this
    connection for another request), then its body until the upstream closes."""
    head, rest = _read_head(upstream)
    if head is None:
        return
    lines = head.split(b"\r\n")
    kept = [lines[0]] + [line for line in lines[1:]
                         if line.split(b":", 1)[0].strip().lower() not in (b"connection", b"keep-alive", b"proxy-connection")]
    client.sendall(b"\r\n".join(kept) + b"\r\nConnection: close\r\n\r\n" + rest)
    _pipe(upstream, client)


def _relay(a: socket.socket, b: socket.socket) -> None:
    t = threading.Thread(target=_pipe, args=(b, a), daemon=True)
    t.start()
    _pipe(a, b)
    t.join(IDLE_TIMEOUT)


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for sock, how in ((dst, socket.SHUT_WR), (src, socket.SHUT_RD)):
            try:
                sock.shutdown(how)
            except OSError:
                pass


def _reply(client: socket.socket, status: int, text: str) -> None:
    body = text.encode("utf-8", "replace")[:300]
    reason = {400: "Bad Request", 403: "Forbidden", 501: "Not Implemented", 502: "Bad Gateway"}.get(status, "Error")
    try:
        client.sendall(f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n"
                       f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
    except OSError:
        pass


def _close(sock: socket.socket) -> None:
    try:
        sock.close()
    except OSError:
        pass
