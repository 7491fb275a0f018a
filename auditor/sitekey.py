"""Site identity: which URLs belong to the same shop.

One site = the registrable domain (public-suffix list, *including its private section*,
so ``a.github.io`` and ``b.github.io``, or ``a.cn.com`` and ``b.cn.com``, are two sites) plus
the port when it is not the scheme's default (a shop on ``shop.cn:8080`` and another
program on ``shop.cn:9000`` are two sites; ``http://shop.cn`` and ``https://shop.cn`` are
one).  Hosts that are IP addresses or have no public suffix (``localhost``, intranet
names) are their own site: ``host:port``.

The list is tldextract's bundled snapshot, read offline: no download ever happens.
"""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


@lru_cache(maxsize=4096)
def site_key(url: str) -> str:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower().rstrip(".")
    if port == _DEFAULT_PORTS.get(parts.scheme.lower()):
        port = None
    suffix = f":{port}" if port else ":"
    if not host or host.replace(".", "").isdigit() or ":" in host or "." not in host:
        return host + suffix
    ext = _extractor()(host)
    domain = getattr(ext, "top_domain_under_public_suffix", None)
    if domain is None:                    # tldextract < 5.3
        domain = ext.registered_domain
    return (domain or host) + suffix


def same_site(url: str, other: str) -> bool:
    return site_key(url) == site_key(other)


@lru_cache(maxsize=1)
def _extractor():
    import tldextract
    # suffix_list_urls=(): never fetch the list; cache_dir=None: never write one; the
    # package's bundled snapshot is used as is.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None,
                                 include_psl_private_domains=True)
