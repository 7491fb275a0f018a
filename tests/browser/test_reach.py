"""Links that exist only in the rendered DOM (``auditor/browser/reach.py``): the goods pages of
shops whose goods lists are built by script are visited, their buy prompt and payment form
are read into the artifacts, within the page budget, and nothing is ordered.

The fixture shops (fixtures/shops/reach_*) follow the four mechanisms of the open-source
发卡 systems: an inline JSON object (独角数卡), an AJAX goods list (异次元), a layui table whose
购买 button is a ``lay-event`` (ZFAKA), hash routes of a single-page app (kamiFaka)."""
from __future__ import annotations

import re

import pytest

from cardshop_auditor.artifacts import Page, ShopArtifacts, ShopMeta
from cardshop_auditor.browser.need import reasons
from cardshop_auditor.browser.evidence import EvidenceWriter
from cardshop_auditor.browser.reach import (ALIKE_AFTER, MAX_DULL_GLANCES, MAX_GLANCES, MAX_GOODS_PAGES, PEEK_JS, UNSAFE_URL,
                                            DomLink, Reach, rank, spread)
from cardshop_auditor.extract import extract_findings
from cardshop_auditor.options import AuditOptions
from cardshop_auditor.pipeline import Target, _wants_browser, audit_shops
from fixtures.server import FixtureServer
from tests.browser.conftest import LOADED_MACHINE_BUDGET

pytestmark = pytest.mark.browser

# shop -> (goods page URL pattern, the payment attribute its goods page carries)
MECHANISMS = {
    "reach_inline_json": (r"/buy/\d+$", 'data-type="epusdt"'),
    "reach_ajax_list": (r"/item/\d+$", 'data-type="usdt"'),
    "reach_layui_table": (r"/product/detail/\?pid=\d+$", 'data-type="codepay"'),
    "reach_hash_spa": (r"/#/goods/\d+$", 'data-type="usdt"'),
}
PROMPT = "一经售出概不退换"


def _goods_pages(artifacts: ShopArtifacts, pattern: str) -> list[Page]:
    return [p for p in artifacts.pages if p.fetched_with == "browser" and re.search(pattern, p.final_url)]


def _blanket(findings: dict) -> list[dict]:
    return [c for c in (findings.get("agreement") or {}).get("clauses") or [] if c["kind"] == "blanket_no_refund"]


# ---- pure parts ---------------------------------------------------------------------------

@pytest.mark.parametrize("url,text,kind", [
    ("http://s/buy/3", "下单", "goods"), ("http://s/item/12", "", "goods"),
    ("http://s/product/detail/?pid=21", "购买", "goods"), ("http://s/#/goods/3", "芒果TV 会员月卡", "goods"),
    ("http://s/product/query", "查询订单", "order"), ("http://s/order-search", "订单查询", "order"),
    ("http://s/product/group/?tid=2", "视频会员", "listing"), ("http://s/about", "关于我们", "other")])
def test_link_kinds(url, text, kind):
    assert DomLink(url, text).kind == kind


def test_rank_prefers_goods_and_drops_known_and_other_links():
    links = [DomLink("http://s/about", "关于我们"), DomLink("http://s/order-search", "订单查询"),
             DomLink("http://s/buy/1", "下单"), DomLink("http://s/buy/2", "下单"), DomLink("http://s/buy/1/", "下单")]
    ranked = rank(links, known={"http://s/buy/2"})
    assert [l.url for l in ranked] == ["http://s/buy/1", "http://s/order-search"]


@pytest.mark.parametrize("url", ["http://s/logout", "http://s/create-order?gid=1", "http://s/pay/alipay/1",
                                 "http://s/checkout", "http://s/static/app.js"])
def test_acting_urls_are_never_followed(url):
    assert UNSAFE_URL.search(url)


