"""The rules' wording classes of round rulesR7 (the misses of batches 64-71, card-key shops,
SMM panels, SMS shops, account rental and trading, grouped by shape, then the same shapes in the
rest of train).  Every sentence here is written for the test, none taken from the corpus: test_clause_rules_wording_classes.py
checks each POSITIVE is recognised by the rules alone and each NEAR_MISS is not read as its kind."""
from __future__ import annotations

POSITIVE = [
    # the payment kept as the buyer's penalty (rent, deposit, earnest money)
    ("no_refund_used", "租用期间开外挂的，立即收号并扣除全部租金。"),
    ("no_refund_used", "在账号里乱花点券的，押金扣下赔给号主。"),
    ("no_refund_used", "竞拍成功后逾期不付款的，保证金没收。"),
    ("no_refund_used", "私自改密码的，直接收回账号，不退租金。"),
    ("no_refund_used", "动了号里的限定道具，按原价赔偿。"),
    # the buyer's own reason written with 的
    ("no_refund_used", "因为租客自己的原因提前退租的，租金不退。"),
    # a consumed period or charge refused
    ("no_refund_used", "中途退订的，当月费用不予退还。"),
    ("no_refund_used", "不足一个月的会员时长不退款。"),
    ("no_refund_used", "取消自动续费后，之前已经成功的扣款不会退还。"),
    ("no_refund_used", "已经扣掉的点数也不会返还。"),
    ("no_refund_used", "套餐取消后可以用到周期结束，我们不提供部分退款。"),
    # an order the seller's side cancelled, failed or never started, refunded
    ("refund_unactivated", "订单被取消的，款项会自动退回您的余额。"),
    ("refund_unactivated", "订单无法执行的，系统会把费用全部退回。"),
    ("refund_unactivated", "订单没能在承诺的时间内启动的，可以申请退款。"),
    # the undelivered part refunded as such (the negation sits in the subject's modifier)
    ("refund_unactivated", "没有完成的部分会退回您的钱包。"),
    ("refund_unactivated", "尚未开始的部分全额退回账户余额。"),
    # money back into the balance or cash, in other words
    ("refund_channel", "未交付部分的金额自动记回面板余额。"),
    ("refund_channel", "因我们的故障造成损失的，只补积分，不退现金。"),
    ("refund_channel", "卡内余额较少的，可以直接退现金。"),
    ("refund_channel", "符合条件的，保证退款到您的账户余额。"),
    ("refund_channel", "退货后应退的钱会通过支付宝或微信退还给您。"),
    # a double or wrong charge remedied
    ("platform_fault", "同一期被重复成功扣款的，可以申请退款。"),
    ("platform_fault", "不小心重复订阅的，可以申请退款。"),
    ("platform_fault", "计费出错导致多收的，我们全额退还差额。"),
    ("platform_fault", "一笔话费被扣了几次的，可以申请退款。"),
    # a lost or banned account covered
    ("platform_fault", "买到的号三十天内被原主找回且追不回的，平台按包赔规则全额赔付。"),
    ("platform_fault", "账号被盗又无法通过客服找回的，可以申请理赔。"),
    # applying late named by 才
    ("refund_timeline", "购买超过十天才提出的退款申请，不予受理。"),
    ("refund_timeline", "到开课当天才申请退费的，一律不退。"),
    ("refund_timeline", "保障期过后才提出的售后，我们不再处理。"),
    ("refund_timeline", "订阅已满三十天的，不符合退款条件。"),
    # routes named as such
    ("complaint_channel", "协商不了的，双方只能通过法律途径解决。"),
    ("complaint_channel", "激活遇到问题，可以通过意见反馈告诉我们。"),
    ("complaint_channel", "需要人工退款的，可以打客服电话说明情况。"),
    ("complaint_channel", "联通用户充错号码，可拨打10010申请核查。"),
    # applying late: more acts after 才, and a late item in a list of refused conditions
    ("refund_timeline", "开演前一天才退票的，只能退一半票款。"),
    ("refund_timeline", "付款三十天以后才取消的，不能退款。"),
    ("refund_timeline", "超过十天、激活码已经使用或账号违规的，不予退款。"),
    # an order's processing reached, then refused
    ("no_refund_used", "订单一旦被标记为“已完成”，就不再退款。"),
    ("no_refund_used", "代刷订单开始执行后不能退款。"),
    # the loss borne by the buyer himself
    ("no_refund_used", "因个人原因泄露卡密造成的损失，由您自己承担。"),
    # working days written 工作天
    ("refund_timeline", "退款审核通过后，约需五到七个工作天退回原卡。"),
    # goods unlike their description, the two named in either order; still not activated after the wait
    ("platform_fault", "账号描述和实际差距很大的，退还全部租金。"),
    ("refund_unactivated", "付款后两天内仍然无法开通会员的，会员费可以退还。"),
    # working hours as a time
    ("refund_timeline", "退款会在审核通过后四十八个工作小时内处理。"),
    # the seller's side failed to deliver or to answer, refunded
    ("refund_unactivated", "卖家没有按约定时间发货的，买家可以申请退款。"),
    ("refund_unactivated", "交易中卖家恶意取消订单的，买家可以要求退款。"),
    ("refund_unactivated", "陪玩师五分钟内没有接听的，订单自动取消并全额退款。"),
    ("refund_unactivated", "我们无法提供号码的，点数会退回您的账户。"),
    # money credited to the account, or an event begun, refused under a hedge
    ("no_refund_used", "充进钱包的款项原则上不退。"),
    ("no_refund_used", "活动开始后原则上不再退款。"),
    # a list of proofs after one verb, longer than one item
    ("evidence_required", "申请售后时请提供下单时间、卡密后六位、问题描述和报错截图。"),
    # information given wrong where an order is at stake stays the buyer's fault (consistency pass 11)
    ("no_refund_used", "因买家提供的收货信息不准确导致订单发错的，损失自负。"),
]

