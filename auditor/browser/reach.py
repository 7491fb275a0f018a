"""Pages a static crawl cannot reach: links that exist only in the rendered DOM.

On the popular open-source 发卡 themes the goods links are built by script: cards drawn
from an inline JSON object (独角数卡), an AJAX goods list (异次元), a layui table whose
购买 button is a ``lay-event`` (ZFAKA), ``#/goods/3`` routes of a Vue app (kamiFaka).  The
goods page is where the buy prompt (一经售出概不退换, often in a 购买提示 modal) and the
payment choices sit, so the browser stage follows those links:

* ``collect_links`` (dom_links.py): one walk of the rendered DOM for every URL a person
  could reach by a click: anchors (hash routes included), ``data-href``/``data-url``/router
  ``to`` attributes, URLs inside ``onclick`` handlers;
* ``rank``: goods pages first (/buy/, /item/, /goods/, /product/, /detail, ``?pid=``,
  ``#/goods``; 购买 / 下单 / 商品), then order pages; other links are left to ``render``;
* where no goods URL exists anywhere (the row's handler builds it), a few 购买 / 下单
  buttons outside any form are clicked, with order / payment writes blocked, and the page
  they lead to is taken;
* each goods page is captured after its buy prompt is open (auto-opened, or opened by its
  购买须知 / 购买提示 button), so the extractors read the prompt and the order form;
* the prompt many shops show only after 立即购买 / 下单 (a layer popup, a modal, a
  SweetAlert, a native confirm) is read by clicking the order button under a guard that lets
  no order, payment or navigation out (auditor/browser/buy_click.py): on up to
  ``MAX_ORDER_CLICKS`` goods pages whose own prompt said nothing on refunds, and no more
  once ``MAX_SILENT_CLICKS`` showed nothing or one showed the dialog read before (a template);
* goods pages are taken spread over the list (first, last, middle …: a term that sits on
  one category or on the later goods is met early), ``MAX_GOODS_PAGES`` are captured, and
  past that cap (or once the pages repeat each other) up to ``MAX_GLANCES`` more are only
  glanced at (loaded, their HTML searched for a refund sentence not read yet); a glance that
  finds one is captured, ``MAX_DULL_GLANCES`` glances in a row that find nothing end it;
* the goods pages left after that (up to ``MAX_PEEKS``, a few at a time) are peeked at: their
  HTML fetched from the page itself (same origin, GET, nothing rendered: ``peek.js``) and
  searched the same way; a page with a refund sentence not read yet is loaded and captured
  (``MAX_PEEK_CAPTURES`` at most).  A term on one goods page in the middle of a list of
  alike ones (the 9th of 14) is met at the cost of a few plain requests (late_goods.py);
  a hash route (``#/18/detail``), or a history route whose fetched HTML is the app shell, is
  peeked at by switching the app to it in place and reading the rendered view; a page
  captured for a new sentence has that sentence photographed.

Budgets: pages (``max_pages`` for the whole browser stage), goods pages per shop, clicks,
and the stage deadline (half of the time budget stays for the refund-entry search).
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from cardshop_auditor.artifacts import Page
from cardshop_auditor.browser.buy_click import WritesBlocked, read_order_dialog
from cardshop_auditor.browser.dialogs import MODAL_JS, OrderDialog, dialog_page, open_dialog
from cardshop_auditor.browser.dom_links import (  # noqa: F401 - UNSAFE_URL: also read from here
    BUTTONS_JS, GOODS_TEXT, SELECTS_JS, TABS_JS, UNSAFE_URL, DomLink, collect_links, probe, read_marks, spread)
from cardshop_auditor.browser.evidence import EvidenceWriter
from cardshop_auditor.browser.late_goods import (  # noqa: F401 - the walk's limits, also read from here
    MAX_DULL_GLANCES, MAX_GLANCES, MAX_PEEK_CAPTURES, MAX_PEEKS, PEEK_JS, REFUND_SENTENCE, LateGoods)
from cardshop_auditor.browser.render import page_from_browser
from cardshop_auditor.browser.session import Control, ShopSession
from cardshop_auditor.urls import visit_key

MAX_GOODS_PAGES = 5         # goods pages per shop: enough to read their buy prompts
ALIKE_AFTER = 3             # goods pages read before a run of alike ones ends the walk
MAX_ALIKE = 2               # consecutive goods pages that add no refund sentence: stop
MAX_ORDER_CLICKS = 4        # goods pages whose order button is clicked for its buy prompt
MAX_SILENT_CLICKS = 2       # order clicks that opened nothing (no such step); a repeated dialog stops at once
MAX_ORDER_PAGES = 1
MAX_CLICKS = 2              # 购买 buttons clicked where no goods URL exists in the DOM
MAX_LISTINGS = 2            # category / list pages rendered to find goods links
MAX_TABS = 4                # category tabs clicked on the start page for more goods links
SLOW_QUIET_MS = 250         # the second look at a start page whose list had not arrived
TIME_SHARE = 0.5            # discovery stops when less than this share of the budget is left

BUY_PROMPT = re.compile(r"购买提示|购买须知|下单须知|购前必读|注意事项|温馨提示|购买说明|商品须知|使用须知")
REFUND_WORDS = re.compile(r"退款|退换|退货|售后|不退|退订")

@dataclass
class ReachResult:
    pages: list[Page] = field(default_factory=list)
    found: int = 0                                   # same-site candidate links in the DOM
    visited: list[str] = field(default_factory=list)
    clicked: list[str] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)  # goods pages whose buy prompt was read
    tabs: int = 0                                    # category tabs clicked for more goods
    stopped: str = "done"                            # done | page_budget | time_budget | error
    writes_blocked: int = 0
    glanced: list[str] = field(default_factory=list)   # goods pages past the cap, searched only
    peeked: list[str] = field(default_factory=list)    # goods pages past the glances, their HTML fetched
    routes_peeked: int = 0                           # of them, hash routes whose view was drawn in place
    order_clicks: list[dict] = field(default_factory=list)  # {url, button, filled, dialogs, blocked}

    def to_json(self) -> dict:
        return {"links_found": self.found, "visited": self.visited[:20], "clicked": self.clicked[:10],
                "buy_prompts": self.prompts[:10], "tabs": self.tabs, "stopped": self.stopped,
                "writes_blocked": self.writes_blocked, "glanced": self.glanced[:20],
                "peeked": len(self.peeked), "routes_peeked": self.routes_peeked,
                "order_clicks": self.order_clicks[:MAX_ORDER_CLICKS]}


def rank(links: list[DomLink], known: set[str]) -> list[DomLink]:
    """Goods links first, then listings and order pages; unknown ones only, one per URL;
    DOM order kept within a score.  Other links are the renderer's business."""
    seen = set(known)
    picked = []
    for link in links:
        key = visit_key(link.url)
        if key in seen or link.kind == "other":
            continue
        seen.add(key)
        picked.append(link)
    ranked = sorted(picked, key=lambda l: -l.score())
    # goods of one score: spread over the list, not its head
    out: list[DomLink] = []
    i = 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j].score() == ranked[i].score():
            j += 1
        group = ranked[i:j]
        out += [group[k] for k in spread(len(group))] if group[0].kind == "goods" else group
        i = j
    return out


