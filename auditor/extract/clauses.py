"""Refund / agreement clauses: split text into sentences, classify each sentence into zero
or more of DESIGN.md's clause kinds.

The rules are built from the vocabulary of DOMAIN.md §5 (how real refund terms of
virtual-goods shops are phrased), not from particular sentences.  They are
negation-aware: a refund word counts as *granted* only when no negation governs it in
its sub-clause ("不支持退款", "概不退换" are refusals; "无法使用的卡密可以退款" grants,
because a permissive modal sits between the negation and the refund word).

Kinds (stable ids): refund_unactivated, refund_activated_fee, no_refund_used,
platform_fault, special_goods_exclusion, blanket_no_refund, refund_channel,
refund_timeline, evidence_required, supplement_deadline, complaint_channel,
agreement_change, final_interpretation.
"""
from __future__ import annotations

import re

from cardshop_auditor.extract.text import cn_number, collapse, normalise

KINDS = ("refund_unactivated", "refund_activated_fee", "no_refund_used", "platform_fault",
         "special_goods_exclusion", "blanket_no_refund", "refund_channel", "refund_timeline",
         "evidence_required", "supplement_deadline", "complaint_channel", "agreement_change",
         "final_interpretation")

MAX_SENTENCE = 400

# ---- sentence splitting ----------------------------------------------------------------

_SPLIT = re.compile(r"(?<=[。！？；!?;])|\n")
_ONLY_PUNCT = re.compile(r"^[\W_\d]*$")


def split_sentences(text: str, keep_whole: bool = False) -> list[str]:
    """Sentences of a block: split after 。！？；!?; and at newlines; whitespace collapsed.
    ``keep_whole``: a table row, kept as one sentence."""
    if keep_whole:
        parts = [text]
    else:
        parts = _SPLIT.split(text)
    out = []
    for p in parts:
        s = collapse(p)
        if len(s) < 4 or _ONLY_PUNCT.match(s):
            continue
        if len(s) > MAX_SENTENCE:
            # an unpunctuated wall of text: cut at commas so each piece stays a clause
            pieces = re.split(r"(?<=[，,])", s)
            cur = ""
            for piece in pieces:
                if len(cur) + len(piece) > MAX_SENTENCE and cur:
                    out.append(cur)
                    cur = ""
                cur += piece
            if cur:
                out.extend(cur[i:i + MAX_SENTENCE] for i in range(0, len(cur), MAX_SENTENCE))
            continue
        out.append(s)
    return out


# ---- vocabulary ----------------------------------------------------------------------------

_PUNCT = r"，,。；;：:！!？?、\n"
_SUBCLAUSE = re.compile(rf"[{_PUNCT}]")

REFUND = r"(?:退(?!出|休|伍|役|步|让|烧|化|缩|避|回原页|回首页|回上)|返还|返款|退回)"
REFUND_RE = re.compile(REFUND)
# negations that govern a following refund word (longest first); "无需/无理由/不超过" are not
_NEG_CORE = (
    r"不予以|不予|不可以|不可|不能|不得|不再|不会|不允许|不给|不做|概不|恕不|一律不|均不|拒绝|拒不|禁止|无法|无权|没有|"
    r"不(?!需|用|必|影响|超过|少于|低于|满|同|论|管|限|定期|足|少|小于|大于|晚于|迟于|符|对|正确|正常|能正常|慎|当|法|明|良|久|断)|"
    r"无(?!需|须|理由|条件|忧|损|误|效|法定|论|任何|故)")
# a negation plus the verbs it carries ("不再支持", "无法申请", "不予办理") so a modal inside
# the negated verb group is not mistaken for a permission
NEG_RE = re.compile(rf"(?:{_NEG_CORE})(?:再|会|能|可以|可|得|予以|予|能够)?(?:支持|接受|提供|办理|予以|允许|同意|给予|进行|申请|受理|为您|给您)?")
MODAL_RE = re.compile(r"可以|可|支持|予以|允许|即可|方可|能够|准予|同意")
# refund words used as the head of a noun phrase: "退款政策" neither grants nor refuses
NOUN_HEAD_RE = re.compile(r"^(?:款|货|换|费)?(?:政策|规则|说明|流程|须知|条款|制度|标准|页面|按钮|入口|进度|时效|细则|指南)")
NEG_AFTER_RE = re.compile(r"^[^，,。；;]{0,12}?(?:不予受理|不被受理|不予处理|不予通过|被拒绝|将被拒绝|被驳回|无效|不成立|不予支持)")
LOSS_RE = re.compile(r"(?:损失|后果|责任|风险)(?:由)?(?:用户|买家|您|客户|消费者|本人|玩家|会员)?(?:本人)?(?:自行|自己)?(?:承担|自负|自担)|"
                     r"自行承担|后果自负|由(?:用户|买家|您|会员)(?:本人)?(?:自行)?承担")
# the buyer's own doing: the usual exclusions of no_refund_used ("个人原因", "误拍", "操作不当")
BUYER_FAULT_RE = re.compile(
    r"(?:用户|买家|您|客户|会员|玩家)?(?:个人|自身|本人|自己)原因|主观原因|不满意|不喜欢|不想要|不感兴趣|操作不当|保管不当|使用不当|"
    r"误操作|操作失误|误拍|误购|误充|买错|拍错|填错|填写错误|输入错误|虚假信息|余额不足|"
    r"违反[^，。；;]{0,10}(?:条款|规定|协议|规则)|(?:账号|帐号)(?:违规|被封|封停|封禁)|未(?:主动|及时)?(?:明确)?(?:取消|关闭)|忘记(?:取消|关闭|使用)|"
    r"中途(?:主动)?(?:取消|终止|退出|放弃)|(?:周期|有效期|服务期|订阅期)内[^，。；;]{0,4}(?:主动)?(?:取消|终止)")
# the platform takes no responsibility for something the buyer caused
NOT_LIABLE_RE = re.compile(r"不(?:承担|负|负责)(?:任何)?(?:赔偿)?责任|不予(?:受理|处理|赔付)|概不负责")

