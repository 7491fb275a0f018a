"""The buy prompt a goods page shows only after its order button is clicked
(``auditor/browser/buy_click.py``), and the goods pages past the first five
(``auditor/browser/reach.py``), on fixture shops in a real Chromium:

* buy_popup_layer: 立即购买 checks the e-mail, then opens a layer-style 温馨提示 dialog;
* buy_confirm_native: submitting the order form asks a native ``window.confirm``;
* buy_prompt_late_goods: only goods 7-12 (the second category) say 一经售出概不退换;
* buy_iframe_layer: 立即购买 checks the QQ field, then opens a layui iframe layer (type 2)
  framing the shop's own 购买须知 page;
* buy_sweetalert_static: server-rendered goods pages (the crawl reads them) whose 立即购买
  opens a SweetAlert-style 购买须知 written by script: the browser is needed for that alone.

Each shop records every request: an order (any non-GET) or a payment page must never be
requested."""
from __future__ import annotations

import re

import pytest

from cardshop_auditor.browser.buy_click import OrderGuard
from cardshop_auditor.browser.reach import MAX_GLANCES, MAX_GOODS_PAGES, MAX_PEEK_CAPTURES
from cardshop_auditor.extract import extract_findings
from cardshop_auditor.options import AuditOptions
from cardshop_auditor.pipeline import Target, audit_shops
from fixtures.server import FixtureServer
from tests.browser.conftest import LOADED_MACHINE_BUDGET

pytestmark = pytest.mark.browser

TERM = "概不退换"
# shop -> (goods page URL pattern, how the prompt shows, the field the form requires first)
BEHIND_BUTTON = {
    "buy_popup_layer": (r"/buy/\d+$", "dom", "email"),
    "buy_confirm_native": (r"/item/\d+$", "native", "contact"),
    "buy_iframe_layer": (r"/product/\d+$", "dom", "contact"),
}


@pytest.mark.parametrize("lang,ours", [
    ("zh", "点击“确认下单”后的浏览器对话框："),
    ("en", "Shown after clicking “确认下单” on a goods page (browser dialog): ")])
def test_order_dialog_caption_is_ours_and_the_dialog_text_is_the_shops(lang, ours):
    from cardshop_auditor.report.view import _caption
    from cardshop_auditor.report_templates import i18n

    caption = "点击“确认下单”后的浏览器对话框：购买须知：卡密一经售出概不退换"
    assert _caption(caption, i18n.ui(lang)) == (ours, "购买须知：卡密一经售出概不退换", True)


def _blanket(findings: dict) -> list[dict]:
    return [c for c in (findings.get("agreement") or {}).get("clauses") or [] if c["kind"] == "blanket_no_refund"]


def _no_order(state: dict, paths: list[str]) -> None:
    assert not state.get("hits"), f"a non-GET request reached the shop: {state.get('hits')}"
    visits = state.get("visits") or []
    assert not [v for v in visits if v.startswith("/pay") or any(v.startswith(p) for p in paths)], visits


@pytest.mark.parametrize("name", sorted(BEHIND_BUTTON))
def test_prompt_behind_the_order_button_is_read(name, shops, run_stage):
    from fixtures.server import load_labels

    shops.shops[name].state.clear()
    pattern, how, field = BEHIND_BUTTON[name]
    artifacts, _ = run_stage(name, tag="-order", browser_time_budget=LOADED_MACHINE_BUDGET)
    browser = artifacts.meta.browser
    assert browser["errors"] == [], browser["errors"]
    reach = browser["reach"]
    clicks = reach["order_clicks"]
    assert clicks and clicks[0]["dialogs"] == [how] and field in clicks[0]["filled"], reach
    assert re.search(pattern, clicks[0]["url"])
    # one template: the same dialog on the next goods page ends the clicking
    assert len(clicks) == 2 and clicks[1]["dialogs"] == [how]
    # the captured goods pages themselves never show the term: only the dialog does
    goods = [p for p in artifacts.pages if p.fetched_with == "browser" and re.search(pattern, p.final_url)
             and not p.link_text.startswith("点击")]
    assert goods and not any(TERM in re.sub(r"<script\b.*?</script>", "", p.html, flags=re.S) for p in goods)
    dialog_pages = [p for p in artifacts.pages if p.link_text.startswith("点击")]
    assert len(dialog_pages) == 1 and TERM in dialog_pages[0].html
    blanket = _blanket(extract_findings(artifacts))
    assert blanket and all(re.search(pattern, c["source_url"]) for c in blanket), blanket
    assert TERM in blanket[0]["text"]
    shot = [e for e in browser["evidence"] if "goods-order-dialog" in e["path"]]
    assert len(shot) == 1 and re.search(pattern, shot[0]["url"]) and TERM[:2] in shot[0]["caption"]
    if name == "buy_iframe_layer":
        # the words are a framed page of the shop's own origin: read through the frame
        assert clicks[0]["frames"] == [{"src": shops.url(name) + "page/notice.html", "read": True}]
    # the walk carried on after the dialog: the other goods pages and the order-query page
    assert len(reach["visited"]) >= 3
    _no_order(shops.shops[name].state, load_labels(name)["destructive_paths"])


