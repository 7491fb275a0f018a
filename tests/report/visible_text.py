"""What a person reads on a report page, without the parts that are quoted from the shop.

``visible_text(html)`` returns the text of the page as shown, minus: style/script, code
elements (flag ids, technical details), quotes from the site (``q``, ``blockquote``,
numbers, URLs, host names, refund steps, evidence captions written from site labels) and
attribute values.  ``english_runs`` / ``chinese_runs`` find what must not be there.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Iterable

# elements whose text is never the report's own sentence
SKIP_TAGS = {"style", "script", "code", "q", "blockquote", "title", "svg"}
# classes of spans that hold shop text or identifiers (numbers, URLs, hosts, steps, names)
SKIP_CLASSES = {"num", "url", "host", "mono", "flag-id", "hash", "step", "shop-name", "contact-value",
                "site-text"}
VOID = {"br", "img", "meta", "link", "input", "hr", "col", "source", "wbr"}


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []      # per open element: skipping?
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        # an element in another language than the page is quoted text (a law's name, site text)
        hidden = tag in SKIP_TAGS or bool(classes & SKIP_CLASSES) or (tag != "html" and "lang" in attrs)
        self.stack.append(hidden or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


_ALLOWED = re.compile(r"\S+://\S+|--[\w/-]+|\b[\w.-]+\.(?:json|html|csv|png|txt)\b|\S*[_/@]\S*")
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[\s,;:]+[A-Za-z][A-Za-z'’-]*){2,}")
CHINESE_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
SENTINELS = re.compile(r"\b(?:None|null|undefined|NaN)\b")


# Domain terms an English report keeps in Chinese, each beside its English gloss
# ("No anti-blocking (防红) tricks", "免签/码支付"): like brand names, they have no translation.
GLOSSARY = ("防红", "免签", "码支付", "易支付", "异次元", "卡盟", "发卡")


def english_runs(text: str, site_text: Iterable[str] = ()) -> list[str]:
    """Runs of three or more English words: not URLs, options, file names or ids, not a
    comma-separated list of ids, and not the shop's own text (``site_text``)."""
    runs = [r for r in ENGLISH_RUN.findall(_ALLOWED.sub(" ", text))
            if not all("," in sep for sep in re.findall(r"[^A-Za-z'’-]+", r))]
    return [r for r in runs if not _quoted(r, site_text)]


def chinese_runs(text: str, site_text: Iterable[str] = ()) -> list[str]:
    """Chinese in an English page, except a glossary term, a term quoted as such
    (“防红”) and the shop's own text (``site_text``)."""
    text = re.sub(r"“[^”]{1,12}”", " ", text)
    for term in GLOSSARY:
        text = text.replace(term, " ")
    return [r for r in CHINESE_RUN.findall(text) if not _quoted(r, site_text)]


def _quoted(run: str, site_text: Iterable[str]) -> bool:
    return any(run in s for s in site_text)


def site_strings(report: dict) -> list[str]:
    """Every string the shop gave us: the findings and the checks' evidence snippets."""
    out: list[str] = []

    def walk(value):
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)

    walk(report.get("findings"))
    walk([[e.get("snippet") for e in c.get("evidence") or []] for c in report.get("checks") or []])
    return out


def sentinels(text: str) -> list[str]:
    return SENTINELS.findall(text)
