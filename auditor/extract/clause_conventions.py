"""The written labelling conventions (clause_corpus/README.md, "Labelling conventions") that
a resemblance must not override: the classifier adds no kind these rule out for a sentence
(clause_model.combine, clause_tuning), and the rules honour the complaint-route ones too
(clause_rules.complaint_route_excluded)."""
from __future__ import annotations

import re

from cardshop_auditor.extract.clause_rules import (
    AFTER_SALES_RE, CANCEL_WORD_RE, SELLER_DELAY_RE, ROUTE_BEYOND_FORM_RE, complaint_route_excluded,
)
from cardshop_auditor.extract.clause_scope import blanket_shape, delivery_only_refusal, price_gap_only
from cardshop_auditor.extract.clause_triggers import HEDGED_DELIVERY_RE
from cardshop_auditor.extract.clause_sentence import (
    charged_fee, in_evidence_object, positive_word, refund_polarity, shop_made_proof, subclause_around, subclause_start,
)
from cardshop_auditor.extract.clause_vocab import (
    ACT_UNUSED_RE, BALANCE_RE, BUYER_FAULT_RE, CARVE_FAULT_RE, CARVE_UNACT_RE, CHANGE_RE, CHANNEL_RE, COMPLAINT_RE,
    COURSE_START_RE, CS_ROUTE_RE, CS_RE, EXPIRE_RE, INSTANT_RE, TIME_VAGUE_RE,
    EVIDENCE_NEG_RE, EVIDENCE_NOT_PROOF_BEFORE_RE, EVIDENCE_NOT_PROOF_RE, EVIDENCE_RE, FAULT_RE,
    FINAL_RE, LATE_RE, MANUAL_RE, NOT_FAULT_BEFORE, NUM, OFFSET_RE, OTHER_REQUEST_RE, PERIOD_RE, REFUNDY_RE,
    REFUND_RE, REMEDY_RE, SELLER_SUBJECT_RE, TIME_CONTEXT_RE, TIME_RE, UNACT_RE, UNACT_WEAK_RE, USED_RE, USER_FAULT_RE,
    WITHDRAWAL_RE,
)
from cardshop_auditor.extract.text import normalise, simplified

_TRADE_FEE_RE = re.compile(r"交易手续费|成交(?:金额|价|额|时)|交易额|佣金|服务佣金|技术服务费")
# a fee for another operation than a refund ("汇款产生的手续费", "修改授权绑定需另付手续费", "升级…另付",
# "提取钻石…服务手续费", "部分高级功能会收取费用", "购买点数时第三方收取的手续费", "转点收取手续费"): when no
# refund, cancellation or used goods is named
# a top-up ("部分第三方平台充值加油卡可能会收取手续费"), a bill paid for the buyer ("代收水电费的服务费"), a rebinding,
# gifts turned into earnings, or a period's billing ("启用当月按剩余天数比例计算订阅费并立即扣款") are such too
_OTHER_OPERATION_RE = re.compile(r"成交|交易额|汇款|储值|充值|代收|代缴|代付|代扣|(?:立即|自动)扣款|换绑|收益|计费|修改|更换|变更|升级|提取|功能|"
                                 r"购买[^，。；;]{0,8}(?<!随)时|转点|转账")
# a key or code sent, shown or delivered ("一经发出", "一旦交付"): with no hedge and no carve-out the sale
# rule (blanket alone, README c1035, c1187), unless a use, a top-up or the buyer's doing is named too
_SENT_TRIGGER_RE = re.compile(r"(?:一经|一旦)[^，。；;]{0,6}?(?:交付|显示|发送|发出|发放|下发|发货|送达)")
# ("授权激活信息" names what the key holds, "即使还没使用" a use not made)
_USE_WORD_RE = re.compile(r"(?<![没未])(?:收到|有效|使用|用过|用掉|用完|激活(?!码|信息)|兑换(?!码)|消耗|消费|充值|充入|到账|登录|绑定|查看|提取|已)")
_PROCESS_TIME_RE = re.compile(r"到账(?!户|号)|核实|核查|检查|保障期")     # not "绑定到账户"
# refund_timeline (README): a limit on how often ("每三十天只能申请一次", "同一自然月内申请达到三次") counts
# requests, and a named N-day policy said not to apply ("不适用七天无理由退货", "十四天退款保证不适用于…")
# names the policy: neither is a time of the refund nor a window the buyer has
_FREQUENCY_RE = re.compile(r"(?:每|同一)[^，。；;]{0,8}?(?:天|日|周|月|年)[^，。；;]{0,12}?(?:[一二两三四五六七八九十\d]+|几)次")
_POLICY_NAME = rf"{NUM}?[ ]?(?:个)?[ ]?(?:天|日|小时|个月)(?:无理由|退款保证|退款保障|包退|退货保证|无忧)"
_POLICY_REFUSED_RE = re.compile(rf"(?:不适用|不支持|不享受|不满足|不符合|不再适用|不属于|不在)[^，。；;]{{0,12}}?{_POLICY_NAME}|"
                                rf"{_POLICY_NAME}[^，。；;]{{0,6}}?(?:不适用|不包括|不含|不支持)")
