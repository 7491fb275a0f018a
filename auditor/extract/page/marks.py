"""Sentinels put into the tree before it is serialised as text.

The tree is marked with private-use sentinels (block boundaries, table cells, region
open/close, link open/close), serialised as text by libxml2 at C speed, and the text is cut
into blocks in one linear pass (``flatten.Flattener``): no Python-level walk over every
element.

Sentinels live in Supplementary Private Use Area-A: icon fonts put their glyphs in the BMP
private-use area (U+E000..), which real page text may contain.
"""
from __future__ import annotations

import re

from lxml import etree

from cardshop_auditor.extract.page.model import PageDoc
from cardshop_auditor.extract.page.regions import element_flags, region_elements
from cardshop_auditor.extract.page.tree import text_of
from cardshop_auditor.extract.text import collapse

S_BLOCK, S_TD, S_TH, S_TABLE, S_TR = "\U000F0000", "\U000F0001", "\U000F0002", "\U000F0003", "\U000F0004"
S_HEAD = "\U000F0005"                  # a block boundary that starts a heading (h1-h6)
S_TITLE = "\U000F0006"                 # a block boundary that starts a heading by role (TITLE)
S_CLOSE, S_LINK_OPEN, S_LINK_CLOSE = "\U000F0020", "\U000F0030", "\U000F0031"
S_OPEN_BASE = 0xF0100                 # region open marker = chr(S_OPEN_BASE + flags)
S_FIRST, S_LAST, S_OPEN_FIRST = "\U000F0000", "\U000F04FF", "\U000F0100"
SENTINELS = re.compile("[\U000F0000-\U000F04FF]")

BLOCK_TAGS = frozenset("""
p div section article header footer nav aside main h1 h2 h3 h4 h5 h6 li ul ol dl dt dd
table tr thead tbody tfoot td th caption blockquote pre form fieldset legend address figure
figcaption hr center details summary dialog br option select textarea button body html
""".split())
HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
STRIP_TAGS = ("script", "style", "template", "noscript", "svg", "math", "object", "iframe", "canvas",
              "video", "audio")
_MARK_BLOCK = tuple(t for t in BLOCK_TAGS if t not in ("tr", "td", "th", "table", "thead", "tbody",
                                                         "tfoot", "html", "body"))


def prefix_text(el, mark: str) -> None:
    t = el.text
    el.text = mark + t if t else mark


def prefix_tail(el, mark: str) -> None:
    t = el.tail
    el.tail = mark + t if t else mark


def clean_text(el) -> str:
    """The element's text without sentinels, whitespace collapsed."""
    return collapse(SENTINELS.sub("", text_of(el)))


def mark(body, doc: PageDoc) -> dict:
    """Put sentinels into the tree; return {region element: flags it adds}."""
    titles = _role_titles(body)
    for el in body.iter(_MARK_BLOCK):
        t = el.text
        sentinel = S_HEAD if el.tag in HEADINGS else S_TITLE if titles and el in titles else S_BLOCK
        el.text = sentinel + t if t else sentinel
        t = el.tail
        el.tail = S_BLOCK + t if t else S_BLOCK
    for el in body.iter("tr", "table"):
        sentinel = S_TR if el.tag == "tr" else S_TABLE
        prefix_text(el, sentinel)
        prefix_tail(el, sentinel)
    for el in body.iter("td", "th"):
        prefix_text(el, S_TD if el.tag == "td" else S_TH)
    regions = {}
    for el in region_elements(body, doc):
        tag = el.tag
        if not isinstance(tag, str) or el is body:
            continue
        add = element_flags(el, tag)
        if not add:
            continue
        regions[el] = add
        prefix_text(el, chr(S_OPEN_BASE + add))
        prefix_tail(el, S_CLOSE)
    return regions


# ---- headings by role ----------------------------------------------------------------------
# Shop notices title their sections in bold (ZFAKA: <p><strong>购买须知</strong></p>) or in a
# card / modal header (<div class="layui-card-header">, <h5 class="modal-title">) more often
# than in an <h3>; such an element starts a section just as a heading does.
_TITLE_CLASS = re.compile(r"^(?:layui-|el-|ant-|weui-)?(?:card|panel|modal|layer|box|widget|dialog|popup|pop|notice|"
                          r"alert|portlet|ibox|block|tips?)(?:[-_]{1,2})(?:header|heading|title|hd|head)$", re.I)
_FIND_TITLE_CLASS = etree.XPath(
    ".//*[@class][contains(@class,'head') or contains(@class,'title') or contains(@class,'-hd')"
    " or contains(@class,'_hd')][position() <= 400]")
_BOLD_HOLDERS = frozenset(("p", "div", "li", "dt", "dd", "center", "section", "blockquote", "header"))
_INLINE_WRAPPERS = frozenset(("span", "font", "em", "u", "strong", "b", "i", "label"))
_QUIET_SIBLINGS = frozenset(("br", "img", "i", "hr"))
MAX_BOLD_TITLE_CHARS = 30
# agreements bold their key clauses ("卡密一经使用的，不支持退款。"): a title has no sentence
# punctuation
_SENTENCE_MARK = re.compile(r"[，,。；;！!？?]")
MAX_BOLD_SCAN = 600


def _role_titles(body) -> set:
    """Block elements that are headings by role: a bold-only paragraph, a card / modal /
    notice header.  Bounded work per element (no subtree scans of big containers)."""
    found = set()
    for n, el in enumerate(body.iter("strong", "b")):
        if n >= MAX_BOLD_SCAN:
            break
        holder = _bold_only_holder(el)
        if holder is not None:
            found.add(holder)
    try:
        candidates = _FIND_TITLE_CLASS(body)
    except Exception:  # noqa: BLE001 - a hint, never a reason to lose the page
        candidates = []
    for el in candidates:
        if el.tag in _MARK_BLOCK and any(_TITLE_CLASS.match(tok) for tok in (el.get("class") or "").split()):
            found.add(el)
    return found


def _bold_only_holder(el):
    """The block element whose whole visible text is this bold element's text, or None.
    The structure is checked first (cheap), the text last: a hostile page nesting bold tags
    thousands deep must not have its text serialised once per tag."""
    if len(el) > 4:
        return None                 # a title is plain text, not a container
    node = el
    holder = None
    for _level in range(3):
        parent = node.getparent()
        if parent is None or (node.tail or "").strip() or (parent.text or "").strip():
            return None
        for sib in parent:
            if sib is node:
                continue
            if not isinstance(sib.tag, str):
                if (sib.tail or "").strip():
                    return None
                continue
            if sib.tag not in _QUIET_SIBLINGS or (sib.tail or "").strip() or len(sib) or (sib.text or "").strip():
                return None
        if parent.tag in _BOLD_HOLDERS:
            holder = parent
            break
        if parent.tag not in _INLINE_WRAPPERS:
            return None
        node = parent
    if holder is None:
        return None
    text = collapse(text_of(el))
    if not text or len(text) > MAX_BOLD_TITLE_CHARS or _SENTENCE_MARK.search(text):
        return None                 # a clause set in bold for emphasis, not a title
    return holder
