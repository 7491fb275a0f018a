"""business.identity: the shop says who runs it (company name and/or 统一社会信用代码)."""
from __future__ import annotations

from cardshop_auditor.checks._common import CONSUMER, ECOMMERCE, absence, art, say
from cardshop_auditor.checks.base import FAIL, PASS, WARN, Check, Flag, Result, ev

TITLE = {"zh": "网站公示了经营者名称和统一社会信用代码",
         "en": "The site names its operator and shows the credit code"}
FAILURE_TITLE = {"zh": "网站没有完整公示经营者身份", "en": "The site does not fully identify its operator"}
DESCRIPTION = {
    "zh": "《电子商务法》第十五条要求电子商务经营者在首页显著位置持续公示营业执照信息（或不需登记的说明）或其链接；"
          "《消费者权益保护法》第二十一条要求经营者标明真实名称。买家据此才知道出了问题该找谁。"
          "名称和统一社会信用代码都有为通过，只有其一为提醒，都没有为不通过。",
    "en": "Article 15 of the E-Commerce Law requires the business-licence information (or the "
          "registration-exemption statement), or a link to it, continuously and prominently on the "
          "home page; Article 21 of the Consumer Protection Law requires a seller's real name. It is "
          "how a buyer knows whom to hold to account. Name and credit code pass, one of them warns, "
          "neither fails.",
}
REASONS = {
    "full": {"zh": "经营者 {name}，统一社会信用代码 {uscc}", "en": "operator {name}, credit code {uscc}"},
    "name_only": {"zh": "只有经营者名称 {name}，没有统一社会信用代码",
                  "en": "operator name {name} but no unified social credit code"},
    "uscc_only": {"zh": "只有统一社会信用代码 {uscc}，没有经营者名称",
                  "en": "credit code {uscc} but no operator name"},
    "absent": {"zh": "未找到经营者名称或统一社会信用代码",
               "en": "no operator name or unified social credit code found"},
}

FLAG = Flag(
    "no_business_identity", severity="medium",
    name={"zh": "未公示经营者身份", "en": "No operator identity shown"},
    advice={
        "zh": "不知道卖家是谁，纠纷时难以投诉或起诉：付款前请客服提供营业执照信息，或换一家公示了经营主体的店铺。",
        "en": "You cannot tell who the seller is: ask for the business licence before paying, or buy elsewhere.",
    },
)

# what the checks that depend on this one (they read the credit code) lack when it found none
ABSENT = {"zh": "网站未公示统一社会信用代码", "en": "no credit code shown"}

REQUIRES = ("business",)


def _evaluate(findings: dict) -> Result:
    business = findings["business"] or {}
    name, uscc = business.get("company_name"), business.get("uscc")
    if not (name or uscc):
        return Result(FAIL, [absence(findings, REASONS["absent"])], reason=say(REASONS["absent"]))
    evidence = [ev(business.get("source_url"), " ".join(x for x in (name, uscc) if x))]
    if name and uscc:
        return Result(PASS, evidence, reason=say(REASONS["full"], name=name, uscc=uscc))
    if name:
        # a name alone identifies the operator, but the checks that read a credit code have none
        return Result(WARN, evidence, reason=say(REASONS["name_only"], name=name), subject_found=False)
    return Result(WARN, evidence, reason=say(REASONS["uscc_only"], uscc=uscc))


CHECK = Check(
    id="business.identity",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(ECOMMERCE, "十五"), art(CONSUMER, "二十一")),
    requires=REQUIRES, evaluate=_evaluate, flag=FLAG, absent=ABSENT,
)