# "已激活但未使用": activated-but-unused is the fee case, not the unactivated one
ACT_UNUSED_RE = re.compile(r"(?:已(?:经)?(?:激活|提取|领取|绑定|开通|兑换|查看|复制|提卡|发货|发卡)|"
                           r"(?:激活|提取|领取|提卡)(?:后|之后))[^，。；;]{0,4}?(?:但|且|而|，|,|、)?[^，。；;]{0,3}?"
                           r"(?:未|尚未|没有)(?:使用|消费|兑换|充值|登录|绑定|激活)")
UNACT_RE = re.compile(
    r"(?:未|尚未|没有|没|还没有?|还未|暂未)(?:被)?(?:使用|兑换|激活|提取|领取|发货|发卡|提卡|充值|绑定|开通|生效|消费|查看|"
    r"处理|发放|交付|出卡|核销|下发|复制|读取|登录|登陆|上号|发出|送出|开课|续费|升级|到账)|"
    r"(?:未|尚未|没有|还没有?)(?:完成|成功)(?:充值|发货|交付|兑换|激活)|(?:终止|取消|关闭)交易|"
    r"(?:还没有?|尚未|没有|还未)(?:把|将)[^，。；;不]{1,6}?(?:发给|发送|交付|给你|给您|发出|发放)|"
    r"(?:发货|发卡|出卡|交付|交易)失败|(?<![已未])(?:使用|兑换|激活|提取|领取|查看|发货|发卡|绑定|处理|充值|制卡|出卡|受理)(?:中)?(?:之)?前|缺货|无货|库存不足|订单(?:未完成|关闭|取消)|(?<!已)待发货|未收到(?:卡密|商品|货)")
USED_RE = re.compile(
    r"(?<![未没尚])(?:已经?|一经|一旦)[^，。；;未没不]{0,6}?(?:被)?(?:使用|兑换|激活|提取|领取|充值|到账|消费|发货|发卡|发出|查看|复制|"
    r"绑定|开通|生效|登录|登陆|下载|上号|核销|读取|交付|提卡|出卡|发放|消耗|转移|转让|添加|授予|充入)|(?<![未没尚])被(?:使用|兑换|充值|激活|提取|领取|绑定|消耗)|"
    r"(?<![未没尚])(?:开始|完成)(?:交易|服务)(?:之?后)|一经(?!售出|出售|购买|下单|付款|支付|成交|拍下|售卖|提交)[\u4e00-\u9fff]{1,3}|"
    r"(?<![未没尚])(?:使用|兑换|激活|提取|充值|查看|复制|绑定|开通|领取|下载|登录|升级(?:配置)?|变更)(?:后|之后|以后|过|成功)|"
    r"误操作|操作失误|忘记使用|逾期未使用|过期未使用|超过有效期|(?:账号|帐号)(?:违规|被封|封停|封禁|被冻结|异常)|封号|封停|"
    r"卡密(?:已)?(?:泄露|被盗|外泄)|已过期|已失效|部分使用")
UNACT_WEAK_RE = re.compile(r"(?:未|尚未|没有)(?:充值成功|到账)|充值失败")
SWEEP_RE = re.compile(
    r"一经(?:售出|出售|购买|下单|付款|支付|发货|发出|售卖|成交|拍下|提交)|一旦(?:售出|出售|购买|下单|付款|支付|发货|成交)|"
    r"售出(?:后|之后|以后)?|所有|全部|任何(?:商品|情况|理由|原因|形式|产品)|一律|概不|均不|不退不换|恕不|"
    r"本(?:站|店|平台|网站|商城|系统)(?:所有|全部|出售|销售)?的?(?:商品|产品|卡密|服务)|虚拟(?:商品|产品|物品)|"
    r"数字(?:化)?(?:商品|产品)")
SOFTEN_RE = re.compile(
    r"除(?:非)?[^。；;]{0,40}?(?:外|以外|之外)|法律(?:法规)?(?:另有|规定)|另有约定|原则上|一般(?:情况下|而言)?|特殊情况|"
    r"质量问题|非[^，。；;]{0,8}(?:原因|问题|责任|过错)|但(?:是)?[^。；;]{0,30}(?:可|除外|允许|支持|予以)|除外|如遇|如有[^。]{0,10}(?:问题|异常)|"
    r"否则|若[^。]{0,20}(?:无效|问题|错误)|卡密(?:无效|错误)|平台(?:原因|问题|过错)")
NO_REASON_RE = re.compile(r"无理由|(?:七|7)天|(?:七|7)日")
SPECIAL_RE = re.compile(
    r"特殊[^，。；;]{0,4}(?:商品|产品|物品)|特价|限时|秒杀|促销|活动(?:商品|产品|期间|价|中)|定制|清仓|尾货|折扣|特惠|赠品|团购|拼团|"
    r""
    r"福利(?:商品|产品)|抽奖|盲盒|预售|优惠(?:商品|产品|券商品)|代充|附加产品|增值服务|试用(?:产品|商品|版)|定制|"
    r"(?:iOS|IOS|ios|苹果)[^，。；;]{0,6}(?:内|渠道)|消耗型|赠币|赠品|"
    r"(?:续费|升级|变更)(?:订单|操作)|(?:代金券|优惠券|折扣券)(?:购买|抵扣|支付)|(?:境外|海外|港澳台)|域名(?:注册|续费)?|备案服务|"
    r"物理机|独立服务器|优惠活动|参(?:加|与)[^，。；;]{0,6}活动")
# a list of categories ("对象存储、云数据库、试用产品等", "大硬盘类产品") refused as a group
SPECIAL_LIST_RE = re.compile(r"[^，。；;、]{1,10}(?:、[^，。；;、]{1,10})+等[^，。；;]{0,6}(?:产品|商品|项目|服务)|"
                             r"(?<![虚数])[^，。；;]{1,8}类(?:产品|商品|项目)|部分(?:项目|商品|产品)|"
                             r"(?:以外|之外)的(?:其他|其它)?(?:产品|商品|服务)|(?:只|仅)(?:适用于|限于)[^，。；;]{0,12}(?:产品|商品|服务|套餐)")
# a refund policy of its own ("以具体活动规则为准") or a stricter rule for the category
SPECIAL_OWN_RULE_RE = re.compile(r"以[^，。；;]{0,10}(?:活动|专题)?规则为准|另行(?:约定|规定)|更严格|单独(?:规定|约定)|不适用[^，。；;]{0,6}(?:以上|上述)")
DIGITAL_NO_REASON_RE = re.compile(
    r"(?:虚拟|数字(?:化)?|在线下载|已拆封|电子)[^。；;]{0,20}(?:不适用|不支持|不享受|不参与|不在|排除|除外)[^。；;]{0,12}"
    r"(?:无理由|(?:七|7)[天日])")
