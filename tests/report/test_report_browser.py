"""report.html in a real Chromium: it renders, stays on 127.0.0.1, runs nothing the
shop planted, passes axe-core, and fits a 375 px phone screen."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from cardshop_auditor.report import render_index, index_entry, write_reports
from report_factory import failed_report, make_report

pytestmark = pytest.mark.browser

SECTIONS_ZH = ["结论", "备案与资质", "用户协议退款条款", "退款入口", "联系方式", "风险信号", "全部检查项", "检测信息"]


class Watch:
    """Route every request of a page: only 127.0.0.1 may be reached; collect console errors."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.errors: list[str] = []
        page.route("**/*", self._route)
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("requestfailed", lambda req: self.errors.append(f"requestfailed: {req.url}"))

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


def _open(page, url):
    watch = Watch(page)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    for img in page.locator("img").all():  # lazy images: bring each into view so it loads
        img.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    return watch


def _serious(results) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture
def hostile_site(tmp_path, pwn_recorder):
    report = make_report("http://127.0.0.1:8000/", hostile=True, pwn_url=pwn_recorder.url + "/pwned",
                         report_dir=tmp_path)
    write_reports(report, tmp_path)
    return report


@pytest.fixture
def realistic_site(tmp_path):
    report = make_report("http://127.0.0.1:8000/", report_dir=tmp_path)
    write_reports(report, tmp_path)
    return report


def test_recorder_catches_a_payload_that_runs(page, tmp_path, pwn_recorder, report_server):
    """Positive control: the same payloads, unescaped and without CSP, do reach the recorder."""
    pwn = pwn_recorder.url + "/pwned"
    (tmp_path / "control.html").write_text(
        f"<!DOCTYPE html><p>x</p><script>fetch('{pwn}?via=script');window.__pwned=1</script>", "utf-8")
    page.goto(report_server + "control.html")
    page.wait_for_function("window.__pwned === 1")
    page.wait_for_timeout(300)
    assert any(hit.startswith("/pwned") for hit in pwn_recorder.hits)


def test_realistic_report_renders_verdict_and_sections(page, realistic_site, report_server):
    watch = _open(page, report_server + "report.html")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.title().startswith("卡盟/发卡网合规检测报告")
    verdict = page.locator("#verdict")
    assert verdict.locator(".score .num").inner_text() == str(realistic_site["score"])
    badge = verdict.locator(".risk-badge")
    assert badge.is_visible() and "高风险" in badge.inner_text()
    problems = verdict.locator(".problems > li")
    assert problems.count() == 3
    for item, problem in zip(problems.all(), realistic_site["summary"]["top_problems"]):
        assert problem["title"] in item.inner_text()
        assert "买家应该怎么做" in item.inner_text()
    for name in SECTIONS_ZH:
        assert page.get_by_role("heading", name=name, exact=True).is_visible(), name
    for check in realistic_site["checks"]:
        assert page.get_by_role("heading", name=check["title"], exact=True).count() >= 1
    steps = page.locator("#refund .steps > li")
    assert [s.strip() for s in steps.all_inner_texts()][-1].endswith("申请退订")
    for img in page.locator("img").all():
        assert img.evaluate("el => el.complete && el.naturalWidth > 0"), img.get_attribute("src")
    assert watch.outside == []
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in watch.requests)
    assert watch.errors == []


def test_hostile_payloads_never_fire(page, hostile_site, report_server, pwn_recorder):
    watch = _open(page, report_server + "report.html")
    # poke every element with the events a planted handler would wait for, and hover the text
    page.evaluate("""for (const el of document.querySelectorAll('*')) {
        for (const type of ['mouseover', 'mouseenter', 'focus', 'click', 'load', 'error'])
            if (type !== 'click' || el.tagName !== 'A') el.dispatchEvent(new Event(type));
    }""")
    page.locator("#identity").hover()
    page.wait_for_timeout(300)
    assert pwn_recorder.hits == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.scripts.length") == 0
    handlers = page.evaluate("""[...document.querySelectorAll('*')]
        .flatMap(el => [...el.attributes].filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name))""")
    assert handlers == []
    hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    for href in hrefs:
        assert href.startswith("#") or re.match(r"https?://", href) or href.startswith("evidence/"), href
    # the payload text is visible as text
    assert "<script>fetch(" in page.locator("#identity").inner_text()
    assert watch.outside == [] and watch.errors == []


@pytest.mark.parametrize("which", ["realistic", "hostile", "en", "failed"])
def test_axe_finds_no_serious_violations(page, tmp_path, report_server, pwn_recorder, which):
    report = {"realistic": lambda: make_report(report_dir=tmp_path),
              "hostile": lambda: make_report(hostile=True, pwn_url=pwn_recorder.url + "/pwned", report_dir=tmp_path),
              "en": lambda: make_report(lang="en", report_dir=tmp_path),
              "failed": failed_report}[which]()
    write_reports(report, tmp_path)
    _open(page, report_server + "report.html")
    results = Axe().run(page)
    assert _serious(results) == [], results.generate_report()


def test_index_page_passes_axe_and_links_reports(page, tmp_path, report_server):
    shop = tmp_path / "shop-a"
    report = make_report(report_dir=shop)
    write_reports(report, shop)
    render_index([index_entry(report, "shop-a/report.html"), index_entry(failed_report(), "down/report.html")],
                 tmp_path)
    watch = _open(page, report_server + "index.html")
    assert _serious(Axe().run(page)) == []
    page.get_by_role("link", name="查看报告").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("shop-a/report.html")
    assert watch.outside == []


@pytest.mark.parametrize("which", ["realistic", "hostile", "failed"])
def test_no_horizontal_scroll_at_375px(browser, tmp_path, report_server, pwn_recorder, which):
    report = {"realistic": lambda: make_report(report_dir=tmp_path),
              "hostile": lambda: make_report(hostile=True, pwn_url=pwn_recorder.url + "/pwned", report_dir=tmp_path),
              "failed": failed_report}[which]()
    write_reports(report, tmp_path)
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    try:
        watch = _open(page, report_server + "report.html")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert page.evaluate("document.body.scrollWidth") <= 375
        assert watch.errors == [] and watch.outside == []
        if which != "failed":
            assert _serious(Axe().run(page)) == []
    finally:
        context.close()


def test_print_media_hides_navigation(page, realistic_site, report_server):
    _open(page, report_server + "report.html")
    page.emulate_media(media="print")
    assert not page.locator("nav.toc").is_visible()
    assert page.locator("#verdict").is_visible()
    assert len(page.pdf(format="A4")) > 10_000
