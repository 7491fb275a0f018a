"""The rules' wording classes of round rulesS1 (special_goods_exclusion and blanket_no_refund
misses in train, grouped by shape: a gift card beside a sale trigger, tickets with an
organiser's carve-out, goods bought through another party, purchases kept out of a money-back
guarantee, plans billed by the month or sold to companies; a purchase trigger after the ground,
the stored balance refused, all virtual goods refused from their use on).  Every sentence here is written for
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
    # discounted plans and tickets; a category whose refund requests are not handled
    ("special_goods_exclusion", "优惠套餐付款后不予退款。"),
    ("special_goods_exclusion", "已过户的域名，退款申请一律不受理。"),
    # a seller other than the platform, goods passed on by transfer, an app store's channel
    ("special_goods_exclusion", "非本平台自营的商品，不予退货。"),
    ("special_goods_exclusion", "店主自己发布的商品，平台不负责退款。"),
    ("special_goods_exclusion", "通过转赠收到的礼包，平台不直接办理退款。"),
    ("special_goods_exclusion", "苹果渠道充值的金额，需要向苹果申请退款。"),
    # a purchase trigger in a later sub-clause, after the ground ("属于虚拟商品，购买后…"); 买下 as a purchase
    ("blanket_no_refund", "本店的素材属于数字商品，下单之后不予退款。"),
    ("blanket_no_refund", "模板一旦买下，就不能退款。"),
    # the stored balance as the subject of a refusal: the credited state every top-up reaches
    ("blanket_no_refund", "钱包余额不能退回，充值前请想清楚。"),
    ("blanket_no_refund", "充进账户的钱不支持退还。"),
    # all virtual goods refused from their use or redemption on
    ("blanket_no_refund", "虚拟物品一旦兑换，就不能退款。"),
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
    # a transfer of the order's money, not goods got by transfer
    ("special_goods_exclusion", "退款会转让给原付款账户，请耐心等待。"),
    # a discount on the price refunded, not a category refused
    ("special_goods_exclusion", "使用优惠券的订单退款时按实付金额退。"),
    # a buyer's mistake heads the sub-clause: a condition, not a trigger of every sale
    ("blanket_no_refund", "自己填错账号的，付款后不予退款。"),
    # the balance refused only in a state or with a hedge
    ("blanket_no_refund", "注销账户后，余额不再退还。"),
    ("blanket_no_refund", "账户余额原则上不退。"),
    # some virtual goods, or a use with a cooling-off window named: no sweep
    ("blanket_no_refund", "部分虚拟商品一旦使用就不能退款。"),
    ("blanket_no_refund", "虚拟商品一经使用，不支持七天无理由退款。"),
]
