"""Downloader middlewares: refuse what an audit must never fetch, and bound the rest.

Order matters.  ``process_request`` runs from low to high numbers, ``process_response``
from high to low (the downloader sits at the high end):

  50  SafetyMiddleware          request: only http(s); per-shop time budget (clock starts
                                when the start page goes out; later requests are dropped
                                once it is spent, and each request's timeout is cut to what
                                is left); no redirect off the shop's site below the start page;
                                the resolved address must be allowed (``auditor.netpolicy``),
                                checked before robots.txt is asked for the host
 560  RetryAfterMiddleware      response: 429/503 retried after Retry-After when that fits
                                the budget and ``retry_after_max`` (else kept as an error page)
 590  BoundedHttpCompression    response: gzip/deflate/br/zstd decoded with a hard cap on the
                                decompressed size (``max_decompressed_bytes``): bombs refused
 580  QuickMetaRefresh          response: Scrapy's meta-refresh redirect, asked only of pages
                                whose first bytes mention "refresh"
 650  RedirectGuardMiddleware   response: a redirect to file:, ftp:, javascript:, data: … is
                                refused and reported (Scrapy would ignore or choke on it)

A request may wait in its download slot's queue after these middlewares let it through,
so the budget is checked once more where the download really starts
(``BudgetHTTPDownloadHandler``, Scrapy's HTTP/1.1 handler with a deadline), and so is the
address: every request, each redirect hop and robots.txt included, is checked there
against its pinned address right before Twisted connects to that same address
(``spiders.pinning``).

Raw response size is bounded by the spider (``bytes_received`` → ``StopDownload``), header
size by ``spiders.hardening``.
"""
from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.exceptions import IgnoreRequest

from cardshop_auditor.urls import site_key
from cardshop_auditor.spiders import pinning

REDIRECT_CODES = (301, 302, 303, 307, 308)


def _spider(mw, spider):
    return spider or mw.crawler.spider


def _dns_timeout(options) -> float:
    return min(10.0, float(getattr(options, "timeout", 10.0) or 10.0))


def _shop(spider, request):
    shops = getattr(spider, "shops", None) or {}
    return shops.get(request.meta.get("shop"))


class SafetyMiddleware:
    """Only http(s); nothing for a shop whose time budget is spent; no off-site redirects
    below the start page; no address the shop's network policy refuses."""

    async def process_request(self, request, spider=None):
        spider = _spider(self, spider)
        scheme = urlsplit(request.url).scheme.lower()
        if scheme not in ("http", "https"):
            raise IgnoreRequest(f"refused_scheme: {scheme or 'none'}")
        options = getattr(spider, "options", None)
        shop = _shop(spider, request)
        if shop is None:
            # robots.txt and other helper requests: never retried on a timeout (one slow
            # robots.txt must not cost the shop two timeouts), bounded like any page.
            if request.url.endswith("/robots.txt"):
                request.meta.setdefault("dont_retry", True)
            return None
        depth = request.meta.get("depth", 0)
        if depth == 0 and not shop.clock_started:
            shop.clock_started = True
            shop.started = time.monotonic()          # the budget runs from the first fetch
        if depth > 0:
            left = shop.budget_left(options)
            if left <= 0:
                shop.limits_hit.add("shop_time_budget")
                raise IgnoreRequest("shop_time_budget")
            # A request never outlives the budget by more than a second.
            request.meta["download_timeout"] = max(1.0, min(options.timeout, left + 1.0))
            request.meta["budget_deadline"] = time.monotonic() + left
            if request.meta.get("redirect_urls"):
                if site_key(request.url) != shop.site:
                    raise IgnoreRequest(f"offsite_redirect: {urlsplit(request.url).netloc}")
        await pinning.check_request(spider, shop, request, _dns_timeout(options))
        return None

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls()
        mw.crawler = crawler
        return mw


class RedirectGuardMiddleware:
    """Refuse redirects to schemes other than http(s), before RedirectMiddleware sees them."""

    def process_response(self, request, response, spider=None):
        if response.status in REDIRECT_CODES:
            location = response.headers.get(b"Location")
            if location:
                target = location.decode("latin-1").strip()
                try:
                    scheme = urlsplit(urljoin(request.url, target)).scheme.lower()
                except ValueError:
                    raise IgnoreRequest("bad_redirect: unparsable Location header") from None
                if scheme not in ("http", "https"):
                    raise IgnoreRequest(f"refused_redirect_scheme: {scheme or 'none'}")
        return response

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls()
        mw.crawler = crawler
        return mw


