"""refund.digital_goods_exemption: the shop says which digital goods cannot be returned."""
from __future__ import annotations

from cardshop_auditor.checks._common import (CONSUMER, CONSUMER_PENALTIES, REFUND_KINDS, SCOPE_KINDS, art,
                                             clause_evidence, clauses, say)
from cardshop_auditor.checks.base import PASS, WARN, Check, Result

TITLE = {"zh": "说明了哪些虚拟商品可退、哪些不可退",
         "en": "The shop says which digital goods are and are not refundable"}
FAILURE_TITLE = {"zh": "没有具体说明哪些虚拟商品不可退",
                 "en": "The shop does not say which digital goods are non-refundable"}
DESCRIPTION = {
    "zh": "《消费者权益保护法》第二十五条：在线下载或已拆封的数字化商品不适用七日无理由退货；"
          "其他商品只有“根据商品性质并经消费者在购买时确认”才可以不退。"
          "《侵害消费者权益行为处罚办法》第九条把“未经消费者确认，以自行规定该商品不适用无理由退货为由拒绝退货”视为无理拒绝。"
          "因此店铺应当具体说明哪些商品（已提取卡密、已充值到账、限时特价……）不退，哪些（未提取、未激活）可退。"
          "有这样的具体条款为通过；只有一概排除或没有范围说明为提醒。"
          "购买时的逐单确认步骤（《网络购买商品七日无理由退货暂行办法》，未核实）本项无法从条款文本核实。",
    "en": "Article 25 of the Consumer Protection Law exempts digital goods downloaded online or "
          "unsealed from the 7-day no-reason return; other goods are exempt only if unsuitable by "
          "nature AND confirmed by the buyer at purchase. Article 9 of the Measures on Penalties for "
          "Infringing Consumer Rights treats refusing a return “because the seller itself declared "
          "the goods non-returnable, without the buyer's confirmation” as unreasonable refusal. So a "
          "shop should say which goods (card key revealed, top-up credited, flash sales …) are not "
          "refundable and which (not revealed, not activated) are. Specific clauses pass; a blanket "
          "exclusion or no scope at all warns. The per-purchase confirmation step (网络购买商品七日"
          "无理由退货暂行办法, unverified) cannot be verified from the terms' text.",
}
REASONS = {
    "ok": {"zh": "{n} 条条款具体说明了可退与不可退的范围", "en": "{n} clauses state what is and is not refundable"},
    "blanket": {"zh": "只有一概不退的表述，没有说明哪些商品不适用无理由退货",
                "en": "only a blanket exclusion; no statement of which goods are exempt"},
    "unscoped": {"zh": "退款条款没有说明哪些商品可退、哪些不可退",
                 "en": "the refund terms do not say which goods are refundable"},
}

ADVICE = {
    "zh": "店铺把虚拟商品一律当作不退货商品：未激活、未提取的卡密仍可依法申请退款。",
    "en": "The shop treats all digital goods as non-returnable: unused, unrevealed card keys can still be refunded.",
}

REQUIRES = ("agreement",)


def _evaluate(findings: dict) -> Result:
    refund_terms = clauses(findings, *REFUND_KINDS)
    scoped = [c for c in refund_terms if c.get("kind") in SCOPE_KINDS]
    if scoped:
        return Result(PASS, clause_evidence(findings, scoped), reason=say(REASONS["ok"], n=len(scoped)))
    blanket = [c for c in refund_terms if c.get("kind") == "blanket_no_refund"]
    return Result(WARN, clause_evidence(findings, blanket or refund_terms),
                  reason=say(REASONS["blanket" if blanket else "unscoped"]))


CHECK = Check(
    id="refund.digital_goods_exemption",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(CONSUMER, "二十五"), art(CONSUMER_PENALTIES, "九")),
    severity="low", advice=ADVICE,
    requires=REQUIRES, depends_on=("refund.policy_present",), evaluate=_evaluate,
)