def test_guard_stops_the_order_even_when_the_dialog_is_confirmed(shops):
    """Inside ``OrderGuard`` even the dialog's own 继续下单 (which posts the order with fetch,
    then opens the payment page) reaches nothing: the POST and the navigation are aborted."""
    from cardshop_auditor.browser.manager import get_browser
    from cardshop_auditor.browser.session import ShopSession

    name = "buy_popup_layer"
    shops.shops[name].state.clear()
    url = shops.url(name) + "buy/2"
    session = ShopSession(get_browser(), url, AuditOptions())
    try:
        session.goto(url)
        with OrderGuard(session) as guard:
            session.page.fill("#email", "audit@example.com")
            session.page.click("#submit-order")
            session.page.click(".layui-layer-btn0")
            session.settle(1.5)
            session.page.evaluate("document.getElementById('buy-form').submit()")
            session.settle(1.5)
            session.page.evaluate("window.open('/pay/X0000')")
            session.settle(1.0)
        assert session.page.url == url
    finally:
        session.close()
    assert any(b.startswith("POST ") and b.endswith("/order/create") for b in guard.blocked), guard.blocked
    _no_order(shops.shops[name].state, ["/order/create"])


def test_cross_origin_frame_in_the_buy_prompt_is_named_never_fetched(shops):
    """The iframe layer pointed at another origin (another loopback port): the session's
    network guard refuses it, the dialog names the frame as unread, and that origin gets no
    request at all."""
    from cardshop_auditor.browser.buy_click import read_order_dialog
    from cardshop_auditor.browser.manager import get_browser
    from cardshop_auditor.browser.session import ShopSession

    name = "buy_iframe_layer"
    shops.shops[name].state.clear()
    url = shops.url(name) + "product/2"
    with FixtureServer([name]) as other:
        elsewhere = other.url(name) + "page/notice.html"
        session = ShopSession(get_browser(), url, AuditOptions())
        try:
            session.goto(url)
            session.page.evaluate("""u => { const open = layer.open;
                layer.open = o => open(Object.assign({}, o, {content: u})); }""", elsewhere)
            click = read_order_dialog(session)
        finally:
            session.close()
        assert not other.shops[name].state.get("visits"), other.shops[name].state
    assert click is not None and click.button == "立即购买"
    frames = [f for d in click.dialogs for f in d.frames]
    assert frames == [{"src": elsewhere, "read": False}], click.dialogs
    assert not any(TERM in d.text or TERM in d.markup for d in click.dialogs)
    _no_order(shops.shops[name].state, ["/trade/create"])


