"""The browser never reaches the other network: subresources, fetch/XHR/beacons,
WebSockets, a dedicated worker, preconnects, a form post, an iframe, a popup and WebRTC,
all aimed at 127.0.0.2 and another port of 127.0.0.1, counted by real listeners (TCP and
UDP).  Each guard layer is also shown to hold on its own: the proxy with the request route
switched off, the WebRTC launch flags with the constructor removal switched off."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cardshop_auditor.browser import netguard
from cardshop_auditor.browser import session as session_module
from cardshop_auditor.browser.manager import close_browser, descendants, get_browser, pool
from cardshop_auditor.browser.proxy import GuardProxy
from cardshop_auditor.browser.session import ShopSession
from cardshop_auditor.options import AuditOptions
from netfixtures import OTHER_IP, SHOP_HOST, SUB_HOST, HostileShop, Listener, UDPListener, rules

pytestmark = pytest.mark.browser

CLI = [str(Path(sys.executable).with_name("cardshop-audit"))]
if not Path(CLI[0]).exists():
    CLI = [sys.executable, "-m", "cardshop_auditor.cli"]


@pytest.fixture(scope="module")
def net():
    """The shop on 127.0.0.1:P; TCP listeners on 127.0.0.2:P and 127.0.0.1:Q; UDP on 127.0.0.2."""
    with Listener("127.0.0.1") as other_port, UDPListener(OTHER_IP) as udp:
        shop = HostileShop(other="", other_port_url=f"http://127.0.0.1:{other_port.port}/", udp_port=udp.port)
        with shop, Listener(OTHER_IP, shop.port) as other_ip:
            shop.other = f"http://{OTHER_IP}:{shop.port}/"
            yield shop, other_ip, other_port, udp
    close_browser()


@pytest.fixture()
def resolver_rules(monkeypatch):
    monkeypatch.setenv("CARDSHOP_HOST_RESOLVER_RULES", rules())


def browse(shop, seconds: float = 2.5) -> dict:
    url = shop.url("/browser", host=SHOP_HOST)
    session = ShopSession(get_browser(), url, AuditOptions())
    try:
        session.goto(url)
        session.settle(seconds)
        time.sleep(0.5)
        rtc = session.page.evaluate("() => typeof RTCPeerConnection")
        return {"report": session.network_report(), "rtc": rtc, "proxied": session.proxy.connections}
    finally:
        session.close()


def assert_nothing_reached(other_ip, other_port, udp, before):
    assert other_ip.hits[before[0]:] == [], other_ip.hits
    assert other_port.hits[before[1]:] == [], other_port.hits
    assert udp.datagrams == before[2], "a WebRTC datagram reached 127.0.0.2"


def counts(other_ip, other_port, udp):
    return len(other_ip.hits), len(other_port.hits), udp.datagrams


def test_every_kind_of_request_to_the_other_network_is_refused(net, resolver_rules):
    shop, other_ip, other_port, udp = net
    before = counts(other_ip, other_port, udp)
    seen = browse(shop)
    assert_nothing_reached(other_ip, other_port, udp, before)
    assert seen["rtc"] == "undefined"
    assert seen["proxied"] >= 1                     # the shop's own page came through the proxy
    refused = {(r["host"], r["ip"]) for r in seen["report"]["refused"]}
    assert (OTHER_IP, OTHER_IP) in refused
    assert (SUB_HOST, OTHER_IP) in refused           # the shop's subdomain resolves to 127.0.0.2
    assert ("127.0.0.1", "127.0.0.1") in refused     # another loopback port
    other = next(r for r in seen["report"]["refused"] if r["host"] == "127.0.0.1")
    assert "not the start port" in other["reason"]


def test_the_proxy_alone_holds_without_the_request_route(net, resolver_rules, monkeypatch):
    """Route and WebSocket route let everything through: the per-context proxy still
    refuses every connection to the other network."""
    shop, other_ip, other_port, udp = net
    monkeypatch.setattr(netguard.SessionNetwork, "allowed_url", lambda self, url: True)
    before = counts(other_ip, other_port, udp)
    seen = browse(shop)
    assert_nothing_reached(other_ip, other_port, udp, before)
    assert {r["ip"] for r in seen["report"]["refused"]} >= {OTHER_IP, "127.0.0.1"}


def test_webrtc_udp_stays_off_without_the_init_script(net, resolver_rules, monkeypatch):
    """RTCPeerConnection left in place: the launch flags alone keep STUN/TURN UDP from
    reaching 127.0.0.2 (without them Chromium sends it; see discover.GUARDED_ARGS)."""
    shop, other_ip, other_port, udp = net
    monkeypatch.setattr(session_module, "RTC_OFF_JS", "1")
    before = counts(other_ip, other_port, udp)
    seen = browse(shop, seconds=3.0)
    assert seen["rtc"] == "function"
    assert_nothing_reached(other_ip, other_port, udp, before)


def test_guard_proxy_decides_on_the_pinned_address():
    """CONNECT and absolute-form requests: refused ones never connect; allowed ones go to
    the address ``decide`` gave, whatever name the client asked for."""
    with Listener(OTHER_IP) as other, Listener("127.0.0.1") as shop:
        def decide(host, port):
            if host == "shop.test" and port == shop.port:
                return "127.0.0.1", None
            return None, f"refused_address: {host}:{port}"
        proxy = GuardProxy(decide)
        try:
            for request in (f"CONNECT {OTHER_IP}:{other.port} HTTP/1.1\r\nHost: x\r\n\r\n",
                            f"GET http://{OTHER_IP}:{other.port}/x HTTP/1.1\r\nHost: x\r\n\r\n",
                            f"GET http://shop.test:{other.port}/x HTTP/1.1\r\nHost: x\r\n\r\n",
                            "GET ftp://shop.test/x HTTP/1.1\r\n\r\n"):
                answer = _ask(proxy.port, request)
                assert answer.split(b" ")[1] in (b"403", b"400"), answer[:80]
            answer = _ask(proxy.port, f"GET http://shop.test:{shop.port}/page?a=1 HTTP/1.1\r\n"
                                      f"Host: shop.test\r\nProxy-Connection: keep-alive\r\n\r\n")
            assert answer.startswith(b"HTTP/1.0 200") and "内部系统".encode() in answer
            assert b"Connection: close" in answer
            assert shop.hits[-1] == "GET /page?a=1"
            assert other.hits == []
        finally:
            proxy.close()


def _ask(port: int, request: str) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request.encode())
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return data
            data += chunk


def test_chromium_runs_sandboxed_as_an_unprivileged_user():
    """Started as root, Chromium keeps its sandbox: its processes run as another user and
    none was given --no-sandbox (auditor/browser/sandbox.py)."""
    from cardshop_auditor.browser import sandbox
    if os.geteuid() != 0:
        pytest.skip("not root: Chromium's own sandbox applies as is")
    context = get_browser().new_context()
    try:
        context.new_page().set_content("<p>沙箱</p>")          # a renderer to look at
        status = sandbox.status()
        assert status["on"] is True, status
        procs = [(pid, cmd) for pid, cmd in descendants(pool()._slot().driver_pid) if "chrom" in cmd]
        renderers = 0
        for pid, cmd in procs:
            fields = Path(f"/proc/{pid}/status").read_text()
            assert int(fields.split("Uid:")[1].split()[0]) != 0, cmd[:200]
            assert "--no-sandbox" not in cmd
            if "--type=renderer" in cmd:
                renderers += 1
                assert fields.split("Seccomp:")[1].split()[0] == "2", "renderer without seccomp-bpf"
                assert os.readlink(f"/proc/{pid}/ns/user") != os.readlink("/proc/self/ns/user")
        assert renderers
    finally:
        context.close()


def test_scan_with_the_browser_refuses_and_reports(net, tmp_path):
    """The whole pipeline (crawl + browser stage) on the hostile page: nothing reaches the
    other network and report.json lists what was refused, by whom."""
    shop, other_ip, other_port, udp = net
    before = counts(other_ip, other_port, udp)
    env = dict(os.environ, CARDSHOP_HOST_RESOLVER_RULES=rules())
    out = tmp_path / "out"
    run = subprocess.run(CLI + ["scan", shop.url("/browser", host=SHOP_HOST), "--out", str(out),
                                "--browser", "always", "--timeout", "5"],
                         env=env, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    assert_nothing_reached(other_ip, other_port, udp, before)
    network = json.loads((out / "report.json").read_text("utf-8"))["gather"]["network"]
    by_browser = {(r["host"], r["ip"]) for r in network["refused"] if r["by"] == "browser"}
    assert {(OTHER_IP, OTHER_IP), (SUB_HOST, OTHER_IP), ("127.0.0.1", "127.0.0.1")} <= by_browser
    assert network["policy"]["start_ips"] == ["127.0.0.1"]


def test_allow_network_lets_the_browser_reach_the_other_listener(net, tmp_path):
    """--allow-network 127.0.0.0/8: the start page's redirect to 127.0.0.2 is followed and
    the browser renders it there (Chromium's requests arrive at the listener)."""
    shop, other_ip, other_port, udp = net
    before = len(other_ip.hits)
    out = tmp_path / "out"
    run = subprocess.run(CLI + ["scan", shop.url("/redirect"), "--out", str(out), "--browser", "always",
                                "--timeout", "5", "--allow-network", "127.0.0.0/8"],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "GET /start" in other_ip.hits[before:]
    assert any("Chrome/" in agent for agent in other_ip.agents), other_ip.agents


def test_redirects_inside_the_browser_are_decided_too(net, resolver_rules):
    """A fetch and a navigation to the shop's own /redirect (302 → 127.0.0.2), and a page
    whose meta refresh points there: nothing reaches the other network."""
    shop, other_ip, other_port, udp = net
    before = counts(other_ip, other_port, udp)
    url = shop.url("/agreement.html", host=SHOP_HOST)
    session = ShopSession(get_browser(), url, AuditOptions())
    try:
        session.goto(url)
        fetched = session.page.evaluate("""async () => {
            try { const r = await fetch('/redirect'); return 'status ' + r.status; }
            catch (e) { return 'refused'; } }""")
        assert fetched == "refused"
        for path in ("/redirect", "/refresh"):      # a 302, a meta refresh
            try:
                session.goto(shop.url(path, host=SHOP_HOST))
            except Exception:
                pass                                # the navigation fails: that is the point
            session.settle(1.5)
            assert "内部系统" not in session.visible_text()
    finally:
        session.close()
    assert_nothing_reached(other_ip, other_port, udp, before)
    assert any(r["ip"] == OTHER_IP for r in session.network_report()["refused"])
