"""Downloader middleware: refuse what an audit must never fetch."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest


class SafetyMiddleware:
    """Only http(s); nothing for a shop whose time budget is spent; no redirect to
    another scheme (file:, ftp:, javascript:) — refused and reported."""

    def process_request(self, request, spider=None):
        spider = spider or self.crawler.spider
        scheme = urlsplit(request.url).scheme
        if scheme not in ("http", "https"):
            raise IgnoreRequest(f"refused_scheme: {scheme}")
        shop = spider.shops.get(request.meta.get("shop"))
        if shop is not None and request.meta.get("depth", 0) > 0 and \
                time.monotonic() - shop.started > spider.options.shop_time_budget:
            shop.limits_hit.add("shop_time_budget")
            raise IgnoreRequest("shop_time_budget")
        return None

    def process_response(self, request, response, spider=None):
        location = response.headers.get(b"Location")
        if location and 300 <= response.status < 400:
            target = location.decode("latin-1").strip()
            scheme = urlsplit(target).scheme.lower()
            if scheme and scheme not in ("http", "https"):
                raise IgnoreRequest(f"refused_redirect_scheme: {scheme}")
        return response

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls()
        mw.crawler = crawler
        return mw
