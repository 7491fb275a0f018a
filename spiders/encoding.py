"""Decode a page's bytes the way a browser would, and better where servers lie.

Order: BOM, HTTP header charset, <meta> charset, detection.  A declared charset that
leaves many replacement characters is treated as a lie and detection decides.  GB2312
and GBK labels decode as GB18030 (their superset), as browsers do.
"""
from __future__ import annotations

import re

from charset_normalizer import from_bytes
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
            "big5": "big5hkscs", "cp936": "gb18030", "utf8": "utf-8"}
_DETECT_BYTES = 64 * 1024
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _canonical(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower().replace("_", "-") if "gb_2312" not in name.lower() else name.lower()
    name = _ALIASES.get(name, name)
    try:
        "".encode(name)
    except LookupError:
        return None
    return name


def _bad_ratio(text: str) -> float:
    return text.count("\ufffd") / max(1, len(text))


def _detect(body: bytes) -> str | None:
    sample = body[:_DETECT_BYTES]
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:      # cut mid-character at the sample edge
            return "utf-8"
    best = None
    for enc in ("gb18030", "big5hkscs"):
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        score = len(_CJK.findall(text))
        if best is None or score > best[1]:
            best = (enc, score)
    if best:
        return best[0]
    match = from_bytes(sample).best()
    return _canonical(match.encoding) if match else None


def decode_body(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Return (text, encoding name used)."""
    bom_enc, bom = read_bom(body)
    if bom_enc:
        return body[len(bom):].decode(bom_enc, errors="replace"), bom_enc
    declared = _canonical(http_content_type_encoding(content_type or "")) or \
        _canonical(html_body_declared_encoding(body[:4096]))
    if declared:
        text = body.decode(declared, errors="replace")
        if _bad_ratio(text) < 0.001:
            return text, declared
    detected = _detect(body) or declared or "utf-8"
    return body.decode(detected, errors="replace"), detected
