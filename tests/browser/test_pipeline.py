"""End to end through the real pipeline (Scrapy crawl, browser stage, extractors, checks):
the JS shop gives the same findings as its static twin; hidden refund entries are flagged."""
from __future__ import annotations

import hashlib

import pytest

from cardshop_auditor.options import AuditOptions
from cardshop_auditor.pipeline import Target, audit_shops
from fixtures.server import FixtureServer, load_labels

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _audit(names, tmp_path, **options):
    with FixtureServer(names) as srv:
        targets = []
        for n in names:
            creds = load_labels(n).get("credentials") or {}
            targets.append(Target(url=srv.url(n), out_dir=tmp_path / n, id=n,
                                  username=creds.get("username"), password=creds.get("password")))
        results = audit_shops(targets, AuditOptions(**options), log=lambda m: None)
        hit = {n: list(srv.shops[n].state.get("hits") or []) for n in names}
    return {r.target.id: r for r in results}, hit


def _kinds(findings):
    return sorted({c["kind"] for c in (findings["agreement"] or {}).get("clauses") or []})


def test_js_shop_equals_its_static_twin(tmp_path):
    results, hit = _audit(["spa_footer_api", "spa_footer_api_twin"], tmp_path)
    js, static = results["spa_footer_api"].report, results["spa_footer_api_twin"].report
    fj, fs = js["findings"], static["findings"]
    assert any(p["fetched_with"] == "browser" for p in js["pages"])
    assert not any(p["fetched_with"] == "browser" for p in static["pages"])
    for key in ("icp", "icp_license", "psb_filing"):
        assert (fj[key] or {}).get("number") == (fs[key] or {}).get("number"), key
    assert fj["icp"]["number"] == load_labels("spa_footer_api")["icp"]
    assert fj["icp"]["in_footer"] == fs["icp"]["in_footer"] is True
    assert (fj["business"]["uscc"], fj["business"]["uscc_valid"], fj["business"]["company_name"]) == \
        (fs["business"]["uscc"], fs["business"]["uscc_valid"], fs["business"]["company_name"])
    assert _kinds(fj) == _kinds(fs) == sorted(load_labels("spa_footer_api")["clause_kinds"])
    assert (fj["refund_entry"]["found"], fj["refund_entry"]["clicks"]) == \
        (fs["refund_entry"]["found"], fs["refund_entry"]["clicks"]) == (True, 1)
    assert js["risk"]["level"] == static["risk"]["level"]
    assert sorted(js["risk"]["flags"]) == sorted(static["risk"]["flags"])
    assert hit == {"spa_footer_api": [], "spa_footer_api_twin": []}


def test_hidden_entry_flagged_with_evidence(tmp_path):
    results, hit = _audit(["login_more_dropdown"], tmp_path)
    r = results["login_more_dropdown"]
    entry = r.report["findings"]["refund_entry"]
    assert entry["found"] and entry["clicks"] == 4 and entry["in_overflow_menu"] is True
    assert "refund_entry_hidden" in r.report["risk"]["flags"]
    for item in r.report.get("evidence") or (r.report.get("artifacts") or {}).get("evidence") or []:
        data = (r.target.out_dir / item["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == item["sha256"]
    shot = r.target.out_dir / entry["screenshot"]
    assert shot.is_file() and shot.stat().st_size > 5000
    assert hit["login_more_dropdown"] == []


def test_order_query_end_to_end(tmp_path):
    labels = load_labels("order_query_public")
    results, hit = _audit(["order_query_public"], tmp_path, order_no=labels["order_no"])
    entry = results["order_query_public"].report["findings"]["refund_entry"]
    assert entry["found"] and entry["clicks"] == 3 and entry["requires_login"] is False
    assert "refund_entry_missing" not in results["order_query_public"].report["risk"]["flags"]
    assert hit["order_query_public"] == []
