"""The vocabulary of the clause rules (clause_rules.py): regular expressions built from
DOMAIN.md §5, how real refund terms of virtual-goods shops are phrased, and the paraphrased
wording of the clause corpus.  Kept apart from the rules that combine them so each module
stays readable; nothing here decides a kind on its own.

This module holds the words every rule reads (refund words, negations, the pre-filter,
question shapes, the agreement's own clauses) and re-exports the topic modules, so callers
import from here alone; clause_model's cue features are the ``*_RE`` names of this module.
"""
from __future__ import annotations

import re

from cardshop_auditor.extract.clause_vocab_used import *  # noqa: F401,F403
from cardshop_auditor.extract.clause_vocab_blanket import *  # noqa: F401,F403
from cardshop_auditor.extract.clause_vocab_fault import *  # noqa: F401,F403
from cardshop_auditor.extract.clause_vocab_money import *  # noqa: F401,F403
from cardshop_auditor.extract.clause_vocab_time import *  # noqa: F401,F403
from cardshop_auditor.extract.clause_vocab_route import *  # noqa: F401,F403

PUNCT = r"，,。；;：:！!？?、\n"
SUBCLAUSE_RE = re.compile(rf"[{PUNCT}]")

REFUND = r"(?:退(?!出|休|伍|租(?!金)|役|步|让|烧|化|缩|避|回原页|回首页|回上)|返还|返款|退回|拿回(?=[^，。；;]{0,4}(?:款|钱|费)))"
REFUND_RE = re.compile(REFUND)
# negations that govern a following refund word (longest first); "无需/无理由/不超过" are not
NEG_CORE = (
    r"不符合(?=[^，。；;]{0,2}退|$)|不予以|不予|不可以|不可|不能|不得|不再|不会|不允许|不给|不做|概不|恕不|一律不|均不|有权(?:拒绝|驳回)|拒绝|拒不|禁止|无法|无权|没有|没办法|没法|"
    r"不(?!需|用|必|附(?:任何)?条件|说明(?:理由|原因)|问(?:理由|原因)|讲(?:理由|原因)|要(?:理由|原因)|影响|超过|少于|低于|满|同|论|管|限|定期|足|少|小于|大于|晚于|迟于|符|对|正确|正常|能正常|慎|当|法|明|良|久|断)|"
    r"无(?!需|须|理由|条件|忧|损|误|效|法定|论|任何|故|息|偿)")
# a negation plus the verbs it carries ("不再支持", "无法申请", "不予办理") so a modal inside
# the negated verb group is not mistaken for a permission
NEG_RE = re.compile(rf"(?:{NEG_CORE})(?:再|会|能|可以|可|得|予以|予|能够)?(?:支持|接受|提供|办理|予以|允许|同意|给予|进行|申请|受理|为您|给您)?")
MODAL_RE = re.compile(r"可以|可|支持|予以|允许|即可|方可|能够|准予|同意")
# refund words used as the head of a noun phrase: "退款政策" neither grants nor refuses
NOUN_HEAD_RE = re.compile(r"^(?:款|货|换|费)?(?:政策|规则|说明|流程|须知|条款|制度|标准|页面|按钮|入口|进度|时效|细则|指南|资格|权利|权(?!益))")
NEG_AFTER_RE = re.compile(r"^[^，,。；;]{0,12}?(?:的[，,]|[^，,。；;]{0,2}申请[，,](?:我们|平台|本站|本店|公司|商家|卖家)?)?(?:将|会|均|一律|概)?(?:有权(?:拒绝|驳回)|(?:可能)?(?:受限|受到限制)|不予受理|不被受理|不予处理|不予办理|不予通过|被拒绝|将被拒绝|被驳回|无效|不成立|不予支持)")

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
    r"退(?!出)|售后|解释权|更换|换货|失误|不一致|不符|无效|失效|受理|保证期|质保|最终(?:交易|销售|款项)|申诉|投诉|工单|客服|截图|截屏|录屏|凭证|证据|流水|求助|协议|条款|规则|须知|手续费|服务费|违约金|原路|余额|到账|"
    r"拿回(?=[^，。；;]{0,4}(?:款|钱|费))|反馈|反映|协商(?:处理|解决)|客户支持|冲正|工作日|小时|特价|定制|特殊|鉴赏期|补偿|调解|仲裁|诉讼|12315|消协|补充|补交|概不|补发|生效|公示|卡密|重复|扣款|返还|赔|举报|维权|纠纷|"
    r"视为|订单号|证明|法院|监督|损失|自行承担|自负|误操作|封停|封号|审|修改|修订|变更|调整|更新|解释|承担|责任|联系|"
    r"(?:与|和)(?:我|我们|本店|本站|卖家|商家|平台)无关|照(?:常|样|旧|全价)(?:收|扣|要付)|全额照收|补单|补量|掉量|换卡|换号|不成功|解冻|(?:马上|立即|自动)释放|保修|质保|挂失|遗失|丢失|丢了|记录|身份证|户口本|凭|找回|包赔|赔付|差错|异常|撤销|扣|热线|邮箱|复核|复议|报告|录下|录制|不负责|保障|保修|有权(?:拒绝|驳回)|描述|取消(?:订单|交易)|换一?[个张份套]|介入|(?:不能|不可|无法|不允许|不得)(?:再)?(?:撤销|取消|撤回)|取消|撤回|损坏|失败|冷静期|反悔权|争议|意见反馈|法律(?:途径|手段)|没收(?!到)|罚没|(?<!\d)100(?:86|10|00)(?!\d)")
# sentences on ordinary pages are considered only when about refunds / after-sales
REFUNDISH_RE = re.compile(r"退(?:款|货|换|订|还|费|回|单|钱)|不退|可退|概不退|售后|解释权|返还")

# a help-centre question ("如何提交售后工单？") asks, it does not state a rule
FAQ_QUESTION_RE = re.compile(r"^[^，。；;！!]{0,30}[？?]$")
QUESTION_HEAD_RE = re.compile(r"是否[^:：，,]{0,6}[:：]")
# a help-centre question before its answer ("问：没用过的可以退吗？答：…"): the question grants nothing
QA_QUESTION_RE = re.compile(r"^(?:问|Q)[:：][^？?。]{0,60}[？?][ ]*(?=(?:答|A)[:：])")

# -- round rulesR10 (batches 83-90): changes of the terms in other words: rules published later made part of the agreement
# ("以后发布的…规则都算本协议的一部分", "一经发布即成为本协议的组成部分"), consent to changes asked for ("不同意修改后内容的"),
# the price of a subscription changing ("订阅价格发生变动时…先通知您"), a policy changed from time to time with the latest
# version to be read ("政策会不时调整", "看清最新的规定")
CHANGE_RE = re.compile(CHANGE_RE.pattern + r"|(?:发布|公布)的[^。；;]{0,16}(?:规则|规定|政策)[^。；;]{0,14}(?:本协议|协议)的?(?:一部分|组成部分)|"
                       r"(?:不同意|不接受|接受)(?:了)?[^，。；;]{0,4}(?:修改|变更|更新)(?:后)?的?(?:内容|条款|版本)|"
                       r"(?:订阅|会员|服务|套餐)的?(?:价格|费用|资费)(?:发生)?(?:变动|变更|调整)")
CHANGE_HOW_RE = re.compile(CHANGE_HOW_RE.pattern + r"|不时|最新(?:的)?(?:规定|版本|规则|政策|协议|条款)|提醒")
