"""Clause kinds as structure: wide word classes ("slots") and the slot pairs that define
each kind, given to the classifier as features (clause_model.py).

The rules' vocabulary (clause_vocab.py) is precise and was widened sentence by sentence on
the train split; on platforms nobody tuned on it recalls far less (clause_corpus/README.md).
A kind is a shape rather than a phrase: refund_unactivated is *a state before use or
delivery* + *a refund granted*; refund_activated_fee is *a refund* + *a deduction*;
blanket_no_refund is *a sweeping scope* + *a refusal* with no carve-out; complaint_channel
is *a route* (a desk, an outside body) + *a problem, a question or a request*.  The slots
below are wide synonym sets written from DOMAIN.md §5 and the seed article, so a paraphrase
that uses none of the rules' exact words still lights the same slot pair; the classifier
learns how much each pair is worth per kind.  Nothing here labels a sentence by itself.
"""
from __future__ import annotations

import re

# before use / delivery: "未兑换", "尚未发货", "开课前", "缺货", "无法如期开班"
NOT_YET = re.compile(
    r"(?:未|尚未|还未|还没有?|没有|没|暂未|不曾)(?:被)?(?:开始)?(?:使用|用|兑换|激活|提取|领取|发货|发送|发出|交付|送达|到账|充值|开通|"
    r"消费|登录|登陆|下载|观看|阅读|播放|开课|上课|开班|生效|出卡|提卡|发卡|核销|绑定|查看|打开|拆封|刮开|启用|续费|储值|转入|收到|拿到|"
    r"处理|受理|出票|上线|发售|兑现|履行|提供服务|完成)|"
    r"(?:使用|兑换|激活|提取|领取|发货|交付|开课|上课|开班|生效|到账|出卡|提卡|核销|开通|上线|发售|登录|下载|储值|转入)(?:之|以)?前|"
    r"待发货|缺货|无货|售罄|库存不足|预售|预购|(?:未|没)能(?:交付|发货|送达|开班|开课|到账|充值成功)|"
    r"(?:无法|不能|未能)(?:如期)?(?:开课|开班|发货|交付|送达|到账|提供服务)|停办|停运|停服|(?:充值|发货|交付|兑换|支付)失败|"
    r"(?:剩余|未使用|尚未使用|未消费|尚未消费)的?(?:部分|金额|点数|余额|天数|时长|次数|额度|期限|服务期)")
# used / consumed / delivered / expired: "已兑换", "一经使用", "开课后", "已过期"
USED_STATE = re.compile(
    r"(?<![未没尚])(?:已经?|一经|一旦)[^，。；;未没不]{0,4}?(?:被)?(?:使用|用|兑换|激活|提取|领取|发货|发送|发出|交付|送达|到账|充值|开通|"
    r"消费|登录|登陆|下载|观看|开课|上课|核销|绑定|查看|生效|储值|转入|拆封|刮开|启用|提卡|出卡|发卡|复制|打开|开始)|"
    r"(?<![未没尚])(?:使用|兑换|激活|开通|开课|上课|储值|充值|到账|登录|下载|生效|核销|提取|领取|发货)(?:之|以)?后|"
    r"(?:已|已经)?(?:过期|失效|到期)|逾期|消耗|用完|用掉|部分使用|开始使用|使用过|(?:服务|课程|订阅)(?:期间|开始)")
# a deduction from a refund: fees, percentages, shares, the used part
DEDUCT = re.compile(
    r"扣除|扣减|扣|减去|抵扣|折算|酌收|另收|收取|缴纳|自行(?:吸收|负担|承担)[^，。；;]{0,4}(?:费|成本)|"
    r"手续费|服务费|行政费|作业费|处理费|违约金|通道费|成本|差价|折旧|损耗|"
    r"\d+(?:\.\d+)?[ ]?%|百分之|[一二三四五六七八九]成|一半|半数|[二三四五六七八九十]分之[一二三四五六七八九]|按比例|按天|按月|按日|剩余")
