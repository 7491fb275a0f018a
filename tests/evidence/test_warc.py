"""The scan's WARC: every exchange archived, read back by warcio, and every page the report
cites traced to the record holding its bytes (issue 15, items 1).

One static scan of two fixture shops (the GBK 卡盟 and a UTF-8 one) shared by the folder
(conftest.py); the browser scan (a logged-in SPA) is in test_warc_browser.py."""
from __future__ import annotations

import hashlib
import io
import json
import re

import pytest
from warcio.archiveiterator import ArchiveIterator

from cardshop_auditor.evidence.warc import (Exchange, WarcArchive, WarcFile, exchange_records,
                                            warc_path)
from cardshop_auditor.options import AuditOptions

SHOPS = ["gbk_legacy_kameng", "dujiaoka_default"]


@pytest.fixture(scope="module")
def scanned(static_scan):
    return static_scan


def _records(path):
    with open(path, "rb") as fh:
        return [(r.rec_type, r.rec_headers, r.content_stream().read()) for r in ArchiveIterator(fh)]


@pytest.mark.parametrize("shop", SHOPS)
def test_warcio_reads_every_record_and_every_cited_page_is_there(scanned, shop):
    result = scanned[shop]
    path = warc_path(result.target.out_dir)
    records = _records(path)
    kinds = [kind for kind, _, _ in records]
    assert kinds[0] == "warcinfo"
    assert kinds.count("response") == kinds.count("request") >= 3
    uris = {h.get_header("WARC-Target-URI") for kind, h, _ in records if kind == "response"}
    assert any(u.endswith("/robots.txt") for u in uris), "robots.txt fetched but not archived"
    for kind, headers, _ in records:
        if kind in ("response", "request"):
            assert headers.get_header("WARC-IP-Address") == "127.0.0.1"
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", headers.get_header("WARC-Date"))
            assert headers.get_header("WARC-Payload-Digest").startswith("sha256:")

    report = result.report
    archive = WarcArchive(path)
    fetched = [p for p in report["pages"] if p["status"] == 200]
    assert fetched and report["warc"]["pages_archived"] == len(fetched)
    for page in fetched:
        ref = page["warc"]
        record = archive.by_id(ref["record_id"])
        assert record is not None and record.type == "response"
        assert record.target_uri == ref["target_uri"] == (page["final_url"] or page["url"])
        assert archive.payload_sha256(record.id) == page["sha256"], page["url"]

    cited = [e for c in report["checks"] for e in c["evidence"] if e.get("url")]
    assert cited, "the report quotes nothing"
    for item in cited:
        assert item["warc"]["target_uri"] == item["url"]
        assert archive.by_id(item["warc"]["record_id"]).type == "response"


def test_gbk_bytes_as_served_rehash_to_the_page_sha256(scanned):
    result = scanned["gbk_legacy_kameng"]
    report = result.report
    archive = WarcArchive(warc_path(result.target.out_dir))
    icp = report["findings"]["icp"]
    body = archive.payload(icp["warc"]["record_id"])
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")                     # the raw bytes, not the decoded text
    assert icp["number"] in body.decode("gb18030")
    home = next(p for p in report["pages"] if p["warc"]["record_id"] == icp["warc"]["record_id"])
    assert hashlib.sha256(body).hexdigest() == home["sha256"]
    headers = dict(archive.http_headers(icp["warc"]["record_id"]))
    assert "gb" in headers.get("Content-Type", "").lower() or b"charset=gb" in body[:2048].lower()


def test_every_quoted_sentence_is_in_its_record(scanned):
    """What the report quotes is found again in the bytes of the record it points at."""
    for result in scanned.values():
        archive = WarcArchive(warc_path(result.target.out_dir))
        pages = {p["warc"]["record_id"]: p for p in result.report["pages"] if p.get("warc")}
        clauses = (result.report["findings"].get("agreement") or {}).get("clauses") or []
        assert clauses, result.target.id
        for clause in clauses:
            record_id = clause["warc"]["record_id"]
            encoding = pages[record_id].get("encoding") or "utf-8"
            text = re.sub(r"<[^>]+>|\s+", "", archive.payload(record_id).decode(encoding, "replace"))
            assert re.sub(r"\s+", "", clause["text"])[:20] in text, clause["text"]


