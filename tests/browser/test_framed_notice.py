"""A notice the render stage opens from the start page whose words are a framed page
(``auditor/browser/render.py``, reading frames with ``dialogs.open_dialog``), on fixture
shops in a real Chromium: agreement_iframe_layer's 用户协议 exists only as a same-origin page
that a layui iframe layer (``layer.open({type: 2})``) frames; its 购买须知 layer can be pointed
at another origin (127.0.0.2), which must be named and never requested.  notice_iframe_modal's
购买须知 is a Bootstrap modal with an ``<iframe>`` body that opens by itself on load."""
from __future__ import annotations

from pathlib import Path

import pytest

from cardshop_auditor.extract import extract_findings
from fixtures.server import FixtureServer
from tests.browser.conftest import LOADED_MACHINE_BUDGET, one_shot

pytestmark = pytest.mark.browser

NAME = "agreement_iframe_layer"
BLANKET = "本站所有商品均为虚拟商品，一经售出概不退换"
COMPLAINT = "对售后处理结果有异议的，可发送邮件至 tousu@jingluokapu.cn 进行投诉"


def _clauses(findings: dict, kind: str) -> list[dict]:
    return [c for c in (findings.get("agreement") or {}).get("clauses") or [] if c["kind"] == kind]


def _no_writes(state: dict) -> None:
    assert not state.get("hits"), state.get("hits")


def test_framed_agreement_opened_from_the_start_page_is_quoted(shops, run_stage):
    shops.shops[NAME].state.clear()
    start = shops.url(NAME)
    artifacts, target = run_stage(NAME, browser_time_budget=LOADED_MACHINE_BUDGET)
    browser = artifacts.meta.browser
    assert browser["errors"] == [], browser["errors"]
    # the start page's own HTML holds the layer's frame, never the agreement's words
    assert BLANKET not in artifacts.start_page.html
    framed = [p for p in artifacts.pages if p.fetched_with == "browser" and "用户协议" in p.link_text
              and BLANKET in p.html]
    assert len(framed) == 1 and framed[0].final_url == start, [(p.link_text, p.final_url) for p in artifacts.pages]
    # the frame's src is the route /agreement, its document the page it redirects to
    assert 'data-frame-src="' + start + 'agreement"' in framed[0].html

    findings = extract_findings(artifacts)
    blanket = _clauses(findings, "blanket_no_refund")
    assert blanket and BLANKET in blanket[0]["text"] and blanket[0]["source_url"] == start, blanket
    complaint = _clauses(findings, "complaint_channel")
    assert any(COMPLAINT in c["text"] and c["source_url"] == start for c in complaint), complaint

    assert len([e for e in browser["evidence"] if e["kind"] == "agreement"]) == 1, browser["evidence"]
    one_shot(browser, target.out_dir, url=start, kind="agreement", words=("用户协议", "框内", "退款"))
    # the page was requested by the frame alone: nothing links to it
    assert {"/agreement", "/page/agreement.html"} <= set(shops.shops[NAME].state["visits"])
    _no_writes(shops.shops[NAME].state)


def test_cross_origin_framed_notice_is_named_never_fetched(shops, run_stage):
    """The 购买须知 layer frames a page of another origin (127.0.0.2): the browser's network
    guard refuses it, the stage names the frame as unread, and that origin gets no request;
    the same-origin agreement is still read."""
    state = shops.shops[NAME].state
    state.clear()
    with FixtureServer([NAME], host="127.0.0.2") as other:
        elsewhere = other.url(NAME) + "page/notice.html"
        state["notice_src"] = elsewhere
        try:
            artifacts, _ = run_stage(NAME, tag="-elsewhere", browser_time_budget=LOADED_MACHINE_BUDGET)
        finally:
            state.pop("notice_src", None)
        assert not other.shops[NAME].state.get("visits"), other.shops[NAME].state
    browser = artifacts.meta.browser
    named = [n for n in browser["notes"] if elsewhere in n]
    assert len(named) == 1 and "购买须知" in named[0] and "not read" in named[0], browser["notes"]
    assert not any("高峰期发货" in p.html for p in artifacts.pages)
    blanket = _clauses(extract_findings(artifacts), "blanket_no_refund")
    assert blanket and BLANKET in blanket[0]["text"]
    _no_writes(state)


def test_a_framed_notice_still_loading_is_waited_for_and_read(shops, run_stage):
    """The 购买须知 layer's same-origin page answers 3.5 s late, past the click's settle
    budget: when the layer is read its frame still shows the initial about:blank, which must
    not pass for the framed page (read, but empty); the stage waits for the page and quotes
    it.  (On a loaded machine a refused cross-origin frame is read in that state too.)"""
    state = shops.shops[NAME].state
    state.clear()
    state["notice_delay"] = 3.5
    try:
        artifacts, _ = run_stage(NAME, tag="-late", browser_time_budget=LOADED_MACHINE_BUDGET)
    finally:
        state.pop("notice_delay", None)
    browser = artifacts.meta.browser
    assert not [n for n in browser["notes"] if "notice.html" in n and "not read" in n], browser["notes"]
    notice = [p for p in artifacts.pages if p.fetched_with == "browser" and "购买须知" in p.link_text]
    assert notice and "高峰期发货" in notice[0].html, [(p.link_text, p.final_url) for p in artifacts.pages]
    _no_writes(state)


ONLOAD = "notice_iframe_modal"
ONLOAD_TERMS = {"refund_unactivated": "卡密未提取的订单，可在付款后24小时内联系客服申请全额退款",
                "complaint_channel": "可发送邮件至 ts@qingning-card.com 投诉"}


