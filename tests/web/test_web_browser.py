"""The buyers' web page in a real Chromium, at phone (390 px) and desktop widths: paste a
fixture shop's address, watch the stages, read the verdict and the refund guide; the recent
result; bad input; JavaScript off; the busy page; axe-core on every page.

One app per module (tests/web/webapp.py), static fixture shops, no browser stage in the
scans (``--browser never``: the browser stage is not the point here)."""
from __future__ import annotations

import time

import pytest
from axe_playwright_python.sync_playwright import Axe

from fixtures.server import load_labels
from tests.web.webapp import StallingShop, WebServer, closed_port

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
RISK_TEXT = {"low": "低风险", "medium": "中风险", "high": "高风险"}
SCAN_TIMEOUT = 180_000


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    with WebServer(tmp_path_factory.mktemp("webui")) as server:
        yield server


@pytest.fixture
def open_page(browser, web):
    """A fresh context per page kind (width, JavaScript on/off); requests leaving the app or
    the fixture shops, script errors and dialogs are recorded."""
    contexts = []

    def make(viewport: str = "desktop", js: bool = True):
        context = browser.new_context(viewport=VIEWPORTS[viewport], java_script_enabled=js, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.events = {"errors": [], "dialogs": [], "outside": []}
        page.on("pageerror", lambda e: page.events["errors"].append(str(e)))
        page.on("dialog", lambda d: (page.events["dialogs"].append(d.message), d.dismiss()))
        page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:"))
                else page.events["outside"].append(r.url))
        return page
    yield make
    for context in contexts:
        context.close()


