"""Goods routes of a hash-routed single-page app past the walk's cap
(``auditor/browser/late_goods.py``), on the fixture shop reach_spa_late_goods in a real
Chromium: a kamiFaka-style Vue SPA whose sixteen goods are ``#/<id>/detail`` routes; only
the 13th (骏网一卡通, ``#/18/detail``) says 一经售出概不退换 in its description.  A route has
no HTML of its own (fetched, it is the app shell), so it is peeked at by switching the app
to it in place and reading the rendered DOM."""
from __future__ import annotations

import pytest

from cardshop_auditor.extract import extract_findings
from tests.browser.conftest import LOADED_MACHINE_BUDGET, one_shot

pytestmark = pytest.mark.browser

NAME = "reach_spa_late_goods"
TERM = "本商品一经售出概不退换"
IDS = [1, 2, 3, 5, 6, 8, 9, 10, 12, 13, 14, 15, 17, 18, 20, 21]


def test_term_on_one_goods_route_past_the_cap_is_found_cited_and_photographed(shops, run_stage):
    state = shops.shops[NAME].state
    state.clear()
    artifacts, target = run_stage(NAME, tag="-late", browser_time_budget=LOADED_MACHINE_BUDGET)
    browser = artifacts.meta.browser
    reach = browser["reach"]
    route = shops.url(NAME) + "#/18/detail"

    clauses = (extract_findings(artifacts).get("agreement") or {}).get("clauses") or []
    blanket = [c for c in clauses if c["kind"] == "blanket_no_refund"]
    assert blanket and {c["source_url"] for c in blanket} == {route}, reach
    assert TERM in blanket[0]["text"]
    # neither read nor glanced at by the walk: met by a route peek, captured as it stood
    assert route not in reach["glanced"] and reach["routes_peeked"] >= 1, reach
    # every goods route looked at once: its view drawn from the API (the 13th not drawn twice)
    details = [v for v in state.get("visits") or [] if v.startswith("/api/v2/detail/")]
    assert sorted(details, key=lambda v: int(v.rsplit("/", 1)[1])) == [f"/api/v2/detail/{i}" for i in IDS], details
    # a route is never loaded as a page of its own: the shell was requested by the static
    # fetch and by the browser, once each
    assert (state.get("visits") or []).count("/") == 2

    one_shot(browser, target.out_dir, url=route, words=(TERM,))
    assert not state.get("hits"), state.get("hits")


HISTORY = "reach_spa_history_goods"


def test_term_on_one_history_route_past_the_cap_is_found(shops, run_stage):
    """A Vue app with history routes: every goods path answers the same app shell, so a
    fetch peek sees no words (and says it was a shell); the route is then drawn in place
    (pushState + popstate) and its view read.  The term's goods page is never loaded."""
    state = shops.shops[HISTORY].state
    state.clear()
    artifacts, target = run_stage(HISTORY, tag="-history", browser_time_budget=LOADED_MACHINE_BUDGET)
    browser = artifacts.meta.browser
    reach = browser["reach"]
    page = shops.url(HISTORY) + "item/113"
    clauses = (extract_findings(artifacts).get("agreement") or {}).get("clauses") or []
    blanket = [c for c in clauses if c["kind"] == "blanket_no_refund"]
    assert blanket and {c["source_url"] for c in blanket} == {page}, reach
    assert "一经售出概不退换" in blanket[0]["text"]
    assert page not in reach["glanced"] and reach["routes_peeked"] >= 1, reach
    # every goods view drawn once from the API; the term's page fetched once (the peek: a shell)
    details = [v for v in state.get("visits") or [] if v.startswith("/api/shop/goods/")]
    assert sorted(details) == [f"/api/shop/goods/{i}" for i in range(101, 117)], details
    assert (state.get("visits") or []).count("/item/113") == 1
    one_shot(browser, target.out_dir, url=page, words=("一经售出概不退换",))
    assert not state.get("hits"), state.get("hits")


@pytest.mark.parametrize("lang,ours", [("zh", "商品页上的条款："), ("en", "A term on a goods page: ")])
def test_goods_term_caption_is_ours_and_the_sentence_is_the_shops(lang, ours):
    from cardshop_auditor.report.view import _caption
    from cardshop_auditor.report_templates import i18n

    assert _caption("商品页上的条款：" + TERM, i18n.ui(lang)) == (ours, TERM, True)


@pytest.mark.slow
def test_report_quotes_the_route_term_and_the_framed_notice_with_their_screenshots(tmp_path):
    """End to end (crawl, browser stage, extractors, checks, report.json / report.html) on
    the shops of this round: the verdict is the labelled one; each SPA's blanket term names
    its goods route and its screenshot is on the report page; the notice framed in the modal
    opened on load is the shop's agreement, quoted from the start page."""
    import json

    from cardshop_auditor.options import AuditOptions
    from cardshop_auditor.pipeline import Target, audit_shops
    from fixtures.server import SHOPS_DIR, FixtureServer

    names = [NAME, HISTORY, "notice_iframe_modal"]
    with FixtureServer(names) as srv:
        starts = {n: srv.url(n) for n in names}
        results = {r.target.id: r for r in audit_shops([Target(url=starts[n], out_dir=tmp_path / n, id=n) for n in names],
                                                       AuditOptions(browser_time_budget=LOADED_MACHINE_BUDGET),
                                                       log=lambda m: None)}
        hits = {n: srv.shops[n].state.get("hits") for n in names}
    assert not any(hits.values()), hits
    for name in names:
        report = results[name].report
        labels = json.loads((SHOPS_DIR / name / "labels.json").read_text(encoding="utf-8"))
        assert report["risk"]["level"] == labels["risk_level"], (name, report["risk"]["flags"])
        assert set(labels["flags"]) <= set(report["risk"]["flags"]), (name, report["risk"]["flags"])
        assert report["findings"]["agreement"]["url"] and "no_agreement" not in report["risk"]["flags"], name

    for name, route, term in ((NAME, starts[NAME] + "#/18/detail", TERM),
                              (HISTORY, starts[HISTORY] + "item/113", "一经售出概不退换")):
        report = results[name].report
        blanket = [c for c in report["findings"]["agreement"]["clauses"] if c["kind"] == "blanket_no_refund"]
        assert blanket and {c["source_url"] for c in blanket} == {route} and term in blanket[0]["text"], name
        shot = [e for e in report["evidence"] if e["url"] == route]
        assert len(shot) == 1 and (tmp_path / name / shot[0]["path"]).is_file(), name
        page = (tmp_path / name / "report.html").read_text(encoding="utf-8")
        assert term in page and route in page and shot[0]["path"].rsplit("/", 1)[-1] in page, name

    notice = results["notice_iframe_modal"].report
    clauses = notice["findings"]["agreement"]["clauses"]
    assert clauses and all(c["source_url"] == starts["notice_iframe_modal"] for c in clauses)
    shot = [e for e in notice["evidence"] if e["kind"] == "agreement"]
    assert len(shot) == 1 and (tmp_path / "notice_iframe_modal" / shot[0]["path"]).is_file()
