"""psb.present: the site shows a public-security (公安) network filing number."""
from __future__ import annotations

from cardshop_auditor.checks._common import NETWORK_SECURITY, absence, art, say
from cardshop_auditor.checks.base import FAIL, PASS, Check, Flag, Result, ev

TITLE = {"zh": "网站标明了公安联网备案号", "en": "The site shows a public-security filing number"}
FAILURE_TITLE = {"zh": "未找到公安联网备案号", "en": "No public-security filing number found"}
DESCRIPTION = {
    "zh": "《计算机信息网络国际联网安全保护管理办法》第十二条要求使用国际联网的单位自联通之日起三十日内"
          "到公安机关办理备案手续。该条规定的是备案本身；在网站上展示“某公网安备…号”来自公安备案系统的办理要求，"
          "并非该条原文。因此页面上没有备案号只说明备案可能未办理，不能证明未办理。",
    "en": "Article 12 of the Computer Information Network International Connection Security "
          "Measures requires organisations to file with the public-security authority within 30 days "
          "of going online. The article covers the filing itself; displaying the 公网安备 number "
          "comes from the filing system's instructions, not from the article. A missing number "
          "suggests, but does not prove, that no filing was made.",
}
REASONS = {
    "found": {"zh": "找到公安备案号 {number}", "en": "filing number {number} found"},
    "absent": {"zh": "未找到公安联网备案号", "en": "no public-security filing number found"},
}

FLAG = Flag(
    "no_psb_filing", severity="medium",
    name={"zh": "未公示公安联网备案号", "en": "No public-security filing number"},
    advice={
        "zh": "到 beian.mps.gov.cn 查询；缺少公安备案不一定是骗局，但说明经营者信息不透明，请保留好付款凭证。",
        "en": "Search beian.mps.gov.cn; a missing filing is not proof of fraud, but keep your payment records.",
    },
)

# what the checks that depend on this one lack when it found nothing
ABSENT = {"zh": "未找到公安备案号", "en": "no filing number"}

REQUIRES = ("psb_filing",)


def _evaluate(findings: dict) -> Result:
    filing = findings["psb_filing"]
    if filing:
        return Result(PASS, [ev(filing.get("source_url"), filing.get("raw") or filing.get("number"))],
                      reason=say(REASONS["found"], number=filing.get("number")))
    return Result(FAIL, [absence(findings, REASONS["absent"])], reason=say(REASONS["absent"]))


CHECK = Check(
    id="psb.present",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(NETWORK_SECURITY, "十二"),),
    requires=REQUIRES, evaluate=_evaluate, flag=FLAG, absent=ABSENT,
)
