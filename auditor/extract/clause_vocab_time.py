"""Vocabulary of times and windows (clause_rules.py, via clause_vocab): processing times,
deadlines, windows to apply in, late applications, supplements (refund_timeline,
supplement_deadline).
"""
from __future__ import annotations

import re

NUM = r"(?:\d+(?:\.\d+)?(?:[ ]?[-~～至到][ ]?\d+)?|[一二三两四五六七八九十半]+(?:[至到][一二三两四五六七八九十]+)?)"
TIME_RE = re.compile(rf"{NUM}[ ]?(?:个)?[ ]?(?:工作日|工作天|工作小时|自然日|个工作日|日|天|小时|分钟|h|周|个月|月)(?![a-z])")
WITHIN_RE = re.compile(r"^[ ]?(?:内|之内|以内|左右|后|前)|^[^，。；;]{0,8}?(?:到账|审|完成|处理|受理|退还|返还|退回|原路|办理)")
# a time is about refunds / after-sales only in a sentence that speaks of them (not a delivery time)
# ... or answers a request ("我们会在三个工作日内回复并处理", "一到五个工作日内完成审核", "四十八小时内调查")
REFUNDY_RE = re.compile(r"客服|退|售后|申请|(?<!付)款|赔|申诉|工单|受理|纠纷|仲裁|审核通过|问题(?:卡|订单|商品)|异常订单|补发|"
                        r"(?:回复|答复|(?<!等待)审核|核查|核实|调查)(?!码)")
TIME_CONTEXT_RE = re.compile(r"退|售后|审核|审批|初审|复核|受理|理赔|返还|款项|响应|回复|答复|核实|核查|提出|提交|处理|时效|(?<!发票)(?<!开票)申请(?!发票|开票|注销|提现|入驻|加盟|代理|开户|认证)")
TIME_NOT_REFUND_RE = re.compile(r"发票|开票|注销|提现|入驻|加盟|代理|开户|认证|投诉|申诉|举报|介入")
# "最迟不超过3个工作日", "最长7天": an upper bound is a time limit wherever the number stands
BOUND_BEFORE_RE = re.compile(r"(?:不超过|不超出|最迟|最晚|最长|最多|至多|最快|一般|通常|预计|需要|需)[ ]?(?:在|于|为)?[ ]?$")
PERIOD_RE = re.compile(rf"(?:时间|时效|周期|期限)[^。；;]{{0,20}}?{NUM}[ ]?(?:个)?[ ]?(?:工作日|自然日|日|天|小时)")
INSTANT_RE = re.compile(r"(?:即时|实时|秒|极速|立即|当天|当日|次日)(?:到账|退款|退回|原路|处理|审核)")
TIME_VAGUE_RE = re.compile(r"(?:到账|退款|处理|审核|申请)(?:的)?(?:时间|时效|期限|时限)[^。；;]{0,20}以[^。；;]{0,14}为准|(?:一定|规定|约定)的?(?:时间|期限|时限)内|"
                           r"尽快(?:审核|处理|办理|退款|完成)|(?:退款|售后|退货|退课)(?:期|期限|时限)(?:结束|届满|过后|之后|以外)|(?:错过|超过|超出)[^，。；;]{0,6}时效|"
                           r"(?:请|须|需|应)(?:在|于)[^，。；;]{1,14}(?:前|之前|内|之内|以内)(?:提出|申请|反馈|联系|申诉)|冷静期|保护期内|(?:保证期|质保期|保修期|保障期|售后期)内(?=[^。；;]{0,10}(?:联系|报告|提出|申请|取消|反馈|申诉|发现|检查|提交))|(?<=[天时月年周])的?(?:保证期|质保期|保修期|保障期|售后期)内|(?:时间|时效)[^。；;]{0,6}(?:取决于|视[^。；;]{0,12}而定|因[^。；;]{0,12}而(?:异|不同))|"
                           r"(?:几|数|若干)(?:个)?工作日|(?:到账|退款|处理|审核)(?:的)?(?:时间|时效|周期)[^，。；;]{0,4}(?:更长|较长|延长)|"
                           r"超过[^，。；;]{0,14}(?:期限|时限|时效)[^。；;]{0,12}(?:拒绝|驳回|不予|不再)")
