"""The shop spider: a static crawl of one or many card shops at once.

Each shop is crawled from its start URL, staying on its own site, important links first,
within the limits of ``AuditOptions``.  Every response becomes a ``Page`` artifact that
``ArtifactWriter`` (an item pipeline) streams to ``<shop out_dir>/artifacts/pages.jsonl``.
When a shop has no request left in flight it is finished: its ``meta.json`` is written
and ``DONE <shop id>`` is printed, so the parent process can judge it while other shops
are still crawling.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from auditor.artifacts import Page, ShopMeta, sha256_bytes
from auditor.options import AuditOptions
from spiders.encoding import decode_body
from spiders.links import link_priority, normalise_link, should_follow

HTML_TYPES = ("text/html", "application/xhtml", "text/plain", "")


@lru_cache(maxsize=4096)
def site_key(url: str) -> str:
    """Hosts of one site share a key: registered domain, or host:port for IPs/localhost."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host or host.replace(".", "").isdigit() or "." not in host or ":" in host:
        return f"{host}:{parts.port or ''}"
    import tldextract  # bundled suffix snapshot only: no network
    ext = _extractor()(host)
    return (ext.top_domain_under_public_suffix if hasattr(ext, "top_domain_under_public_suffix")
            else ext.registered_domain) or host


@lru_cache(maxsize=1)
def _extractor():
    import tldextract
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@dataclass
class ShopState:
    id: str
    start_url: str
    out_dir: str
    site: str
    meta: ShopMeta
    started: float = field(default_factory=time.monotonic)
    seen: set = field(default_factory=set)
    scheduled: int = 0
    in_flight: int = 0
    bytes: int = 0
    finished: bool = False
    limits_hit: set = field(default_factory=set)


