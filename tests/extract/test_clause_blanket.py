"""issue 10's blanket no-refund policy: a sweeping refusal with no carve-out for defective goods
or platform fault is blanket_no_refund, also when it names a trigger (提取, 充值后) or declares
the sale final; a carve-out, a hedge, a category of goods, the buyer's doing or a use of the
goods keeps it out.  The classifier may add the kind only where that shape holds."""
from __future__ import annotations

import pytest

from cardshop_auditor.extract.clause_model import combine
from cardshop_auditor.extract.clause_conventions import convention_excludes
from cardshop_auditor.extract.clause_scope import blanket_shape
from cardshop_auditor.extract.clauses import classify
from cardshop_auditor.extract.text import normalise

# written for this test
BLANKET = [
    "本店所售卡密均为虚拟商品，一经售出，恕不退换。",
    "充值完成后恕不退款，下单前请核对账号。",
    "卡密一经提取，概不退换。",
    "无论出于何种原因，本站都不会提供退款。",
    "本平台售出的全部点卡均属最终交易，不接受退款申请。",
    "所有销售均为最终销售。",
    "我们不提供任何形式的退款。",
]
NOT_BLANKET = [
    ("除卡密无效外，一经售出概不退换。", None),                      # carve-out for the fault
    ("原则上所有订单不予退款。", None),                               # a hedge the convention names
    ("限时特价商品一律不退不换。", "special_goods_exclusion"),        # a category of goods
    ("因个人原因买错的，恕不退款。", "no_refund_used"),               # the buyer's own doing
    ("兑换码一经使用即不再退款。", "no_refund_used"),                 # a use of the goods
    ("已激活的会员服务不支持退款。", "no_refund_used"),               # a state of some goods
    ("以上套餐均不支持批量退款。", None),                             # partial, not sweeping
    ("所有订单均支持七天无理由退款。", "refund_unactivated"),         # granted, not refused
    ("我已阅读并知悉：话费直充到账后不支持退款（见协议第4.2条）。", "no_refund_used"),  # as wide as the article
    ("会员充值成功后不予退款，详见本协议第三条。", "no_refund_used"),
]


@pytest.mark.parametrize("sentence", BLANKET)
def test_sweeping_refusal_is_blanket(sentence):
    assert "blanket_no_refund" in {k for k, _ in classify(sentence)}


@pytest.mark.parametrize("sentence,other", NOT_BLANKET)
def test_narrower_or_carved_refusal_is_not_blanket(sentence, other):
    kinds = {k for k, _ in classify(sentence)}
    assert "blanket_no_refund" not in kinds
    assert not blanket_shape(normalise(sentence))
    if other:
        assert other in kinds


def test_classifier_cannot_add_blanket_against_the_shape():
    carved = "除卡密无效外，一经售出概不退换。"
    assert convention_excludes("blanket_no_refund", carved)
    assert "blanket_no_refund" not in combine([], {"blanket_no_refund": 0.99}, carved)
    plain = "付款后即为最终交易，不予退还。"
    assert "blanket_no_refund" in combine([], {"blanket_no_refund": 0.99}, plain)
    assert "blanket_no_refund" not in combine([], {"blanket_no_refund": 0.5}, plain)   # under its threshold


def test_classifier_never_vetoes_a_ruled_blanket():
    assert "blanket_no_refund" in combine(["blanket_no_refund"], {"blanket_no_refund": 0.0}, "一经售出概不退换。")