EXCLUDE_RE = re.compile(r"不适用|不支持|不予|不可|不退|无法退|除外|不享受|不参与|不在[^，。]{0,10}范围|概不|不接受|不能|不提供|不办理|限制|无法通过")

FAULT_RE = re.compile(
    r"(?:平台|系统|本站|本平台|我方|网站|商家|卖家|店铺|我们|本店|供货商|商户)(?:自身)?(?:的)?(?:原因|错误|故障|问题|失误|责任|过错|异常|bug|BUG)|"
    r"系统(?:错误|故障|异常|bug)|(?:发放|发货|发卡|充值)(?:错误|失败|异常)|重复(?:发放|发货|扣款|扣费|支付|收费|付款)|多扣|扣款异常|"
    r"卡密(?:提示|显示|显示为|提示为)?(?:无效|错误|失效|有误|不正确|不可用|无法使用|已被使用|被使用|已被他人使用|不能使用)|无效卡密|"
    r"发错(?:了)?(?:卡密|商品)|(?:被|卖家|号主|恶意)找回|"
    r"(?:无法|不能)(?:正常)?(?:使用|兑换|充值|激活|登录|登陆)|(?:与)?(?:商品|页面)?(?:描述|说明|宣传)不(?:符|一致)|(?:与)?(?:商品)?描述不符|与实际不符|货不对板|质量问题|未能(?:送达|到账|发货|交付)|发错|少发|漏发|"
    r"虚假宣传|服务未达|未达(?:到)?承诺|(?:商品|服务)(?:存在)?(?:缺陷|瑕疵)|"
    r"重复(?:购买|充值|下单)|扣款两次|扣了两次|错误收费|误扣|未经(?:本人)?授权的?(?:购买|扣款|消费)|"
    r"技术(?:原因|问题|故障)|(?:无法|不能)(?:正常)?(?:运行|观看|播放|完成激活|安装|激活|下载|打开)|(?:功能|服务|权益|系统)(?:异常|故障)|权益未生效|"
    r"(?:提示|显示|报错)[^，。；;]{0,4}(?:无效|错误|已被(?:他人)?使用|已使用|不存在|失效|已过期)|被他人(?:使用|兑换|充值)|"
    r"(?:卡密|卡号|激活码|兑换码|账号)[^，。；;]{0,6}(?:无效|失效|有误|不可用)|"
    r"到账金额不足|少到账|找回包赔|包赔(?:基金|协议|服务|承诺)|欺诈|信息不实|(?:被|遭)(?:卖家)?(?:恶意)?找回|出现差错|差错|与(?:图片|描述|商品描述|宣传)不(?:一致|符)|不一致")
FAULT_AS_MODIFIER = re.compile(r"的?(?:页面)?(?:截图|截屏|页面|提示|录屏|视频|证明|凭证|记录|报错)")
NOT_FAULT_BEFORE = re.compile(r"(?:非|不是|并非|不属于|排除|除)[^，。；;]{0,3}$")
USER_FAULT_RE = re.compile(r"(?:用户|买家|您|客户|个人|自身|自己|本人|玩家)(?:自身)?(?:的)?(?:原因|操作|失误|过错|问题|责任|疏忽)")
REMEDY_RE = re.compile(r"退|补发|补正|补足|补差|更换|换货|换卡|重发|重新发|补偿|赔偿|赔付|处理|解决|负责|承担|返还|退还|核实后|"
                       r"撤销|介入|包赔|换号|查明")

_FEE_WORD = r"(?:手续费|服务费|违约金|通道费|处理费|核验费|作废费)"
FEE_RE = re.compile(
    rf"(?:扣除|扣减|扣|收取|收|缴纳|承担|需付|另付)[^，。；;]{{0,15}}?{_FEE_WORD}|(?:扣除|扣减|收取)[^，。；;]{{0,10}}?(?:费用|成本)|"
    rf"{_FEE_WORD}[^，。；;]{{0,8}}?(?:\d+(?:\.\d+)?[ ]?%|百分之)|(?:\d+(?:\.\d+)?[ ]?%|百分之[一二三四五六七八九十]+)[^，。；;]{{0,6}}?{_FEE_WORD}|"
    r"扣除[^，。；;]{0,12}(?:金额|价值|赠品|差价|损耗)|(?:金额|价值|赠品|代金券|费用)[^，。；;]{0,10}(?:从|在)[^，。；;]{0,8}(?:退款|退费|款项)中?(?:扣除|扣减|扣)|扣除[^，。；;]{0,8}%|扣[^，。；;]{0,6}%|收取[^，。；;]{0,10}%|"
    r"(?:扣除|扣减|减去)[^，。；;]{0,12}(?:已用|已使用|使用|已消耗)|(?:按|根据)(?:实际|已)?(?:使用|用)[^，。；;]{0,10}(?:扣|折算|比例)|"
    r"按(?:比例|天|月|小时)扣|扣除[^，。；;]{0,12}费|按[^，。；;]{0,8}比例退|(?:每天|按天|按日)扣|乘以[^，。；;]{0,6}扣|折算[^，。；;]{0,8}后退|退(?:还|回)?剩余(?:金额|款项|费用|部分|服务期)|(?:扣除|扣减)[^，。；;]{0,10}违约金")
FEE_NEG_RE = re.compile(r"(?:不|无需|无须|免)(?:收取|扣除|扣|产生|需要?|额外)?(?:任何)?[^，。；;]{0,4}(?:手续费|服务费|费用|违约金)|"
                        r"免(?:收)?手续费|无(?:任何)?(?:手续费|服务费)|零手续费|0手续费|(?:手续费|服务费)[:：]?(?:无|0|免|为0|为零)")
PERCENT_RE = re.compile(r"(\d+(?:\.\d+)?)[ ]?%|百分之([一二三四五六七八九十两]+)")