def test_framed_prompt_open_on_a_goods_page_is_read_with_it(shops, tmp_path):
    """A 购买须知 iframe layer already open when the goods page is captured (auto-opened, or
    opened by its 购买须知 button): the framed page's words are kept beside the goods page,
    whose own HTML does not hold them, and the layer is photographed."""
    import time

    from cardshop_auditor.browser.evidence import EvidenceWriter
    from cardshop_auditor.browser.manager import get_browser
    from cardshop_auditor.browser.reach import Reach
    from cardshop_auditor.browser.session import ShopSession

    name = "buy_iframe_layer"
    shops.shops[name].state.clear()
    url = shops.url(name) + "product/3"
    session = ShopSession(get_browser(), url, AuditOptions())
    evidence = EvidenceWriter(tmp_path)
    try:
        session.goto(url)
        session.page.evaluate("layer.open({type: 2, title: '购买须知', area: ['520px', '360px'], content: '/page/notice.html'})")
        session.settle(1.5)
        walk = Reach(session, evidence, pages_left=5, deadline=time.monotonic() + 60, budget=60, known=set())
        walk._capture(url, 200, "完美世界一卡通 30元", depth=1, open_prompt=False)
    finally:
        session.close()
    goods, framed = walk.result.pages
    assert TERM not in goods.html and goods.final_url == url
    assert TERM in framed.html and framed.final_url == url and "框内" in framed.link_text
    assert walk.result.prompts == [url]
    shot = [e for e in evidence.items if e["path"].endswith("goods-buy-prompt.png")]
    assert len(shot) == 1 and shot[0]["url"] == url and TERM in shot[0]["caption"]
    _no_order(shops.shops[name].state, ["/trade/create"])


def test_term_only_on_goods_seven_and_later_is_found(shops, run_stage):
    name = "buy_prompt_late_goods"
    shops.shops[name].state.clear()
    artifacts, _ = run_stage(name, tag="-late", browser_time_budget=LOADED_MACHINE_BUDGET)
    reach = artifacts.meta.browser["reach"]
    blanket = _blanket(extract_findings(artifacts))
    assert blanket, reach
    ids = {int(re.search(r"/goods/(\d+)$", c["source_url"]).group(1)) for c in blanket}
    assert ids and min(ids) >= 7, ids
    visits = [v for v in shops.shops[name].state.get("visits") or [] if v.startswith("/goods/")]
    # pages loaded, and the goods pages whose HTML alone was fetched (peeked)
    assert len(visits) <= MAX_GOODS_PAGES + MAX_GLANCES + MAX_PEEK_CAPTURES + reach["peeked"]
    # the first category (goods 1-6) was read too: it is where the walk starts
    assert "/goods/1" in visits
    _no_order(shops.shops[name].state, ["/create-order"])


def test_term_on_one_goods_page_mid_list_is_found(shops, run_stage):
    """Fourteen alike goods pages but the 9th, whose description says 一经售出概不退换: the
    spread pages and glances miss it, a peek at the rest (HTML fetched, nothing rendered)
    finds it and that page alone is loaded and captured."""
    name = "buy_term_one_goods"
    shops.shops[name].state.clear()
    artifacts, _ = run_stage(name, tag="-one", browser_time_budget=LOADED_MACHINE_BUDGET)
    reach = artifacts.meta.browser["reach"]
    blanket = _blanket(extract_findings(artifacts))
    assert blanket and {c["source_url"] for c in blanket} == {shops.url(name) + "goods/9"}, reach
    assert TERM in blanket[0]["text"]
    assert reach["peeked"] and shops.url(name) + "goods/9" not in reach["glanced"]
    visits = [v for v in shops.shops[name].state.get("visits") or [] if v.startswith("/goods/")]
    assert sorted(set(visits), key=lambda v: int(v.rsplit("/", 1)[1])) == [f"/goods/{i}" for i in range(1, 15)]
    # each goods page requested once, the 9th twice (peeked, then loaded)
    assert len(visits) == 15 and visits.count("/goods/9") == 2
    _no_order(shops.shops[name].state, ["/create-order"])


GOODS_PAGE = """<html><body><form id="f"><input type="email" required name="email">
<button type="button" id="buy"> <i class="icon">&#xe7d8;</i> 立即购买</button></form>
<script>document.getElementById('buy').onclick = function () { %s };</script></body></html>"""


@pytest.mark.parametrize("handler,button,flagged", [
    ("if (confirm('购买须知：虚拟商品一经售出概不退换')) f.submit();", True, True),
    ("layer.open({title: '温馨提示', content: window.buyPrompt});", True, True),
    ("Swal.fire({title: '购买须知', html: notice});", True, True),
    # dujiaoka's own stock check: a modal, but no prompt in the script (it is in the page)
    ("if (n > stock) { $('.modal-body').html('库存不足'); myModal.show(); }", True, False),
    ("if (confirm('购买须知：虚拟商品一经售出概不退换')) f.submit();", False, False)])   # no order button