# the whole range of goods or reasons: "一经售出", "所有商品", "任何理由", "全部或部分"
SWEEP = re.compile(
    r"一经|一旦|所有|全部|一切|任何|一律|均不|概不|恕不|不论|无论|不管|皆不|全数|全部或部分|部分或全部|不设|"
    r"(?:虚拟|数字|电子)(?:化)?(?:商品|产品|物品|货品|卡|礼品卡|内容)|本(?:站|店|平台|网站|商城|公司)(?:的)?(?:商品|产品|服务)")
# an exception that narrows a refusal
CARVE = re.compile(r"除(?:非)?|例外|另有规定|但(?:若|如|是)?[^，。；;]{0,8}(?:问题|故障|错误|瑕疵|无效|异常)|原则上|惟")
# a refusal word strong enough on its own: "不设退款", "恕不退换"
REFUSE = re.compile(
    r"(?:不|无法|不能|不可|不得|不予|不会|不再|不接受|不提供|不支持|不办理|不受理|恕不|概不|均不|一律不|没有义务)[^，。；;]{0,4}?"
    r"(?:退|返还|取消|撤销|补发|赔|受理)|不设退款|无退款|非退款|最终(?:销售|交易)")
# a refund or cancellation asked for or given
REFUNDISH = re.compile(r"退|返还|取消订单|撤销订单|撤单|赔付|赔偿|补偿|补发|更换|重发|换货")
# a route for the buyer: a desk, a contact, a form, an outside body
ROUTE = re.compile(
    r"客服|客户服务|支持团队|服务团队|帮助中心|服务中心|在线客服|人工|工单|邮件|邮箱|电邮|热线|专线|电话|来电|WhatsApp|whatsapp|QQ|微信|"
    r"联系我们|联系|联络|咨询|反馈|留言|私信|申诉|投诉|举报|争议|纠纷|调解|仲裁|法院|诉讼|起诉|12315|1950|消协|消费者(?:协会|委员会|服务)|"
    r"市场监管|平台介入|介入|应用商店|App ?Store|Google ?Play|苹果|谷歌|支付平台|支付机构|发卡行|银行")
# what a route is for: a problem, a question, a request
PROBLEM = re.compile(
    r"问题|疑问|疑义|异议|异常|争议|纠纷|故障|找不到|没收到|未收到|没有收到|失败|错误|不满|不符|帮助|协助|处理|办理|"
    r"取消|退|申请|请求|核实|查询|解决|补发|更换|投诉|申诉")
# a fault of the goods or the seller, or a cause outside the buyer
FAULT = re.compile(
    r"故障|错误|差错|异常|失败|无效|失效|瑕疵|缺陷|质量问题|不符|不一致|重复(?:扣款|扣费|支付|收费|发放|购买)|中断|"
    r"(?:无法|不能)(?:正常)?(?:使用|登录|兑换|激活|充值|访问|连接)|未送达|"
    r"(?:本|我)(?:公司|店|站|平台|会|方)(?:的)?原因|平台原因|系统(?:问题|原因|错误|故障)|技术(?:问题|原因|故障)|不可抗力|"
    r"招生不足|人数不足|停办|停运|停服|取消(?:课程|活动|服务)")
# the remedy for a fault
REMEDY = re.compile(r"退|返还|补发|重发|更换|换货|换卡|补偿|赔偿|赔付|补正|补足|修复|解决|处理")
# the buyer's own doing
BUYER = re.compile(
    r"个人(?:原因|因素|操作)|自身原因|自己|用户原因|本人|误操作|操作(?:失误|不当)|误购|误拍|误充|买错|拍错|填错|不慎|保管不当|"
    r"遗失|丢失|被盗|盗用|泄露|违规|违反|改变主意|不想要|不需要|不满意|忘记|未及时|自行承担|自负|由您|由用户")
