"""The rules' wording classes for refunds, faults, used goods, special goods, fees and
channels widened from batches 24-27 (sentences written for this test, none from the corpus):
each class is recognised by the rules alone, and the guards beside it hold."""
from __future__ import annotations

import pytest

from cardshop_auditor.extract.clause_rules import rule_classify


def rule_kinds(sentence: str) -> set[str]:
    return {k for k, _ in rule_classify(sentence)}


POSITIVE = [
    # platform fault: unlike the description, the goods themselves, unfixable, redeemed before sale
    ("platform_fault", "收到的点卡面值与页面描述差别较大的，可以取消订单。"),
    ("platform_fault", "软件本身存在缺陷导致无法运行的，可以申请退款。"),
    ("platform_fault", "技术支持多次处理仍然解决不了的，我们为您全额退款。"),
    ("platform_fault", "兑换码在您下单之前就已被他人兑换的，我们会换一个新的给您。"),
    ("platform_fault", "账号与描述严重不符的问题，属于保障范围内，可申请赔付。"),
    ("platform_fault", "已售出的激活码不退，除非经核实确属卖家过错。"),
    ("platform_fault", "买到的卡密有问题的，可以申请退款。"),
    # unactivated: never touched, pending, failed group buy, before a course starts
    ("refund_unactivated", "会员开通后还没用过任何功能的，可以申请退款。"),
    ("refund_unactivated", "订单仍处于待处理状态时，可以随时申请退款。"),
    ("refund_unactivated", "拼团未成功的订单，系统会自动退款。"),
    ("refund_unactivated", "在第一节课开课前申请的，学费全额退还。"),
    ("refund_unactivated", "点券还留在账户里的，可以申请退款。"),
    ("refund_unactivated", "付款后七天内仍无法发货的，买家可以取消订单并拿回全部货款。"),
    # used goods and the buyer's doing
    ("no_refund_used", "网课一旦被访问过，就不再退款。"),
    ("no_refund_used", "包月会员当月没用完的天数不予退款。"),
    ("no_refund_used", "兑换码激活后即失去退款资格。"),
    ("no_refund_used", "卡密一经提取，订单就无法撤销或取消。"),
    ("no_refund_used", "因使用外挂被游戏封号的，不在保障范围内。"),
    ("no_refund_used", "因买家自己填错邮箱导致收不到卡密的，平台不负责。"),
    ("no_refund_used", "充到填错的游戏账号上的点券无法撤回。"),
    # special goods
    ("special_goods_exclusion", "用礼品卡余额支付的订单不能退款。"),
    ("special_goods_exclusion", "贴纸、壁纸等数字商品一般不予退款。"),
    ("special_goods_exclusion", "本政策只适用于官网直购的会员，应用商店渠道开通的会员不支持退款。"),
    ("special_goods_exclusion", "由体验版转为正式版的产品不再享受七天无理由退款。"),
    # fees
    ("refund_activated_fee", "退课时会把已寄出的教材费用一并扣除。"),
    ("refund_activated_fee", "退款产生的支付手续费由用户自行承担，款项原路退回。"),
    ("refund_activated_fee", "听过部分课程的，按已上课时折算退款。"),
    # channels
    ("refund_channel", "退款按您付款时使用的银行卡退回。"),
    ("refund_channel", "季度套餐中途升级的，剩余天数的费用从新套餐价格中抵扣。"),
    ("refund_channel", "退款会以站内代金券的形式退还。"),
    ("refund_channel", "海外用户的退款通过PayPal退还。"),
]


@pytest.mark.parametrize("kind,sentence", POSITIVE)
def test_wording_class_recognised_by_rules(kind, sentence):
    assert kind in rule_kinds(sentence), (kind, sentence, rule_kinds(sentence))


NEGATIVE = [
    # a course's tier by time with a deduction is the fee case, not the unactivated one
    ("refund_unactivated", "开课前五天内才申请退课的，只退还一半学费。"),
    # "whether used or not" names no used state
    ("no_refund_used", "会员费不论是否用过服务，都不予退还，法律另有规定的除外。"),
    # a statutory right of withdrawal (反悔权) is no buyer regret
    ("no_refund_used", "数字内容不适用法律规定的反悔权。"),
    # the store's support system handling refunds excludes no category
    ("special_goods_exclusion", "通过应用商店购买的订阅，退款由商店的支持系统处理。"),
    # a list summed up as all goods ("…等所有虚拟商品") names no category
    ("special_goods_exclusion", "点数、卡片等所有虚拟商品一经售出概不退换。"),
    # a problem named without a refund is no remedied fault
    ("platform_fault", "卡密有问题请先联系客服说明情况。"),
    # the whole refund of one route alone is no fee
    ("refund_activated_fee", "退款不收取任何手续费，三个工作日内原路退回。"),
]


@pytest.mark.parametrize("kind,sentence", NEGATIVE)
def test_wording_class_guards(kind, sentence):
    assert kind not in rule_kinds(sentence), (kind, sentence, rule_kinds(sentence))
