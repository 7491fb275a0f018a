"""Scrapy settings for an audit crawl, derived from AuditOptions in one place."""
from __future__ import annotations

from auditor.options import AuditOptions


def crawl_settings(options: AuditOptions, shops: int = 1) -> dict:
    return {
        "BOT_NAME": "cardshop-auditor",
        "USER_AGENT": options.user_agent,
        "ROBOTSTXT_OBEY": options.obey_robots,
        "REMOTE_CONTROL_ENABLED": False,      # Scrapy 2.19's remote control: not wanted here
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "ERROR",
        "LOG_STDOUT": False,
        "COOKIES_ENABLED": True,
        "CONCURRENT_REQUESTS": max(8, min(256, options.concurrency_per_shop * shops)),
        "CONCURRENT_REQUESTS_PER_DOMAIN": options.concurrency_per_shop,  # per shop: slot = host:port
        "DOWNLOAD_DELAY": 0,
        "DOWNLOAD_TIMEOUT": options.timeout,
        "DNS_TIMEOUT": min(10, options.timeout),
        "DOWNLOAD_MAXSIZE": options.max_decompressed_bytes,   # also bounds decompression
        "DOWNLOAD_WARNSIZE": 0,
        "REDIRECT_MAX_TIMES": options.max_redirects,
        "RETRY_TIMES": 1,
        "RETRY_HTTP_CODES": [502, 503, 504, 429],
        "DEPTH_LIMIT": 0,                    # the spider bounds depth itself, per shop
        "HTTPERROR_ALLOW_ALL": True,          # 4xx/5xx pages are artifacts too
        "METAREFRESH_ENABLED": True,
        "AJAXCRAWL_ENABLED": False,
        "REACTOR_THREADPOOL_MAXSIZE": 4,
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
        "ITEM_PIPELINES": {"spiders.pipelines.ArtifactWriter": 100},
        "DOWNLOADER_MIDDLEWARES": {"spiders.middlewares.SafetyMiddleware": 50},
        "EXTENSIONS": {"scrapy.extensions.closespider.CloseSpider": None},
        "CLOSESPIDER_TIMEOUT": 0,
    }
