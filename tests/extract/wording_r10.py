"""The rules' wording classes of round rulesR10 (the misses of batches 83-90: live-stream coins,
marketplaces' virtual-goods rules and Steam / CDKey explainers, utility top-ups, design resources and
fonts, office and AI-tool subscriptions, e-tickets and gift cards, grouped by shape, then the same
shapes in the rest of train).  Every sentence here is written for the test, none taken from the
corpus: test_clause_rules_wording_classes.py checks each POSITIVE is recognised by the rules alone
and each NEAR_MISS is not read as its kind."""
from __future__ import annotations

POSITIVE = [
    # routes under other names: a customer-support desk, the publisher or carrier, a ticket office,
    # an app store's support, a help request or contact form, a hotline by number, an e-mail to apply
    ("complaint_channel", "充值遇到异常的，请联系客户服务中心处理。"),
    ("complaint_channel", "点卡无法激活的，请联系发行商核实。"),
    ("complaint_channel", "门票需要改期的，可以联系售票处说明情况。"),
    ("complaint_channel", "在应用商店买的订阅，请通过苹果支持申请退款。"),
    ("complaint_channel", "对退款结果有疑问的，请提交支持请求。"),
    ("complaint_channel", "退款申请请通过官网的联系表单提交。"),
    ("complaint_channel", "水费缴错需要退回的，可以拨打96116说明情况。"),
    ("complaint_channel", "购买后三天内可以发邮件申请退款。"),
    ("complaint_channel", "未收到兑换码要求退款的，请在七天内向财务部门书面提出。"),
    # customer service offered to help; the problem as a slip, a doubt, a cancellation, a thing that did not work
    ("complaint_channel", "售后有任何问题，我们的支持团队都会帮您解决。"),
    ("complaint_channel", "对条款有不明白的地方，请先联系我们。"),
    ("complaint_channel", "不小心操作失误买错了的，请及时联系客服。"),
    ("complaint_channel", "想取消预订的，请发消息给客服。"),
    ("complaint_channel", "自助查询还是不行的话，就打客服电话。"),
    ("complaint_channel", "处理结果仍不满意的，可以通过平台的官方微博反映。"),
    # what was bought never reached the buyer: a download that failed, a link dead, an order still waiting,
    # a game never played, work not begun, a failure that left the order unfinished
    ("refund_unactivated", "素材包因网站故障没能下载成功的，可以申请退款。"),
    ("refund_unactivated", "下载链接打不开、客服又处理不了的，可以退款。"),
    ("refund_unactivated", "订单还处在待出票状态时，可以直接申请全额退款。"),
    ("refund_unactivated", "买了还没玩过的游戏，可以申请退款。"),
    ("refund_unactivated", "设计服务还没开工的，可以全额退款。"),
    ("refund_unactivated", "因系统故障导致订单无法完成的，会全额退款。"),
    # spans in other words: a few days or a whole week, the arrival set by the payment route, a date, a release
    # or a showing still ahead, a tier of days, a top-up reversal's window
    ("refund_timeline", "退款一般几天内原路退回，节假日可能要一整周。"),
    ("refund_timeline", "退款多久到账要看您付款时用的支付方式。"),
    ("refund_timeline", "6月30日之前可以申请全额退票。"),
    ("refund_timeline", "放映开始前45分钟以前可以申请退票。"),
    ("refund_timeline", "新游戏正式上线之前都可以申请退款。"),
    ("refund_timeline", "主机在第十到第二十天之间取消的，退还一半费用。"),
    ("refund_timeline", "话费充错号码的，冲正须在充值后二十四小时内办理。"),
    # faults in more words: the same goods bought twice, the wrong goods received, quality below the standard, serious
    # errors, a lasting outage, a problem during delivery, a charge taken unawares, a carve-out for information given wrong
    ("platform_fault", "同一套模板不小心买了两次的，多付的那笔会退给您。"),
    ("platform_fault", "收到的激活码不对又补不上的，可以申请退款。"),
    ("platform_fault", "商品质量不合格的，可以退货或更换。"),
    ("platform_fault", "软件存在严重错误的，经技术人员确认后全额退款。"),
    ("platform_fault", "服务连续中断超过一天的，平台会补偿相应时长。"),
    ("platform_fault", "发货过程中出现问题的，我们会为您补发。"),
    ("platform_fault", "在不知情的情况下被扣费的，可以申请退还。"),
    ("platform_fault", "定制内容不退款，但因我们的说明有误的除外。"),
    # proofs asked for in other words: kept, added, required to be true, a form's fields, a cancellation's reason
    ("evidence_required", "付款截图等凭证请务必留好，售后时需要用到。"),
    ("evidence_required", "提交的证明材料须真实有效，否则不予退款。"),
    ("evidence_required", "审核没通过的，可以补充聊天记录后重新申请。"),
    ("evidence_required", "退款申请表需要填写姓名和订单信息。"),
    ("evidence_required", "申请取消时需要提供订单号和取消原因。"),
    ("evidence_required", "售后时请提供购买邮箱、软件版本和截图。"),
    # used goods in other words: a bill paid in, goods generated, the buyer's taste, "没办法" as a refusal
    ("no_refund_used", "水费交了以后就不能退了。"),
    ("no_refund_used", "报告一旦生成，不再退款。"),
    ("no_refund_used", "激活之后就没办法退款了。"),
    ("no_refund_used", "买了以后觉得不喜欢的，不予退款。"),
    ("no_refund_used", "对颜色的主观不满不属于退款理由。"),
    # changes of the terms in other words
    ("agreement_change", "以后发布的各项规则都是本协议的组成部分。"),
    ("agreement_change", "不同意修改后条款的，请停止使用本服务。"),
    ("agreement_change", "会员价格发生调整时，会提前通知您。"),
    ("agreement_change", "本店退款规则会不时更新，请以最新版本为准。"),
]

NEAR_MISS = [
    # a bulk purchase asked about is a sale, not a problem
    ("complaint_channel", "大额充值请先找客服帮忙报价。"),
    # customer service asked for the card's number is a step of the trade
    ("complaint_channel", "电话购卡的，请向客服问清卡号。"),
    # the system passing the top-up on to the carrier is no route the buyer takes
    ("complaint_channel", "付款后系统会立即向运营商提交充值，订单不能取消。"),
    # used goods are no undelivered ones; work begun is past the window
    ("refund_unactivated", "已经下载过的字体文件不能退款。"),
    ("refund_unactivated", "开工后不再接受退款申请。"),
    # a date with its year is when a policy starts, a few weeks ago is the past, a course called off is the seller's fault
    ("refund_timeline", "2024年3月1日以后的订单适用新的退款规则。"),
    ("refund_timeline", "几周前买的会员现在降价了，差价不予退还。"),
    ("refund_timeline", "课程在开课前停办的，会马上全额退款。"),
    # the platform's own document, and the refund entry's fields, are no proof the buyer owes
    ("evidence_required", "平台会出具盖章的交易证明。"),
    ("evidence_required", "在退款入口填写原因和金额后提交即可。"),
    # a bill paid in with no refusal, a payment deemed to complete the service (the sale rule)
    ("no_refund_used", "电费交了以后一般两小时内到账。"),
    ("no_refund_used", "付款完成即视为服务已完成，不受理任何退款。"),
    # a price moving with the market changes no terms
    ("agreement_change", "商品售价随市场行情调整。"),
]
