"""Fly-by-night fingerprints (DOMAIN.md §4): unchanged open-source shop templates, personal /
evasive payment, anti-blocking (防红).  Each signal: {"id", "url", "snippet"}; one per id.

Visible text is searched first (the snippet is what a visitor sees); the raw markup second
(meta generator, script prompts, QR-code image names), with ``"in_markup": True``.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from cardshop_auditor.extract.page import PageDoc
from cardshop_auditor.extract.text import collapse
from cardshop_auditor.urls import normalise, same_host

def _v(*words: str) -> tuple[str, ...]:
    """Literal keywords with their usual case variants (a cheap ``in`` gate before the regex)."""
    out = []
    for w in words:
        for x in (w, w.lower(), w.upper(), w.capitalize()):
            if x not in out:
                out.append(x)
    return tuple(out)


# Which open-source system a shop runs on: a neutral fact ("built on dujiaoka"), shown in
# the report as findings.site.platform, never a risk by itself.  (system, gate, pattern);
# visible credits first ("Powered by：@独角数卡"), then markup (asset paths, generator).
PLATFORM = (
    ("dujiaoka", _v("独角数卡", "dujiaoka"), re.compile(r"独角数卡|dujiaoka", re.I)),
    ("zfaka", _v("zfaka", "ZFaka"), re.compile(r"powered\s*by\s*zfaka|\bzfaka\b", re.I)),
    ("acg_faka", _v("异次元店铺", "个人店铺系统", "acg-faka", "acgfaka", "lizhipay", "异次元发卡"),
     re.compile(r"异次元店铺|最适合你的个人店铺系统|异次元发卡|acg-faka|acgfaka|lizhipay", re.I)),
    ("kamifaka", _v("kamifaka", "kamiFaka"), re.compile(r"kamifaka", re.I)),
    ("card_system", _v("card-system", "fakaxitong", "shop_theme/classic"),
     re.compile(r"tai7sy/card-system|fakaxitong\.com|/shop_theme/classic/", re.I)),
    ("qs_faka", ("骑士寄售",) + _v("qqss.net", "qs-faka"), re.compile(r"骑士寄售|qqss\.net|qs-faka", re.I)),
)
PLATFORM_LABELS = {"dujiaoka": "独角数卡 dujiaoka", "zfaka": "ZFAKA", "acg_faka": "异次元发卡 acg-faka",
                   "kamifaka": "kamiFaka", "card_system": "CardSystem (Tai7sy)", "qs_faka": "骑士寄售 qs-faka"}

# Default content an untouched install still shows (DOMAIN.md §1, §4.6).  Each hit is one
# signal; signals.template_default needs two of them (counting an empty identity), so a
# credit in the footer of a customised shop is not "unchanged".  (id, gate, pattern)
DEFAULTS = (
    ("default_notice", ("开源程序", "与作者无关", "均可正常购买", "可在后台设置", "XXX小店", "学习交流", "管理后台>>"),
     re.compile(r"本程序为开源程序|本系统为开源(?:程序|系统)|(?:一切)?法律后果与作者无关|本系统商品均可正常购买|"
                r"公告信息可在后台设置|欢迎来到XXX小店|仅用于学习交流(?:使用)?|请在管理后台>>")),
    ("demo_goods", ("演示商品", "测试商品", "商品演示", "演示XXXX", "测试使用"),
     re.compile(r"该商品是演示商品|(?<![\w])测试商品(?:_\d)?(?![\w])|普通商品演示|批发商品演示|重复卡密演示|"
                r"商品简述信息演示|这里是测试商品|测试使用")),
    ("default_footer", ("1101XXXX", "公司：xxx", "公司:xxx", "公司：XXX"),
     re.compile(r"ICP备1101XXXX号|公司[:：]\s?xxx(?![a-z])", re.I)),
)
# Shop names the installers ship with: a title that still carries one is the default title.
_DEFAULT_TITLE = re.compile(r"独角数卡|异次元店铺|最适合你的个人店铺系统|ZFAKA|KAMIFAKA|XX小店|骑士寄售|"
                            r"自动发卡,\s*自动发货", re.I)
# ZFAKA installs with QQ as the required order field (install/faka.sql: orderinputtype=2)
# (form fields read "name id placeholder": the name comes first)
_ZFAKA_QQ_FIELD = re.compile(r"^qq(?:\s|$)", re.I)

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
# ---- the maintained gateway list (data/gateways.json) -------------------------------------
_GATEWAY_FILE = Path(__file__).with_name("data") / "gateways.json"
EVASIVE_KINDS = ("personal", "evasive")


def _load_gateways() -> tuple[dict, ...]:
    data = json.loads(_GATEWAY_FILE.read_text(encoding="utf-8"))
    return tuple(g for g in data["gateways"] if g.get("kind") in ("personal", "evasive", "regular"))


GATEWAYS = _load_gateways()
# visible-text names of personal / evasive gateways the PAYMENT table does not already know
_TABLE_IDS = {sid for sid, _gate, _rx in PAYMENT}
PAYMENT = PAYMENT + tuple(
    (g["id"], tuple(dict.fromkeys(n for name in g["names"] for n in _v(name))),
     re.compile("|".join(re.escape(n) for n in sorted(g["names"], key=len, reverse=True)), re.I))
    for g in GATEWAYS if g["kind"] in EVASIVE_KINDS and g["id"] not in _TABLE_IDS and g["names"])
# attribute values / file names: whole lower-case tokens ("tokenpay-usdt-trc" -> tokenpay, usdt, trc)
_CODE_TO_GATEWAY = {c.lower(): g for g in GATEWAYS for c in g["codes"]}
_NAME_RX = tuple((g, re.compile("|".join(re.escape(n) for n in sorted(g["names"], key=len, reverse=True)), re.I))
                 for g in GATEWAYS if g["names"])
_TOKEN = re.compile(r"[a-z0-9]+")


def gateways_in_attributes(hints: str, images: list[tuple[str, str]]) -> list[tuple[dict, str]]:
    """Gateways named only in attributes: data-type / data-name / option or radio values
    (``hints``, see page.parse._attr_hints) and image file names / alt texts.  [(gateway, snippet)]"""
    found: dict[str, tuple[dict, str]] = {}
    sources = [(v, f"attribute {v!r}") for v in hints.split("\n") if v]
    for src, alt in images:
        name = src.rsplit("/", 1)[-1]
        if name:
            sources.append((name, f"<img src={name!r}>"))
        if alt:
            sources.append((alt, f"<img alt={alt!r}>"))
    for value, snippet in sources:
        low = value.lower()
        for tok in _TOKEN.findall(low):
            g = _CODE_TO_GATEWAY.get(tok)
            if g and g["id"] not in found:
                found[g["id"]] = (g, snippet[:200])
        for g, rx in _NAME_RX:
            if g["id"] not in found and rx.search(value):
                found[g["id"]] = (g, snippet[:200])
    return list(found.values())


# a payment QR code, not a payment method's logo: "alipay.png" / "wxpay.jpg" are the icons
# every order form shows (ZFAKA /res/images/pay/alipay.jpg), "wxpay_qr.png" is a code to scan
_QR_IMAGE = re.compile(r"(?:wx|wechat|weixin|ali|alipay|zfb|qq)[-_]?(?:pay)?[-_]?(?:qr|qrcode|code|skm|shoukuan)|"
                       r"shoukuan|skm\.|收款码|收款二维码", re.I)
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
_ALL_KEYWORDS = sorted({k for table in (PLATFORM, DEFAULTS, PAYMENT, ANTI_BLOCKING) for _, gate, _ in table for k in gate},
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


def _scan(table, doc: PageDoc, out: dict, markup: str | None, warned: bool = False, present=None,
          pad: int = 40) -> None:
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
                out[sid] = {"id": sid, "url": doc.url, "snippet": _snip(src, span, pad), "in_markup": in_markup}


def _default_title(doc: PageDoc) -> dict | None:
    title = doc.title or ""
    m = _DEFAULT_TITLE.search(title)
    if not m:
        return None
    return {"id": "default_title", "url": doc.url, "snippet": f"<title>{collapse(title)[:160]}</title>",
            "in_markup": True}


def _zfaka_qq_field(doc: PageDoc) -> dict | None:
    for form in doc.forms:
        if any(_ZFAKA_QQ_FIELD.match(f or "") for f in form.fields):
            return {"id": "default_settings", "url": doc.url,
                    "snippet": "下单必填项仍是 QQ（ZFAKA 安装默认 orderinputtype=2） / order form still requires a QQ "
                               "number (ZFAKA's install default)", "in_markup": True}
    return None


def find_signals(docs: list[PageDoc]) -> dict:
    """Visible text of every page; the markup (scripts, comments, asset paths) of the start
    page only (``docs[0]``), where templates and anti-blocking scripts show; attribute
    values (payment channels named only in data-* / option values) of every page.

    ``platform``: which open-source system the shop is built on (neutral);
    ``template``: default content still in place (default title / notice / demo goods /
    install settings): signals.template_default weighs these together with the identity;
    ``payment``: personal or evasive payment channels; ``gateways``: every known gateway
    seen, regular ones included (``kind`` from data/gateways.json); ``anti_blocking``."""
    platform: dict = {}
    template: dict = {}
    payment: dict = {}
    gateways: dict = {}
    anti: dict = {}
    for i, doc in enumerate(docs):
        markup = markup_of(doc.html) if i == 0 else None
        present = (_text_keys(doc.text), _markup_keys(markup) if markup else set())
        # a credit is shown as it reads ("Powered by：@独角数卡"), not with the footer around it
        _scan(PLATFORM, doc, platform, markup, present=present, pad=14)
        if doc.meta_generator:
            gen = doc.meta_generator
            for sid, _gate, rx in PLATFORM:
                if rx.search(gen) and sid not in platform:
                    platform[sid] = {"id": sid, "url": doc.url, "snippet": f"generator: {gen}", "in_markup": True}
        # default content is what a visitor reads: visible text and titles, not asset paths
        _scan(DEFAULTS, doc, template, None, present=(present[0], set()))
        if "default_title" not in template:
            hit = _default_title(doc)
            if hit:
                template["default_title"] = hit
        _scan(PAYMENT, doc, payment, markup, warned=True, present=present)
        if "personal_qr" not in payment and doc.images:
            hit = _qr_image(doc.images)
            if hit:
                name, alt = hit
                payment["personal_qr"] = {"id": "personal_qr", "url": doc.url,
                                          "snippet": f"<img src={name!r} alt={alt!r}>"[:200], "in_markup": True}
        if doc.attr_hints or doc.images:
            for g, snippet in gateways_in_attributes(doc.attr_hints, doc.images):
                gateways.setdefault(g["id"], {"id": g["id"], "label": g["label"], "kind": g["kind"],
                                              "url": doc.url, "snippet": snippet, "in_markup": True})
                if g["kind"] in EVASIVE_KINDS and g["id"] not in payment:
                    payment[g["id"]] = {"id": g["id"], "url": doc.url, "snippet": snippet, "in_markup": True}
        _scan(ANTI_BLOCKING, doc, anti, markup, warned=True, present=present)
    if "zfaka" in platform and "default_settings" not in template:
        for doc in docs:
            hit = _zfaka_qq_field(doc)
            if hit:
                template["default_settings"] = hit
                break
    for sid, hit in payment.items():
        g = next((g for g in GATEWAYS if g["id"] == sid), None)
        if g is not None and sid not in gateways:
            gateways[sid] = {"id": sid, "label": g["label"], "kind": g["kind"], "url": hit["url"],
                             "snippet": hit["snippet"], "in_markup": hit["in_markup"]}
    if platform:
        for hit in platform.values():
            hit["system"] = hit["id"]
            hit["label"] = PLATFORM_LABELS.get(hit["id"], hit["id"])
    return {"platform": list(platform.values()), "template": list(template.values()),
            "payment": list(payment.values()), "gateways": list(gateways.values()),
            "anti_blocking": list(anti.values())}


def platform_of(signals: dict) -> dict | None:
    """findings.site.platform: the first system recognised, with its evidence (or None)."""
    hits = signals.get("platform") or []
    if not hits:
        return None
    first = hits[0]
    return {"system": first["id"], "label": first.get("label") or first["id"],
            "evidence": {"url": first.get("url"), "snippet": first.get("snippet")},
            "others": [h["id"] for h in hits[1:]]}


# ---- the QQ / WeChat user-agent probe (spiders/shop.py PROBE_AGENTS) ----------------------
_AGENT_LABEL = {"qq": "QQ", "wechat": "微信"}
_BLOCKED_STATUS = (401, 403, 404, 410, 444, 451)


def probe_signals(probes: list[dict] | None, start: PageDoc | None) -> tuple[list[dict], list[dict]]:
    """(anti_blocking hits, per-agent summary) from the start page fetched as QQ's and WeChat's
    in-app browsers.  A 防红 setup answers them differently from a normal browser: an
    open-in-browser interstitial the normal page does not show, a jump to another host, or a
    refusal (403 ...) where the normal page answered.  A merely different layout (mobile
    templates are chosen by user agent too) is not a signal."""
    from cardshop_auditor.extract.page import parse_html
    hits: list[dict] = []
    summary: list[dict] = []
    if not probes or start is None:
        return hits, summary
    normal_text = start.text or ""
    normal_keys = _text_keys(normal_text)
    for probe in probes[:4]:
        agent = str(probe.get("agent") or "?")
        label = _AGENT_LABEL.get(agent, agent)
        status = int(probe.get("status") or 0)
        row = {"agent": agent, "status": status, "final_url": probe.get("final_url"), "differs": False,
               "error": probe.get("error")}
        summary.append(row)
        url = probe.get("final_url") or start.url
        why = None
        if status in _BLOCKED_STATUS:
            why = f"{label}内置浏览器访问首页被拒绝（HTTP {status}），普通浏览器可以打开"
        elif normalise(probe.get("final_url")) and not same_host(probe["final_url"], start.url):
            why = f"{label}内置浏览器访问首页被转到另一个网站：{probe['final_url']}"
        elif probe.get("html"):
            doc = parse_html(probe["html"][:60_000], url=url, depth=1)
            text = doc.text or ""
            keys = _text_keys(text)
            for sid, gate, rx in ANTI_BLOCKING:
                if keys.isdisjoint(gate):
                    continue
                span = _first_unwarned(rx, text)
                if span and not (not normal_keys.isdisjoint(gate) and _first_unwarned(rx, normal_text)):
                    why = f"{label}内置浏览器访问首页得到的是另一页：“{_snip(text, span)}”"
                    break
        if why:
            row["differs"] = True
            hits.append({"id": "ua_probe", "url": url, "snippet": why[:300], "in_markup": False, "agent": agent})
    return hits, summary