CHANNEL_RE = re.compile(
    r"原路(?:退回|返回|退还|返还|退款|退至|退到)?|原(?:支付|付款)(?:方式|路径|渠道|账户|账号|途径)|"
    r"退(?:至|到|回)[^，。；;]{0,8}(?:余额|账户|帐户|钱包|支付宝|微信|银行卡|零钱|原)|"
    r"人工转账|手动转账|线下转账|"
    r"协商(?:退款|转账|处理方式|其他方式)|(?:其他|其它)退款方式|(?:返还|退还|退回)(?:至|到)|"
    r"(?:转入|存入|返至|返到|存回)[^，。；;]{0,8}(?:余额|钱包|账户|帐户)|退(?:回|还|至|到)[^，。；;]{0,10}(?:付款|支付)方式|"
    r"剩余(?:价值|金额|费用)[^。；;]{0,20}抵扣")
# where refunded money goes, as recorded on the clause: the site balance is the unfavourable one
BALANCE_RE = re.compile(r"(?:退|返|存|转)(?:至|到|回|入)?[^，。；;]{0,8}(?:余额|钱包)|余额[^，。；;]{0,4}(?:退款|退回)|退余额")
ORIGINAL_RE = re.compile(r"原路|原(?:支付|付款)(?:方式|路径|渠道|账户|账号|途径)|(?:购买|支付)时(?:使用)?的(?:付款|支付)方式")
MANUAL_RE = re.compile(r"人工转账|手动转账|线下转账|协商(?:退款|转账|处理方式|其他方式)")

_NUM = r"(?:\d+(?:\.\d+)?(?:[ ]?[-~～至到][ ]?\d+)?|[一二三两四五六七八九十半]+(?:[至到][一二三两四五六七八九十]+)?)"
TIME_RE = re.compile(rf"{_NUM}[ ]?(?:个)?[ ]?(?:工作日|自然日|个工作日|日|天|小时|分钟|h|周|个月|月)(?![a-z])")
WITHIN_RE = re.compile(r"^[ ]?(?:内|之内|以内|左右|后|前)|^[^，。；;]{0,8}?(?:到账|审|完成|处理|受理|退还|返还|退回|原路|办理)")
# a time is about refunds / after-sales only in a sentence that speaks of them (not a delivery time)
REFUNDY_RE = re.compile(r"退|售后|申请|款|赔|申诉|工单|受理|纠纷|仲裁|审核通过|问题(?:卡|订单|商品)|异常订单|补发")
TIME_CONTEXT_RE = re.compile(r"退|售后|审核|审批|初审|复核|受理|理赔|返还|款项|响应|提出|提交|处理|时效|(?<!发票)(?<!开票)申请(?!发票|开票|注销|提现|入驻|加盟|代理|开户|认证)")
TIME_NOT_REFUND_RE = re.compile(r"发票|开票|注销|提现|入驻|加盟|代理|开户|认证|投诉|申诉|举报")
# "最迟不超过3个工作日", "最长7天": an upper bound is a time limit wherever the number stands
BOUND_BEFORE_RE = re.compile(r"(?:不超过|不超出|最迟|最晚|最长|最多|至多|最快|一般|通常|预计|需要|需)[ ]?(?:在|于|为)?[ ]?$")
PERIOD_RE = re.compile(rf"(?:时间|时效|周期|期限)[^。；;]{{0,20}}?{_NUM}[ ]?(?:个)?[ ]?(?:工作日|自然日|日|天|小时)")
INSTANT_RE = re.compile(r"(?:即时|实时|秒|极速|立即|当天|当日|次日)(?:到账|退款|退回|原路|处理|审核)")
TIME_VAGUE_RE = re.compile(r"(?:到账|退款|处理|审核|申请)(?:的)?(?:时间|时效|期限|时限)[^。；;]{0,20}以[^。；;]{0,14}为准|一定(?:时间|期限)内|"
                           r"尽快(?:审核|处理|办理|退款|完成)|(?:退款|售后|退货|退课)(?:期|期限|时限)(?:结束|届满|过后|之后|以外)|(?:错过|超过|超出)[^，。；;]{0,6}时效|"
                           r"(?:请|须|需|应)(?:在|于)[^，。；;]{1,14}(?:前|之前)(?:提出|申请|反馈|联系)|冷静期|保护期内|"
                           r"(?:几|数|若干)(?:个)?工作日|(?:到账|退款|处理|审核)(?:的)?(?:时间|时效|周期)[^，。；;]{0,4}(?:更长|较长|延长)|"
                           r"超过[^，。；;]{0,14}(?:期限|时限|时效)[^。；;]{0,12}(?:拒绝|驳回|不予|不再)")
# "购买已超过七天的，不予退款": a late application refused is a time limit, not a used-goods refusal
LATE_RE = re.compile(r"(?:超过|超出|已过|过了|逾期)[^。；;]{0,14}(?:天|日|小时|周|月|年|期|期限|有效期|时限|时效)[^。；;]{0,8}"
                     r"(?:不予|不再|不支持|不能|不可|不接受|不受理|拒绝|无法)")
USED_AMOUNT_BEFORE_RE = re.compile(r"(?:已用|已使用|使用了|用了|已经用了)[ ]?$")
EXPIRE_RE = re.compile(r"超过[^，。；;]{0,14}(?:不予|不退|不再|不支持|不能|不可)|逾期[^，。；;]{0,10}(?:视为|不予|不再|将|作废|放弃|关闭)|超过[^，。；;]{0,12}(?:视为放弃|不予受理|不再受理|不予处理)|"
                       r"(?:超时|过期)[^，。；;]{0,6}(?:作废|关闭|驳回|视为放弃|不予受理|失效)")

SUPP_RE = re.compile(r"补充|补交|补全|补齐|补传|补提交|补正材料|重新提交|完善(?:相关)?(?:材料|资料|信息)|补充提供")
SUPP_CONSEQ_RE = re.compile(r"(?:否则|逾期|超时|过期|未按时|未在)[^。；;]{0,20}(?:作废|驳回|关闭|视为放弃|不予受理|取消|失效|撤销|撤回|放弃|不予处理|终止)")

EVIDENCE_RE = re.compile(r"截图|截屏|录屏|录像|视频|凭证|证据|证明|聊天记录|订单号|订单编号|单号|照片|图片|付款记录|支付记录|"
                         r"交易记录|(?<!对)账单|错误提示|报错信息|截图证明|身份证|户口本|(?:充值|消费|沟通|物流|订单|登录|交易|购买)记录|"
                         r"流水号|机器码|订单详情(?:页)?|证明材料|凭证材料|日志")
