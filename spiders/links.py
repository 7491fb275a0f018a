"""Which links a shop audit follows, and in what order.

Compliance facts live in a handful of places (footer, 关于我们, agreements, help centre,
after-sales, order query, user centre); those are fetched first so a page cap still
finds them.  Links that log out, delete, pay or submit are never followed.
"""
from __future__ import annotations

import re
from html import unescape
from itertools import islice
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from cardshop_auditor.urls import origin, resolve

PRIORITY_RULES: tuple[tuple[int, re.Pattern], ...] = tuple(
    (score, re.compile(pattern, re.I)) for score, pattern in (
        (100, r"协议|条款|政策|须知|规则|声明|agreement|terms|policy|tos|rule|notice"),
        (90, r"退款|退货|退换|退订|售后|after.?sale|refund"),
        (80, r"关于|联系|about|contact|资质|营业执照|license|licence"),
        (70, r"帮助|常见问题|faq|help|客服|support|service"),
        (60, r"订单查询|查询订单|订单|order|query|search"),
        (55, r"注册|register|signup|sign-up"),
        (50, r"个人中心|会员中心|用户中心|我的|登录|登陆|login|signin|user|member|account"),
    ))

NEVER_FOLLOW = re.compile(
    r"退出|注销|登出|logout|log-out|signout|sign-out|delete|remove|删除|取消订单|cancel|"
    r"pay(?:ment)?/|/pay\b|支付|充值提交|submit|unsubscribe", re.I)

SKIP_EXTENSIONS = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|bmp|css|js|mjs|map|json|xml|txt|pdf|docx?|xlsx?|pptx?|"
    r"zip|rar|7z|gz|tgz|bz2|xz|tar|iso|bin|deb|rpm|jar|wasm|apk|ipa|exe|msi|dmg|mp[34]|avi|mov|flv|"
    r"woff2?|ttf|eot)$", re.I)


def link_priority(text: str, url: str, in_footer: bool = False) -> int:
    haystack = f"{text} {urlsplit(url).path}"
    score = max((s for s, pattern in PRIORITY_RULES if pattern.search(haystack)), default=10)
    return score + (5 if in_footer else 0)


def normalise_link(base: str, href: str) -> str | None:
    """The page a link leads to (``cardshop_auditor.urls``: absolute, normalised, no
    fragment), or None for links we never follow."""
    url = resolve(base, (href or "").strip(), origin(base))
    if url is None or SKIP_EXTENSIONS.search(urlsplit(url).path):
        return None
    return url


def should_follow(text: str, url: str) -> bool:
    return not NEVER_FOLLOW.search(f"{text} {url}")


_ANCHOR_RE = re.compile(
    r"""<a\b[^>]{0,2000}?\bhref\s*=\s*(?:"([^"]{0,2048})"|'([^']{0,2048})'|([^\s>]{1,2048}))[^>]{0,2000}>"""
    r"""(.{0,400}?)</a\s*>""", re.I | re.S)
_TAG_RE = re.compile(r"<[^>]{0,2000}>")
_FOOTER_RE = re.compile(r"<footer\b|<[^>]{1,200}(?:class|id)\s*=\s*[\"']?[^\"'>]{0,200}(?:foot|copyright|bottom)", re.I)

# Footer anchors: inside <footer>, or inside an element whose class has foot / copyright /
# bottom or whose id has foot.  Asked from each anchor upwards: a page has a few dozen
# anchors but hundreds of elements, and testing every element's class (downwards, the
# first two versions of this) cost more than parsing the page (bench/README.md, §2).
_FOOTER_ANCHORS = etree.XPath(
    "//a[@href][ancestor::footer or ancestor::*[contains(@class,'foot') or contains(@class,'copyright') "
    "or contains(@class,'bottom') or contains(@id,'foot')]]")


def _under_footer(node) -> bool:
    """The test of ``_FOOTER_ANCHORS`` for one anchor."""
    for el in node.iterancestors():
        if el.tag == "footer":
            return True
        cls = el.get("class")
        if cls and ("foot" in cls or "copyright" in cls or "bottom" in cls) or "foot" in (el.get("id") or ""):
            return True
    return False


