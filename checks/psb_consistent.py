"""psb.consistent: the province prefix of the 公安 filing number matches its district code."""
from __future__ import annotations

from cardshop_auditor.checks._common import NETWORK_SECURITY, art, not_applicable, say
from cardshop_auditor.checks.base import FAIL, PASS, Check, Flag, Result, ev

TITLE = {"zh": "公安备案号前缀与地区代码一致", "en": "The filing number's prefix matches its district code"}
FAILURE_TITLE = {"zh": "公安备案号前缀与地区代码不一致",
                 "en": "The filing number's prefix contradicts its district code"}
DESCRIPTION = {
    "zh": "公安联网备案号的前六位是受理备案的公安机关所在行政区划代码（如 110105 为北京朝阳），"
          "省份简称必须与之对应（京 对 11、粤 对 44……）。两者不一致的号码多半是编造或套用的，"
          "说明《计算机信息网络国际联网安全保护管理办法》第十二条要求的备案很可能并不存在。",
    "en": "The first six digits of a 公网安备 number are the district code of the filing bureau "
          "(110105 = Beijing Chaoyang), and the province abbreviation must match it (京 = 11, "
          "粤 = 44, …). A mismatch usually means an invented or borrowed number, so the filing that "
          "Article 12 of the International Connection Security Measures requires likely does not exist.",
}
REASONS = {
    "unrated": {"zh": "无法判断 {number} 的前缀与地区代码是否一致",
                "en": "could not tell whether {number}'s prefix matches its district code"},
    "mismatch": {"zh": "{number} 的省份简称与地区代码 {region} 不符",
                 "en": "{number}: the province prefix does not match district code {region}"},
    "ok": {"zh": "{number} 的省份简称与地区代码 {region} 一致",
           "en": "{number}: prefix matches district code {region}"},
}

FLAG = Flag(
    "psb_inconsistent", severity="medium",
    name={"zh": "公安备案号省份与编码不一致", "en": "Public-security number inconsistent"},
    advice={
        "zh": "备案号的省份简称和数字编码对不上，可能是伪造的：请到 beian.mps.gov.cn 核实后再付款。",
        "en": "The province prefix does not match the digits — possibly forged: verify at beian.mps.gov.cn before paying.",
    },
)

REQUIRES = ("psb_filing",)


def _evaluate(findings: dict) -> Result:
    filing = findings["psb_filing"]
    number, region = filing.get("number"), filing.get("region_code")
    evidence = [ev(filing.get("source_url"), filing.get("raw") or number)]
    if filing.get("consistent") is False:
        return Result(FAIL, evidence, reason=say(REASONS["mismatch"], number=number, region=region))
    if filing.get("consistent") is None:
        return not_applicable(REASONS["unrated"], number=number)
    return Result(PASS, evidence, reason=say(REASONS["ok"], number=number, region=region))


CHECK = Check(
    id="psb.consistent",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(NETWORK_SECURITY, "十二"),),
    requires=REQUIRES, depends_on=("psb.present",), evaluate=_evaluate, flag=FLAG,
)
