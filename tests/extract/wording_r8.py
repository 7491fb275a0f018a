"""The rules' wording classes of round rulesR8 (the misses of batches 73, 76 and 77: cloud and
SaaS services, phone-credit and voucher top-ups, game-adjacent services such as tournaments,
coaching and boosting, grouped by shape, then the same shapes in the rest of train).  Every
sentence here is written for the test, none taken from the corpus: test_clause_rules_wording_classes.py
checks each POSITIVE is recognised by the rules alone and each NEAR_MISS is not read as its kind."""
from __future__ import annotations

POSITIVE = [
    # the cooling-off period under its other names, with or without its length
    ("refund_unactivated", "开通网盘后不满意的，可以在十天犹豫期内申请退费。"),
    ("refund_timeline", "开通网盘后不满意的，可以在十天犹豫期内申请退费。"),
    ("refund_unactivated", "鉴赏期内无需理由就能申请全额退款。"),
    ("refund_timeline", "后悔期一过，订阅费就不再退还。"),
    # a span counted from the event the buyer paid for
    ("refund_timeline", "距离开演不足三天才申请退票的，不予退款。"),
    ("refund_timeline", "在开赛前两周以前退出的，报名费全额退还。"),
    ("refund_timeline", "课前十二到二十四小时之间取消的，退还一半课时费。"),
    # a span of use deciding which refund applies
    ("refund_timeline", "用了十到二十天的，按季度价折算后退还余款。"),
    # a processing time in working days stated on its own, per payment route
    ("refund_timeline", "退款到账时间：银行卡三到五个工作日，支付宝一到两个工作日。"),
    # the organiser, the coach or the servers call off what was paid for
    ("platform_fault", "组委会临时取消本届联赛的，参赛费全部退回。"),
    ("refund_unactivated", "组委会临时取消本届联赛的，参赛费全部退回。"),
    ("platform_fault", "陪练老师迟到后又改期的，本节课费用全额退还。"),
    ("refund_unactivated", "赛事没能如期举行的，门票款会退给购票人。"),
    ("platform_fault", "游戏服务器崩溃导致对局作废的，我们会补偿参赛玩家。"),
    # an availability promise broken, credited or compensated
    ("platform_fault", "云数据库月度可用性低于99.5%的，按比例赔偿当月服务费。"),
    ("platform_fault", "违反服务等级承诺时，客户可获得服务补偿。"),
    # a service the seller's side could not finish, and the undone part refunded as such
    ("refund_unactivated", "因我方原因代练任务最终无法完成的，订单费用全部退回。"),
    ("refund_unactivated", "打到一半就停单的，还没做完的部分退回您的余额。"),
    ("refund_unactivated", "订单只完成了六成的，按未完成部分的比例退款。"),
    # a bill or fee paid in: the credited state
    ("blanket_no_refund", "电费缴费一经成功，不支持退款。"),
    ("no_refund_used", "电费缴费一经成功，不支持退款。"),
    # the buyer's misconduct or own ending of the service
    ("no_refund_used", "因不当使用导致云主机被停用的，费用不予退还。"),
    ("no_refund_used", "对客服人员辱骂威胁的，本店有权不予退款。"),
    ("no_refund_used", "用户主动终止套餐的，剩余费用不予退还。"),
    # proofs gathered or handed in with 把
    ("evidence_required", "申请退款前，请把付款截图、订单号和账号信息都准备好。"),
    ("evidence_required", "退款时要把全部凭证一并交上去。"),
    # routes in other words: phoning customer service, the staff asked, a store's refund channel, a ticket by another name
    ("complaint_channel", "充值遇到问题的，请致电客服说明。"),
    ("complaint_channel", "到账出现延迟的，可以联系人工客服。"),
    ("complaint_channel", "在演出现场买的票，请向工作人员说明情况后办理退票。"),
    ("complaint_channel", "在应用商店购买的，需要走商店自己的退款渠道。"),
    ("complaint_channel", "退费请登录会员中心提交问题单。"),
    ("complaint_channel", "账号充错的，请马上联系客服帮忙追回。"),
    # the buyer's leak, careless keeping or misconduct, and goods whose validity ran out
    ("no_refund_used", "自己泄露兑换码造成的损失，本店不负责。"),
    ("no_refund_used", "因用户保管登录密码不当造成被盗的，不予退款。"),
    ("no_refund_used", "因行为不端被移出社群的，会费不会退还。"),
    ("no_refund_used", "礼券过期的，恕不退款。"),
    ("no_refund_used", "电子票过期不予退款，请及时使用。"),
    # a virtual currency named and refused from its completed top-up on: special, blanket and used together
    ("special_goods_exclusion", "点券充值成功后，概不退款。"),
    ("blanket_no_refund", "点券充值成功后，概不退款。"),
    ("no_refund_used", "点券充值成功后，概不退款。"),
    # a refund window after purchase named by more verbs or in weeks
    ("refund_unactivated", "订阅年度套餐后五天内不满意的，可以申请全额退款。"),
    ("refund_unactivated", "办卡后三日内可以无理由退卡。"),
    ("refund_unactivated", "购买后两周内可以申请全额退款。"),
    # the seller's own side erred, a start-up or systemic failure, a payment not the buyer's; remedies in more words
    ("platform_fault", "核实是我方搞错的，差额全部退还。"),
    ("platform_fault", "软件无法正常启动的，可以申请退款。"),
    ("platform_fault", "确认账户被盗刷的，我们会退回被扣款项。"),
    ("platform_fault", "因设备故障损坏的点卡，我们免费换新。"),
    ("platform_fault", "因系统错误丢失的道具，核实后恢复到您的背包。"),
]

