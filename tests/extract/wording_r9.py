"""The rules' wording classes of round rulesR9 (the misses of batches 78, 79 and 81: card-key
notices, point-card and top-up shops, AI-account and gift-card shops, grouped by shape, then the
same shapes in the rest of train).  Every sentence here is written for the test, none taken from
the corpus: test_clause_rules_wording_classes.py checks each POSITIVE is recognised by the rules
alone and each NEAR_MISS is not read as its kind."""
from __future__ import annotations

POSITIVE = [
    # the buyer's own handling of the account: kept carelessly, changed, unbound, wiped
    ("no_refund_used", "会员密码保管不善被他人登录的，损失由你自己承担。"),
    ("no_refund_used", "擅自修改账号绑定邮箱导致无法登录的，不予保修。"),
    ("no_refund_used", "解除手机号的绑定之后不再质保。"),
    ("no_refund_used", "格式化设备导致授权丢失的，不属于保修范围。"),
    # buying for someone else, the loss borne by the player or customer
    ("no_refund_used", "替朋友充值产生的纠纷，损失由顾客自己承担。"),
    # a refund or compensation reckoned by the days
    ("refund_activated_fee", "会员中途失效的，按剩余天数退款。"),
    ("refund_activated_fee", "质保期内账号失效的，按天数退款。"),
    ("refund_activated_fee", "季付用户提前退订的，可以退回剩余月份对应的金额。"),
    # items listed without "等" and refused together; a category behind a leading exception
    ("special_goods_exclusion", "皮肤、表情包、战令和礼包都不支持退款。"),
    ("special_goods_exclusion", "除法律另有规定外，钻石一经购买概不退款。"),
    # a bank or payment statement asked for, to be checked ("核查")
    ("evidence_required", "在其他渠道付款的，请提供支付流水号，方便我们核查。"),
    ("evidence_required", "退款申请需附上银行转账流水，以便客服核实。"),
    # a support team or a support page turned to
    ("complaint_channel", "兑换码无法使用的，请与发行商的支持团队联系。"),
    ("complaint_channel", "游戏内遇到问题的，可以到官方帮助中心求助。"),
    # a ban met in ordinary use, the account replaced
    ("platform_fault", "独享会员号遇到封号的，免费包换。"),
    ("platform_fault", "质保期内账号被封的，联系客服核实后为您更换新账号。"),
]

NEAR_MISS = [
    # a replacement that carries no further warranty is no act of the buyer's
    ("no_refund_used", "账号被封时可免费换一次，换来的账号不再质保。"),
    # "由你自己承担责任" for a failed renewal puts no purchase at stake
    ("no_refund_used", "银行卡余额不足导致自动续费失败的，由你自己承担责任。"),
    # a warranty offered, nothing excluded
    ("no_refund_used", "本店所有账号提供三十天质保，期间掉线免费更换。"),
    # pro rata by the days refused is no fee charged
    ("refund_activated_fee", "超过两天的订单不再受理退款，也不提供按天退款。"),
    # a list of numbers that cannot be topped up names no goods refused
    ("special_goods_exclusion", "副卡、空号、停机号和欠费号都不能充值。"),
    # a statement the shop keeps for its own books is no proof asked for
    ("evidence_required", "本站每月核对一次银行流水。"),
    # customer service talking it through is a trade step, not a route (README conventions)
    ("complaint_channel", "付款后由客服与您沟通交付时间。"),
    # a ban for the buyer's breach stays his, a replacement or not
    ("platform_fault", "因违规操作导致账号被封的，不予更换新账号。"),
    ("platform_fault", "违反使用规则遇到封号的，不包换。"),
]
