"""What the rendered DOM offers a person: every URL a click could lead to
(``collect_links``), and the controls that lead somewhere without one: 购买 buttons whose
handler builds the URL, category tabs, goods drop-downs (``probe``, ``read_marks``).

Read by the renderer (links only the rendered page has) and by the goods-page walk
(auditor/browser/reach.py); the in-page scripts are auditor/browser/scripts/*.js.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from cardshop_auditor.browser.scripts import source
from cardshop_auditor.browser.session import ShopSession
from cardshop_auditor.urls import visit_key

GOODS_URL = re.compile(r"/buy/|/item/|/items?/\d|/goods|/product/|/products?/\d|/detail|/commodity|/shop/\d|"
                       r"[?&](?:pid|gid|goods_?id|item_?id|product_?id)=\w|"
                       r"#/(?:goods|item|product|detail|buy|commodity)", re.I)
ORDER_URL = re.compile(r"/order|/bill|/query|/search|#/(?:order|query)", re.I)
ORDER_PAGE = re.compile(r"/(?:order|bill|query|search)[\w-]*/?(?:$|[?#])|#/(?:order|query)", re.I)  # /product/query
LISTING_URL = re.compile(r"/group|/category|/cate/|/class|/list|[?&](?:tid|cid|category_?id)=\w|"
                         r"#/(?:group|category|list)", re.I)
GOODS_TEXT = re.compile(r"购买|下单|抢购|商品|详情|buy|purchase|detail", re.I)
ORDER_TEXT = re.compile(r"订单|查单|查询|卡密|order", re.I)
# never followed, even as a GET: URLs that act (log out, delete, order, pay) and files (downloads)
ACTING_URL = re.compile(r"logout|log-out|signout|sign-out|delete|remove|cancel|/pay(?:/|\b|ment)|"
                        r"create-?order|/order/create|/checkout|/refund/apply|/recharge|/submit", re.I)
FILE_URL = re.compile(r"\.(?:zip|rar|7z|exe|apk|dmg|pdf|xlsx?|jpe?g|png|gif|css|js)(?:$|\?)", re.I)
UNSAFE_URL = re.compile(ACTING_URL.pattern + "|" + FILE_URL.pattern, re.I)

# in-page scripts (auditor/browser/scripts/*.js)
LINKS_JS = source("dom_links")         # every URL a click could lead to
BUTTONS_JS = source("buttons")         # 购买 / 下单 buttons whose target a handler builds
TABS_JS = source("tabs")               # category tabs that switch the goods list in place
SELECTS_JS = source("selects")         # goods picked from drop-downs on the order form


@dataclass
class DomLink:
    url: str
    text: str
    how: str = "a"            # a | attr | onclick
    visible: bool = True
    depth: int = 1            # clicks from the start page

    @property
    def kind(self) -> str:
        """goods | order | listing | other."""
        if ORDER_PAGE.search(self.url):
            return "order"
        if LISTING_URL.search(self.url):
            return "listing"
        if GOODS_URL.search(self.url) or (GOODS_TEXT.search(self.text) and len(self.text) <= 12
                                          and not ORDER_URL.search(self.url)):
            return "goods"
        if ORDER_URL.search(self.url) or ORDER_TEXT.search(self.text):
            return "order"
        return "other"

    def score(self) -> int:
        s = {"goods": 20, "listing": 8, "order": 6, "other": 0}[self.kind]
        if GOODS_URL.search(self.url) and GOODS_TEXT.search(self.text):
            s += 4
        return s + (1 if self.visible else 0)


def spread(n: int) -> list[int]:
    """0 … n-1 in the order first, last, middle, quarters …: a sample of any length covers
    the whole list (its categories, its later goods), not its head."""
    if n <= 2:
        return list(range(n))
    order, seen = [0, n - 1], {0, n - 1}
    spans = [(0, n - 1)]
    while spans:
        nxt = []
        for lo, hi in spans:
            mid = (lo + hi) // 2
            if mid not in seen:
                seen.add(mid)
                order.append(mid)
            if mid - lo > 1:
                nxt.append((lo, mid))
            if hi - mid > 1:
                nxt.append((mid, hi))
        spans = nxt
    return order + [i for i in range(n) if i not in seen]


def collect_links(session: ShopSession) -> list[DomLink]:
    """Every same-site URL of the rendered page a click could lead to (safe ones only)."""
    try:
        raw = session.page.evaluate(LINKS_JS) or []
    except Exception:
        return []
    if not isinstance(raw, list):                      # a page that tampered with our walk
        return []
    here = visit_key(session.page.url)
    out = []
    for item in raw[:1500]:
        if not isinstance(item, dict):
            continue
        url = str(item.get("url") or "")[:2048]
        if not url.startswith("http") or UNSAFE_URL.search(url) or not session.allowed_url(url):
            continue
        if "#" in url and not url.split("#", 1)[1].startswith("/"):
            url = url.split("#", 1)[0]                 # an in-page anchor: the page itself
        if visit_key(url) == here:
            continue
        out.append(DomLink(url=url, text=str(item.get("text") or "")[:80], how=str(item.get("how") or "a")[:8],
                           visible=bool(item.get("visible"))))
    return out


def read_marks(session: ShopSession, js: str, arg) -> list[dict]:
    """What BUTTONS_JS / TABS_JS returned, as well-formed entries only."""
    try:
        raw = session.page.evaluate(js, arg) or []
    except Exception:
        return []
    if not isinstance(raw, list):
        return []
    return [{"mark": str(m["mark"])[:40], "text": str(m.get("text") or "")[:40], "tag": str(m.get("tag") or "")[:12]}
            for m in raw[:20] if isinstance(m, dict) and m.get("mark")]


def probe(session: ShopSession) -> dict:
    """What the rendered page offers besides links: URL-less 购买 buttons, category tabs,
    goods drop-downs (counts; nothing is marked, the snapshot's marks stay)."""
    try:
        selects = session.page.evaluate(SELECTS_JS, False)
    except Exception:
        selects = None
    return {"buy_buttons": len(read_marks(session, BUTTONS_JS, ["probe-", GOODS_TEXT.pattern, False])),
            "tabs": len(read_marks(session, TABS_JS, ["probe-", False])),
            "selects": bool(isinstance(selects, dict) and (selects.get("product") or selects.get("category")))}