EVIDENCE_ACT_RE = re.compile(r"(?:提供|上传|提交|出示|附上|附带|附|保留|留存|保存|收集|准备|备好|截取|录制|拍摄|截图|需要|需|须|必须|凭|应当|发送|携带|携|导出)"
                             r"[^。；;]{0,14}$")
# the buyer is asked for it (not "we can provide invoices")
EVIDENCE_DEMAND_RE = re.compile(r"需|须|请|应|要|务必|必须|凭")
EVIDENCE_CONTEXT_RE = re.compile(r"退|售后|申诉|投诉|补发|核实|审核|理赔|赔付|核验|维权|纠纷|客服|证据|异常|问题|申请|验证")
EVIDENCE_NEG_RE = re.compile(r"(?:无需|无须|不需|不用|不必|免)(?:提供|上传|提交)?[^，。；;]{0,6}$")

COMPLAINT_RE = re.compile(
    r"申诉|投诉|工单|包赔申请|赔付申请|(?<!\d)(?:12315|12345)(?!\d)|消费者协会|消协|黑猫|调解|仲裁|诉讼|起诉|人民法院|法院|市场监督管理|市场监管|监管部门|"
    r"举报|维权|纠纷(?:解决|处理|调解)|解决纠纷|争议解决|解决争议|协商不成")
STRONG_COMPLAINT_RE = re.compile(r"申诉|投诉|(?<!\d)(?:12315|12345)(?!\d)|消费者协会|消协|黑猫|调解|仲裁|诉讼|起诉|法院|市场监督管理|市场监管|监管部门|维权")
# customer service counts as a complaint route when it is offered for disputes, or with a response time
CS_RE = re.compile(r"客服|联系我们|联系平台|联系商家|联系卖家|发消息给我们|与我们联系|站内信|客服邮箱|热线|人工")
# the buyer is sent to customer service ("联系客服", "咨询在线客服", "通过工单联系"), not told what it does
CS_ROUTE_RE = re.compile(r"(?:联系|咨询|找|添加|加|通过|向|私信|拨打|发送(?:给|至|到)?|留言|反馈(?:给|至)?|转)[^，。；;]{0,10}"
                         r"(?:客服|人工|热线|卖家|商家|平台|我们|店铺|售后|支付方|发卡行)|联系我们|与我们联系|发消息给我们|站内信留言|"
                         r"客服(?:平台|中心|系统|入口|渠道)|(?:有|如有|遇到)问题[^，。；;]{0,4}(?:请|可)?(?:直接)?(?:留言|私信)|"
                         r"售后问题[^。；;]{0,16}(?:处理|回复|解决)|与[^，。；;]{0,8}(?:客服|我们|平台)(?:沟通|联系|协商)")
CS_PROBLEM_RE = re.compile(r"问题|异常|售后|退款|退订|退货|申请|反馈|核实|核查|说明情况|咨询|疑问|协商|介入|冻结|理赔|补发|更换|"
                           r"未到账|未显示|没有显示|失败|错误|无效|处理|解决|帮助|纠纷|止付|确认|查询|撤销|重复扣")
# mentions of disputes that are not a route ("争议解决条款", "适用…法律", the seller threatening to complain)
COMPLAINT_NOT_RE = re.compile(r"争议解决(?:和|及|、)?(?:司法管辖|法律适用)?(?:的)?条款|(?:解释|争议解决)[^，。；;]{0,6}适用|投诉封号|"
                              r"纠纷处理流程、|阅读[^。；;]{0,12}(?:纠纷|争议)")
ISSUE_RE = re.compile(r"异议|不满|不服|争议|不认可|不同意")
CS_RESPONSE_RE = re.compile(r"(?:小时|分钟|工作日|天)[^，。；;]{0,3}(?:内)?[^，。；;]{0,6}(?:响应|回复|答复)")

CHANGE_RE = re.compile(
    r"(?:修改|修订|变更|更新|调整|补充|废止)[^，。；;]{0,10}(?:协议|条款|规则|政策|须知|服务内容|本协议|规定|声明|守则|规范)|"
    r"(?:协议|条款|规则|政策|须知|规定|声明|守则)[^，。；;]{0,10}(?:修改|修订|变更|更新|调整|补充)|本版[^，。；;]{0,8}更新")
CHANGE_HOW_RE = re.compile(r"公示|公告|通知|公布|发布|生效|继续使用|停止使用|取消|视为|有权|保留|随时|另行通知|告知|提前|日起|期满|之日|"
                           r"写明|注明|标明|载明|为准|下单时的|适用")
CONSENT_RE = re.compile(
    r"(?:继续使用|点击|勾选|下单|付款|支付|注册|购买|拍下|使用本|访问|登录|提交订单)[^。；;]{0,30}?(?:即|则|均|就)?(?:视为|表示|代表|意味着)"
    r"[^。；;]{0,12}(?:同意|接受|认可|知晓|已阅读|理解)")
FINAL_RE = re.compile(r"(?:最终|最后)(?:的)?解释权|(?:最终|最后)由[^，。；;]{0,8}(?:负责)?解释|解释权(?:归|属于|由|为)|保留[^。；;]{0,12}解释权|享有[^。；;]{0,6}解释权|拥有[^。；;]{0,6}解释权")

# any sentence worth classifying contains one of these (cheap pre-filter)
HINT_RE = re.compile(
    r"退(?!出)|售后|解释权|申诉|投诉|工单|客服|截图|截屏|录屏|凭证|证据|协议|条款|规则|须知|手续费|服务费|违约金|原路|余额|到账|"
    r"工作日|小时|特价|定制|特殊|调解|仲裁|诉讼|12315|消协|补充|补交|概不|补发|生效|公示|卡密|重复|扣款|返还|赔|举报|维权|纠纷|"
    r"视为|订单号|证明|法院|监督|损失|自行承担|自负|误操作|封停|封号|审|修改|修订|变更|调整|更新|解释|承担|责任|联系|"
    r"记录|身份证|户口本|凭|找回|包赔|赔付|差错|异常|撤销|扣|热线|邮箱")
