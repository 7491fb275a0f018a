"""refund.channel: the refund terms say where the money goes back to."""
from __future__ import annotations

import re

from cardshop_auditor.checks._common import CONSUMER, REFUND_KINDS, art, clause_evidence, clauses, say
from cardshop_auditor.checks.base import FAIL, PASS, WARN, Check, Result

TITLE = {"zh": "退款条款写明了退款去向", "en": "The refund terms say where the money goes"}
FAILURE_TITLE = {"zh": "退款条款没有写明退款去向", "en": "The refund terms do not say where the money goes"}
DESCRIPTION = {
    "zh": "《消费者权益保护法》第二十五条要求经营者“返还消费者支付的商品价款”，第二十八条要求说明履行方式。"
          "原路退回（原支付方式）为通过；有退款条款却不说明去向为不通过；"
          "只退到不可提现的站内余额时，钱并没有回到买家手里，给出提醒。",
    "en": "Article 25 of the Consumer Protection Law requires the seller to “return the price the "
          "consumer paid”, and Article 28 to state how obligations are performed. Refunds to the "
          "original payment method pass; refund terms that do not say where the money goes fail; "
          "refunds only to a site balance that cannot be withdrawn warn, since the money never "
          "returns to the buyer.",
}
REASONS = {
    "missing": {"zh": "有退款条款，但没有说明退到哪里", "en": "refund terms exist but do not say where the money goes"},
    "balance": {"zh": "只退到不可提现的账户余额", "en": "refunds go only to a balance that cannot be withdrawn"},
    "ok": {"zh": "写明了退款去向", "en": "the refund channel is stated"},
}

ORIGINAL = re.compile(r"原路|原支付|原付款|原渠道|银行卡|支付宝|微信")
NOT_ORIGINAL = re.compile(r"(?:不|无法|不能)(?:支持|予|可|会)?" + ORIGINAL.pattern.join("()"))
NO_WITHDRAWAL = re.compile(r"(?:不可|不能|无法|不支持|不予)(?:申请)?提现|仅(?:可|能)用于(?:购买|消费)")

ADVICE = {
    "zh": "退款可能只退到不能提现的平台余额：付款前问清退款去向，尽量选择原路退回的店铺。",
    "en": "Refunds may only go to a balance you cannot withdraw: ask first and prefer refunds to your original payment.",
}

REQUIRES = ("agreement",)


def _evaluate(findings: dict) -> Result:
    found = clauses(findings, "refund_channel")
    if not found:
        return Result(FAIL, clause_evidence(findings, clauses(findings, *REFUND_KINDS)[:3]),
                      reason=say(REASONS["missing"]))
    texts = " ".join(c.get("text") or "" for c in found)
    if NO_WITHDRAWAL.search(texts) and not ORIGINAL.search(NOT_ORIGINAL.sub("", texts)):
        return Result(WARN, clause_evidence(findings, found), reason=say(REASONS["balance"]))
    return Result(PASS, clause_evidence(findings, found), reason=say(REASONS["ok"]))


CHECK = Check(
    id="refund.channel",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(CONSUMER, "二十五"), art(CONSUMER, "二十八")),
    severity="low", advice=ADVICE,
    requires=REQUIRES, depends_on=("refund.policy_present",), evaluate=_evaluate,
)
