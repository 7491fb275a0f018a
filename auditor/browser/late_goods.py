"""The goods pages past the walk's cap (reach.py): glanced at, then peeked at.

A glance loads a goods page and searches its HTML (hidden prompts included) for a refund
sentence not read yet; it is captured only when it has one.  A peek fetches the HTML of the
goods pages left from the page itself (same origin, GET, nothing rendered: ``peek.js``), a few
at a time, and loads only a page with a sentence neither read nor peeked before.  A term on
one goods page in the middle of a list of alike ones is met at the cost of a few requests.
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
REFUND_SENTENCE = re.compile(r"[^。！!？?\n<>]{0,60}(?:退款|退换|退货|售后|不退|退订)[^。！!？?\n<>]{0,60}")
PEEK_JS = source("peek")


class LateGoods:
    """Glances and peeks, mixed into ``reach.Reach`` (its session, budgets and captures)."""

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
            self.goods += 1
            self.result.visited.append(link.url)
            self._capture(link.url, status, link.text, depth=link.depth)
        else:
            self.dull += 1

    def _peek(self) -> None:
        """The goods pages left once the glances ended: their HTML fetched a few at a time and
        searched; one with a refund sentence neither read nor peeked before is loaded and
        captured."""
        pending, self._to_peek = self._to_peek, []
        pending = [l for l in pending if visit_key(l.url) not in self.known]
        pending = pending[:max(0, MAX_PEEKS - len(self.result.peeked))]
        for i in range(0, len(pending), PEEK_BATCH):
            if time.monotonic() >= self.stop_at or self.peek_captures >= MAX_PEEK_CAPTURES:
                return
            batch = pending[i:i + PEEK_BATCH]
            try:
                found = self.s.page.evaluate(PEEK_JS, [[l.url for l in batch], REFUND_SENTENCE.pattern, PEEK_MS])
            except Exception:
                return
            if not isinstance(found, list) or not any(isinstance(f, list) for f in found):
                return                               # nothing could be fetched from here
            for link, lines in zip(batch, found):
                key = visit_key(link.url)
                if not isinstance(lines, list) or key in self.known:
                    continue
                self.known.add(key)
                self.result.peeked.append(link.url)
                lines = {str(m).strip() for m in lines}
                new = lines - self._refund_lines - self._peek_lines
                self._peek_lines |= lines
                if new and self.peek_captures < MAX_PEEK_CAPTURES and self._can_visit():
                    self._take_peeked(link)

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
        self.goods += 1
        self.result.visited.append(link.url)
        self._capture(link.url, status, link.text, depth=link.depth)
