"""icp.present: the site shows an ICP filing (备案) or licence (经营许可证) number."""
from __future__ import annotations

from cardshop_auditor.checks._common import INTERNET_INFO, absence, art, say
from cardshop_auditor.checks.base import FAIL, PASS, Check, Flag, Result, ev

TITLE = {"zh": "网站标明了 ICP 备案号或经营许可证编号",
         "en": "The site shows an ICP filing or licence number"}
FAILURE_TITLE = {"zh": "未找到 ICP 备案号", "en": "No ICP filing number found"}
DESCRIPTION = {
    "zh": "《互联网信息服务管理办法》第十二条要求网站在主页显著位置标明经营许可证编号或备案编号，"
          "第四条规定未取得许可或未履行备案手续的不得从事互联网信息服务。"
          "有了备案号，买家可以在工信部备案系统（beian.miit.gov.cn）查到网站的主办者。",
    "en": "Article 12 of the Internet Information Services Measures requires a site to show its "
          "licence or filing number prominently on its home page; Article 4 forbids providing the "
          "service without one. The number lets a buyer look up who runs the site in the MIIT "
          "filing system (beian.miit.gov.cn).",
}
REASONS = {
    "icp": {"zh": "找到备案号 {number}", "en": "filing number {number} found"},
    "licence": {"zh": "未找到备案号，但找到经营许可证 {number}",
                "en": "no filing number, but licence {number} found"},
    "absent": {"zh": "未找到 ICP 备案号或经营许可证编号",
               "en": "no ICP filing or licence number found"},
}

FLAG = Flag(
    "no_icp", severity="medium",
    name={"zh": "未公示ICP备案号", "en": "No ICP filing number shown"},
    advice={
        "zh": "到工信部备案系统（beian.miit.gov.cn）查询该域名；查不到备案的网站出了问题很难追责，不要大额充值。",
        "en": "Look the domain up at beian.miit.gov.cn; an unfiled site is hard to hold to account — avoid large top-ups.",
    },
)

# what the checks that depend on this one (they read the filing number) lack when it found none
ABSENT = {"zh": "未找到备案号", "en": "no ICP number"}

REQUIRES = ("icp", "icp_license")


def _evaluate(findings: dict) -> Result:
    icp, licence = findings["icp"], findings["icp_license"]
    if icp:
        return Result(PASS, [ev(icp.get("source_url"), icp.get("raw") or icp.get("number"))],
                      reason=say(REASONS["icp"], number=icp.get("number")))
    if licence:
        # a licence stands in for the filing, but the checks that read a filing number have none
        return Result(PASS, [ev(licence.get("source_url"), licence.get("number"))],
                      reason=say(REASONS["licence"], number=licence.get("number")), subject_found=False)
    return Result(FAIL, [absence(findings, REASONS["absent"])], reason=say(REASONS["absent"]))


CHECK = Check(
    id="icp.present",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(INTERNET_INFO, "十二"), art(INTERNET_INFO, "四")),
    requires=REQUIRES, evaluate=_evaluate, flag=FLAG, absent=ABSENT,
)