NEAR_MISS = [
    # a rent reckoned by the time used is the fee case, not a penalty
    ("no_refund_used", "提前结束的，按时间扣租金，剩下的退还。"),
    # a deposit returned is no forfeit
    ("no_refund_used", "租期结束账号完好的，押金全额退还。"),
    # someone other than the buyer at fault
    ("no_refund_used", "非因客户自己的原因无法上号的，租金全额退回。"),
    # a charge named with no refusal
    ("no_refund_used", "已扣过本月费用的账户取消后，仍可使用到月底。"),
    # the unused part measured pro rata stays the fee case
    ("refund_unactivated", "按没有完成的数量比例扣费后退款。"),
    # a payment credited to the balance is no refund route
    ("refund_channel", "用加密货币付款的，款项确认后会自动存入余额。"),
    ("refund_channel", "退款只退现金账户里剩下的金额。"),
    # a description said to match, no gap named
    ("platform_fault", "账号描述和实际一致，请放心租用。"),
    # goods the buyer could not get through his own error: no refund granted
    ("refund_unactivated", "因自己填错邮箱收不到卡密的，请联系客服处理。"),
    # an event ended: goods expire, the sale rule stays blanket
    ("no_refund_used", "虚拟表情购买后不支持退款，活动结束后没用的表情将失效。"),
    # the shop providing a list, not asking for one
    ("evidence_required", "我们会在订单页提供下单时间、卡密后六位和使用教程的截图说明。"),
    # insurance limits, no covered loss named
    ("platform_fault", "保险的赔偿额度有限，请自行评估风险。"),
    # a fee tier inside a window is not applying late
    ("refund_timeline", "请在开课前三天申请，我们会安排好课程。"),
    # a refund's own processing begun is no order under way
    ("no_refund_used", "退款开始处理后，请不要重复提交申请。"),
    # a time limit beside a refusal of another kind, not in its list
    ("refund_timeline", "超过十天的订单可以继续使用，激活码不支持转让。"),
    # a customer-service phone given for buying, not for problems
    ("complaint_channel", "大量购买请打客服电话洽谈批发价格。"),
    # information given untrue or left outdated, nothing bought, paid or held at stake (consistency pass 11)
    ("no_refund_used", "因提交不真实的个人资料造成的一切后果由本人承担。"),
    ("no_refund_used", "联系方式变更后没有及时更新的，后果自负。"),
    # an after-sales request made in the order: the refund form, no route beyond it (consistency pass 11)
    ("complaint_channel", "卡密无法使用的，可以直接在订单详情里申请售后。"),
]
