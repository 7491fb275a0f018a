"""Fly-by-night fingerprints (DOMAIN.md §4): unchanged open-source shop templates, personal /
evasive payment, anti-blocking (防红).  Each signal: {"id", "url", "snippet"}; one per id.

Visible text is searched first (the snippet is what a visitor sees); the raw markup second
(meta generator, script prompts, QR-code image names), with ``"in_markup": True``.
"""
from __future__ import annotations

import re

from auditor.extract.page import PageDoc
from auditor.extract.text import collapse

def _v(*words: str) -> tuple[str, ...]:
    """Literal keywords with their usual case variants (a cheap ``in`` gate before the regex)."""
    out = []
    for w in words:
        for x in (w, w.lower(), w.upper(), w.capitalize()):
            if x not in out:
                out.append(x)
    return tuple(out)


# (id, gate keywords, pattern)
TEMPLATE = (
    ("dujiaoka", _v("独角数卡", "dujiaoka"), re.compile(r"独角数卡|dujiaoka", re.I)),
    ("zfaka", _v("zfaka", "ZFaka"), re.compile(r"powered\s*by\s*zfaka|\bzfaka\b", re.I)),
    ("acg_faka", _v("异次元店铺", "个人店铺系统", "acg-faka", "acgfaka", "lizhipay"),
     re.compile(r"异次元店铺|最适合你的个人店铺系统|acg-faka|acgfaka|lizhipay", re.I)),
    ("open_source_notice", ("开源", "学习交流"), re.compile(r"本程序为开源程序|本系统为开源(?:程序|系统)|仅用于学习交流(?:使用)?")),
    ("default_notice", ("均可正常购买",), re.compile(r"本系统商品均可正常购买")),
    ("kamiFaka", _v("kamifaka", "kamiFaka"), re.compile(r"kamifaka", re.I)),
)
PAYMENT = (
    ("vmq", _v("V免签", "v免签", "vmq", "v-mianqian"), re.compile(r"V免签|vmq|v-mianqian", re.I)),
    ("mianqian", ("免签",) + _v("mianqian"), re.compile(r"免签(?:约)?(?:支付)?|mianqian", re.I)),
    ("codepay", ("码支付",) + _v("codepay", "CodePay"), re.compile(r"码支付|codepay", re.I)),
    ("epay", ("易支付",) + _v("epay", "EPay"), re.compile(r"易支付|彩虹易支付|(?<![a-z])epay(?!ment)", re.I)),
    ("payjs", _v("payjs", "paysapi", "PayJS"), re.compile(r"\bpayjs\b|paysapi", re.I)),
    ("usdt", ("泰达币", "虚拟币支付", "加密货币支付") + _v("usdt", "tokenpay", "TokenPay", "trc20", "trc-20", "erc20", "erc-20",
                                                   "epusdt"),
     re.compile(r"epusdt|tokenpay|(?<![A-Za-z0-9])usdt(?![A-Za-z0-9])|trc-?20|erc-?20|泰达币|虚拟币支付|加密货币支付", re.I)),
    ("personal_qr", ("收款码", "个人二维码", "备注"),
     re.compile(r"个人收款码|个人二维码|扫码后(?:请)?备注|付款(?:时)?(?:请)?备注(?:订单号|订单|单号)|转账(?:时)?(?:请)?备注|"
                r"(?<!商家)(?<!商户)(?<!企业)(?<!店铺)(?<!公司)收款码")),
    ("personal_transfer", ("转账", "私人账户", "对私", "个人支付宝", "个人微信", "个人银行卡", "个人账户"),
     re.compile(r"转账到个人|个人(?:支付宝|微信|银行卡|账户)(?:转账|收款)|私人账户|对私转账|加(?:客服)?微信(?:转账|付款)")),
)
_QR_IMAGE = re.compile(r"(?:wx|wechat|weixin|ali|alipay|zfb|qq)[-_]?(?:pay)?[-_]?(?:qr|qrcode|code|skm|shoukuan)|"
                       r"shoukuan|skm\.|收款码|收款二维码|(?:wxpay|alipay|zfb)[-_.]", re.I)
_QR_HINTS = ("wx", "we", "ali", "zfb", "qq", "skm", "shoukuan", "收款")