# "须在七十二小时内联系客服", "请在购买后三十天内提交问题报告": the window for raising a problem
DEADLINE_RE = re.compile(r"(?:请|须|需|应|务必|必须)(?:在|于)[^，。；;]{1,14}(?:内|之内|以内|前|之前)[^，。；;]{0,8}?"
                         r"(?:联系|提出|提交|反馈|申请|申诉|报告)")

# "购买已超过七天的，不予退款": a late application refused is a time limit, not a used-goods refusal
# a share used ("超过全期三分之一的", "超过六成的") is an amount consumed, not a time limit
_SHARE = r"(?![^，。；;]{0,6}?(?:[一二三四五六七八九十]+分之[一二三四五六七八九十]+|一半|[一二三四五六七八九]成|\d+(?:\.\d+)?[ ]?%)(?:的|[，,]|$))"
LATE_RE = re.compile(r"(?:超过|超出|已过|过了|逾期|(?:已)?满(?=[\d一二三四五六七八九十两]))" + _SHARE + r"[^。；;]{0,14}(?:天|日|小时|周|月|年|期|期限|有效期|时限|时效)[^。；;]{0,8}"
                     r"(?:不予|不再|不支持|不能|不可|不接受|不受理|拒绝|无法)")
EXPIRE_RE = re.compile(r"超过" + _SHARE + r"[^，。；;]{0,14}(?:不予|不退|不再|不支持|不能|不可)|逾期[^，。；;]{0,10}(?:视为|不予|不再|将|作废|放弃|关闭)|超过[^，。；;]{0,12}(?:视为放弃|不予受理|不再受理|不予处理)|"
                       r"(?:超时|过期)[^，。；;]{0,6}(?:作废|关闭|驳回|视为放弃|不予受理|失效)")

SUPP_RE = re.compile(r"(?:补充|补交|补全|补齐|补传|补提交)(?!差价|费用|款|余款|尾款|金额)|补正材料|重新提交|完善(?:相关)?(?:材料|资料|信息)|补充提供")
SUPP_CONSEQ_RE = re.compile(r"(?:否则|逾期|超时|过期|未按时|未在)[^。；;]{0,20}(?:作废|驳回|关闭|视为放弃|不予受理|取消|失效|撤销|撤回|放弃|不予处理|终止)|"
                            r"(?:逾期|超时)未(?:上传|提交|提供|补充)[^。；;]{0,20}(?<!不)(?<!不予)(?:全额)?退款")
# "七天内无理由退款": a cooling-off window for goods not used
NO_REASON_WINDOW_RE = re.compile(r"(?:\d+|[一二三四五六七八九十]+)(?:个)?(?:天|日|自然日)(?:内|以内)(?:可|可以|支持|享受)?(?:申请)?无理由(?:全额)?退|"
                                 r"(?:购买|开通|订阅|新购|下单|产品|商品|订单|会员|服务)[^，。；;]{0,10}(?:\d+|[一二三四五六七八九十]+)(?:个)?(?:天|日|自然日)(?:内|以内)?"
                                 r"(?:可|可以|支持|享受|提供)?(?:申请)?无理由退")
# a refund window after purchase ("购买后十四天内…均可申请退款", "自开通之日起七十二小时内…全额退")
# the purchase named by any verb ("订购后三十天内", "买了套餐后二十四小时内", "付费加入后三天之内", "收到后30天内")
WINDOW_RE = re.compile(r"(?:购买|开通|注册|下单|新购|付款|充值|支付|订购|买了?[^，。；;]{0,4}?(?=后|之日)|付费(?:加入|订阅|开通)?|加入|报名|收到(?=后)|收货(?=后))(?:之日起|起|后|成功后)?[，,]?[^，。；;]{0,6}?"
                       r"(?:\d+|[一二三四五六七八九十两]+)(?:个)?(?:自然日|工作日|天|日|小时)(?:内|以内|之内)|"
                       r"(?:使用|开通|购买|订阅)(?:后|之后)?(?:时间)?(?:不满|未满|不足|未超过|不超过)(?:\d+|[一二三四五六七八九十两]+)(?:个)?(?:自然日|天|日|小时|月)|"
                       r"(?:\d+|[一二三四五六七八九十两]+)(?:个)?(?:自然日|工作日|天|日|小时)(?:内|以内|之内)(?:首次)?(?:购买|开通|订阅|新购|下单|注册)")

