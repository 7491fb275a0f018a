"""The per-shop context: nothing leaves the machine, dialogs are dismissed, popups closed,
downloads refused; a missing browser or a dead shop is an error entry, never an exception."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from cardshop_auditor.artifacts import Page, ShopArtifacts, ShopMeta
from cardshop_auditor.browser.manager import get_browser
from cardshop_auditor.browser.session import ShopSession
from cardshop_auditor.browser.stage import run_browser_stage
from cardshop_auditor.options import AuditOptions

pytestmark = pytest.mark.browser


def test_outside_requests_are_aborted(shops):
    url = shops.url("login_form_cookie")
    session = ShopSession(get_browser(), url, AuditOptions())
    try:
        session.goto(url)
        result = session.page.evaluate("""async () => {
            const out = {};
            for (const u of ['https://cdn.example.com/x.js', 'http://203.0.113.9/beacon', location.origin + '/static/style.css']) {
                try { const r = await fetch(u); out[u] = r.status; } catch (e) { out[u] = 'blocked'; }
            }
            return out;
        }""")
        assert result["https://cdn.example.com/x.js"] == "blocked"
        assert result["http://203.0.113.9/beacon"] == "blocked"
        assert [v for k, v in result.items() if k.endswith("/static/style.css")] == [200]
        assert session.guard.blocked.get("cdn.example.com") and session.guard.blocked.get("203.0.113.9")
        # an image from another host in the page is refused too
        session.page.set_content('<img src="http://tracker.example.net/p.gif">')
        session.settle()
        assert session.guard.blocked.get("tracker.example.net")
        assert session.allowed_url(url) and not session.allowed_url("http://example.org/")
    finally:
        session.close()


def test_dialogs_dismissed_popups_closed_downloads_refused(shops):
    url = shops.url("login_form_cookie")
    session = ShopSession(get_browser(), url, AuditOptions())
    try:
        session.goto(url)
        answer = session.page.evaluate("() => confirm('确定删除该订单吗？')")
        assert answer is False and session.guard.dialogs == ["确定删除该订单吗？"]
        with session.context.expect_page(timeout=10_000):
            session.page.evaluate("() => { window.open(location.origin + '/help', '_blank'); }")
        session.follow_popups()
        assert len(session.context.pages) == 1
        assert session.page.url.endswith("/help")          # a same-site popup is followed here
        perms = session.page.evaluate("() => navigator.permissions.query({name: 'geolocation'}).then(p => p.state)")
        assert perms in ("prompt", "denied")
    finally:
        session.close()


def test_context_is_zh_cn(shops):
    session = ShopSession(get_browser(), shops.url("login_form_cookie"), AuditOptions())
    try:
        session.goto(shops.url("login_form_cookie"))
        info = session.page.evaluate("() => [navigator.language, Intl.DateTimeFormat().resolvedOptions().timeZone, innerWidth, innerHeight]")
        assert info == ["zh-CN", "Asia/Shanghai", 1280, 900]
    finally:
        session.close()


def test_missing_browser_is_an_error_not_an_exception(tmp_path):
    url = "http://127.0.0.1:9/"
    artifacts = ShopArtifacts(meta=ShopMeta(target=url), pages=[Page(url=url, final_url=url, status=200, html="<p>x</p>")])
    target = SimpleNamespace(url=url, out_dir=Path(tmp_path), username="u", password="p")
    run_browser_stage(artifacts, target, AuditOptions(browser_path="/nonexistent/chromium"), log=None)
    b = artifacts.meta.browser
    assert b["errors"] and "not an executable" in b["errors"][0]
    assert b["refund_entry"]["evaluated"] is False and "browser unavailable" in b["refund_entry"]["reason"]
    assert b["seconds"] >= 0


def test_unreachable_shop_is_an_error_not_an_exception(tmp_path):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"     # nothing listens there any more
    artifacts = ShopArtifacts(meta=ShopMeta(target=url), pages=[Page(url=url, final_url=url, status=200, html="<p>x</p>")])
    target = SimpleNamespace(url=url, out_dir=Path(tmp_path), username="u", password="p")
    run_browser_stage(artifacts, target, AuditOptions(timeout=5), log=None)
    b = artifacts.meta.browser
    assert b["errors"]
    assert b["refund_entry"]["found"] is False and b["refund_entry"]["evaluated"] is False


# The loop starts as soon as the load event has fired: navigation returns, and the stage's
# next call into the page (an evaluate, which has no timeout) is the one that hangs, on a
# fast or a loaded machine alike (a 400 ms timer raced the stage's first look at the page).
HANG_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>卡盟</title></head>
<body><p>loading</p><a href="/login">登录</a>
<script>window.addEventListener("load", function () { setTimeout(function () { while (true) {} }, 0); });</script>
</body></html>""".encode("utf-8")