def test_report_json_on_disk_carries_the_references(scanned):
    result = scanned["dujiaoka_default"]
    on_disk = json.loads((result.target.out_dir / "report.json").read_text("utf-8"))
    assert on_disk["warc"]["path"] == "evidence/scan.warc.gz"
    assert all(re.fullmatch(r"<urn:uuid:[0-9a-f-]{36}>", p["warc"]["record_id"])
               for p in on_disk["pages"] if p["status"] == 200)


def test_secrets_never_reach_the_archive(tmp_path):
    """Cookies and authorization are redacted, a body holding the password is masked, and
    each such record says so."""
    from cardshop_auditor import secrets

    secrets.register("Hu8-kameng-2025", "password")
    login = Exchange(url="http://127.0.0.1:9/login", method="POST",
                     request_headers=[("Cookie", "PHPSESSID=abc123; cart=7"), ("Authorization", "Bearer tok-9")],
                     request_body=b"user=kameng&pwd=Hu8-kameng-2025", status=302,
                     response_headers=[("Set-Cookie", "PHPSESSID=def456; Path=/; HttpOnly"),
                                       ("Transfer-Encoding", "chunked")],
                     body=b"", ip="127.0.0.1")
    record_id, records = exchange_records(login)
    path = tmp_path / "scan.warc.gz"
    WarcFile(path, fresh=True).append(records)
    import gzip
    raw = gzip.open(path).read()
    for leaked in (b"Hu8-kameng-2025", b"abc123", b"def456", b"tok-9"):
        assert leaked not in raw
    archive = WarcArchive(path)
    response = archive.by_id(record_id)
    assert response.redacted == "headers"
    request = next(r for r in archive.records if r.type == "request")
    assert request.redacted == "headers, request-body"
    assert archive.payload(request.id) == b"user=kameng&pwd=***"
    headers = dict(archive.http_headers(record_id))
    assert headers["Set-Cookie"] == "PHPSESSID=[redacted]; Path=/; HttpOnly"
    assert headers["X-Archive-Orig-Transfer-Encoding"] == "chunked"      # the body is not chunked


def test_records_append_as_gzip_members_and_each_can_be_read_alone(tmp_path):
    path = tmp_path / "scan.warc.gz"
    ids = []
    for n in range(3):
        rid, records = exchange_records(Exchange(
            url=f"http://127.0.0.1:9/p{n}", method="GET", request_headers=[], request_body=b"",
            status=200, response_headers=[("Content-Type", "text/html; charset=gbk")],
            body=f"第{n}页".encode("gbk"), ip="127.0.0.1"))
        WarcFile(path, fresh=(n == 0)).append(records)
        ids.append(rid)
    archive = WarcArchive(path)
    assert [r.type for r in archive.records] == ["warcinfo"] + ["response", "request"] * 3
    with open(path, "rb") as fh:
        for n, rid in enumerate(ids):
            info = archive.by_id(rid)
            fh.seek(info.offset)
            member = fh.read(info.length)
            record = next(iter(ArchiveIterator(io.BytesIO(member))))
            assert record.content_stream().read().decode("gbk") == f"第{n}页"


def test_a_gzip_page_is_archived_as_served_and_rehashes_decoded(tmp_path):
    """The payload keeps the Content-Encoding the shop used (gzip on the wire); with it
    removed (warcio's content_stream) it re-hashes to the page sha256."""
    import gzip
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from cardshop_auditor.pipeline import scan

    page = ("<html><head><meta charset='gbk'><title>星辰卡铺</title></head><body><p>虚拟商品一经售出，"
            "如卡密未提取可申请全额退款。</p><footer>湘ICP备12345678号-2</footer></body></html>").encode("gbk")
    squeezed = gzip.compress(page)

    class Shop(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path != "/":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=gbk")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(squeezed)))
            self.end_headers()
            self.wfile.write(squeezed)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Shop)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = scan(f"http://127.0.0.1:{server.server_port}/", AuditOptions(browser="never", max_pages=3),
                      out_dir=tmp_path / "out", log=lambda m: None)
    finally:
        server.shutdown()
        server.server_close()
    home = next(p for p in result.report["pages"] if p["url"].endswith(":%d/" % server.server_port))
    archive = WarcArchive(warc_path(tmp_path / "out"))
    record_id = home["warc"]["record_id"]
    assert archive.payload(record_id, decoded=False) == squeezed
    assert dict(archive.http_headers(record_id))["Content-Encoding"] == "gzip"
    assert archive.payload(record_id) == page
    assert hashlib.sha256(page).hexdigest() == home["sha256"] == archive.payload_sha256(record_id)