_WINDOW_CUE_RE = re.compile(r"前|之内|以内|立即|即时|期限|时限|时效|当天|当日|次日|到期")
# a delivery overdue ("付款后超过二十四小时仍没有收到商品的"), beside SELLER_DELAY_RE's "…内未发货":
# the hours are the delivery's unless the refund is what has not arrived ("审核通过后…仍未到账")
_OVERDUE_RE = re.compile(r"[ ]?(?:后)?[^，。；;]{0,2}?(?:还|仍|仍然|依然|一直|都)?(?:没有|没|未|没能|未能)(?:收到|到账|发货|送达|交付|开通|生效|出卡|发卡)"
                         r"(?![^，。；;]{0,4}(?:退|款))")
# a fault the seller did not fix in time ("四十八小时内无法解决的", "三十天内未能解决的"): its time to repair, no refund time
_UNRESOLVED_RE = re.compile(r"[ ]?(?:之|以)?内(?:我们|平台|客服)?(?:还|仍|仍然|一直|又|都|也)?(?:无法|未能|没能|不能|没有|没|仍未)(?:能)?(?:解决|修复|修好)")
# the order's completion ("订单一旦变成已完成", "已完成的订单", "订单即视为完成"): the delivery done, no goods used (README)
_ORDER_DONE_RE = re.compile(r"(?:订单|交易)(?:状态)?(?:一旦|一经)?(?:被)?(?:标记为|变成|变为|显示为|即视为|视为|履约)?[“\"「『]?(?:已|成功)?完成[”\"」』]?|"
                            r"已完成的(?:订单|交易)|(?:即)?视为已?(?:全部)?(?:交付|交易完成)")
# customer service as a step of the sale after payment ("买完后联系客服开通", "下单后要联系客服，一般三十分钟内出号",
# "客服会主动联系卖家帮您拿到账号", "客服会…协助您完成交易"): the trade flow, not a route for problems (README)
_TRADE_STEP_RE = re.compile(r"(?:付款|支付|下单|购买|买完|拍下|付完款|付款成功)(?:完成|成功)?(?:以|之)?后[^。；;]{0,20}?(?:联系|发给|找|私信|留意)"
                            r"[^。；;]{0,16}?(?:开通|出号|发货|领取|激活|安排|拿到|上号|核对)|协助您?完成交易|帮您拿到|"
                            # a further purchase asked for ("需要升级流量套餐的可以提出申请", "想要的票档没票的，可以提交求购",
                            # "需要建站数据的，欢迎联系我们", "快到期时可以致电客服申请延期"): a sale, not a problem
                            r"(?:需要|想要?|欢迎)[^，。；;]{0,6}(?:升级|加购|续费|定制|购买|求购|建站|延期|延长)|提交求购|申请延期|付费[^，。；;]{0,4}服务")
_TRADE_PROBLEM_RE = re.compile(r"问题|异常|退|售后|失败|错误|无效|不符|投诉|申诉|纠纷|争议|没(?:有)?收到|未收到|未到账|没到账")
# the unused or remaining part refunded pro rata ("按未使用的时长比例退款", "按剩余天数比例退还") is the fee
# case (the used part deducted), not goods not yet delivered or used (README refund_activated_fee)
_PRO_RATA_RE = re.compile(r"(?:未使用|没用完|未用完|剩余|未学习|未消耗|没有使用|未使用的)[^，。；;]{0,10}?(?:比例|折算)|"
                          r"(?:比例|折算|按天|按月)[^，。；;]{0,12}?(?:未使用|没用完|未用完|剩余|未学习|未消耗)")
