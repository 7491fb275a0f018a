"""The JSON API of `cardshop-audit serve` on a real app with the in-process engine: submit,
status, result (with the refund guide), the recent result, refusals, OpenAPI, headers."""
from __future__ import annotations

import pytest

from tests.web.webapp import WebServer, closed_port

SHOP = "hidden_refund_menu"


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    with WebServer(tmp_path_factory.mktemp("webapi")) as server:
        yield server


@pytest.fixture(scope="module")
def shop_url(fixture_server):
    return fixture_server.url(SHOP)


@pytest.fixture(scope="module")
def first_scan(web, shop_url):
    status, body = web.call("POST", "/api/scans", {"url": f"【店铺】{shop_url}?utm_source=wechat&from=timeline 。"})
    assert status == 202, body
    assert body["state"] in ("queued", "running") and body["status_url"] == f"/api/scans/{body['id']}"
    return body["id"], web.wait_done(body["id"])


def test_submit_status_and_result_with_guide(web, first_scan, shop_url):
    token, done = first_scan
    assert done["state"] == "done" and done["result_url"] == f"/r/{token}/"
    assert done["stages"] == {"fetch": "done", "browser": "skipped", "refund": "done", "judge": "done"}
    status, result = web.call("GET", f"/api/scans/{token}/result")
    assert status == 200
    assert result["url"] == shop_url                      # tracking parameters and chat text gone
    assert result["risk_level"] == "medium" and "refund_entry_hidden" in result["flags"]
    where = result["guide"]["where"]
    assert where["kind"] == "entry" and where["clicks"] == 4 and where["in_overflow"]
    assert result["report"]["schema_version"] == 1


def test_same_site_again_gives_the_recent_result(web, first_scan, shop_url):
    token, _ = first_scan
    status, body = web.call("POST", "/api/scans", {"url": shop_url.replace("/m/", "/")})
    assert status == 200 and body["recent"] is True and body["id"] == token
    assert body["age_seconds"] >= 0
    status, body = web.call("POST", "/api/scans", {"url": shop_url, "force": True})
    assert status == 202 and body["id"] != token
    assert web.wait_done(body["id"])["state"] == "done"


@pytest.mark.parametrize("pasted, code", [
    ("", "empty"),
    ("这家店怎么样", "not_url"),
    ("javascript:alert(document.cookie)", "javascript"),
    ("file:///etc/passwd", "scheme"),
    ("http://127.0.0.1:{port}/download/app.apk", "binary"),
    ("http://127.0.0.2:{port}/", "outside"),
    ("http://127.0.0.1:{closed}/", "unreachable"),
])
def test_refusals_are_clear(web, fixture_server, pasted, code):
    port = fixture_server.port(SHOP)
    status, body = web.call("POST", "/api/scans", {"url": pasted.format(port=port, closed=closed_port())})
    assert status == 400 and body["error"] == code
    assert body["message"] and "Traceback" not in body["message"]


def test_password_is_never_echoed(web, shop_url):
    secret = "hunter2-very-secret"
    status, body = web.call("POST", "/api/scans", {"url": shop_url, "username": "buyer01", "password": secret * 20})
    assert status == 422 and secret not in str(body)
    status, body = web.call("POST", "/api/scans", {"url": "javascript:1", "username": "buyer01", "password": secret})
    assert status == 400 and secret not in str(body)


def test_openapi_and_headers(web):
    import urllib.request
    with urllib.request.urlopen(web.url + "/api/openapi.json", timeout=30) as response:
        csp = response.headers["Content-Security-Policy"]
        doc = __import__("json").loads(response.read())
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert {"/api/scans", "/api/scans/{token}", "/api/scans/{token}/result"} <= set(doc["paths"])
    status, body = web.call("GET", "/api/scans/AAAAAAAAAAAAAAAA")
    assert status == 404 and body["error"] == "not_found"


def test_a_name_that_does_not_resolve(monkeypatch):
    """No DNS query leaves the machine in tests: the lookup itself fails here."""
    import socket

    from cardshop_auditor import netpolicy
    from cardshop_auditor.web.inputs import InputRefused, check_address

    def no_such_name(host, timeout):
        raise socket.gaierror(-2, "Name or service not known")
    monkeypatch.setattr(netpolicy, "_getaddrinfo", no_such_name)
    with pytest.raises(InputRefused) as refused:
        check_address("http://shop-gone.example.cn/", ["127.0.0.1/32"])
    assert refused.value.code == "unresolvable" and refused.value.detail == "shop-gone.example.cn"


def test_a_scan_is_pinned_to_the_addresses_checked_at_submission(monkeypatch):
    """The crawl child (CARDSHOP_HOST_RESOLVER_RULES) and this process's resolver get the
    addresses the submission was checked at: a DNS answer changed since (rebinding to
    127.0.0.1 or the LAN) is never asked for."""
    import os

    from cardshop_auditor import netpolicy
    from cardshop_auditor.web.engine import AddressPins

    monkeypatch.setenv(netpolicy.RULES_ENV, "MAP operator.example.cn 127.0.0.1")
    netpolicy.reset_resolver()
    pins = AddressPins()
    try:
        with pins.pinned("job-a", "http://shop-a.example.cn:8080/m/", ("127.0.0.1",)):
            with pins.pinned("job-b", "http://127.0.0.1:9000/", ("127.0.0.1",)):     # a literal: nothing to pin
                rules = os.environ[netpolicy.RULES_ENV]
                assert netpolicy.parse_rules(rules) == {"operator.example.cn": ("127.0.0.1",),
                                                        "shop-a.example.cn": ("127.0.0.1",)}
            assert netpolicy.resolver().pinned("shop-a.example.cn") == ("127.0.0.1",)
        assert os.environ[netpolicy.RULES_ENV] == "MAP operator.example.cn 127.0.0.1"
    finally:
        netpolicy.reset_resolver()


def test_rate_limit_per_client_and_headers_on_pages(tmp_path):
    """Two submissions a minute for this client: the third is told when to come back.
    (Refused input still counts: the limit is on submitting, before any check.)"""
    import urllib.request

    from cardshop_auditor.web.jobs import RateLimiter

    with WebServer(tmp_path, slots=1, per_minute=2) as small:
        answers = [small.call("POST", "/api/scans", {"url": "not a shop", "lang": "en"}) for _ in range(3)]
        assert [status for status, _ in answers] == [400, 400, 429]
        assert answers[2][1]["error"] == "rate" and "try again in" in answers[2][1]["message"]
        with urllib.request.urlopen(small.url + "/", timeout=30) as response:
            assert "script-src 'self'" in response.headers["Content-Security-Policy"]
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
            assert response.headers["X-Content-Type-Options"] == "nosniff"
    limiter = RateLimiter(per_minute=6, burst=2)
    assert [limiter.allow("a", now=0.0)[0] for _ in range(3)] == [True, True, False]
    assert limiter.allow("b", now=0.0)[0]                     # another client has its own bucket
    assert limiter.allow("a", now=10.0)[0]                    # one more after 10 s (6 a minute)


def test_every_token_is_a_shop_id_the_workers_accept():
    """serve --broker hands a scan to the workers under its token: a token the task check
    refuses (one in 32 began with - or _) was dead-lettered and its page waited forever."""
    from cardshop_auditor.queue_tasks import ID_PATTERN
    from cardshop_auditor.web.jobs import new_token

    tokens = [new_token() for _ in range(5000)]
    assert all(ID_PATTERN.fullmatch(t) for t in tokens)
    assert len(set(tokens)) == len(tokens) and {len(t) for t in tokens} == {16}