def _qr_image(images: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The first image whose file name or alt text reads like a personal payment QR code."""
    joined = "\n".join(f"{src.rsplit('/', 1)[-1]}\n{alt}" for src, alt in images).lower()
    if not any(h in joined for h in _QR_HINTS) or not _QR_IMAGE.search(joined):
        return None
    for src, alt in images:
        name = src.rsplit("/", 1)[-1]
        if _QR_IMAGE.search(name) or (alt and _QR_IMAGE.search(alt)):
            return name, alt
    return None
ANTI_BLOCKING = (
    ("fanghong", ("防红", "防封", "防屏蔽", "防拦截") + _v("fanghong"), re.compile(r"防红|防封|防屏蔽|防拦截|fanghong", re.I)),
    ("open_in_browser", ("浏览器",),
     re.compile(r"请?(?:在|使用|用)(?:手机|系统)?(?:自带)?(?:默认)?浏览器(?:中)?打开|点击右上角[^。\n]{0,12}浏览器(?:中)?打开|"
                r"复制链接(?:到|至)浏览器")),
    ("no_wechat_qq", ("微信内", "微信中", "微信或", "微信/", "QQ内", "QQ中", "QQ或", "qq内", "微信里", "QQ里"),
     re.compile(r"(?:不支持|禁止|无法)(?:在)?(?:微信|QQ)(?:或|和|/|、)?(?:QQ|微信)?(?:内|中|里)?(?:访问|打开|使用)|"
                r"(?:微信|QQ)(?:内|中)(?:无法|不能)(?:访问|打开|支付)", re.I)),
)


def _first(rx: re.Pattern, text: str) -> tuple[int, int] | None:
    m = rx.search(text)
    return m.span() if m else None


def _snip(text: str, span: tuple[int, int], pad: int = 40) -> str:
    a, b = span
    return collapse(text[max(0, a - pad):b + pad])[:200]


# "切勿向个人账户转账", "请勿使用免签": a warning against the practice is not the practice
# negation-aware: "本店不使用个人收款码，不会要求转账到个人账户" describes what the shop does *not* do
_WARNED = re.compile(r"(?:切勿|请勿|勿|不要|禁止|严禁|谨防|切莫|不会|绝不|从不|从未|警惕|谨慎|拒绝|不支持|不接受|不让|不用|无需|不需要|"
                     r"不必|不得|杜绝|不使用|不采用|不提供|不存在|没有|并非|不是|非|不收取|不通过|不走|不开放|不涉及|"
                     r"未使用|未采用|不再使用|已停用|停止使用)[^。！!？?；;\n，,]{0,10}$|"
                     r"(?:切勿|请勿|不要|严禁|禁止|谨防|不会|绝不)[^。！!？?；;\n]{0,10}$")


def _first_unwarned(rx: re.Pattern, text: str) -> tuple[int, int] | None:
    for m in rx.finditer(text):
        if not _WARNED.search(text[max(0, m.start() - 14):m.start()]):
            return m.span()
    return None


# every gate keyword of every table in one literal alternation: one scan per source tells
# which signals can match at all
_ALL_KEYWORDS = sorted({k for table in (TEMPLATE, PAYMENT, ANTI_BLOCKING) for _, gate, _ in table for k in gate},
                       key=len, reverse=True)
_GATE_RE = re.compile("|".join(re.escape(k) for k in _ALL_KEYWORDS))
# a hit on "V免签" also opens the gate of "免签" (matches do not overlap)
_CONTAINED = {k: {k2 for k2 in _ALL_KEYWORDS if k2 in k} for k in _ALL_KEYWORDS}


def _text_keys(text: str) -> set[str]:
    found: set[str] = set()
    for k in set(_GATE_RE.findall(text)):
        found |= _CONTAINED[k]
    return found
# markup (mostly ASCII) is lower-cased once and gated by the lower-case keywords only
_LOW_KEYWORDS = sorted({k.lower() for k in _ALL_KEYWORDS}, key=len, reverse=True)
_GATE_LOW_RE = re.compile("|".join(re.escape(k) for k in _LOW_KEYWORDS))


def _markup_keys(html: str) -> set[str]:
    found = set(_GATE_LOW_RE.findall(html.lower()))
    # a lower-case hit opens every case variant of that keyword, and the keywords inside it
    return {k for k in _ALL_KEYWORDS if any(k.lower() in f for f in found)}


# the parts of the markup a visitor does not read: comments, scripts, meta / link tags,
# attribute values (asset paths, alt texts)
_MARKUP_PARTS = re.compile(r"<!--.*?-->|<script\b[^>]*>.*?</script>|<(?:meta|link|img|script|a)\b[^>]*>",
                           re.S | re.I)


def markup_of(html: str) -> str:
    return "\n".join(_MARKUP_PARTS.findall(html[:3_000_000]))


def _scan(table, doc: PageDoc, out: dict, markup: str | None, warned: bool = False, present=None) -> None:
    find = _first_unwarned if warned else _first
    sources = [(doc.text, False, present[0])]
    if markup:
        sources.append((markup, True, present[1]))
    for src, in_markup, keys in sources:
        if not src or not keys:
            continue
        for sid, gate, rx in table:
            if sid in out or keys.isdisjoint(gate):
                continue
            span = find(rx, src)
            if span:
                out[sid] = {"id": sid, "url": doc.url, "snippet": _snip(src, span), "in_markup": in_markup}


def find_signals(docs: list[PageDoc]) -> dict:
    """Visible text of every page; the markup (scripts, comments, asset paths) of the start
    page only (``docs[0]``), where templates and anti-blocking scripts show."""
    template: dict = {}
    payment: dict = {}
    anti: dict = {}
    for i, doc in enumerate(docs):
        markup = markup_of(doc.html) if i == 0 else None
        present = (_text_keys(doc.text), _markup_keys(markup) if markup else set())
        _scan(TEMPLATE, doc, template, markup, present=present)
        if doc.meta_generator:
            gen = doc.meta_generator
            for sid, _gate, rx in TEMPLATE:
                if rx.search(gen) and sid not in template:
                    template[sid] = {"id": sid, "url": doc.url, "snippet": f"generator: {gen}", "in_markup": True}
        _scan(PAYMENT, doc, payment, markup, warned=True, present=present)
        if "personal_qr" not in payment and doc.images:
            hit = _qr_image(doc.images)
            if hit:
                name, alt = hit
                payment["personal_qr"] = {"id": "personal_qr", "url": doc.url,
                                          "snippet": f"<img src={name!r} alt={alt!r}>"[:200], "in_markup": True}
        _scan(ANTI_BLOCKING, doc, anti, markup, warned=True, present=present)
    return {"template": list(template.values()), "payment": list(payment.values()),
            "anti_blocking": list(anti.values())}
