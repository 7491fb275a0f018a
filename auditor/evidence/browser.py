"""WARC capture of the browser stage: Chromium's traffic, the rendered pages, the screenshots.

The browser's connections are TLS end to end through the guard proxy (a plain CONNECT
tunnel), so its bytes cannot be taken off the wire as the crawler's are.  They come from
Playwright's network events instead, with these limits (each record says which applies):

* bodies are as Chromium decoded them: Content-Encoding removed, so the archived headers
  carry the original as ``X-Archive-Orig-Content-Encoding`` / ``-Content-Length`` (a
  reader must not decode the body again) and the record notes it;
* each exchange is read when Playwright reports it finished (``requestfinished``): a body
  Chromium no longer holds by then (a redirect's; a fetch whose page had already
  navigated away) is archived empty with ``WARC-Truncated: unspecified``;
* at most ``MAX_EXCHANGES`` exchanges and ``MAX_HELD_BYTES`` of bodies per shop (the rest
  is counted in ``meta.browser['warc']['not_captured']``), bodies over ``max_page_bytes``
  cut (``WARC-Truncated: length``);
* the secrets rule of auditor/evidence/warc.py applies: cookies and authorization values
  redacted, a login form post archived with the password masked;
* with a saved session (``--storage-state``) the account is unknown, so nothing can mask
  it: the stage's bodies are not archived at all (headers are, redacted).

Each page the stage rendered gets a ``conversion`` record (its rendered DOM as UTF-8, what
its sha256 in report.json was taken of) that refers to the response it was rendered
from, and each screenshot a ``resource`` record (``urn:cardshop-audit:evidence/…png``).
"""
from __future__ import annotations

import time
from pathlib import Path

from urllib.parse import urlsplit

from cardshop_auditor import netpolicy
from cardshop_auditor.artifacts import sha256_bytes
from cardshop_auditor.evidence.warc import Exchange, WarcFile, exchange_records, resource_record, warc_path

MAX_EXCHANGES = 2000
MAX_HELD_BYTES = 64 << 20       # bodies held in memory until the stage ends
DECODED_HEADERS = ("content-encoding", "content-length")
SCREENSHOT_URI = "urn:cardshop-audit:"
SAVED_SESSION = ("body not archived: a saved session (--storage-state) is logged in as an account "
                 "the auditor cannot name, hence cannot mask")


