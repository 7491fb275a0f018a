"""Hostile shops that try to steer the auditor into "the other network", and listeners that
count every connection that reaches it.

Everything is loopback: the shop answers on 127.0.0.1:P; "the other network" is 127.0.0.2
(on the same port P, and on a port of its own) plus another port of 127.0.0.1.  A listener
counts TCP connections (and UDP datagrams, for WebRTC) before anything is parsed, so a
request that reaches it is counted even if it never finishes.

Names: ``shop.example.com`` → 127.0.0.1 and ``cdn.example.com`` → 127.0.0.2 through the
auditor's resolver hook (``CARDSHOP_HOST_RESOLVER_RULES``): same registrable domain, so the
crawler treats the subdomain as the shop's own site, and only the address check stops it.
"""
from __future__ import annotations

import socket
import threading
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SHOP_HOST = "shop.example.com"
SUB_HOST = "cdn.example.com"
OTHER_IP = "127.0.0.2"


def rules(shop_ip: str = "127.0.0.1", other_ip: str = OTHER_IP) -> str:
    return f"MAP {SHOP_HOST} {shop_ip}, MAP {SUB_HOST} {other_ip}"


class _Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args) -> None:
        pass


class Listener:
    """A TCP listener that counts connections and answers each with a small HTML page
    (a reached listener would be audited: its page says so)."""

    def __init__(self, host: str, port: int = 0):
        self.host = host
        self.hits: list[str] = []
        self.agents: list[str] = []
        owner = self

        class Handler(_Quiet):
            def setup(self) -> None:
                owner.hits.append("connect")
                super().setup()

            def do_GET(self) -> None:  # noqa: N802
                owner.hits.append(f"GET {self.path}")
                owner.agents.append(self.headers.get("User-Agent", ""))
                body = "<html><body><h1>内部系统</h1><a href='/admin'>管理</a></body></html>".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Listener":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class UDPListener:
    """Counts datagrams (a WebRTC STUN binding request is one)."""

    def __init__(self, host: str):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.datagrams = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.sock.recvfrom(4096)
                self.datagrams += 1
            except OSError:
                continue

    def __enter__(self) -> "UDPListener":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.thread.join(1)
        self.sock.close()


PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>{head}</head>
<body><div class="header"><a href="/">首页</a> <a href="/agreement.html">用户协议</a></div>
<h1>{title}</h1>{body}
<div class="footer">客服QQ：10001 · 京ICP备12345678号-1 · <a href="/agreement.html">服务协议</a></div>
</body></html>"""

AGREEMENT = ("<p>本站售出的卡密一经提取概不退换。未提取的卡密可申请原路退回，1-3个工作日到账。</p>"
             "<p>如有疑问请联系在线客服或拨打12315投诉。</p>")


def page(title: str, body: str = "", head: str = "") -> bytes:
    return PAGE.format(title=escape(title), body=body, head=head).encode("utf-8")


class HostileShop:
    """A card shop on 127.0.0.1 whose pages point at the other network.

    /redirect    302 to ``other`` (the whole start page redirected)
    /refresh     meta refresh to ``other``
    /subdomain   a shop page linking to the shop's "cdn" subdomain (on 127.0.0.2)
    /browser     subresources, fetch, XHR, WebSocket, a form post, an iframe, a popup and
                 WebRTC, all aimed at 127.0.0.2 and at another port of 127.0.0.1
    """

    def __init__(self, other: str, other_port_url: str, udp_port: int = 0, port: int = 0):
        self.other = other                   # e.g. http://127.0.0.2:P/  (same port as the shop)
        self.other_port_url = other_port_url  # e.g. http://127.0.0.1:Q/
        self.udp_port = udp_port
        owner = self

        class Handler(_Quiet):
            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?", 1)[0]
                if path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", owner.other + "start")
                    self.end_headers()
                    return
                body = owner.body(path, self.headers.get("Host", ""))
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:  # noqa: N802
                self.do_GET()

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def body(self, path: str, host: str) -> bytes | None:
        sub = f"http://{SUB_HOST}:{self.port}/"
        if path == "/refresh":
            return page("正在跳转", head=f'<meta http-equiv="refresh" content="0; url={self.other}start">')
        if path in ("/subdomain", "/subdomain/"):
            return page("星辰卡盟", f'<p>热销商品</p><a href="{sub}agreement.html">售后协议</a>'
                                   f'<a href="{sub}help/refund.html">退款帮助</a><p>{AGREEMENT}</p>')
        if path == "/agreement.html":
            return page("用户协议", AGREEMENT)
        if path == "/browser":
            return page("星辰卡盟", self._browser_body(), head=self._browser_head())
        return None

    def _targets(self) -> list[str]:
        return [self.other, self.other_port_url, f"http://{SUB_HOST}:{self.port}/"]

    def _browser_head(self) -> str:
        return "".join(f'<link rel="preconnect" href="{u}"><link rel="dns-prefetch" href="{u}">'
                       f'<link rel="prefetch" href="{u}next.html">'
                       f'<link rel="stylesheet" href="{u}style.css"><script src="{u}app.js"></script>'
                       for u in self._targets())

    def _browser_body(self) -> str:
        tags = []
        for i, u in enumerate(self._targets()):
            tags.append(f'<img src="{u}logo{i}.png" alt=""><iframe src="{u}frame{i}" width="60" height="60"></iframe>')
            # posted into a frame: the post is made all the same, and the page the test reads
            # afterwards is not navigated away under it (a flaky "context destroyed")
            tags.append(f'<form id="f{i}" method="post" action="{u}steal{i}" target="sink">'
                        f'<input name="q" value="1"></form>')
        tags.append('<iframe name="sink" width="60" height="60"></iframe>')
        urls = [u for u in self._targets()]
        ws = [u.replace("http://", "ws://") + "ws" for u in urls]
        script = f"""<script>
const urls = {urls!r}; const ws = {ws!r};
for (const u of urls) {{
  fetch(u + 'fetch', {{mode: 'no-cors'}}).catch(() => {{}});
  try {{ const x = new XMLHttpRequest(); x.open('GET', u + 'xhr'); x.send(); }} catch (e) {{}}
  try {{ navigator.sendBeacon(u + 'beacon', 'x'); }} catch (e) {{}}
}}
for (const w of ws) {{ try {{ new WebSocket(w); }} catch (e) {{}} }}
try {{
  const code = urls.map(u => "fetch('" + u + "worker').catch(() => {{}}); try {{ new WebSocket('" +
                        u.replace('http://', 'ws://') + "wws'); }} catch (e) {{}}").join(';');
  new Worker(URL.createObjectURL(new Blob([code], {{type: 'text/javascript'}})));
}} catch (e) {{}}
try {{ const es = new EventSource(urls[0] + 'events'); }} catch (e) {{}}
try {{ window.open(urls[0] + 'popup'); }} catch (e) {{}}
try {{
  const pc = new RTCPeerConnection({{iceServers: [{{urls: 'stun:127.0.0.2:{self.udp_port}'}},
                                                 {{urls: 'turn:127.0.0.2:{self.udp_port}?transport=udp', username: 'u', credential: 'p'}}]}});
  pc.createDataChannel('x');
  pc.createOffer().then(o => pc.setLocalDescription(o)).catch(() => {{}});
  window.__rtc = 'made';
}} catch (e) {{ window.__rtc = 'refused: ' + e; }}
setTimeout(() => {{ for (const f of document.forms) {{ try {{ f.submit(); }} catch (e) {{}} break; }} }}, 300);
</script>"""
        return "<p>热销商品</p><p>" + AGREEMENT + "</p>" + "".join(tags) + script

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def __enter__(self) -> "HostileShop":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