# the window the buyer acts in ("可以在头三十天内取消并全额退款", "九十天内申请退款"); a time in working
# days, or one followed by the refund's own processing ("三个工作日内原路退回"), is no window
APPLY_WINDOW_RE = re.compile(r"(?:\d+|[一二三四五六七八九十两百]+)(?:个)?(?:自然日|天|日|小时|周|个月)(?:内|以内|之内)[^，。；;]{0,10}?"
                             r"(?:(?:申请|提出)(?!复议|复核|复审|仲裁|发票|开票|申诉)|取消|退订|撤回|撤销)|(?:可以?|支持|提供)(?:申请)?(?:\d+|[一二三四五六七八九十]+)(?:个)?(?:天|日|自然日)无理由(?:全额)?退|"
                             # "二十四小时内支持全额退款": the window itself granted, no processing time (in working days) named
                             r"(?:\d+|[一二三四五六七八九十两百]+)(?:个)?(?:自然日|天|日|小时|周|个月)(?:内|以内|之内)(?:都)?(?:可以?|支持)(?:申请)?(?:全额)?退(?:款|费|订|货)")
GUARANTEE_RE = re.compile(r"(?:\d+|[一二三四五六七八九十两百]+)(?:个)?(?:自然日|天|日)(?:的)?(?:无理由)?(?:退款保证|退款保障|退款担保|退款期|冷静期)")
# the goods already delivered or used when the window opens ("交易完成后七天内", "激活后二十四小时以内"): not the unused case
DELIVERED_RE = re.compile(r"(?:交易|订单|服务)(?:已)?完成(?:后|之后|以后)|收(?:到)?货(?:后|之后)|确认收货|(?:交付|激活|使用|开通|到账|发货)(?:后|之后|以后)")

# a deadline for an invoice or an account request ("须在九十天内申请发票"), with no refund named
OTHER_REQUEST_RE = re.compile(r"发票|开票|注销|提现|入驻|加盟|代理|开户|认证")
REFUND_DEADLINE_RE = re.compile(r"^[^。；;]*?(?:联系|提出|提交|反馈|申请|申诉|报告)(?:$|[，。；;]|[^，。；;]{0,12}?(?:退|售后|问题|异常|客服|我们|商家|卖家|平台|店铺|工单|邮件|邮箱|纠纷|争议|异议))")
# a time the goods are sent in ("收到款项后10分钟内通过系统发送激活码"): a delivery time, not a refund's
DELIVERY_TIME_RE = re.compile(r"[ ]?(?:之|以)?内[^，。；;退]{0,10}?(?:自动)?(?:发送|发货|发放|交付|发卡|送达|出卡)(?!证明|记录|凭证|截图)[^，。；;退]*(?:[，。；;]|$)")

# a window open for any reason ("无需说明理由也可以退款", "不附任何条件"): the cooling-off case even after delivery
ANY_REASON_RE = re.compile(r"无需(?:说明)?(?:任何)?(?:理由|原因)|不(?:问|需|用|必)(?:说明)?(?:任何)?(?:理由|原因)|无条件|不附(?:任何)?条件|任何理由(?:均|都)可")
# a warranty, after-sales or checking period with its length ("七天的账号保修期", "72小时售后质保", "售后期是七天",
# "超过24小时验证期"): the window for raising a problem (refund_timeline); "没有七天的售后期" offers none
_SPAN = r"(?:\d+|[一二三四五六七八九十两半]+)(?:个)?(?:天|日|小时|月|年)"
TIMED_WARRANTY_RE = re.compile(rf"(?<!没有)(?<!没)(?<!无)(?:{_SPAN}(?:的)?[^，。；;]{{0,3}}?(?:售后)?(?:保修|质保|包赔|售后期|验证期|检查期|验收期|保障期)|"
                               rf"(?:保修|质保|售后|保障|包赔|验证|检查|验收)(?:期|时长|时效)(?:内)?(?:为|是|最长|只有)?[^，。；;]{{0,6}}?{_SPAN}|"
                               rf"(?:保修|质保)(?:为|是|最长|只有)?{_SPAN})")

