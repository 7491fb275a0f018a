"""The steps of the refund-entry search: recorded actions, UI states (nodes), what was
found, and how a recorded action is matched on a fresh snapshot of the page (replays)."""
from __future__ import annotations

from dataclasses import dataclass, field

from cardshop_auditor.browser.controls import Control, Snapshot


@dataclass
class Action:
    kind: str                 # click | query
    label: str
    tag: str = ""
    href: str = ""
    occurrence: int = 0
    toggle: bool = False      # an overflow / dropdown toggle (更多, …, ▼)
    value: str = ""           # query: the order number typed before clicking
    direct: str = ""          # a plain same-site link's URL: loadable without its parent state

    def describe(self) -> str:
        return self.label


@dataclass
class Node:
    parent: "Node | None"
    action: Action | None
    url: str
    depth: int
    addressable: bool         # reached by navigation: restorable by loading ``url``
    shot: bytes | None = None # screenshot taken before the click that created this node
    jumped: bool = False      # reached by loading ``action.direct``: ``shot`` taken when needed
    revealed_by_toggle: bool = False
    revealed: frozenset = frozenset()   # labels that became visible through this click
    labels: frozenset = frozenset()     # what the state showed: checks a restored state

    def path(self) -> list["Node"]:
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def actions(self) -> list[Action]:
        return [n.action for n in self.path()[1:]]


@dataclass
class Found:
    node: Node
    control: Control
    strength: str
    shot: bytes | None
    url: str
    page_url: str
    in_overflow_menu: bool


@dataclass
class SearchResult:
    found: Found | None = None
    clicks_explored: int = 0
    clicks_total: int = 0
    stopped: str = "exhausted"        # exhausted | click_budget | time_budget | login_wall | error
    login_wall: bool = False
    notes: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)


def labels_of(snapshot: Snapshot) -> frozenset:
    return frozenset(c.label for c in snapshot.controls if c.label)


def similar(expected: frozenset, got: frozenset) -> bool:
    """A restored state must look like the one recorded (same controls, mostly)."""
    if not expected:
        return True
    return len(expected & got) / len(expected | got) >= 0.6


def occurrence_of(snapshot: Snapshot, control: Control) -> int:
    n = 0
    for c in snapshot.controls:
        if c.mark == control.mark:
            return n
        if c.label == control.label and c.tag == control.tag and c.href == control.href:
            n += 1
    return 0


def match(snapshot: Snapshot, action: Action) -> Control | None:
    same = [c for c in snapshot.controls if c.label == action.label and c.tag == action.tag
            and c.href == action.href]
    if not same:
        same = [c for c in snapshot.controls if c.label == action.label]
    if not same:
        return None
    return same[min(action.occurrence, len(same) - 1)]


def in_scope(session, control: Control) -> bool:
    """The control stays on the shop (a link to another site is never a step)."""
    if not control.abs or not control.abs.startswith("http"):
        return True
    return session.allowed_url(control.abs)
