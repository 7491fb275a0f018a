"""Helpers shared by the checks (the leading underscore keeps this module out of the registry).

* law names and ``art()``, so every ``basis`` is spelled the way shared/laws/ spells it;
* ``Text``: a one-line reason in zh and en that still is a plain ``str`` (``Result.reason``);
* accessors for the findings the checks share: clauses by kind, the home page, contacts.

The preconditions (a crawl that fetched nothing, a finding never produced, a check depended
on that found nothing) are the runner's, ``cardshop_auditor.judge.gate``, not a check's.  A
finding that is present but ``None`` means "looked, not found": that is for the check.
"""
from __future__ import annotations

from cardshop_auditor.checks.base import FAIL, NOT_APPLICABLE, PASS, Evidence, Result, ev
from cardshop_auditor.urls import page_key

# --- legal basis ------------------------------------------------------------------------
# Names exactly as the files in shared/laws/ are named (without the date suffix).
ECOMMERCE = "电子商务法"
CONSUMER = "消费者权益保护法"
CONSUMER_PENALTIES = "侵害消费者权益行为处罚办法"
CIVIL_CODE = "民法典"                      # shared/laws/合同编.md: articles keep the Code's numbering
INTERNET_INFO = "互联网信息服务管理办法"
NETWORK_SECURITY = "计算机信息网络国际联网安全保护管理办法"
TELECOM = "电信条例"
# 最高人民法院关于审理网络消费纠纷案件适用法律若干问题的规定（一）, cited by its document number.
SPC_ONLINE_CONSUMER = "法释〔2022〕8号"
SPC_ONLINE_CONSUMER_FULL = "最高人民法院关于审理网络消费纠纷案件适用法律若干问题的规定（一）"
USCC_STANDARD = "GB 32100-2015"
# Department rules that are not in shared/laws/: cited as DOMAIN.md gives them, and a check
# citing one says "(unverified)" / "未核实" in its description until the text is checked.
FILING_RULES = "非经营性互联网信息服务备案管理办法"
SEVEN_DAY_RULES = "网络购买商品七日无理由退货暂行办法"
ONLINE_TRADE_RULES = "网络交易监督管理办法"
UNVERIFIED_RULES = (FILING_RULES, SEVEN_DAY_RULES, ONLINE_TRADE_RULES)

# Names used in a basis that are not the stem of a file in shared/laws/.
LAW_FILE_STEMS = {CIVIL_CODE: "合同编", SPC_ONLINE_CONSUMER: SPC_ONLINE_CONSUMER_FULL}


def art(law: str, number: str) -> str:
    """``art(ECOMMERCE, "十五")`` -> ``"电子商务法 第十五条"`` (Chinese numerals, as in the text)."""
    return f"{law} 第{number}条"


# --- reasons in two languages -----------------------------------------------------------
class Text(str):
    """A reason in zh and en that is also a plain str ("zh / en").

    ``Result.reason`` is a str; the judge shows ``reason.zh`` or ``reason.en`` for the
    report's language and anything else that reads it still gets readable text.
    """

    zh: str
    en: str

    def __new__(cls, zh: str, en: str) -> "Text":
        self = super().__new__(cls, f"{zh} / {en}")
        self.zh, self.en = zh, en
        return self

    def __getnewargs__(self) -> tuple[str, str]:  # pickle / copy
        return self.zh, self.en


def localise(reason: str, lang: str) -> str:
    """The reason in ``lang`` when it is a ``Text`` (zh for any language but en); else as is."""
    if isinstance(reason, Text):
        return reason.en if lang == "en" else reason.zh
    return reason


def say(template: dict, **values) -> Text:
    """Fill a ``{"zh": ..., "en": ...}`` template from a check's string table."""
    return Text(template["zh"].format(**values), template["en"].format(**values))


def not_applicable(template: dict, **values) -> Result:
    return Result(NOT_APPLICABLE, reason=say(template, **values))


# --- pages ------------------------------------------------------------------------------
def home_url(findings: dict) -> str | None:
    site = findings.get("site") or {}
    return site.get("final_url") or site.get("start_url")


