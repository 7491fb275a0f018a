"""Links (<a>, <area>) and clickable controls of a page, with the region each sits in and
the overflow menu ("更多", a dropdown) a refund-ish link hides in."""
from __future__ import annotations

import re

from cardshop_auditor.extract.page.marks import S_LINK_CLOSE, S_LINK_OPEN, SENTINELS, clean_text, prefix_tail, prefix_text
from cardshop_auditor.extract.page.model import FOOTER, HIDDEN, MAX_LINKS, MODAL, NAV, Link, PageDoc
from cardshop_auditor.extract.page.regions import ancestor_flags
from cardshop_auditor.urls import origin, resolve
from cardshop_auditor.extract.text import collapse

_OVERFLOW_TOKEN = re.compile(r"dropdown|more|overflow|ellipsis|kebab|submenu|sub-menu|popover|"
                             r"action-?menu|actions-?list", re.I)
_OVERFLOW_TEXT = re.compile(r"^(?:更多|更多操作|更多功能|更多选项|更多服务|其他|其它|其他操作|操作|"
                            r"…+|\.{2,}|⋯|···|•••|more|more actions|▼|▾|≡|☰)$", re.I)
# link texts worth an overflow-menu check (the refund-entry vocabulary, not policy titles)
_CANDIDATE_LINK = re.compile(r"^(?!.*(?:政策|说明|规则|须知|流程|协议|条款|指南|记录|问题|帮助|规定)).{0,6}"
                             r"(?:退款|退订|退货|退换|售后|工单|投诉|申诉|维权)")
_JS_URL = re.compile(r"""(?:location(?:\.href)?|window\.open)\s*(?:=|\()\s*['"]([^'"]+)['"]""")


def collect_links(body, doc: PageDoc, base: str, regions: dict) -> list[Link]:
    """Links (<a>, <area>) and clickable controls (buttons) into ``doc.links``.  Puts link
    sentinels into the tree so the flattening pass can tell in which region each <a> sits;
    returns the <a> links in document order (``place_links`` fills in their regions)."""
    links = doc.links
    a_links: list[Link] = []
    base_origin = origin(base)
    special = doc.special_hrefs
    for el in body.iter("a"):
        href = el.get("href") or ""
        if not href:
            onclick = el.get("onclick")
            m = _JS_URL.search(onclick) if onclick else None
            href = m.group(1) if m else (el.get("data-href") or el.get("data-url") or "")
        href = href.strip()
        url = resolve(base, href, base_origin) if href else None
        if href and (url is None or "qq.com" in href or "t.me" in href):
            special.append(href[:1000])
        title = el.get("title")
        link = Link(url=url, href=href[:1000], text="", title=collapse(title)[:120] if title else "")
        link._el = el                  # the text comes from the flattening pass
        prefix_text(el, S_LINK_OPEN)
        prefix_tail(el, S_LINK_CLOSE)
        a_links.append(link)
        if len(links) < MAX_LINKS:
            links.append(link)
    for el in body.iter("area", "button", "input"):
        if len(links) >= MAX_LINKS:
            break
        link = _control(el, base, regions)
        if link is not None:
            links.append(link)
    return a_links


def _control(el, base: str, regions: dict) -> Link | None:
    """An <area>, <button> or button-like <input> as a link; None for other inputs and
    controls with neither a label nor a target."""
    tag = el.tag
    kind = "a"
    if tag == "area":
        href = el.get("href") or ""
    else:
        typ = (el.get("type") or ("submit" if tag == "button" else "text")).lower()
        if tag == "input" and typ not in ("button", "submit", "image"):
            return None
        onclick = el.get("onclick")
        m = _JS_URL.search(onclick) if onclick else None
        href = (m.group(1) if m else "") or el.get("data-href") or el.get("data-url") or el.get("formaction") or ""
        kind = "submit" if typ == "submit" else "button"
        if not href and kind == "submit":
            form = next((a for a in el.iterancestors("form")), None)
            if form is not None:
                href = form.get("action") or base
    href = href.strip()
    text = link_text(el)
    if not text and not href:
        return None
    fl = ancestor_flags(el, regions)
    link = Link(url=resolve(base, href) if href else None, href=href[:1000], text=text,
                title=collapse(el.get("title") or "")[:120], kind=kind,
                in_nav=bool(fl & NAV), in_footer=bool(fl & FOOTER),
                in_modal=bool(fl & MODAL), hidden=bool(fl & HIDDEN))
    if text and _CANDIDATE_LINK.search(text):
        link.overflow = overflow_of(el)
    return link


def place_links(a_links: list[Link], link_flags: list[int], link_texts: list[str | None]) -> None:
    """Give each <a> the regions and the text the flattening pass saw for it (in document
    order); when the two disagree in length, texts come from the elements instead."""
    aligned = len(link_flags) == len(a_links)
    for i, link in enumerate(a_links):
        el = link._el
        link._el = None
        if aligned:
            fl = link_flags[i]
            link.in_nav, link.in_footer = bool(fl & NAV), bool(fl & FOOTER)
            link.in_modal, link.hidden = bool(fl & MODAL), bool(fl & HIDDEN)
            txt = link_texts[i] or ""
        else:
            txt = ""
        link.text = txt[:120] if txt else link_text(el)
        if link.text and _CANDIDATE_LINK.search(link.text):
            link.overflow = overflow_of(el)


def link_text(el) -> str:
    """The label of a link or control: its text, else title / aria-label / value / img alt."""
    txt = clean_text(el)
    if not txt:
        txt = collapse(el.get("title") or el.get("aria-label") or el.get("value") or "")
    if not txt:
        for img in el.iter("img"):
            txt = collapse(img.get("alt") or img.get("title") or "")
            if txt:
                break
    return txt[:120]


def _tokens(el) -> list[str]:
    cls = el.get("class") or ""
    eid = el.get("id") or ""
    toks = cls.split()
    if eid:
        toks.append(eid)
    return toks


def overflow_of(el) -> str | None:
    """The overflow toggle / marker around ``el`` (更多, dropdown, ...), or None."""
    child = el
    for level in range(7):
        node = child.getparent()
        if node is None:
            return None
        for tok in _tokens(node):
            low = tok.lower()
            if _OVERFLOW_TOKEN.search(low) and "navbar" not in low:
                # find a visible toggle label next to the menu, else use the marker
                toggle = _toggle_text(node.getparent(), node) if node.getparent() is not None else None
                return toggle or _toggle_text(node, child) or "更多"
        if level < 3:
            toggle = _toggle_text(node, child)
            if toggle:
                return toggle
        child = node
    return None


def _toggle_text(container, exclude) -> str | None:
    if container is None:
        return None
    for n, c in enumerate(container):
        if n > 40:
            break
        if c is exclude or not isinstance(c.tag, str):
            continue
        if c.tag not in ("a", "button", "span", "div", "i", "em", "b", "label", "li", "summary"):
            continue
        if len(c) > 3:
            continue                     # a toggle is a small control, not a container
        direct = c.text
        if direct and direct.strip() and len(c) == 0:
            txt = " ".join(SENTINELS.sub("", direct).split())
        else:
            txt = clean_text(c)
        if not txt:
            txt = collapse(c.get("title") or c.get("aria-label") or "")
        if txt and len(txt) <= 12 and _OVERFLOW_TEXT.match(txt):
            return txt
    return None
