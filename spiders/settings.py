"""Scrapy settings for an audit crawl, derived from AuditOptions in one place."""
from __future__ import annotations

from cardshop_auditor.options import AuditOptions

# Retried once: a dropped connection may be transient.  Not retried: timeouts (a slow
# host would cost the shop a second full timeout) and refused connections (deterministic).
RETRY_EXCEPTIONS = [
    "scrapy.exceptions.DownloadFailedError",
    "scrapy.exceptions.ResponseDataLossError",
    "twisted.internet.error.ConnectionDone",
    "twisted.internet.error.ConnectionLost",
    "scrapy.core.downloader.handlers.http11.TunnelError",
]


def concurrent_requests(options: AuditOptions, shops: int = 1) -> int:
    return max(8, min(256, options.concurrency_per_shop * shops))


def shops_in_flight(options: AuditOptions, shops: int = 1) -> int:
    """Shops crawled at once: ``options.shops_in_flight``, or by default as many as the
    request concurrency serves at full per-shop speed (64 with the defaults).  Starting
    more only adds download slots that Scrapy's scheduler scans on every request (1,000
    shops at once cost 40 % more CPU per shop than 100, bench/README.md)."""
    if options.shops_in_flight:
        return options.shops_in_flight
    return max(1, concurrent_requests(options, shops) // max(1, options.concurrency_per_shop))


def crawl_settings(options: AuditOptions, shops: int = 1) -> dict:
    return {
        "BOT_NAME": "cardshop-auditor",
        "USER_AGENT": options.user_agent,
        "ROBOTSTXT_OBEY": options.obey_robots,
        "REMOTE_CONTROL_ENABLED": False,      # Scrapy 2.19's remote control: not wanted here
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "ERROR",
        "LOG_STDOUT": False,
        "LOG_INSTALL_ROOT_HANDLER": False,   # the parent reads our stdout: DONE lines only
        "COOKIES_ENABLED": True,
        "CONCURRENT_REQUESTS": concurrent_requests(options, shops),
        "CONCURRENT_REQUESTS_PER_DOMAIN": options.concurrency_per_shop,  # per shop: slot = host:port
        # Scrapy (2.13+) starts CONCURRENT_ITEMS asyncio tasks for *every* response's output;
        # the default 100 costs ~20% of the crawl's CPU (bench/README.md).  Our item
        # pipeline is synchronous, so 8 loses nothing.
        "CONCURRENT_ITEMS": 8,
        "DOWNLOAD_DELAY": 0,
        "DOWNLOAD_TIMEOUT": options.timeout,  # one request, connect to last byte (cut to the budget left)
        "DNS_TIMEOUT": min(10, options.timeout),
        # Names resolve once, are checked against the shop's network policy and connected
        # to at that same address (spiders.pinning); no proxy may resolve them instead.
        "TWISTED_DNS_RESOLVER": "cardshop_auditor.spiders.pinning.PinnedTwistedResolver",
        "HTTPPROXY_ENABLED": False,
        # Raw size: cut by the spider at max_page_bytes as bytes arrive (a page declaring
        # 50 MB is kept truncated, not refused), so the handler's own cap is off.
        "DOWNLOAD_MAXSIZE": 0,
        "DOWNLOAD_WARNSIZE": 0,
        # Decompressed size (gzip/deflate/br/zstd bombs): BoundedHttpCompressionMiddleware.
        "AUDIT_MAX_DECOMPRESSED_BYTES": options.max_decompressed_bytes,
        # A connection lost mid-body keeps what arrived (the page is marked truncated).
        "DOWNLOAD_FAIL_ON_DATALOSS": False,
        "REDIRECT_MAX_TIMES": options.max_redirects,
        "RETRY_TIMES": 1,
        "RETRY_HTTP_CODES": [502, 504, 522, 524, 408],    # 429/503: RetryAfterMiddleware
        "RETRY_EXCEPTIONS": RETRY_EXCEPTIONS,
        "DEPTH_LIMIT": 0,                    # the spider bounds depth itself, per shop
        "HTTPERROR_ALLOW_ALL": True,          # 4xx/5xx pages are artifacts too
        "METAREFRESH_ENABLED": True,         # counts against REDIRECT_MAX_TIMES: loops end
        "AJAXCRAWL_ENABLED": False,
        "REACTOR_THREADPOOL_MAXSIZE": 4,
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
        "DOWNLOAD_HANDLERS": {"http": "cardshop_auditor.spiders.middlewares.BudgetHTTPDownloadHandler",
                              "https": "cardshop_auditor.spiders.middlewares.BudgetHTTPDownloadHandler"},
        # WARC capture (spiders/warc.py): robots.txt tagged to its shops early, the
        # exchange archived late in the request path, so first in the response path.
        "AUDIT_WARC": options.warc,
        "ITEM_PIPELINES": {"cardshop_auditor.spiders.pipelines.ArtifactWriter": 100},
        "DOWNLOADER_MIDDLEWARES": {
            "cardshop_auditor.spiders.middlewares.SafetyMiddleware": 50,
            "cardshop_auditor.spiders.middlewares.RetryAfterMiddleware": 560,
            "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
            "cardshop_auditor.spiders.middlewares.BoundedHttpCompressionMiddleware": 590,
            "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
            "cardshop_auditor.spiders.middlewares.QuickMetaRefreshMiddleware": 580,
            "cardshop_auditor.spiders.middlewares.RedirectGuardMiddleware": 650,
            "cardshop_auditor.spiders.warc.WarcShopTagger": 60,
            "cardshop_auditor.spiders.warc.WarcRecorder": 900,
        },
        "EXTENSIONS": {"scrapy.extensions.closespider.CloseSpider": None},
        "CLOSESPIDER_TIMEOUT": 0,
    }
