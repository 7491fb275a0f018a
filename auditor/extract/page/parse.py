"""Parse one fetched page, once, into a ``PageDoc`` every extractor reads.  Never raises:
a page that cannot be parsed yields an empty ``PageDoc`` with ``parse_error`` set."""
from __future__ import annotations

import threading
from collections import OrderedDict
from urllib.parse import urljoin

from lxml import etree

from cardshop_auditor.artifacts import Page
from cardshop_auditor.extract.page.flatten import Flattener
from cardshop_auditor.extract.page.forms import collect_forms
from cardshop_auditor.extract.page.links import collect_links, place_links
from cardshop_auditor.extract.page.marks import STRIP_TAGS, mark
from cardshop_auditor.extract.page.model import PageDoc
from cardshop_auditor.extract.page.regions import mark_bottom
from cardshop_auditor.extract.page.tree import build_document, looks_clean, text_of
from cardshop_auditor.extract.text import collapse, strip_controls

_CACHE: "OrderedDict[tuple, PageDoc]" = OrderedDict()
_CACHE_MAX = 64
_CACHE_LOCK = threading.Lock()
MAX_IMAGES = 300


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
    clean = html if looks_clean(html) else strip_controls(html)
    if page.depth == 0:
        doc.html = clean            # kept for the start page's markup fingerprints only (memory)
    if not clean.strip():
        return doc
    root, doc.parse_error = build_document(clean)
    if root is None:
        return doc

    # <base href> changes how relative links resolve
    for b in root.iter("base"):
        href = b.get("href")
        if href:
            base = urljoin(base, href.strip())
        break
    _read_head(root, doc)
    body = root.find("body")
    if body is None:
        body = root
    etree.strip_elements(body, *STRIP_TAGS, with_tail=False)
    _collect_images(body, doc)
    doc.attr_hints = _attr_hints(body)
    regions = mark(body, doc)
    a_links = collect_links(body, doc, base, regions)
    text = etree.tostring(body, method="text", encoding="unicode", with_tail=False)
    link_flags, link_texts = Flattener(doc).run(text)
    place_links(a_links, link_flags, link_texts)
    mark_bottom(doc)
    collect_forms(body, doc, base)
    return doc


def _read_head(root, doc: PageDoc) -> None:
    """Title, noscript text, script count and generator meta (before the body is stripped)."""
    t = root.find(".//title")
    if t is not None:
        doc.title = collapse(text_of(t))[:300]
    scripts = 0
    for el in root.iter("meta", "noscript", "script"):
        tag = el.tag
        if tag == "script":
            scripts += 1
        elif tag == "noscript":
            if len(doc.noscript) < 2000:
                doc.noscript = (doc.noscript + " " + collapse(text_of(el)))[:2000]
        elif (el.get("name") or "").lower() == "generator":
            doc.meta_generator = (el.get("content") or "")[:200]
    doc.script_count = scripts


def _collect_images(body, doc: PageDoc) -> None:
    images = doc.images
    for el in body.iter("img"):
        src = el.get("src") or el.get("data-src")
        alt = el.get("alt")
        if src or alt:
            images.append(((src or "")[:300], collapse(alt or "")[:200]))
            if len(images) >= MAX_IMAGES:
                break


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
