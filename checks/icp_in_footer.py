"""icp.in_footer: the ICP number sits at the bottom of the home page, where buyers look."""
from __future__ import annotations

from cardshop_auditor.checks._common import FILING_RULES, INTERNET_INFO, art, is_home, not_applicable, say
from cardshop_auditor.checks.base import FAIL, PASS, WARN, Check, Result, ev

TITLE = {"zh": "ICP 备案号显示在首页底部", "en": "The ICP number is at the bottom of the home page"}
FAILURE_TITLE = {"zh": "ICP 备案号不在首页底部", "en": "The ICP number is not at the bottom of the home page"}
DESCRIPTION = {
    "zh": "《互联网信息服务管理办法》第十二条要求在网站主页的显著位置标明备案编号：只出现在内页上不符合该条，"
          "判为不通过。工信部《非经营性互联网信息服务备案管理办法》第十三条（未核实）进一步要求放在首页底部中间"
          "并链接到备案系统：在首页但不在页脚时给出提醒。",
    "en": "Article 12 of the Internet Information Services Measures requires the number prominently "
          "on the home page: a number shown only on inner pages fails. The MIIT filing rules "
          "(非经营性互联网信息服务备案管理办法 art. 13, unverified) further place it at the bottom "
          "centre of the home page, linked to the filing system: a number on the home page but "
          "outside the footer gets a warning.",
}
REASONS = {
    "footer": {"zh": "备案号在首页页脚", "en": "the number is in the home page footer"},
    "inner": {"zh": "备案号只出现在内页 {url}，首页上没有",
              "en": "the number appears only on an inner page ({url}), not on the home page"},
    "not_footer": {"zh": "备案号在首页上，但不在页脚", "en": "the number is on the home page but not in its footer"},
}

ADVICE = {
    "zh": "备案号没有放在首页底部：到 beian.miit.gov.cn 核实这个备案号是否属于本网站。",
    "en": "The filing number is not in the home-page footer: check at beian.miit.gov.cn that it belongs to this site.",
}

REQUIRES = ("icp",)


def _evaluate(findings: dict) -> Result:
    icp = findings["icp"]
    url = icp.get("source_url")
    evidence = [ev(url, icp.get("raw") or icp.get("number"))]
    if is_home(findings, url) is False:
        return Result(FAIL, evidence, reason=say(REASONS["inner"], url=url))
    if not icp.get("in_footer"):
        return Result(WARN, evidence, reason=say(REASONS["not_footer"]))
    return Result(PASS, evidence, reason=say(REASONS["footer"]))


CHECK = Check(
    id="icp.in_footer",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(INTERNET_INFO, "十二"), art(FILING_RULES, "十三")),
    severity="low", advice=ADVICE,
    requires=REQUIRES, depends_on=("icp.present",), evaluate=_evaluate,
)
