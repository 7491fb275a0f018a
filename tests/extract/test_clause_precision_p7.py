"""Precision round rulesP7: shapes the rules read as a kind the written conventions
(clause_corpus/README.md) rule out, each beside a true clause of the kind that stays found (its
conventions against the classifier are in test_clause_conventions_model_adds.py).
Sentences are ours, written for the test."""
from __future__ import annotations

import pytest

from cardshop_auditor.extract.clause_conventions import convention_excludes
from cardshop_auditor.extract.clause_rules import rule_classify


def kinds(sentence: str) -> set[str]:
    return {k for k, _ in rule_classify(sentence)}


# the part not done refunded by the progress: the undelivered part (README refund_unactivated), no
# fee; the rules do not read it as one, nor may the classifier add it
@pytest.mark.parametrize("sentence", [
    "代练订单做到一半取消的，按进度退款，比如完成了40%就退60%。",
    "刷单任务已开始的可以部分退款，完成百分之三十的退还百分之七十。",
])
def test_the_part_not_done_refunded_is_no_fee(sentence):
    assert "refund_activated_fee" not in kinds(sentence)
    assert convention_excludes("refund_activated_fee", sentence)


@pytest.mark.parametrize("sentence", [
    "订单开始后申请退款的，收取10%手续费。",
    "已完成百分之五十以上的订单，只退百分之二十。",          # a tier that keeps more than the part done
])
def test_a_fee_on_a_started_order_stays_found(sentence):
    assert "refund_activated_fee" in kinds(sentence)
