"""Precision rounds rulesP6 and rulesP7: shapes the rules read as a kind the written conventions
(clause_corpus/README.md) rule out, each beside a true clause of the kind that stays found (its
conventions against the classifier are in test_clause_conventions_model_adds.py).
Sentences are ours, written for the test."""
from __future__ import annotations

import pytest

from cardshop_auditor.extract.clause_conventions import convention_excludes
from cardshop_auditor.extract.clause_rules import rule_classify


def kinds(sentence: str) -> set[str]:
    return {k for k, _ in rule_classify(sentence)}


# a delivery as the only trigger, no hedge, no carve-out, no route for problems: the sale rule
# (README blanket_no_refund: blanket alone), not used goods
@pytest.mark.parametrize("sentence", [
    "软件序列号发货后不予退款。",
    "账号一经成功交付，本店不办理退款。",
    "本店的会员兑换码发货之后不支持退款。",
])
def test_delivery_trigger_alone_is_no_used_goods(sentence):
    found = kinds(sentence)
    assert "no_refund_used" not in found
    assert "blanket_no_refund" in found
    assert convention_excludes("no_refund_used", sentence)      # nor may the classifier add it


@pytest.mark.parametrize("sentence", [
    "游戏点卡发货后不支持退款，有问题请联系店主。",              # a route for faulty goods
    "激活码一经发出，正常情况下不能退款。",                      # hedged
    "软件序列号发货后不予退款，买错、不会用等理由一概不受理。",  # the buyer's reasons listed
])
def test_delivery_trigger_with_more_keeps_used_goods(sentence):
    assert "no_refund_used" in kinds(sentence)


@pytest.mark.parametrize("sentence", [
    "激活码发货后已经兑换的，不予退款。",                        # a use named
    "兑换码一经发送且收到时有效，就不能退款。",                  # received and valid
])
def test_used_state_beside_delivery_is_left_to_the_model(sentence):
    assert not convention_excludes("no_refund_used", sentence)


# a fault the seller could not fix within some hours: the hours are the seller's, not the refund's
def test_fault_unresolved_in_hours_is_no_refund_time():
    assert "refund_timeline" not in kinds("插件装不上的，技术员四十八小时内还修不好的，全额退款。")
    assert "refund_timeline" in kinds("购买后七天内可以申请全额退款。")


# ---- rulesP7

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
