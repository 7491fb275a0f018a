"""Bounded best-first search over a shop's UI for the refund / after-sales control.

A node is a UI state: the start page plus the clicks that led there.  Every visible
control of a state is scored by its label (个人中心 → 我的订单 → 订单详情 → 更多 → 申请退订,
see ``labels``) minus a cost per click already spent, and the most promising control of
the whole frontier is clicked next.  When the live page is not the parent state of that
control, the state is restored: from the nearest ancestor reached by navigation (its URL)
the remaining in-page clicks (menus, tabs, modals) are replayed.

The goal control is located and outlined, never clicked; controls whose label or link says
退出/删除/取消/确认/提交/支付… are never clicked (``labels.is_destructive``).  Budgets:
``click_budget`` new clicks explored (replays not counted) and a wall-clock deadline.
"""
from __future__ import annotations

import heapq
import itertools
import time
from urllib.parse import urlsplit

from cardshop_auditor.browser import labels as L
from cardshop_auditor.browser.scripts import source
from cardshop_auditor.browser.session import Control, ShopSession, Snapshot
from cardshop_auditor.browser.steps import (Action, Found, Node, SearchResult, in_scope, labels_of, match,  # noqa: F401
                                            occurrence_of, similar)
from cardshop_auditor.urls import visit_key

CLICK_COST = 4.0            # priority lost per click already spent on the way
MAX_SAME_LABEL = 3         # rows of one list: the same label tried at most this often
MAX_REPLAY_FACTOR = 6       # clicks spent replaying, as a multiple of the click budget