class Reach(LateGoods):
    """Follow the rendered DOM's goods / order links of one shop within the budgets."""

    def __init__(self, session: ShopSession, evidence: EvidenceWriter, *, pages_left: int,
                 deadline: float, budget: float, known: set[str], static_urls=(), log=None,
                 order_pages: tuple[Page, ...] = ()):
        self.s = session
        self.evidence = evidence
        self.pages_left = max(0, int(pages_left))
        self.deadline = deadline
        self.stop_at = deadline - budget * TIME_SHARE
        self.known = {visit_key(u) for u in known if u}
        self.static_urls = [u for u in static_urls if u]
        self.order_pages = list(order_pages)   # crawled goods pages whose order button opens a scripted dialog
        self.log = log or (lambda m: None)
        self.result = ReachResult()
        self.goods = 0
        self.alike = 0                    # goods pages in a row that said nothing new on refunds
        self.dull = 0                     # glances in a row that found nothing new
        self.silent_clicks = 0            # order clicks that opened no dialog, or one already read
        self._to_peek: list[DomLink] = []  # goods links left once the glances ended
        self._peek_lines: set[str] = set()  # refund sentences the peeks met
        self.peek_captures = 0
        self.term_shots = 0               # sentences photographed on pages captured for them
        self._framed = ""                 # the open modal's markup when its words are a framed page
        self._dialog_texts: set[str] = set()
        self._refund_lines: set[str] = set()
        self.orders = 0
        self.listings = 0
        self._evidence_taken = False

    # ---- budgets ---------------------------------------------------------------------
    def _can_visit(self) -> bool:
        if self.pages_left <= 0:
            self.result.stopped = "page_budget"
            return False
        if time.monotonic() >= self.stop_at:
            self.result.stopped = "time_budget"
            return False
        return True

    def _spend(self) -> None:
        self.pages_left -= 1

    # ---- the walk --------------------------------------------------------------------
    def run(self, start_url: str, start_links: list[DomLink] | None, found: dict | None = None) -> ReachResult:
        """``start_links`` / ``found``: the start page's DOM links and ``probe``, read while it
        was rendered (None: read them here, a visit of the start page)."""
        found = dict(found or {})
        res = self.result
        self.known.add(visit_key(start_url))
        frontier = rank(start_links or [], self.known)
        if not start_links:
            # not read yet, or read before anything was drawn (a slow AJAX answer): look
            # again once the page has been quiet for longer
            if not self._can_visit():
                return res
            self._spend()
            self.s.goto(start_url)
            self.s.settle(2.0, quiet_ms=SLOW_QUIET_MS)
            start_links = collect_links(self.s)
            found = probe(self.s)
            frontier = rank(start_links, self.known)
        res.found = len(start_links or [])
        listings = [start_url]
        self._walk(frontier, listings)
        # the goods list is server-rendered when the crawl has goods pages: nothing to click for
        crawled_goods = any(DomLink(u, "").kind == "goods" for u in self.static_urls)
        if found.get("tabs") and not crawled_goods and not self._goods_done() and self._can_visit():
            # goods of the other categories: drawn when their tab is clicked
            more = self._tab_links(start_url)
            self._walk(more, listings)
        if not self.goods and found.get("selects") and self._can_visit():
            self._select_goods(start_url)
        if not self.goods and not crawled_goods and (found.get("buy_buttons") or len(listings) > 1):
            self._click_through(listings)
        self._click_crawled()
        return res

    def _click_crawled(self) -> None:
        """Server-rendered goods pages the crawl read, whose 立即购买 opens a dialog a script
        writes: loaded and their order button clicked (the page itself is the crawl's)."""
        for page in self.order_pages:
            if len(self.result.order_clicks) >= MAX_ORDER_CLICKS or self.silent_clicks >= MAX_SILENT_CLICKS \
                    or not self._can_visit():
                return
            url = page.final_url or page.url
            self._spend()
            try:
                self.log(f"reach: crawled goods page {url} for its order dialog")
                response = self.s.goto(url)
                if response is not None and response.status >= 400:
                    continue
            except Exception:
                continue
            self.result.visited.append(url)
            self._order_dialog(url, page, page.depth)

    def _select_goods(self, start_url: str) -> None:
        """CardSystem-style: the goods are chosen in drop-downs of the order form on the page;
        choose a category and a product or two, and keep the page as the buyer sees it then."""
        if visit_key(self.s.page.url) != visit_key(start_url):
            self._spend()
            self.s.goto(start_url)
        with WritesBlocked(self.s) as blocked:
            try:
                info = self.s.page.evaluate(SELECTS_JS, True)
                if isinstance(info, dict) and info.get("category"):
                    value = str(info["category"][0]["value"])[:200]
                    self.s.page.locator('[data-cardshop-select="cat"]').first.select_option(value=value, timeout=2000)
                    self.s.settle(2.0, quiet_ms=SLOW_QUIET_MS)
                    info = self.s.page.evaluate(SELECTS_JS, True)
                products = info.get("product") if isinstance(info, dict) else None
                for option in (products or [])[:2]:
                    if not self._can_visit():
                        break
                    self._spend()
                    self.s.page.locator('[data-cardshop-select="prod"]').first.select_option(
                        value=str(option["value"])[:200], timeout=2000)
                    self.s.settle(2.0)
                    self.goods += 1
                    label = f"商品：{str(option.get('text') or '')[:30]}"
                    self.result.clicked.append(label)
                    self.log(f"reach: choose {label}")
                    self._capture(self.s.page.url, 200, label, depth=1)
            except Exception:
                pass
        self.result.writes_blocked += blocked.count

    def _tab_links(self, start_url: str) -> list[DomLink]:
        if visit_key(self.s.page.url) != visit_key(start_url):
            self._spend()
            self.s.goto(start_url)
        found: list[DomLink] = []
        for i in range(MAX_TABS):
            if time.monotonic() >= self.stop_at:
                break
            # marked afresh each time: a list that redraws its tab bar loses the marks
            marks = read_marks(self.s, TABS_JS, [f"reachtab{i}-", True])
            if i >= len(marks):
                break
            target = marks[i]
            self.result.tabs += 1
            with WritesBlocked(self.s) as blocked:
                clicked = self.s.click(Control(mark=target["mark"], text=target["text"], tag=target["tag"]))
            self.result.writes_blocked += blocked.count
            if not clicked:
                continue
            if visit_key(self.s.page.url) != visit_key(start_url):
                break                                   # a tab that is a page: not a tab
            new = rank(collect_links(self.s), self.known | {visit_key(l.url) for l in found})
            found += [l for l in new if l.kind == "goods"]
        self.result.found += len(found)
        return found

    def _walk(self, frontier: list[DomLink], listings: list[str]) -> None:
        res = self.result
        while frontier and self._can_visit():
            link = frontier.pop(0)
            key = visit_key(link.url)
            if key in self.known:
                continue
            kind = link.kind
            if kind == "goods" and self._goods_done():
                if self._may_glance():
                    self._glance(link)
                else:
                    self._to_peek.append(link)
                continue
            if (kind == "order" and self.orders >= MAX_ORDER_PAGES) or \
               (kind == "listing" and self.listings >= MAX_LISTINGS):
                continue
            self.known.add(key)
            self._spend()
            try:
                self.log(f"reach {kind} {link.url} (“{link.text[:20]}”)")
                response = self.s.goto(link.url)
                status = response.status if response is not None else 200
            except Exception:
                continue
            if status >= 400:
                continue
            res.visited.append(link.url)
            if kind == "listing":
                self.listings += 1
                listings.append(link.url)
                more = rank(collect_links(self.s), self.known)
                for m in more:
                    m.depth = link.depth + 1
                res.found += len(more)
                frontier = sorted(frontier + more, key=lambda l: -l.score())
                self._capture(link.url, status, link.text, depth=link.depth)
                continue
            if kind == "goods":
                self.goods += 1
            else:
                self.orders += 1
            self._capture(link.url, status, link.text, depth=link.depth)
        self._peek()

    def _goods_done(self) -> bool:
        """Enough goods pages: the cap, or a run of pages built from one template whose buy
        prompt and description repeat what was read (the other 195 goods will too)."""
        return self.goods >= MAX_GOODS_PAGES or (self.goods >= ALIKE_AFTER and self.alike >= MAX_ALIKE)

    def _click_through(self, listings: list[str]) -> None:
        """No goods URL in any DOM: the 购买 buttons' handlers build it.  Click a few (writes
        to order / payment endpoints blocked) and take the page they lead to."""
        for listing in listings:
            tries = 0
            while len(self.result.clicked) < MAX_CLICKS and self._can_visit():
                if visit_key(self.s.page.url) != visit_key(listing):
                    self._spend()
                    self.s.goto(listing)
                    if not self._can_visit():
                        return
                marks = read_marks(self.s, BUTTONS_JS, [f"reach{len(self.result.clicked)}-", GOODS_TEXT.pattern, True])
                if tries >= len(marks):
                    break
                target = marks[tries]             # the next row / card of the list
                tries += 1
                before = visit_key(self.s.page.url)
                self._spend()
                self.result.clicked.append(target["text"])
                self.log(f"reach: click “{target['text'][:20]}” on {listing}")
                with WritesBlocked(self.s) as blocked:
                    self.s.click(Control(mark=target["mark"], text=target["text"], tag=target["tag"]))
                self.result.writes_blocked += blocked.count
                url = self.s.page.url
                if visit_key(url) != before and self.s.allowed_url(url):
                    if visit_key(url) in self.known:
                        continue
                    self.known.add(visit_key(url))
                    self.goods += 1
                    self.result.visited.append(url)
                    self._capture(url, 200, target["text"], depth=1)
                elif self.s.page.evaluate(MODAL_JS):
                    # a quick-buy dialog on the list page itself: its prompt and payment form
                    self.goods += 1
                    self._capture(url, 200, target["text"], depth=1, open_prompt=False)

    # ---- one goods page ----------------------------------------------------------------
    def _capture(self, url: str, status: int, text: str, depth: int, open_prompt: bool = True,
                 shoot_new: bool = False) -> None:
        """The page as a buyer sees it once its buy prompt is open: the auto-opened modal, or
        the one its 购买须知 / 购买提示 button opens.  ``shoot_new``: the page was taken for a
        refund sentence not read yet (late_goods.py), which is photographed."""
        modal = self._modal_open()
        if not modal and open_prompt and time.monotonic() < self.stop_at:
            modal = self._open_prompt()
        try:
            page = page_from_browser(self.s, url, status, depth=depth, link_text=text)
        except Exception:
            return
        self.result.pages.append(page)
        framed = self._framed if modal else ""
        if framed:
            title = re.search(r"<title[^>]*>([^<]{0,120})", page.html or "")
            self.result.pages.append(dialog_page(OrderDialog(text=modal, how="dom", button="", markup=framed), url,
                                                 title.group(1).strip() if title else "", depth,
                                                 link_text="商品页弹窗（框内页面）"))
        lines = {m.strip() for m in REFUND_SENTENCE.findall(page.html + framed)}
        new = lines - self._refund_lines
        self.alike = 0 if new else self.alike + 1
        self._refund_lines |= lines
        shot = self._evidence_taken
        if modal:
            self.result.prompts.append(self.s.page.url)
            self._prompt_evidence(modal)
        if shoot_new and shot == self._evidence_taken:     # not just photographed as the buy prompt
            self._term_evidence(url, new)
        if open_prompt and not REFUND_WORDS.search(modal):
            # the dialog behind the order button, unless the page's own prompt spoke on refunds
            self._order_dialog(url, page, depth)

    def _order_dialog(self, url: str, page: Page, depth: int) -> None:
        """The buy prompt behind the order button (buy_click.py), as a page of its own."""
        if len(self.result.order_clicks) >= MAX_ORDER_CLICKS or self.silent_clicks >= MAX_SILENT_CLICKS \
                or time.monotonic() >= self.stop_at:
            return
        here = self.s.page.url
        try:
            click = read_order_dialog(self.s)
        except Exception:
            click = None
        if click is None:
            return
        self.log(f"reach: order button “{click.button}” on {here}: {len(click.dialogs)} dialog(s), "
                 f"{len(click.blocked)} request(s) blocked")
        self.result.writes_blocked += len(click.blocked)
        frames = [f for d in click.dialogs for f in d.frames]
        for f in frames:
            if not f["read"]:
                self.log(f"reach: the dialog on {here} frames {f['src'][:120]}: not of the page's origin, not read")
        self.result.order_clicks.append({"url": here, "button": click.button, "filled": click.filled,
                                         "dialogs": [d.how for d in click.dialogs], "blocked": len(click.blocked),
                                         "frames": frames[:4]})
        fresh = [d for d in click.dialogs if re.sub(r"\s+", "", d.text) not in self._dialog_texts]
        if not fresh:
            # nothing (maybe this page only), or the dialog read before: one template for all
            self.silent_clicks = MAX_SILENT_CLICKS if click.dialogs else self.silent_clicks + 1
            return
        title = re.search(r"<title[^>]*>([^<]{0,120})", page.html or "")
        for dialog in fresh:
            self._dialog_texts.add(re.sub(r"\s+", "", dialog.text))
            self.result.pages.append(dialog_page(dialog, here, title.group(1).strip() if title else "", depth))
            self._refund_lines |= {m.strip() for m in REFUND_SENTENCE.findall(dialog.text)}
            self.result.prompts.append(here)
            if REFUND_WORDS.search(dialog.text) and dialog.screenshot:
                how = "浏览器对话框" if dialog.how == "native" else "弹窗"
                first = re.sub(r"\s+", " ", dialog.text).strip()[:80]
                self.evidence.add("agreement", "goods-order-dialog", dialog.screenshot,
                                  f"点击“{click.button}”后的{how}：{first}", url=here)

    def _modal_open(self) -> str:
        """The text of the visible modal / dialog ('' when none); one whose words are a
        same-origin framed page is read through the frame, its markup kept for ``_capture``
        (the page's own HTML does not hold a frame's document)."""
        text, markup, frames = open_dialog(self.s)
        self._framed = markup if any(f["read"] for f in frames) else ""
        return text

    def _open_prompt(self) -> str:
        try:
            snap = self.s.snapshot()
        except Exception:
            return ""
        for c in snap.controls:
            if not c.label or len(c.label) > 12 or not BUY_PROMPT.search(c.label) or c.is_submit:
                continue
            href = (c.href or "").strip().lower()
            if c.tag == "a" and href and not href.startswith(("#", "javascript")):
                continue
            try:
                self.log(f"reach: open “{c.label}”")
                with WritesBlocked(self.s) as blocked:
                    self.s.click(c)
                self.result.writes_blocked += blocked.count
            except Exception:
                return ""
            return self._modal_open()
        return ""

    def _prompt_evidence(self, text: str) -> None:
        """One screenshot of a buy prompt that speaks about refunds (the term a buyer sees)."""
        if self._evidence_taken or not REFUND_WORDS.search(text):
            return
        self._evidence_taken = True
        try:
            from cardshop_auditor.browser.masking import element_screenshot
            data = element_screenshot(self.s.page, '[data-cardshop-modal="1"]', 3000)
        except Exception:
            data = self.s.screenshot()
        lines = [l.strip() for l in text.splitlines() if l.strip()]
        if lines and len(lines[0]) <= 12 and BUY_PROMPT.search(lines[0]):
            lines = lines[1:]                          # the modal's own title
        first = re.sub(r"\s+", " ", " ".join(lines)).strip()[:80]
        self.evidence.add("agreement", "goods-buy-prompt", data, f"商品页的购买提示：{first}",
                          url=self.s.page.url)

