"""Contacts: phones (mobile, landline, 400/800), e-mails, QQ (incl. QQ groups and
tencent:// / wpa.qq.com links), WeChat ids, a postal address.

Identifier spans (ICP, 公安备案, USCC, licences) are blanked before phones are looked for,
and long digit runs (order numbers) never yield a phone: every number is bounded by
non-digits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from cardshop_auditor.extract.identifiers import _finditer, scan_anchors, windows
from cardshop_auditor.extract.text import normalise

MOBILE_RE = re.compile(r"(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![\d.])")
LANDLINE_DASH_RE = re.compile(r"(?<![\d-])(?:\((0\d{2,3})\)|(0\d{2,3}))[ ]?-?[ ]?(\d{7,8})(?:[ ]?-[ ]?(\d{1,5}))?(?![\d])")
SERVICE_RE = re.compile(r"(?<![\d-])([48]00)[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
PHONE_LABEL_RE = re.compile(r"(?:电话|热线|手机|座机|tel|phone|联系方式|客服|咨询)[^\n]{0,12}$", re.I)
NOT_PHONE_BEFORE = re.compile(r"(?:订单|单号|编号|卡号|卡密|qq|企鹅|群号|群|uin|账号|流水|交易号|id|no)[^\n]{0,6}$", re.I)
EMAIL_RE = re.compile(r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,12})(?![\w-])")
_EMAIL_BAD_TLD = {"png", "jpg", "jpeg", "gif", "svg", "webp", "css", "js", "ico", "bmp"}
# a QQ label, then one or more numbers ("客服QQ：123456 / 654321", "QQ群，215583091（已满） 318876402")
QQ_LABEL_RE = re.compile(
    r"(?:(?<![A-Za-z])(?:QQ|Q\.Q)|企鹅|扣扣)[ ]{0,2}(?:客服|在线客服|售后)?[ ]{0,2}(?P<grp>号码|号|群号|群|交流群|官方群|售后群|客服群)?"
    r"[ ]{0,2}(?:[0-9一二三四五六七八九]号[ ]{0,2})?(?:[\u4e00-\u9fff]{1,4}(?=[:：]))?(?:[:：，,]|[ ]{0,2}\n)?[ ]{0,3}(?=[1-9]\d{4,10}(?!\d))|"
    r"(?P<grp2>(?:加|进|入)?[一二三四五六七八九0-9]?群(?:号|号码)?)[ ]{0,2}(?:[:：，,]|[ ]{0,2}\n)?[ ]{0,3}(?=[1-9]\d{4,10}(?!\d))", re.I)
MOBILE_ONLY_RE = re.compile(r"1[3-9]\d{9}")
QQ_NUMBER_RE = re.compile(r"([1-9]\d{4,10})(?!\d)(?:[ ]{0,2}[(（][^)）\n]{0,8}[)）])?[ ]{0,3}(?:[、/,，|或和及]|\s)?[ ]{0,3}")
QQ_LINK_RE = re.compile(r"(?:tencent://(?:message|groupwpa|addfriend)[^\s\"']*?[?&](?:uin|uid)=|"
                        r"wpa\.qq\.com/msgrd\?[^\s\"']*?uin=|wpa\.qq\.com/[^\s\"']*?[?&]uin=|"
                        r"qm\.qq\.com/cgi-bin/qm/qr\?[^\s\"']*?uin=)(\d{5,11})", re.I)
WECHAT_RE = re.compile(
    r"(?:微信号?|微信客服|客服微信|(?<![A-Za-z])(?:vx|wx|v信|weixin|wechat)|薇信|威信|V信)[ ]{0,2}(?:号)?[ ]{0,2}[:：][ ]{0,3}"
    r"([A-Za-z][-_A-Za-z0-9]{5,19}|1[3-9]\d{9})(?![-_A-Za-z0-9])", re.I)
# no colon: "加微信abc123", "添加客服微信 kf_2024", "售后微信号 kf_2024"
WECHAT_LOOSE_RE = re.compile(r"(?:微信号|(?:加|添加)(?:客服|售后|官方|站长)?微信号?|(?:客服|售后|官方|站长)微信号?)"
                             r"[ ]{0,2}([A-Za-z][-_A-Za-z0-9]{5,19}|1[3-9]\d{9})(?![-_A-Za-z0-9])")
ADDRESS_RE = re.compile(
    r"(?<![网邮件箱PpIi钱包货值载问接款币])(?:联系地址|公司地址|办公地址|注册地址|经营地址|通讯地址|通信地址|详细地址|地址|"
    r"公司住所|企业住所|住所|经营场所|营业场所|办公场所|注册地|所在地)"
    r"(?:[ ]{0,2}[:：，,][ ]{0,3}|[ ]{0,2}\n[ ]{0,2}|[ ]?(?=[\u4e00-\u9fff]{2,12}(?:省|市|自治区|区|县)))([^\n|，,；;。]{4,80})")
_ADDR_MARKERS = re.compile(r"省|市|区|县|镇|乡|村|路|街|道|巷|弄|号|楼|室|大厦|广场|园|座|层")
_ADDR_CUT = re.compile(r"[ ]{2,}|电话|手机|邮箱|QQ|qq|微信|客服|联系|备案|ICP|营业执照|Copyright|©|工作时间")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Contacts:
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    qq: list[str] = field(default_factory=list)
    wechat: list[str] = field(default_factory=list)
    qq_groups: list[str] = field(default_factory=list)
    address: str | None = None
    # where each value was first seen: value -> url
    sources: dict = field(default_factory=dict)

    _keys: set = field(default_factory=set)

    def add(self, kind: str, value: str, url: str | None) -> None:
        key = (kind, re.sub(r"\D", "", value) if kind == "phones" else value)
        if key in self._keys:
            return
        self._keys.add(key)
        getattr(self, kind).append(value)
        self.sources.setdefault(f"{kind}:{value}", url)


def blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace the given spans by spaces (same length)."""
    if not spans:
        return text
    parts = []
    pos = 0
    for a, b in sorted(spans):
        a, b = max(a, pos), min(b, len(text))
        if a >= b:
            continue
        parts.append(text[pos:a])
        parts.append(" " * (b - a))
        pos = b
    parts.append(text[pos:])
    return "".join(parts)


