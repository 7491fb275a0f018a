"""Reading one sentence for the clause rules (clause_rules.py): its sub-clauses, whether a refund
word is granted or refused there (negation-aware: "不支持退款" refuses, "无法使用的卡密可以退款"
grants), the fee it charges, where refunded money goes, and whose proof it names.
"""
from __future__ import annotations

import re

from cardshop_auditor.extract.clause_vocab import (
    BALANCE_RE, BUYER_FAULT_RE, EVIDENCE_RE, FEE_NEG_RE, FEE_RE, LOSS_RE, MANUAL_RE, MODAL_RE,
    NEG_AFTER_RE, NEG_RE, NOUN_HEAD_RE, ORIGINAL_RE, PERCENT_RE, REFUND_RE, PUNCT, SUBCLAUSE_RE, USED_RE,
)
from cardshop_auditor.extract.text import cn_number


# ---- polarity ----------------------------------------------------------------------------------

def subclause_start(s: str, pos: int) -> int:
    i = pos - 1
    while i >= 0:
        if s[i] in PUNCT:
            return i + 1
        i -= 1
    return 0


def subclause_around(s: str, m: re.Match, ends: re.Pattern = SUBCLAUSE_RE) -> str:
    """The sub-clause holding the match ``m``: from the punctuation before it to the next of ``ends``."""
    end = ends.search(s, m.end())
    return s[subclause_start(s, m.start()):end.start() if end else len(s)]


def subclause_after(s: str, m: re.Match, ends: re.Pattern = SUBCLAUSE_RE) -> str:
    """What follows the match ``m`` in its sub-clause, up to the next of ``ends``."""
    end = ends.search(s, m.end())
    return s[m.end():end.start() if end else len(s)]


_ASKS_RE = re.compile(r"(?:是否|能否|可否|能不能|可不可以)(?:支持|可以|能够?|可|允许|接受)?(?:申请)?$")


# a state negated inside a relative clause ("没有完成的部分", "未交付的数量"): it qualifies a noun, not the refund
_RELATIVE_NEG_RE = re.compile(r"没有|没|未|尚未|还没有?|还未")
_RELATIVE_TAIL_RE = re.compile(r"^[\u4e00-\u9fff]{1,4}的(?:那)?(?:部分|数量|金额|款项|钱|余额|天数|时长|份额|订单|点数|额度)")


# a list of refund words sharing one negation ("不支持退款、换货或退货"): the later items are refused too
_REFUND_LIST_TAIL_RE = re.compile(r"(?:退款|退货|退换|换货|退费|退还|退订|更换|取消|撤回|撤销|折抵|抵扣|赎回)?(?:、|或|和|及|也不|或者)+$")


def refund_polarity(s: str) -> tuple[bool, bool]:
    """(granted, refused): is some refund word in ``s`` granted, is some refused."""
    granted = refused = False
    # "恶意退款的", "滥用退货的": the refund word names the buyer's fault, it grants nothing
    fault_spans = [m.span() for m in BUYER_FAULT_RE.finditer(s)]
    for m in REFUND_RE.finditer(s):
        if any(a <= m.start() < b for a, b in fault_spans):
            continue
        start = subclause_start(s, m.start())
        while start > 0 and s[start - 1] == "、" and _REFUND_LIST_TAIL_RE.search(s[subclause_start(s, start - 1):start]):
            start = subclause_start(s, start - 1)
        before = s[start:m.start()]
        after = s[m.end():m.end() + 16]
        if _ASKS_RE.search(before):
            continue                    # "是否支持退款": a question, neither granted nor refused
        # "不想要而申请退款", "不满意申请退款": the negation is inside the buyer's reason, not the refund's
        negs = [n for n in NEG_RE.finditer(before) if not any(a <= start + n.start() < b for a, b in fault_spans)]
        neg = False
        if negs:
            last = negs[-1]
            between = before[last.end():]
            # "没有完成的部分退回余额", "按未交付的数量退款": the negation is inside a relative clause naming the part
            neg = not MODAL_RE.search(between) and not (_RELATIVE_NEG_RE.fullmatch(last.group(0)) and _RELATIVE_TAIL_RE.match(between))
        if not neg and NEG_AFTER_RE.match(after):
            neg = True
        if neg:
            refused = True
        elif not NOUN_HEAD_RE.match(after):
            granted = True
    if LOSS_RE.search(s):
        refused = True
    return granted, refused


def positive_word(s: str, rx: re.Pattern) -> bool:
    """Does ``rx`` match somewhere in ``s`` without a negation governing it?"""
    for m in rx.finditer(s):
        start = subclause_start(s, m.start())
        before = s[start:m.start()]
        if _ASKS_RE.search(before):
            continue                    # "能否退款要看…": a question, not a remedy granted
        negs = list(NEG_RE.finditer(before))
        if negs and not MODAL_RE.search(before[negs[-1].end():]):
            continue
        return True
    return False


AFTER_SALES_WORD_RE = re.compile(r"售后|退换|换货|无理由|保修|质保|撤销|撤单|撤回|取消|退订|理赔|赔付|补偿|赔偿|受理|(?:本|上述|以上)政策")