# sentences on ordinary pages are considered only when about refunds / after-sales
REFUNDISH_RE = re.compile(r"退(?:款|货|换|订|还|费|回|单|钱)|不退|可退|概不退|售后|解释权|返还")

# "一经售出概不退换", "一经购买，提取后概不退款": a sweeping refusal whatever condition follows
ONE_SHOT_RE = re.compile(r"(?:付费|付款|支付|购买|下单)即[^。；;]{0,24}?(?:不退款|不予退款|概不退|不退不换)|(?:一经|一旦)(?:售出|出售|售卖|购买|下单|付款|支付|成交|拍下|发货|发出)[^。；;]{0,24}?"
                         r"(?:概不|不退|不予|不支持|不接受|恕不|均不|无法退|不能退|不可退|一律不)|"
                         r"^[^，。；;]{0,6}(?:购买|付款|支付|下单|售出)(?:成功)?(?:后|之后)[，,]?(?:一律|均|概)?"
                         r"(?:不予|不支持|不可|不能|概不|不)(?:以)?退")
_USE_VERB_RE = re.compile(r"使用|兑换|激活|提取|充值|查看|复制|绑定|开通|领取|登录|登陆|下载|消耗|到账|生效|核销|读取|上号|提卡|出卡|"
                          r"转移|转让|添加|升级|变更|泄露|被盗|外泄|过期|失效|封|违规|误|忘记|逾期|超过")
_SCOPE_RE = re.compile(r"(?:以外|之外)的(?:其他|其它)?(?:产品|商品|服务)|(?:只|仅)(?:适用于|限于)")
# "七天内无理由退款": a cooling-off window for goods not used
NO_REASON_WINDOW_RE = re.compile(r"(?:\d+|[一二三四五六七八九十]+)(?:个)?(?:天|日|自然日)(?:内|以内)(?:可|可以|支持|享受)?(?:申请)?无理由退")
_WITHDRAWAL_RE = re.compile(r"[^，。；;]*提现[^，。；;]*")
# a refund window after purchase ("购买后十四天内…均可申请退款", "自开通之日起七十二小时内…全额退")
WINDOW_RE = re.compile(r"(?:购买|开通|注册|下单|新购|付款|充值|支付)(?:之日起|后|成功后)?[^，。；;]{0,6}?"
                       r"(?:\d+|[一二三四五六七八九十两]+)(?:个)?(?:自然日|工作日|天|日|小时)(?:内|以内|之内)")

# a help-centre question ("如何提交售后工单？") asks, it does not state a rule
_FAQ_QUESTION = re.compile(r"^[^，。；;！!]{0,30}[？?]$")
_QUESTION_HEAD = re.compile(r"是否[^:：，,]{0,6}[:：]")


# ---- polarity ----------------------------------------------------------------------------------

def _subclause_start(s: str, pos: int) -> int:
    i = pos - 1
    while i >= 0:
        if s[i] in _PUNCT:
            return i + 1
        i -= 1
    return 0


_ASKS_RE = re.compile(r"是否(?:支持|可以|能够?|可|允许|接受)?(?:申请)?$")


def refund_polarity(s: str) -> tuple[bool, bool]:
    """(granted, refused): is some refund word in ``s`` granted, is some refused."""
    granted = refused = False
    for m in REFUND_RE.finditer(s):
        start = _subclause_start(s, m.start())
        before = s[start:m.start()]
        after = s[m.end():m.end() + 16]
        if _ASKS_RE.search(before):
            continue                    # "是否支持退款": a question, neither granted nor refused
        negs = list(NEG_RE.finditer(before))
        neg = False
        if negs:
            last = negs[-1]
            between = before[last.end():]
            neg = not MODAL_RE.search(between)
        if not neg and NEG_AFTER_RE.match(after):
            neg = True
        if neg:
            refused = True
        elif not NOUN_HEAD_RE.match(after):
            granted = True
    if LOSS_RE.search(s):
        refused = True
    return granted, refused


def _positive_word(s: str, rx: re.Pattern) -> bool:
    """Does ``rx`` match somewhere in ``s`` without a negation governing it?"""
    for m in rx.finditer(s):
        start = _subclause_start(s, m.start())
        before = s[start:m.start()]
        negs = list(NEG_RE.finditer(before))
        if negs and not MODAL_RE.search(before[negs[-1].end():]):
            continue
        return True
    return False


def fee_percent(s: str) -> int | None:
    """The percentage nearest a fee word ("扣除10%-20%手续费" -> 10)."""
    anchors = [m.start() for m in re.finditer(r"手续费|服务费|违约金|扣|收取|费用", s)]
    best = None
    for m in PERCENT_RE.finditer(s):
        if m.group(1):
            try:
                val = int(float(m.group(1)))
            except ValueError:
                continue
        else:
            val = cn_number(m.group(2))
            if val is None:
                continue
        if not 0 < val < 100:
            continue
        dist = min((abs(m.start() - a) for a in anchors), default=10_000)
        if best is None or dist < best[0]:
            best = (dist, val)
    return best[1] if best else None


CANCEL_RE = re.compile(r"(?:可|可以|支持|允许|能够?|即可)(?:申请|自行|直接|主动)?(?:撤销|取消|撤回|撤单)(?:订单)?")
_EVIDENCE_VERB = re.compile(r"提供|上传|提交|出示|附上|附带|截取|录制|拍摄|发送")


def _channel_facts(s: str) -> dict:
    """Where the refunded money goes; "balance" (the site's own balance, often not
    withdrawable) is the unfavourable one and is recorded as such."""
    if MANUAL_RE.search(s):             # the original route is gone: a negotiated transfer
        return {"channel": "manual"}
    if ORIGINAL_RE.search(s):
        return {"channel": "original"}
    if BALANCE_RE.search(s):
        return {"channel": "balance"}
    return {}


def _in_evidence_object(s: str, m: re.Match) -> bool:
    """Is the match inside the object of a demand for proof ("提供[未到账的充值记录]截图")?"""
    start = _subclause_start(s, m.start())
    before = s[start:m.start()]
    end = _SUBCLAUSE.search(s, m.end())
    after = s[m.end():end.start() if end else len(s)]
    return bool(_EVIDENCE_VERB.search(before) and EVIDENCE_RE.search(after))