class _StubPage:
    """Just enough of a Playwright page for ``Reach``'s bookkeeping (no browser)."""

    def __init__(self):
        self.url = "http://s/"

    def evaluate(self, js, arg=None):
        return [] if "querySelectorAll" in js else False

    varied = False
    term_from = None          # goods ids from this one on carry a blanket no-refund term

    def content(self):
        # every goods page alike, or each with a refund sentence of its own
        gid = self.url.rsplit('/', 1)[-1]
        extra = f"<p>第{gid}号商品激活后不退款。</p>" if self.varied else ""
        if self.term_from and gid.isdigit() and int(gid) >= self.term_from:
            extra += "<p>点卡一经售出概不退换。</p>"
        return f"<html><body>商品{extra}</body></html>"


class _StubSession:
    def __init__(self):
        self.page = _StubPage()
        self.visits: list[str] = []

    def allowed_url(self, url):
        return url.startswith("http://s/")

    def goto(self, url, budget=None):
        self.visits.append(url)
        self.page.url = url

    def settle(self, *a, **k):
        pass

    def snapshot(self):
        from cardshop_auditor.browser.session import Snapshot
        return Snapshot(url=self.page.url, title="", controls=[], password_visible=False)

    def screenshot(self, *a, **k):
        return None


def _goods_links(n):
    return [DomLink(f"http://s/buy/{i}", "下单") for i in range(1, n + 1)]


@pytest.mark.parametrize("pages_left,varied,visits,captured,stopped", [
    (0, True, 0, 0, "page_budget"), (2, True, 2, 2, "page_budget"),
    # every page says something new: the cap, then glances, each captured
    (40, True, MAX_GOODS_PAGES + MAX_GLANCES, MAX_GOODS_PAGES + MAX_GLANCES, "done"),
    # goods pages that repeat each other: the walk ends early, a few glances confirm it
    (40, False, ALIKE_AFTER + MAX_DULL_GLANCES, ALIKE_AFTER, "done")])
def test_reach_spends_at_most_the_page_budget(tmp_path, pages_left, varied, visits, captured, stopped):
    import time as _time
    session = _StubSession()
    session.page.varied = varied
    walk = Reach(session, EvidenceWriter(tmp_path), pages_left=pages_left, deadline=_time.monotonic() + 60,
                 budget=60, known=set())
    res = walk.run("http://s/", _goods_links(200))
    assert len(session.visits) == visits
    assert len(res.pages) == captured
    assert res.stopped == stopped


def test_spread_covers_the_list_not_its_head():
    assert spread(0) == [] and spread(1) == [0] and spread(2) == [0, 1]
    assert spread(12)[:5] == [0, 11, 5, 2, 8]
    for n in (3, 7, 12, 200):
        assert sorted(spread(n)) == list(range(n))
    # any five of a long list reach its last fifth
    assert max(spread(200)[:5]) >= 160


@pytest.mark.parametrize("count,term_from", [(12, 7), (200, 150), (40, 31)])
def test_a_term_only_on_later_goods_is_found(tmp_path, count, term_from):
    """The blanket term on the later goods only (another category, goods 7+): the first five
    goods pages would all be alike; pages spread over the list, and glances past the cap,
    reach it."""
    import time as _time
    session = _StubSession()
    session.page.term_from = term_from
    walk = Reach(session, EvidenceWriter(tmp_path), pages_left=40, deadline=_time.monotonic() + 60,
                 budget=60, known=set())
    res = walk.run("http://s/", _goods_links(count))
    with_term = [p for p in res.pages if "概不退换" in p.html]
    assert with_term and all(int(p.url.rsplit("/", 1)[-1]) >= term_from for p in with_term)
    assert len(session.visits) <= MAX_GOODS_PAGES + MAX_GLANCES


class _PeekingStubPage(_StubPage):
    """A stub page that also answers ``peek.js`` (each URL's sentences, as the page would have)."""

    term_at = None            # the one goods id whose page carries the term

    def content(self):
        html = super().content()
        if self.url.rsplit("/", 1)[-1] == str(self.term_at):
            html = html.replace("</body>", "<p>此商品一经售出概不退换。</p></body>")
        return html

    def evaluate(self, js, arg=None):
        if js != PEEK_JS:
            return super().evaluate(js, arg)
        here, found = self.url, []
        for url in arg[0]:
            self.url = url
            found.append(re.findall(arg[1], self.content()))
        self.url = here
        return found