@pytest.mark.parametrize("html,needed", [
    ('<div class="modal fade" id="n"><div class="modal-body"><iframe src="/notice.html"></iframe></div></div>', True),
    ('<div role="dialog"><p>购买须知</p><iframe src="/page/rules.html" width="100%"></iframe></div>', True),
    ("<script>layui.use('layer', function () { layer.open({type: 2, content: '/notice'}); });</script>", True),
    ('<div class="modal"><div class="modal-body">公告：全场自动发货。</div></div>', False),
    ('<div class="video"><iframe src="/player.html"></iframe></div>', False),
    ("<script>layer.open({type: 1, content: '公告'});</script>", False)])
def test_a_framed_dialog_on_the_start_page_needs_the_browser(html, needed):
    """The crawl does not follow frames: a dialog whose words are a framed page is read by
    the browser, whether it opens on load or on a click."""
    from cardshop_auditor.artifacts import Page, ShopArtifacts, ShopMeta
    from cardshop_auditor.browser.need import reasons

    home = "http://127.0.0.1:9/"
    body = ("<nav><a href='/'>首页</a><a href='/query.html'>订单查询</a></nav>" + "<p>本店商品全部自动发货。</p>" * 20 +
            "<footer>© 2026 某某网络 浙ICP备2023041562号-1</footer>")
    page = Page(url=home, final_url=home, status=200, html=f"<html><body>{body}{html}</body></html>")
    artifacts = ShopArtifacts(meta=ShopMeta(target=home, final_url=home), pages=[page])
    assert ("dialog_frame" in reasons(artifacts)) is needed


def test_framed_notice_open_on_load_is_read_on_the_start_page(shops, run_stage):
    """A Bootstrap modal with an <iframe> body, opened by the start page itself: no control
    opens it and nothing links to the framed page.  Its words are read through the frame as a
    page of the start page, its refund section photographed, and the modal closed with its ×
    (never 我已阅读) before the footer is photographed."""
    state = shops.shops[ONLOAD].state
    state.clear()
    start = shops.url(ONLOAD)
    artifacts, target = run_stage(ONLOAD, browser_time_budget=LOADED_MACHINE_BUDGET)
    browser = artifacts.meta.browser
    assert browser["errors"] == [], browser["errors"]
    assert ONLOAD_TERMS["refund_unactivated"] not in artifacts.start_page.html
    framed = [p for p in artifacts.pages if p.fetched_with == "browser" and p.link_text == "购买须知"]
    assert len(framed) == 1 and framed[0].final_url == start, [(p.link_text, p.final_url) for p in artifacts.pages]
    assert 'data-frame-src="' + start + 'notice/purchase.html"' in framed[0].html

    clauses = (extract_findings(artifacts).get("agreement") or {}).get("clauses") or []
    for kind, words in ONLOAD_TERMS.items():
        assert any(c["kind"] == kind and words in c["text"] and c["source_url"] == start for c in clauses), (kind, clauses)

    assert len([e for e in browser["evidence"] if e["kind"] == "agreement"]) == 1, browser["evidence"]
    one_shot(browser, target.out_dir, url=start, kind="agreement", words=("购买须知", "框内", "退款"))
    footer = [e for e in browser["evidence"] if e["kind"] == "footer"]
    print("footer evidence:", Path(target.out_dir) / footer[0]["path"])
    assert footer and "91330106MA2KQ7RX32" in footer[0]["caption"]
    assert "/notice/purchase.html" in state["visits"]
    _no_writes(state)


@pytest.mark.slow
def test_report_quotes_the_framed_agreement_with_its_screenshot(tmp_path):
    """End to end (crawl, browser stage, extractors, report.json / report.html): the blanket
    term is a flag, its clause names the start page, the report shows it and the layer's shot."""
    from cardshop_auditor.options import AuditOptions
    from cardshop_auditor.pipeline import Target, audit_shops

    with FixtureServer([NAME]) as srv:
        start = srv.url(NAME)
        result = audit_shops([Target(url=start, out_dir=tmp_path / NAME, id=NAME)],
                             AuditOptions(browser_time_budget=LOADED_MACHINE_BUDGET), log=lambda m: None)[0]
        _no_writes(srv.shops[NAME].state)
    report = result.report
    blanket = _clauses(report["findings"], "blanket_no_refund")
    assert blanket and all(c["source_url"] == start for c in blanket) and BLANKET in blanket[0]["text"]
    assert "blanket_no_refund" in report["risk"]["flags"] and "no_agreement" not in report["risk"]["flags"]
    shots = [e for e in report["evidence"] if e["kind"] == "agreement"]
    assert len(shots) == 1 and (tmp_path / NAME / shots[0]["path"]).is_file()
    page = (tmp_path / NAME / "report.html").read_text(encoding="utf-8")
    assert BLANKET in page and shots[0]["path"].rsplit("/", 1)[-1] in page


@pytest.mark.parametrize("lang,ours", [("zh", "《购买须知》（弹窗（框内页面））中的退款条款："),
                                       ("en", "Refund terms in “购买须知” (pop-up): ")])
def test_framed_terms_caption_is_ours(lang, ours):
    from cardshop_auditor.report.view import _caption
    from cardshop_auditor.report_templates import i18n

    caption = "《购买须知》（弹窗（框内页面））中的退款条款：二、退款与售后"
    assert _caption(caption, i18n.ui(lang)) == (ours, "二、退款与售后", True)