# a charge stopped, wrongly taken or renewed ("停止扣费", "重复扣除的费用", "多扣的费用", "续扣的服务费",
# "不再扣下个月的费用"), and the price of a membership ("会员服务费"): nothing a refund deducts
# "是否收手续费" asks, "费用不按比例退还" refuses the pro-rata refund itself, "按没完成部分的比例退款" refunds the undone part
_NOT_A_DEDUCTION_RE = re.compile(r"(?:停止|不再|续|多|误|重复|错误?)扣|(?:会员|会籍|订阅|套餐)服务费|是否(?:收取?|扣除?)|不按[^，。；;]{0,8}比例|按(?:没|未|没有|尚未)(?:完成|做完)(?:的)?(?:部分|数量|进度)?的?比例(?=退)|"
                                # the part not done refunded by the progress ("做了60%就退40%", "完成百分之七十的退还
                                # 百分之三十"): the undelivered part, no fee (README refund_unactivated; c3177, c7080, c7112)
                                r"(?:做了|完成了?)(?:百分之[一二三四五六七八九十]+|\d+(?:\.\d+)?[ ]?%)的?(?:就|则)?退(?:还|回)?(?:原价的?)?(?=百分之|\d)")


def charged_fee(fee_text: str) -> bool:
    """Is some fee charged in a sub-clause that does not waive it?  "原路退回扣百分之三的接口费，
    退到余额不收取任何费用": one route charges, the other waives."""
    fee_text = _NOT_A_DEDUCTION_RE.sub("□□", fee_text)
    for m in FEE_RE.finditer(fee_text):
        if not FEE_NEG_RE.search(subclause_around(fee_text, m)):
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


# a window offered in full ("全额", "退还全部货款", "提供十四天无理由退款")
# ("提供订单号" hands over proof: it offers no refund)
FULL_REFUND_RE = re.compile(r"全额|全部(?:货款|款项|费用)|全款|(?:提供|享有|享受)(?=[^，。；;]{0,12}(?:退(?!款?(?:理由|原因|说明|记录|凭证))|无理由|保证|保障|冷静期|反悔))")
CANCEL_RE = re.compile(r"(?:可|可以|支持|允许|能够?|即可|有权)[^，。；;不]{0,12}?(?:撤销|取消|撤回|撤单)(?:订单|交易|购买|报名)?")
# "按未学习任务所占比例退款": the unused part measures a pro-rata refund, it is no state refunded
PRORATA_AFTER_RE = re.compile(r"(?:任务|课时|课程|内容|服务|权益|次数|节数|时间)?(?:所占)?的?(?:天数|月份|部分|时长|比例|金额)")
# "把订单号发送到客服邮箱": the proof is handed over by a verb after it
PROOF_SENT_RE = re.compile(r"^[^，。；;]{0,12}?(?:提交|发送|提供|上传|告知|发)(?:给|至|到)")
PROOF_HANDED_RE = re.compile(r"[把将][^，。；;]{0,12}$")
_EVIDENCE_VERB = re.compile(r"提供|上传|提交|出示|附上|附带|截取|录制|拍摄|发送")


def channel_facts(s: str) -> dict:
    """Where the refunded money goes; "balance" (the site's own balance, often not
    withdrawable) is the unfavourable one and is recorded as such."""
    if MANUAL_RE.search(s):             # the original route is gone: a negotiated transfer
        return {"channel": "manual"}
    if ORIGINAL_RE.search(s):
        return {"channel": "original"}
    if BALANCE_RE.search(s):
        return {"channel": "balance"}
    return {}


# proof the shop, its staff or a hired worker makes or hands on ("接单者…要上传初始截图", "由我们的客服
# 上号截图", "我们会向支付机构提供订单日志"): evidence_required is proof the buyer gives or keeps
_PROOF_BY_SHOP_RE = re.compile(r"(?:^|(?<=[由]))(?:我们的?|本店|本站|平台|客服|接单者|代练者?|打手)"
                               r"(?:(?!要求|根据|双方|请|让)[^您你买用玩家]){0,10}?(?:上传|提供|截图|出示)")


def shop_made_proof(s: str, m: re.Match) -> bool:
    return bool(_PROOF_BY_SHOP_RE.search(s[subclause_start(s, m.start()):m.end()]))


def in_evidence_object(s: str, m: re.Match) -> bool:
    """Is the match inside the object of a demand for proof ("提供[未到账的充值记录]截图")?"""
    before = s[subclause_start(s, m.start()):m.start()]
    return bool(_EVIDENCE_VERB.search(before) and EVIDENCE_RE.search(subclause_after(s, m)))


# ---- triggers ------------------------------------------------------------------------------------

# a delivery as the trigger ("发货后", "一经成功交付", "一经发出"): the seller's act, no use of the goods
_DELIVERY_TRIGGER_RE = re.compile(r"^(?:(?:一经|一旦)[^，。；;]{0,6}?)?(?:发货|交付|发出|发送|发放|下发|送达|显示)(?:后|之后|以后)?$")
# a route for problems, the buyer's reasons, a use or a valid receipt named beside it narrows the refusal
_NARROWED_RE = re.compile(r"问题|联系|理由|原因|找我|收到|有效|使用|并激活")


def delivery_trigger_only(s: str) -> bool:
    """"发货后不支持退款", "商品一经成功交付就不退款": the used-state words of ``s`` are all a delivery, and no
    route for problems, buyer's reason or use is named beside it (README blanket line: c1187, c4116)."""
    hits = [m.group(0) for m in USED_RE.finditer(s)]
    return bool(hits) and all(_DELIVERY_TRIGGER_RE.match(h) for h in hits) \
        and not (BUYER_FAULT_RE.search(s) or _NARROWED_RE.search(s))
