"""The optional shop account on the web page: the logged-in refund search finds the entry,
and the account is never stored, never shown back, never listed, never reused."""
from __future__ import annotations

import json

import pytest

from fixtures.server import load_labels
from tests.web.webapp import WebServer

pytestmark = pytest.mark.browser
SHOP = "login_form_cookie"


def test_logged_in_search_keeps_the_account_secret(tmp_path, fixture_server):
    account = load_labels(SHOP)["credentials"]
    with WebServer(tmp_path, slots=1, browser="auto") as web:
        status, body = web.call("POST", "/api/scans", {"url": fixture_server.url(SHOP), **account})
        assert status == 202 and account["password"] not in json.dumps(body)
        assert web.wait_done(body["id"], timeout=400)["state"] == "done"
        status, result = web.call("GET", f"/api/scans/{body['id']}/result")
        assert status == 200
        where = result["guide"]["where"]
        expected = load_labels(SHOP)["refund_entry_with_login"]
        assert where["kind"] == "entry" and where["requires_login"] and where["clicks"] == expected["clicks"]
        # neither the answer, the page, the report nor the database row holds the password
        page = web.get_text(f"/r/{body['id']}/")
        for text in (json.dumps(result, ensure_ascii=False), page):
            assert account["password"] not in text and account["username"] not in text
        with (tmp_path / "history.db").open("rb") as db:
            assert account["password"].encode() not in db.read()
        # a result made with an account is private: not listed, not handed to the next visitor
        assert body["id"] not in web.get_text("/")
        status, again = web.call("POST", "/api/scans", {"url": fixture_server.url(SHOP)})
        assert status == 202 and again["id"] != body["id"] and not again["recent"]
        web.wait_done(again["id"], timeout=400)