@pytest.mark.parametrize("count,term_at", [(14, 9), (30, 17), (8, 7)])
def test_a_term_on_one_goods_page_mid_list_is_found_by_a_peek(tmp_path, count, term_at):
    """Goods pages all alike but one in the middle of the list: the walk reads a few and
    glances at a few, then peeks at the rest (their HTML fetched, not loaded); the page with
    the new sentence is the only one more loaded and captured."""
    import time as _time
    session = _StubSession()
    session.page = _PeekingStubPage()
    session.page.term_at = term_at
    walk = Reach(session, EvidenceWriter(tmp_path), pages_left=40, deadline=_time.monotonic() + 60,
                 budget=60, known=set())
    res = walk.run("http://s/", _goods_links(count))
    assert [p.url for p in res.pages if "概不退换" in p.html] == [f"http://s/buy/{term_at}"]
    assert len(session.visits) <= ALIKE_AFTER + MAX_DULL_GLANCES + 1       # pages loaded
    assert len(res.peeked) + len(session.visits) - 1 == count            # every goods page looked at
    # without the peeks (as before) it is missed
    session = _StubSession()
    session.page = _PeekingStubPage()
    session.page.term_at = term_at
    before = Reach(session, EvidenceWriter(tmp_path), pages_left=40, deadline=_time.monotonic() + 60,
                   budget=60, known=set())
    before._peek = lambda: None
    assert not [p for p in before.run("http://s/", _goods_links(count)).pages if "概不退换" in p.html]


class _HashAppStubPage(_StubPage):
    """A stub hash-routed app: ``route.js`` switches its view in place (no page load)."""

    term_at = None
    switches = 0

    def content(self):
        html = super().content()
        if self.url.endswith(f"#/{self.term_at}/detail"):
            html = html.replace("</body>", "<p>此商品一经售出概不退换。</p></body>")
        return html

    def evaluate(self, js, arg=None):
        from cardshop_auditor.browser.late_goods import ROUTE_JS
        if js == ROUTE_JS:
            self.switches += 1
            self.url = arg[0]
            return True
        return super().evaluate(js, arg)


@pytest.mark.parametrize("count,term_at", [(16, 13), (30, 17)])
def test_a_term_on_one_goods_route_is_found_by_a_route_peek(tmp_path, count, term_at):
    """Goods routes of a hash-routed app (#/<id>/detail) past the cap: a fetch would bring the
    app shell, so each is peeked at by switching the app's view in place; the route with the
    new sentence is captured as it stands (no page load); none is dropped."""
    import time as _time
    session = _StubSession()
    session.page = _HashAppStubPage()
    session.page.term_at = term_at
    walk = Reach(session, EvidenceWriter(tmp_path), pages_left=40, deadline=_time.monotonic() + 60,
                 budget=60, known=set())
    res = walk.run("http://s/", [DomLink(f"http://s/#/{i}/detail", f"商品{i}") for i in range(1, count + 1)])
    assert [p.url for p in res.pages if "概不退换" in p.html] == [f"http://s/#/{term_at}/detail"]
    assert len(session.visits) <= ALIKE_AFTER + MAX_DULL_GLANCES                 # pages loaded
    assert res.routes_peeked == session.page.switches == len(res.peeked)
    assert len(res.peeked) + len(session.visits) == count                       # every route looked at


def test_route_peeks_stop_when_the_app_does_not_draw_routes_in_place(tmp_path):
    """An app whose view does not change when its route does: the view on screen is not read
    as the route's, and after two such switches the other routes are left alone."""
    import time as _time

    from cardshop_auditor.browser.late_goods import MAX_STILL_ROUTES, ROUTE_JS

    class _StillApp(_HashAppStubPage):
        def evaluate(self, js, arg=None):
            if js == ROUTE_JS:
                self.switches += 1
                return False
            return super().evaluate(js, arg)

    session = _StubSession()
    session.page = _StillApp()
    session.page.term_at = 13
    walk = Reach(session, EvidenceWriter(tmp_path), pages_left=40, deadline=_time.monotonic() + 60,
                 budget=60, known=set())
    res = walk.run("http://s/", [DomLink(f"http://s/#/{i}/detail", f"商品{i}") for i in range(1, 17)])
    assert session.page.switches == MAX_STILL_ROUTES and res.routes_peeked == 0 and not res.peeked