def test_a_hung_page_is_stopped_not_waited_for(tmp_path):
    """A script that never yields blocks every Playwright call: the hang guard kills the
    renderer after the budget, the stage reports it, and the browser serves the next shop."""
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(HANG_PAGE)))
            self.end_headers()
            self.wfile.write(HANG_PAGE)

        def log_message(self, *a):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/"
        artifacts = ShopArtifacts(meta=ShopMeta(target=url), pages=[Page(url=url, final_url=url, status=200, html="<p>x</p>")])
        target = SimpleNamespace(url=url, out_dir=Path(tmp_path), username="u", password="p")
        started = time.monotonic()
        run_browser_stage(artifacts, target, AuditOptions(browser_time_budget=3, timeout=2), log=None)
        elapsed = time.monotonic() - started
        b = artifacts.meta.browser
        assert elapsed < 60, (elapsed, b["errors"])        # budget 3 s + grace 10 s + a loaded machine
        assert any("stopped responding" in e for e in b["errors"]), b["errors"]
        assert b["refund_entry"]["evaluated"] is False
    finally:
        httpd.shutdown()
        httpd.server_close()
    # the same browser still works for the next shop
    session = ShopSession(get_browser(), "http://127.0.0.1:1/", AuditOptions())
    try:
        session.page.set_content("<p>ok</p>")
        assert session.page.evaluate("1 + 1") == 2
    finally:
        session.close()


FLOOD_HOME = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>
<a href="go">我的订单</a></body></html>"""
FLOODS = {
    "dialogs": "<script>while (true) { alert('中奖啦'); }</script>",
    "popups": "<script>setInterval(function () { window.open(location.href + '?' + Math.random()); }, 20);</script>",
}


@pytest.mark.parametrize("flood", sorted(FLOODS))
def test_dialog_and_popup_floods_end_in_a_result(tmp_path, flood):
    """Hostile pages: an endless alert() loop, a window.open() storm, behind the link a
    member search clicks first.  The stage ends within its budget plus grace, says why,
    and the browser serves the next shop."""
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            page = FLOOD_HOME if not self.path.startswith("/go") else \
                '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>x</p>' + FLOODS[flood] + "</body></html>"
            body = page.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/"
        artifacts = ShopArtifacts(meta=ShopMeta(target=url), pages=[Page(url=url, final_url=url, status=200, html="<p>x</p>")])
        target = SimpleNamespace(url=url, out_dir=Path(tmp_path), username=None, password=None)
        started = time.monotonic()
        get_browser()                          # launched already: the budget is for the page
        started = time.monotonic()
        run_browser_stage(artifacts, target, AuditOptions(browser="always", browser_time_budget=6, timeout=3), log=None)
        elapsed = time.monotonic() - started
        b = artifacts.meta.browser
        assert elapsed < 6 + 10 + 10 + 30, (elapsed, b["errors"])
        assert b["refund_entry"] is None or b["refund_entry"]["found"] is False
        if flood == "dialogs":
            assert b["dialogs"] and "中奖啦" in b["dialogs"][0], (b["errors"], b["notes"], b["timings"], b["clicks_explored"])
    finally:
        httpd.shutdown()
        httpd.server_close()
    session = ShopSession(get_browser(), "http://127.0.0.1:1/", AuditOptions())
    try:
        session.page.set_content("<p>ok</p>")
        assert session.page.evaluate("1 + 1") == 2 and len(session.context.pages) == 1
    finally:
        session.close()
