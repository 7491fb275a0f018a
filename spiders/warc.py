"""WARC capture of the static crawl: every exchange the crawler has, as it came off the wire.

Two downloader middlewares (``crawl_settings`` wires them when ``options.warc`` is on):

  60  WarcShopTagger   request: remembers which shops use a host:port, so robots.txt
                       (a request of no shop) is archived in the WARC of each of them
 900  WarcRecorder     request: stamps the time it leaves; response: archives request and
                       response in the shop's ``evidence/scan.warc.gz`` before any other
                       middleware touches the response (900 is past Cookies at 700 and
                       HttpCompression at 590: the request as sent, the body still
                       gzip/br-encoded as served), and puts the response record's id in
                       ``request.meta["warc_record_id"]`` for the page artifact

Each redirect hop, retry, robots.txt and 防红 probe passes here as its own exchange.
Requests that got no response (refused addresses, timeouts, DNS failures) have no record:
they are listed in the report's gather.network / errors.
"""
from __future__ import annotations

import time
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured

from cardshop_auditor.evidence.warc import Exchange, WarcFile, exchange_records, warc_path


def _netloc(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _shops_by_netloc(spider) -> dict:
    found = getattr(spider, "_warc_netlocs", None)
    if found is None:
        found = spider._warc_netlocs = {}
    return found


class _WarcComponent:
    """Enabled by the AUDIT_WARC setting (the crawl job's --no-warc turns it off)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("AUDIT_WARC"):
            raise NotConfigured
        return cls(crawler)


class WarcShopTagger(_WarcComponent):

    def process_request(self, request, spider=None):
        shop = request.meta.get("shop")
        if shop is not None:
            _shops_by_netloc(spider or self.crawler.spider).setdefault(_netloc(request.url), set()).add(shop)
        return None


class WarcRecorder(_WarcComponent):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._files: dict[str, WarcFile] = {}
        self._broken: set[str] = set()          # shops whose WARC could not be written

    def process_request(self, request, spider=None):
        request.meta["warc_sent_at"] = time.time()
        return None

    def process_response(self, request, response, spider=None):
        spider = spider or self.crawler.spider
        shops = self._shops(spider, request)
        shops = [shop for shop in shops if shop.id not in self._broken]
        if shops:
            record_id, records = exchange_records(self._exchange(request, response))
            request.meta["warc_record_id"] = record_id
            for shop in shops:
                try:
                    self._file(shop, spider).append(records)
                except OSError as exc:       # disk full: the audit goes on, the archive says it stopped
                    self._broken.add(shop.id)
                    shop.meta.errors.append(f"WARC capture stopped: {exc.strerror or type(exc).__name__} "
                                            f"(evidence/scan.warc.gz is incomplete)")
        return response

    def _shops(self, spider, request) -> list:
        states = getattr(spider, "shops", None) or {}
        shop_id = request.meta.get("shop")
        if shop_id is not None:
            shop = states.get(shop_id)
            return [shop] if shop is not None else []
        ids = sorted(_shops_by_netloc(spider).get(_netloc(request.url), ()))
        return [states[i] for i in ids if i in states and not states[i].finished]

    def _file(self, shop, spider) -> WarcFile:
        writer = self._files.get(shop.id)
        if writer is None:
            options = getattr(spider, "options", None)
            writer = self._files[shop.id] = WarcFile(
                warc_path(shop.out_dir), fresh=True,
                info={"description": f"cardshop-auditor scan of {shop.start_url}",
                      "isPartOf": shop.id, "robots": "obey" if getattr(options, "obey_robots", True) else "ignore",
                      "http-header-user-agent": getattr(options, "user_agent", "")})
        return writer

    @staticmethod
    def _exchange(request, response) -> Exchange:
        meta = request.meta
        truncated = None
        if meta.get("truncated"):
            truncated = "length"
        elif "dataloss" in response.flags:
            truncated = "disconnect"
        elif meta.get("body_skipped"):
            truncated = "unspecified"
        ip = getattr(response, "ip_address", None)
        return Exchange(
            url=response.url, method=request.method,
            request_headers=_pairs(request.headers), request_body=request.body or b"",
            status=response.status, response_headers=_pairs(response.headers), body=response.body or b"",
            ip=str(ip) if ip is not None else None, when=meta.get("warc_sent_at"),
            protocol=getattr(response, "protocol", None) or "HTTP/1.1", truncated=truncated,
            note="body not fetched: attachment or media" if meta.get("body_skipped") else None,
            probe=meta.get("probe"))


def _pairs(headers) -> list[tuple[str, str]]:
    out = []
    for name, values in headers.items():
        key = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        for value in values or ():
            out.append((key, value.decode("latin-1") if isinstance(value, bytes) else str(value)))
    return out