def test_a_glance_past_the_cap_captures_a_new_term(tmp_path):
    """Five goods pages read, all alike; a glance at one more finds a refund sentence not
    read yet and captures that page (the others glanced at are not kept)."""
    import time as _time
    session = _StubSession()
    links = [DomLink(f"http://s/buy/{i}", "下单") for i in (6, 7, 77, 8, 9, 10, 11, 12)]
    session.page.term_from = 77
    walk = Reach(session, EvidenceWriter(tmp_path), pages_left=40, deadline=_time.monotonic() + 60,
                 budget=60, known=set())
    walk.goods, walk.alike = MAX_GOODS_PAGES, MAX_GOODS_PAGES      # the cap is reached already
    walk._walk(links, [])
    assert [p.url for p in walk.result.pages] == ["http://s/buy/77"]
    # 6 and 7 dull, 77 captured, then dull glances up to the limit end it
    assert walk.result.glanced == [f"http://s/buy/{i}" for i in (6, 7, 77, 8, 9, 10)][:2 + 1 + MAX_DULL_GLANCES]


def test_reach_leaves_half_the_time_budget_to_the_refund_search(tmp_path):
    import time as _time
    session = _StubSession()
    # 45 s budget, 20 s left: past the half-way mark, nothing is visited
    walk = Reach(session, EvidenceWriter(tmp_path), pages_left=40, deadline=_time.monotonic() + 20,
                 budget=45, known=set())
    res = walk.run("http://s/", _goods_links(5))
    assert session.visits == [] and res.stopped == "time_budget"


def _artifacts(start_html: str, extra: list[tuple[str, str]] = ()) -> ShopArtifacts:
    url = "http://127.0.0.1:9/"
    pages = [Page(url=url, final_url=url, status=200, html=start_html)]
    pages += [Page(url=u, final_url=u, status=200, html=h, depth=1) for u, h in extra]
    return ShopArtifacts(meta=ShopMeta(target=url, final_url=url), pages=pages)


SCRIPTED_HOME = ("<html><head><title>某某数卡</title></head><body><nav><a href='/'>首页</a>"
                 "<a href='/order-search'>订单查询</a></nav><p>" + "本店商品全部自动发货，欢迎选购。" * 12 +
                 "</p><div id='goods-list'></div><script>var goodsData = [{\"id\":1,\"name\":\"月卡\"}];"
                 "document.getElementById('goods-list').innerHTML = goodsData.map(g => "
                 "'<a href=\"/buy/' + g.id + '\">下单</a>').join('');</script></body></html>")


def test_need_triggers_on_script_built_goods_only():
    assert "goods_by_script" in reasons(_artifacts(SCRIPTED_HOME))
    # the crawl reached a goods page: its links were not script-built
    reached = _artifacts(SCRIPTED_HOME, [("http://127.0.0.1:9/buy/1", "<html><body>商品</body></html>")])
    assert "goods_by_script" not in reasons(reached)
    # plenty of same-site links and no script markers: a server-rendered shop
    static = SCRIPTED_HOME.replace("<script>", "<!--").replace("</script>", "-->")
    assert "goods_by_script" not in reasons(_artifacts(static))
    many = SCRIPTED_HOME.replace("</nav>", "".join(f"<a href='/p/{i}'>文章{i}</a>" for i in range(15)) + "</nav>")
    assert "goods_by_script" not in reasons(_artifacts(many))
    # layui's stylesheet and script alone (a server-rendered page styled with layui) say nothing
    styled = static.replace("<head>", "<head><link rel='stylesheet' href='/static/layui/css/layui.css'>"
                            "<script src='/static/layui/layui.js'></script>")
    assert "goods_by_script" not in reasons(_artifacts(styled))
    table = styled.replace("</body>", "<table id='g' lay-filter='goods'></table><script>layui.use('table', "
                           "function () { layui.table.render({elem: '#g', url: '/api/goods'}); });</script></body>")
    assert "goods_by_script" in reasons(_artifacts(table))


