"""The shop spider: a static crawl of one or many card shops at once.

Each shop is crawled from its start URL, staying on its own site, important links first,
within the limits of ``AuditOptions``.  Every response becomes a ``Page`` artifact that
``ArtifactWriter`` (an item pipeline) streams to ``<shop out_dir>/artifacts/pages.jsonl``.
When a shop has no request left in flight it is finished: its ``meta.json`` is written
and ``DONE <shop id>`` is printed, so the parent process can judge it while other shops
are still crawling.
"""
from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from cardshop_auditor.artifacts import Page, ShopMeta, sha256_bytes
from cardshop_auditor.netpolicy import NetPolicy
from cardshop_auditor.options import AuditOptions
from cardshop_auditor.urls import site_key
from cardshop_auditor.spiders import hardening, tlscheck
from cardshop_auditor.spiders.encoding import decode_body, sniff_binary
from cardshop_auditor.spiders.links import (LeastLinks, link_priority, normalise_link, page_anchors,
                                            should_follow)
from cardshop_auditor.spiders.settings import shops_in_flight

HTML_TYPES = ("text/html", "application/xhtml", "text/plain", "")
NOT_PAGE_TYPES = ("image/", "audio/", "video/", "font/", "application/octet-stream", "application/zip",
                  "application/x-", "application/pdf", "application/vnd.", "application/java")


MAX_REFUSALS_KEPT = 50       # refused requests listed per shop (all are counted)


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
    clock_started: bool = False           # the budget runs from the start page's fetch
    skipped: dict = field(default_factory=dict)    # reason -> count (not pages: never fetched)
    patterns: dict = field(default_factory=dict)   # URL shape -> pages scheduled
    truncated: list = field(default_factory=list)  # URLs cut at max_page_bytes
    policy: NetPolicy | None = None       # the shop's address rules (spiders.pinning)
    pins: dict = field(default_factory=dict)       # host -> addresses it was allowed at
    refused: list = field(default_factory=list)    # requests refused for their address
    refused_count: int = 0
    certificate: dict | None = None       # TLS verdict (spiders.tlscheck)
    links: LeastLinks = field(default_factory=LeastLinks)   # the link each page is known by

    def budget_left(self, options: AuditOptions) -> float:
        if not self.clock_started:
            return options.shop_time_budget
        return options.shop_time_budget - (time.monotonic() - self.started)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def refuse(self, request, host: str, port: int, decision) -> None:
        self.refused_count += 1
        if len(self.refused) < MAX_REFUSALS_KEPT:
            self.refused.append({"url": request.url[:300], "host": host, "port": port,
                                 "ip": decision.ip, "reason": decision.reason, "by": "crawler",
                                 "redirect": bool(request.meta.get("redirect_urls"))})

    def network(self) -> dict:
        """What meta.json (and report.json's gather.network) says about addresses."""
        return {"policy": self.policy.to_json() if self.policy else None,
                "pins": {host: ips for host, ips in sorted(self.pins.items())[:50]},
                "refused": list(self.refused), "refused_count": self.refused_count,
                "certificate": self.certificate}


_DIGITS = re.compile(r"\d+")


def url_shape(url: str) -> str:
    """/cal?d=17&slot=3 and /cal?d=18&slot=9 share a shape; so do /p/1.html and /p/2.html."""
    parts = urlsplit(url)
    keys = ",".join(sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}))
    return f"{_DIGITS.sub('N', parts.path)}?{keys}"


# The start page is fetched once more as each of these in-app browsers: 防红 setups (dujiaoka's
# DujiaoBoot "是否开启微信/QQ防红") answer them with an open-in-browser page or a redirect.
# The strings are the shape of real in-app user agents (the markers the middlewares test:
# "QQ/" and "MicroMessenger").
PROBE_AGENTS = (
    ("qq", "Mozilla/5.0 (Linux; Android 12; V2049A Build/SP1A.210812.003; wv) AppleWebKit/537.36 "
           "(KHTML, like Gecko) Version/4.0 Chrome/98.0.4758.87 MQQBrowser/6.2 TBS/046317 Mobile Safari/537.36 "
           "V1_AND_SQ_8.9.28_3700_YYB_D A_8092800 QQ/8.9.28.10155 NetType/WIFI WebP/0.3.0 AppId/537152167"),
    ("wechat", "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
               "Mobile/15E148 MicroMessenger/8.0.40(0x1800282a) NetType/WIFI Language/zh_CN"),
)
PROBE_HTML_CAP = 60_000          # characters of a probe answer kept in meta.json


