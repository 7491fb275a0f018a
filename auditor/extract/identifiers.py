"""Identifiers a shop must show: ICP 备案号, ICP/B2/网文 licences, 公安备案号, USCC, company name.

All matching runs on ``normalise``-d text (half-width, unified dashes, same length as the
original), tolerating spaces between the parts ("京 ICP 备 １２３４ ５６７８ 号").  Numbers
come back normalised (no spaces, half-width, province prefix kept) with the raw match.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from cardshop_auditor.extract.text import normalise

PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀贵黔云滇藏陕甘陇青宁新"
_P = f"[{PROVINCES}]"

# GB/T 2260 province codes -> the characters used as 备案 prefixes
PROVINCE_CODES: dict[str, tuple[str, ...]] = {
    "11": ("京",), "12": ("津",), "13": ("冀",), "14": ("晋",), "15": ("蒙",),
    "21": ("辽",), "22": ("吉",), "23": ("黑",), "31": ("沪",), "32": ("苏",),
    "33": ("浙",), "34": ("皖",), "35": ("闽",), "36": ("赣",), "37": ("鲁",),
    "41": ("豫",), "42": ("鄂",), "43": ("湘",), "44": ("粤",), "45": ("桂",),
    "46": ("琼",), "50": ("渝",), "51": ("川", "蜀"), "52": ("贵", "黔"), "53": ("云", "滇"),
    "54": ("藏",), "61": ("陕",), "62": ("甘", "陇"), "63": ("青",), "64": ("宁",),
    "65": ("新",),
}
CODE_OF_PROVINCE = {ch: code for code, chars in PROVINCE_CODES.items() for ch in chars}

# digits possibly split by single spaces; placeholders made of X / * / ×
_NUM = r"(?P<num>[\dXx*×](?:[ ]?[\dXx*×]){3,13})"

ICP_RE = re.compile(
    rf"(?P<prov>{_P})[ ]{{0,2}}ICP[ ]{{0,2}}备[ ]{{0,2}}(?:案[ ]{{0,2}})?(?:号[ ]{{0,2}})?[:：]?[ ]{{0,2}}{_NUM}"
    r"(?:[ ]{0,2}-[ ]{0,2}(?P<k1>\d{1,3}))?[ ]{0,2}(?P<hao>号)?(?:[ ]{0,2}-[ ]{0,2}(?P<k2>\d{1,3}))?",
    re.I)
# "ICP备12345678号" with the province missing: malformed
ICP_NOPROV_RE = re.compile(
    rf"(?<![{PROVINCES}])(?<![{PROVINCES}] )ICP[ ]{{0,2}}备[ ]{{0,2}}(?:案[ ]{{0,2}})?(?:号[ ]{{0,2}})?[:：]?[ ]{{0,2}}{_NUM}"
    r"(?:[ ]{0,2}-[ ]{0,2}(?P<k1>\d{1,3}))?[ ]{0,2}(?P<hao>号)?(?:[ ]{0,2}-[ ]{0,2}(?P<k2>\d{1,3}))?",
    re.I)
ICP_LICENSE_RE = re.compile(
    rf"(?P<prov>{_P})[ ]{{0,2}}ICP[ ]{{0,2}}证[ ]{{0,2}}(?:号[ ]{{0,2}})?[:：]?[ ]{{0,2}}(?P<num>\d(?:[ ]?\d){{4,8}})[ ]{{0,2}}号?",
    re.I)
B2_RE = re.compile(
    rf"(?<![A-Za-z0-9])(?P<prov>{_P})?[ ]{{0,2}}B2[ ]{{0,2}}-[ ]{{0,2}}(?P<num>\d(?:[ ]?\d){{7}})(?!\d)", re.I)
NETCULTURE_RE = re.compile(
    rf"(?P<prov>{_P})[ ]{{0,2}}网文[ ]{{0,2}}[〔\[(【（]?[ ]{{0,2}}(?P<year>\d{{4}})[ ]{{0,2}}[〕\])】）]?[ ]{{0,2}}"
    r"(?P<a>\d{1,6})[ ]{0,2}-[ ]{0,2}(?P<b>\d{1,6})[ ]{0,2}号?")
PSB_RE = re.compile(
    rf"(?P<prov>{_P})?[ ]{{0,2}}公[ ]{{0,2}}网[ ]{{0,2}}安[ ]{{0,2}}备[ ]{{0,2}}(?:案[ ]{{0,2}})?(?:号[ ]{{0,2}})?[:：]?[ ]{{0,2}}"
    r"(?P<num>\d(?:[ ]?\d){6,15})(?!\d)[ ]{0,2}号?")
# "公安备案号：11010502030143" (label form, the province may be missing)
PSB_LABEL_RE = re.compile(
    rf"公安(?:机关)?(?:联网)?备案(?:号|编号)?[ ]{{0,2}}[:：]?[ ]{{0,2}}(?P<prov>{_P})?[ ]{{0,2}}(?:公网安备)?[ ]{{0,2}}"
    r"(?P<num>\d(?:[ ]?\d){6,15})(?!\d)[ ]{0,2}号?")

_HAS_ICP = re.compile("ICP|icp|Icp")
_HAS_LICENCE = re.compile("ICP证|icp证|B2|b2|网文")
_HAS_PSB = re.compile(r"公[ ]{0,2}网|网[ ]{0,2}安[ ]{0,2}备|公安")
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}
USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_USCC_LABEL = (r"(?:统一社会信用代码|社会信用代码|信用代码|营业执照(?:注册)?(?:号码|编号|号)?|工商注册号|注册号|"
               r"纳税人识别号|税号|USCC)")
# the label, an optional bracketed aside or second label ("营业执照注册号（统一社会信用代码）",
# "统一社会信用代码【税号】", "营业执照号/统一社会信用代码"), a separator, the code
_USCC_ASIDE = r"(?:[ ]{0,2}(?:[(（\[【〔][^)）\]】〕\n]{0,24}[)）\]】〕]|[/、][^:：\n]{0,16}?(?=[:：]|[ ]{0,2}\n)))?"
USCC_LABEL_RE = re.compile(_USCC_LABEL + r"(?:号码|编号|代码|号)?" + _USCC_ASIDE +
                           r"[)）\]】〕]?[ ]{0,2}(?:为|是)?(?:[:：，,|]|[ ]{0,2}\n)?[ ]{0,3}"
                           r"(?P<code>[0-9A-Za-z]{18})(?![0-9A-Za-z])")
USCC_STANDALONE_RE = re.compile(r"(?P<code>[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10})(?![0-9A-Za-z])")


@dataclass
class Match:
    number: str          # normalised
    raw: str             # verbatim from the source text
    start: int
    end: int
    extra: dict


# ---- ICP ---------------------------------------------------------------------------------

def _digits(s: str) -> str:
    return s.replace(" ", "").upper().replace("×", "X")


def is_placeholder(num: str) -> bool:
    """12345678 / 00000000 / 88888888 / XXXXXXXX / ****, repeating or sequential digits."""
    if not num:
        return True
    if any(c in "X*" for c in num):
        return True
    if len(set(num)) == 1:
        return True
    n = len(num)
    asc = "01234567890123456789"
    desc = "98765432109876543210"
    if num in asc or num in desc:
        return True
    for period in (2, 3, 4):                  # 12121212, 12341234
        if n >= 2 * period and all(num[i] == num[i % period] for i in range(n)):
            return True
    # a 4-digit year followed by nothing but zeros: 2021000000
    if n == 10 and num[4:].strip("0") == "":
        return True
    return False


def _icp_valid(digits: str) -> bool:
    if not digits.isdigit() or not 6 <= len(digits) <= 10:
        return False
    if len(digits) == 10 and not digits.startswith("20"):
        return False
    return True


def windows(norm: str, anchor: re.Pattern, before: int, after: int,
            hits: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Merged (start, end) windows around every hit of ``anchor`` (or the precomputed
    ``hits`` of ``scan_anchors``): the full patterns run only there, so a long page costs
    one cheap scan for the anchors."""
    out: list[tuple[int, int]] = []
    n = len(norm)
    spans = hits if hits is not None else (m.span() for m in anchor.finditer(norm))
    for start, end in spans:
        a, b = max(0, start - before), min(n, end + after)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _finditer(rx: re.Pattern, norm: str, wins: list[tuple[int, int]]):
    for a, b in wins:
        yield from rx.finditer(norm, a, b)


