"""Decode a page's bytes the way a browser would, and better where servers lie.

Order: BOM, HTTP header charset, <meta> charset, detection.  A declared charset that
leaves many replacement characters is treated as a lie and detection decides.  GB2312
and GBK labels decode as GB18030 (their superset), as browsers do.  Bytes that are valid
UTF-8 with non-ASCII text are UTF-8 whatever the label says: GB18030 decodes almost any
byte sequence without an error, so a "gbk" label on UTF-8 bytes would otherwise yield
mojibake, while real GBK text is practically never valid UTF-8.

``sniff_binary`` tells images, archives and other binary bodies from text before any of
that, so a PNG served as text/html is reported as not HTML instead of decoded as noise.
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


# Magic numbers of formats a hostile or broken shop may serve under a text/html label.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF87a", "gif"), (b"GIF89a", "gif"), (b"\xff\xd8\xff", "jpeg"),
    (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"), (b"%PDF-", "pdf"), (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"), (b"7z\xbc\xaf\x27\x1c", "7z"), (b"Rar!\x1a\x07", "rar"),
    (b"\x28\xb5\x2f\xfd", "zstd"), (b"\x7fELF", "elf"), (b"MZ", "exe"), (b"\x00asm", "wasm"),
    (b"SQLite format 3\x00", "sqlite"), (b"\x00\x00\x01\x00", "ico"), (b"OggS", "ogg"), (b"ID3", "mp3"),
    (b"wOFF", "woff"), (b"wOF2", "woff2"), (b"\xca\xfe\xba\xbe", "java-class"),
)
# Bytes that never occur in text (the WHATWG MIME-sniffing "binary data bytes").
_BINARY_BYTES = frozenset(range(0x00, 0x09)) | {0x0B} | frozenset(range(0x0E, 0x1B)) | frozenset(range(0x1C, 0x20))
_TEXT_BYTES = bytes(b for b in range(256) if b not in _BINARY_BYTES)
_SNIFF_BYTES = 4096


def sniff_binary(body: bytes) -> str | None:
    """The kind of binary content (``"png"``, ``"zip"``, ``"binary"``…) or None for text.

    A known magic number at the start, or more than 5% binary bytes in the first 4 KB
    (a stray NUL in a real page stays text; random bytes are ~10% binary bytes)."""
    if not body:
        return None
    if read_bom(body)[0]:                       # UTF-16/32 text is full of NULs: not binary
        return None
    head = body[:_SNIFF_BYTES]
    stripped = head.lstrip(b" \t\r\n")
    for magic, kind in _MAGIC:
        if stripped.startswith(magic):
            if kind == "exe" and b"<" in head[:64]:   # "MZ…" could start a text page; very rare
                continue
            return kind
    if len(head) >= 16:
        bad = len(head.translate(None, _TEXT_BYTES))    # the binary bytes alone, counted in C
        if bad / len(head) > 0.05:
            return "binary"
    return None


def _valid_utf8_text(body: bytes) -> bool:
    """Valid UTF-8 with some non-ASCII bytes (ASCII alone proves nothing)."""
    sample = body[:_DETECT_BYTES]
    if sample.isascii():
        return False
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        return exc.start >= len(sample) - 3 and len(sample) == _DETECT_BYTES   # cut at the edge


def decode_body(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Return (text, encoding name used)."""
    bom_enc, bom = read_bom(body)
    if bom_enc:
        return body[len(bom):].decode(bom_enc, errors="replace"), bom_enc
    declared = _canonical(http_content_type_encoding(content_type or "")) or \
        _canonical(html_body_declared_encoding(body[:4096]))
    if declared not in (None, "utf-8") and not declared.startswith(("utf-16", "utf-32")) \
            and _valid_utf8_text(body):
        return body.decode("utf-8", errors="replace"), "utf-8"
    if declared:
        text = body.decode(declared, errors="replace")
        if _bad_ratio(text) < 0.001:
            return text, declared
    detected = _detect(body) or declared or "utf-8"
    return body.decode(detected, errors="replace"), detected
