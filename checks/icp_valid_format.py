"""icp.valid_format: the ICP number shown is well-formed and not a template placeholder."""
from __future__ import annotations

from cardshop_auditor.checks._common import INTERNET_INFO, art, not_applicable, say
from cardshop_auditor.checks.base import FAIL, PASS, Check, Flag, Result, ev

TITLE = {"zh": "ICP 备案号格式有效", "en": "The ICP number is well-formed"}
FAILURE_TITLE = {"zh": "ICP 备案号格式错误或为占位号码",
                 "en": "The ICP number is malformed or a placeholder"}
DESCRIPTION = {
    "zh": "备案号的格式为“省份简称 + ICP备 + 数字 + 号（-序号）”，例如 京ICP备16059763号-1。"
          "《互联网信息服务管理办法》第十二条要求标明的是网站自己的备案编号；"
          "12345678、XXXXXXXX 之类的模板占位号码或残缺号码等于没有备案号，"
          "而且会让买家误以为网站已备案，这是典型的野鸡站特征。",
    "en": "An ICP number reads province abbreviation + ICP备 + digits + 号 (+ -k), e.g. "
          "京ICP备16059763号-1. Article 12 of the Internet Information Services Measures requires "
          "the site's own number; a template placeholder (12345678, XXXXXXXX) or a mangled "
          "number is no number at all and suggests a filing that does not exist — a classic "
          "fly-by-night sign.",
}
REASONS = {
    "unrated": {"zh": "提取器未评估备案号格式", "en": "the extractor did not rate the number's format"},
    "placeholder": {"zh": "备案号 {number} 是模板占位号码",
                    "en": "{number} is a template placeholder"},
    "malformed": {"zh": "备案号 {number} 不符合“省份简称+ICP备+数字+号”的格式",
                  "en": "{number} does not match province + ICP备 + digits + 号"},
    "ok": {"zh": "备案号 {number} 格式有效", "en": "{number} is well-formed"},
}

FLAG = Flag(
    "icp_malformed", severity="high",
    name={"zh": "备案号格式异常或是占位符", "en": "ICP number malformed or a placeholder"},
    advice={
        "zh": "备案号可能是编造或套用的：到 beian.miit.gov.cn 核对备案主体和域名是否与本站一致。",
        "en": "The filing number may be made up or borrowed: check at beian.miit.gov.cn that it covers this domain.",
    },
)

REQUIRES = ("icp",)


def _evaluate(findings: dict) -> Result:
    icp = findings["icp"]
    number = icp.get("number") or icp.get("raw")
    evidence = [ev(icp.get("source_url"), icp.get("raw") or number)]
    if icp.get("placeholder"):
        return Result(FAIL, evidence, reason=say(REASONS["placeholder"], number=number))
    if icp.get("valid_format") is False:
        return Result(FAIL, evidence, reason=say(REASONS["malformed"], number=number))
    if icp.get("valid_format") is None:
        return not_applicable(REASONS["unrated"])
    return Result(PASS, evidence, reason=say(REASONS["ok"], number=number))


CHECK = Check(
    id="icp.valid_format",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(INTERNET_INFO, "十二"),),
    requires=REQUIRES, depends_on=("icp.present",), evaluate=_evaluate, flag=FLAG,
)
