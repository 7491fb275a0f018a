"""The shortcuts that keep the browser stage fast must not change what it finds or lets out:
the route pattern (only URLs certainly allowed skip the Python guard), the settle wait
(returns at once on a quiet page, waits for late DOM work), the snapshot reuse (only while
the page is unchanged), and the search's direct load of a plain link whose page is no
longer on screen (same steps, and the step screenshot is still taken)."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cardshop_auditor.browser.manager import get_browser
from cardshop_auditor.browser.search import RefundSearch
from cardshop_auditor.browser.netguard import SessionNetwork
from cardshop_auditor.browser.session import ShopSession, origin_key, route_pattern
from cardshop_auditor.options import AuditOptions


def test_route_pattern_lets_nothing_disallowed_through():
    allowed = {("shop.example.cn", 80), ("shop.example.cn", 443), ("shop.example.cn", 8080),
               ("127.0.0.1", 8123), ("127.0.0.1", 80), ("127.0.0.1", 443)}
    session = ShopSession.__new__(ShopSession)          # allowed_url alone, no browser
    # the shop's pinned addresses (never connected to here); 127.0.0.1 allowed by the user
    session.net = SessionNetwork("http://shop.example.cn/", AuditOptions(allow_networks=["127.0.0.1/32"]),
                                 allowed, {"policy": {"start_ips": ["93.184.216.34"]},
                                           "pins": {"shop.example.cn": ["93.184.216.34"]}})
    session.allowed = session.net.reachable_origins()
    assert session.allowed == allowed
    pattern = route_pattern(session.allowed)
    urls = ["http://shop.example.cn/", "https://shop.example.cn/a?b#c", "http://shop.example.cn:8080/x",
            "HTTP://SHOP.EXAMPLE.CN/", "ws://shop.example.cn/ws", "http://127.0.0.1:5/", "http://[::1]:9/",
            "http://localhost/", "data:text/plain,x",
            # not allowed: each must be routed to the Python guard
            "http://shop.example.cn:8081/", "http://shop.example.cn.evil.com/", "http://shop.example.cn@evil.com/",
            "http://127.0.0.1:80@evil.com/", "http://evil.com/?u=http://shop.example.cn/", "https://cdn.example.com/x.js",
            "http://127.0.0.1.evil/", "wss://evil.com/", "ftp://shop.example.cn/", "http://shop-example.cn/",
            "http://shopXexample.cn/", "javascript:alert(1)"]
    for url in urls:
        if not session.allowed_url(url):
            assert pattern.search(url), f"{url} would skip the guard"
    assert not pattern.search("http://shop.example.cn/user/orders")      # the common case skips Python
    assert origin_key("http://shop.example.cn/") == ("shop.example.cn", 80)


SHOP = {
    "/": '<a href="/orders">我的订单</a><a href="/logout">退出</a>',
    "/orders": ('<a href="/">会员中心</a><table>' + "".join(
        f'<tr><td>KM00{i}</td><td><a href="/order/{i}">订单详情</a></td></tr>' for i in (1, 2, 3)) + "</table>"),
    "/order/1": '<a href="/">会员中心</a><p>卡密：AAAA</p><a href="javascript:;">复制卡密</a>',
    "/order/2": '<a href="/">会员中心</a><p>卡密：BBBB</p><a href="/after?sn=2">申请售后</a>',
    "/order/3": '<a href="/">会员中心</a><p>卡密：CCCC</p>',
    "/late": ('<div id="box">loading</div><script>setTimeout(function () {'
              'document.getElementById("box").innerHTML = "<a href=/x>申请退款</a>"; }, 25);</script>'),
}


@pytest.fixture(scope="module")
def site():
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = SHOP.get(self.path.split("?")[0])
            page = f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>{body}</body></html>'
            data = page.encode("utf-8")
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *a):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.browser
def test_search_loads_a_plain_link_directly_and_still_shoots_the_step(site):
    base, hits = site
    session = ShopSession(get_browser(), base + "/", AuditOptions())
    try:
        session.goto(base + "/")
        search = RefundSearch(session, click_budget=8, deadline=time.monotonic() + 30, logged_in=True)
        res = search.run(root_url=base + "/")
        assert res.found is not None, res.notes
        path = res.found.node.path()[1:]
        assert [n.action.label for n in path] + [res.found.control.label] == ["我的订单", "订单详情", "申请售后"]
        assert path[-1].jumped and path[-1].url.endswith("/order/2")     # loaded, not restored + clicked
        assert not path[0].jumped
        assert all(n.shot and n.shot[:8] == b"\x89PNG\r\n\x1a\n" for n in path), "a step screenshot is missing"
        assert res.found.shot and res.found.shot[:8] == b"\x89PNG\r\n\x1a\n"
        assert "/after?sn=2" not in hits and "/logout" not in hits        # located, never clicked
    finally:
        session.close()


@pytest.mark.browser
def test_settle_and_snapshot_reuse(site):
    base, _ = site
    session = ShopSession(get_browser(), base + "/", AuditOptions())
    try:
        session.goto(base + "/")
        started = time.monotonic()
        session.settle()
        assert time.monotonic() - started < 0.5                           # a quiet page: no fixed wait
        first = session.snapshot()
        assert session.snapshot(reuse=True) is first                      # unchanged: the same snapshot
        session.page.evaluate("() => { document.body.insertAdjacentHTML('beforeend', '<a href=/y>我的工单</a>'); }")
        again = session.snapshot(reuse=True)
        assert again is not first and "我的工单" in {c.label for c in again.controls}
        session.goto(base + "/")                                          # same URL, a new document
        session.page.evaluate("() => document.body.insertAdjacentHTML('beforeend', '<a href=/z>我的工单</a>')")
        assert session.snapshot(reuse=True) is not again                  # its marks would be stale
        session.goto(base + "/late")                                      # content written 25 ms after load
        assert "申请退款" in {c.label for c in session.snapshot().controls}
    finally:
        session.close()


SCRIPTED = """<!DOCTYPE html><html><head><meta charset="utf-8"><base href="http://127.0.0.1:9/"></head><body>
<a id="plain" href="/orders">我的订单</a> <a id="prop" href="/a">订单详情</a> <a id="react" href="/b">我的工单</a>
<a id="vue" href="/c">个人中心</a> <a class="ajax" href="/d">售后服务</a> <a href="/e" onclick="return false">账户概览</a>
<script>
document.getElementById('prop').onclick = function () { return false; };
document.getElementById('react')['__reactProps$x1'] = {onClick: function () {}};
document.getElementById('vue')._vei = {onClick: function () {}};
window.jQuery = {_data: function (node, kind) {      // a delegated $(document).on('click', 'a.ajax', …)
  return node === document && kind === 'events' ? {click: [{selector: 'a.ajax'}]} : undefined; }};
</script></body></html>"""


@pytest.mark.browser
def test_links_a_script_handles_are_clicked_not_loaded():
    session = ShopSession(get_browser(), "http://127.0.0.1:9/", AuditOptions())
    try:
        session.page.set_content(SCRIPTED)
        plain = {c.label: c.plain for c in session.snapshot().controls}
        assert plain == {"我的订单": True, "订单详情": False, "我的工单": False, "个人中心": False,
                         "售后服务": False, "账户概览": False}, plain
    finally:
        session.close()