_HAS_QQ = re.compile(r"QQ|qq|Qq|Q\.Q|企鹅|扣扣|群")
_HAS_WECHAT = re.compile(r"微信|VX|vx|Vx|WX|wx|Wx|weixin|Weixin|WeChat|wechat|Wechat|WECHAT|v信|V信|薇信|威信")
_AT = re.compile("@")
_ADDR_ANCHOR = re.compile("地址|住所|场所|注册地|所在地")
# phone-like digit runs (7+ digits with optional separators); phone patterns run only there
_DIGIT_RUN = re.compile(r"\d[\d -]{5,}\d|\(0\d{2,3}\)")


def extract_contacts(text: str, out: Contacts, url: str | None, blanks: list[tuple[int, int]] = (),
                     norm: str | None = None, anchors: dict | None = None) -> None:
    """Add the contacts found in ``text`` to ``out``.  ``blanks``: identifier spans to skip;
    ``norm``: ``normalise(text)`` when the caller has it already."""
    if not text:
        return
    norm = blank_spans(normalise(text) if norm is None else norm, list(blanks))
    if anchors is None:
        anchors = scan_anchors(norm)
    qq_spans = []
    for m in _finditer(QQ_LABEL_RE, norm, windows(norm, _HAS_QQ, 4, 40, anchors["qq"])):
        pos = m.end()
        group = bool(m.group("grp") and "群" in m.group("grp")) or bool(m.group("grp2"))
        for _ in range(6):
            n = QQ_NUMBER_RE.match(norm, pos)
            if not n or (pos != m.end() and MOBILE_ONLY_RE.fullmatch(n.group(1))):
                break
            out.add("qq", n.group(1), url)
            if group:
                out.add("qq_groups", n.group(1), url)
            qq_spans.append(n.span(1))
            pos = n.end()
    wins = windows(norm, _HAS_WECHAT, 4, 40, anchors["wx"])
    for rx in (WECHAT_RE, WECHAT_LOOSE_RE):
        for m in _finditer(rx, norm, wins):
            out.add("wechat", m.group(1), url)
            qq_spans.append(m.span(1))
    for m in _finditer(EMAIL_RE, norm, windows(norm, _AT, 70, 100, anchors["at"])):
        email = m.group(1)
        tld = email.rsplit(".", 1)[-1].lower()
        if tld in _EMAIL_BAD_TLD:
            continue
        out.add("emails", email.lower(), url)
        qq_spans.append(m.span(1))
    taken = qq_spans

    def free(span: tuple[int, int]) -> bool:
        return not any(a < span[1] and span[0] < b for a, b in taken)

    wins = windows(norm, _DIGIT_RUN, 2, 2, anchors["digits"])
    for m in _finditer(SERVICE_RE, norm, wins):
        if free(m.span()):
            out.add("phones", f"{m.group(1)}-{m.group(2)}-{m.group(3)}", url)
            taken.append(m.span())
    for m in _finditer(MOBILE_RE, norm, wins):
        if not free(m.span()) or (m.start() and norm[m.start() - 1] in "0123456789."):
            continue
        before = norm[max(0, m.start() - 14):m.start()]
        if NOT_PHONE_BEFORE.search(before) and not PHONE_LABEL_RE.search(before):
            continue
        out.add("phones", m.group(1) + m.group(2) + m.group(3), url)
        taken.append(m.span())
    for m in _finditer(LANDLINE_DASH_RE, norm, wins):
        if not free(m.span()):
            continue
        area = m.group(1) or m.group(2)
        raw = m.group(0)
        dashed = "-" in raw or "(" in raw or " " in raw.strip()
        before = norm[max(0, m.start() - 14):m.start()]
        if not dashed and not PHONE_LABEL_RE.search(before):
            continue
        if NOT_PHONE_BEFORE.search(before) and not PHONE_LABEL_RE.search(before):
            continue
        digits = area + m.group(3)
        cut = 3 if digits[1] in "12" else 4
        number = f"{digits[:cut]}-{digits[cut:]}" + (f"-{m.group(4)}" if m.group(4) else "")
        out.add("phones", number, url)
        taken.append(m.span())
    if "同号" in norm or "同微信" in norm:
        for m in _SAME_AS_PHONE.finditer(norm):
            before = norm[max(0, m.start() - 30):m.start()]
            phones = list(MOBILE_RE.finditer(before))
            if phones:
                p = phones[-1]
                out.add("wechat", p.group(1) + p.group(2) + p.group(3), url)
            else:                       # "微信同号：138…", the number after the remark
                p = MOBILE_RE.search(norm, m.end(), m.end() + 16)
                if p:
                    out.add("wechat", p.group(1) + p.group(2) + p.group(3), url)
    if "微信" in norm:
        # "手机/微信：138…", "电话（微信）：138…": one number for both
        for m in _PHONE_AND_WECHAT.finditer(norm):
            number = re.sub(r"\D", "", m.group(1))
            out.add("phones", number, url)
            out.add("wechat", number, url)
    _address(text, norm, out, url, anchors)


