"""Parse one fetched page, once, into a ``PageDoc`` every extractor reads.

The document is flattened into *blocks*: runs of visible text between block-level
boundaries (p, div, li, headings, br, table rows, ...).  Each block carries flags saying
where it sat: footer, nav/header, modal/dialog, notice, hidden (``display:none``,
``hidden``, ``d-none``: hidden text still counts as present, the flag only notes it),
list item, table row, heading (h1-h6), title (a heading by role: a bold-only paragraph,
a card / modal / notice header; it starts a section but is not one of ``PageDoc.headings``).  Table rows become one block with the cells joined
("订单状态：未提取卡密，是否可退：可全额退款").

Robust to broken markup, NUL and control characters, huge single lines and absurd nesting
(libxml2 caps the depth; nothing here recurses).  Never raises: a page that cannot be
parsed yields an empty ``PageDoc``.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree

from cardshop_auditor.artifacts import Page
from cardshop_auditor.extract.text import collapse, normalise, strip_controls

# ---- block flags ----------------------------------------------------------------------
FOOTER = 1        # inside a footer element (<footer>, .footer, #copyright, ...)
NAV = 2           # inside <nav>/<header>/menus
MODAL = 4         # inside a modal / dialog / popup
HIDDEN = 8        # inside display:none / hidden / d-none
NOTICE = 16       # inside a notice / announcement box
HEADING = 32      # a heading (h1-h6)
LI = 64           # (reserved)
ROW = 128         # a table row (cells joined)
BOTTOM = 256      # in the last ~15% of the page's text (the visual footer region)
FORM = 512        # inside a <form>
LINKONLY = 1024   # the whole block is the text of one link (navigation, not prose)
TITLE = 2048      # a heading by role, not by tag: a paragraph that is only bold text
                  # (<p><strong>购买须知</strong></p>), a card / panel / modal / notice header

MAX_BLOCKS = 6000
MAX_LINKS = 1500
MAX_BLOCK_CHARS = 20000

BLOCK_TAGS = frozenset("""
p div section article header footer nav aside main h1 h2 h3 h4 h5 h6 li ul ol dl dt dd
table tr thead tbody tfoot td th caption blockquote pre form fieldset legend address figure
figcaption hr center details summary dialog br option select textarea button body html
""".split())
HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HIDDEN_CLASS = frozenset(("hidden", "hide", "d-none", "invisible", "is-hidden", "layui-hide"))
_SHOW_CLASS = re.compile(r"^d-(?:sm|md|lg|xl|xxl)-(?:block|flex|inline|inline-block|table)$")
_FOOT_TOKEN = re.compile(r"foot|copyright|copy-right|bottom|beian", re.I)
_FOOT_REJECT = re.compile(
    r"^(?:modal|card|panel|dialog|layer|layui-layer|popup|table|list|box|widget|form|item|goods|"
    r"product|article|post|comment|entry|section|sheet|drawer|tab|cell|block)[-_]?foot|"
    r"^(?:border|rounded|mb|pb|mt|pt|m|p|my|py|align|text|valign|fixed|sticky|dropdown|btn|"
    r"margin|padding|pull|float|position|justify|items|self|bg|shadow|radius|is|has|nav|tooltip|"
    r"popover|menu|bs-popover|place|pos|arrow|to|from|scroll|slide|anim)[-_]?(?:\w+[-_])?bottom", re.I)
_NAV_TOKEN = re.compile(r"nav|^(?!.*dropdown).*menu|^header$|^(?:site|page|top|main|global|app|layout|layui)[-_]?header$|"
                        r"^topbar$|^top[-_]?bar$|breadcrumb|sidebar|side-bar", re.I)
_MODAL_TOKEN = re.compile(r"modal|dialog|popup|pop-up|layui-layer|lightbox|overlay-content|^layer$|"
                          r"^pop$|popbox|pop-box|tanchuang", re.I)
_MODAL_REJECT = frozenset(("modal-open", "modal-backdrop", "dialog-open"))
_NOTICE_TOKEN = re.compile(r"notice|announce|gonggao|bulletin|affiche|placard|^alert|^tips?$|"
                           r"[-_]tips?$|^tips?[-_]|warning|^note$", re.I)
_NOTICE_REJECT = re.compile(r"tag|btn|button|badge|^text-|icon|color|label|^bg-|border|tooltip", re.I)
_OVERFLOW_TOKEN = re.compile(r"dropdown|more|overflow|ellipsis|kebab|submenu|sub-menu|popover|"
                             r"action-?menu|actions-?list", re.I)
_OVERFLOW_TEXT = re.compile(r"^(?:更多|更多操作|更多功能|更多选项|更多服务|其他|其它|其他操作|操作|"
                            r"…+|\.{2,}|⋯|···|•••|more|more actions|▼|▾|≡|☰)$", re.I)
# link texts worth an overflow-menu check (the refund-entry vocabulary, not policy titles)
_CANDIDATE_LINK = re.compile(r"^(?!.*(?:政策|说明|规则|须知|流程|协议|条款|指南|记录|问题|帮助|规定)).{0,6}"
                             r"(?:退款|退订|退货|退换|售后|工单|投诉|申诉|维权)")
_JS_URL = re.compile(r"""(?:location(?:\.href)?|window\.open)\s*(?:=|\()\s*['"]([^'"]+)['"]""")
_LOGIN_HINT = re.compile(r"登录|登陆|注册|login|log in|sign ?in|sign ?up|register|passport|signin|auth", re.I)
_SEARCH_HINT = re.compile(r"查询|搜索|search|query|下单|购买|buy|order|提取|支付", re.I)
_MOUNT_IDS = frozenset(("app", "root", "__nuxt", "__next", "q-app", "main-app", "vue-app",
                        "react-root", "application"))

# plain etree HTML parsers (lxml.html's element-class lookup costs on every element access),
# one set per thread: an lxml parser and its error log must not be shared between threads
# (the browser lane parses pages too)
_PARSERS = threading.local()


def _parser() -> etree.HTMLParser:
    parser = getattr(_PARSERS, "utf8", None)
    if parser is None:
        parser = _PARSERS.utf8 = etree.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True,
                                                  remove_pis=True, remove_blank_text=False)
    return parser


def _parser_str() -> etree.HTMLParser:
    parser = getattr(_PARSERS, "text", None)
    if parser is None:
        parser = _PARSERS.text = etree.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True,
                                                  remove_blank_text=False)
    return parser


def _text_of(el) -> str:
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


@dataclass(slots=True)
class Block:
    text: str
    flags: int
    modal: int = -1            # index into PageDoc.modals, -1 when not in a modal


@dataclass(slots=True)
class Link:
    url: str | None            # absolute http(s) URL, fragment removed; None for javascript:/mailto:
    href: str                  # the raw attribute (mailto:, tencent://, javascript: kept)
    text: str                  # anchor text (or title / aria-label / img alt when empty)
    title: str = ""
    kind: str = "a"            # a | button | submit
    in_nav: bool = False
    in_footer: bool = False
    in_modal: bool = False
    hidden: bool = False
    overflow: str | None = None   # the overflow toggle text ("更多") or marker, when inside one
    _el: object = None            # the element, while the page is being parsed


@dataclass(slots=True)
class Form:
    action: str | None
    method: str
    has_password: bool
    is_login: bool             # a password form to log in / register (not an order-lookup password)
    has_textarea: bool
    has_file: bool
    fields: list[str]          # input names / ids / placeholders
    buttons: list[str]         # submit button labels
    text: str                  # visible text inside the form (capped)


@dataclass(slots=True)
class Modal:
    title: str
    text: str
    element_id: str = ""


@dataclass
class PageDoc:
    url: str                   # final URL (after redirects)
    requested_url: str
    depth: int = 0
    link_text: str = ""
    title: str = ""
    headings: list[str] = field(default_factory=list)        # h1/h2 texts
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    modals: list[Modal] = field(default_factory=list)
    images: list[tuple[str, str]] = field(default_factory=list)   # (src, alt)
    noscript: str = ""
    special_hrefs: list[str] = field(default_factory=list)   # mailto: tel: tencent:// qq.com t.me links
    mount_ids: list[str] = field(default_factory=list)       # empty app-shell mount points
    script_count: int = 0
    meta_generator: str = ""
    has_footer_element: bool = False
    attr_hints: str = ""       # payment-ish attribute values (data-type/-name, option/radio values)
    parse_error: str | None = None
    html: str = ""             # the (sanitised) source of a depth-0 page, for markup fingerprints

    # -- derived, computed lazily -------------------------------------------------------
    _text: str | None = None
    _norm: str | None = None

    _anchors: dict | None = None

    @property
    def anchors(self) -> dict:
        """Identifier / contact anchors of ``norm`` (``identifiers.scan_anchors``), cached."""
        if self._anchors is None:
            from cardshop_auditor.extract.identifiers import scan_anchors
            self._anchors = scan_anchors(self.norm)
        return self._anchors

    @property
    def norm(self) -> str:
        """``normalise(self.text)``: same length, half-width digits and letters."""
        if self._norm is None:
            self._norm = normalise(self.text)
        return self._norm

    @property
    def text(self) -> str:
        """All block texts joined by newlines (hidden text included)."""
        if self._text is None:
            self._text = "\n".join(b.text for b in self.blocks)
        return self._text

    @property
    def visible_chars(self) -> int:
        return sum(len(b.text) for b in self.blocks if not b.flags & HIDDEN)

    @property
    def footer_text(self) -> str:
        """The footer region: footer elements, plus the bottom ~15% of the page text."""
        return "\n".join(b.text for b in self.blocks if b.flags & (FOOTER | BOTTOM)
                         and not b.flags & MODAL)

    @property
    def has_password_form(self) -> bool:
        return any(f.has_password for f in self.forms)

    @property
    def has_login_form(self) -> bool:
        return any(f.is_login for f in self.forms)


# ---- URL helpers -----------------------------------------------------------------------

def normalise_url(url: str | None) -> str | None:
    """Canonical form for graph lookups: lower-case scheme/host, no default port, no
    fragment, '/' for an empty path."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    if not host:
        return None
    port = parts.port if _safe_port(parts) else None
    netloc = host if port in (None, 80 if scheme == "http" else 443) else f"{host}:{port}"
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def _safe_port(parts) -> bool:
    try:
        parts.port
        return True
    except ValueError:
        return False


def _absolute(base: str, href: str) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return None
    low = href[:16].lower()
    if low.startswith(("javascript:", "mailto:", "tel:", "sms:", "data:", "tencent:", "weixin:",
                       "mqq", "alipays:", "about:")):
        return None
    try:
        return normalise_url(urljoin(base, href))
    except ValueError:
        return None


# ---- parsing -----------------------------------------------------------------------------

_CACHE: "OrderedDict[tuple, PageDoc]" = OrderedDict()
_CACHE_MAX = 64
_CACHE_LOCK = threading.Lock()


def parse_page(page: Page) -> PageDoc:
    """Parse ``page`` once (cached by URL and content) into a ``PageDoc``.  Never raises."""
    html = page.html or ""
    key = (page.url, page.final_url, page.depth, page.link_text, len(html), hash(html))
    with _CACHE_LOCK:                    # the browser lane's thread parses pages too
        doc = _CACHE.get(key)
        if doc is not None:
            _CACHE.move_to_end(key)
            return doc
    try:
        doc = _parse(page, html)
    except Exception as exc:  # noqa: BLE001 - a page we cannot read is an empty page
        doc = PageDoc(url=page.final_url or page.url, requested_url=page.url, depth=page.depth,
                      link_text=page.link_text or "", parse_error=f"{type(exc).__name__}: {exc}")
    with _CACHE_LOCK:
        _CACHE[key] = doc
        if len(_CACHE) > _CACHE_MAX:
            _CACHE.popitem(last=False)
    return doc


def parse_html(html: str, url: str = "http://localhost/", depth: int = 0) -> PageDoc:
    """Convenience for tests: parse a snippet as if it were a fetched page."""
    return parse_page(Page(url=url, final_url=url, status=200, html=html, depth=depth))


def _parse(page: Page, html: str) -> PageDoc:
    base = page.final_url or page.url or "http://localhost/"
    doc = PageDoc(url=base, requested_url=page.url, depth=page.depth, link_text=page.link_text or "")
    clean = html if _looks_clean(html) else strip_controls(html)
    if page.depth == 0:
        doc.html = clean            # kept for the start page's markup fingerprints only (memory)
    if not clean.strip():
        return doc
    root = _document(clean, doc)
    if root is None:
        return doc

    # <base href> changes how relative links resolve
    for b in root.iter("base"):
        href = b.get("href")
        if href:
            base = urljoin(base, href.strip())
        break
    t = root.find(".//title")
    if t is not None:
        doc.title = collapse(_text_of(t))[:300]
    scripts = 0
    for el in root.iter("meta", "noscript", "script"):
        tag = el.tag
        if tag == "script":
            scripts += 1
        elif tag == "noscript":
            if len(doc.noscript) < 2000:
                doc.noscript = (doc.noscript + " " + collapse(_text_of(el)))[:2000]
        elif (el.get("name") or "").lower() == "generator":
            doc.meta_generator = (el.get("content") or "")[:200]
    doc.script_count = scripts
    body = root.find("body")
    if body is None:
        body = root
    etree.strip_elements(body, *STRIP_TAGS, with_tail=False)
    images = doc.images
    for el in body.iter("img"):
        src = el.get("src") or el.get("data-src")
        alt = el.get("alt")
        if src or alt:
            images.append(((src or "")[:300], collapse(alt or "")[:200]))
            if len(images) >= 300:
                break

    doc.attr_hints = _attr_hints(body)
    regions = _mark(body, doc)
    a_links = _collect_links(body, doc, base, regions)
    text = etree.tostring(body, method="text", encoding="unicode", with_tail=False)
    link_flags, link_texts = _flatten(text, doc)
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
        link.text = txt[:120] if txt else _link_text(el)
        if link.text and _CANDIDATE_LINK.search(link.text):
            link.overflow = _overflow_of(el)
    _mark_bottom(doc)
    _collect_forms(body, doc, base)
    return doc


# Order forms often name the payment channel only in attributes (dujiaoka luna:
# <div class="pay-type" data-type="vzfb" data-name="V免签支付宝">, ZFAKA: data-type="codepayalipay",
# card-system: <input type="radio" name="payway" title="…">): one XPath call collects them.
_ATTR_HINTS = etree.XPath(
    "(.//@data-type|.//@data-name|.//@data-pay|.//@data-payway|.//@data-channel|.//@data-method"
    "|.//option/@value|.//input[@type='radio']/@value|.//input[@type='radio']/@title)[position() <= 400]")


def _attr_hints(body) -> str:
    try:
        values = _ATTR_HINTS(body)
    except Exception:  # noqa: BLE001 - a hint, never a reason to lose the page
        return ""
    out: list[str] = []
    for v in values:
        v = str(v).strip()
        if v and len(v) <= 80 and not v.isdigit() and v not in out:
            out.append(v)
    return "\n".join(out)[:4000]


def _looks_clean(html: str) -> bool:
    """No lone surrogates (lxml truncates at one) and none of our sentinels (U+F0000..):
    one C-speed encode instead of a regex scan.  Control characters are harmless to lxml."""
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return b"\xf3\xb0" not in data


def _document(clean: str, doc: PageDoc):
    root = None
    parser = _parser_str()
    try:
        root = etree.fromstring(clean, parser)
    except ValueError:
        pass            # "Unicode strings with encoding declaration are not supported", surrogates
    except (etree.ParserError, etree.XMLSyntaxError) as exc:
        doc.parse_error = str(exc)
        return None
    if root is None:
        parser = _parser()
        try:
            root = etree.fromstring(clean.encode("utf-8", "replace"), parser)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
            doc.parse_error = str(exc)
            return None
    if root is None:
        doc.parse_error = "empty document"
        return None
    if _too_deep(parser):
        # libxml2 stops at depth 2048 and drops the rest of the page: collapse the long runs
        # of nested tags that caused it and parse again
        doc.parse_error = "excessive nesting depth (flattened)"
        flat = _DEEP_OPEN.sub("<div>", _DEEP_CLOSE.sub("</div>", clean))
        parser = _parser_str()
        try:
            root = etree.fromstring(flat, parser) if flat.strip() else None
        except (ValueError, etree.ParserError, etree.XMLSyntaxError):
            root = None
        if root is None or _too_deep(parser):
            text = _TAG.sub("\n", flat)
            root = etree.fromstring("<html><body><pre>" + _escape(text) + "</pre></body></html>", _parser_str())
    return root


_DEEP_OPEN = re.compile(r"(?:<(?:div|span|section|p|ul|ol|li|table|tr|td|b|i|font|center|blockquote|a)\b[^>]*>\s*){64,}", re.I)
_DEEP_CLOSE = re.compile(r"(?:</(?:div|span|section|p|ul|ol|li|table|tr|td|b|i|font|center|blockquote|a)\s*>\s*){64,}", re.I)
_TAG = re.compile(r"<[^>]*>")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _too_deep(parser) -> bool:
    try:
        return any("Excessive depth" in e.message for e in parser.error_log)
    except Exception:  # noqa: BLE001
        return False


# ---- flattening ---------------------------------------------------------------------------
# The tree is marked with private-use sentinels (block boundaries, table cells, region
# open/close, link open/close), serialised as text by libxml2 at C speed, and the text is
# cut into blocks in one linear pass: no Python-level walk over every element.

# Sentinels live in Supplementary Private Use Area-A: icon fonts put their glyphs in the
# BMP private-use area (U+E000..), which real page text may contain.
S_BLOCK, S_TD, S_TH, S_TABLE, S_TR = "\U000F0000", "\U000F0001", "\U000F0002", "\U000F0003", "\U000F0004"
S_HEAD = "\U000F0005"                  # a block boundary that starts a heading (h1-h6)
S_TITLE = "\U000F0006"                 # a block boundary that starts a heading by role (TITLE)
S_CLOSE, S_LINK_OPEN, S_LINK_CLOSE = "\U000F0020", "\U000F0030", "\U000F0031"
S_OPEN_BASE = 0xF0100                 # region open marker = chr(S_OPEN_BASE + flags)
_S_FIRST, _S_LAST, _S_OPEN_FIRST = "\U000F0000", "\U000F04FF", "\U000F0100"
_HARD_REGION = FOOTER | NAV | MODAL | HEADING   # these end a table row; hidden / notice / form spans do not
_SENTINELS = re.compile("[\U000F0000-\U000F04FF]")
_SQUEEZE_BLOCKS = re.compile("\U000F0000(?:\\s*\U000F0000)+")
_SQUEEZE_HEAD = re.compile("\U000F0000\\s*([\U000F0005\U000F0006])")
_SPLIT_SENTINELS = re.compile("([\U000F0000-\U000F04FF])")
STRIP_TAGS = ("script", "style", "template", "noscript", "svg", "math", "object", "iframe", "canvas",
              "video", "audio")
_MARK_BLOCK = tuple(t for t in BLOCK_TAGS if t not in ("tr", "td", "th", "table", "thead", "tbody",
                                                         "tfoot", "html", "body"))
# Region elements are looked for among container tags only (span / li / a / i are the
# bulk of a shop page and never hold a footer or a modal on their own): one C-side filtered
# iteration, class / id strings judged once each (cached), no per-element regex work.
_REGION_TAGS = frozenset(("footer", "nav", "header", "dialog", "form"))
_REGION_SCAN = ("div", "section", "ul", "ol", "footer", "nav", "header", "aside", "main", "article", "p", "dl",
                "table", "form", "dialog", "center", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "fieldset")


def _region_elements(body, doc: PageDoc) -> list:
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
        if eid and eid.lower() in _MOUNT_IDS and len(collapse(_text_of(el))) < 40:
            doc.mount_ids.append(eid.lower())
        hit = cache.get(key)
        if hit is None:
            hit = _token_flags(key)
        if hit[0]:
            found.append(el)
    return found


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
    text = collapse(_text_of(el))
    if not text or len(text) > MAX_BOLD_TITLE_CHARS or _SENTENCE_MARK.search(text):
        return None                 # a clause set in bold for emphasis, not a title
    return holder


def _prefix_text(el, mark: str) -> None:
    t = el.text
    el.text = mark + t if t else mark


def _prefix_tail(el, mark: str) -> None:
    t = el.tail
    el.tail = mark + t if t else mark


def _mark(body, doc: PageDoc) -> dict:
    """Put sentinels into the tree; return {region element: flags it adds}."""
    titles = _role_titles(body)
    for el in body.iter(_MARK_BLOCK):
        t = el.text
        mark = S_HEAD if el.tag in HEADINGS else S_TITLE if titles and el in titles else S_BLOCK
        el.text = mark + t if t else mark
        t = el.tail
        el.tail = S_BLOCK + t if t else S_BLOCK
    for el in body.iter("tr", "table"):
        mark = S_TR if el.tag == "tr" else S_TABLE
        _prefix_text(el, mark)
        _prefix_tail(el, mark)
    for el in body.iter("td", "th"):
        _prefix_text(el, S_TD if el.tag == "td" else S_TH)
    regions = {}
    for el in _region_elements(body, doc):
        tag = el.tag
        if not isinstance(tag, str) or el is body:
            continue
        add = _element_flags(el, tag)
        if not add:
            continue
        regions[el] = add
        _prefix_text(el, chr(S_OPEN_BASE + add))
        _prefix_tail(el, S_CLOSE)
    return regions


def _flatten(text: str, doc: PageDoc) -> tuple[list[int], list[str | None]]:
    """Cut the sentinel-marked text into blocks; return the flags and the text of each <a>,
    in document order."""
    blocks = doc.blocks
    modals = doc.modals
    buf: list[str] = []
    stack: list[tuple[int, int, bool]] = []
    flags = 0
    modal_idx = -1
    in_link = 0
    link_chars = 0
    after_link = False
    link_flags: list[int] = []
    link_texts: list[str | None] = []
    open_links: list[tuple[int, list[str]]] = []
    row: list | None = None             # completed (is_th, text) cells of the open table row
    cell_th = None                      # the open cell: None (none yet) / True (th) / False (td)
    headers: list[str] | None = None
    footer_open = -1
    footer_roots: list[tuple[int, int]] = []
    n_chars = 0
    heading = 0                          # HEADING while the text of an h1-h6 is being read

    def emit(text_: str, fl: int, lc: int) -> None:
        nonlocal n_chars
        text_ = collapse(text_)
        if not text_ or len(blocks) >= MAX_BLOCKS:
            return
        if lc:
            body_chars = len(text_) - text_.count(" ") - text_.count("|")
            if body_chars and lc >= 0.6 * body_chars:
                fl |= LINKONLY
        if len(text_) > MAX_BLOCK_CHARS:
            for i in range(0, len(text_), MAX_BLOCK_CHARS):
                blocks.append(Block(text_[i:i + MAX_BLOCK_CHARS], fl, modal_idx))
        else:
            blocks.append(Block(text_, fl, modal_idx))
        n_chars += len(text_)

    def flush() -> None:
        nonlocal link_chars
        joined = "".join(buf)
        buf.clear()
        if joined and not joined.isspace():
            emit(joined, flags | heading, link_chars)
        link_chars = 0

    def end_row(layout: bool) -> None:
        """Close the open row: one ROW block with the cells joined, or (a layout row, or a
        single cell) the cells as ordinary blocks."""
        nonlocal row, cell_th, headers, link_chars
        if row is None:
            return
        cells = row
        if cell_th is not None:
            cells.append((cell_th, "".join(buf)))
            buf.clear()
        row, cell_th = None, None
        lc = link_chars
        link_chars = 0
        raw = [collapse(c) for _, c in cells]
        if layout or sum(1 for t_ in raw if t_) < 2:
            for t_ in raw:
                emit(t_, flags, lc if len(raw) == 1 else 0)
            return
        texts = [t_.rstrip("。；;，,") for t_ in raw]
        if all(th for th, _ in cells):
            headers = texts
            emit("，".join(t_ for t_ in texts if t_), flags | ROW | HEADING, lc)
            return
        if headers and len(headers) == len(texts):
            joined = "，".join(f"{h}：{t_}" if h else t_ for h, t_ in zip(headers, texts) if t_)
        else:
            joined = "，".join(t_ for t_ in texts if t_)
        emit(joined, flags | ROW, lc)

    # runs of block boundaries separated only by whitespace are one boundary (C-side, before
    # the Python loop: most of a page's tokens are such runs)
    text = _SQUEEZE_HEAD.sub(r"\1", _SQUEEZE_BLOCKS.sub(S_BLOCK, text))
    for tok in _SPLIT_SENTINELS.split(text):
        if (tok == S_BLOCK or tok == S_HEAD or tok == S_TITLE) and row is None:
            # the hot path, inlined: a block boundary outside tables ends the current block
            after_link = False
            if open_links:
                for _i, parts in open_links:
                    parts.append(" ")
            if buf:
                joined = "".join(buf)
                buf.clear()
                txt = " ".join(joined.split())
                if txt and len(blocks) < MAX_BLOCKS:
                    fl = flags | heading
                    if link_chars:
                        body_chars = len(txt) - txt.count(" ") - txt.count("|")
                        if body_chars and link_chars >= 0.6 * body_chars:
                            fl |= LINKONLY
                    if len(txt) > MAX_BLOCK_CHARS:
                        for i in range(0, len(txt), MAX_BLOCK_CHARS):
                            blocks.append(Block(txt[i:i + MAX_BLOCK_CHARS], fl, modal_idx))
                    else:
                        blocks.append(Block(txt, fl, modal_idx))
                    n_chars += len(txt)
                link_chars = 0
            heading = HEADING if tok == S_HEAD else TITLE if tok == S_TITLE else 0
            continue
        if not tok:
            continue
        if len(tok) == 1 and _S_FIRST <= tok <= _S_LAST:
            if tok == S_LINK_OPEN:
                link_flags.append(flags)
                open_links.append((len(link_texts), []))
                link_texts.append(None)
                if after_link and buf:
                    buf.append(" ")            # "首页订单查询" -> "首页 订单查询"
                in_link += 1
                after_link = False
                continue
            if tok == S_LINK_CLOSE:
                if in_link:
                    in_link -= 1
                if open_links:
                    idx, parts = open_links.pop()
                    link_texts[idx] = " ".join("".join(parts).split())
                after_link = True
                continue
            if open_links:
                for _i, parts in open_links:
                    parts.append(" ")
            after_link = False
            if tok == S_BLOCK or tok == S_HEAD or tok == S_TITLE:
                if row is not None:
                    if cell_th is None or not "".join(buf).strip():
                        if cell_th is None:
                            buf.clear()
                        continue              # whitespace around cells / an empty block in a cell
                    end_row(layout=True)
                if buf:
                    flush()
            elif tok == S_TD or tok == S_TH:
                if row is None:
                    flush()
                    row = []
                elif cell_th is not None:
                    row.append((cell_th, "".join(buf)))
                    buf.clear()
                else:
                    buf.clear()                   # whitespace before the first cell
                cell_th = tok == S_TH
            elif tok == S_TR:
                end_row(layout=False)
                flush()
                row = []
                cell_th = None
            elif tok == S_TABLE:
                end_row(layout=False)
                flush()
                headers = None
            elif tok == S_CLOSE:
                if stack and stack[-1][2] and row is not None:
                    flags, modal_idx = stack.pop()[:2]    # a soft region inside a table cell
                    continue
                end_row(layout=True)
                flush()
                if stack:
                    parent_flags, parent_modal, _soft = stack.pop()
                    if flags & FOOTER and not parent_flags & FOOTER and footer_open >= 0:
                        footer_roots.append((footer_open, len(blocks)))
                        footer_open = -1
                    flags, modal_idx = parent_flags, parent_modal
            elif tok >= _S_OPEN_FIRST:            # region open
                add = ord(tok) - S_OPEN_BASE
                if row is not None and not add & _HARD_REGION:
                    stack.append((flags, modal_idx, True))   # a tag / tip inside a cell: keep the row
                    flags |= add
                    continue
                end_row(layout=True)
                flush()
                stack.append((flags, modal_idx, False))
                if add & MODAL and not flags & MODAL:
                    modal_idx = len(modals)
                    modals.append(Modal(title="", text=""))
                if add & FOOTER and not flags & FOOTER:
                    footer_open = len(blocks)
                flags |= add
            continue
        buf.append(tok)
        if in_link:
            link_chars += len(tok.strip())
            for _i, parts in open_links:
                parts.append(tok)
        elif after_link and not tok.isspace():
            after_link = False
    end_row(layout=False)
    flush()

    # a "footer" holding most of the page is a wrapper, not a footer: drop the flag
    total = n_chars or 1
    for a, b in footer_roots:
        size = sum(len(blocks[i].text) for i in range(a, min(b, len(blocks))))
        if total > 300 and size > 0.6 * total:
            for i in range(a, min(b, len(blocks))):
                blocks[i].flags &= ~FOOTER
    doc.has_footer_element = any(b.flags & FOOTER for b in blocks)

    if modals:
        texts: dict[int, list[str]] = {}
        titles: dict[int, str] = {}
        for blk in blocks:
            if blk.modal >= 0:
                texts.setdefault(blk.modal, []).append(blk.text)
                if blk.flags & (HEADING | TITLE) and blk.modal not in titles:
                    titles[blk.modal] = blk.text
        for i, m in enumerate(modals):
            tx = texts.get(i, [])
            m.text = "\n".join(tx)[:20000]
            title = titles.get(i) or (tx[0] if tx and len(tx[0]) <= 30 else "")
            m.title = title[:100]
    doc.headings = [b.text[:200] for b in blocks
                    if b.flags & HEADING and not b.flags & (MODAL | NAV | ROW)][:20]
    return link_flags, link_texts


def _mark_bottom(doc: PageDoc) -> None:
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


def _tokens(el) -> list[str]:
    cls = el.get("class") or ""
    eid = el.get("id") or ""
    toks = cls.split()
    if eid:
        toks.append(eid)
    return toks


_TOKEN_CACHE: dict[str, tuple[int, bool]] = {}


def _token_flags(key: str) -> tuple[int, bool]:
    """Flags implied by a class/id string (cached: pages repeat the same classes)."""
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
        if _NAV_TOKEN.search(low) and "modal" not in low and "card" not in low:
            add |= NAV
        if low not in _MODAL_REJECT and _MODAL_TOKEN.search(low):
            add |= MODAL
        if _NOTICE_TOKEN.search(low) and not _NOTICE_REJECT.search(low):
            add |= NOTICE
    if len(_TOKEN_CACHE) > 20000:
        _TOKEN_CACHE.clear()
    _TOKEN_CACHE[key] = (add, show)
    return add, show


def _element_flags(el, tag: str) -> int:
    """Flags this element adds for its subtree."""
    add = 0
    if tag == "footer":
        add |= FOOTER
    elif tag == "nav" or tag == "header":
        add |= NAV
    elif tag == "dialog":
        add |= MODAL
    elif tag == "form":
        add |= FORM
    attrib = el.attrib
    if not attrib:
        return add
    role = attrib.get("role")
    if role:
        role = role.lower()
        if role == "dialog" or role == "alertdialog":
            add |= MODAL
        elif role == "navigation" or role == "menubar" or role == "menu":
            add |= NAV
        elif role == "contentinfo":
            add |= FOOTER
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
        tadd, show = _token_flags(key)
        if show and tadd & HIDDEN and not hard_hidden:
            tadd &= ~HIDDEN          # "d-none d-md-block": hidden on mobile only, shown on desktop
        add |= tadd
    return add


def _overflow_of(el) -> str | None:
    """The overflow toggle / marker around ``el`` (更多, dropdown, ...), or None."""
    node = el
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
            txt = " ".join(_SENTINELS.sub("", direct).split())
        else:
            txt = _clean_text(c)
        if not txt:
            txt = collapse(c.get("title") or c.get("aria-label") or "")
        if txt and len(txt) <= 12 and _OVERFLOW_TEXT.match(txt):
            return txt
    return None


def _clean_text(el) -> str:
    return collapse(_SENTINELS.sub("", _text_of(el)))


def _link_text(el) -> str:
    txt = _clean_text(el)
    if not txt:
        txt = collapse(el.get("title") or el.get("aria-label") or el.get("value") or "")
    if not txt:
        for img in el.iter("img"):
            txt = collapse(img.get("alt") or img.get("title") or "")
            if txt:
                break
    return txt[:120]


def _ancestor_flags(el, regions: dict) -> int:
    fl = 0
    for anc in el.iterancestors():
        add = regions.get(anc)
        if add:
            fl |= add
    return fl


_URL_CACHE: dict = {}
_MISSING = object()


def _resolve(base: str, href: str, origin: str | None = None) -> str | None:
    if origin and href[:1] == "/" and href[1:2] != "/" and "\\" not in href:
        # the common case, "/buy/1": origin + path, no urljoin needed
        return origin + href.split("#", 1)[0]
    key = (base, href) if not href.startswith(("http://", "https://")) else ("", href)
    hit = _URL_CACHE.get(key, _MISSING)
    if hit is not _MISSING:
        return hit
    url = _absolute(base, href)
    if len(_URL_CACHE) > 50000:
        _URL_CACHE.clear()
    _URL_CACHE[key] = url
    return url


def _collect_links(body, doc: PageDoc, base: str, regions: dict) -> list[Link]:
    """Links (<a>, <area>) and clickable controls (buttons).  Puts link sentinels into the
    tree so the flattening pass can tell in which region each <a> sits; returns the <a>
    links in document order (their region flags are filled in after flattening)."""
    links = doc.links
    a_links: list[Link] = []
    nb = normalise_url(base)
    origin = nb[:nb.index("/", nb.index("//") + 2)] if nb else None
    special = doc.special_hrefs
    for el in body.iter("a"):
        href = el.get("href") or ""
        if not href:
            onclick = el.get("onclick")
            m = _JS_URL.search(onclick) if onclick else None
            href = m.group(1) if m else (el.get("data-href") or el.get("data-url") or "")
        href = href.strip()
        url = _resolve(base, href, origin) if href else None
        if href and (url is None or "qq.com" in href or "t.me" in href):
            special.append(href[:1000])
        title = el.get("title")
        link = Link(url=url, href=href[:1000], text="", title=collapse(title)[:120] if title else "")
        link._el = el                  # the text comes from the flattening pass
        _prefix_text(el, S_LINK_OPEN)
        _prefix_tail(el, S_LINK_CLOSE)
        a_links.append(link)
        if len(links) < MAX_LINKS:
            links.append(link)
    for el in body.iter("area", "button", "input"):
        if len(links) >= MAX_LINKS:
            break
        tag = el.tag
        kind = "a"
        if tag == "area":
            href = el.get("href") or ""
        else:
            typ = (el.get("type") or ("submit" if tag == "button" else "text")).lower()
            if tag == "input" and typ not in ("button", "submit", "image"):
                continue
            onclick = el.get("onclick")
            m = _JS_URL.search(onclick) if onclick else None
            href = (m.group(1) if m else "") or el.get("data-href") or el.get("data-url") or el.get("formaction") or ""
            kind = "submit" if typ == "submit" else "button"
            if not href and kind == "submit":
                form = next((a for a in el.iterancestors("form")), None)
                if form is not None:
                    href = form.get("action") or base
        href = href.strip()
        text = _link_text(el)
        if not text and not href:
            continue
        fl = _ancestor_flags(el, regions)
        link = Link(url=_resolve(base, href) if href else None, href=href[:1000], text=text,
                    title=collapse(el.get("title") or "")[:120], kind=kind,
                    in_nav=bool(fl & NAV), in_footer=bool(fl & FOOTER),
                    in_modal=bool(fl & MODAL), hidden=bool(fl & HIDDEN))
        if text and _CANDIDATE_LINK.search(text):
            link.overflow = _overflow_of(el)
        links.append(link)
    return a_links


def _collect_forms(root, doc: PageDoc, base: str) -> None:
    for f in root.iter("form"):
        if len(doc.forms) >= 100:
            break
        fields, buttons = [], []
        has_pw = has_ta = has_file = False
        for el in f.iter("input", "textarea", "select", "button"):
            tag = el.tag
            typ = (el.get("type") or "").lower()
            if tag == "textarea":
                has_ta = True
            if typ == "password":
                has_pw = True
            if typ == "file":
                has_file = True
            if tag == "button" or typ in ("submit", "button"):
                label = _link_text(el)
                if label:
                    buttons.append(label)
                continue
            name = " ".join(x for x in (el.get("name"), el.get("id"), el.get("placeholder")) if x)
            if name:
                fields.append(name[:80])
        action = f.get("action")
        ftext = _clean_text(f)[:2000]
        blob = " ".join(buttons) + " " + (action or "") + " " + " ".join(fields) + " " + ftext[:200]
        login = has_pw and bool(_LOGIN_HINT.search(blob)) and not _SEARCH_HINT.search(" ".join(buttons) + " " + (action or ""))
        doc.forms.append(Form(action=_absolute(base, action) if action else normalise_url(base),
                              method=(f.get("method") or "get").lower(), has_password=has_pw, is_login=login,
                              has_textarea=has_ta, has_file=has_file, fields=fields[:50],
                              buttons=buttons[:10], text=ftext))
    # password inputs outside any <form> (SPA-style login boxes)
    if not any(f.has_password for f in doc.forms):
        for el in root.iter("input"):
            if (el.get("type") or "").lower() == "password":
                login = bool(_LOGIN_HINT.search(doc.title + " " + " ".join(doc.headings[:3]) + " " +
                                                " ".join(l.text for l in doc.links[:80])))
                doc.forms.append(Form(action=None, method="post", has_password=True, is_login=login, has_textarea=False,
                                      has_file=False, fields=[el.get("name") or "password"], buttons=[],
                                      text=""))
                break


_NOSCRIPT_JS = re.compile(r"javascript|\bjs\b|启用|开启|打开.{0,6}脚本|enable", re.I)


def is_app_shell(doc: PageDoc) -> bool:
    """The page is an application shell whose content appears only after scripts run:
    tiny visible text plus an empty mount point (``<div id="app">``) or a noscript
    "enable JavaScript" message."""
    visible = doc.visible_chars
    if visible >= 400:
        return False
    noscript_js = bool(doc.noscript and _NOSCRIPT_JS.search(doc.noscript))
    if doc.mount_ids and doc.script_count and visible < 200:
        return True
    if noscript_js and visible < 200:
        return True
    if not doc.blocks and doc.script_count >= 2:
        return True
    return False
