"""What a buyer pastes, made into the shop's URL, or a clear reason why not.

    url = clean_pasted("【店铺】ｈｔｔｐｓ：／／shop.example.cn/?utm_source=qq 。")   # → https://shop.example.cn/
    checked = check_address(url, allow_networks)    # InputRefused, or the addresses it resolves to

People paste from chat apps: a bare domain, a link with a path and tracking parameters, a
sentence around it, full-width letters and punctuation.  ``clean_pasted`` takes the first
web address out of that (NFKC folds full-width forms), drops tracking parameters and the
fragment, and refuses anything that is not an http(s) address (``javascript:``, ``data:``,
``file:``) or names a file that is not a page (an .apk, a .zip, an image).

``check_address`` applies the same scope rules as every scan (cardshop_auditor.netpolicy)
with no start-address exception: a web visitor chooses the URL, so it may reach only public
addresses and the operator's ``--allow-network`` ranges; then one TCP connection attempt
tells an unreachable host at once instead of after a crawl.
"""
from __future__ import annotations

import re
import socket
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MAX_INPUT = 2048
PROBE_TIMEOUT = 3.0
RESOLVE_TIMEOUT = 5.0

# query parameters chat apps, ad networks and share buttons add: never part of the shop
TRACKING_EXACT = {"spm", "from", "isappinstalled", "scene", "clicktime", "enterid", "fbclid", "gclid",
                  "dclid", "msclkid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "yclid", "share_token",
                  "sharer_sharetime", "sharer_shareid", "share_source", "share_medium", "vd_source",
                  "wxfrom", "ref_src", "igshid", "si", "nsukey", "timestamp", "_t"}
TRACKING_PREFIXES = ("utm_", "share_", "wx_", "pk_")

BINARY_EXTENSIONS = {".apk", ".ipa", ".exe", ".msi", ".dmg", ".pkg", ".deb", ".rpm", ".zip", ".rar", ".7z",
                     ".gz", ".tgz", ".bz2", ".xz", ".tar", ".iso", ".img", ".bin", ".jar", ".pdf", ".doc",
                     ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".png", ".jpg", ".jpeg", ".gif", ".webp",
                     ".bmp", ".ico", ".svg", ".mp3", ".mp4", ".m4a", ".avi", ".mov", ".mkv", ".flv", ".wav",
                     ".woff", ".woff2", ".ttf", ".css", ".js", ".json", ".xml", ".txt", ".csv"}

# the characters that wrap or follow a link in a chat message (after NFKC folding)
_EDGE = "\"'`<>()[]{}（）【】「」『』《》〈〉“”‘’,.;:!?、。；：！？…—~·|"
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*):(?!\d+(?:[/?#]|$))")
_EXPLICIT = re.compile(r"https?://[^\s<>\"'`\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", re.I)
_BARE = re.compile(r"(?<![A-Za-z0-9@.\-])(?:(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
                   r"|\d{1,3}(?:\.\d{1,3}){3})(?::\d{1,5})?(?:[/?#][^\s<>\"'`\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]*)?")


@dataclass
class InputRefused(ValueError):
    """A submitted address the web page will not check: ``code`` is stable (the API's
    ``error``), ``detail`` is technical (the netpolicy reason), shown beside the message."""
    code: str
    detail: str = ""

    def __str__(self) -> str:
        return self.code + (f": {self.detail}" if self.detail else "")


def clean_pasted(text: str) -> str:
    """The http(s) URL in what was pasted (normalised: scheme, path, no tracking)."""
    text = unicodedata.normalize("NFKC", str(text or ""))[:MAX_INPUT]
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc") or ch in "\t\n")
    text = text.strip().strip(_EDGE + " \t\r\n")
    if not text:
        raise InputRefused("empty")
    scheme = _SCHEME.match(text)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        kind = scheme.group(1).lower()
        raise InputRefused("javascript" if kind in ("javascript", "vbscript") else "scheme", kind)
    found = _EXPLICIT.search(text) or _BARE.search(text)
    if not found:
        raise InputRefused("not_url")
    candidate = found.group(0).rstrip(_EDGE)
    if "://" not in candidate:
        candidate = "http://" + candidate
    from cardshop_auditor.urls import target_url
    try:
        url = target_url(candidate)
        parts = urlsplit(url)
        parts.port                           # noqa: B018 - raises on a port out of range
    except ValueError:
        raise InputRefused("not_url") from None
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not _tracking(k)])
    url = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))
    suffix = "." + parts.path.rsplit("/", 1)[-1].rsplit(".", 1)[-1].lower() if "." in parts.path.rsplit("/", 1)[-1] else ""
    if suffix in BINARY_EXTENSIONS:
        raise InputRefused("binary", suffix)
    return url


def _tracking(key: str) -> bool:
    key = key.lower()
    return key in TRACKING_EXACT or key.startswith(TRACKING_PREFIXES)


def check_address(url: str, allow_networks=(), probe: bool = True) -> tuple[str, ...]:
    """The addresses ``url``'s host resolves to, every one inside the scan scope; then (with
    ``probe``) one TCP connection to the first, so an unreachable host is told at once."""
    from cardshop_auditor import netpolicy
    host, port = netpolicy.url_host_port(url) or ("", 0)
    if not host:
        raise InputRefused("not_url")
    literal = netpolicy.parse_ip(host)
    if literal is not None:
        ips: tuple[str, ...] = (str(literal),)
    else:
        try:
            ips = _resolve(host)
        except OSError:
            raise InputRefused("unresolvable", host) from None
        if not ips:
            raise InputRefused("unresolvable", host)
    policy = netpolicy.NetPolicy(allowed_networks=netpolicy.parse_networks(allow_networks))
    decision = policy.check(port, ips)
    if not decision:
        raise InputRefused("outside", f"{decision.ip} ({decision.reason})")
    if probe:
        try:
            with socket.create_connection((ips[0], port), timeout=PROBE_TIMEOUT):
                pass
        except OSError as exc:
            raise InputRefused("unreachable", f"{host}:{port} ({type(exc).__name__})") from None
    return ips


def _resolve(host: str) -> tuple[str, ...]:
    """A fresh lookup (the server runs for weeks: no pinning across requests), bounded in time."""
    import concurrent.futures
    import os
    from cardshop_auditor import netpolicy
    rules = netpolicy.parse_rules(os.environ.get(netpolicy.RULES_ENV))
    if host.lower() in rules:
        return rules[host.lower()]
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(netpolicy._getaddrinfo, host, RESOLVE_TIMEOUT).result(timeout=RESOLVE_TIMEOUT)
    except concurrent.futures.TimeoutError:
        raise OSError("resolution timed out") from None
    finally:
        pool.shutdown(wait=False)