class RefundSearch:
    def __init__(self, session: ShopSession, *, click_budget: int, deadline: float,
                 logged_in: bool, screenshots: bool = True, log=None):
        self.s = session
        self.click_budget = max(1, int(click_budget))
        self.deadline = deadline
        self.logged_in = logged_in
        self.screenshots = screenshots
        self.log = log or (lambda m: None)
        self.result = SearchResult()
        self._seq = itertools.count()
        self._frontier: list = []
        self._expanded: set = set()
        self._seen_states: set = set()
        self._live: Node | None = None
        self._weak: Found | None = None
        self._pages_seen: set[str] = set()      # canonical URLs of the pages reached

    # ---- scoring ----------------------------------------------------------------------
    def clickable(self, c: Control) -> bool:
        if not c.label and not c.toggle_like:
            return False
        if L.is_destructive(c.label, c.href):
            return False
        if c.is_submit or c.type in ("submit", "image"):
            return False                       # forms are never submitted by the search
        if c.form_has_password:
            return False
        if not in_scope(self.s, c):
            return False
        if c.href.lower().startswith(("mailto:", "tel:", "sms:", "tencent:", "weixin:", "mqq")):
            return False
        if L.LOGIN.match(c.label or "") or (self.logged_in and L.LOGIN_LOOSE.search(c.label or "")):
            return False
        return True

    def priority(self, c: Control, depth: int) -> float:
        score = L.nav_score(c.label, c.region, c.toggle_like)
        if score <= 0:
            return 0.0
        if self.logged_in and L.ORDER_QUERY.search(c.label or ""):
            score = min(score, 4.0)            # a member's orders are in the member centre
        if c.region == "main":
            score += 1.0
        return score - CLICK_COST * depth

    def goal_in(self, snap: Snapshot) -> tuple[Control, str] | None:
        best = None
        for c in snap.controls:
            strength = L.is_final(c.label, c.region)
            if strength is None:
                continue
            if best is None or (strength == "strong" and best[1] == "weak"):
                best = (c, strength)
                if strength == "strong" and c.region == "main":
                    break
        return best

    @staticmethod
    def _target(c: Control) -> str | None:
        """Where a real link goes (canonical), else None (buttons, #, javascript:)."""
        href = (c.href or "").strip().lower()
        if not c.abs or not c.abs.startswith("http") or not href or href.startswith(("#", "javascript")):
            return None
        return visit_key(c.abs)

    def _key(self, node: Node, c: Control) -> tuple:
        target = self._target(c)
        if target:                     # 我的订单 and 查看我的订单 to one URL: one page
            return ("href", target)
        return ("ui", c.label, node.url.split("#")[0], tuple(a.label for a in node.actions()[-2:]))

    def push_children(self, node: Node, snap: Snapshot) -> None:
        seen_here: set = set()
        per_label: dict[str, int] = {}
        for c in snap.controls:
            if not self.clickable(c):
                continue
            if L.nav_score(c.label, c.region, c.toggle_like) <= 0:
                continue
            key = self._key(node, c)
            if key in self._expanded or key in seen_here:
                continue
            if key[0] == "href" and key[1] in self._pages_seen:
                continue                       # a page already open (the active nav item …)
            seen_here.add(key)
            repeat = per_label.get(c.label, 0)
            if repeat >= MAX_SAME_LABEL:          # 订单详情 on every row: try the first few
                continue
            per_label[c.label] = repeat + 1
            prio = self.priority(c, node.depth) - 1.5 * repeat
            toggle = bool(L.OVERFLOW.match(c.label or "") or c.toggle_like)
            action = Action(kind="click", label=c.label, tag=c.tag, href=c.href,
                            occurrence=occurrence_of(snap, c), toggle=toggle,
                            direct=c.abs if c.plain and not toggle and key[0] == "href" else "")
            heapq.heappush(self._frontier, (-prio, next(self._seq), node, action, key, c.y))

    # ---- moving between states -----------------------------------------------------------
    def _budget_left(self) -> bool:
        return (time.monotonic() < self.deadline
                and self.result.clicks_total < self.click_budget * MAX_REPLAY_FACTOR)

    def restore(self, node: Node) -> Snapshot | None:
        """Put the page into ``node``'s state; returns its snapshot or None."""
        chain = node.path()
        for start in ([i for i in range(len(chain) - 1, -1, -1) if chain[i].addressable] or [0]):
            try:
                self.s.goto(chain[start].url)
                snap = self.s.snapshot()
                ok = True
                for n in chain[start + 1:]:
                    if not self._budget_left():
                        return None
                    snap = self.perform(n.action, snap)
                    if snap is None:
                        ok = False
                        break
                if ok and similar(node.labels, labels_of(snap)):
                    self._live = node
                    return snap
            except Exception as exc:  # noqa: BLE001
                self.result.notes.append(f"replay failed: {type(exc).__name__}")   # library text may quote inputs
            if start == 0:
                break
        self._live = None
        return None

    def perform(self, action: Action, snap: Snapshot) -> Snapshot | None:
        """Replay one recorded action on the live page."""
        if action.kind == "query":
            if not fill_order_no(self.s, snap, action.value):
                return None
            snap = self.s.snapshot()
        control = match(snap, action)
        if control is None:
            return None
        self.s.click(control)
        self.result.clicks_total += 1
        return self.s.snapshot()

    # ---- the search ----------------------------------------------------------------------
    def run(self, root_url: str | None = None, root_actions: list[Action] | None = None,
            root_shots: list[bytes | None] | None = None) -> SearchResult:
        """Search from the current page (the page right after login, or the home page).
        ``root_actions`` are clicks already made to get here (the order-query flow)."""
        try:
            root = Node(parent=None, action=None, url=root_url or self.s.page.url, depth=0,
                        addressable=True)
            node = root
            for i, act in enumerate(root_actions or []):
                node = Node(parent=node, action=act, url=self.s.page.url, depth=node.depth + 1,
                            addressable=False, shot=(root_shots or [None] * 99)[i])
            self._live = node
            snap = self.s.snapshot(reuse=True)
            node.labels = labels_of(snap)
            if self._visit(node, snap):
                return self.result
            while self._frontier:
                if self.result.clicks_explored >= self.click_budget:
                    self.result.stopped = "click_budget"
                    break
                if not self._budget_left():
                    self.result.stopped = "time_budget"
                    break
                _, _, parent, action, key, _y = heapq.heappop(self._frontier)
                if key in self._expanded:
                    continue
                self._expanded.add(key)
                if self._live is not parent and action.direct:
                    # a plain link of a state that is not on screen any more: load its URL
                    # instead of restoring that state to click it (one page load, not two)
                    child = self._jump(parent, action)
                    if child is not None and self._visit(*child):
                        self._fill_shots(self.result.found)
                        return self.result
                    continue
                if self._live is not parent:
                    snap = self.restore(parent)
                    if snap is None:
                        continue
                else:
                    snap = self.s.snapshot(reuse=True)     # unchanged since: no new DOM walk
                control = match(snap, action)
                if control is None:
                    continue
                child = self._click(parent, action, control, snap)
                if child is None:
                    continue
                child_node, child_snap = child
                if self._visit(child_node, child_snap):
                    self._fill_shots(self.result.found)
                    return self.result
            else:
                self.result.stopped = "exhausted"
        except Exception as exc:  # noqa: BLE001
            self.result.stopped = "error"
            self.result.notes.append(f"search error: {type(exc).__name__}")
        if self.result.found is None and self._weak is not None:
            self.result.found = self._weak
            self._fill_shots(self._weak)
        return self.result

    def _jump(self, parent: Node, action: Action):
        """Load a plain link's URL directly (see ``run``); the step's screenshot (the parent
        state with the link outlined) is taken later, only if the step ends up on the path
        to the refund control (``_fill_shots``)."""
        self.log(f"open “{action.label}” → {action.direct} (its page is no longer on screen)")
        self.s.last_nav_method = "GET"
        try:
            self.s.goto(action.direct, referer=parent.url)
        except Exception as exc:  # noqa: BLE001
            self.result.notes.append(f"could not load {action.direct[:120]}: {type(exc).__name__}")
            self._live = None
            return None
        self.result.clicks_explored += 1
        self.result.clicks_total += 1
        after = self.s.snapshot()
        labels = labels_of(after)
        child = Node(parent=parent, action=action, url=after.url, depth=parent.depth + 1,
                     addressable=True, labels=labels, revealed=labels - parent.labels, jumped=True)
        self._live = child
        return child, after

    def _fill_shots(self, found: Found | None) -> None:
        """Screenshots of the steps reached by ``_jump`` on the path to ``found``: restore
        the parent state, outline the control, capture (the live page moves away)."""
        if found is None or not self.screenshots:
            return
        for node in found.node.path()[1:]:
            if node.shot is not None or not node.jumped or time.monotonic() > self.deadline:
                continue
            try:
                snap = self.restore(node.parent)
                control = match(snap, node.action) if snap is not None else None
                if control is None:
                    continue
                self.s.outline(control, True)
                node.shot = self.s.screenshot()
                self.s.outline(control, False)
            except Exception as exc:  # noqa: BLE001
                self.result.notes.append(f"step screenshot failed: {type(exc).__name__}")

    def _click(self, parent: Node, action: Action, control: Control, before: Snapshot):
        shot = None
        if self.screenshots:
            self.s.outline(control, True)
            shot = self.s.screenshot()
            self.s.outline(control, False)
        url_before, navs_before = self.s.page.url, self.s._main_navs
        self.s.last_nav_method = "GET"
        if action.direct and control.plain and not action.toggle:
            # a link no script handles: its click is a GET of its URL, so load that URL
            # (a click-started navigation costs ~80 ms more: mouse events, beforeunload)
            self.log(f"follow “{control.label}” at {url_before} → {action.direct}")
            try:
                self.s.goto(action.direct, referer=url_before)
            except Exception as exc:  # noqa: BLE001
                self.result.notes.append(f"could not load {action.direct[:120]}: {type(exc).__name__}")
                self._live = None
                return None
        else:
            self.log(f"click “{control.label}” at {url_before}")
            if not self.s.click(control):
                return None
        self.result.clicks_explored += 1
        self.result.clicks_total += 1
        after = self.s.snapshot()
        url_after = after.url
        navigated = url_after != url_before or self.s._main_navs != navs_before
        before_labels = {(c.label, c.tag) for c in before.controls}
        revealed = frozenset(c.label for c in after.controls if (c.label, c.tag) not in before_labels)
        # only a real page load (or an SPA route change) makes the state addressable by URL
        addressable = navigated and urlsplit(url_after)[:4] != urlsplit(url_before)[:4] or \
            (navigated and "#/" in url_after and url_after != url_before)
        if self.s.last_nav_method != "GET" and url_after != url_before:
            addressable = False              # a POST result: reloading the URL is not the same page
        child = Node(parent=parent, action=action, url=url_after, depth=parent.depth + 1,
                     addressable=bool(addressable), shot=shot, labels=labels_of(after),
                     revealed_by_toggle=bool(action.toggle and revealed and not addressable),
                     revealed=revealed)
        self._live = child
        return child, after

    def _visit(self, node: Node, snap: Snapshot) -> bool:
        """Check a freshly reached state; push its controls.  True when the goal is here."""
        self.result.visited.append(snap.url)
        self._pages_seen.add(visit_key(snap.url))
        if snap.password_visible and not self.logged_in and node.depth > 0:
            self.result.login_wall = True
            self.result.notes.append(f"login form at {snap.url}")
            return False
        goal = self.goal_in(snap)
        if goal is not None:
            control, strength = goal
            if strength == "strong":
                self.result.found = self._found(node, control, strength, snap)
                return True
            if self._weak is None:       # 工单 / 售后: keep looking for 申请退款, keep this one
                self._weak = self._found(node, control, strength, snap)
                self.s.outline(control, False)
        sig = snap.signature()
        if sig in self._seen_states:
            return False
        self._seen_states.add(sig)
        self.push_children(node, snap)
        return False

    def _found(self, node: Node, control: Control, strength: str, snap: Snapshot) -> Found:
        self.s.outline(control, True)
        shot = self.s.screenshot() if self.screenshots else None
        in_overflow = bool(node.revealed_by_toggle and control.label in node.revealed) or \
            bool(node.action and node.action.toggle and control.in_menu and not node.addressable)
        url = control.abs if control.abs.startswith("http") and not control.href.startswith(
            ("#", "javascript")) else snap.url
        return Found(node=node, control=control, strength=strength, shot=shot,
                     url=url, page_url=snap.url, in_overflow_menu=in_overflow)


