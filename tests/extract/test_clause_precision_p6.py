"""Precision round rulesP6: shapes the rules or the classifier read as a kind the written conventions
(clause_corpus/README.md) rule out, each beside a true clause of the kind that stays found.
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


# a fault of goods delivered (wrong goods, a duplicate purchase, not as described) with no unused,
# undelivered or cooling-off state named: platform_fault alone (README refund_unactivated)
@pytest.mark.parametrize("sentence", [
    "收到的兑换码与描述不符的，可以在三天内申请退款。",
    "不小心重复购买同一个会员的，可以申请退还多付的一笔。",
    "发错了游戏区服的，可以换货或退款。",
])
def test_delivered_goods_fault_is_no_unactivated_refund(sentence):
    assert convention_excludes("refund_unactivated", sentence)


@pytest.mark.parametrize("sentence", [
    "兑换码还没发货就发现描述不符的，可以申请退款。",
    "重复购买且未激活的那一份，可以退款。",
    "质量问题导致无法激活的，全额退款。",
])
def test_undelivered_state_beside_a_fault_stays_unactivated(sentence):
    assert not convention_excludes("refund_unactivated", sentence)


# a reply or review time with no route named: refund_timeline alone (README, c0975, c1274)
@pytest.mark.parametrize("sentence", [
    "我们会在两个工作日内审核并回复。",
    "收到申请后二十四小时内处理完毕。",
])
def test_reply_time_without_a_route_is_no_complaint_channel(sentence):
    assert convention_excludes("complaint_channel", sentence)


@pytest.mark.parametrize("sentence", [
    "客服会在两个工作日内回复您的工单。",
    "有疑问的请发邮件，我们三天内答复。",
])
def test_reply_time_of_a_named_route_stays_a_complaint_channel(sentence):
    assert not convention_excludes("complaint_channel", sentence)


# refund_timeline is a time: a sentence naming no span, window, deadline, event or pace is none
@pytest.mark.parametrize("sentence", [
    "还没有兑换的应用内点数可以全额退款。",
    "没有看过任何付费内容的，可以申请退费。",
])
def test_no_time_named_is_no_refund_timeline(sentence):
    assert convention_excludes("refund_timeline", sentence)


@pytest.mark.parametrize("sentence", [
    "退款多久到账，要看您的支付方式。",              # the pace of the refund
    "活动尚未开始的，可以申请退款。",                # an event bounds the window
    "购买后三天内可以退款。",
])
def test_a_time_named_is_left_to_the_model(sentence):
    assert not convention_excludes("refund_timeline", sentence)


# what the refund application asks for, no person or body beyond the form named: the form's content,
# as its steps are (README complaint_channel), no complaint route
def test_refund_application_contents_are_no_complaint_channel():
    assert convention_excludes("complaint_channel", "提交退款申请时，请写明订单号和退款原因。")
    assert not convention_excludes("complaint_channel", "申请退款时请写明订单号，卖家拒绝的可以找平台客服介入。")