# Request failures that are not pages: the shop's own limits, or redirects it may not follow.
SKIP_REASONS = ("shop_time_budget", "offsite_redirect", "refused_address")


class ShopSpider(scrapy.Spider):
    name = "shop"

    def __init__(self, shops: list[dict], options: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        self.options = AuditOptions.from_json(options or {})
        self.shops: dict[str, ShopState] = {}
        self._in_flight_shops = 0
        self._shop_finished: asyncio.Event | None = None
        for shop in shops:
            url = shop["url"]
            self.shops[shop["id"]] = ShopState(
                id=shop["id"], start_url=url, out_dir=shop["out_dir"], site=site_key(url),
                meta=ShopMeta(target=url, started_at=_now_iso()))

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        hardening.install()
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_bytes, signal=signals.bytes_received)
        crawler.signals.connect(spider._on_headers, signal=signals.headers_received)
        crawler.signals.connect(spider._on_close, signal=signals.spider_closed)
        return spider

    # ---- start -----------------------------------------------------------------
    async def start(self):
        # A shop starts only when fewer than ``shops_in_flight`` shops are being crawled:
        # shops then finish one after another, and the parent judges each while the next
        # ones crawl, instead of all of them finishing together at the end.
        window = shops_in_flight(self.options, len(self.shops))
        for shop in self.shops.values():
            while self._in_flight_shops >= window:
                self._shop_finished = asyncio.Event()
                await self._shop_finished.wait()
            request = self._request(shop, shop.start_url, depth=0, link_text="", priority=1000)
            if request is not None:
                self._in_flight_shops += 1
                yield request

    def _request(self, shop: ShopState, url: str, depth: int, link_text: str,
                 priority: int, referer: str | None = None) -> Request | None:
        if url in shop.seen:
            return None
        if shop.scheduled >= self.options.max_pages:
            shop.limits_hit.add("max_pages")
            return None
        if depth > 0:
            shape = url_shape(url)
            if shop.patterns.get(shape, 0) >= self.options.max_pages_per_pattern:
                shop.limits_hit.add("max_pages_per_pattern")
                return None
            shop.patterns[shape] = shop.patterns.get(shape, 0) + 1
        shop.seen.add(url)
        shop.links.scheduled(url, depth, referer or "", link_text)
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
    def _on_headers(self, headers, body_length, request, spider):
        """Downloads and media are not pages: stop before the body (the page is kept with
        its status and content type, and reported as not HTML)."""
        if request.meta.get("shop") is None:
            return
        mime = (headers.get(b"Content-Type") or b"").decode("latin-1").split(";")[0].strip().lower()
        disposition = (headers.get(b"Content-Disposition") or b"").decode("latin-1").lower()
        if disposition.startswith("attachment") or mime.startswith(NOT_PAGE_TYPES):
            request.meta["body_skipped"] = True
            raise StopDownload(fail=False)

    def _on_bytes(self, data, request, spider):
        # Every response, robots.txt included, is cut at max_page_bytes as it streams in.
        got = request.meta.get("_bytes", 0) + len(data)
        request.meta["_bytes"] = got
        if got > self.options.max_page_bytes:
            request.meta["truncated"] = True
            shop = self.shops.get(request.meta.get("shop"))
            if shop is not None:
                shop.limits_hit.add("max_page_bytes")
            raise StopDownload(fail=False)

    def parse(self, response: Response):
        # Children are counted (in_flight) before the page item is emitted, and the item
        # pipeline settles the page after writing it: a shop is finished only when every
        # one of its pages is on disk.
        shop = self.shops[response.meta["shop"]]
        page = self._page(response, shop)
        children = list(self._follow(response, shop, page)) if page.html and page.error is None else []
        if page.depth == 0 and page.html and page.error is None:
            children = list(self._probes(shop)) + children
        yield {"shop": shop.id, "out_dir": shop.out_dir, "page": page}
        yield from children

    # ---- 防红 probe: the start page as QQ / WeChat in-app browsers ---------------------
    def _probes(self, shop: ShopState):
        """Two requests for the start URL, through the same middlewares (address policy,
        robots.txt, redirects, size cap) as every other request; not pages of the crawl."""
        parts = urlsplit(shop.start_url)
        for agent, user_agent in PROBE_AGENTS:
            shop.in_flight += 1
            yield Request(shop.start_url, callback=self.probed, errback=self.probe_failed, dont_filter=True,
                          priority=900, headers={"User-Agent": user_agent},
                          meta={"shop": shop.id, "depth": 0, "probe": agent,
                                "download_slot": f"{parts.hostname}:{parts.port}",
                                "download_timeout": min(self.options.timeout, 10)})

    def probed(self, response: Response):
        shop = self.shops[response.meta["shop"]]
        record = {"agent": response.meta["probe"], "status": response.status, "final_url": response.url,
                  "sha256": sha256_bytes(response.body or b""), "html": "", "error": None}
        try:
            mime = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
            if response.meta.get("body_skipped"):
                record["error"] = "not_html"
            else:
                text, _encoding = decode_body(response.body or b"", mime)
                record["html"] = text[:PROBE_HTML_CAP]
        except Exception as exc:  # noqa: BLE001 - a probe never sinks the crawl
            record["error"] = f"{type(exc).__name__}: {exc}"[:200]
        shop.meta.ua_probes.append(record)
        self.settle(shop.id)
        return None

    def probe_failed(self, failure: Failure):
        request = failure.request
        shop = self.shops[request.meta["shop"]]
        shop.meta.ua_probes.append({"agent": request.meta["probe"], "status": 0, "final_url": request.url,
                                    "sha256": "", "html": "", "error": describe_failure(failure, self.options)})
        self.settle(shop.id)
        return None

    def _page(self, response: Response, shop: ShopState) -> Page:
        body = response.body or b""
        shop.bytes += len(body)
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()[:200]
        cut = bool(response.meta.get("truncated"))
        if len(body) > self.options.max_page_bytes:     # decompressed beyond the page limit
            body, cut = body[: self.options.max_page_bytes], True
            shop.limits_hit.add("max_page_bytes")
        if cut:
            shop.truncated.append(response.url)
        # "dataloss": the body ended short of its Content-Length or chunked framing (reset,
        # close).  ("partial" only means no length was declared: a normal HTTP/1.0 close.)
        lost = "dataloss" in response.flags
        page = Page(url=response.request.meta.get("redirect_urls", [response.url])[0],
                    final_url=response.url, status=response.status, content_type=content_type,
                    sha256=sha256_bytes(body), depth=response.meta["depth"],
                    link_text=response.meta.get("link_text", ""), truncated=cut or lost,
                    warc_record_id=response.meta.get("warc_record_id", ""))
        if lost:
            if not body:
                page.error = "connection_lost: the connection closed before any of the body arrived"
                return page
            shop.meta.errors.append(f"{response.url}: connection lost mid-body; kept the first "
                                    f"{len(body)} bytes")
        if page.depth == 0:
            self._check_start_redirect(response, shop)
        self._note_certificate(response, shop)
        mime = content_type.split(";")[0].strip()
        if response.meta.get("body_skipped"):
            page.error = f"not_html: {mime or 'download'} (attachment or media: body not fetched)"
            return page
        if not any(mime.startswith(t) for t in HTML_TYPES if t) and mime:
            page.error = f"not_html: {mime}"
            return page
        binary = sniff_binary(body)
        if binary:
            page.error = f"not_html: {binary} bytes served as {mime or 'no content type'}"
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

    def _note_certificate(self, response: Response, shop: ShopState) -> None:
        """The TLS verdict of the first https page, replaced by the first failure seen."""
        if not response.url.startswith("https:") or (shop.certificate and not shop.certificate["ok"]):
            return
        parts = urlsplit(response.url)
        found = tlscheck.status(parts.hostname or "", parts.port or 443)
        if found and (shop.certificate is None or not found["ok"]):
            shop.certificate = {**found, "url": response.url[:300], "by": "crawler"}

    def _check_start_redirect(self, response: Response, shop: ShopState) -> None:
        """A start URL that lands on another site is audited there, and the report says so."""
        if not response.meta.get("redirect_urls"):
            return
        landed = site_key(response.url)
        if landed != shop.site:
            shop.meta.errors.append(
                f"start page redirected off-site: {shop.start_url} → {response.url} "
                f"(audited the site it landed on)")
            shop.site = landed

    def _follow(self, response: Response, shop: ShopState, page: Page):
        depth = response.meta["depth"]
        if depth >= self.options.max_depth:
            return
        if shop.budget_left(self.options) <= 0:
            shop.limits_hit.add("shop_time_budget")
            return
        limit = self.options.max_links_per_page
        candidates = []
        anchors = page_anchors(page.html, body_limit=limit * 5, footer_limit=limit)
        # Past the limit the page's own links, fetched ones included, decide what is cut (not
        # which responses came first); under it a fetched page's link is weighed as its least.
        may_cut = len(anchors) > limit
        for anchor in anchors:
            url = normalise_link(response.url, anchor.href)
            if url is None or site_key(url) != shop.site:
                continue
            text = anchor.text
            if url in shop.seen and not may_cut:
                if shop.links.improves(url, depth + 1, response.url, text) and should_follow(text, url):
                    shop.links.linked_again(url, depth + 1, response.url, text)
                continue
            if not should_follow(text, url):
                continue
            candidates.append((link_priority(text, url, anchor.in_footer), url, text))
        if len(candidates) > self.options.max_links_per_page:
            shop.limits_hit.add("max_links_per_page")
        candidates.sort(key=lambda c: -c[0])
        for priority, url, text in candidates[: self.options.max_links_per_page]:
            if url in shop.seen:
                shop.links.linked_again(url, depth + 1, response.url, text)
                continue
            request = self._request(shop, url, depth + 1, text, priority - 10 * depth,
                                    referer=response.url)
            if request is not None:
                yield request

    def failed(self, failure: Failure):
        request = failure.request
        shop = self.shops[request.meta["shop"]]
        reason = describe_failure(failure, self.options)
        if reason.startswith("robots_denied") and request.meta["depth"] == 0:
            shop.meta.robots_denied = True
        if reason.startswith("shop_time_budget"):
            shop.limits_hit.add("shop_time_budget")
        if reason.startswith(SKIP_REASONS) and request.meta["depth"] > 0:
            shop.skip(reason.split(":")[0])
            self.settle(shop.id)          # never fetched: not a page, nothing to write
            return
        hops = request.meta.get("redirect_urls") or [request.url]
        page = Page(url=hops[0], final_url=request.url, status=0,
                    depth=request.meta["depth"], link_text=request.meta.get("link_text", ""),
                    error=reason)
        if request.meta["depth"] == 0:
            shop.meta.errors.append(f"start page {hops[0]}: {reason}")
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
        self._in_flight_shops -= 1
        if self._shop_finished is not None:
            self._shop_finished.set()
        # filled in the order responses arrived: a fixed order, the same in every crawl
        agents = [agent for agent, _ in PROBE_AGENTS]
        shop.meta.ua_probes.sort(key=lambda r: agents.index(r["agent"]) if r["agent"] in agents else len(agents))
        shop.truncated.sort()
        shop.refused.sort(key=lambda r: (r["url"], r["host"], r["port"]))
        shop.meta.errors.extend(self._limit_notes(shop))
        shop.meta.finished_at = _now_iso()
        shop.meta.network = shop.network()
        shop.meta.relinked = shop.links.relinked()
        shop.meta.stats = {"pages": shop.scheduled, "bytes": shop.bytes,
                           "seconds": round(time.monotonic() - shop.started, 3),
                           "limits_hit": sorted(shop.limits_hit),
                           "skipped": dict(sorted(shop.skipped.items()))}
        self.crawler.stats.inc_value("shops_finished")
        writer = getattr(self, "artifact_writer", None)
        if writer is not None:
            writer.finish_shop(shop.id, shop.out_dir, shop.meta)

    def _limit_notes(self, shop: ShopState) -> list[str]:
        """Limits that cut what the audit saw, in words (the report turns them into a
        "partial" status).  Scope limits (max_pages, max_links_per_page,
        max_pages_per_pattern) only keep a crawl focused: they stay in stats.limits_hit."""
        notes, o = [], self.options
        if "shop_time_budget" in shop.limits_hit:
            dropped = shop.skipped.get("shop_time_budget", 0)
            notes.append(f"time budget of {o.shop_time_budget:g} s spent: "
                         + (f"{dropped} queued page(s) not fetched" if dropped else "no further links followed"))
        if shop.truncated:
            shown = ", ".join(shop.truncated[:3]) + (" …" if len(shop.truncated) > 3 else "")
            notes.append(f"{len(shop.truncated)} page(s) cut at the {o.max_page_bytes}-byte limit: {shown}")
        if "retry_after_max" in shop.limits_hit:
            notes.append(f"server asked to retry later than {o.retry_after_max:g} s: not waited")
        return notes

    def _on_close(self, spider, reason):
        for shop in self.shops.values():
            if not shop.finished:
                shop.meta.errors.append(f"crawl stopped before this shop finished: {reason}")
                self._finish(shop)


