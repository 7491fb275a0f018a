"""icp.registry_personal: a personal (个人) filing on a site that sells."""
from __future__ import annotations

from cardshop_auditor.checks._common import ECOMMERCE, INTERNET_INFO, REFUND_KINDS, art, clauses, say
from cardshop_auditor.checks._registry import PERSONAL_TYPES, record_evidence
from cardshop_auditor.checks.base import Flag, FAIL, PASS, Check, Result, ev

TITLE = {"zh": "备案主体不是个人", "en": "The filing is not a personal one"}
FAILURE_TITLE = {"zh": "个人备案的网站在经营销售", "en": "A personal filing used for selling"}
DESCRIPTION = {
    "zh": "《互联网信息服务管理办法》第四条、第七条：经营性互联网信息服务须取得经营许可证，"
          "个人只能为非经营性网站办理备案。《电子商务法》第十条、第十五条：电子商务经营者应办理市场主体登记并公示营业执照信息。"
          "--icp-registry 文件中该域名的主办单位性质为“个人”，而网站在销售商品（有支付、下单或退款规则），"
          "即用个人备案经营：出了问题买家只能找到一个自然人。",
    "en": "Internet Information Services Measures arts. 4 and 7: commercial services need a licence; a "
          "person can only file a non-commercial site. E-Commerce Law arts. 10 and 15: an online seller "
          "registers as a market entity and shows its business licence. The --icp-registry file records "
          "this domain's holder as a person (个人) while the site sells (payment, ordering or refund terms): "
          "a personal filing used for commerce, where a buyer can only trace an individual.",
}
REASONS = {
    "ok": {"zh": "主办单位性质：{types}", "en": "holder type on record: {types}"},
    "sells": {"zh": "个人备案（{holder}），网站却在销售：{what}", "en": "a personal filing ({holder}) on a site that sells: {what}"},
    "no_sale": {"zh": "个人备案，但未见销售迹象", "en": "a personal filing, but no sign of selling"},
}
FLAG = Flag(
    "icp_personal_filing", severity="medium",
    name={"zh": "个人备案却在经营", "en": "Personal filing used for selling"},
    advice={"zh": "这个网站以个人名义备案却在销售商品，出了纠纷只能找到个人；保留订单和付款记录，谨慎充值。",
            "en": "The site is filed by a private person yet sells: in a dispute only an individual can be traced; keep order and payment records and top up with care."},
)

REQUIRES = ("icp_registry", "signals", "refund_entry", "agreement")


def _selling(findings: dict) -> list:
    """Evidence that the site sells: a shop system, payment, a refund entry or refund terms."""
    signals = findings["signals"] or {}
    for key in ("payment", "gateways", "platform", "template"):
        hits = signals.get(key) or []
        if hits:
            return [ev(hits[0].get("url"), hits[0].get("snippet") or hits[0].get("id"))]
    refund = findings["refund_entry"] or {}
    if refund.get("found"):
        return [ev(refund.get("url"), " › ".join(refund.get("steps") or []) or "refund entry")]
    terms = clauses(findings, *REFUND_KINDS)
    if terms:
        return [ev(terms[0].get("source_url"), terms[0].get("text"))]
    return []


def _evaluate(findings: dict) -> Result:
    records = findings["icp_registry"]["records"]
    personal = [r for r in records if (r.get("holder_type") or "") in PERSONAL_TYPES]
    if not personal:
        types = "、".join(sorted({r.get("holder_type") or "?" for r in records}))
        return Result(PASS, record_evidence(findings, records), reason=say(REASONS["ok"], types=types))
    selling = _selling(findings)
    if not selling:
        return Result(PASS, record_evidence(findings, personal), reason=say(REASONS["no_sale"]))
    return Result(FAIL, record_evidence(findings, personal) + selling,
                  reason=say(REASONS["sells"], holder=personal[0].get("holder") or "?",
                             what=selling[0].snippet))


CHECK = Check(
    id="icp.registry_personal",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(INTERNET_INFO, "四"), art(INTERNET_INFO, "七"), art(ECOMMERCE, "十"), art(ECOMMERCE, "十五")),
    requires=REQUIRES, depends_on=("icp.registry_record",), evaluate=_evaluate,
    flag=FLAG,
)
