"""icp.license: a multi-merchant platform shows an operating licence (经营许可证), not just a filing.

Only ever passes, warns or is not applicable: whether a shop needs the licence turns on its
business (paid information services, merchants on the platform), which a crawl can only guess.
"""
from __future__ import annotations

import re

from cardshop_auditor.checks._common import (INTERNET_INFO, TELECOM, art, clause_evidence, clauses, home_url,
                                             not_applicable, say)
from cardshop_auditor.checks.base import PASS, WARN, Check, Result, ev

TITLE = {"zh": "网站标明了增值电信业务经营许可证", "en": "The site shows a value-added telecom licence"}
FAILURE_TITLE = {"zh": "多商户平台未标明经营许可证",
                 "en": "A multi-merchant platform shows no operating licence"}
DESCRIPTION = {
    "zh": "《互联网信息服务管理办法》第四条、第七条：经营性互联网信息服务实行许可制度，须取得增值电信业务经营许可证"
          "（《电信条例》第九条），只销售自有商品的小店通常只需备案。"
          "招募商户、开通分站的卡盟平台很可能属于经营性服务（未核实，取决于实际业务），"
          "因此本项只对看起来是多商户平台且只有备案号的网站给出提醒，从不判为不通过；单一店铺不适用。",
    "en": "Articles 4 and 7 of the Internet Information Services Measures: commercial internet "
          "information services need a value-added telecom licence (Telecommunications Regulations "
          "art. 9); a shop selling its own goods usually needs only a filing. A 卡盟 platform that "
          "hosts merchants or sub-sites likely needs the licence (unverified: it depends on the "
          "business), so this check only warns when a site looks like a multi-merchant platform and "
          "shows no licence; it never fails, and does not apply to single shops.",
}
REASONS = {
    "licensed": {"zh": "找到经营许可证 {number}", "en": "licence {number} found"},
    "platform": {"zh": "网站看起来是多商户平台，但只有备案号或没有任何编号",
                 "en": "the site looks like a multi-merchant platform but shows no licence"},
    "single": {"zh": "没有多商户平台的迹象，备案即可", "en": "no sign of a multi-merchant platform; a filing suffices"},
}

# Words that only a platform hosting other sellers uses about itself.
PLATFORM_WORDS = re.compile(r"平台内经营者|入驻商[家户]|商[家户]入驻|开通分站|分站站长|供货商")

ADVICE = {
    "zh": "多商户平台通常需要增值电信经营许可证（ICP证/B2）：大额交易前确认平台资质。",
    "en": "Multi-seller platforms usually need an operating licence (ICP/B2): check before large purchases.",
}

REQUIRES = ("icp_license", "agreement")


def _platform_evidence(findings: dict) -> list | None:
    """Evidence that the site hosts other merchants, or None when nothing suggests it."""
    flag = (findings.get("site") or {}).get("multi_merchant")   # set by the extractor, if it knows
    if flag is not None:
        return [ev(home_url(findings), "multi_merchant")] if flag else None
    agreement = findings.get("agreement") or {}
    if PLATFORM_WORDS.search(agreement.get("title") or ""):
        return [ev(agreement.get("url"), agreement["title"])]
    hits = [c for c in clauses(findings) if PLATFORM_WORDS.search(c.get("text") or "")]
    return clause_evidence(findings, hits[:3]) or None


def _evaluate(findings: dict) -> Result:
    licence = findings["icp_license"]
    if licence:
        return Result(PASS, [ev(licence.get("source_url"), licence.get("number"))],
                      reason=say(REASONS["licensed"], number=licence.get("number")))
    evidence = _platform_evidence(findings)
    if evidence is None:
        return not_applicable(REASONS["single"])
    return Result(WARN, evidence, reason=say(REASONS["platform"]))


CHECK = Check(
    id="icp.license",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(INTERNET_INFO, "四"), art(INTERNET_INFO, "七"), art(TELECOM, "九")),
    severity="low", advice=ADVICE,
    requires=REQUIRES, evaluate=_evaluate,
)