# the buyer bears it: "损失自负", "一概不负责"
BEARS = re.compile(r"自行承担|自负|由(?:您|用户|买家|客户|会员)(?:自行)?(?:承担|负责)|不(?:承担|负|负责)|概不负责|不予(?:退还|赔偿|补发)")
# a length of time or a date bound
TIME = re.compile(
    r"(?:\d+|[一二三两四五六七八九十百半]+)[ ]?(?:个)?[ ]?(?:工作日|工作天|自然日|日|天|小时|分钟|周|星期|个月|月|年)|"
    r"当天|当日|次日|即时|立即|实时|期限|期间|时效|时限|有效期|之前|以前|之内|以内|内")
# where money goes back to
CHANNEL = re.compile(
    r"原路|原(?:支付|付款|付费)(?:方式|渠道|账户|途径|路径)?|余额|钱包|账户|帐户|信用卡|银行卡|借记卡|支付宝|微信|PayPal|paypal|退刷|"
    r"存回|退回到|退至|退到|返回到|卡内|点数|积分|现金|购买人|付款人|礼品卡|礼物卡|代金券|优惠券")
# proof: documents, records, pictures
PROOF = re.compile(
    r"凭证|凭据|截图|截屏|录屏|录像|视频|照片|图片|发票|收据|签单|收执联|记录|证明|证据|订单号|订单编号|交易号|流水号|编号|"
    r"身份证|户口本|材料|资料|账单|回执|ID\b")
# handing proof over or keeping it
PROOF_ACT = re.compile(r"提供|上传|提交|出示|附上|附带|备齐|备妥|备好|准备|保留|保存|留存|发送|发来|寄回|携带|填写|注明|凭")
# how terms change and take effect
CHANGE = re.compile(
    r"(?:修改|修订|变更|更新|调整|更改|增删|补充)(?:后的)?(?:本|这些|上述|相关|服务|使用)?(?:条款|协议|规则|政策|准则|须知|细则|规定|"
    r"费用|价格|计费|收费|标准|内容)|(?:条款|协议|规则|政策|准则|须知|细则|规定)(?:的)?(?:修改|修订|变更|更新|调整)")
CHANGE_HOW = re.compile(r"公告|公布|公示|通知|发布|生效|继续使用|视为(?:接受|同意)|停止使用|随时|提前|自行决定|有权|保留")
# a claim to interpret
INTERPRET = re.compile(r"解释")
RIGHT = re.compile(r"权|决定")

SLOTS = {name: rx for name, rx in globals().items() if isinstance(rx, re.Pattern)}


def slot_features(s: str, granted: bool, refused: bool) -> list[str]:
    """Slot names found in the normalised sentence ``s`` and the slot pairs that make up
    the kinds ("x:unused+refund"...); ``granted`` / ``refused``: refund polarity."""
    on = {name for name, rx in SLOTS.items() if rx.search(s)}
    out = ["s:" + name for name in sorted(on)]
    refuse = refused or "REFUSE" in on

    def pair(name: str, *need: str, when: bool = True) -> None:
        if when and all(n in on for n in need):
            out.append("x:" + name)

    pair("unused+granted", "NOT_YET", when=granted)
    pair("used+refused", "USED_STATE", when=refuse)
    pair("deduct+refund", "DEDUCT", "REFUNDISH")
    pair("sweep+refused", "SWEEP", when=refuse and "CARVE" not in on and "FAULT" not in on)
    pair("refused+uncarved", when=refuse and "CARVE" not in on and "FAULT" not in on and "NOT_YET" not in on)
    pair("route+problem", "ROUTE", "PROBLEM")
    pair("fault+remedy", "FAULT", "REMEDY")
    pair("buyer+refused", "BUYER", when=refuse or "BEARS" in on)
    pair("time+refund", "TIME", "REFUNDISH")
    pair("channel+refund", "CHANNEL", "REFUNDISH")
    pair("proof+act", "PROOF", "PROOF_ACT")
    pair("change+how", "CHANGE", "CHANGE_HOW")
    pair("interpret+right", "INTERPRET", "RIGHT")
    return out