NEAR_MISS = [
    # a named cooling-off period said not to apply is no window
    ("refund_timeline", "定制主题属于个人化商品，不适用七天鉴赏期，售出后不予退款。"),
    ("refund_unactivated", "定制主题属于个人化商品，不适用七天鉴赏期，售出后不予退款。"),
    # an event's calendar with no refund named: a booking step, no window for a refund
    ("refund_timeline", "请在开赛前三天完成战队报名，逾期系统将关闭入口。"),
    # the buyer calls the session off: no fault of the seller's side
    ("platform_fault", "学员自己在课前两小时内取消的，课时费不退。"),
    # the seller's right to cancel an event, no party at fault named
    ("platform_fault", "报名人数不足时，平台可取消该活动并退回报名费。"),
    # the undone part with a deduction taken is the fee case, not the unactivated one
    ("refund_unactivated", "未完成的部分按比例扣除手续费后退款。"),
    # uptime reported, nothing promised or broken
    ("platform_fault", "控制台会按月展示实例的可用性统计。"),
    # the shop keeping its own records, nothing asked of the buyer
    ("evidence_required", "我们会把您的订单记录保存好，方便日后查询。"),
    # an extension asked for by phone is a sale, not a problem raised
    ("complaint_channel", "会员快到期时，可以致电客服申请延期。"),
    # a counter where the refund itself is done, no person or problem named
    ("complaint_channel", "开演前两小时以后，请到影城柜台退票。"),
    # a ticket to lift a ban is no complaint
    ("complaint_channel", "封禁满七天后，可以提交服务单申请解封。"),
    # the shop's leak is no buyer fault; goods not yet expired refunded
    ("no_refund_used", "因平台数据泄露造成损失的，我们全额赔偿。"),
    ("no_refund_used", "未过期的礼券可以申请退款。"),
    # a top-up card sold, not a currency credited: no blanket from a top-up trigger
    ("blanket_no_refund", "充值卡一经充值成功可以联系客服查询。"),
    # a window after activation is no unused state (the goods were delivered and used)
    ("refund_unactivated", "激活后两周内可以申请退款，但要扣除已用天数的费用。"),
    # a theft only suspected, or a stolen card the buyer used: no fault of the seller's side
    ("platform_fault", "怀疑账户被盗刷的，请先联系发卡银行冻结卡片。"),
    ("platform_fault", "用盗来的信用卡付款的，订单作废且不予退款。"),
]
