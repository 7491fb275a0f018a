"""Text helpers shared by the extractors.

``normalise`` is *length-preserving* (one character in, one character out), so a match
found in the normalised text can be cut verbatim out of the original (``raw``).  It maps
full-width digits, letters and number symbols (０-９ Ａ-Ｚ ａ-ｚ ％ － ． ＠) and the
ideographic space to half-width, every dash variant to ``-``, exotic spaces and zero-width
characters to a plain space: the subset of NFKC the identifiers need (full NFKC would
change lengths).  Chinese punctuation is kept; the patterns accept both widths.
"""
from __future__ import annotations

import re  # noqa: I001

# full-width digits, letters and the symbols numbers / e-mails use; Chinese punctuation
# (，：（） …) is left alone: the patterns accept both widths
_TABLE: dict[int, int] = {c: c - 0xFEE0 for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                  *range(0xFF41, 0xFF5B), 0xFF05, 0xFF0D, 0xFF0E, 0xFF20,
                                                  0xFF3F, 0xFF0B, 0xFF03, 0xFF0F)}
_TABLE[0x3000] = 0x20                                   # ideographic space
for _c in "－—–‐‑‒―−﹣﹘⁃":                                # dashes (incl. full-width)
    _TABLE[ord(_c)] = ord("-")
for _c in "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
          "\u200b\u200c\u200d\u202f\u205f\u2060\ufeff\t\r\f\v":
    _TABLE[ord(_c)] = 0x20


_NEEDS = re.compile("[" + "".join(chr(c) for c in sorted(_TABLE) if c > 0x7f or chr(c) in "\t\r\f\v") + "]+")


def normalise(text: str) -> str:
    """Half-width, unified dashes and spaces; same length as the input."""
    if not _NEEDS.search(text):
        return text
    return _NEEDS.sub(lambda m: m.group().translate(_TABLE), text)


def collapse(text: str) -> str:
    """Collapse runs of whitespace to one space and strip."""
    return " ".join(text.split())


# Control characters (NUL etc., keeping \t \n \r), lone surrogates, and the private-use
# plane the page flattener uses as sentinels.
_CTRL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\U000F0000-\U000F04FF]")


def strip_controls(text: str) -> str:
    return _CTRL.sub(" ", text)


def snippet(text: str, start: int, end: int, pad: int = 40) -> str:
    """The match with up to ``pad`` characters either side, whitespace-collapsed."""
    a = max(0, start - pad)
    b = min(len(text), end + pad)
    return collapse(text[a:b])


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int | None:
    """Small Chinese numerals (up to 99): 十 -> 10, 二十 -> 20, 十五 -> 15, 三 -> 3."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if "十" in text:
        head, _, tail = text.partition("十")
        tens = _CN_DIGITS.get(head, 1) if head else 1
        ones = _CN_DIGITS.get(tail, 0) if tail else 0
        if (head and head not in _CN_DIGITS) or (tail and tail not in _CN_DIGITS):
            return None
        return tens * 10 + ones
    if len(text) == 1 and text in _CN_DIGITS:
        return _CN_DIGITS[text]
    return None


# ---- traditional characters -------------------------------------------------------------
# Taiwan / Hong Kong shops write 購買 / 儲值 / 點數 / 無法 / 概不退換 / 憑證 in traditional
# characters; the clause rules and the classifier are written in simplified.  ``simplified``
# is for *recognition* only: a clause in a report stays the verbatim sentence.  zhconv's
# zh-hans table (script conversion, no regional vocabulary) ships inside the package, so it
# works offline; without it (a broken install) the text is left as it is.
_trad_re: re.Pattern | None = None
_to_hans = None


def _load_trad() -> None:
    global _trad_re, _to_hans
    try:
        from zhconv import convert, zhconv as _tables
        _tables.loaddict()
        singles = sorted(k for k, v in _tables.zhcdicts["zh2Hans"].items() if len(k) == 1 and v != k)
        _trad_re = re.compile("[" + "".join(re.escape(c) for c in singles) + "]")
        _to_hans = lambda t: convert(t, "zh-hans")  # noqa: E731
    except (ImportError, OSError, ValueError, KeyError):
        _trad_re = re.compile(r"(?!x)x")            # never matches: recognition on the text as it is


def simplified(text: str) -> str:
    """``text`` with traditional characters as simplified ("概不退換" -> "概不退换"); unchanged
    (the same object) when it has none, which is the common case and costs one regex scan."""
    if _trad_re is None:
        _load_trad()
    if not _trad_re.search(text):
        return text
    return _to_hans(text)
