"""complaint.channel: the shop publishes how to complain (工单, 客服, 申诉, 12315 …)."""
from __future__ import annotations

from cardshop_auditor.checks._common import (ALL_CONTACTS, ECOMMERCE, absence, art, clause_evidence, clauses,
                                             contact_evidence, say)
from cardshop_auditor.checks.base import FAIL, PASS, WARN, Check, Result

TITLE = {"zh": "公布了投诉渠道", "en": "The shop publishes a complaint channel"}
FAILURE_TITLE = {"zh": "未公布投诉渠道", "en": "No complaint channel published"}
DESCRIPTION = {
    "zh": "《电子商务法》第五十九条要求电子商务经营者建立便捷、有效的投诉、举报机制，公开投诉、举报方式等信息。"
          "条款里写明了投诉、申诉或工单途径为通过；只有一般联系方式、没有说明投诉途径为提醒；两者都没有为不通过。",
    "en": "Article 59 of the E-Commerce Law requires an easy, effective complaint mechanism and "
          "published complaint channels. Terms that name a complaint, appeal or ticket route pass; "
          "only general contact details warn; neither fails.",
}
REASONS = {
    "ok": {"zh": "条款写明了投诉途径", "en": "the terms name a complaint route"},
    "contact_only": {"zh": "没有说明投诉途径，只有一般联系方式", "en": "no complaint route, only general contact details"},
    "absent": {"zh": "没有投诉途径，也没有任何联系方式", "en": "no complaint route and no contact details"},
}

ADVICE = {
    "zh": "店铺没有写明投诉渠道：与卖家协商不成时，可拨打 12315 或在全国 12315 平台投诉。",
    "en": "No complaint route is stated: if the seller will not help, complain via 12315.",
}

REQUIRES = ("agreement", "contacts")


def _evaluate(findings: dict) -> Result:
    found = clauses(findings, "complaint_channel")
    if found:
        return Result(PASS, clause_evidence(findings, found), reason=say(REASONS["ok"]))
    reachable = contact_evidence(findings, ALL_CONTACTS)
    if reachable:
        return Result(WARN, reachable, reason=say(REASONS["contact_only"]))
    return Result(FAIL, [absence(findings, REASONS["absent"])], reason=say(REASONS["absent"]))


CHECK = Check(
    id="complaint.channel",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(ECOMMERCE, "五十九"),),
    severity="low", advice=ADVICE,
    requires=REQUIRES, evaluate=_evaluate,
)
