"""Refund-entry discovery on every browser fixture: exact click count, steps, overflow
menu, login; nothing destructive ever called; evidence on disk with matching sha256."""
from __future__ import annotations

import hashlib

import pytest

from fixtures.server import load_labels
from tests.browser.conftest import hits

pytestmark = pytest.mark.browser

LOGGED_IN = ["login_form_cookie", "login_more_dropdown", "login_json_token", "refund_in_order_list"]


def credentials(name: str) -> dict:
    creds = load_labels(name)["credentials"]
    return {"username": creds["username"], "password": creds["password"]}


def expected_entry(name: str) -> dict:
    """labels.json: "refund_entry" is what an audit without credentials finds,
    "refund_entry_with_login" what the logged-in search must find."""
    labels = load_labels(name)
    return labels.get("refund_entry_with_login") or labels["refund_entry"]


def check_entry(entry: dict, expected: dict) -> None:
    assert entry is not None, "refund entry not searched"
    assert entry["found"] is True, entry.get("reason")
    assert entry["evaluated"] is True and entry["method"] == "browser"
    assert entry["clicks"] == expected["clicks"], entry["steps"]
    assert entry["clicks"] == len(entry["steps"])
    if expected.get("steps"):
        assert entry["steps"] == expected["steps"]
    assert entry["requires_login"] == expected["requires_login"]
    assert entry["in_overflow_menu"] == bool(expected.get("in_overflow_menu", False))
    if expected.get("url_pattern"):
        assert expected["url_pattern"] in (entry["url"] or "")


def check_evidence(browser: dict, target) -> None:
    entry = browser["refund_entry"]
    kinds = [e["kind"] for e in browser["evidence"]]
    assert entry["screenshot"] and entry["screenshot"].startswith("evidence/")
    assert kinds.count("refund_entry") == 1
    assert kinds.count("refund_step") == entry["clicks"] - 1
    assert "footer" in kinds
    for item in browser["evidence"]:
        data = (target.out_dir / item["path"]).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert hashlib.sha256(data).hexdigest() == item["sha256"]
        assert item["caption"]


@pytest.mark.parametrize("name", LOGGED_IN + ["compliant_platform"])
def test_logged_in_discovery(run_stage, shops, timings, name):
    artifacts, target = run_stage(name, **credentials(name))
    b = artifacts.meta.browser
    assert b["login"]["attempted"] and b["login"]["ok"] is True, b["login"]
    check_entry(b["refund_entry"], expected_entry(name))
    check_evidence(b, target)
    assert not b["errors"], b["errors"]
    assert b["blocked_requests"] == {}
    assert hits(shops, name) == [], "a destructive endpoint was called"
    t = b["timings"]
    search = t.get("login", 0) + t.get("search", 0)
    timings.append((name, search, b["seconds"], t))
    print(f"[browser-timing] {name}: login+search {search:.2f}s, stage {b['seconds']:.2f}s, {t}")


def test_overflow_menu_is_hidden(run_stage, shops):
    artifacts, _ = run_stage("login_more_dropdown", tag="-hidden", **credentials("login_more_dropdown"))
    entry = artifacts.meta.browser["refund_entry"]
    assert entry["in_overflow_menu"] is True and entry["clicks"] == 4
    assert entry["steps"][-2] == "更多"


def test_json_login_method(run_stage):
    artifacts, _ = run_stage("login_json_token", tag="-method", **credentials("login_json_token"))
    login = artifacts.meta.browser["login"]
    assert login["method"] == "json" and "token" in login["reason"]


def test_public_order_query(run_stage, shops):
    labels = load_labels("order_query_public")
    artifacts, target = run_stage("order_query_public", order_no=labels["order_no"])
    b = artifacts.meta.browser
    check_entry(b["refund_entry"], labels["refund_entry_with_order_no"])
    check_evidence(b, target)
    assert hits(shops, "order_query_public") == []


def test_order_query_without_the_number_finds_nothing(run_stage):
    artifacts, _ = run_stage("order_query_public", tag="-nono")
    assert artifacts.meta.browser["refund_entry"] is None        # the static result stands


def test_spa_public_entry(run_stage, shops):
    labels = load_labels("spa_footer_api")
    artifacts, target = run_stage("spa_footer_api")
    b = artifacts.meta.browser
    check_entry(b["refund_entry"], labels["refund_entry"])
    rendered = [p for p in artifacts.pages if p.fetched_with == "browser"]
    paths = {p.final_url.rsplit("/", 1)[-1] for p in rendered}
    assert {"", "agreement", "contact", "aftersale"} <= paths
    assert artifacts.start_page.fetched_with == "browser"
    assert "闽ICP备2022027416号-1" in artifacts.start_page.html
    assert hits(shops, "spa_footer_api") == []


def test_modal_agreement_is_captured(run_stage):
    artifacts, _ = run_stage("agreement_modal_js")
    b = artifacts.meta.browser
    modal_pages = [p for p in artifacts.pages if p.fetched_with == "browser" and p.link_text]
    assert any("协议" in p.link_text and "卡密已提取的商品，一律不予退款" in p.html for p in modal_pages)
    agreement = [e for e in b["evidence"] if e["kind"] == "agreement"]
    assert agreement and "用户协议" in agreement[0]["caption"]
    assert b["refund_entry"] is None       # nothing to click: the page-based verdict stands


@pytest.mark.parametrize("name", LOGGED_IN)
def test_without_credentials_not_searched(run_stage, shops, name):
    artifacts, _ = run_stage(name, tag="-anon")
    b = artifacts.meta.browser
    assert b["refund_entry"] is None
    assert "no credentials" in b["login"]["reason"]
    assert hits(shops, name) == []