_COOLING_OFF_RE = re.compile(r"无理由|冷静期|退款保证|不满意|任何原因|未(?:使用|消耗|激活|兑换|发货)|没(?:有)?(?:用过|使用)|尚未")
# a voucher that paid part of the price kept out of the refund ("已使用的代金券不退", "用优惠券抵扣的金额不退回"):
# the refund's amount, no used goods (README refund_channel; c0661, c2049)
_VOUCHERS = r"(?:代金券|优惠券|折扣券|现金券|抵扣券|抵用券|红包)(?!礼包|包|套餐)"     # not a coupon pack sold
_VOUCHER_KEPT_RE = re.compile(rf"(?:已使用|用掉|使用|抵扣|抵用)(?:了)?的?{_VOUCHERS}|{_VOUCHERS}[^，。；;]{{0,4}}抵扣的(?:金额|部分)")
# a late application refused ("三十天以后才取消的，不能退款"), beside LATE_RE's "超过…不予"
_LATE_AFTER_RE = re.compile(rf"{NUM}[ ]?(?:个)?[ ]?(?:天|日|小时|周|个月|月)(?:以后|之后|后)才")
# evidence_required is proof the buyer gives or keeps (README): not proof the seller owes ("卖家须在两小时内
# 上传发货证明", "卖家拿不出已交付证据的", "商家开设报价前必须提交公司注册证明"), "证明" as a verb of purpose
# ("以证明账号真实"), nor a login credential ("账号凭证", "登录凭证")
_BUYER_DUTY_RE = re.compile(r"(?:买家|您|你|用户|顾客|玩家|发单者)(?:须|需|应|要|必须|请|可以?)")
_SELLER_PROOF_RE = re.compile(r"(?:卖家|商家|商户|接单者|接单人|号主)[^，。；;]{0,4}(?:拿不出|提供不了|无法提供|不能提供|未能提供|没有提供|出示不了)")
_PROVE_VERB_BEFORE_RE = re.compile(r"(?:(?<![可所得予难])以|来|用以|用来|用于|足以)$")
_CREDENTIAL_BEFORE_RE = re.compile(r"(?:账号|帐号|登录|登陆|访问|账户)$")
# one kind of goods named as what is refused ("金币不提供退款", "礼物一经送出，就不能退回"), with no sweeping
# scope or ground: special_goods_exclusion, not blanket (README; c5696, c5739, c1391, c1995)
_KIND_SUBJECT_RE = re.compile(r"^(?:充值的|购买的|赠送的|兑换成?[^，。；;]{0,10}的)?(?:金币|礼物|礼品|积分|点券|钻石|金豆|代币|加密货币|皮肤|道具|"
                              r"物品|续费|游戏币)(?:订单)?[^，。；;]{0,2}?(?:不|无法|概不|恕不)")
_SWEEP_WORD_RE = re.compile(r"所有|全部|一切|任何|本站|本店|本平台|本商品|一经(?:售出|出售|购买|下单|付款|支付)|售出|出售|虚拟|数字|一律|概不")
# a record the shop looks into ("客服会向供货渠道核查充值记录", "风控团队会调取后台日志"): nothing the buyer gives
_CHECK_VERB_RE = re.compile(r"(?:核实|核查|查询|调取|核对|查看|调查|查证)[^，。；;]{0,4}$")
# a membership or course named as what a sale- or activation-triggered refusal covers ("VIP会员一经开通，不支持
# 退款", "会员属于数字虚拟商品，购买后不支持退款"): the service the page sells, no category (README special goods)
_SERVICE_SUBJECT_RE = re.compile(r"^(?:问[:：][^。？?]*[？?])?(?:答[:：])?(?:所有|全部|本|付费|线上|在线|高级|超级|年度|月度|年费|包月|包年)?(?:的)?(?:VIP|vip)?(?:会员|课程|网课)"
                                 r"(?:服务|卡|套餐|费用?|资格|权益)?(?:都|均)?(?:属于|是|一经|一旦|开通|购买|付款|支付|[，,]|不)")
