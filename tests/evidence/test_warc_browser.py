"""The browser stage's part of the scan's WARC: Chromium's exchanges, the rendered pages
(conversion records whose bytes re-hash to the page sha256) and the screenshots (resource
records), with the login's secrets kept out.  One logged-in scan of a single-page shop."""
from __future__ import annotations

import gzip
import hashlib
from urllib.parse import quote, quote_plus, urlsplit

import pytest

from cardshop_auditor.evidence.warc import WarcArchive, warc_path
from cardshop_auditor.options import AuditOptions

pytestmark = pytest.mark.browser

SHOP, USER, PASSWORD = "login_json_token", "starriver", "Xh-2025-ok"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    from fixtures.server import FixtureServer
    from cardshop_auditor import secrets
    from cardshop_auditor.pipeline import Target, audit_shops

    out = tmp_path_factory.mktemp("warc-browser") / SHOP
    secrets.register_credentials(USER, PASSWORD)
    with FixtureServer([SHOP]) as srv:
        target = Target(url=srv.url(SHOP), out_dir=out, id=SHOP, username=USER, password=PASSWORD)
        [result] = audit_shops([target], AuditOptions(username=USER, password=PASSWORD), log=lambda m: None)
    return result, WarcArchive(warc_path(out))


def test_rendered_pages_and_browser_traffic_are_archived(scanned):
    result, archive = scanned
    rendered = [p for p in result.report["pages"] if p["fetched_with"] == "browser"]
    assert rendered, "the SPA was not rendered"
    for page in rendered:
        record = archive.by_id(page["warc"]["record_id"])
        assert record.type == "conversion" and record.target_uri == page["final_url"]
        assert archive.payload_sha256(record.id) == page["sha256"]
        source = archive.by_id(record.refers_to)           # the response it was rendered from
        assert source.type == "response" and source.target_uri == record.target_uri
    browser_api = [r for r in archive.records if r.type == "response" and "/api/" in r.target_uri]
    assert {"/api/config", "/api/orders"} <= {urlsplit(r.target_uri).path for r in browser_api}
    orders = next(r for r in browser_api if r.target_uri.endswith("/api/orders"))
    assert b'"orders"' in archive.payload(orders.id)     # read while its page was still loaded


def test_screenshots_are_resource_records(scanned):
    result, archive = scanned
    shots = result.report["evidence"]
    assert shots
    for shot in shots:
        record = archive.by_id(shot["warc"]["record_id"])
        assert record.type == "resource" and record.target_uri == "urn:cardshop-audit:" + shot["path"]
        data = archive.payload(record.id)
        assert hashlib.sha256(data).hexdigest() == shot["sha256"]
        assert data == (result.target.out_dir / shot["path"]).read_bytes()


def test_login_secrets_are_not_in_the_warc(scanned):
    result, archive = scanned
    raw = gzip.open(warc_path(result.target.out_dir)).read()
    for form in (PASSWORD, quote(PASSWORD), quote_plus(PASSWORD)):
        assert form.encode() not in raw
    login = [r for r in archive.records if r.target_uri.endswith("/api/login")]
    request = next(r for r in login if r.type == "request")
    response = next(r for r in login if r.type == "response")
    assert "request-body" in request.redacted and b"***" in archive.payload(request.id)
    assert response.redacted == "response-body"          # the token the shop issued
    authorised = [r for r in archive.records if r.type == "request" and r.redacted == "headers"]
    assert authorised
    for record in authorised:
        for name, value in archive.http_headers(record.id):
            if name.lower() in ("cookie", "authorization"):
                assert "[redacted]" in value