def find_icp(text: str, norm: str | None = None, anchors: dict | None = None) -> list[Match]:
    """ICP 备案号 candidates in ``text`` (normalised internally), in order of appearance."""
    norm = normalise(text) if norm is None else norm
    out: list[Match] = []
    wins = windows(norm, _HAS_ICP, 4, 60, anchors and anchors["icp"])
    if not wins:
        return out
    spans = []
    for m in _finditer(ICP_RE, norm, wins):
        digits = _digits(m.group("num"))
        if len(digits) < 4:
            continue
        k = m.group("k2") or m.group("k1")
        number = f"{m.group('prov')}ICP备{digits}号" + (f"-{k}" if k else "")
        placeholder = is_placeholder(digits)
        valid = _icp_valid(digits) and not placeholder
        out.append(Match(number, _raw(text, m), m.start(), m.end(),
                         {"valid_format": valid, "placeholder": placeholder, "province": m.group("prov")}))
        spans.append((m.start(), m.end()))
    for m in _finditer(ICP_NOPROV_RE, norm, wins):
        if any(a <= m.start() < b for a, b in spans):
            continue
        digits = _digits(m.group("num"))
        if len(digits) < 4:
            continue
        k = m.group("k2") or m.group("k1")
        number = f"ICP备{digits}号" + (f"-{k}" if k else "")
        out.append(Match(number, _raw(text, m), m.start(), m.end(),
                         {"valid_format": False, "placeholder": is_placeholder(digits), "province": None}))
    out.sort(key=lambda x: x.start)
    return out


