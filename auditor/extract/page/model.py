"""What one parsed page is: blocks of visible text with region flags, links, forms, modals."""
from __future__ import annotations

from dataclasses import dataclass, field

from cardshop_auditor.extract.text import normalise

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