_NARROWER_GOODS_RE = re.compile(r"特殊|特价|活动|部分|个别|单独|精品|除外|优惠|折扣|促销|限时|赠送|等|类|卡密商品|无理由|鉴赏期|冷静期")
_GIVE_VERB_RE = re.compile(r"提供|上传|提交|发送|发给|发来|附上|出示|保留|保存|截图|截屏|录屏|准备|携带|带上|填写|写明")
SUBCLAUSE_END_RE = re.compile(r"[，,。；;！？!?]")
_REFUND_STEP_RE = re.compile(r"退|审核|批准|受理|款项")
# a top-up or goods delivered ("一般24到48小时内到账", "到账时间以运营商的处理结果为准"): with no refund,
# after-sales or payment route named, the time is the goods' (README: refund_timeline is the refund's)
_GOODS_ARRIVAL_RE = re.compile(r"到账(?!户|号)|出号|到货|出卡|发卡|充值完成|开通")
_MONEY_ROUTE_RE = re.compile(r"支付|银行|信用卡|借记卡|银联|钱包|款|退|售后|申请|客服|审核|回复|工单")
# a disclaimer of responsibility ("…导致卡密失效的，本店不负责"): no remedy is offered
_DISCLAIMER_RE = re.compile(r"(?:不|概不|一概不)(?:负责|承担)|后果自负|与本(?:店|站|平台)无关")
# platform_fault is a remedy for a fault (README): remedies REMEDY_RE does not list, such as repair,
# replacement, restoring, a guarantee or a contract ended ("换新", "修好", "恢复到您的账户", "保修", "免单")
_REMEDY_MORE_RE = re.compile(r"办理|终止交易|不收[^，。；;]{0,4}费|换新|维修|修好|修复|恢复|补救|保修|质保|三包|联保|免单|顺延|补加|"
                             r"重新指定|重新执行|加款|补量|补充服务|解除合同|赔|拿到|追偿|不会收|免费")
# words that only send the problem on or look into it ("联系客服核实", "视实际情况处理", "协商处理"):
# they name no remedy (README c0945); "解决不了的全额退款" is a remedy after them, not a refusal
_ONLY_HANDLED_RE = re.compile(r"(?:处理|解决|核实后|查明|介入)(?:不了|不好)?")
# a refusal with an exception or a condition ("…的除外", "除非…", "只有…才", "但…"), or a refund applied
# for: a remedy is granted in the exception, whatever the negation reading says
_EXCEPTION_RE = re.compile(r"除|只有|只受理|才|但|例外|申请(?:退款|退费|退货|处理)")
# a top-up failed or goods not delivered ("充值失败的，可以退款", "商品没有发出…可以申请退款"): with no
# cause named (no FAULT_RE) refund_unactivated alone (README, refund_unactivated; c1068, c1929)
_FAILED_DELIVERY_RE = re.compile(r"(?:充值|发送|发货|交付|出货|出卡|处理|到账|兑换|开通)失败|(?:没有|未|没)(?:能)?(?:发出|发货|到账|送达|收到|交付)")
# more than the money back, a time limit broken ("超过时限仍未发货") or a cause named ("因我方原因没能交付"):
# the delay is owned as a fault
_FAULT_OWNED_RE = re.compile(r"补偿|赔|时限|期限|承诺|超时|原因")
# goods, an order or their use: what a buyer-fault exclusion is about
_PURCHASE_RE = re.compile(r"商品|产品|订单|卡密|卡券|卡号|点卡|激活码|兑换码|充值|购买|下单|拍|道具|货|使用|消费|服务|会员费|套餐|费用|款")
_NOTE_ORDER_RE = re.compile(r"备注[^，。；;]{0,4}(?:订单号|订单编号|单号)")
_CHANGE_WORD_RE = re.compile(r"修改|修订|变更|更新|调整|补充|更改|废止|改动|变动")
# a seller's right to change or end a service, an activity or a feature ("保留随时修改、暂停或终止本服务的
# 权利", "修改活动内容"), or a price moving with the market ("售价会随市场和成本变化随时调整"): not the terms
_CHANGE_VERBS = r"(?:修改|变更|调整|更改|暂停|终止|停止|增强|中断|取消)"
_SERVICE_CHANGE_RE = re.compile(rf"{_CHANGE_VERBS}(?:[、，,或和及与]*{_CHANGE_VERBS})*(?:本|部分|该|相关|此)?(?:服务|活动|功能)|"
                                r"(?:售价|价格|标价|定价)[^，。；;]{0,4}随[^，。；;]{0,16}(?:调整|变化|变动|浮动)")
# how the buyer paid, as a condition ("用信用卡付款的，", "以支付宝或信用卡等方式付款的，", "微信支付的退款"):
# not where a refund goes
_PAID_WITH_RE = re.compile(r"(?:用|以|使用)[^，。；;原退]{1,12}?(?:付款|支付|缴费)(?:的|时)(?=[，,])|"
                           r"(?:微信|支付宝|信用卡|银行卡|借记卡)(?:支付|付款)的(?=退款)")
