"""business.uscc_valid: the 统一社会信用代码 shown passes the GB 32100-2015 check character."""
from __future__ import annotations

from cardshop_auditor.checks._common import ECOMMERCE, USCC_STANDARD, art, not_applicable, say
from cardshop_auditor.checks.base import FAIL, PASS, Check, Flag, Result, ev

TITLE = {"zh": "统一社会信用代码校验通过", "en": "The unified social credit code is valid"}
FAILURE_TITLE = {"zh": "统一社会信用代码校验不通过", "en": "The unified social credit code is invalid"}
DESCRIPTION = {
    "zh": "统一社会信用代码共 18 位，最后一位是按 GB 32100-2015 由前 17 位算出的校验码。"
          "校验不通过的代码不可能是真实登记的代码：要么抄错，要么是编造的，"
          "与《电子商务法》第十五条要求公示的营业执照信息不符。",
    "en": "A unified social credit code has 18 characters; the last is a check character computed "
          "from the first 17 (GB 32100-2015). A code that fails it cannot be a registered one: it "
          "is mistyped or invented, and is not the business-licence information Article 15 of the "
          "E-Commerce Law requires.",
}
REASONS = {
    "unrated": {"zh": "提取器未校验 {uscc}", "en": "the extractor did not validate {uscc}"},
    "invalid": {"zh": "{uscc} 不符合 GB 32100-2015 的格式或校验码",
                "en": "{uscc} fails the GB 32100-2015 format or check character"},
    "ok": {"zh": "{uscc} 校验通过", "en": "{uscc} passes the check character"},
}

FLAG = Flag(
    "uscc_invalid", severity="high",
    name={"zh": "统一社会信用代码无效", "en": "Invalid unified social credit code"},
    advice={
        "zh": "页面上的信用代码校验不通过，可能是编造的：在国家企业信用信息公示系统（gsxt.gov.cn）核实这家公司。",
        "en": "The credit code fails its checksum and may be invented: look the company up at gsxt.gov.cn.",
    },
)

REQUIRES = ("business",)


def _evaluate(findings: dict) -> Result:
    business = findings["business"]
    uscc = business["uscc"]
    evidence = [ev(business.get("source_url"), uscc)]
    valid = business.get("uscc_valid")
    if valid is None:
        return not_applicable(REASONS["unrated"], uscc=uscc)
    if not valid:
        return Result(FAIL, evidence, reason=say(REASONS["invalid"], uscc=uscc))
    return Result(PASS, evidence, reason=say(REASONS["ok"], uscc=uscc))


CHECK = Check(
    id="business.uscc_valid",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(USCC_STANDARD, art(ECOMMERCE, "十五")),
    requires=REQUIRES, depends_on=("business.identity",), evaluate=_evaluate, flag=FLAG,
)
