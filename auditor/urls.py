"""URL identity: the one place that decides when two URLs are the same page, host or site.

    normalise(url)            a page's canonical form: lower-case scheme and host, no default
                              port, no fragment, '/' for an empty path (None: not http(s))
    absolute(base, href)      an href resolved against its page, normalised (None: a fragment
                              or a scheme that is not a page: javascript:, mailto:, tencent: …)
    resolve(base, href, o)    ``absolute`` with a cache and a fast path for "/path" hrefs
    origin(url)               scheme://host[:port] of the normalised URL
    visit_key(url)            "been there" for the browser: also no trailing '/', and an SPA
                              route ('#/goods/3') is a page of its own
    page_key(url)             the page whatever its index file is called (/index.php = /)
    path_key(url)             path and query without the host (the same page on another port)
    host_key(url)             hostname[:port], the default port left out (history groups scans so)
    same_host(a, b)           host_key equal
    site_key(url), same_site  the registrable domain plus a non-default port (below)
    target_url(text)          a user's target: checked, scheme added, user-info dropped

One site = the registrable domain (public-suffix list, *including its private section*,
so ``a.github.io`` and ``b.github.io``, or ``a.cn.com`` and ``b.cn.com``, are two sites) plus
the port when it is not the scheme's default (a shop on ``shop.cn:8080`` and another
program on ``shop.cn:9000`` are two sites; ``http://shop.cn`` and ``https://shop.cn`` are
one).  Hosts that are IP addresses or have no public suffix (``localhost``, intranet
names) are their own site: ``host:port``.  The list is tldextract's bundled snapshot, read
offline: no download ever happens.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
# hrefs that never lead to a page of the shop
_NOT_A_PAGE = ("javascript:", "mailto:", "tel:", "sms:", "data:", "tencent:", "weixin:", "mqq", "alipays:",
               "about:")
_INDEX_FILE = re.compile(r"/(index|default)\.(html?|php|aspx?|jsp)$")


# ---- pages -----------------------------------------------------------------------------------

def normalise(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    if not host:
        return None
    port = _port(parts)
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def absolute(base: str, href: str) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith("#") or href[:16].lower().startswith(_NOT_A_PAGE):
        return None
    try:
        return normalise(urljoin(base, href))
    except ValueError:
        return None


# A root-relative path with nothing urljoin would rewrite: no "//" authority, no dot
# segments, no backslash or whitespace (urlsplit drops tabs and newlines), and not an
# empty query (urljoin drops a bare "?").
_PLAIN_PATH = re.compile(r"(?!.*/\.)(?!.*[\\\s])/(?![/\\])")
_RESOLVED: dict = {}
_MISSING = object()


def resolve(base: str, href: str, origin_of_base: str | None = None) -> str | None:
    """``absolute`` with a cache (a shop's pages repeat their links); with the page's
    ``origin`` a plain "/path" href is origin + path, without urljoin."""
    if origin_of_base and href[:1] == "/":
        rest = href.split("#", 1)[0]
        if _PLAIN_PATH.match(rest) and not rest.endswith("?"):
            return origin_of_base + rest
    key = (base, href) if not href.startswith(("http://", "https://")) else ("", href)
    hit = _RESOLVED.get(key, _MISSING)
    if hit is not _MISSING:
        return hit
    url = absolute(base, href)
    if len(_RESOLVED) > 50000:
        _RESOLVED.clear()
    _RESOLVED[key] = url
    return url


@lru_cache(maxsize=1024)
def origin(url: str | None) -> str | None:
    canonical = normalise(url)
    if canonical is None:
        return None
    return canonical[:canonical.index("/", canonical.index("//") + 2)]


def visit_key(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/"
    frag = parts.fragment if parts.fragment.startswith("/") else ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}" + \
        (f"?{parts.query}" if parts.query else "") + (f"#{frag}" if frag else "")


def page_key(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    path = _INDEX_FILE.sub("/", parts.path or "/")
    return parts.netloc.lower(), path.rstrip("/")


def path_key(url) -> str:
    if not isinstance(url, str):
        return ""
    parts = urlsplit(url)
    return (parts.path or "/") + ("?" + parts.query if parts.query else "")


# ---- hosts and sites ----------------------------------------------------------------------

def host_key(url: str) -> str:
    parts = urlsplit(url if "://" in url else "http://" + url)
    host = (parts.hostname or url).lower()
    port = _port(parts)
    if port and port != DEFAULT_PORTS.get(parts.scheme):
        return f"{host}:{port}"
    return host


def same_host(url: str | None, other: str | None) -> bool:
    return bool(url) and bool(other) and host_key(url) == host_key(other)


@lru_cache(maxsize=4096)
def site_key(url: str) -> str:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower().rstrip(".")
    if port == DEFAULT_PORTS.get(parts.scheme.lower()):
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


def _port(parts) -> int | None:
    try:
        return parts.port
    except ValueError:
        return None


# ---- the user's target ------------------------------------------------------------------------

def target_url(url: str) -> str:
    """``shop.cn`` → ``http://shop.cn/``; ValueError for what is not an http(s) URL of a host
    that reads as it is."""
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    if any(unicodedata.category(ch)[0] in "CZ" for ch in parts.hostname):
        # bidi overrides, zero-width and control characters: no domain has them, and they
        # would make the host read differently in a terminal or a report than it is
        raise ValueError(f"not an http(s) URL: the host name has invisible or control characters: "
                         f"{ascii(parts.hostname)[:120]}")
    if "@" in parts.netloc:
        url = _without_userinfo(url, parts)
    return url if urlsplit(url).path else url + "/"


def _without_userinfo(url: str, parts) -> str:
    """http://user:pass@shop/ → http://shop/: a password in a URL would be copied into every
    report, log and database row; it is registered as a secret and never used."""
    from cardshop_auditor import secrets
    if parts.password:
        secrets.register(unquote(parts.password), "password")
        secrets.register(parts.password, "password")
    if parts.username:
        secrets.register(unquote(parts.username), "username")
    secrets.guard_streams()
    secrets.warn("the user name / password in the URL are not used (they would be copied into the reports); "
                 "give --username with --password-env / --password-file / --auth for a shop login")
    host = parts.netloc.rsplit("@", 1)[1]
    return parts._replace(netloc=host).geturl()
