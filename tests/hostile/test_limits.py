"""The crawl's limits one by one: the pieces (sniffing, decoding, Retry-After, URL shapes,
anchors, torn artifacts) and the static crawl itself against hostile servers, checking
what the artifacts keep (truncated pages marked, bombs refused, memory and time bounded).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cardshop_auditor.artifacts import Page, ShopArtifacts, read_pages
from cardshop_auditor.gather import crawl_static
from cardshop_auditor.options import AuditOptions
from fixtures.hostile.server import HostileServer
from cardshop_auditor.spiders.encoding import decode_body, sniff_binary
from cardshop_auditor.spiders.links import extract_anchors
from cardshop_auditor.spiders.middlewares import parse_retry_after
from cardshop_auditor.spiders.shop import url_shape

REPO = Path(__file__).resolve().parents[2]
FAST = dict(timeout=3, shop_time_budget=10)


# ---------------------------------------------------------------- pieces

def test_sniff_binary():
    assert sniff_binary(b"\x89PNG\r\n\x1a\n" + b"\0" * 100) == "png"
    assert sniff_binary(b"  \r\nPK\x03\x04rest") == "zip"
    assert sniff_binary(bytes(range(256)) * 20) == "binary"
    page = "<html><body>京ICP备12345678号</body></html>".encode()
    assert sniff_binary(page) is None
    assert sniff_binary(page[:20] + b"\0" + page[20:]) is None            # a stray NUL stays text
    assert sniff_binary("<html>中文</html>".encode("utf-16")) is None       # BOM: text full of NULs
    assert sniff_binary(b"MZ<html>not an exe</html>") is None


@pytest.mark.parametrize("body, label, want", [
    ("<p>京ICP备12345678号 用户协议</p>".encode("gbk"), "text/html; charset=utf-8", "gb18030"),
    ("<p>京ICP备12345678号 用户协议</p>".encode("utf-8"), "text/html; charset=gbk", "utf-8"),
    ("<p>京ICP备12345678号 用户协议</p>".encode("utf-8"), "text/html; charset=utf-99", "utf-8"),
    ("<meta charset=gb2312><p>京ICP备12345678号 用户协议</p>".encode("gbk"), "text/html", "gb18030"),
])
def test_mislabelled_encodings_decode_right(body, label, want):
    text, encoding = decode_body(body, label)
    assert "京ICP备12345678号 用户协议" in text
    assert encoding == want


def test_invalid_bytes_decode_without_error():
    text, _ = decode_body(b"<p>ok</p>\xff\xfe\xc0\xaf\xed\xa0\x80\x00 end", "text/html; charset=utf-8")
    assert "ok" in text and "end" in text


def test_retry_after():
    assert parse_retry_after(b"2") == 2.0
    assert parse_retry_after(b"  120 ") == 120.0
    soon = datetime.now(timezone.utc) + timedelta(seconds=30)
    assert 25 <= parse_retry_after(format_datetime(soon, usegmt=True).encode()) <= 31
    assert parse_retry_after(b"Wed, 21 Oct 2015 07:28:00 GMT") == 0.0      # in the past
    assert parse_retry_after(b"soon") is None and parse_retry_after(None) is None


def test_url_shape_groups_traps():
    assert url_shape("http://a/cal?d=17&slot=3") == url_shape("http://a/cal?slot=9&d=18")
    assert url_shape("http://a/p/1.html") == url_shape("http://a/p/20931.html")
    assert url_shape("http://a/agreement.html") != url_shape("http://a/about.html")


def test_anchors_footer_after_a_link_flood():
    links = "".join(f'<a href="/p/{i}.html">商品{i}</a>' for i in range(20000))
    html = f'<html><body>{links}<footer><a href="/agreement.html">用户协议</a></footer></body></html>'
    started = time.monotonic()
    anchors = extract_anchors(html, body_limit=1000, footer_limit=200)
    assert time.monotonic() - started < 2
    assert ("/agreement.html", "用户协议", True) in anchors
    assert len(anchors) <= 1201


def test_anchors_survive_deep_nesting():
    html = "<html><body>" + "<div>" * 100_000 + '<footer><a href="/terms.html">服务条款</a></footer>'
    anchors = extract_anchors(html)
    assert ("/terms.html", "服务条款", True) in anchors


def test_torn_last_line_is_skipped(tmp_path):
    good = json.dumps(Page(url="http://a/", final_url="http://a/", status=200, html="中文页面").to_json(),
                      ensure_ascii=False)
    path = tmp_path / "pages.jsonl"
    for torn in (good.encode()[:-9], good.encode()[: good.encode().index("中".encode()) + 1]):
        path.write_bytes((good + "\n" + good + "\n").encode() + torn)   # torn mid-JSON / mid-character
        pages = list(read_pages(path))
        assert [p.url for p in pages] == ["http://a/", "http://a/"]


# ---------------------------------------------------------------- the crawl against hostile servers

@pytest.fixture(scope="module")
def server():
    with HostileServer(["huge_single_line", "huge_content_length", "gzip_bomb", "brotli_bomb",
                        "silent", "slow_drip_subpages", "plain", "attachment_start"]) as srv:
        yield srv


def crawl(server, name: str, tmp_path: Path, **options) -> ShopArtifacts:
    shop = {"id": name, "url": server.url(name), "out_dir": str(tmp_path / name)}
    return crawl_static([shop], AuditOptions(**{**FAST, **options}))[name]


@pytest.mark.parametrize("name", ["huge_single_line", "huge_content_length"])
def test_big_page_is_kept_truncated_and_marked(server, tmp_path, name):
    artifacts = crawl(server, name, tmp_path, max_page_bytes=500_000)
    start = artifacts.start_page
    assert start.error is None and start.status == 200
    assert start.truncated is True
    assert 400_000 < len(start.html.encode("utf-8")) <= 500_000 + 4
    assert "京ICP备12345678号-1" in start.html          # the top of the page is there
    assert "max_page_bytes" in artifacts.meta.stats["limits_hit"]
    assert any("cut at the 500000-byte limit" in e for e in artifacts.meta.errors)


@pytest.mark.parametrize("name", ["gzip_bomb", "brotli_bomb"])
def test_decompression_bombs_are_refused(server, tmp_path, name):
    """~10 MB (gzip) / ~2 MB (brotli) on the wire, 10 GB of zeros decompressed: refused at
    max_decompressed_bytes, in seconds, without the memory ever holding more than that."""
    started = time.monotonic()
    artifacts = crawl(server, name, tmp_path, max_page_bytes=20_000_000, max_decompressed_bytes=4_000_000)
    assert time.monotonic() - started < 30
    start = artifacts.start_page
    assert start.error.startswith("decompression_limit"), start.error
    assert start.html == ""


def test_silent_server_costs_one_timeout_per_request(server, tmp_path):
    started = time.monotonic()
    artifacts = crawl(server, "silent", tmp_path, timeout=2)
    took = time.monotonic() - started
    assert artifacts.start_page.error.startswith("timeout")
    # robots.txt (2 s, not retried) + start page (2 s, not retried) + process start-up
    assert took < 15, took


def test_time_budget_bounds_a_slow_drip_shop(server, tmp_path):
    started = time.monotonic()
    artifacts = crawl(server, "slow_drip_subpages", tmp_path, timeout=5, shop_time_budget=6)
    took = time.monotonic() - started
    assert "shop_time_budget" in artifacts.meta.stats["limits_hit"]
    assert artifacts.meta.stats["seconds"] <= 6 + 1 + 1, artifacts.meta.stats   # budget + 1 s + slack
    assert took < 6 + 1 + 10, took
    assert any("time budget of 6 s spent" in e for e in artifacts.meta.errors)


def test_attachment_body_is_not_downloaded(server, tmp_path):
    artifacts = crawl(server, "attachment_start", tmp_path)
    start = artifacts.start_page
    assert start.error.startswith("not_html") and "attachment" in start.error
    assert artifacts.meta.stats["bytes"] < 100_000


def test_rerun_never_reads_the_previous_runs_artifacts(server, tmp_path):
    first = crawl(server, "plain", tmp_path)
    assert first.start_page.status == 200
    meta = tmp_path / "plain" / "artifacts" / "meta.json"
    stale = json.loads(meta.read_text("utf-8"))
    stale["target"] = "http://stale.invalid/"
    meta.write_text(json.dumps(stale), "utf-8")
    second = crawl(server, "plain", tmp_path)
    assert second.meta.target == server.url("plain")


def test_gather_kills_a_child_past_its_wall(server, tmp_path, monkeypatch):
    """A crawler child still busy at the hard wall is killed; what it streamed is kept."""
    import cardshop_auditor.gather as gather
    monkeypatch.setattr(gather, "hard_wall", lambda options, shops: 4.0)
    started = time.monotonic()
    artifacts = crawl(server, "silent", tmp_path, timeout=60, shop_time_budget=60)
    assert time.monotonic() - started < 10
    assert any("hard time limit" in e for e in artifacts.meta.errors), artifacts.meta.errors


def test_crawler_child_dies_with_its_parent(server, tmp_path):
    """SIGKILL the process running crawl_static: its crawler child must not live on."""
    script = textwrap.dedent(f"""
        import sys; sys.path.insert(0, {str(REPO)!r})
        from cardshop_auditor.gather import crawl_static
        from cardshop_auditor.options import AuditOptions
        crawl_static([{{"id": "s", "url": {server.url('silent')!r}, "out_dir": {str(tmp_path / 'orphan')!r}}}],
                     AuditOptions(timeout=60, shop_time_budget=60))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        child = None
        while time.monotonic() < deadline and child is None:
            time.sleep(0.3)
            child = next(iter(_children(proc.pid)), None)
        assert child, "the crawler child never started"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(child):
            time.sleep(0.2)
        assert not _alive(child), "orphaned crawler child still running"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)       # our own session only
        except ProcessLookupError:
            pass


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