class Anchor:
    """One link of a page.  Its text and whether it sits in the footer are read only when
    asked: most links of a shop's pages point to pages already seen, and are dropped on
    their URL alone."""

    __slots__ = ("href", "node", "_in_footer", "_text")

    def __init__(self, href: str, in_footer: bool | None, node=None, text: str = ""):
        self.href, self.node, self._in_footer, self._text = href, node, in_footer, text

    @property
    def in_footer(self) -> bool:
        if self._in_footer is None:
            self._in_footer = _under_footer(self.node)
        return self._in_footer

    @property
    def text(self) -> str:
        if self.node is None:
            return self._text
        return _text(self.node) or (self.node.get("title") or "")[:80]


def _text(node) -> str:
    return " ".join(" ".join(islice(node.itertext(), 50)).split())[:80]


def page_anchors(html: str, body_limit: int = 1000, footer_limit: int = 200) -> list[Anchor]:
    """A page's links: the first ``body_limit`` anchors plus up to ``footer_limit`` footer
    anchors wherever they are (20 000 product links must not hide the agreement link at
    the bottom).

    lxml's HTML parser stops at 256 levels of nesting (the rest of the page is lost); a
    page that deep, or one lxml cannot parse at all, is scanned with a bounded regex."""
    if not html:
        return []
    parser = lxml_html.HTMLParser(recover=True)
    try:
        root = lxml_html.document_fromstring(html, parser=parser)
    except (ValueError, etree.ParserError, etree.XMLSyntaxError):
        root = None
    if root is None or any("depth" in (e.message or "").lower() for e in parser.error_log):
        return _regex_anchors(html, body_limit, footer_limit)
    every = list(root.iter("a"))
    linked = [a for a in every if a.get("href") is not None]
    if len(every) <= body_limit and len(linked) <= footer_limit:
        # no limit can bite: footer membership is asked per link, when needed
        return [Anchor(a.get("href"), None, a) for a in linked]
    footer = set(islice(_FOOTER_ANCHORS(root), footer_limit * 5))
    out, footers = [], 0
    for index, anchor in enumerate(every):
        href = anchor.get("href")
        if href is None:
            continue
        in_footer = anchor in footer
        if index >= body_limit and not in_footer:
            continue
        if in_footer:
            footers += 1
            if footers > footer_limit:
                continue
        out.append(Anchor(href, in_footer, anchor))
        if index >= body_limit and footers >= min(footer_limit, len(footer)):
            break
    return out


def extract_anchors(html: str, body_limit: int = 1000, footer_limit: int = 200) -> list[tuple[str, str, bool]]:
    """(href, text, in_footer) of ``page_anchors``."""
    return [(a.href, a.text, a.in_footer) for a in page_anchors(html, body_limit, footer_limit)]


def _regex_anchors(html: str, body_limit: int, footer_limit: int) -> list[Anchor]:
    match = _FOOTER_RE.search(html)
    footer_at = match.start() if match else len(html)
    out, footers = [], 0
    for index, m in enumerate(_ANCHOR_RE.finditer(html)):
        in_footer = m.start() >= footer_at
        if index >= body_limit and not in_footer:
            continue
        footers += in_footer
        if footers > footer_limit:
            break
        href = m.group(1) or m.group(2) or m.group(3) or ""
        text = " ".join(unescape(_TAG_RE.sub(" ", m.group(4))).split())[:80]
        out.append(Anchor(unescape(href), in_footer, None, text))
    return out


class LeastLinks:
    """The link each crawled page is known by (its depth and link text).  A page is fetched
    under the first link to it that a parsed response offered, and which response is parsed
    first differs from run to run; every later link to it is weighed here too, and the
    least (depth, referring URL, text) wins: the same whatever the order."""

    def __init__(self) -> None:
        self._scheduled: dict[str, tuple[int, str, str]] = {}
        self._least: dict[str, tuple[int, str, str]] = {}

    def scheduled(self, url: str, depth: int, referer: str, text: str) -> None:
        self._scheduled[url] = self._least[url] = (depth, referer, text)

    def improves(self, url: str, depth: int, referer: str, text: str) -> bool:
        return url in self._least and (depth, referer, text) < self._least[url]

    def linked_again(self, url: str, depth: int, referer: str, text: str) -> None:
        if self.improves(url, depth, referer, text):
            self._least[url] = (depth, referer, text)

    def relinked(self) -> dict:
        """url -> {"depth", "link_text"} for the pages whose least link is not the one they
        were fetched under (ShopMeta.relinked; artifacts.crawl_order applies it)."""
        return {url: {"depth": least[0], "link_text": least[2]}
                for url, least in sorted(self._least.items()) if least != self._scheduled[url]}