# money sent somewhere ("到达您的银行账户", "转入您的支付宝", "刷退"), beside CHANNEL_RE's 退至 / 原路
_DESTINATION_RE = re.compile(r"(?:到达|打到|打入|转到|转入|汇到|汇入|存入|存到|(?:返还|退还|返回|退款)(?:至|到))[^，。；;]{0,8}"
                             r"(?:账户|帐户|账号|帐号|银行卡|信用卡|借记卡|支付宝|微信|钱包|余额|零钱)|刷退|"
                             r"(?:方式|渠道|途径)(?:退款|退回|退还|返还)")
# the amount refunded, not where it goes: the remainder ("退还余额", "退还卡内余额", "把余额退还给用户",
# "退款金额以账户余额为准") or the price paid ("按原支付金额全额退回"); "退回账户余额" is a destination
_AMOUNT_NOT_WHERE_RE = re.compile(r"(?:退还|返还|退)(?:卡内|卡中|剩余的?|剩下的?)?余额|余额退还给[^，。；;]{0,4}|(?:以|按)[^，。；;]{0,6}余额为准|"
                                  r"原(?:支付|付款|订单|购买)?金额")
# a refund's form, recipient or offset, when no refund word is there ("转成积分", "折算抵扣", "线下打款")
_CHANNEL_HINT_RE = re.compile(r"(?:转|换|折)(?:成|为|入|算)|抵|打(?:到|入|款)|支票|币种|积分|额度|余额|钱包")
# the final say claimed over the terms or disputes ("如有争议，由本店作最终决定", "以本公司的决定为准",
# "依据国家相关法律法规负责解释"), beside FINAL_RE's 解释权; a decision declared final on one matter
# ("所有退款决定均为最终决定") or the governing law ("适用平台所在地法律") is no such claim
_FINAL_SAY_RE = re.compile(r"解释权|(?:保留|享有|拥有)[^。；;]{0,12}(?:解释|决定权|裁量权|裁定权|认定权)|(?:最终|最后)(?:决定|裁定|认定)权|"
                           r"(?:作|做|作出|做出)(?:最终|最后)(?:决定|裁定|认定)|负责解释|(?:最终|最后)解释|"
                           r"以[^，。；;]{0,12}(?:决定|认定|裁定|解释)为(?:准|最终)")

# a fault of goods delivered ("发错商品", "重复购买", "与描述不符", "卡密无效"), with no unused, undelivered or
# cooling-off state beside it: platform_fault alone (README refund_unactivated; c2173, c2503, c1801, c1823)
_DELIVERED_FAULT_RE = re.compile(r"发错|重复(?:购买|买|下单|充值|扣款|扣费|付款|支付|订阅|收费|计费)|多扣|扣了?(?:两|二|2|多)次|"
                                 r"(?:描述|说明|宣传|图片)不(?:符|一致)|货不对板|与实际不符|质量问题|无效|已被(?:他人)?使用")
_NOT_DELIVERED_RE = re.compile(r"无理由|冷静期|退款保证|不满意|任何原因|未|没|尚|失败|取消|缺货|超时|下架|不了|无法|不能|停办|变动|延期")
# a reply or review time with no route named ("我们会在三个工作日内回复并处理"): refund_timeline alone (README
# refund_timeline; c0975, c1274), not a complaint route
_REPLY_RE = re.compile(r"回复|答复|处理|审核|响应")
_ROUTE_WORD_RE = re.compile(r"客服|工单|邮件|邮箱|电话|申诉|投诉|联系|页面|入口|售后|反馈|支持|请求|消息|留言|在线|群|QQ|微信|管理员|理赔|复议|复核")