class BrowserCapture:
    """``attach`` to every context of the shop (``ShopSession(on_context=…)``), ``flush``
    once, before the contexts close."""

    def __init__(self, out_dir: str | Path, options=None):
        self.out_dir = Path(out_dir)
        self.enabled = bool(getattr(options, "warc", True))
        self.max_body = int(getattr(options, "max_page_bytes", 2_000_000) or 2_000_000)
        # A saved session (--storage-state) logs in as an account the auditor cannot name,
        # so it cannot mask it: bodies that may show it are not archived (headers are).
        self.keep_bodies = not getattr(options, "storage_state", None)
        self._exchanges: list[Exchange] = []
        self._held = 0                                # body bytes held until flush
        self.dropped = 0
        self.response_ids: dict[str, str] = {}        # URL → latest response record id

    def attach(self, context) -> None:
        if self.enabled:
            context.on("requestfinished", self._finished)

    def _finished(self, request) -> None:
        """Read the exchange now, while the page that made it is still loaded: Chromium
        forgets a body once its page navigates away.  Secrets are masked later, in
        ``flush`` (a login's session is registered as a secret after its responses)."""
        if len(self._exchanges) >= MAX_EXCHANGES or self._held > MAX_HELD_BYTES:
            self.dropped += 1
            return
        try:
            exchange = self._exchange(request, time.time())
        except Exception:          # noqa: BLE001 - a page or context closed meanwhile
            self.dropped += 1
            return
        if exchange is not None:
            self._exchanges.append(exchange)
            self._held += len(exchange.body)

    def flush(self, artifacts, evidence_items: list[dict]) -> dict:
        """Write the exchanges, the rendered pages and the screenshots; returns a summary
        for ``meta.browser['warc']``.  Sets ``warc_record_id`` on the rendered pages and
        on the evidence items."""
        if not self.enabled:
            return {}
        writer = WarcFile(warc_path(self.out_dir), info={"description": "cardshop-auditor browser stage"})
        pinned = _pins(artifacts)
        records: list = []
        for exchange in self._exchanges:
            exchange.ip = _address(exchange.url, pinned)
            record_id, pair = exchange_records(exchange)
            self.response_ids[exchange.url] = record_id
            records.extend(pair)
        for page in artifacts.pages:
            if page.fetched_with != "browser" or not page.html or page.warc_record_id:
                continue
            uri = page.final_url or page.url
            record_id, record = resource_record(
                uri, page.html.encode("utf-8"), "text/html; charset=utf-8", record_type="conversion",
                refers_to=self.response_ids.get(uri),
                extra={"Cardshop-Source": "browser", "Cardshop-Note": "rendered DOM (document.documentElement.outerHTML)"})
            page.warc_record_id = record_id
            records.append(record)
        for item in evidence_items:
            path = self.out_dir / str(item.get("path") or "")
            try:
                data = path.read_bytes()
            except OSError:
                continue
            uri = SCREENSHOT_URI + str(item["path"])
            record_id, record = resource_record(uri, data, "image/png",
                                                extra={"Cardshop-Source": "browser",
                                                       "Cardshop-Sha256": sha256_bytes(data)})
            item["warc_record_id"], item["warc_target_uri"] = record_id, uri
            records.append(record)
        writer.append(records)
        self._exchanges.clear()
        return {"records": writer.records, "exchanges": len(self.response_ids), "not_captured": self.dropped}

    def _exchange(self, request, seen_at: float) -> Exchange | None:
        url = request.url
        if not url.startswith(("http://", "https://")):
            return None
        response = request.response()
        if response is None:
            return None
        truncated, note = None, "body as decoded by the browser (Content-Encoding removed)"
        if not self.keep_bodies:
            body, truncated, note = b"", "unspecified", SAVED_SESSION
        else:
            try:
                body = response.body()
            except Exception:              # noqa: BLE001 - redirects, evicted bodies
                body, truncated, note = b"", "unspecified", "body no longer held by the browser"
        if len(body) > self.max_body:
            body, truncated = body[: self.max_body], "length"
        headers = []
        for h in response.headers_array():
            name = h["name"]
            if name.lower() in DECODED_HEADERS:
                name = "X-Archive-Orig-" + name
            headers.append((name, h["value"]))
        timing = getattr(request, "timing", None) or {}
        started = timing.get("startTime")
        return Exchange(
            url=url, method=request.method,
            request_headers=[(h["name"], h["value"]) for h in request.headers_array()
                             if not h["name"].startswith(":")],
            request_body=(request.post_data_buffer or b"") if self.keep_bodies else b"", status=response.status,
            response_headers=headers, body=body, reason=response.status_text or None,
            when=started / 1000.0 if started and started > 0 else seen_at,
            truncated=truncated, source="browser", note=note)


def _address(url: str, pinned: dict) -> str | None:
    """Chromium only sees its guard proxy (127.0.0.1) as the peer; the proxy connects to
    the addresses the crawl pinned for the host (auditor/browser/proxy.py), so those are
    the shop's address.  A literal IP host is its own address."""
    host = (urlsplit(url).hostname or "").lower()
    if netpolicy.parse_ip(host) is not None:
        return host
    ips = pinned.get(host)
    return str(ips[0]) if ips else None


def _pins(artifacts) -> dict:
    network = getattr(artifacts.meta, "network", None) or {}
    return {str(h).lower(): list(ips) for h, ips in (network.get("pins") or {}).items() if ips}
