"""The rules' wording classes of round rulesR6 (train's misses of no_refund_used and
platform_fault grouped by shape).  Every sentence here is written for the test, none taken
from the corpus: test_clause_rules_wording_classes.py checks each POSITIVE is
recognised by the rules alone and each NEAR_MISS is not read as its kind."""
from __future__ import annotations

POSITIVE = [
    # the warranty voided by the buyer's act
    ("no_refund_used", "私自更换绑定手机的，质保随即失效。"),
    ("no_refund_used", "请勿修改账号密码，否则保修作废。"),
    ("no_refund_used", "把账号借给别人使用的，包赔承诺立即失效。"),
    # a card, ticket or voucher the buyer lost, not reissued
    ("no_refund_used", "充值卡遗失后不补办，请妥善保管。"),
    ("no_refund_used", "演出票丢了不予补发，也不能退票。"),
    ("no_refund_used", "储值卡被窃的，本店不受理挂失。"),
    # what happens after the goods are handed over is disowned
    ("no_refund_used", "号卖出以后，买家怎么用、出了什么状况，都与本店无关。"),
    ("no_refund_used", "资料发出后，文件被他人传播的，我们一概不负责。"),
    ("no_refund_used", "质保期一过，再出现的任何问题卖家都不承担责任。"),
    # the buyer's own mistake with a remedy refused (no refund word in the sentence)
    ("no_refund_used", "自己选错区服的，不能换卡。"),
    ("no_refund_used", "手机号和QQ号填反的订单，不予补单。"),
    # a cancellation refused in a sub-clause of its own, beside a refund granted
    ("no_refund_used", "未发货前可以申请退款，已经发货的订单取消不了。"),
    # the stored balance kept: credited goods refused
    ("no_refund_used", "会员钱包里的余额不能退回，只能继续消费。"),
    ("no_refund_used", "账号注销以后，账户中的余额也不再返还。"),
    # the full price charged anyway on the buyer's condition
    ("no_refund_used", "预约后没有到店也没有提前取消的，照常收取全部费用。"),
    ("no_refund_used", "过了截止时间才退订的，下个月仍会扣费。"),
    ("no_refund_used", "体验期结束后才取消的，要付整个季度的费用。"),
    # a refund window open after the purchase, with the buyer's freedom or the window itself granted
    ("refund_unactivated", "报名成功后，五天之内可以不附任何条件申请退款。"),
    ("refund_unactivated", "收货后七天内改变主意的，无需说明理由也可以退款。"),
    ("refund_unactivated", "体验套餐四十八小时内支持全额退款。"),
    # the money held for a failed order released, with no refund word
    ("refund_unactivated", "接码失败时，预扣的余额会立即释放。"),
    ("refund_unactivated", "没有抢到名额的用户，冻结的定金将自动解冻。"),
    ("refund_unactivated", "代下单不成功不收费。"),
    # an account banned during the service, compensated
    ("platform_fault", "陪练期间账号被封禁的，服务费全额退还。"),
    ("platform_fault", "买到的号被冻结超过七天的，平台全额赔付。"),
    # the undelivered part refunded: a negation inside a relative clause does not refuse the refund
    ("refund_unactivated", "部分完成的订单，没有完成的部分退回账户余额。"),
    # the unspent balance itself refunded
    ("refund_unactivated", "注销时可以申请退还账户余额。"),
    ("refund_unactivated", "我们只对账户剩余的余额办理退款。"),
    # followers or likes dropping, refilled; the seller late against the agreed time
    ("platform_fault", "补量期内出现掉量的，可以申请免费补回。"),
    ("platform_fault", "卖家没有按约定时间交付的，买家可以申请退款。"),
    ("platform_fault", "商家超过期限仍未发货的，系统自动退款。"),
    # a first login that fails is the goods at fault, not a cooling-off window
    ("platform_fault", "首次登录就失败的，十二小时内可以退款或换号。"),
    # a warranty offered on the goods: the remedy for faulty goods promised in advance
    ("platform_fault", "每个游戏账号都附带十天质保。"),
    ("platform_fault", "本店的独享账号保修三个月。"),
    ("platform_fault", "下单后有二十四小时售后质保。"),
    ("platform_fault", "成交价满五百元的账号均可享受包赔。"),
    ("platform_fault", "在质保期内账号异常的，免费换号。"),
    # goods named by their kind as the subject of a refusal: a category, with or without a sweeping ground
    ("special_goods_exclusion", "点券一经售出，一律不退。"),
    ("special_goods_exclusion", "演唱会门票售出后概不退换。"),
    ("special_goods_exclusion", "礼物送出以后不能撤回退款。"),
    ("special_goods_exclusion", "元宝不支持退款。"),
    # a platform's own cards and keys named by brand are a kind of goods
    ("special_goods_exclusion", "Steam充值卡不支持退款。"),
    ("special_goods_exclusion", "iTunes礼品卡一律不予退换。"),
    # the current period of a subscription kept
    ("no_refund_used", "不足一个月的会员时长不予退款。"),
    ("no_refund_used", "取消后当月的会员费不退。"),
    # a warranty, after-sales or checking period with its length: the window for raising a problem
    ("refund_timeline", "所有激活码都附带三天的售后保障期。"),
    ("refund_timeline", "本店账号提供48小时售后质保。"),
    ("refund_timeline", "会员商品的售后期为十五天，从发货时开始计算。"),
    ("refund_timeline", "超过十二小时验收期的，不再受理换号。"),
    # the course or event withdrawn, the merchant closed, and the money refunded
    ("platform_fault", "培训班在开班前停办的，学费全额退还。"),
    ("platform_fault", "合作门店如果关停导致无法核销，我们会为您退款。"),
    # the currency a top-up yields, or refused from the top-up on: still the currency named (README currency
    # line, consistency pass 11); the top-up done as the trigger is the credited state too
    ("special_goods_exclusion", "充值得到的元宝不支持退款。"),
    ("special_goods_exclusion", "点券充值成功后不支持退款。"),
    ("special_goods_exclusion", "游戏币一经充值，概不退款。"),
    ("no_refund_used", "游戏币一经充值，概不退款。"),
    ("no_refund_used", "点券充值成功后不支持退款。"),
]