# -- round rulesR7 (batches 64-71): widened
LATE_RE = re.compile(LATE_RE.pattern + r"|(?:超过|已满)" + _SHARE + r"[^。；;]{0,14}(?:天|日|小时)的?[，,]?不符合|(?:\d+|[一二三四五六七八九十两百]+)(?:个)?(?:自然日|工作日|天|日|小时|分钟|周|月|年)(?:以后|之后|后|过后)?才(?:提出|申请|提交|反馈|申诉|投诉|取消|退款|退费|退票|联系)|(?:超过|超出|已满)" + _SHARE + r"(?:\d+|[一二三四五六七八九十两百]+)(?:个)?(?:自然日|工作日|天|日|小时)(?:期限)?[、，,或](?=[^。；;]{0,40}的[，,][^，。；;]{0,6}(?:不予|不能|不可|无法|不再|不支持))|(?:当天|当日|期过后|期满后|逾期)才?(?:提出|申请|提交)")  # applying late named by "才" ("超过七天才申请", "到开班当天才申请", "补量期过后才提出"); a share used ("三分之一以上才") is no time

# -- round rulesR8 (batches 73, 76, 77: cloud services, top-ups, game-adjacent services): widened
# the cooling-off period under its other names ("七天鉴赏期", "犹豫期内", "后悔期") is a window, as 冷静期 is
_COOLING = r"(?:鉴赏期|犹豫期|后悔期|冷静期)"
GUARANTEE_RE = re.compile(GUARANTEE_RE.pattern + rf"|(?:\d+|[一二三四五六七八九十两百]+)(?:个)?(?:自然日|天|日)(?:的)?{_COOLING}|{_COOLING}(?:内|之内)")
# ... unless said not to apply ("不适用七天鉴赏期", "没有犹豫期"): a named policy withheld is no window (README, c0597)
TIME_VAGUE_RE = re.compile(TIME_VAGUE_RE.pattern + r"|(?:^|(?<=[，,。；;：:]))(?:(?!不适用|不享|没有|不提供|不在|无)[^，。；;])*?(?:鉴赏期|犹豫期|后悔期)")
# a span counted from an event of the service's calendar ("开赛前三周以前", "距开赛不足15天", "课前24到48小时之间",
# "距离课程开始还有48小时以上"): the window for applying, when a refund is named (refund_timeline, c0180's line)
_EVENT = r"(?:开赛|开课|开演|开播|开场|开学|开班|比赛|赛事|演出|活动|课程|上课|出发|入住|起飞|发车)(?:开始)?"
EVENT_SPAN_RE = re.compile(rf"(?:距离?|离){_EVENT}[^，。；;]{{0,4}}?(?:还有|尚有|不足|不到|少于|超过|多于|仅剩|只剩)?{NUM}[ ]?(?:个)?(?:工作日|天|日|小时|周|个月)|"
                           rf"(?:{_EVENT}|课)(?:之|以)?前(?:第|的)?{NUM}[ ]?(?:个)?(?:工作日|天|日|小时|周|个月)")
# a processing span in working days stated on its own ("信用卡五到十个工作日，UPI三到七个工作日"): a refund's time
WORKDAY_SPAN_RE = re.compile(rf"{NUM}[ ]?(?:个)?[ ]?(?:工作日|工作天|工作小时)(?=[ ]?(?:[，,。；;）)]|$))")
# a span of use deciding which refund applies ("使用天数在31到90天之间的", "用了91到180天的", "已经用了不到30天的"):
# the window's tier (README refund_timeline: a span of use), not days counted as the deduction's measure
USE_SPAN_RE = re.compile(rf"(?:使用|用了|用过|已用|已使用)(?:的)?(?:天数|时间|时长)?(?:在|为|已)?(?:不到|不足|不满|未满|超过|满)?{NUM}[ ]?(?:个)?(?:天|日|个月|月|周)(?:之间|以内|以上|以下|之内)?的[，,]")
# a refund window after purchase named by more verbs or in weeks ("订阅月度会员后7天内", "购卡后7日内", "开通后两周内")
WINDOW_RE = re.compile(WINDOW_RE.pattern + r"|(?:订阅|购卡|买卡|办卡|购课|开卡)(?:之日起|起|后|成功后)?[，,]?[^，。；;]{0,6}?(?:\d+|[一二三四五六七八九十两]+)(?:个)?(?:自然日|工作日|天|日|小时|周|星期)(?:内|以内|之内)|"
                       r"(?:购买|开通|注册|下单|新购|付款|支付|订购)(?:之日起|起|后|成功后)[，,]?[^，。；;]{0,4}?(?:\d+|[一二三四五六七八九十两]+)(?:个)?(?:周|星期)(?:内|以内|之内)")

