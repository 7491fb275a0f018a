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
]
