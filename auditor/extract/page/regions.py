"""Which region of the page an element opens: footer, navigation, modal, notice, hidden, form.

The vocabulary (tags, roles, class / id tokens) is ``extract/data/regions.json``, shared
with the browser stage's in-page scripts.  Regions are looked for among container tags
only (span / li / a / i are the bulk of a shop page and never hold a footer or a modal on
their own): one C-side filtered iteration, class / id strings judged once each (cached).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from cardshop_auditor.extract.page.app_shell import MOUNT_IDS
from cardshop_auditor.extract.page.model import BOTTOM, FOOTER, FORM, HIDDEN, MODAL, NAV, NOTICE, PageDoc
from cardshop_auditor.extract.page.tree import text_of
from cardshop_auditor.extract.text import collapse

VOCABULARY_FILE = Path(__file__).resolve().parent.parent / "data" / "regions.json"


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    """The region vocabulary (``regions.json``) as loaded; shared with the browser's scripts."""
    return json.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))


def _compile(section: str, key: str) -> "re.Pattern[str]":
    return re.compile(vocabulary()[section][key], re.I)


_V = vocabulary()
_HIDDEN_STYLE = _compile("hidden", "style")
_HIDDEN_CLASS = frozenset(_V["hidden"]["classes"])
_SHOW_CLASS = _compile("hidden", "shown_at_breakpoint")
_FOOT_TOKEN = _compile("footer", "class_token")
_FOOT_REJECT = _compile("footer", "class_reject")
_NAV_TOKEN = _compile("nav", "class_token")
_NAV_NOT_CONTAINING = tuple(_V["nav"]["class_token_not_containing"])
_MODAL_TOKEN = _compile("modal", "class_token")
_MODAL_REJECT = frozenset(_V["modal"]["class_not"])
_NOTICE_TOKEN = _compile("notice", "class_token")
_NOTICE_REJECT = _compile("notice", "class_reject")

# element tag / ARIA role -> the region it opens
_TAG_FLAGS = {**{t: FOOTER for t in _V["footer"]["tags"]}, **{t: NAV for t in _V["nav"]["tags"]},
              **{t: MODAL for t in _V["modal"]["tags"]}, "form": FORM}
_ROLE_FLAGS = {**{r: MODAL for r in _V["modal"]["roles"]}, **{r: NAV for r in _V["nav"]["roles"]},
               **{r: FOOTER for r in _V["footer"]["roles"]}}

# tags that open a region by themselves
_REGION_TAGS = frozenset(_TAG_FLAGS)
_REGION_SCAN = ("div", "section", "ul", "ol", "footer", "nav", "header", "aside", "main", "article", "p", "dl",
                "table", "form", "dialog", "center", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "fieldset")

_TOKEN_CACHE: dict[str, tuple[int, bool]] = {}


def token_flags(key: str) -> tuple[int, bool]:
    """(flags, shown at a breakpoint) implied by a class/id string (cached: pages repeat
    the same classes)."""
    hit = _TOKEN_CACHE.get(key)
    if hit is not None:
        return hit
    add = 0
    show = False
    for tok in key.split():
        low = tok.lower()
        if low in _HIDDEN_CLASS:
            add |= HIDDEN
        elif _SHOW_CLASS.match(low):
            show = True
        if _FOOT_TOKEN.search(low) and not _FOOT_REJECT.search(low):
            add |= FOOTER
        if _NAV_TOKEN.search(low) and not any(s in low for s in _NAV_NOT_CONTAINING):
            add |= NAV
        if low not in _MODAL_REJECT and _MODAL_TOKEN.search(low):
            add |= MODAL
        if _NOTICE_TOKEN.search(low) and not _NOTICE_REJECT.search(low):
            add |= NOTICE
    if len(_TOKEN_CACHE) > 20000:
        _TOKEN_CACHE.clear()
    _TOKEN_CACHE[key] = (add, show)
    return add, show


def region_elements(body, doc: PageDoc) -> list:
    """Elements that may open a region (judged by ``element_flags``); notes empty app-shell
    mount points on ``doc`` on the way."""
    found = []
    cache = _TOKEN_CACHE
    for el in body.iter(_REGION_SCAN):
        keys = el.keys()
        if not keys:
            if el.tag in _REGION_TAGS:
                found.append(el)
            continue
        if el.tag in _REGION_TAGS or "style" in keys or "hidden" in keys or "role" in keys:
            found.append(el)
            continue
        cls = el.get("class")
        eid = el.get("id")
        key = f"{cls} {eid}" if cls and eid else (cls or eid)
        if not key:
            continue
        if eid and eid.lower() in MOUNT_IDS and len(collapse(text_of(el))) < 40:
            doc.mount_ids.append(eid.lower())
        hit = cache.get(key)
        if hit is None:
            hit = token_flags(key)
        if hit[0]:
            found.append(el)
    return found


def element_flags(el, tag: str) -> int:
    """Flags this element adds for its subtree."""
    add = _TAG_FLAGS.get(tag, 0)
    attrib = el.attrib
    if not attrib:
        return add
    role = attrib.get("role")
    if role:
        add |= _ROLE_FLAGS.get(role.lower(), 0)
    hard_hidden = False
    if "hidden" in attrib:
        add |= HIDDEN
        hard_hidden = True
    style = attrib.get("style")
    if style and _HIDDEN_STYLE.search(style):
        add |= HIDDEN
        hard_hidden = True
    cls = attrib.get("class")
    eid = attrib.get("id")
    if cls or eid:
        key = f"{cls} {eid}" if cls and eid else (cls or eid)
        tadd, show = token_flags(key)
        if show and tadd & HIDDEN and not hard_hidden:
            tadd &= ~HIDDEN          # "d-none d-md-block": hidden on mobile only, shown on desktop
        add |= tadd
    return add


def ancestor_flags(el, regions: dict) -> int:
    """The flags of the regions around ``el`` ({region element: flags} from marking)."""
    fl = 0
    for anc in el.iterancestors():
        add = regions.get(anc)
        if add:
            fl |= add
    return fl


def mark_bottom(doc: PageDoc) -> None:
    """Flag the last ~15% of the page's (non-modal) text as the bottom region."""
    main = [b for b in doc.blocks if not b.flags & MODAL]
    total = sum(len(b.text) for b in main)
    if not total:
        return
    budget = max(total * 0.15, 120)
    acc = 0
    for b in reversed(main):
        if acc >= budget:
            break
        b.flags |= BOTTOM
        acc += len(b.text)