# -- round rulesR10 (batches 83-90): a refund window open unconditionally before a deadline ("九月一日零点之前可无条件申请退票"),
# and the purchase named as a ticket bought ("购票后七天内")
NO_REASON_WINDOW_RE = re.compile(NO_REASON_WINDOW_RE.pattern + r"|(?:前|之前|以前|内|以内|之内)[，,]?(?:都|均)?(?:可|可以|支持|能)?(?:申请)?(?:无条件|无理由)(?:全额)?(?:申请)?退")
WINDOW_RE = re.compile(WINDOW_RE.pattern + r"|(?:购票|买票|订票|出票)(?:之日起|起|后|成功后)?[，,]?[^，。；;]{0,6}?(?:\d+|[一二三四五六七八九十两]+)(?:个)?(?:自然日|工作日|天|日|小时)(?:内|以内|之内)")
# a date bounding the window ("9月25日零点之前", "10月14日以后", "次年5月底"): a deadline of the calendar, read when a refund
# is named (refund_timeline)
DATE_BOUND_RE = re.compile(r"(?<![年\d])(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}|[一二三四五六七八九十]{1,3})[日号](?:[ ]?(?:\d{1,2}[:：]\d{2}|零点|[\d一二三四五六七八九十]{1,3}点))?"
                           r"(?:之前|以前|前|以后|之后|后|至|到|起)|(?<![年\d])(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:底|末|初|中旬|上旬|下旬)")
# a release or showing still ahead ("正式发售之前", "放映前", "上线前"): the calendar's event bounding the window, as 开课前
EVENT_BEFORE_RE = re.compile(r"(?<![已未])(?:正式)?(?:发售|发行|上线|开课|开播|开演|开场|放映|开映|开赛|开学|开班)(?:之|以)?前")
# spans in other words: a few days or weeks ("快的几天，慢的要几周", "最长要一整周"), a time set within limits ("限定时间内"),
# an arrival time that differs by payment route ("到账时间…按它们的规定有所不同", "多久到账要看支付方式")
TIME_VAGUE_RE = re.compile(TIME_VAGUE_RE.pattern + r"|(?:几|数|若干)(?:个)?(?:天|日|周|星期|小时)(?![前之以])|一整(?:周|个星期|天)|(?:限定|限制)的?(?:时间|期限|时限)内|"
                           r"(?:到账|退款|处理|审核)(?:的)?(?:时间|时效|周期|速度)[^。；;]{0,16}(?:有所不同|各不相同|不尽相同|不同)|"
                           r"(?:多久|多长时间|何时|什么时候)(?:才能?|能)?(?:到账|退回|处理完)[^。；;]{0,6}(?:要看|看|取决于|视|以)")
# the calendar's events widened (a showing, a session, a departure) and spans in minutes ("放映场次开始前30分钟")
_EVENT_R10 = r"(?:开赛|开课|开演|开播|开场|开学|开班|比赛|赛事|演出|活动|课程|上课|出发|入住|起飞|发车|放映|开映|场次|观影|检票)(?:开始)?"
EVENT_SPAN_RE = re.compile(EVENT_SPAN_RE.pattern + rf"|(?:{_EVENT_R10}|课)(?:之|以)?前(?:第|的)?{NUM}[ ]?(?:个)?(?:工作日|天|日|小时|分钟|周|个月)")
# a tier of days since purchase ("在第30到60天之间取消的"): the window's tier, as a span of use
USE_SPAN_RE = re.compile(USE_SPAN_RE.pattern + rf"|第{NUM}[ ]?(?:个)?(?:天|日|个月|月|周)(?:之间|以内|以后|之后)?(?:取消|退订|申请|退款|退出)?的[，,]")
# a top-up reversal (冲正) is the refund of a payment, and a cancellation the buyer has a right to ("有权取消购买") applies for one
TIME_CONTEXT_RE = re.compile(TIME_CONTEXT_RE.pattern + r"|冲正|有权取消|(?<![不未没])(?:可以?|能)(?:申请)?取消(?:购买|订阅|预订)")
REFUNDY_RE = re.compile(REFUNDY_RE.pattern + r"|冲正|有权取消|(?<![不未没])(?:可以?|能)(?:申请)?取消(?:购买|订阅|预订)")