def test_need_flags_crawled_goods_pages_whose_order_button_opens_a_scripted_dialog(handler, button, flagged):
    from cardshop_auditor.artifacts import Page, ShopArtifacts, ShopMeta
    from cardshop_auditor.browser.need import order_dialog_pages, reasons

    html = GOODS_PAGE % handler
    if not button:
        html = html.replace("立即购买", "查看详情")
    home = "http://127.0.0.1:9/"
    pages = [Page(url=home, final_url=home, status=200, html="<html><body><a href='/goods/1'>购买</a>" +
                  "<p>本店全部商品自动发货，欢迎选购。</p>" * 20 + "</body></html>"),
             Page(url=home + "goods/1", final_url=home + "goods/1", status=200, html=html, depth=1)]
    artifacts = ShopArtifacts(meta=ShopMeta(target=home, final_url=home), pages=pages)
    assert order_dialog_pages(artifacts) == ([home + "goods/1"] if flagged else [])
    assert ("order_dialog_by_script" in reasons(artifacts)) is flagged


def test_server_rendered_goods_page_dialog_is_read(shops, tmp_path):
    """The crawl read the goods pages; the browser is needed only for the dialog behind
    立即购买: each crawled goods page is loaded and its button clicked, until the dialog
    repeats."""
    from types import SimpleNamespace

    from cardshop_auditor.browser.need import reasons
    from cardshop_auditor.browser.stage import run_browser_stage
    from tests.browser.conftest import fetch_static

    name = "buy_sweetalert_static"
    with FixtureServer([name]) as srv:
        url = srv.url(name)
        artifacts = fetch_static(url)
        for i in (1, 2, 3):
            page = fetch_static(f"{url}goods/{i}").pages[0]
            page.depth = 1
            artifacts.pages.append(page)
        assert reasons(artifacts) == ["order_dialog_by_script"]
        target = SimpleNamespace(url=url, out_dir=tmp_path, username=None, password=None)
        run_browser_stage(artifacts, target, AuditOptions(browser_time_budget=LOADED_MACHINE_BUDGET), log=None)
        state = dict(srv.shops[name].state)
    reach = artifacts.meta.browser["reach"]
    clicks = reach["order_clicks"]
    assert clicks[0]["dialogs"] == ["dom"] and clicks[0]["filled"] == ["email"], reach
    assert len(clicks) == 2                      # the second shows the same 购买须知: clicking stops
    blanket = _blanket(extract_findings(artifacts))
    assert blanket and re.search(r"/goods/\d$", blanket[0]["source_url"]) and "不退不换" in blanket[0]["text"]
    _no_order(state, ["/order/submit"])


@pytest.mark.slow
def test_report_shows_the_term_with_its_goods_page(tmp_path):
    """End to end (crawl, browser stage, extractors, checks, report.json / report.html): the
    blanket term is a flag, its clause names the goods page, the report page shows it."""
    patterns = {"buy_popup_layer": r"/buy/\d+$", "buy_confirm_native": r"/item/\d+$",
                "buy_prompt_late_goods": r"/goods/(?:[7-9]|1[012])$", "buy_sweetalert_static": r"/goods/\d$",
                "buy_iframe_layer": r"/product/\d+$", "buy_term_one_goods": r"/goods/9$"}
    names = sorted(patterns)
    with FixtureServer(names) as srv:
        targets = [Target(url=srv.url(n), out_dir=tmp_path / n, id=n) for n in names]
        results = {r.target.id: r for r in audit_shops(targets, AuditOptions(browser_time_budget=LOADED_MACHINE_BUDGET), log=lambda m: None)}
        states = {n: dict(srv.shops[n].state) for n in names}
    for name in names:
        report = results[name].report
        blanket = _blanket(report["findings"])
        assert blanket, name
        assert all(re.search(patterns[name], c["source_url"]) for c in blanket), (name, blanket)
        assert "blanket_no_refund" in report["risk"]["flags"], name
        # the prompt the buyer accepts by ordering is the purchase terms: never "no agreement"
        assert report["findings"]["agreement"]["url"] and "no_agreement" not in report["risk"]["flags"], name
        page = (tmp_path / name / "report.html").read_text(encoding="utf-8")
        assert TERM in page and blanket[0]["source_url"] in page, name
        _no_order(states[name], [])