def _raw(text: str, m: re.Match) -> str:
    return text[m.start():m.end()].strip()


# ---- licences -----------------------------------------------------------------------------

def find_licences(text: str, norm: str | None = None, anchors: dict | None = None) -> list[Match]:
    """ICP证 / B2 / 网络文化经营许可证 numbers, kind in ``extra['kind']``."""
    norm = normalise(text) if norm is None else norm
    out: list[Match] = []
    wins = windows(norm, _HAS_LICENCE, 4, 40, anchors and anchors["lic"])
    if not wins:
        return out
    for m in _finditer(ICP_LICENSE_RE, norm, wins):
        digits = _digits(m.group("num"))
        out.append(Match(f"{m.group('prov')}ICP证{digits}号", _raw(text, m), m.start(), m.end(),
                         {"kind": "icp_license", "placeholder": is_placeholder(digits)}))
    for m in _finditer(B2_RE, norm, wins):
        digits = _digits(m.group("num"))
        prov = m.group("prov") or ""
        out.append(Match(f"{prov}B2-{digits}", _raw(text, m), m.start(), m.end(),
                         {"kind": "b2", "placeholder": is_placeholder(digits)}))
    for m in _finditer(NETCULTURE_RE, norm, wins):
        number = f"{m.group('prov')}网文〔{m.group('year')}〕{m.group('a')}-{m.group('b')}号"
        out.append(Match(number, _raw(text, m), m.start(), m.end(), {"kind": "network_culture",
                                                                       "placeholder": False}))
    out.sort(key=lambda x: x.start)
    return out


# ---- 公安备案 ---------------------------------------------------------------------------------

def find_psb(text: str, norm: str | None = None, anchors: dict | None = None) -> list[Match]:
    norm = normalise(text) if norm is None else norm
    out: list[Match] = []
    wins = windows(norm, _HAS_PSB, 4, 50, anchors and anchors["psb"])
    if not wins:
        return out
    spans = []
    for rx in (PSB_RE, PSB_LABEL_RE):
        for m in _finditer(rx, norm, wins):
            if any(a <= m.start() < b or a < m.end() <= b for a, b in spans):
                continue
            digits = _digits(m.group("num"))
            prov = m.group("prov")
            spans.append((m.start(), m.end()))
            out.append(Match(f"{prov or ''}公网安备{digits}号", _raw(text, m), m.start(), m.end(),
                             psb_facts(prov, digits)))
    out.sort(key=lambda x: x.start)
    return out