# what the refund application asks for ("申请退款时请写明订单号和原因"), with no person or body beyond the form
# named: the form's content, as its steps are (README complaint_channel), no route to raise a problem
_APPLICATION_RE = re.compile(r"申请(?:退款|退费|退货|售后)?(?:时|的话)|(?:退款|退费|售后)申请|提交申请")
_ASKS_RE = re.compile(r"提供|写明|注明|填写|附上|上传|说明|列明|告知")
# contact details asked for as the form's content ("留下联系方式", "写明注册邮箱"): what the buyer writes, not a
# route beyond the form ("发到我们的邮箱", "用购买邮箱发信" are routes)
_CONTACT_ASKED_RE = re.compile(r"联系(?:方式|电话|人|号码|手机)|(?:注册|购买|绑定|登录|收件|常用|购买所用的?)(?:的)?(?:邮箱|手机号?|电话)(?:地址)?(?!发|来信|联系|寄)|邮箱地址")
# refund_timeline is a time (README): a sentence naming no span, window, deadline, event bound or pace at all
# ("尚未使用的应用内购买可以全额退款") is none; "应用内" / "内容" are no window
# the moment before the goods go out ("在卡密发出之前", "发货前"): the undelivered state, not a window of the
# refund (README refund_timeline, c1646, c7217)
_BEFORE_DELIVERY_RE = re.compile(r"(?:发货|交付|发出|发放|出货|出卡|发卡|送达|下发)(?:之|以)?前")
_ANY_TIME_RE = re.compile(r"前|(?<!应用)(?<!国)(?<!站)(?<!平台)内(?!容|购|置|部|的)|立即|即时|马上|期|时限|时效|当天|当日|次日|到期|时间|天|日|"
                          r"小时|分钟|周|月|年|秒|尽快|及时|随时|超过|逾期|之后|以后|T\+|工作|过了|后才|之日|起|多久|快|慢|晚|等待|开始|结束|进度")


def _service_or_complaint(s: str) -> bool:
    """Is customer service, a complaint word or a service route named (the complaint_channel shapes' guard)?"""
    return bool(CS_RE.search(s) or COMPLAINT_RE.search(s) or CS_ROUTE_RE.search(s))


def _remedy_offered(s: str) -> bool:
    """Is a remedy offered, not refused ("不退款也不补偿", "不向用户赔偿") and not only the problem handed
    to customer service or looked into ("联系客服核实", "我们会视情况处理")?"""
    masked = _ONLY_HANDLED_RE.sub(lambda m: "〇" * len(m.group(0)), s)   # same length: clauses unchanged
    return positive_word(masked, REMEDY_RE) or positive_word(masked, _REMEDY_MORE_RE)


def _looked_into(s: str, m: re.Match) -> bool:
    """Is the record ``m`` one the shop checks, in a sub-clause that asks the buyer for nothing?"""
    return (bool(_CHECK_VERB_RE.search(s, subclause_start(s, m.start()), m.start()))
            and not _GIVE_VERB_RE.search(subclause_around(s, m, SUBCLAUSE_END_RE)))


def _overdue_delivery(s: str, time: re.Match) -> bool:
    """Is ``time`` the hours a delivery is overdue ("超过二十四小时仍没有收到商品的"), not a refund's?"""
    return bool(_OVERDUE_RE.match(s, time.end())) and not _REFUND_STEP_RE.search(s, 0, time.start())