_PHONE_AND_WECHAT = re.compile(r"(?:电话|手机|手机号|联系电话|客服电话)[ ]*(?:[/、&|]|[(（])[ ]*(?:微信|vx|VX|wx|WX)[ ]*[)）]?(?:号)?[ ]*[:：]?[ ]*"
                               r"(1[3-9]\d[ -]?\d{4}[ -]?\d{4})(?!\d)")
_SAME_AS_PHONE = re.compile(r"微信同号|同微信|微信号同手机|微信同手机号?|微信与手机同号")


def _address(text: str, norm: str, out: Contacts, url: str | None, anchors: dict) -> None:
    if out.address is None and anchors["addr"]:
        for m in _finditer(ADDRESS_RE, norm, windows(norm, _ADDR_ANCHOR, 6, 95, anchors["addr"])):
            addr = m.group(1)
            cut = _ADDR_CUT.search(addr)
            if cut:
                addr = addr[:cut.start()]
            addr = addr.strip(" :：-")
            if len(addr) < 6 or not _HAN.search(addr):
                continue
            markers = set(_ADDR_MARKERS.findall(addr))
            if len(markers) >= 2:
                start = m.start(1)
                out.address = text[start:start + len(addr)].strip()
                out.sources.setdefault("address", url)
                break


def extract_link_contacts(hrefs, out: Contacts, url: str | None) -> None:
    """QQ / e-mail / phone from link targets (tencent://, wpa.qq.com, mailto:, tel:)."""
    for href in hrefs:
        if not href:
            continue
        low = href[:12].lower()
        if low.startswith("mailto:"):
            addr = unquote(href[7:].split("?", 1)[0]).strip()
            m = EMAIL_RE.fullmatch(addr)
            if m:
                out.add("emails", addr.lower(), url)
            continue
        if low.startswith("tel:"):
            digits = re.sub(r"[^\d]", "", href[4:])
            if digits.startswith("86") and len(digits) == 13:
                digits = digits[2:]
            if re.fullmatch(r"1[3-9]\d{9}", digits):
                out.add("phones", digits, url)
            elif re.fullmatch(r"[48]00\d{7}", digits):
                out.add("phones", f"{digits[:3]}-{digits[3:6]}-{digits[6:]}", url)
            elif re.fullmatch(r"0\d{9,11}", digits):
                area = 3 if digits[1] in "12" else 4
                out.add("phones", f"{digits[:area]}-{digits[area:]}", url)
            continue
        if "qq.com" in href or low.startswith("tencent:"):
            m = QQ_LINK_RE.search(href)
            if m:
                out.add("qq", m.group(1), url)
                continue
            try:
                qs = parse_qs(urlsplit(href).query)
            except ValueError:
                continue
            for key in ("uin", "uid"):
                for v in qs.get(key, []):
                    if re.fullmatch(r"[1-9]\d{4,10}", v):
                        out.add("qq", v, url)
