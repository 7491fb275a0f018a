"""The goods pages past the walk's cap (reach.py): glanced at, then peeked at.

A glance loads a goods page and searches its HTML (hidden prompts included) for a refund
sentence not read yet; it is captured only when it has one.  A peek fetches the HTML of the
goods pages left from the page itself (same origin, GET, nothing rendered: ``peek.js``), a few
at a time, and loads only a page with a sentence neither read nor peeked before.  A term on
one goods page in the middle of a list of alike ones is met at the cost of a few requests.

A goods route of a hash-routed app (``#/18/detail``, kamiFaka's Vue SPA) has no HTML of its
own: fetched, it is the empty app shell.  It is peeked at by switching the app to that route
in place (``route.js``: no page load, the app draws the view from its API, one request as a
fetch peek costs) and searching the rendered DOM; a route with a new sentence is captured
as it stands.  A history route (``/item/113``) whose fetched HTML is the app shell
(``peek.js`` says so) is switched to the same way, by ``pushState`` and the ``popstate``
its router follows.  A page captured for a new sentence (a glance, a peek) has that sentence
photographed, outlined, with the goods page around it: the buyer meets it on that page alone.
"""
from __future__ import annotations

import re
import time

from cardshop_auditor.browser.dom_links import DomLink
from cardshop_auditor.browser.scripts import source
from cardshop_auditor.urls import visit_key

MAX_GLANCES = 8             # goods pages past the cap loaded only to search their HTML
MAX_DULL_GLANCES = 3        # glances in a row that found no new refund sentence: stop glancing
GLANCE_SETTLE = 1.0         # seconds a glanced page may take to settle
MAX_PEEKS = 24              # goods pages past the glances whose HTML alone is fetched and searched
PEEK_BATCH = 6              # fetched together (a browser's connections per host)
PEEK_MS = 4000              # one peek's time limit
MAX_PEEK_CAPTURES = 2       # peeked pages with a new refund sentence that are loaded and captured
ROUTE_MS = 1500             # a route switched in place: how long its view may take to start changing
ROUTE_SETTLE = 1.0          # then seconds it may take to settle (its API answer, the redraw)
MAX_STILL_ROUTES = 2        # route switches in a row that changed nothing: the app does not route in place
MAX_TERM_SHOTS = 2          # pages captured for a new sentence whose sentence is photographed
REFUND_SENTENCE = re.compile(r"[^。！!？?\n<>]{0,60}(?:退款|退换|退货|售后|不退|退订)[^。！!？?\n<>]{0,60}")
PEEK_JS = source("peek")
ROUTE_JS = source("route")
TERM_JS = source("term")
OUTLINE_JS = source("outline")
# a term a buyer is refused a refund by, photographed before any other new sentence
STRONG_TERM = re.compile(r"概不|不退|不予退|不支持退|不接受退|不提供退|无法退")


def is_route(url: str) -> bool:
    """A hash route of a single-page app (``/#/goods/3``): no HTML of its own."""
    return "#/" in url