def convention_excludes(kind: str, sentence: str) -> bool:
    """The written labelling conventions (clause_corpus/README.md) that a resemblance must
    not override: the classifier may not *add* a kind these rule out."""
    s = normalise(simplified(sentence))     # traditional characters read as simplified
    if kind == "refund_activated_fee":          # a withdrawal fee is not a refund fee (issue 10),
        fee_text = WITHDRAWAL_RE.sub("", s)     # nor is "退款不收取任何手续费" a fee, nor a trade's
        return (not charged_fee(fee_text)                                          # commission;
                or bool(_TRADE_FEE_RE.search(fee_text) and not REFUND_RE.search(fee_text))
                or bool(_OTHER_OPERATION_RE.search(fee_text) and not (REFUND_RE.search(fee_text) or CANCEL_WORD_RE.search(fee_text)
                                                                      or USED_RE.search(fee_text))))
    if kind == "refund_channel":                # where the money goes, not how the buyer paid
        if not (REFUND_RE.search(s) or _CHANNEL_HINT_RE.search(s) or MANUAL_RE.search(s)
                or OFFSET_RE.search(s)):
            return True                         # "所有款项只能付到官方收款账户": a payment, no refund
        rest = _AMOUNT_NOT_WHERE_RE.sub("，", _PAID_WITH_RE.sub("，", s))
        return rest != s and not (CHANNEL_RE.search(rest) or BALANCE_RE.search(rest) or MANUAL_RE.search(rest)
                                  or OFFSET_RE.search(rest) or _DESTINATION_RE.search(rest))
    if kind == "final_interpretation":
        return not (FINAL_RE.search(s) or _FINAL_SAY_RE.search(s))
    if kind == "complaint_channel":             # opening hours, the trade flow, the seller's side
        if TIME_RE.search(s) and _REPLY_RE.search(s) and not (_ROUTE_WORD_RE.search(s) or _service_or_complaint(s)):
            return True                         # a reply time, no route named
        form = _CONTACT_ASKED_RE.sub("〇", s)
        if _APPLICATION_RE.search(s) and _ASKS_RE.search(s) and not (ROUTE_BEYOND_FORM_RE.search(form) or re.search(r"卖家|商家", s)
                                                                      or _service_or_complaint(form)):
            return True                         # what the refund form asks for
        return complaint_route_excluded(s) or bool(_TRADE_STEP_RE.search(s) and not _TRADE_PROBLEM_RE.search(s))
    if kind == "refund_unactivated":            # activated but unused is the fee case, not this one
        if ACT_UNUSED_RE.search(s):
            return True
        granted, refused = refund_polarity(s)   # "未使用的卡密不支持退款" refuses: no refund is offered
        if refused and not granted and not CARVE_UNACT_RE.search(s):
            return True
        if not (REFUND_RE.search(s) or CANCEL_WORD_RE.search(s)):
            return True                         # "付款失败可能是余额不足": no refund, no cancellation
        if _DELIVERED_FAULT_RE.search(s) and not (UNACT_RE.search(s) or UNACT_WEAK_RE.search(s) or CARVE_UNACT_RE.search(s)
                                                  or COURSE_START_RE.search(s) or _NOT_DELIVERED_RE.search(s)):
            return True                         # a fault of goods delivered: platform_fault alone
        rest = _PRO_RATA_RE.sub("，", s)
        if rest != s and not (UNACT_RE.search(rest) or UNACT_WEAK_RE.search(rest) or CARVE_UNACT_RE.search(rest)
                              or _COOLING_OFF_RE.search(rest)):
            return True                         # the unused part refunded pro rata: the fee case
        states = list(UNACT_RE.finditer(s)) + list(UNACT_WEAK_RE.finditer(s))
        # "请提供未到账的充值页面截图": the state describes the proof asked for
        return bool(states) and all(in_evidence_object(s, m) for m in states)
    if kind == "refund_timeline":               # a time of the refund / after-sales process, not of use,
        if OTHER_REQUEST_RE.search(s) and "退" not in s:       # nor of an invoice; nor only a delay the
            return True                         # seller or buyer let pass ("24小时内没有修复的，可以退款")
        timed = _BEFORE_DELIVERY_RE.sub("，", s)      # before delivery is a state, no time
        if not (TIME_RE.search(timed) or _ANY_TIME_RE.search(timed) or TIME_VAGUE_RE.search(timed) or INSTANT_RE.search(timed)
                or EXPIRE_RE.search(timed) or LATE_RE.search(timed) or COURSE_START_RE.search(timed)):
            return True                         # no time named at all
        times = list(TIME_RE.finditer(s))
        if times and all(SELLER_DELAY_RE.match(s, m.end()) or _overdue_delivery(s, m) or _UNRESOLVED_RE.match(s, m.end())
                         for m in times) and not PERIOD_RE.search(s):
            return True
        rest = _POLICY_REFUSED_RE.sub("，", _FREQUENCY_RE.sub("，", s))
        if rest != s and not (TIME_RE.search(rest) or _WINDOW_CUE_RE.search(rest)):
            return True                         # how often, or a policy refused: no time of the refund
        if (times or "时间" in s) and _GOODS_ARRIVAL_RE.search(s) and not _MONEY_ROUTE_RE.search(s):
            return True                         # a top-up's or the goods' arrival time
        return not (TIME_CONTEXT_RE.search(s) or REFUNDY_RE.search(s) or _PROCESS_TIME_RE.search(s))
    if kind == "platform_fault":                # the buyer's own doing is no platform fault, nor a
        if not (CARVE_FAULT_RE.search(s) or _EXCEPTION_RE.search(s) or _remedy_offered(s)):
            return True                         # fault with no remedy, or the remedy refused (README)
        if _FAILED_DELIVERY_RE.search(s) and not (FAULT_RE.search(s) or CARVE_FAULT_RE.search(s) or _FAULT_OWNED_RE.search(s)):
            return True                         # a failed or missing delivery refunded, no cause named
        if _DISCLAIMER_RE.search(s) and not CARVE_FAULT_RE.search(s) and not positive_word(s, REMEDY_RE):
            return True                         # disclaimer with no remedy (a remedy is the kind)
        hits = list(FAULT_RE.finditer(s))
        own = [m for m in hits if not NOT_FAULT_BEFORE.search(s[max(0, m.start() - 4):m.start()])
               and not USER_FAULT_RE.search(s[:m.start()])]
        if CARVE_FAULT_RE.search(s) or (own and not (BUYER_FAULT_RE.search(s) and refund_polarity(s) == (False, True))):
            return False
        return bool(hits) or bool(USER_FAULT_RE.search(s) or BUYER_FAULT_RE.search(s))
    if kind == "special_goods_exclusion" and price_gap_only(s):
        return True                             # a refund's amount after a price change
    if kind == "special_goods_exclusion" and _SERVICE_SUBJECT_RE.search(s) and not _NARROWER_GOODS_RE.search(s):
        return True                             # a membership or course refused: the service sold
    if kind == "agreement_change":              # a change must be named ("保留最终解释权" alone is not one),
        if not _CHANGE_WORD_RE.search(s):       # of the terms, not of a service or a market price
            return True
        return bool(_SERVICE_CHANGE_RE.search(s)) and not CHANGE_RE.search(s)
    if kind == "blanket_no_refund":             # issue 10's policy: a refusal with no carve-out, of more
        return not blanket_shape(s) or bool(_KIND_SUBJECT_RE.search(s) and not _SWEEP_WORD_RE.search(s))   # than one kind
    if kind == "no_refund_used":                # refused only for applying late: a time limit
        if not (REFUND_RE.search(s) or CANCEL_WORD_RE.search(s) or _PURCHASE_RE.search(s)):
            return True                         # "资料不实造成的损失由会员自行承担": no purchase at stake
        if (_SENT_TRIGGER_RE.search(s) and not (_USE_WORD_RE.search(s) or HEDGED_DELIVERY_RE.search(s)) and blanket_shape(s)) \
                or delivery_only_refusal(s):
            return True                         # "卡密一旦发出，不予退换", "发货后不退款": the sale rule, blanket alone
        if _ORDER_DONE_RE.search(s) and blanket_shape(s) and not re.search(r"下载|打开|访问", s) \
                and not _USE_WORD_RE.search(_ORDER_DONE_RE.sub("，", s)):
            return True                         # "订单状态一旦变成已完成，不接受退款": the delivery done, blanket alone
        if _KIND_SUBJECT_RE.search(s) and not (_SWEEP_WORD_RE.search(s) or USED_RE.search(s)):
            return True                         # one kind refused, no trigger: special alone (c5739, c5692)
        if _VOUCHER_KEPT_RE.search(s) and not (USED_RE.search(_VOUCHER_KEPT_RE.sub("，", s)) or BUYER_FAULT_RE.search(s)):
            return True                         # a voucher kept out of the refund: its amount
        return bool(LATE_RE.search(s) or _LATE_AFTER_RE.search(s)) and not USED_RE.search(s) and not BUYER_FAULT_RE.search(s)
    if kind == "evidence_required":             # a record looked in, a voucher redeemed, a real-name purchase
        found = [m for m in EVIDENCE_RE.finditer(s)
                 if not (EVIDENCE_NOT_PROOF_RE.match(s, m.end()) or EVIDENCE_NOT_PROOF_BEFORE_RE.search(s, 0, m.start())
                         or _PROVE_VERB_BEFORE_RE.search(s, 0, m.start()) or (m.group(0) == "凭证" and _CREDENTIAL_BEFORE_RE.search(s, 0, m.start()))
                         or _looked_into(s, m))]
        if found and ((SELLER_SUBJECT_RE.search(s) and not _BUYER_DUTY_RE.search(s)) or _SELLER_PROOF_RE.search(s)):
            return True                         # proof the seller owes ("卖家须上传发货证明")
        if not found and EVIDENCE_RE.search(s):
            return True
        if found and all(EVIDENCE_NEG_RE.search(s[subclause_start(s, m.start()):m.start()]) for m in found):
            return True                         # "无需提供任何证明": no proof is asked for
        if found and all(shop_made_proof(s, m) for m in found):
            return True                         # proof the shop or its worker makes
        words = {m.group(0) for m in found}     # a bare order number outside after-sales is no proof,
        if words <= {"订单号", "订单编号", "单号"}:  # nor one noted on a friend request ("备注订单号")
            return not AFTER_SALES_RE.search(s) or bool(_NOTE_ORDER_RE.search(s))
        return False
    return False