def _chain(exc: BaseException | None, depth: int = 0):
    """The exception, its causes, and the failures it wraps (Twisted's ResponseFailed and
    Scrapy 2.19's DownloadFailedError carry a list of Failures)."""
    if exc is None or depth > 6:
        return
    yield exc
    for inner in getattr(exc, "reasons", None) or []:
        yield from _chain(getattr(inner, "value", inner), depth + 1)
    yield from _chain(exc.__cause__ or exc.__context__, depth + 1)


_FAILURES = (   # (class-name needle, stable reason, human detail)
    ("HeadersTooLarge", "headers_too_large", None),
    ("Timeout", "timeout", None), ("TimedOut", "timeout", None),
    ("ConnectionRefused", "connection_refused", "the server refused the connection"),
    ("CannotResolveHost", "dns_error", "the host name does not resolve"),
    ("DNSLookup", "dns_error", "the host name does not resolve"),
    ("ParseError", "bad_http", None), ("BadHttpHeaderError", "bad_http", None),
    ("LineTooLong", "bad_http", "a response header line is too long"),
    ("DataLoss", "connection_lost", "the connection closed mid-body"),
    ("ConnectionDone", "connection_lost", "the server closed the connection without an answer"),
    ("ConnectionLost", "connection_lost", "the connection was reset"),
    ("ConnectionAborted", "connection_lost", "the connection was aborted"),
    ("ResponseNeverReceived", "connection_lost", "no response was received"),
    ("DownloadCancelled", "too_large", None),
    ("SSL", "tls_error", None), ("TLS", "tls_error", None), ("Certificate", "tls_error", None),
)


