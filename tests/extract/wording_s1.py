"""The rules' wording classes of round rulesS1 (special_goods_exclusion and blanket_no_refund
misses in train, grouped by shape: a gift card beside a sale trigger, tickets with an
organiser's carve-out, goods bought through another party, purchases kept out of a money-back
guarantee, plans billed by the month or sold to companies).  Every sentence here is written for
the test, none taken from the corpus: test_clause_rules_wording_classes.py checks each POSITIVE
is recognised by the rules alone and each NEAR_MISS is not read as its kind."""
from __future__ import annotations

POSITIVE = [
    # a gift card named with a sale trigger or the virtual-goods ground: still one kind of goods
    ("special_goods_exclusion", "电子礼品卡一经售出即为最终交易，不支持退款。"),
    ("special_goods_exclusion", "购物卡属于虚拟商品，售出后不能退。"),
    # tickets refused, the organiser's cancellation carved out
    ("special_goods_exclusion", "除比赛延期或取消外，赛事门票售出后一律不退。"),
    ("special_goods_exclusion", "电影票具有时效性，售出后不支持退换。"),
    # bought through another party: refused here, or the refund sent back to that party
    ("special_goods_exclusion", "在App Store订阅的会员，请向苹果申请退款。"),
    ("special_goods_exclusion", "通过第三方代充的订单出现问题，本站一律不受理。"),
    ("special_goods_exclusion", "用Google Play付款的订单，适用谷歌的退款政策。"),
    # purchases kept out of a money-back guarantee
    ("special_goods_exclusion", "续费订单不享受十四天退款保证。"),
    ("special_goods_exclusion", "新用户享有三十天退款承诺，但加购的独立IP不在其内。"),
    # plans billed by the month, plans sold to companies
    ("special_goods_exclusion", "按月付费的订阅一经扣款就不退。"),
    ("special_goods_exclusion", "企业版一旦签约不再退费。"),
]

NEAR_MISS = [
    # the whole stock swept, a gift card only listed in it
    ("special_goods_exclusion", "本站所有商品，包括礼品卡，一经售出概不退款。"),
    # a gift card as the means of payment, not the goods refused
    ("special_goods_exclusion", "用礼品卡支付的金额会原路退回礼品卡。"),
    # a ticket with a fault remedied, nothing refused
    ("special_goods_exclusion", "门票出票失败的，全额退款。"),
    # an app store named, the refund granted here
    ("special_goods_exclusion", "在App Store购买的会员也可以找我们退款。"),
    # a refund route to the shop's own service, no other party
    ("special_goods_exclusion", "如需退款，请联系在线客服申请。"),
    # the guarantee granted, not withheld
    ("special_goods_exclusion", "所有套餐都享受三十天退款保证。"),
]