# ---- the public order-query flow ----------------------------------------------------------

FILL_ORDER_JS = source("fill_order")


def fill_order_no(session: ShopSession, snap: Snapshot, order_no: str) -> bool:
    try:
        if not session.page.evaluate(FILL_ORDER_JS, {"pattern": L.ORDER_NO_FIELD.pattern}):
            return False
        session.page.locator('[data-cardshop-order="1"]').first.fill(order_no)
        return True
    except Exception:
        return False


def order_query(session: ShopSession, order_no: str, deadline: float, screenshots: bool = True,
                log=None) -> tuple[list[Action], list[bytes | None], str]:
    """订单查询 → type the order number → 查询.  Returns the actions made, their
    screenshots, and a note; the page is left on the query result."""
    log = log or (lambda m: None)
    actions: list[Action] = []
    shots: list[bytes | None] = []
    snap = session.snapshot()

    def shoot(control: Control) -> bytes | None:
        if not screenshots:
            return None
        session.outline(control, True)
        data = session.screenshot()
        session.outline(control, False)
        return data

    # 1. the order-query page (may be the current one already)
    if not _has_query_form(session, snap):
        entry = next((c for c in sorted(snap.controls, key=lambda c: (c.region == "footer", c.y))
                      if c.label and L.ORDER_QUERY.search(c.label) and not L.is_destructive(c.label, c.href)
                      and in_scope(session, c)), None)
        if entry is None:
            return actions, shots, "no 订单查询 control on the start page"
        shots.append(shoot(entry))
        occ = occurrence_of(snap, entry)
        log(f"click “{entry.label}” (order query)")
        session.click(entry)
        actions.append(Action(kind="click", label=entry.label, tag=entry.tag, href=entry.href,
                              occurrence=occ))
        snap = session.snapshot()
    if time.monotonic() > deadline:
        return actions, shots, "time budget reached in the order-query flow"
    # 2. type the order number, click 查询
    if not fill_order_no(session, snap, order_no):
        return actions, shots, "no order-number field on the order-query page"
    snap = session.snapshot()
    button = next((c for c in snap.controls if c.label and L.QUERY_BUTTON.match(c.label)), None)
    if button is None:
        session.page.locator('[data-cardshop-order="1"]').first.press("Enter")
        session.settle()
        actions.append(Action(kind="query", label="查询", value=order_no))
        shots.append(None)
        return actions, shots, "submitted the order number with Enter (no 查询 button)"
    shots.append(shoot(button))
    occ = occurrence_of(snap, button)
    log(f"click “{button.label}” (order query for {order_no})")
    session.click(button)
    actions.append(Action(kind="query", label=button.label, tag=button.tag, href=button.href,
                          occurrence=occ, value=order_no))
    return actions, shots, ""


def _has_query_form(session: ShopSession, snap: Snapshot) -> bool:
    if not any(c.label and L.QUERY_BUTTON.match(c.label) for c in snap.controls):
        return False
    try:
        return bool(session.page.evaluate(FILL_ORDER_JS, {"pattern": L.ORDER_NO_FIELD.pattern}))
    except Exception:
        return False
