"""The baseline: a plain Scrapy crawl of the same shops, with no extraction at all.

Same Scrapy settings as the audit crawl (``spiders.settings.crawl_settings``: concurrency,
per-shop download slots host:port, robots.txt, timeouts, retries, pinned name resolution),
the same limits (``max_pages``, ``max_depth``), the same links (every same-site ``<a href>``
except the ones an audit never follows); but no item pipeline, no artifacts, no decoding of
its own, no address checks or time budget (our middlewares and download handler are off),
nothing written to disk.  What it measures is the speed limit of the crawl itself.

    python -m bench.baseline JOB.json     (job: {"options": {...}, "shops": [{"id", "url"}]})
        prints one JSON line: {"pages", "bytes", "by_shop": {...}, "crawl_s"}
"""
from __future__ import annotations

import json
import sys
import time
from urllib.parse import urldefrag, urljoin, urlsplit

import scrapy
from scrapy.http import Request, TextResponse

NEVER = ("logout", "signout", "delete", "remove", "cancel", "/pay/", "submit")


class BaselineSpider(scrapy.Spider):
    name = "bench-baseline"

    def __init__(self, shops: list[dict], max_pages: int, max_depth: int, timeout: float, **kwargs):
        super().__init__(**kwargs)
        self.shops = shops
        self.max_pages, self.max_depth, self.timeout = max_pages, max_depth, timeout
        self.seen: dict[str, set] = {s["id"]: set() for s in shops}
        self.pages: dict[str, int] = {s["id"]: 0 for s in shops}
        self.bytes = 0

    async def start(self):
        for shop in self.shops:
            request = self._request(shop["id"], shop["url"], 0)
            if request is not None:
                yield request

    def _request(self, shop: str, url: str, depth: int) -> Request | None:
        seen = self.seen[shop]
        if url in seen or len(seen) >= self.max_pages:
            return None
        seen.add(url)
        parts = urlsplit(url)
        return Request(url, callback=self.parse, errback=self.failed, dont_filter=True,
                       meta={"shop": shop, "depth": depth, "download_slot": f"{parts.hostname}:{parts.port}",
                             "download_timeout": self.timeout})

    def parse(self, response):
        shop, depth = response.meta["shop"], response.meta["depth"]
        self.pages[shop] += 1
        self.bytes += len(response.body)
        if depth >= self.max_depth or not isinstance(response, TextResponse):
            return
        netloc = urlsplit(response.url).netloc
        for href in response.xpath("//a/@href").getall():
            href = href.strip()
            if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
                continue
            url = urldefrag(urljoin(response.url, href))[0]
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or parts.netloc != netloc:
                continue
            if any(word in url.lower() for word in NEVER):
                continue
            request = self._request(shop, url, depth + 1)
            if request is not None:
                yield request

    def failed(self, failure):
        return None


def main(argv: list[str]) -> int:
    job = json.loads(open(argv[0], encoding="utf-8").read())
    from scrapy.crawler import CrawlerProcess

    from cardshop_auditor.options import AuditOptions
    from cardshop_auditor.spiders.settings import crawl_settings

    options = AuditOptions.from_json(job.get("options", {}))
    settings = crawl_settings(options, shops=len(job["shops"]))
    # Scrapy's own download handler: ours checks each request against a shop's network
    # policy (spiders.pinning), which is audit work, so it counts on the pipeline's side.
    settings.update({"ITEM_PIPELINES": {}, "DOWNLOADER_MIDDLEWARES": {}, "DOWNLOAD_HANDLERS": {}})
    process = CrawlerProcess(settings=settings)
    crawler = process.create_crawler(BaselineSpider)
    started = time.perf_counter()
    process.crawl(crawler, shops=job["shops"], max_pages=options.max_pages, max_depth=options.max_depth,
                  timeout=options.timeout)
    process.start()
    spider = crawler.spider
    print(json.dumps({"pages": sum(spider.pages.values()), "bytes": spider.bytes, "by_shop": spider.pages,
                      "crawl_s": round(time.perf_counter() - started, 3)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
