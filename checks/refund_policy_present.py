"""refund.policy_present: the shop says when and how it refunds."""
from __future__ import annotations

from cardshop_auditor.checks._common import (CONSUMER, REFUND_KINDS, SCOPE_KINDS, absence, art,
                                             clause_evidence, clauses, say)
from cardshop_auditor.checks.base import FAIL, PASS, WARN, Check, Flag, Result

TITLE = {"zh": "网站说明了退款规则", "en": "The site states its refund rules"}
FAILURE_TITLE = {"zh": "未找到退款规则", "en": "No refund rules found"}
DESCRIPTION = {
    "zh": "《消费者权益保护法》第二十八条要求网络经营者提供售后服务等信息，第二十五条规定了网购商品七日无理由退货"
          "及其例外。卡密、充值等虚拟商品的退款规则（未提取可退、已使用不退、平台原因补发或退款……）"
          "是买家下单前最需要知道的。说明了哪些情况可退或不可退为通过；只有“概不退换”或只有流程（渠道、时限）为提醒；"
          "完全没有为不通过。",
    "en": "Article 28 of the Consumer Protection Law requires online sellers to give after-sales "
          "information; Article 25 sets the 7-day no-reason return and its exceptions. For card keys "
          "and top-ups, the refund rules (unredeemed: refundable; used: not; platform fault: reissue "
          "or refund …) are what a buyer most needs before paying. Rules that say what is or is not "
          "refundable pass; only a blanket “no refunds” or only procedure (channel, timing) warns; "
          "nothing at all fails.",
}
REASONS = {
    "ok": {"zh": "找到 {n} 条说明退款范围的条款", "en": "{n} clauses say what is refundable"},
    "blanket": {"zh": "唯一的退款表述是“概不退换”式的一概排除", "en": "the only refund statement is a blanket exclusion"},
    "procedure": {"zh": "只说明了退款流程，没有说明哪些情况可以退款",
                  "en": "only the refund procedure is stated, not what can be refunded"},
    "absent": {"zh": "没有任何退款条款", "en": "no refund terms at all"},
}
# Clauses that say what is, or is not, refundable (blanket exclusions say nothing specific).
SUBSTANTIVE_KINDS = SCOPE_KINDS + ("platform_fault",)

FLAG = Flag(
    "no_refund_policy", severity="medium",
    name={"zh": "没有退款规则", "en": "No refund policy"},
    advice={
        "zh": "付款前向客服确认退款规则并截图保存；未激活、未提取的卡密可以依法要求退款。",
        "en": "Ask for the refund rules before paying and keep a screenshot; unused card keys can be refunded.",
    },
)

# what the checks that depend on this one lack when it found nothing
ABSENT = {"zh": "没有任何退款条款", "en": "no refund terms at all"}

REQUIRES = ("agreement",)


def _evaluate(findings: dict) -> Result:
    refund_terms = clauses(findings, *REFUND_KINDS)
    if not refund_terms:
        return Result(FAIL, [absence(findings, REASONS["absent"])], reason=say(REASONS["absent"]))
    substantive = [c for c in refund_terms if c.get("kind") in SUBSTANTIVE_KINDS]
    if substantive:
        return Result(PASS, clause_evidence(findings, substantive),
                      reason=say(REASONS["ok"], n=len(substantive)))
    blanket = [c for c in refund_terms if c.get("kind") == "blanket_no_refund"]
    return Result(WARN, clause_evidence(findings, blanket or refund_terms),
                  reason=say(REASONS["blanket" if blanket else "procedure"]))


CHECK = Check(
    id="refund.policy_present",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(CONSUMER, "二十八"), art(CONSUMER, "二十五")),
    requires=REQUIRES, evaluate=_evaluate, flag=FLAG, absent=ABSENT,
)