# ---- classification --------------------------------------------------------------------------------

_MEMO: dict[str, list] = {}


def classify(sentence: str) -> list[tuple[str, dict]]:
    """Clause kinds of one sentence, each with extra facts (``fee_percent``).  Memoised:
    shops repeat the same notices and footers on every page."""
    hit = _MEMO.get(sentence)
    if hit is None:
        hit = _combined(sentence)
        if len(_MEMO) > 20000:
            _MEMO.clear()
        _MEMO[sentence] = hit
    return [(k, dict(e)) for k, e in hit]


def _combined(sentence: str) -> list[tuple[str, dict]]:
    """The rules, with the corpus-trained classifier adding the kinds it is confident of and
    dropping a rule's kind it is confident is wrong (clause_model.py)."""
    ruled = rule_classify(sentence)
    if not _worth_a_look(sentence):
        return ruled
    from cardshop_auditor.extract.clause_model import model_kinds
    kinds = model_kinds(sentence, [k for k, _ in ruled])
    out = [(k, e) for k, e in ruled if k in kinds]
    s = normalise(sentence)
    for k in KINDS:
        if k in kinds and all(k != r for r, _ in ruled):
            extra = {}
            if k == "refund_activated_fee":
                extra = {"fee_percent": fee_percent(_WITHDRAWAL_RE.sub("", s))}
            elif k == "refund_channel":
                extra = _channel_facts(s)
            out.append((k, extra))
    return out


# customer-service hours alone ("客服在线时间：9:00-23:00") are not a route for problems
# an order number is proof only when asked for about a refund or a problem
_AFTER_SALES_RE = re.compile(r"退|售后|申诉|投诉|补发|核实|审核|理赔|赔付|维权|纠纷|异常|问题|申请|未到账|失败|无效")
_CS_HOURS_RE = re.compile(r"(?:客服|人工|服务|在线|工作|营业)(?:在线|工作|服务|接待)?时间")


def convention_excludes(kind: str, sentence: str) -> bool:
    """The written labelling conventions (clause_corpus/README.md) that a resemblance must
    not override: the classifier may not *add* a kind these rule out."""
    s = normalise(sentence)
    if kind == "refund_activated_fee":          # a withdrawal fee is not a refund fee (issue 10)
        return not FEE_RE.search(_WITHDRAWAL_RE.sub("", s))
    if kind == "complaint_channel":             # opening hours alone are not a complaint route
        return bool(_CS_HOURS_RE.search(s)) and not CS_PROBLEM_RE.search(_CS_HOURS_RE.sub("", s))
    if kind == "no_refund_used":                # refused only for applying late: a time limit
        return bool(LATE_RE.search(s)) and not USED_RE.search(s) and not BUYER_FAULT_RE.search(s)
    if kind == "evidence_required":
        found = list(EVIDENCE_RE.finditer(s))
        if found and all(EVIDENCE_NEG_RE.search(s[_subclause_start(s, m.start()):m.start()]) for m in found):
            return True                         # "无需提供任何证明": no proof is asked for
        words = {m.group(0) for m in found}     # a bare order number outside after-sales is no proof
        return words <= {"订单号", "订单编号", "单号"} and not _AFTER_SALES_RE.search(s)
    return False


def _worth_a_look(sentence: str) -> bool:
    """A sentence the classifier may label although no rule fired: long enough to be a
    rule (not a link or a button), with a word clauses use, not a section title."""
    s = normalise(sentence)
    return (len(_HAN.findall(s)) >= 8 and bool(HINT_RE.search(s)) and not is_heading_line(s)
            and not _FAQ_QUESTION.match(s))


_HAN = re.compile(r"[\u4e00-\u9fff]")


def is_heading_line(s: str) -> bool:
    """A section title ("五、退款方式和时间", "第八条 协议的修改", "购买须知（下单即代表同意）"),
    not a clause: short, unpunctuated, numbered or naming a document, and saying nothing
    (no modal or negation: "1. 一经售出概不退换" is a clause)."""
    s = s.strip()
    if len(s) > 24 or _SENTENCE_PUNCT.search(s.rstrip(":：")):
        return False
    if _HEADING_SAYS.search(_HEADING_ASIDE.sub("", s)):
        return False
    return bool(_HEADING_ENUM.match(s) or _HEADING_TITLE.fullmatch(s))


_SENTENCE_PUNCT = re.compile(r"[，,。；;！!？?]")
_HEADING_ENUM = re.compile(r"^(?:第[一二三四五六七八九十百零\d]+[条章节部分]|[一二三四五六七八九十]+[、.．]|"
                           r"[(（][一二三四五六七八九十\d]+[)）]|\d+(?:\.\d+)*[、.．]?(?!\d))[ ]*\S")
_HEADING_TITLE = re.compile(r"[^，,。；;]{0,14}(?:须知|协议|条款|规则|政策|说明|声明|细则|指南|公告|事项)"
                            r"[ ]*(?:[(（【][^)）】]{0,16}[)）】])?")
_HEADING_ASIDE = re.compile(r"[(（【][^)）】]{0,16}[)）】]")
_HEADING_SAYS = re.compile(r"不|概|无法|可以|可|须|需|应|将|会|视为|即|均|请|严禁|禁止|仅|只|自行|有权|保留|归|拥有|享有|"
                           r"退回|退还|到账|提供")