def test_browser_never_is_honoured():
    artifacts = _artifacts(SCRIPTED_HOME)
    target = Target(url="http://127.0.0.1:9/", out_dir="/nonexistent", id="x")
    assert _wants_browser(artifacts, AuditOptions(browser="auto"), target)
    assert not _wants_browser(artifacts, AuditOptions(browser="never"), target)


# ---- a real Chromium on the fixture shops --------------------------------------------------

@pytest.mark.parametrize("name", sorted(MECHANISMS))
def test_goods_page_reached_and_its_buy_prompt_read(name, shops, run_stage):
    shops.shops[name].state.clear()
    pattern, payment = MECHANISMS[name]
    artifacts, _ = run_stage(name, tag="-reach", browser_time_budget=LOADED_MACHINE_BUDGET)
    browser = artifacts.meta.browser
    assert browser["errors"] == [], browser["errors"]
    goods = _goods_pages(artifacts, pattern)
    assert goods, f"no goods page reached: {browser['reach']}"
    # the page was captured with its buy prompt open and its order form's payment choices
    assert any(PROMPT in p.html and payment in p.html for p in goods)
    assert browser["reach"]["buy_prompts"]
    findings = extract_findings(artifacts)
    blanket = _blanket(findings)
    assert blanket and all(re.search(pattern, c["source_url"]) for c in blanket), blanket
    assert PROMPT in blanket[0]["text"]
    # the order form's payment choices, named only in attributes, are read from the goods page
    gateway = payment.split('"')[1]
    assert any(p["id"] == gateway and re.search(pattern, p["url"]) for p in findings["signals"]["payment"]), \
        findings["signals"]["payment"]
    # the shop's start page never says it: the goods page is the only source
    assert not any(PROMPT in p.html for p in artifacts.pages if p.depth == 0)
    assert not shops.shops[name].state.get("hits"), "an order was posted"
    shot = [e for e in browser["evidence"] if e["path"].endswith("goods-buy-prompt.png")]
    assert shot and PROMPT[:4] in shot[0]["caption"]


def test_layui_rows_are_clicked_with_writes_blocked(shops, run_stage):
    """ZFAKA-style rows: the URL is built by the row's handler, so a 购买 button is clicked;
    the goods page's own order form is never submitted."""
    name = "reach_layui_table"
    shops.shops[name].state.clear()
    artifacts, _ = run_stage(name, tag="-rows", browser_time_budget=LOADED_MACHINE_BUDGET)
    reach = artifacts.meta.browser["reach"]
    assert reach["clicked"] and all(t == "购买" for t in reach["clicked"])
    visits = shops.shops[name].state.get("visits") or []
    assert any(v.startswith("/product/detail/?pid=") for v in visits)
    assert not shops.shops[name].state.get("hits")


def test_category_tab_reveals_more_goods(shops, run_stage):
    """异次元-style categories: the second category's goods are drawn only when its tab is
    clicked; the tab is clicked and that goods page is read too."""
    name = "reach_ajax_list"
    shops.shops[name].state.clear()
    artifacts, _ = run_stage(name, tag="-tabs", browser_time_budget=LOADED_MACHINE_BUDGET)
    reach = artifacts.meta.browser["reach"]
    assert reach["tabs"] >= 2
    visits = shops.shops[name].state.get("visits") or []
    assert "/user/api/index/data?categoryId=2" in visits
    assert any(p.final_url.endswith("/item/12") for p in artifacts.pages if p.fetched_with == "browser")
    assert not shops.shops[name].state.get("hits")