def serious(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width + 1


def watch_stages(page) -> set[str]:
    """The stage states the progress page showed until it went to the result."""
    seen: set[str] = set()
    deadline = time.monotonic() + SCAN_TIMEOUT / 1000
    while "/p/" in page.url and time.monotonic() < deadline:
        try:
            seen.update(f"{el.get_attribute('data-stage')}:{el.get_attribute('class')}"
                        for el in page.locator("#stages li").all())
        except Exception:  # noqa: BLE001 - the page navigated away mid-read
            pass
        page.wait_for_timeout(150)
    return seen


@pytest.mark.parametrize("viewport, shop", [("phone", "hidden_refund_menu"), ("desktop", "dujiaoka_default")])
def test_paste_watch_stages_read_verdict_and_guide(open_page, web, fixture_server, viewport, shop):
    page = open_page(viewport)
    page.goto(web.url + "/")
    assert serious(page) == [] and fits(page, VIEWPORTS[viewport]["width"])
    # what a chat app gives: text around the link, a tracking parameter, full-width punctuation
    page.fill("#url", f"朋友推荐的店【{fixture_server.url(shop)}?utm_source=wechat&from=groupmessage】，靠谱吗？")
    page.get_by_role("button", name="开始检测").click()
    page.wait_for_url("**/p/**")
    assert page.locator("#stages li").count() == 4
    assert serious(page) == []
    seen = watch_stages(page)
    page.wait_for_url("**/r/**", timeout=SCAN_TIMEOUT)
    assert any("st-running" in s for s in seen), seen          # a stage was seen while it ran

    labels = load_labels(shop)
    verdict = page.locator("#verdict")
    assert RISK_TEXT[labels["risk_level"]] in verdict.inner_text()
    guide = page.locator("#guide")
    assert "退款指南" in guide.locator("h2").inner_text()
    if labels["refund_entry"]["found"]:
        steps = guide.locator(".guide-steps li").all_inner_texts()
        assert len(steps) == labels["refund_entry"]["clicks"] and "申请退订" in steps[-1]
        assert "更多" in guide.inner_text()                       # the overflow menu is named
    else:
        assert "没有找到退款入口" in guide.inner_text()
        for qq in labels["contacts"]["qq"]:
            assert qq in guide.locator(".guide-contacts").inner_text()
    # the page comes before the report's sections: verdict, guide, then the rest
    order = page.evaluate("[...document.querySelectorAll('main section[id]')].map(s => s.id)")
    assert order[:2] == ["verdict", "guide"] and "checks" in order
    assert serious(page) == [] and fits(page, VIEWPORTS[viewport]["width"])
    assert page.events["errors"] == [] and page.events["outside"] == []


def test_recent_result_then_check_again(open_page, web, fixture_server):
    shop = "compliant_platform"
    status, body = web.call("POST", "/api/scans", {"url": fixture_server.url(shop)})
    assert status == 202
    web.wait_done(body["id"])
    page = open_page("desktop")
    page.goto(web.url + "/")
    page.fill("#url", fixture_server.base_url(shop).replace("http://", ""))     # a bare host:port
    page.get_by_role("button", name="开始检测").click()
    page.wait_for_url(f"**/r/{body['id']}/**")                 # at once: no new scan
    head = page.locator(".result-head")
    assert "前的检测结果" in head.inner_text()
    assert "扣 10% 手续费" in page.locator("#guide").inner_text()
    assert serious(page) == []
    head.get_by_role("button", name="重新检测").click()
    page.wait_for_url("**/p/**")
    page.wait_for_url("**/r/**", timeout=SCAN_TIMEOUT)
    assert body["id"] not in page.url
    # the home page lists the shop among the recently checked ones
    page.goto(web.url + "/?lang=en")
    assert "127.0.0.1" in page.locator(".recent").inner_text()
    assert "Recently checked shops" in page.inner_text("body")
    assert serious(page) == []


@pytest.mark.parametrize("pasted, code, words", [
    ("这不是网址", "not_url", "不是一个网址"),
    ("javascript:alert(document.domain)", "javascript", "不会被执行"),
    ("http://127.0.0.2:{port}/", "outside", "不在允许检测的范围内"),
    ("http://127.0.0.1:{closed}/", "unreachable", "连接不上"),
    ("http://127.0.0.1:{port}/files/setup.exe", "binary", "指向一个文件"),
])
def test_bad_input_gives_a_clear_message(open_page, web, fixture_server, pasted, code, words):
    page = open_page("phone")
    page.goto(web.url + "/")
    value = pasted.format(port=fixture_server.port("refund_table"), closed=closed_port())
    page.fill("#url", value)
    with page.expect_response(lambda r: r.url.endswith("/check")) as answer:
        page.get_by_role("button", name="开始检测").click()
    assert answer.value.status == 400
    error = page.locator(f".form-error[data-error={code}]")
    assert words in error.inner_text()
    assert page.input_value("#url") == value                   # shown back to correct it, as text
    assert page.events["dialogs"] == [] and page.events["errors"] == []
    assert serious(page) == [] and fits(page, 390)


def test_works_with_javascript_off(open_page, web, fixture_server):
    page = open_page("phone", js=False)
    page.goto(web.url + "/")
    page.fill("#url", fixture_server.url("refund_table"))
    page.get_by_role("button", name="开始检测").click()
    page.wait_for_url("**/p/**")
    assert page.locator('noscript').count() >= 1
    page.wait_for_url("**/r/**", timeout=SCAN_TIMEOUT)     # the page refreshed itself until done
    assert page.locator("#verdict .headline").inner_text()
    assert "退款指南" in page.locator("#guide").inner_text()


def test_busy_page_and_queue_position(open_page, browser, tmp_path_factory, fixture_server):
    """One scan slot and a waiting line of two: the third waiting scan is refused with a busy
    page; a waiting scan's page shows its number. The slot holds a shop that never answers,
    so the line cannot move while the test reads it."""
    with StallingShop() as stalling, WebServer(tmp_path_factory.mktemp("busy"), slots=1, max_waiting=2) as small:
        tokens = []
        for url in [stalling.url, fixture_server.url("fake_uscc"), fixture_server.url("placeholder_icp")]:
            status, body = small.call("POST", "/api/scans", {"url": url, "force": True})
            assert status == 202, body
            tokens.append(body["id"])
            if len(tokens) == 1:               # the slot has taken the first before the others come
                while small.call("GET", f"/api/scans/{tokens[0]}")[1]["state"] == "queued":
                    time.sleep(0.05)
        assert [small.call("GET", f"/api/scans/{t}")[1]["position"] for t in tokens[1:]] == [1, 2]
        page = open_page("phone")
        page.goto(small.url + "/")
        page.fill("#url", fixture_server.url("final_interp_only"))
        with page.expect_response(lambda r: r.url.endswith("/check")) as answer:
            page.get_by_role("button", name="开始检测").click()
        assert answer.value.status == 503
        assert "排队已满" in page.locator("h1").inner_text()
        assert "2 个在等待" in page.locator(".form-error").inner_text()
        assert serious(page) == []
        page.goto(f"{small.url}/p/{tokens[2]}")
        assert "你是第 2 位" in page.locator("#queue").inner_text()
        assert serious(page) == []
        stalling.release()                     # let the line move
        assert small.wait_done(tokens[0])["state"] in ("done", "failed")
        for token in tokens[1:]:
            assert small.wait_done(token)["state"] == "done"


def test_unknown_result_page(open_page, web):
    page = open_page("desktop")
    response = page.goto(web.url + "/r/AAAAAAAAAAAAAAAA/")
    assert response.status == 404 and "没有找到" in page.inner_text("body")
    assert serious(page) == []


def test_shop_text_never_runs_in_the_app(open_page, web, tmp_path):
    """A result full of hostile shop text (script, event handlers, javascript: links aimed at
    a local recorder) shown on the result page and the standalone report: nothing fires."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from cardshop_auditor.web.jobs import new_token
    from tests.report.report_factory import make_report

    hits: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass
    recorder = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=recorder.serve_forever, daemon=True).start()
    try:
        pwn = f"http://127.0.0.1:{recorder.server_port}/pwned"
        report = make_report(hostile=True, pwn_url=pwn, report_dir=tmp_path)
        token = new_token()
        web.app.state.web.results.store.record(report, report_dir=tmp_path, batch_id="web", shop_id=token,
                                               label="web", url=report["target"])
        page = open_page("desktop")
        for path in (f"/r/{token}/", f"/r/{token}/report.html", "/"):
            page.goto(web.url + path)
            page.wait_for_load_state("networkidle")
            page.mouse.move(10, 10)
            assert page.evaluate("typeof window.__pwned") == "undefined"
        assert hits == [] and page.events["dialogs"] == []
        page.goto(web.url + f"/r/{token}/")
        assert "<script>fetch(" in page.locator("main").inner_text()      # shown as text
        assert serious(page) == []
    finally:
        recorder.shutdown()