def psb_facts(prov: str | None, digits: str) -> dict:
    code = CODE_OF_PROVINCE.get(prov or "")
    region = digits[:6] if len(digits) >= 6 else None
    consistent = None if not prov else (code == digits[:2] and digits[:2] in PROVINCE_CODES)
    legacy = len(digits) != 14
    return {"region_code": region, "consistent": consistent, "province": prov,
            "valid_format": bool(prov) and 10 <= len(digits) <= 14 and digits[:2] in PROVINCE_CODES,
            "legacy": legacy, "placeholder": is_placeholder(digits)}


# ---- USCC -----------------------------------------------------------------------------------

def uscc_check_char(code17: str) -> str | None:
    """The GB 32100-2015 check character for the first 17 characters, or None."""
    total = 0
    for ch, w in zip(code17, USCC_WEIGHTS):
        v = _USCC_VALUE.get(ch)
        if v is None:
            return None
        total += v * w
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_valid(code: str) -> bool:
    code = (code or "").strip().upper()
    if len(code) != 18 or not USCC_SHAPE.match(code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def find_uscc(text: str, norm: str | None = None, anchors: dict | None = None) -> list[Match]:
    """USCC candidates: 18 characters after a label (统一社会信用代码 / 营业执照 / 注册号 ...),
    or a standalone code of the exact shape with a letter and a correct check character
    (so order numbers, ID-card and phone numbers are not taken for one)."""
    norm = normalise(text) if norm is None else norm
    out: list[Match] = []
    spans = []
    label_wins = windows(norm, USCC_LABELS_RE, 0, 80, anchors and anchors["code"])
    for m in _finditer(USCC_LABEL_RE, norm, label_wins):
        code = m.group("code").upper()
        if code.isdigit() and not USCC_SHAPE.match(code):
            continue
        spans.append(m.span("code"))
        out.append(Match(code, text[m.start("code"):m.end("code")], m.start("code"), m.end("code"),
                         {"valid": uscc_valid(code), "labelled": True}))
    # unlabelled codes: looked for near the labels and in the last part of the page (footer)
    tail = max(0, len(norm) - 3000)
    stand_wins = [(a, b) for a, b in label_wins if b <= tail] + [(tail, len(norm))]
    for m in _finditer(USCC_STANDALONE_RE, norm, stand_wins):
        if any(a <= m.start() < b for a, b in spans):
            continue
        code = m.group("code")
        if m.start() and norm[m.start() - 1].isalnum() and norm[m.start() - 1].isascii():
            continue
        if code.isdigit() or not uscc_valid(code):
            continue
        if code[0] not in "123456789ANY":
            continue
        out.append(Match(code, text[m.start():m.end()], m.start(), m.end(),
                         {"valid": True, "labelled": False}))
    out.sort(key=lambda x: x.start)
    return out


# ---- company name -------------------------------------------------------------------------------

_NAME_CORE = r"[\u4e00-\u9fffA-Za-z0-9()（）·&]{2,40}?"
_NAME_SUFFIX = (r"(?:有限责任公司|股份有限公司|有限公司|分公司|集团|工作室|商行|经营部|服务部|"
                r"(?:网络|信息|电子商务|软件|数码|商贸|贸易|科技|技术|文化|传媒)(?:科技|技术|服务|咨询)?中心|"
                r"网店|[(（]个体工商户[)）])")
_NAME = _NAME_CORE + _NAME_SUFFIX + r"(?:[(（]个体(?:工商户)?[)）])?"
# labels that name the operator; "strong" ones override the third-party list
_STRONG_LABEL = (r"主办单位(?:名称)?|主办方|网站主办者?|运营主体|运营单位|运营方|运营公司|运营商|运营者|经营主体|经营者(?:名称)?|"
                 r"经营单位|公司名称|公司全称|企业名称|主体名称|单位名称|商户名称|商家名称|网站所有者|开办者|"
                 r"营业执照(?:名称|主体)?|备案主体|开票主体|签约主体|合同主体|销售方|服务提供方|服务提供者")
_WEAK_LABEL = r"版权所有|版权归属|copyright|Copyright|COPYRIGHT|©|\(c\)|\(C\)|®"
# the label is found by a cheap scan; the name is matched right after it
LABEL_RE = re.compile(rf"(?:{_STRONG_LABEL})")
LATIN_LABEL_RE = re.compile(rf"(?:{_WEAK_LABEL})")
NAME_AFTER_RE = re.compile(
    r"(?:[ ]*(?:为|是|:|：|，|,|\n|-|\||©|\(c\)|all rights reserved|\d{4}(?:[ ]*-[ ]*\d{4})?|年|[ ]))*"
    rf"(?P<name>{_NAME})", re.I)
# "X有限公司 版权所有", "X有限公司 统一社会信用代码：…": the label follows the name; the name is
# searched for only in a short window before each label
BEFORE_LABELS_RE = re.compile(r"版权所有|保留所有权利|[Aa]ll [Rr]ights [Rr]eserved|ALL RIGHTS RESERVED")
BEFORE_CODE_LABELS_RE = re.compile(r"统一社会信用代码|社会信用代码|信用代码|营业执照|注册号")
NAME_AT_END_RE = re.compile(rf"(?P<name>{_NAME})[ ]*[)）】」』\]]?[ ]*[(（,，·|]?[ \n]*\Z")
# "本站由X公司运营", "…是X公司运营的…": the verb is found first, the name just before it
RUN_VERB_RE = re.compile(r"运营|主办|经营|开办|提供服务")
RUN_BY_AT_END_RE = re.compile(rf"(?:由|是)[ ]*(?P<name>{_NAME})[ ]*(?:负责|独立|自主|合法|所有并|开发并?)?\Z")
NAME_WE_ARE_RE = re.compile(rf"(?:我们是|本站隶属于|隶属于|归属于)[ ]*(?P<name>{_NAME})")
SOLE_TRADER_RE = re.compile(r"个体工商户[ ]*(?:名称)?[:：][ ]*(?P<name>[\u4e00-\u9fff()（）]{2,30})")

# A name in prose about a third party is not the operator: a game's publisher ("《X》由Y公司
# 运营/发行"), a payment or cloud provider, an example ("如Q所属的Y公司"), a partner ("与Y公司
# 合作", "Y公司官方授权").  ``pre`` is the sub-clause before the name (a label's own colon
# does not end it), ``post`` the words right after it.
_CLAUSE_END = re.compile(r"[，,。；;！!？?\n]")
DECOY_PRE_RE = re.compile(
    r"《|》|游戏|手游|网游|端游|支付|收单|银行|第三方|合作|授权|官方|代理|厂商|开发商|发行商|出品方|研发商|供应商|供货商|"
    r"上游|渠道|所属|旗下|子公司|母公司|云服务|服务器|托管|(?:例|比|譬|诸)?如(?!有|需|遇|果|若|发现|您|实|下|何|今|期)|"
    r"包括|(?:与|和|同|跟|及|携手|联合|联手|受|经|获)[ ]*$")
DECOY_POST_RE = re.compile(
    r"^[ ]*(?:的)?(?:旗下|所属|官方|授权|合作|联合|发行|出品|开发|研发|制作|出版|代理|独家|担保|托管|监制|注册商标|商标|"
    r"提供(?:的)?(?:支付|技术|接口|云|服务器|结算|收单|担保)|(?:负责)?(?:支付|结算|收单|清算)|运营的(?:游戏|产品|手游|网游)|"
    r"所有的?(?:游戏|产品|商标))")
# "本站由X公司运营": the subject that is run must be the site itself
SITE_SUBJECT_RE = re.compile(r"(?:本|该|此|我们的?)(?:站|网站|平台|店|商城|系统|网|卡盟|发卡网?|小店|店铺|商店)|^[ ]*(?:网站|平台|商城|店铺)")


def decoy_context(norm: str, start: int, end: int) -> bool:
    """Is the name at ``norm[start:end]`` mentioned as a third party (publisher, payment
    provider, partner, example) rather than as the operator?"""
    a = max(0, start - 60)
    pre = norm[a:start]
    cut = [m.end() for m in _CLAUSE_END.finditer(pre)]
    if cut:
        pre = pre[cut[-1]:]
    post = norm[end:end + 16]
    m = _CLAUSE_END.search(post)
    if m:
        post = post[:m.start()]
    return bool(DECOY_PRE_RE.search(pre) or DECOY_POST_RE.search(post))


_HAS_NAME_SUFFIX = re.compile(r"公司|工作室|商行|经营部|服务部|中心|个体工商户|网店|集团")
THIRD_PARTY = ("支付宝", "财付通", "腾讯计算机系统", "腾讯科技", "网银在线", "银联", "快钱", "拉卡拉",
               "阿里云计算", "阿里巴巴", "北京百度网讯", "网易", "米哈游", "完美世界", "盛趣", "巨人网络",
               "华为软件技术", "苹果电子产品商贸", "微信", "抖音", "字节跳动")
# words that make a phrase, not a name ("贵公司", "本平台", "与X公司"); a word that also begins a
# place name is generic only when no place follows (贵阳 / 贵州 / 贵港, 本溪, 和田, 从化 are places)
GENERIC = re.compile(r"^(?:本(?!溪)|该|我|贵(?!阳|州|港|溪|定|德|安|池|南|屿)|此|其|由|与|和(?!田|林格尔|平|静|硕|政|龙|县)|"
                     r"及|的|请|在|为|是|对|从(?!化|江)|向|被|以|各|每|某|一家|任何|所有|相关|您|你|他|她|用户|"
                     r"其他|其它|合作|第三方|关联)")
_LEADING_PUNCT = re.compile(r"^[^\u4e00-\u9fffA-Za-z0-9]+")
_NAME_JUNK_PREFIX = re.compile(r"^(?:[:：\-|·&() ]|\d{4}年?|版权所有|copyright|联系我们|关于我们|网站首页|首页|帮助中心|"
                               r"友情链接|网站地图|隐私政策|用户协议|服务协议|免责声明|联系方式|商务合作|投诉建议|"
                               r"加入我们|常见问题|本站|本网站|本平台|" + _STRONG_LABEL + ")+", re.I)


def find_company_names(text: str, norm: str | None = None, anchors: dict | None = None) -> list[Match]:
    """Company / studio / sole-trader names next to operator labels.  Names of payment
    providers or game publishers are kept only after a strong operator label."""
    norm = normalise(text) if norm is None else norm
    out: list[Match] = []
    seen: set[str] = set()
    if not _HAS_NAME_SUFFIX.search(norm):
        return out
    if anchors is None:
        anchors = scan_anchors(norm)

    def add(m: re.Match, strength: str, offset: int = 0, site_subject: bool = False) -> None:
        raw = m.group("name")
        name = _NAME_JUNK_PREFIX.sub("", raw).strip()
        name = _LEADING_PUNCT.sub("", name)
        if "的" in name:
            # names hardly contain 的: "如Q所属的Y公司" is a phrase; the name is after the last 的,
            # and what comes before it is context (checked below for third-party words)
            name = name.rsplit("的", 1)[1]
            if len(name) < 4:
                return
        if name.count("(") + name.count("（") != name.count(")") + name.count("）"):
            return                  # a bracket cut in half: not a clean name
        if decoy_context(norm, m.end("name") - len(name) + offset, m.end("name") + offset):
            return
        if site_subject:
            pre = norm[max(0, m.start() + offset - 30):m.start() + offset]
            cut = [x.end() for x in re.finditer(r"[。；;！!？?\n]", pre)]
            if not SITE_SUBJECT_RE.search(pre[cut[-1]:] if cut else pre):
                return
        if len(name) < 4 or name in seen:
            return
        if GENERIC.match(name):
            return
        if strength != "strong" and any(tp in name for tp in THIRD_PARTY):
            return
        if re.fullmatch(_NAME_SUFFIX, name) or len(re.sub(_NAME_SUFFIX + "$", "", name)) < 2:
            return
        seen.add(name)
        end = m.end("name") + offset
        start = end - len(name)
        out.append(Match(name, text[start:end], start, end, {"label": strength}))

    for group, strength in (("strong", "strong"), ("code", "strong"), ("weak", "weak")):
        for start, end in anchors[group]:
            m = NAME_AFTER_RE.match(norm, end, end + 80)
            if m:
                add(m, strength)
    for start, end in anchors["sole"]:
        for m in SOLE_TRADER_RE.finditer(norm, max(0, start - 32), end + 32):
            add(m, "strong")
    for start, end in anchors["verb"]:
        m = RUN_BY_AT_END_RE.search(norm, max(0, start - 50), start)
        if m:
            add(m, "strong", site_subject=True)
    for group, strength in (("code", "strong"), ("after", "weak")):
        for start, end in anchors[group]:
            m = NAME_AT_END_RE.search(norm, max(0, start - 50), start)
            if m:
                add(m, strength)
    for start, end in anchors["weare"]:
        m = NAME_WE_ARE_RE.match(norm, start)
        if m:
            add(m, "weak")
    out.sort(key=lambda x: (x.extra["label"] != "strong", x.start))
    return out


# ---- anchors ------------------------------------------------------------------------------------
# Identifier and contact patterns run only in windows around cheap anchors.  Each group is
# a literal alternation, scanned on its own (one combined regex with named groups is several
# times slower in CPython's engine).
USCC_LABELS_RE = re.compile(_USCC_LABEL)
def _expand(pattern: str) -> list[str]:
    """The literal strings of a simple label pattern: alternatives, "(?:x)?" optionals."""
    out: list[str] = []
    for alt in re.split(r"\|(?![^()]*\))", pattern):
        variants = [""]
        for lit, opt in re.findall(r"([^()?]+)|\(\?:([^()]*)\)\?", alt):
            if lit:
                variants = [v + lit for v in variants]
            else:
                choices = [""] + opt.split("|")
                variants = [v + c for v in variants for c in choices]
        out.extend(v.replace("\\", "") for v in variants if v)
    return out


_LITERAL_GROUPS = {
    "lic": ["ICP证", "icp证", "B2", "b2", "网文"],
    "icp": ["ICP", "icp", "Icp"],
    "psb": ["公网安", "网安备", "公安", "公 网", "网 安"],
    "code": ["统一社会信用代码", "社会信用代码", "信用代码", "营业执照", "工商注册号", "注册号", "纳税人识别号", "税号", "USCC"],
    "strong": _expand(_STRONG_LABEL) + ["网站主办"],
    "weak": ["版权所有", "版权归属", "copyright", "Copyright", "COPYRIGHT", "©", "(c)", "(C)", "®"],
    "after": ["版权所有", "保留所有权利", "ll rights reserved", "ll Rights Reserved", "LL RIGHTS RESERVED"],
    "sole": ["个体工商户"],
    "verb": ["运营", "主办", "经营", "开办", "提供服务"],
    "weare": ["我们是", "本站隶属于", "隶属于", "归属于"],
    "qq": ["QQ", "qq", "Qq", "Q.Q", "企鹅", "扣扣", "群"],
    "wx": ["微信", "VX", "vx", "Vx", "WX", "wx", "Wx", "weixin", "Weixin", "WeChat", "wechat", "Wechat", "WECHAT",
           "v信", "V信", "薇信", "威信"],
    "tg": ["t.me/", "telegram", "Telegram", "TG", "飞机", "电报"],
    "at": ["@"],
    "addr": ["地址", "住所", "场所", "注册地", "所在地"],
}
_GROUPS_OF: dict[str, tuple[str, ...]] = {}
for _g, _lits in _LITERAL_GROUPS.items():
    for _lit in _lits:
        _GROUPS_OF[_lit] = _GROUPS_OF.get(_lit, ()) + (_g,)
# one literal alternation, longest first (CPython scans a plain literal alternation fast)
_LITERALS_RE = re.compile("|".join(re.escape(x) for x in sorted(_GROUPS_OF, key=len, reverse=True)))
_DIGITS_RE = re.compile(r"\d[\d -]{5,}\d|\(0\d{2,3}\)")
ANCHOR_GROUPS = tuple(_LITERAL_GROUPS) + ("digits",)


def scan_anchors(norm: str) -> dict[str, list[tuple[int, int]]]:
    """Every anchor of the page, by group: one scan for the label literals, one for digits."""
    out: dict[str, list[tuple[int, int]]] = {g: [] for g in ANCHOR_GROUPS}
    groups_of = _GROUPS_OF
    for m in _LITERALS_RE.finditer(norm):
        span = m.span()
        for g in groups_of[m.group()]:
            out[g].append(span)
    out["digits"] = [m.span() for m in _DIGITS_RE.finditer(norm)]
    # "营业执照名称：X" is a label too; "ICP证" also anchors the ICP search
    out["strong"] = out["strong"] + out["code"]
    out["icp"] = sorted(out["icp"] + out["lic"])
    return out
