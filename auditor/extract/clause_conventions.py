"""The written labelling conventions (clause_corpus/README.md, "Labelling conventions") that
a resemblance must not override: the classifier adds no kind these rule out for a sentence
(clause_model.combine, clause_tuning), and the rules honour the complaint-route ones too
(clause_rules.complaint_route_excluded)."""
from __future__ import annotations

import re

from cardshop_auditor.extract.clause_rules import (
    _AFTER_SALES_RE, _CANCEL_WORD_RE, _SELLER_DELAY_RE, _price_gap_only, blanket_shape,
    complaint_route_excluded,
)
from cardshop_auditor.extract.clause_sentence import (
    charged_fee, in_evidence_object, positive_word, refund_polarity, shop_made_proof, subclause_start,
)
from cardshop_auditor.extract.clause_vocab import (
    ACT_UNUSED_RE, BUYER_FAULT_RE, CARVE_FAULT_RE, CARVE_UNACT_RE, EVIDENCE_NEG_RE,
    EVIDENCE_NOT_PROOF_BEFORE_RE, EVIDENCE_NOT_PROOF_RE, EVIDENCE_RE, FAULT_RE, LATE_RE,
    NOT_FAULT_BEFORE, OTHER_REQUEST_RE, PERIOD_RE, REFUNDY_RE, REFUND_RE, REMEDY_RE,
    TIME_CONTEXT_RE, TIME_RE, UNACT_RE, UNACT_WEAK_RE, USED_RE, USER_FAULT_RE, WITHDRAWAL_RE,
)
from cardshop_auditor.extract.text import normalise, simplified

_TRADE_FEE_RE = re.compile(r"交易手续费|成交(?:金额|价|额)|佣金|服务佣金|技术服务费")
_PROCESS_TIME_RE = re.compile(r"到账|核实|核查|检查|保障期")
# a disclaimer of responsibility ("…导致卡密失效的，本店不负责"): no remedy is offered
_DISCLAIMER_RE = re.compile(r"(?:不|概不|一概不)(?:负责|承担)|后果自负|与本(?:店|站|平台)无关")
# goods, an order or their use: what a buyer-fault exclusion is about
_PURCHASE_RE = re.compile(r"商品|产品|订单|卡密|卡券|卡号|点卡|激活码|兑换码|充值|购买|下单|拍|道具|货|使用|消费|服务|会员费|套餐|费用|款")
_NOTE_ORDER_RE = re.compile(r"备注[^，。；;]{0,4}(?:订单号|订单编号|单号)")
_CHANGE_WORD_RE = re.compile(r"修改|修订|变更|更新|调整|补充|更改|废止|改动|变动")


def convention_excludes(kind: str, sentence: str) -> bool:
    """The written labelling conventions (clause_corpus/README.md) that a resemblance must
    not override: the classifier may not *add* a kind these rule out."""
    s = normalise(simplified(sentence))     # traditional characters read as simplified
    if kind == "refund_activated_fee":          # a withdrawal fee is not a refund fee (issue 10),
        fee_text = WITHDRAWAL_RE.sub("", s)     # nor is "退款不收取任何手续费" a fee, nor a trade's
        return (not charged_fee(fee_text)                                          # commission
                or bool(_TRADE_FEE_RE.search(fee_text) and not REFUND_RE.search(fee_text)))
    if kind == "complaint_channel":             # opening hours, the trade flow, the seller's side
        return complaint_route_excluded(s)
    if kind == "refund_unactivated":            # activated but unused is the fee case, not this one
        if ACT_UNUSED_RE.search(s):
            return True
        granted, refused = refund_polarity(s)   # "未使用的卡密不支持退款" refuses: no refund is offered
        if refused and not granted and not CARVE_UNACT_RE.search(s):
            return True
        if not (REFUND_RE.search(s) or _CANCEL_WORD_RE.search(s)):
            return True                         # "付款失败可能是余额不足": no refund, no cancellation
        states = list(UNACT_RE.finditer(s)) + list(UNACT_WEAK_RE.finditer(s))
        # "请提供未到账的充值页面截图": the state describes the proof asked for
        return bool(states) and all(in_evidence_object(s, m) for m in states)
    if kind == "refund_timeline":               # a time of the refund / after-sales process, not of use,
        if OTHER_REQUEST_RE.search(s) and "退" not in s:       # nor of an invoice; nor only a delay the
            return True                         # seller or buyer let pass ("24小时内没有修复的，可以退款")
        times = list(TIME_RE.finditer(s))
        if times and all(_SELLER_DELAY_RE.match(s, m.end()) for m in times) and not PERIOD_RE.search(s):
            return True
        return not (TIME_CONTEXT_RE.search(s) or REFUNDY_RE.search(s) or _PROCESS_TIME_RE.search(s))
    if kind == "platform_fault":                # the buyer's own doing is no platform fault, nor a
        if _DISCLAIMER_RE.search(s) and not CARVE_FAULT_RE.search(s) and not positive_word(s, REMEDY_RE):
            return True                         # disclaimer with no remedy (a remedy is the kind)
        hits = list(FAULT_RE.finditer(s))
        own = [m for m in hits if not NOT_FAULT_BEFORE.search(s[max(0, m.start() - 4):m.start()])
               and not USER_FAULT_RE.search(s[:m.start()])]
        if CARVE_FAULT_RE.search(s) or (own and not (BUYER_FAULT_RE.search(s) and refund_polarity(s) == (False, True))):
            return False
        return bool(hits) or bool(USER_FAULT_RE.search(s) or BUYER_FAULT_RE.search(s))
    if kind == "special_goods_exclusion" and _price_gap_only(s):
        return True                             # a refund's amount after a price change
    if kind == "agreement_change":              # a change must be named ("保留最终解释权" alone is not one)
        return not _CHANGE_WORD_RE.search(s)
    if kind == "blanket_no_refund":             # issue 10's policy: a refusal with no carve-out
        return not blanket_shape(s)
    if kind == "no_refund_used":                # refused only for applying late: a time limit
        if not (REFUND_RE.search(s) or _CANCEL_WORD_RE.search(s) or _PURCHASE_RE.search(s)):
            return True                         # "资料不实造成的损失由会员自行承担": no purchase at stake
        return bool(LATE_RE.search(s)) and not USED_RE.search(s) and not BUYER_FAULT_RE.search(s)
    if kind == "evidence_required":             # a record looked in, a voucher redeemed, a real-name purchase
        found = [m for m in EVIDENCE_RE.finditer(s)
                 if not (EVIDENCE_NOT_PROOF_RE.match(s, m.end()) or EVIDENCE_NOT_PROOF_BEFORE_RE.search(s, 0, m.start()))]
        if not found and EVIDENCE_RE.search(s):
            return True
        if found and all(EVIDENCE_NEG_RE.search(s[subclause_start(s, m.start()):m.start()]) for m in found):
            return True                         # "无需提供任何证明": no proof is asked for
        if found and all(shop_made_proof(s, m) for m in found):
            return True                         # proof the shop or its worker makes
        words = {m.group(0) for m in found}     # a bare order number outside after-sales is no proof,
        if words <= {"订单号", "订单编号", "单号"}:  # nor one noted on a friend request ("备注订单号")
            return not _AFTER_SALES_RE.search(s) or bool(_NOTE_ORDER_RE.search(s))
        return False
    return False
