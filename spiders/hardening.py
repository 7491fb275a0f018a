"""Limits Scrapy and Twisted do not have: the size of a response's header section.

Twisted's HTTP client caps one header *line* (16 KB) but not how many lines a server
sends: a hostile server streaming ``X-Junk-N: …`` lines forever grows the parser's
header table by ~100 MB a second until the request timeout fires.  ``install()`` caps the
whole header section (status line, headers, continuation lines) at ``MAX_HEADER_BYTES``
by wrapping the line handler of Scrapy's HTTP/1.1 response parser; past the cap the
response fails with ``headers_too_large``.

Installed once per process by the spider (``ShopSpider.from_crawler``).  If Scrapy's
internals move, ``install()`` returns False and the crawl runs without the cap (the
request timeout still bounds it) — tests/hostile/ notices.
"""
from __future__ import annotations

MAX_HEADER_BYTES = 256 * 1024     # browsers accept ~256 KB; nginx's default is 32 KB
_installed = False


class HeadersTooLarge(Exception):
    def __init__(self, size: int):
        super().__init__(f"headers_too_large: response headers exceed {MAX_HEADER_BYTES} bytes ({size} so far)")


def install() -> bool:
    global _installed
    if _installed:
        return True
    try:
        from scrapy.core.downloader.handlers.http11 import _LenientHTTPClientParser as parser
    except ImportError:
        return False
    original = parser.__dict__.get("lineReceived")
    if original is None:
        return False

    def lineReceived(self, line: bytes) -> None:   # noqa: N802 (Twisted's name)
        size = self.__dict__.get("_audit_header_bytes", 0) + len(line) + 2
        self.__dict__["_audit_header_bytes"] = size
        if size > MAX_HEADER_BYTES:
            raise HeadersTooLarge(size)
        original(self, line)

    parser.lineReceived = lineReceived
    _installed = True
    return True