NEAR_MISS = [
    # the warranty named but not voided, or the goods failing inside it
    ("no_refund_used", "保修期内账号失效的，可以免费更换。"),
    ("no_refund_used", "质保期为七天，从发货时开始计算。"),
    # no loss named: a card that cannot be reported lost is no exclusion by itself
    ("no_refund_used", "本卡不记名、不挂失，可随时到柜台退卡。"),
    # a loss refunded is no refusal
    ("no_refund_used", "快递丢失的，我们会全额退款。"),
    # the seller disowns an outage, not the goods once handed over
    ("no_refund_used", "因不可抗力导致服务中断的，平台不承担责任。"),
    # a remedy refused for no mistake of the buyer's
    ("no_refund_used", "库存不足时，暂时不能换货。"),
    # a cancellation allowed
    ("no_refund_used", "未付款的订单随时可以取消。"),
    # money refunded into the balance is the channel, not a balance kept
    ("no_refund_used", "退款只能退到账户余额，不退现金。"),
    # a charge for the seller's own failure is no buyer's condition
    ("no_refund_used", "系统故障导致重复扣款的，仍会扣款的部分将在三天内退回。"),
    # a processing time, not a window for the buyer
    ("refund_unactivated", "审核通过后，款项在三个工作日内退回原账户。"),
    ("refund_unactivated", "首次登录就失败的，十二小时内可以退款或换号。"),
    # money held and released with no failure of the order: a bank's pre-authorisation
    ("refund_unactivated", "信用卡的预授权冻结一般由银行在几天后释放。"),
    # a ban for the buyer's breach, or a ban that follows a refund, is no fault of the seller's
    ("platform_fault", "因违规使用被封号的，不予赔付。"),
    ("platform_fault", "账号被冻结的，须先联系客服解封，再申请退款。"),
    ("platform_fault", "退款完成以后，授权码会被停用。"),
    # a negation that governs the refund still refuses it
    ("refund_unactivated", "没有完成的订单不退款。"),
    # the balance deducted pro rata is the fee case, money refunded into the balance its channel
    ("refund_unactivated", "提前退租的，按天扣除租金后退还余额的百分之八十。"),
    # a drop refused, not refilled
    ("platform_fault", "自然掉量不补量也不退款。"),
    # a warranty denied or narrowed
    ("platform_fault", "低价账号不提供包赔。"),
    ("platform_fault", "多数商品不含保修，请谨慎购买。"),
    ("platform_fault", "账号被封不在质保范围内。"),
    ("platform_fault", "擅自修改资料的，质保失效。"),
    # the kind in a used state (also beside a top-up trigger), a means of payment, or the buyer's own mistake
    ("special_goods_exclusion", "钻石一经使用，概不退款。"),
    ("special_goods_exclusion", "元宝充值到账以后，已花掉的不能退款。"),
    ("special_goods_exclusion", "金币一经充值，已经用掉的部分不予退款。"),
    ("special_goods_exclusion", "金币买错的，不予退款。"),
    # a brand named as the means of payment, or the current month still usable, refuses no goods
    ("special_goods_exclusion", "支持用支付宝或微信购买Steam游戏。"),
    ("no_refund_used", "取消订阅后，当月仍可正常使用。"),
    # no period offered, or none with a length
    ("refund_timeline", "礼物付款成功即算完成，没有七天的售后期。"),
    ("refund_timeline", "账号被封不在质保范围内。"),
    # the course withdrawn with no remedy named, or a refusal
    ("platform_fault", "我们可以随时下架任何虚拟物品，因此不提供退款。"),
]
