"""The pipeline streams: shops start as others finish (``shops_in_flight``), browser stages
run beside static judging (``BrowserLane``), and ``collect=False`` keeps no results."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cardshop_auditor.gather import crawl_static, hard_wall
from cardshop_auditor.options import AuditOptions

PAGES = ("/", "/about.html", "/agreement.html", "/help.html")


class _Shops:
    """N tiny shops on N ports; each page answers after ``delay`` seconds.  Every request
    is logged as (time received, shop index, path)."""

    def __init__(self, n: int, delay: float = 0.15):
        self.log: list[tuple[float, int, str]] = []
        self.servers = []
        for index in range(n):
            self.servers.append(self._server(index, delay))

    def _server(self, index: int, delay: float):
        shops = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                shops.log.append((time.monotonic(), index, self.path))
                if self.path == "/robots.txt":
                    self.send_error(404)
                    return
                time.sleep(delay)
                links = "".join(f'<a href="{p}">页面{i}</a>' for i, p in enumerate(PAGES))
                body = f"<html><body><h1>店铺{index} {self.path}</h1>{links}</body></html>".encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    def url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.servers[index].server_address[1]}/"

    def span(self, index: int) -> tuple[float, float]:
        """First and last request of a shop's pages (robots.txt aside)."""
        times = [t for t, i, path in self.log if i == index and path != "/robots.txt"]
        return min(times), max(times)

    def close(self):
        for server in self.servers:
            server.shutdown()
            server.server_close()


@pytest.fixture
def shops():
    farm = _Shops(4)
    yield farm
    farm.close()


def _crawl(shops: _Shops, tmp_path: Path, window: int) -> list[str]:
    jobs = [{"id": f"s{i}", "url": shops.url(i), "out_dir": str(tmp_path / f"w{window}-s{i}")}
            for i in range(len(shops.servers))]
    done: list[str] = []
    crawl_static(jobs, AuditOptions(shops_in_flight=window, concurrency_per_shop=2), on_shop_done=done.append,
                 return_artifacts=False)
    return done


def test_one_shop_in_flight_crawls_shops_one_after_another(shops, tmp_path):
    done = _crawl(shops, tmp_path, window=1)
    assert done == ["s0", "s1", "s2", "s3"]
    for index in range(1, 4):
        assert shops.span(index)[0] > shops.span(index - 1)[1], f"shop {index} started before shop {index - 1} ended"
    # every page once, and the start page once more per 防红 probe agent (QQ, WeChat)
    from cardshop_auditor.spiders.shop import PROBE_AGENTS
    assert all(sum(1 for _, i, p in shops.log if i == k and p != "/robots.txt") == len(PAGES) + len(PROBE_AGENTS)
               for k in range(4))


def test_without_a_window_every_shop_crawls_at_once(shops, tmp_path):
    """The same shops with no window overlap: the test above can tell the difference."""
    _crawl(shops, tmp_path, window=0)
    first_ends = min(shops.span(i)[1] for i in range(4))
    assert all(shops.span(i)[0] < first_ends for i in range(4))


def test_the_hard_wall_grows_with_rounds_of_the_window():
    options = AuditOptions(shop_time_budget=60, timeout=15)
    assert hard_wall(options, 10) == 60 + 45 + 30 + 20
    windowed = AuditOptions(shop_time_budget=60, timeout=15, shops_in_flight=4)
    assert hard_wall(windowed, 10) == 3 * (60 + 45) + 30 + 20     # 4 + 4 + 2 shops
    assert hard_wall(windowed, 3) == hard_wall(options, 3)
    # by default as many shops as the request concurrency serves: 256 requests / 4 per shop
    assert hard_wall(options, 1000) == 16 * (60 + 45) + 30 + 2000


def test_by_default_a_big_crawl_keeps_64_shops_in_flight():
    from cardshop_auditor.spiders.settings import shops_in_flight

    assert shops_in_flight(AuditOptions(), 1000) == 64
    assert shops_in_flight(AuditOptions(), 10) == 10
    assert shops_in_flight(AuditOptions(shops_in_flight=3), 1000) == 3


def test_audit_shops_without_collecting_streams_results(shops, tmp_path):
    from cardshop_auditor.pipeline import Target, audit_shops

    targets = [Target(url=shops.url(i), out_dir=tmp_path / f"s{i}", id=f"s{i}") for i in range(4)]
    seen = []
    kept = audit_shops(targets, AuditOptions(browser="never"), log=lambda m: None,
                       on_result=lambda r: seen.append(r.target.id), collect=False)
    assert kept == [] and sorted(seen) == ["s0", "s1", "s2", "s3"]
    assert all((tmp_path / f"s{i}" / "report.json").is_file() for i in range(4))


def test_browser_lane_overlaps_browser_stages_with_static_judging(tmp_path, monkeypatch):
    """Shops that need the browser are browsed in the lane's thread while the calling
    thread judges the others; each is judged once, after its stage, in the calling thread."""
    import cardshop_auditor.pipeline as pipeline

    farm = _Shops(4, delay=0.0)
    try:
        targets = [pipeline.Target(url=farm.url(i), out_dir=tmp_path / f"s{i}", id=f"s{i}") for i in range(4)]
        browsed: list[tuple[str, str]] = []
        judged: list[tuple[str, str, bool]] = []
        judged_at: dict[str, float] = {}
        browse_ended: list[float] = []

        def fake_browse(target, artifacts, options, log):
            browsed.append((target.id, threading.current_thread().name))
            time.sleep(0.8)                          # Chromium at work
            artifacts.meta.browser = {"seconds": 0.8}
            browse_ended.append(time.monotonic())

        real_judge = pipeline.judge_shop

        def judge(target, artifacts, options, log, browse=True):
            judged.append((target.id, threading.current_thread().name, bool(artifacts.meta.browser)))
            judged_at[target.id] = time.monotonic()
            return real_judge(target, artifacts, options, log, browse=browse)

        monkeypatch.setattr(pipeline, "browse_shop", fake_browse)
        monkeypatch.setattr(pipeline, "judge_shop", judge)
        monkeypatch.setattr(pipeline, "_wants_browser", lambda a, o, t: t.id in ("s0", "s1"))
        results = pipeline.audit_shops(targets, AuditOptions(browser="auto"), log=lambda m: None)
    finally:
        farm.close()
    assert sorted(r.target.id for r in results) == ["s0", "s1", "s2", "s3"]
    assert sorted(b[0] for b in browsed) == ["s0", "s1"]
    assert {b[1] for b in browsed} == {"cardshop-browser"}
    main = threading.current_thread().name
    assert sorted(j[0] for j in judged) == ["s0", "s1", "s2", "s3"]           # once each
    assert all(thread == main for _, thread, _ in judged)
    assert all(had for shop, _, had in judged if shop in ("s0", "s1"))         # after the stage
    assert max(judged_at["s2"], judged_at["s3"]) < max(browse_ended)           # overlapped
    assert not any(t.name == "cardshop-browser" for t in threading.enumerate())  # the lane ended
