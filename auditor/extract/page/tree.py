"""The lxml tree of a page: one parser set per thread, a document built from any markup.

Robust to broken markup, NUL and control characters, huge single lines and absurd nesting
(libxml2 caps the depth; a page that hits the cap is flattened and parsed again).
"""
from __future__ import annotations

import re
import threading

from lxml import etree

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


def text_of(el) -> str:
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def looks_clean(html: str) -> bool:
    """No lone surrogates (lxml truncates at one) and none of our sentinels (U+F0000..):
    one C-speed encode instead of a regex scan.  Control characters are harmless to lxml."""
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return b"\xf3\xb0" not in data


def build_document(clean: str) -> tuple[object | None, str | None]:
    """(root element or None, parse error or None) for sanitised markup."""
    error = None
    root = None
    parser = _parser_str()
    try:
        root = etree.fromstring(clean, parser)
    except ValueError:
        pass            # "Unicode strings with encoding declaration are not supported", surrogates
    except (etree.ParserError, etree.XMLSyntaxError) as exc:
        return None, str(exc)
    if root is None:
        parser = _parser()
        try:
            root = etree.fromstring(clean.encode("utf-8", "replace"), parser)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
            return None, str(exc)
    if root is None:
        return None, "empty document"
    if _too_deep(parser):
        # libxml2 stops at depth 2048 and drops the rest of the page: collapse the long runs
        # of nested tags that caused it and parse again
        error = "excessive nesting depth (flattened)"
        flat = _DEEP_OPEN.sub("<div>", _DEEP_CLOSE.sub("</div>", clean))
        parser = _parser_str()
        try:
            root = etree.fromstring(flat, parser) if flat.strip() else None
        except (ValueError, etree.ParserError, etree.XMLSyntaxError):
            root = None
        if root is None or _too_deep(parser):
            text = _TAG.sub("\n", flat)
            root = etree.fromstring("<html><body><pre>" + _escape(text) + "</pre></body></html>", _parser_str())
    return root, error


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