def rule_classify(sentence: str) -> list[tuple[str, dict]]:
    """The kinds the hand-written rules give one sentence (not memoised)."""
    s = normalise(sentence)
    if not HINT_RE.search(s):
        return []
    if is_heading_line(s) or _FAQ_QUESTION.match(s):
        return []
    s = _QUESTION_HEAD.sub("：", s)
    kinds: list[tuple[str, dict]] = []
    granted, refused = refund_polarity(s)
    has_refund = bool(REFUND_RE.search(s))
    used = bool(USED_RE.search(s))
    unact = bool(UNACT_RE.search(s))
    soft = bool(SOFTEN_RE.search(s))
    special = bool(SPECIAL_RE.search(s))
    fault_hit = None
    for m in FAULT_RE.finditer(s):
        if NOT_FAULT_BEFORE.search(s[max(0, m.start() - 4):m.start()]):
            continue
        if FAULT_AS_MODIFIER.match(s, m.end()):
            continue
        fault_hit = m
        break
    if not unact and fault_hit is None:
        # "充值未到账" is the unactivated case unless a fault is named ("充值失败的截图" is evidence)
        unact = any(not FAULT_AS_MODIFIER.match(s, m.end()) for m in UNACT_WEAK_RE.finditer(s))

    if unact:
        # "请提供未使用的卡密截图": the state describes the proof asked for, not a refundable case
        unact = any(not _in_evidence_object(s, m) for m in UNACT_RE.finditer(s)) or \
            any(not _in_evidence_object(s, m) for m in UNACT_WEAK_RE.finditer(s))
    cancel = bool(CANCEL_RE.search(s)) and not refused
    fee_text = _WITHDRAWAL_RE.sub("", s)          # a withdrawal fee (提现手续费) is not a refund fee
    fee_hit = FEE_RE.search(fee_text) and not FEE_NEG_RE.search(fee_text)
    window = (WINDOW_RE.search(s) or NO_REASON_WINDOW_RE.search(s)) and granted and not refused and fault_hit is None and not fee_hit
    if (unact and (granted or cancel) and not ACT_UNUSED_RE.search(s)) or window:
        kinds.append(("refund_unactivated", {}))

    if ((has_refund or "取消订单" in s or used) and fee_hit
            and (granted or not refused or re.search(_FEE_WORD, fee_text))):
        kinds.append(("refund_activated_fee", {"fee_percent": fee_percent(fee_text)}))

    buyer_fault = BUYER_FAULT_RE.search(s)
    if used and ONE_SHOT_RE.search(s) and not any(_USE_VERB_RE.search(m.group(0)) for m in USED_RE.finditer(s)):
        used = False                # "一经拍下发货概不退款": the sale itself, not a use of the goods
    # "卡密提示无效或已被使用的，核实后补发": the used state describes the fault, not a refusal
    fault_remedied = fault_hit is not None and _positive_word(s, REMEDY_RE)
    if (used and refused and not fault_remedied) or (buyer_fault and (refused or NOT_LIABLE_RE.search(s)) and not granted):
        kinds.append(("no_refund_used", {}))

    if fault_hit is not None and not USER_FAULT_RE.search(s[:fault_hit.start()]) and _positive_word(s, REMEDY_RE):
        kinds.append(("platform_fault", {}))

    scope = _SCOPE_RE.search(s) and not unact      # "云服务器以外的产品", "仅适用于云服务器"
    special_list = SPECIAL_LIST_RE.search(s) and (scope or not SWEEP_RE.search(s))
    if ((special or special_list) and (EXCLUDE_RE.search(s) or refused or SPECIAL_OWN_RULE_RE.search(s) or scope)) \
            or DIGITAL_NO_REASON_RE.search(s):
        kinds.append(("special_goods_exclusion", {}))

    # a sweeping refusal with no carve-out for defects or platform fault; naming a trigger
    # ("一经提取", "充值后") does not narrow it (issue 10)
    uncarved = refused and has_refund and not soft and fault_hit is None and not NO_REASON_RE.search(s)
    if uncarved and not scope and (ONE_SHOT_RE.search(s) or (
            not used and not buyer_fault and not special and not special_list and SWEEP_RE.search(s) and not (unact and granted)
            and not ACT_UNUSED_RE.search(s))):
        kinds.append(("blanket_no_refund", {}))

    if CHANNEL_RE.search(s) and (has_refund or "原路" in s or MANUAL_RE.search(s)):
        kinds.append(("refund_channel", _channel_facts(s)))

    supplement = False
    has_time = False
    for m in TIME_RE.finditer(s):
        if USED_AMOUNT_BEFORE_RE.search(s[max(0, m.start() - 6):m.start()]):
            continue                    # "已用半个月": an amount used, not a time limit
        if WITHIN_RE.match(s[m.end():m.end() + 12]) or BOUND_BEFORE_RE.search(s[max(0, m.start() - 8):m.start()]):
            has_time = True
            break
    if SUPP_RE.search(s) and (has_time or SUPP_CONSEQ_RE.search(s)):
        supplement = True
    elif EVIDENCE_RE.search(s) and SUPP_CONSEQ_RE.search(s) and has_time:
        supplement = True
    if supplement:
        kinds.append(("supplement_deadline", {}))
    elif (TIME_CONTEXT_RE.search(s) and REFUNDY_RE.search(s) and not (TIME_NOT_REFUND_RE.search(s) and "退" not in s)
          and (has_time or INSTANT_RE.search(s) or EXPIRE_RE.search(s) or PERIOD_RE.search(s)
               or TIME_VAGUE_RE.search(s) or LATE_RE.search(s))):
        kinds.append(("refund_timeline", {}))

    for m in EVIDENCE_RE.finditer(s):
        before = s[_subclause_start(s, m.start()):m.start()]
        if len(before) > 30:
            before = before[-30:]
        direct = m.group(0) in ("录屏", "截图", "截屏", "录像", "拍照") and before.endswith(("请", "请先", "需", "须"))
        demanded = direct or EVIDENCE_DEMAND_RE.search(before) or EVIDENCE_CONTEXT_RE.search(s)
        if demanded and (direct or EVIDENCE_ACT_RE.search(before)) and not EVIDENCE_NEG_RE.search(before):
            if m.group(0) in ("订单号", "订单编号", "单号") and not EVIDENCE_CONTEXT_RE.search(s):
                continue
            kinds.append(("evidence_required", {}))
            break

    routes = COMPLAINT_NOT_RE.sub("", s)
    if (COMPLAINT_RE.search(routes)
            or (CS_RE.search(s) and (ISSUE_RE.search(s) or CS_RESPONSE_RE.search(s)))
            or (CS_ROUTE_RE.search(s) and CS_PROBLEM_RE.search(s))):
        kinds.append(("complaint_channel", {}))

    # how changes are announced / take effect; "付款即表示接受本协议" alone is consent, not a change
    if CHANGE_RE.search(s) and (CHANGE_HOW_RE.search(s) or CONSENT_RE.search(s)):
        kinds.append(("agreement_change", {}))

    if FINAL_RE.search(s):
        kinds.append(("final_interpretation", {}))
    return kinds