class ShopSpider(scrapy.Spider):
    name = "shop"

    def __init__(self, shops: list[dict], options: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        self.options = AuditOptions.from_json(options or {})
        self.shops: dict[str, ShopState] = {}
        for shop in shops:
            url = shop["url"]
            self.shops[shop["id"]] = ShopState(
                id=shop["id"], start_url=url, out_dir=shop["out_dir"], site=site_key(url),
                meta=ShopMeta(target=url, started_at=_now_iso()))

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_bytes, signal=signals.bytes_received)
        crawler.signals.connect(spider._on_close, signal=signals.spider_closed)
        return spider

    # ---- start -----------------------------------------------------------------
    async def start(self):
        for shop in self.shops.values():
            request = self._request(shop, shop.start_url, depth=0, link_text="", priority=1000)
            if request is not None:
                yield request

    def _request(self, shop: ShopState, url: str, depth: int, link_text: str,
                 priority: int, referer: str | None = None) -> Request | None:
        if url in shop.seen:
            return None
        if shop.scheduled >= self.options.max_pages:
            shop.limits_hit.add("max_pages")
            return None
        shop.seen.add(url)
        shop.scheduled += 1
        shop.in_flight += 1
        parts = urlsplit(url)
        return Request(
            url, callback=self.parse, errback=self.failed, priority=priority, dont_filter=True,
            meta={"shop": shop.id, "depth": depth, "link_text": link_text, "referer": referer,
                  "download_slot": f"{parts.hostname}:{parts.port}",
                  "download_timeout": self.options.timeout},
            headers={"Referer": referer} if referer else None)

    # ---- responses ---------------------------------------------------------------
    def _on_bytes(self, data, request, spider):
        shop = self.shops.get(request.meta.get("shop"))
        if shop is None:
            return
        got = request.meta.get("_bytes", 0) + len(data)
        request.meta["_bytes"] = got
        if got > self.options.max_page_bytes:
            request.meta["truncated"] = True
            shop.limits_hit.add("max_page_bytes")
            raise StopDownload(fail=False)

    def parse(self, response: Response):
        # Children are counted (in_flight) before the page item is emitted, and the item
        # pipeline settles the page after writing it: a shop is finished only when every
        # one of its pages is on disk.
        shop = self.shops[response.meta["shop"]]
        page = self._page(response, shop)
        children = list(self._follow(response, shop, page)) if page.html and page.error is None else []
        yield {"shop": shop.id, "out_dir": shop.out_dir, "page": page}
        yield from children

    def _page(self, response: Response, shop: ShopState) -> Page:
        body = response.body or b""
        shop.bytes += len(body)
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        page = Page(url=response.request.meta.get("redirect_urls", [response.url])[0],
                    final_url=response.url, status=response.status, content_type=content_type,
                    sha256=sha256_bytes(body), depth=response.meta["depth"],
                    link_text=response.meta.get("link_text", ""),
                    truncated=bool(response.meta.get("truncated")))
        mime = content_type.split(";")[0].strip()
        if not any(mime.startswith(t) for t in HTML_TYPES if t) and mime:
            page.error = f"not_html: {mime}"
            return page
        text, encoding = decode_body(body, content_type)
        if mime in ("", "text/plain") and "<" not in text[:2048]:
            page.error = f"not_html: {mime or 'no content type'}"
            return page
        page.html, page.encoding = text, encoding
        if response.status >= 400:
            page.error = f"http_{response.status}"
        if page.depth == 0 and shop.meta.final_url is None:
            shop.meta.final_url = response.url
        return page

    def _follow(self, response: Response, shop: ShopState, page: Page):
        depth = response.meta["depth"]
        if depth >= self.options.max_depth:
            return
        if time.monotonic() - shop.started > self.options.shop_time_budget:
            shop.limits_hit.add("shop_time_budget")
            return
        try:
            selector = TextResponse(url=response.url, body=page.html.encode("utf-8"),
                                    encoding="utf-8")
            anchors = selector.xpath("//a[@href]")
            footer_ids = {id(a.root) for a in selector.xpath(
                "//footer//a[@href] | //*[contains(@class,'foot') or contains(@id,'foot') or "
                "contains(@class,'copyright') or contains(@class,'bottom')]//a[@href]")}
        except Exception:  # lxml gives up on some hostile markup: keep the page, follow nothing
            return
        candidates = []
        for anchor in anchors[: self.options.max_links_per_page * 5]:
            url = normalise_link(response.url, anchor.attrib.get("href", ""))
            if url is None or url in shop.seen or site_key(url) != shop.site:
                continue
            text = " ".join(" ".join(anchor.xpath(".//text()").getall()).split())[:80] \
                or anchor.attrib.get("title", "")
            if not should_follow(text, url):
                continue
            candidates.append((link_priority(text, url, id(anchor.root) in footer_ids), url, text))
        if len(candidates) > self.options.max_links_per_page:
            shop.limits_hit.add("max_links_per_page")
        candidates.sort(key=lambda c: -c[0])
        for priority, url, text in candidates[: self.options.max_links_per_page]:
            request = self._request(shop, url, depth + 1, text, priority - 10 * depth,
                                    referer=response.url)
            if request is not None:
                yield request

    def failed(self, failure: Failure):
        request = failure.request
        shop = self.shops[request.meta["shop"]]
        reason = describe_failure(failure)
        if failure.check(IgnoreRequest) and "robots" in str(failure.value).lower():
            reason = "robots_denied"
        if reason == "robots_denied" and request.meta["depth"] == 0:
            shop.meta.robots_denied = True
        page = Page(url=request.url, final_url=request.url, status=0,
                    depth=request.meta["depth"], link_text=request.meta.get("link_text", ""),
                    error=reason)
        if request.meta["depth"] == 0:
            shop.meta.errors.append(f"start page {request.url}: {reason}")
        yield {"shop": shop.id, "out_dir": shop.out_dir, "page": page}

    # ---- bookkeeping ---------------------------------------------------------------
    def settle(self, shop_id: str) -> None:
        """One page of this shop is written; finish the shop when none is left."""
        shop = self.shops[shop_id]
        shop.in_flight -= 1
        if shop.in_flight <= 0 and not shop.finished:
            self._finish(shop)

    def _finish(self, shop: ShopState) -> None:
        shop.finished = True
        shop.meta.finished_at = _now_iso()
        shop.meta.stats = {"pages": shop.scheduled, "bytes": shop.bytes,
                           "seconds": round(time.monotonic() - shop.started, 3),
                           "limits_hit": sorted(shop.limits_hit)}
        self.crawler.stats.inc_value("shops_finished")
        writer = getattr(self, "artifact_writer", None)
        if writer is not None:
            writer.finish_shop(shop.id, shop.out_dir, shop.meta)

    def _on_close(self, spider, reason):
        for shop in self.shops.values():
            if not shop.finished:
                shop.meta.errors.append(f"crawl stopped before this shop finished: {reason}")
                self._finish(shop)


def describe_failure(failure: Failure) -> str:
    """A short, stable reason for a failed request (class names vary across Scrapy/Twisted)."""
    value = failure.value
    name = type(value).__name__
    detail = (str(value).strip().splitlines() or [""])[0][:160]
    if isinstance(value, IgnoreRequest):
        return detail or "ignored"
    for needle, reason in (("Timeout", "timeout"), ("TimedOut", "timeout"),
                           ("ConnectionRefused", "connection_refused"), ("DNSLookup", "dns_error"),
                           ("ConnectionLost", "connection_lost"), ("ResponseNeverReceived", "connection_lost"),
                           ("ConnectionDone", "connection_lost"), ("ResponseFailed", "connection_lost"),
                           ("SSL", "tls_error"), ("TLS", "tls_error")):
        if needle in name or needle in detail:
            return f"{reason}: {detail}" if detail else reason
    return f"{name}: {detail}" if detail else name


def _now_iso() -> str:
    from datetime import datetime, timezone
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