def parse_retry_after(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryAfterMiddleware:
    """429/503: wait what Retry-After asks (1 s if it says nothing) and try again, at most
    twice, only when the wait is ≤ ``retry_after_max`` and fits the shop's time budget.
    Otherwise the response goes through and becomes an error page."""

    CODES = (429, 503)
    MAX_TIMES = 2

    async def process_response(self, request, response, spider=None):
        if response.status not in self.CODES:
            return response
        spider = _spider(self, spider)
        options = spider.options
        shop = _shop(spider, request)
        tries = request.meta.get("retry_after_times", 0)
        delay = parse_retry_after(response.headers.get(b"Retry-After"))
        wait = 1.0 if delay is None else delay
        left = shop.budget_left(options) if shop is not None else options.timeout
        if tries >= self.MAX_TIMES or wait > options.retry_after_max or \
                (request.meta.get("depth", 0) > 0 and wait + 1.0 > left):
            if shop is not None and delay is not None and wait > options.retry_after_max:
                shop.limits_hit.add("retry_after_max")
            return response
        from twisted.internet import reactor, task
        from scrapy.utils.defer import maybe_deferred_to_future
        await maybe_deferred_to_future(task.deferLater(reactor, wait, lambda: None))
        retry = request.replace(dont_filter=True)
        retry.meta["retry_after_times"] = tries + 1
        retry.meta.pop("download_timeout", None)      # SafetyMiddleware sets it again
        return retry

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls()
        mw.crawler = crawler
        return mw


class BoundedHttpCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression, capped by AUDIT_MAX_DECOMPRESSED_BYTES instead of
    DOWNLOAD_MAXSIZE (which is left at 0 so a large declared Content-Length is truncated
    by the spider, not refused), with a short, stable error for bombs."""

    def __init__(self, stats=None, *, crawler=None):
        super().__init__(stats, crawler=crawler)
        if crawler is not None:
            self._max_size = crawler.settings.getint("AUDIT_MAX_DECOMPRESSED_BYTES") or self._max_size

    def process_response(self, request, response, spider=None):
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:
            if "decompress" in str(exc):
                raise IgnoreRequest(
                    f"decompression_limit: {len(response.body)} compressed bytes expand beyond "
                    f"{self._max_size} bytes (decompression bomb?)") from None
            raise
        except (OSError, EOFError, ValueError) as exc:   # corrupt gzip/br/zstd stream
            raise IgnoreRequest(f"bad_encoding: body could not be decompressed ({type(exc).__name__})") from None


class QuickMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's middleware decodes every whole page to look for ``<meta http-equiv=refresh>``
    in its first 4,096 characters (and the spider decodes it again).  Those characters lie
    in the first 16 KB in any ASCII-compatible encoding, so a page that does not mention
    "refresh" there is passed on untouched.  NUL bytes (UTF-16/32) go the long way."""

    HEAD = 4 * 4096

    def process_response(self, request, response, spider=None):
        head = response.body[: self.HEAD]
        if b"refresh" not in head.lower() and b"\x00" not in head:
            return response
        return super().process_response(request, response)


class BudgetHTTPDownloadHandler(HTTP11DownloadHandler):
    """HTTP/1.1 downloads that start no later than their shop's budget deadline, with the
    timeout cut to what is left (+1 s) at the moment the download really starts; TLS
    certificates verified and recorded, never fatal (``spiders.tlscheck``)."""

    def __init__(self, crawler):
        super().__init__(crawler)
        from cardshop_auditor.spiders.tlscheck import recording_factory
        self._contextFactory = recording_factory(crawler) or self._contextFactory

    async def download_request(self, request):
        deadline = request.meta.get("budget_deadline")
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise IgnoreRequest("shop_time_budget")
            timeout = request.meta.get("download_timeout") or left + 1.0
            request.meta["download_timeout"] = max(0.5, min(timeout, left + 1.0))
        spider = self._crawler.spider
        await pinning.check_request(spider, _shop(spider, request), request,
                                    _dns_timeout(getattr(spider, "options", None)))
        return await super().download_request(request)
