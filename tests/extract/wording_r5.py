"""Sentences for the rules' wording classes added after batches 58-62 (written for the tests,
none from the corpus), kept apart for size: test_clause_rules_wording_classes.py checks each
POSITIVE is recognised by the rules alone and each NEAR_MISS is not read as its kind."""
from __future__ import annotations

POSITIVE = [
    # a refusal whose exception names the fault loosely: the fault is the remedied case
    ("platform_fault", "会员费用概不退还，除非是服务器出了问题。"),
    ("platform_fault", "点卡售出后不予退换，除明显瑕疵外。"),
    ("platform_fault", "已发货的兑换码不退，兑换码本身有问题的除外。"),
    ("platform_fault", "套餐费用一律不退，除非问题出在我们这边。"),
    ("platform_fault", "所有订阅费用不予退款，技术故障的情况除外。"),
    # the shape "only when the service fails, then refunded"
    ("platform_fault", "只有在我们完全无法提供服务时才会退款。"),
    ("platform_fault", "购买的加速时长不能退款，只有出现技术错误的情形才例外。"),
    ("platform_fault", "仅在节点长期出现故障、我们修不好时才退款。"),
    # the buyer's violation: illegal use, sharing the service in public
    ("no_refund_used", "利用本服务从事违法活动的，账号直接封停，已付费用不退。"),
    ("no_refund_used", "在群里传播账号密码被发现的，立即停号并且不予退款。"),
    # the goods work, the buyer expected otherwise
    ("no_refund_used", "软件运行正常、只是不符合您的预期的，不予退款。"),
    ("no_refund_used", "不能以画面模糊这种并非软件本身问题的理由申请退款。"),
    ("no_refund_used", "插件没有报错，仅仅是用着不顺手的，不能退款。"),
    # a refund window after the purchase, whatever verb names the purchase
    ("refund_unactivated", "会员卡订购后十天内可以申请全额退款。"),
    ("refund_unactivated", "买了加速器后三天之内可以无条件退款。"),
    ("refund_unactivated", "付费加入社群后，七天之内可以申请退款。"),
    ("refund_unactivated", "软件授权在收到后十四天内都可以退款。"),
    # the untouched state with an adverb or another first act
    ("refund_unactivated", "云手机还没创建实例的，可以申请全额退款。"),
    ("refund_unactivated", "购买后没有实际使用任何功能的，可以申请退款。"),
    ("refund_unactivated", "陪玩订单在被接单之前可以随时取消。"),
    ("refund_unactivated", "翻译服务尚未执行的，费用全部退还。"),
    ("refund_unactivated", "充值的次数一点没用的，可以退款。"),
    # gifted or bonus goods kept out of refunds
    ("special_goods_exclusion", "签到奖励的游戏币不在退款范围内。"),
    ("special_goods_exclusion", "邀请好友获得的奖励积分不支持退款。"),
    ("special_goods_exclusion", "充值时额外赠送的金额不参与退款。"),
    # the shop's reply or review time on a request, with no refund word in the sentence
    ("refund_timeline", "售后专员会在两个工作日内回复您。"),
    ("refund_timeline", "提交以后通常三个工作日内审核完毕。"),
    ("refund_timeline", "我们将在七十二小时内核实情况并答复。"),
    # proof demanded by refusing those who lack it
    ("evidence_required", "拿不出付款凭证的退款申请不予受理。"),
    ("evidence_required", "没有充分证据证明卡密无效的，不予补发。"),
    # the charge's details or an item number asked for in a request
    ("evidence_required", "联系客服时请说明扣费的时间、金额和消费项目。"),
    ("evidence_required", "申请退订时要填上子账号ID和退订原因。"),
]

NEAR_MISS = [
    # no fault named in the exception: a carve-out for something else is no platform fault
    ("platform_fault", "会员费用概不退还，除非您在购买当天提出。"),
    ("platform_fault", "只有在购买后二十四小时内才可以申请退款。"),
    ("platform_fault", "除了月卡以外，其他商品都不退款。"),
    # "只有…才" with a fault asked of the buyer is no refusal excepting a fault
    ("platform_fault", "只有提供截图才能处理您的问题。"),
    # a fault the goods have is not the buyer's doing
    ("no_refund_used", "商品与描述不符的，可以申请退款。"),
    ("no_refund_used", "账号本身出现故障的，我们会为您退款。"),
    # pirated copies as a category of goods, not a buyer's act
    ("no_refund_used", "试用版和盗版光盘都不能退货。"),
    # a legal use named with no refusal
    ("no_refund_used", "请勿利用本服务从事违法活动。"),
    # a window after a decision or a delivery of goods with a return fee is no unused case
    ("refund_unactivated", "对处理结果不服的，可以在收到通知后七天内申请复议。"),
    ("refund_unactivated", "卡密已领取但未实际使用的，可以退订，但要扣除百分之十的手续费。"),
    # not run because it failed: a fault, not the untouched state
    ("refund_unactivated", "脚本没有运行失败的记录，不予退款。"),
    # a gift mentioned with no exclusion, or a refund that grants it
    ("special_goods_exclusion", "每日签到可以领取奖励的游戏币。"),
    # coupons kept out of a refund are the refund's amount (README, c0661), not a category
    ("special_goods_exclusion", "活动赠送的代金券和优惠券都不予退还。"),
    ("special_goods_exclusion", "赠送的优惠券可随订单一起原路退回。"),
    # a delivery or an opening waiting for review, a code's validity: no time of the refund process
    ("refund_timeline", "付款后等待审核即可开通，一般一小时内完成。"),
    ("refund_timeline", "验证码五分钟内有效，请及时填写。"),
    # the seller's proof in a dispute is not asked of the buyer; a form's fields are no proof
    ("evidence_required", "卖家拿不出发货证据的，平台会把货款退给买家。"),
    ("evidence_required", "在退款页面选择原因，填写金额和支付方式后提交。"),
]