def describe_failure(failure: Failure, options: AuditOptions | None = None) -> str:
    """A short, stable ``reason: detail`` for a failed request (exception classes differ
    across Scrapy/Twisted versions and nest; reports need the same words every time)."""
    value = failure.value
    request = getattr(failure, "request", None)
    if isinstance(value, IgnoreRequest):
        text = str(value).strip()
        low = text.lower()
        if "robots" in low:
            return "robots_denied: robots.txt disallows this URL"
        if "max redirections" in low:
            limit = options.max_redirects if options else "the maximum of"
            return f"too_many_redirects: more than {limit} redirects (redirect loop?)"
        return (text.splitlines() or ["ignored"])[0][:200] or "ignored"
    chain = list(_chain(value))
    for needle, reason, detail in _FAILURES:
        for exc in chain:
            if needle in type(exc).__name__:
                if reason == "timeout":
                    seconds = (request.meta.get("download_timeout") if request is not None else None) \
                        or (options.timeout if options else None)
                    detail = f"no complete answer within {seconds:g} s" if seconds else "timed out"
                elif detail is None:
                    detail = (str(exc).strip().splitlines() or [""])[0]
                    detail = detail.removeprefix(f"{reason}: ")
                    detail = re.sub(r"<twisted\.python\.failure\.Failure [\w.]+: ?", "", detail)
                    detail = re.sub(r"in request <GET [^>]*>", "", detail).strip(" []<>.")[:160]
                return f"{reason}: {detail}" if detail else reason
    name = type(value).__name__
    detail = (str(value).strip().splitlines() or [""])[0][:160]
    return f"{name}: {detail}" if detail else name


def _now_iso() -> str:
    from datetime import datetime, timezone
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