@pytest.mark.parametrize("max_pages", [3, 6])
def test_page_budget_with_200_script_built_goods(max_pages, shops, run_stage):
    name = "reach_many_goods"
    shops.shops[name].state.clear()
    artifacts, _ = run_stage(name, tag=f"-budget{max_pages}", max_pages=max_pages)
    goods_visits = [v for v in shops.shops[name].state.get("visits") or [] if v.startswith("/buy/")]
    rendered = [p for p in artifacts.pages if p.fetched_with == "browser"]
    assert 1 <= len(goods_visits) <= max_pages
    assert len(rendered) <= max_pages
    assert artifacts.meta.browser["reach"]["stopped"] in ("page_budget", "done")
    assert _blanket(extract_findings(artifacts))


def test_no_static_shop_pays_for_it(shops, run_stage):
    """A shop whose goods pages the crawl reaches needs no browser for them."""
    from tests.browser.conftest import fetch_static

    with FixtureServer(["dujiaoka_default"]) as srv:
        url = srv.url("dujiaoka_default")
        artifacts = fetch_static(url)
        artifacts.pages.append(fetch_static(url + "buy/1").pages[0])
        artifacts.pages[-1].depth = 1
    assert reasons(artifacts) == []


# ---- end to end: crawl, browser stage, extractors, checks, report.json --------------------

@pytest.mark.slow
def test_report_names_the_goods_page_as_source(tmp_path):
    names = sorted(MECHANISMS)
    with FixtureServer(names) as srv:
        targets = [Target(url=srv.url(n), out_dir=tmp_path / n, id=n) for n in names]
        results = {r.target.id: r for r in audit_shops(targets, AuditOptions(), log=lambda m: None)}
        hits = {n: srv.shops[n].state.get("hits") for n in names}
    for name in names:
        report = results[name].report
        pattern = MECHANISMS[name][0]
        blanket = _blanket(report["findings"])
        assert blanket, f"{name}: no blanket_no_refund clause"
        assert all(re.search(pattern, c["source_url"]) for c in blanket), (name, blanket)
        assert any(p["fetched_with"] == "browser" and re.search(pattern, p["url"]) for p in report["pages"])
        assert "blanket_no_refund" in report["risk"]["flags"]
        assert not hits[name], f"{name}: an order was posted"


# ---- the real-template shops (fixtures/shops/*_stock, *_careful) ---------------------------

REAL_TEMPLATES = {            # shop -> a goods page the browser must reach (URL pattern)
    "dujiaoka_luna_careful": r"/buy/2[123]$",
    "acgfaka_cartoon_stock": r"/item/\d+$",
    "zfaka_hyacinth_stock": r"/product/\d+\.html$",
    "kamifaka_stock": r"/#/\d+/detail$",
    "cardsystem_careful": None,            # goods chosen in the order form's drop-downs
}


@pytest.mark.slow
def test_real_template_goods_pages_are_reached(tmp_path):
    from types import SimpleNamespace

    from cardshop_auditor.browser.stage import run_browser_stage
    from tests.browser.conftest import fetch_static

    names = sorted(REAL_TEMPLATES)
    with FixtureServer(names) as srv:
        for name in names:
            url = srv.url(name)
            artifacts = fetch_static(url)
            assert "goods_by_script" in reasons(artifacts), name
            target = SimpleNamespace(url=url, out_dir=tmp_path / name, username=None, password=None)
            run_browser_stage(artifacts, target, AuditOptions(), log=None)
            reach = artifacts.meta.browser["reach"]
            pattern = REAL_TEMPLATES[name]
            if pattern:
                assert _goods_pages(artifacts, pattern), (name, reach)
            else:
                assert any(p.link_text.startswith("商品：") for p in artifacts.pages), (name, reach)
            assert not srv.shops[name].state.get("hits"), name
            if name == "dujiaoka_luna_careful":       # its blanket term sits only in goods buy prompts
                blanket = _blanket(extract_findings(artifacts))
                assert blanket and all(re.search(pattern, c["source_url"]) for c in blanket)