def is_home(findings: dict, url: str | None) -> bool | None:
    """Is ``url`` the start page (before or after redirects)?  None when unknown."""
    site = findings.get("site") or {}
    homes = [u for u in (site.get("start_url"), site.get("final_url")) if u]
    if not url or not homes:
        return None
    return page_key(url) in {page_key(h) for h in homes}


def absence(findings: dict, what: dict) -> Evidence:
    """Evidence for "looked, not found": where we looked and how much."""
    pages = (findings.get("site") or {}).get("pages_fetched")
    scope = {"zh": f"已检查 {pages} 个页面" if pages else "已检查首页",
             "en": f"{pages} pages searched" if pages else "home page searched"}
    # both languages; the judge keeps the report's one
    return Evidence(home_url(findings), Text(f"{scope['zh']}，{what['zh']}", f"{scope['en']}; {what['en']}"))


# --- agreement clauses (DESIGN.md clause kinds) --------------------------------------------
# Clauses that say which goods can or cannot be refunded, and on what terms.
SCOPE_KINDS = ("refund_unactivated", "refund_activated_fee", "no_refund_used",
               "special_goods_exclusion")
# Anything about refunds at all: scope, fault, blanket exclusions and the procedure.
REFUND_KINDS = SCOPE_KINDS + ("platform_fault", "blanket_no_refund", "refund_channel",
                              "refund_timeline", "evidence_required", "supplement_deadline")


def clauses(findings: dict, *kinds: str) -> list[dict]:
    """The agreement's clauses of the given kinds (all clauses when no kind is given)."""
    agreement = findings.get("agreement") or {}
    found = agreement.get("clauses") or []
    return [c for c in found if not kinds or c.get("kind") in kinds]


def clause_evidence(findings: dict, found: list[dict]) -> list[Evidence]:
    fallback = (findings.get("agreement") or {}).get("url")
    return [ev(c.get("source_url") or fallback, c.get("text")) for c in found]


# --- contacts -----------------------------------------------------------------------------
# Ways to reach the shop.  QQ numbers, QQ groups and Telegram handles are anonymous and
# bought in bulk: a shop reachable only through them is the DOMAIN.md §4.3 fly-by-night sign
# (contact_qq_only).  A phone, an email or WeChat (bound to a phone number) breaks that pattern.
ANONYMOUS_CONTACTS = ("qq", "qq_groups", "telegram")
TRACEABLE_CONTACTS = ("phones", "emails", "wechat")
ALL_CONTACTS = TRACEABLE_CONTACTS + ANONYMOUS_CONTACTS


def contacts(findings: dict) -> dict:
    return findings.get("contacts") or {}


def contact_evidence(findings: dict, keys: tuple[str, ...]) -> list[Evidence]:
    """One evidence row per contact of the given kinds ("address" is a single string)."""
    found = contacts(findings)
    sources = found.get("sources") or {}          # optional: "qq:12345" -> url where it was seen
    rows = []
    for key in keys:
        values = found.get(key) or []
        for value in [values] if isinstance(values, str) else values:
            where = sources.get(f"{key}:{value}") or found.get("source_url") or home_url(findings)
            rows.append(ev(where, f"{key}: {value}"))
    return rows


# --- fly-by-night signals (findings["signals"]) -------------------------------------------
def signal_result(findings: dict, category: str, reasons: dict) -> Result:
    """Fail with every fingerprint of ``category`` as evidence; pass when there is none.

    ``reasons`` holds a ``"clean"`` and a ``"found"`` template (``{ids}``: the signal ids).
    """
    hits = (findings.get("signals") or {}).get(category) or []
    if not hits:
        return Result(PASS, reason=say(reasons["clean"]))
    ids = ", ".join(dict.fromkeys(h.get("id") or "?" for h in hits))
    return Result(FAIL, [ev(h.get("url"), h.get("snippet")) for h in hits],
                  reason=say(reasons["found"], ids=ids))