class LateGoods:
    """Glances and peeks, mixed into ``reach.Reach`` (its session, budgets and captures)."""

    _still_routes = 0           # route switches in a row after which the view had not changed

    def _may_glance(self) -> bool:
        return len(self.result.glanced) < MAX_GLANCES and self.dull < MAX_DULL_GLANCES

    def _glance(self, link: DomLink) -> None:
        """A goods page past the cap: loaded and its HTML (hidden prompts included) searched
        for a refund sentence not read yet; captured only when it has one."""
        self.known.add(visit_key(link.url))
        self._spend()
        try:
            self.log(f"reach: glance {link.url}")
            response = self.s.goto(link.url, budget=GLANCE_SETTLE)
            status = response.status if response is not None else 200
            html = self.s.page.content() if status < 400 else ""
        except Exception:
            return
        self.result.glanced.append(link.url)
        if {m.strip() for m in REFUND_SENTENCE.findall(html)} - self._refund_lines:
            self.dull = 0
            self._take(link, status)
        else:
            self.dull += 1

    def _peek(self) -> None:
        """The goods pages left once the glances ended: their HTML fetched a few at a time (a
        hash route: its view drawn in place) and searched; one with a refund sentence neither
        read nor peeked before is captured."""
        pending, self._to_peek = self._to_peek, []
        pending = [l for l in pending if visit_key(l.url) not in self.known]
        pending = pending[:max(0, MAX_PEEKS - len(self.result.peeked))]
        shells = self._peek_fetched([l for l in pending if not is_route(l.url)])
        self._peek_routes([l for l in pending if is_route(l.url)])
        self._peek_routes(shells, history=True)

    def _peek_fetched(self, pending: list[DomLink]) -> list[DomLink]:
        """Peeks by fetch; returns the links whose HTML was an app shell (history routes)."""
        shells: list[DomLink] = []
        for i in range(0, len(pending), PEEK_BATCH):
            if time.monotonic() >= self.stop_at or self.peek_captures >= MAX_PEEK_CAPTURES:
                break
            batch = pending[i:i + PEEK_BATCH]
            try:
                found = self.s.page.evaluate(PEEK_JS, [[l.url for l in batch], REFUND_SENTENCE.pattern, PEEK_MS])
            except Exception:
                break
            if not isinstance(found, list) or not any(isinstance(f, (list, dict)) for f in found):
                break                                # nothing could be fetched from here
            for link, lines in zip(batch, found):
                if isinstance(lines, dict) and lines.get("shell"):
                    shells.append(link)
                elif isinstance(lines, list) and self._peeked(link, lines):
                    self._take_peeked(link)
        return shells

    def _peek_routes(self, pending: list[DomLink], history: bool = False) -> None:
        for link in pending:
            if time.monotonic() >= self.stop_at or self.peek_captures >= MAX_PEEK_CAPTURES:
                return
            if self._still_routes >= MAX_STILL_ROUTES:
                self.log(f"reach: the app did not draw {MAX_STILL_ROUTES} routes in place; the other routes not peeked")
                return
            html = self._route_view(link.url, history)
            if html is None:
                continue
            if self._peeked(link, REFUND_SENTENCE.findall(html)):
                # the view is the route's own: captured as it stands, not loaded again
                self.peek_captures += 1
                self._spend()
                self.log(f"reach: peeked route {link.url}: a refund sentence not read yet")
                self._take(link, 200)

    def _peeked(self, link: DomLink, lines) -> bool:
        """Note a peek; whether it met a refund sentence neither read nor peeked before and
        one more page may be captured."""
        key = visit_key(link.url)
        if key in self.known:
            return False
        self.known.add(key)
        self.result.peeked.append(link.url)
        lines = {str(m).strip() for m in lines}
        new = lines - self._refund_lines - self._peek_lines
        self._peek_lines |= lines
        return bool(new) and self.peek_captures < MAX_PEEK_CAPTURES and self._can_visit()

    def _route_view(self, url: str, history: bool = False) -> str | None:
        """The rendered DOM of a route, the app switched to it in place; a hash route of
        another document is loaded (a page of the budget).  None: not reached."""
        try:
            switched = self.s.page.evaluate(ROUTE_JS, [url, ROUTE_MS, history])
            if switched is None:
                if not self._can_visit():
                    return None
                self._spend()
                self.s.goto(url, budget=GLANCE_SETTLE)
            elif not switched:
                self._still_routes += 1          # the view on screen is the last route's: not read
                return None
            else:
                self._still_routes = 0
                self.s.settle(ROUTE_SETTLE)
            self.result.routes_peeked += 1
            return self.s.page.content()
        except Exception:
            return None

    def _take_peeked(self, link: DomLink) -> None:
        self.peek_captures += 1
        self._spend()
        try:
            self.log(f"reach: peeked {link.url}: a refund sentence not read yet")
            response = self.s.goto(link.url)
            status = response.status if response is not None else 200
        except Exception:
            return
        if status >= 400:
            return
        self._take(link, status)

    def _take(self, link: DomLink, status: int) -> None:
        """A goods page past the cap, taken for a refund sentence not read yet: counted as a
        goods page visited and captured as it stands, that sentence photographed."""
        self.goods += 1
        self.result.visited.append(link.url)
        self._capture(link.url, status, link.text, depth=link.depth, shoot_new=True)

    def _term_evidence(self, url: str, new: set[str]) -> None:
        """One screenshot of a sentence a page was captured for: the strongest term first,
        outlined in the page as the buyer sees it."""
        if self.term_shots >= MAX_TERM_SHOTS or not new:
            return
        for sentence in sorted(new, key=lambda t: (not STRONG_TERM.search(t), len(t))):
            try:
                shown = self.s.page.evaluate(TERM_JS, sentence)
            except Exception:
                return
            if not shown:
                continue
            self.term_shots += 1
            marked = '[data-cardshop-term="1"]'
            try:
                self.s.page.evaluate(OUTLINE_JS, [marked, True])
                data = self.s.screenshot()
            finally:
                try:
                    self.s.page.evaluate(OUTLINE_JS, [marked, False])
                except Exception:
                    pass
            text = re.sub(r"\s+", " ", sentence).strip()[:80]
            self.evidence.add("agreement", "goods-term", data, f"商品页上的条款：{text}", url=url)
            return
