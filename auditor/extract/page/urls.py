"""The page parser's URL helpers: canonical form, and hrefs resolved against the page."""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

# hrefs that never lead to a page of the shop (kept as special hrefs, never resolved)
_NOT_A_PAGE = ("javascript:", "mailto:", "tel:", "sms:", "data:", "tencent:", "weixin:", "mqq", "alipays:",
               "about:")


def normalise_url(url: str | None) -> str | None:
    """Canonical form for graph lookups: lower-case scheme/host, no default port, no
    fragment, '/' for an empty path."""
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
    port = parts.port if _safe_port(parts) else None
    netloc = host if port in (None, 80 if scheme == "http" else 443) else f"{host}:{port}"
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def _safe_port(parts) -> bool:
    try:
        parts.port
        return True
    except ValueError:
        return False


def absolute_url(base: str, href: str) -> str | None:
    """``href`` resolved against ``base`` and normalised; None for fragments and non-page schemes."""
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return None
    if href[:16].lower().startswith(_NOT_A_PAGE):
        return None
    try:
        return normalise_url(urljoin(base, href))
    except ValueError:
        return None


_URL_CACHE: dict = {}
_MISSING = object()


def resolve(base: str, href: str, origin: str | None = None) -> str | None:
    """``absolute_url`` with a cache (shop pages repeat their links), and a fast path for
    root-relative hrefs when the page's ``origin`` is known."""
    if origin and href[:1] == "/" and href[1:2] != "/" and "\\" not in href:
        # the common case, "/buy/1": origin + path, no urljoin needed
        return origin + href.split("#", 1)[0]
    key = (base, href) if not href.startswith(("http://", "https://")) else ("", href)
    hit = _URL_CACHE.get(key, _MISSING)
    if hit is not _MISSING:
        return hit
    url = absolute_url(base, href)
    if len(_URL_CACHE) > 50000:
        _URL_CACHE.clear()
    _URL_CACHE[key] = url
    return url


def origin_of(url: str | None) -> str | None:
    """scheme://host[:port] of a normalised URL."""
    return url[:url.index("/", url.index("//") + 2)] if url else None
