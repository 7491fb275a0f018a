"""The hand-written clause rules: which of DESIGN.md's clause kinds one sentence states.

Built from the vocabulary of DOMAIN.md §5 (clause_vocab.py), not from particular
sentences, and negation-aware: a refund word counts as *granted* only when no negation
governs it in its sub-clause ("不支持退款", "概不退换" are refusals; "无法使用的卡密可以退款"
grants, because a permissive modal sits between the negation and the refund word; that reading
of one sentence is clause_sentence.py; how far a refusal reaches, blanket or narrower, is
clause_scope.py).  The written labelling conventions the classifier
may not override are clause_conventions.py.  clauses.py combines these rules with the
classifier; clause_model.py learns beside them.
"""
from __future__ import annotations

import re

from cardshop_auditor.extract.clause_vocab import (
    BALANCE_HEAD_REFUSED_RE,
    ACT_UNUSED_RE, BOUND_BEFORE_RE, BUYER_FAULT_RE, CHANGE_HOW_RE, CHANGE_RE, CANCEL_REFUSED_RE,
    CARVE_FAULT_RE, CARVE_UNACT_RE, COURSE_START_RE, CHANNEL_RE, COMPLAINT_NOT_RE, COMPLAINT_RE,
    CONSENT_RE, CS_PROBLEM_RE, CS_RE, CS_RESPONSE_RE, CS_ROUTE_RE, DEADLINE_RE, GOODS_PROBLEM_RE,
    DIGITAL_NO_REASON_RE, EVIDENCE_ACT_RE, EVIDENCE_CONTEXT_RE, EVIDENCE_DEMAND_RE, EVIDENCE_NEG_RE,
    EVIDENCE_RE, EXCLUDE_RE, EXPIRE_RE, FAULT_AS_MODIFIER, FINAL_SALE_RE, FAULT_RE, FINAL_RE,
    HINT_RE, INSTANT_RE, ISSUE_RE, LATE_RE, MANUAL_RE, MODAL_RE, NOT_FAULT_BEFORE, NOT_LIABLE_RE,
    NO_REASON_RE, NO_REASON_WINDOW_RE, OFFSET_RE, ONE_SHOT_RE, PERIOD_RE, REFUNDY_RE, REFUND_RE,
    REMEDY_RE, REVIEW_RE, SELLER_SUBJECT_RE, SOFTEN_RE, SPECIAL_LIST_RE, SPECIAL_OWN_RULE_RE,
    SUPP_CONSEQ_RE, SUPP_RE, SWEEP_RE, TIME_CONTEXT_RE, TIME_NOT_REFUND_RE, TIME_RE,
    TIME_VAGUE_RE, UNACT_RE, UNACT_WEAK_RE, USED_AMOUNT_BEFORE_RE, USED_RE, USER_FAULT_RE,
    WINDOW_RE, WITHIN_RE, FAQ_QUESTION_RE, FEE_WORD, QUESTION_HEAD_RE, SCOPE_RE, SUBCLAUSE_RE,
    USE_VERB_RE, WITHDRAWAL_RE, APPLY_WINDOW_RE, GUARANTEE_RE, INFO_DEMAND_RE, INFO_IDENTIFIES_RE,
    DELIVERED_RE, KEPT_AFTER_CANCEL_RE,
    ROUTED_HANDLING_RE, EVIDENCE_NOT_PROOF_RE, EVIDENCE_NOT_PROOF_BEFORE_RE,
    OTHER_REQUEST_RE, QA_QUESTION_RE, REFUND_DEADLINE_RE, DELIVERY_TIME_RE, ONLY_WHEN_FAULT_RE,
    WARRANTY_VOID_RE, LOST_NOT_REISSUED_RE, HANDED_OVER_DISOWNED_RE, WARRANTY_OFFERED_RE, WARRANTY_DENIED_RE,
    SELLER_WITHDRAWN_RE, STORED_BALANCE_REFUSED_RE, BALANCE_CHANNEL_RE, CHARGED_ANYWAY_RE, ANY_REASON_RE, TIMED_WARRANTY_RE, REMEDY_REFUSED_RE, HELD_RELEASED_RE,
    ACCOUNT_BANNED_RE, BREACH_RE, ORDER_FAILED_RE, FORFEIT_RE, ACCOUNT_LOSS_COVERED_RE, CREDIT_BACK_RE,
    BALANCE_REFUNDED_RE, EVENT_SPAN_RE, WORKDAY_SPAN_RE, USE_SPAN_RE, PROOF_GATHERED_RE, DATE_BOUND_RE, EVENT_BEFORE_RE, PROOF_KEPT_RE,
)
from cardshop_auditor.extract.clause_vocab_used import _AT_STAKE_RE, _UNTRUE_INFO_RE
from cardshop_auditor.extract.clause_scope import (
    LIST_SWEPT_RE, blanket_shape, contrast_goods, delivery_only_refusal, fault_carved_out,
    bought_elsewhere, goods_kind_refused, price_gap_only, special_named, stored_value_refused, swept_goods_triggered, sweeping_clause, virtual_nature,
)
from cardshop_auditor.extract.clause_sentence import (
    subclause_around, subclause_after, subclause_start, refund_polarity, positive_word, AFTER_SALES_WORD_RE, charged_fee,
    fee_percent, FULL_REFUND_RE, CANCEL_RE, PRORATA_AFTER_RE, PROOF_SENT_RE,
    PROOF_HANDED_RE, channel_facts, shop_made_proof, in_evidence_object,
)
from cardshop_auditor.extract.clause_triggers import CREDITED_RE as _CREDITED_RE, HEDGED_DELIVERY_RE
from cardshop_auditor.extract.text import normalise, simplified

KINDS = ("refund_unactivated", "refund_activated_fee", "no_refund_used", "platform_fault",
         "special_goods_exclusion", "blanket_no_refund", "refund_channel", "refund_timeline",
         "evidence_required", "supplement_deadline", "complaint_channel", "agreement_change",
         "final_interpretation")


# customer-service hours alone ("客服在线时间：9:00-23:00") are not a route for problems
# an order number is proof only when asked for about a refund or a problem
AFTER_SALES_RE = re.compile(r"退|售后|申诉|投诉|补发|核实|审核|理赔|赔付|维权|纠纷|异常|问题|申请|未到账|失败|无效")
# customer service as the subject of a step of the trade ("客服将在24小时内完成审核"), not the object
# of the buyer's contact ("请联系客服二次确认")
_CS_ACTS_RE = re.compile(r"(?:^|(?<=[，,。；;：:）)])|(?<=由)|(?<=转到)|(?<=转给)|(?<=交给))(?:客服|人工|工作人员)[^，。；;]{0,12}?"
                         r"(?:审核|核实|核查|核对|上号|确认|验号|换绑|(?:主动)?联系您|联络您|与您(?:进一步)?(?:联系|沟通))")
# a step of the trade done through customer service: asking before buying, claiming a bonus or
# confirming a payment ("充值完成后请添加客服微信，由客服确认到账", "先联系客服确认再下单")
_SALES_ENQUIRY_RE = re.compile(r"售前|大量购买|批量购买|大额(?:采购|充值|购买)|批发|商务合作|合作洽谈|代理加盟|"
                               r"(?:充值|付款|支付|赞助|打赏|下单|购买|买好)(?:完成|成功)?(?:以|之)?后[^。；;]{0,16}?(?:联系|添加|加)[^。；;]{0,16}?(?:确认|领取|备注|办理|开通|授权|激活)|"
                               r"先(?:联系|找|咨询)[^，。；;]{0,8}(?:客服|卖家|商家|管理员)(?:(?:确认|沟通)[^，。；;]{0,8}|[^，。；;]{0,4}(?=再|后))(?:再|后)?(?:下单|购买|付款|拍|签)?|"
                               r"(?:下单|购买|拍下|付款|购物|充值)前[^。；;]{0,12}(?:联系|咨询|找)(?:[^，。；;]{0,6}(?:客服|卖家|商家))?|"
                               r"联系[^，。；;]{0,8}(?:客服|卖家|商家)[^，。；;]{0,2}确认(?:交易|付款|支付|购买|发货|收货)(?:方式|流程|细节)")
# a contact already made that failed, named as a condition ("联系客服以后仍然激活不了的",
# "曾联系客服报告问题却没有得到回应"): not a route offered to the buyer
# ("没联系我们就留差评的", "说明您还没联系上客服", "付款并通知我们以后"): a contact not made, or made
# before a condition, is no route offered either
_PAST_CONTACT_RE = re.compile(r"(?:曾经?|已经?)联系(?:过)?[^，。；;]{0,4}(?:客服|我们|卖家|商家)[^，。；;]{0,8}|"
                              r"(?:没|没有|未|不|一直没|还没|还没有)(?:先)?(?:联系|通知)(?:上)?(?:我们|客服|卖家|商家|平台)(?:就)?|"
                              r"(?:联系|通知)(?:了)?(?:我们|客服|卖家|商家)(?:以|之)后(?=[，,])|"
                              r"联系[^，。；;]{0,6}(?:客服|我们|卖家|商家)(?:以|之)?后[^，。；;]{0,2}(?:仍|还|依然|仍然)")
# a time the seller let pass without delivering ("二十四小时内还没收到密钥的", "四十八小时内补不上货的"):
# the condition of a refund, not a time of the refund process
# ("付款后二十四小时内会员权益还没到账的", "客服在24小时内也没能补发的", "24小时内没有修复的", "48小时内还解决不了的"), or the buyer
# ("拍卖结束后72小时内没有付款的，保证金不退"): the condition of a refund or a forfeit
SELLER_DELAY_RE = re.compile(r"[ ]?(?:之|以)?内[^，。；;]{0,4}?(?:还|仍|一直|又|都)?(?:没有|没|未|仍未)(?:能)?(?:收到|送达|交付|发货|换新|[^，。；;]{0,4}联系您)|"
                              r"[ ]?(?:之|以)?内[^，。；;]{0,4}?补不上|[ ]?(?:之|以)?内[^，。；;]{0,4}?(?:还|仍|一直|又)?(?:没能|无法)(?:换新|交付|发货|送达)|"
                              r"[ ]?(?:之|以)?(?:内|后)[^，。；;]{0,5}?(?:还|仍|仍然|依然|一直|又|也|都)?(?:没有|没|未|没能|未能|无法|不能)(?:能)?(?:向您|给您|为您)?"
                              r"(?:到账|到达|送达|收到|亮起|显示|生效|开通|修复|补发|补上|提供替|分派|换新|交付|发货|付款|支付|入住|到场|到店)|"
                              r"[ ]?(?:之|以)?内[^，。；;]{0,4}?(?:还|仍|一直|又|都)?(?:解决|修复|修)不(?:了|好)")
_RENEWAL_CHARGE_RE = re.compile(r"续费|续订|订阅|代扣|扣费")
CANCEL_WORD_RE = re.compile(r"取消|撤销|撤回|撤单|退订|解约|终止(?:服务|合同|订阅)")
# a sales pitch ("支持7天无理由退款，放心购买"): an advertisement of the terms, not a term
_PITCH_RE = re.compile(r"放心(?:购买|选购|下单|使用|购物)|无忧(?:购物|售后|退换)?")
# the goods sold, paid or sent: a trigger every sale passes through
_SOLD_TRIGGER_RE = re.compile(r"(?:售出|出售|购买|下单|付款|支付|成交|拍下|发货)(?:之|以)?后|一经(?:售出|出售|购买|下单|付款|支付|成交|拍下|发货)")
_CS_HOURS_RE = re.compile(r"(?:客服|人工|服务|在线|工作|营业)(?:在线|工作|服务|接待)?时间")
# the steps of the refund form itself ("在我的订单里找到订单，点击「申请退款」并提交", "可在订单里申请售后"): the refund's procedure,
# no route to raise a problem unless a person or body beyond the form is named (README complaint_channel)
_REFUND_FORM_STEP_RE = re.compile(r"点击?[「“\"『]?(?:申请退款|我要退款|退款|申请售后|退款申请)|在[^，。；;]{0,6}订单(?:里|中|内|详情页?|页面?)?[^，。；;]{0,4}申请(?:售后|退款)")
ROUTE_BEYOND_FORM_RE = re.compile(r"客服|工单|申诉|投诉|纠纷|争议|仲裁|12315|消协|帮助|支持|联系|人工|官方|介入|邮件|邮箱|电话|QQ|群")


# a further purchase or an extension asked for ("快到期时可以致电客服申请延期", "需要升级套餐的可以提出申请"): a sale, not a
# problem (README complaint_channel, c4541, c5122), unless a problem is named beside it
_FURTHER_PURCHASE_RE = re.compile(r"申请延期|(?:需要|想要?)[^，。；;]{0,6}(?:升级|加购|续费|延期|延长)|提交求购")
_PROBLEM_NAMED_RE = re.compile(r"问题|异常|退|售后|失败|错误|无效|不符|投诉|申诉|纠纷|争议|没(?:有)?收到|未收到|未到账|没到账")


def complaint_route_excluded(s: str) -> bool:
    """The written conventions on complaint routes (``s`` normalised), which bind the rules
    and the classifier alike (clause_conventions.py): opening hours alone are not a route,
    nor customer service acting inside the trade flow, nor a rule for the seller's side, nor
    the refund form's own steps."""
    if _CS_HOURS_RE.search(s) and not CS_PROBLEM_RE.search(_CS_HOURS_RE.sub("", s)):
        return True
    if SELLER_SUBJECT_RE.match(s):          # a rule for the seller's side ("卖家发现…应向平台举报")
        return True
    if _REFUND_FORM_STEP_RE.search(s) and not ROUTE_BEYOND_FORM_RE.search(s):
        return True                         # the refund form's own steps
    further = _FURTHER_PURCHASE_RE.sub("", s)
    if further != s and not _PROBLEM_NAMED_RE.search(further):
        return True                         # an extension or a further purchase asked for
    rest = COMPLAINT_NOT_RE.sub("", _PAST_CONTACT_RE.sub("", s))   # sanctions ("投诉封号", "拒付的…冻结"),
    if rest != s and not (COMPLAINT_RE.search(rest) or CS_RE.search(rest) or CS_ROUTE_RE.search(rest)):
        return True                         # contacts not made ("还没联系上客服")
    rest = _SALES_ENQUIRY_RE.sub("", s)
    if rest != s and (not AFTER_SALES_RE.search(s) or not (CS_RE.search(rest) or COMPLAINT_RE.search(rest) or CS_ROUTE_RE.search(rest))):
        return True                         # "想大量购买的请联系客服", "联系客服确认交易方式": a sale
    acting = _CS_ACTS_RE.sub("", s)         # ("客服将在24小时内完成审核", "客服会主动联系您")
    return acting != s and not (CS_RE.search(acting) or COMPLAINT_RE.search(acting) or CS_ROUTE_RE.search(acting))


def _measured_part(s: str, m: re.Match) -> bool:
    """"按未学习任务所占比例退款": the unused part measures a pro-rata refund; "没有完成的部分退回余额" refunds it,
    and so does "按没完成部分的比例退款": an order's undone part was never delivered (README refund_unactivated)."""
    if re.search(r"(?:完成|做完)", m.group(0)):     # ... unless a deduction is taken from it (the fee case)
        return bool(re.search(r"扣", subclause_around(s, m)))
    return bool(PRORATA_AFTER_RE.match(s, m.end())) and bool(re.search(r"按|比例|折算|所占", subclause_around(s, m)))


# the top-up done as a trigger ("一经充值", "充值成功后"): the credited state of all the currency bought, not
# a state of some of it ("已兑换的金币"), so a currency named keeps its category (README currency line)
_TOPUP_DONE_RE = re.compile(_CREDITED_RE.pattern + r"|(?:一经|一旦)充值(?:成功|完成)?(?:之|以)?后?|(?<![未没])充值(?:之|以)?后")

def _vague_refund_time(s: str) -> bool:
    """"会尽快审核…办理退款" is the refund's time; "发给客服，我们会尽快处理" handles a problem report."""
    return any(not m.group(0).startswith("尽快") or "退" in s for m in TIME_VAGUE_RE.finditer(s))


def worth_a_look(sentence: str) -> bool:
    """A sentence the classifier may label although no rule fired: long enough to be a
    rule (not a link or a button), with a word clauses use, not a section title."""
    s = normalise(simplified(sentence))     # traditional characters read as simplified
    han = len(_HAN.findall(s))
    return (han >= 8 and bool(HINT_RE.search(s)) and not is_heading_line(s)
            and not FAQ_QUESTION_RE.match(s) and not (han <= 20 and _PITCH_RE.search(s)))


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
    s = normalise(simplified(sentence))     # traditional characters read as simplified
    if not HINT_RE.search(s):
        return []
    if is_heading_line(s) or FAQ_QUESTION_RE.match(s):
        return []
    s = QA_QUESTION_RE.sub("", QUESTION_HEAD_RE.sub("：", s))
    kinds: list[tuple[str, dict]] = []
    granted, refused = refund_polarity(s)
    has_refund = bool(REFUND_RE.search(s))
    used = bool(USED_RE.search(s))
    unact = bool(UNACT_RE.search(s))
    soft = bool(SOFTEN_RE.search(s))
    special = special_named(s) and not LIST_SWEPT_RE.search(s)
    fault_hit = None
    for m in FAULT_RE.finditer(s):
        if NOT_FAULT_BEFORE.search(s[max(0, m.start() - 4):m.start()]):
            continue
        if FAULT_AS_MODIFIER.match(s, m.end()) or in_evidence_object(s.replace("、", " "), m):
            continue                    # "提供截图、账号无法使用的证明": the fault names the proof (a list shares the verb)
        fault_hit = m
        break
    if fault_hit is None:           # "课程在开课前停办的，会…退还学费": the seller's side withdrew the goods
        fault_hit = SELLER_WITHDRAWN_RE.search(s)
    if not unact:
        # "充值未到账" is the unactivated case, also when a fault caused it ("系统繁忙导致充值失败…退回");
        # "充值失败的截图" is evidence
        unact = any(not FAULT_AS_MODIFIER.match(s, m.end()) for m in UNACT_WEAK_RE.finditer(s))

    if unact:
        # "请提供未使用的卡密截图": the state describes the proof asked for, not a refundable case
        unact = any(not in_evidence_object(s, m) and not _measured_part(s, m)
                    for m in UNACT_RE.finditer(s)) or \
            any(not in_evidence_object(s, m) for m in UNACT_WEAK_RE.finditer(s))
    cancel = bool(CANCEL_RE.search(s)) and not refused
    fee_text = WITHDRAWAL_RE.sub("", s)          # a withdrawal fee (提现手续费) is not a refund fee
    fee_hit = charged_fee(fee_text)
    if not unact and not fee_hit and COURSE_START_RE.search(s):
        unact = True
    apply_window = (APPLY_WINDOW_RE.search(s) or GUARANTEE_RE.search(s)) and not _PITCH_RE.search(s) \
        and (ANY_REASON_RE.search(s) or not (USED_RE.search(s) or DELIVERED_RE.search(s)))
    window = (WINDOW_RE.search(s) or NO_REASON_WINDOW_RE.search(s) or apply_window) and granted and not refused and fault_hit is None \
        and not fee_hit and (MODAL_RE.search(s) or FULL_REFUND_RE.search(s))
    # "交易成功后不能退款，除非尚未领取或激活": the exception grants the unused case
    carve_unact = refused and CARVE_UNACT_RE.search(s)
    held_released = HELD_RELEASED_RE.search(s) and (unact or ORDER_FAILED_RE.search(s))
    held_released = held_released or (BALANCE_REFUNDED_RE.search(s) and granted and not refused and not fee_hit)
    if (unact and (granted or cancel) and not ACT_UNUSED_RE.search(s)) or window or carve_unact or held_released:
        kinds.append(("refund_unactivated", {}))

    # a cancellation or withdrawal charged a fee ("可撤回，但需扣除百分之五的违约金"); not a renewal's charge
    cancel_fee = CANCEL_WORD_RE.search(s) and re.search(FEE_WORD, fee_text) and not _RENEWAL_CHARGE_RE.search(s)
    if ((has_refund or cancel_fee or used) and fee_hit
            and (granted or not refused or re.search(FEE_WORD, fee_text))):
        kinds.append(("refund_activated_fee", {"fee_percent": fee_percent(fee_text)}))

    buyer_fault = BUYER_FAULT_RE.search(s)
    if used and ONE_SHOT_RE.search(s) and not HEDGED_DELIVERY_RE.search(s) \
            and not any(USE_VERB_RE.search(m.group(0)) or "成功" in m.group(0) for m in USED_RE.finditer(s)):
        used = False                # "一经拍下发货概不退款": the sale itself, not a use of the goods ("一旦成功送达" is)
    if used and delivery_only_refusal(s):
        used = False                # "发货后不退款": the sale rule, blanket alone
    used_goods = used and bool(USED_RE.search(_TOPUP_DONE_RE.sub("，", s)))   # a state of some goods, not the top-up done
    used = used or bool(_CREDITED_RE.search(s))     # a top-up completed is the credited state
    # "卡密提示无效或已被使用的，核实后补发": the used state describes the fault, not a refusal
    remedy = positive_word(ROUTED_HANDLING_RE.sub("，", s), REMEDY_RE)
    fault_remedied = fault_hit is not None and remedy
    # "已经完成的直充订单无法撤销或取消": a cancellation refused is a refusal too, also in a sub-clause of its
    # own beside a refund granted ("挂起时才能申请退款，已经完成的直充订单无法撤销")
    declined = refused or any(CANCEL_REFUSED_RE.search(p) and not refund_polarity(p)[0] and USED_RE.search(p)
                              for p in SUBCLAUSE_RE.split(s)) or (bool(CANCEL_REFUSED_RE.search(s)) and not granted)
    # "卡密售出之后，除质量问题外一律不退不换": the sale refusal narrowed to goods that work is the used case
    sold_carved = declined and not granted and CARVE_FAULT_RE.search(s) and _SOLD_TRIGGER_RE.search(s)
    if (used and declined and not fault_remedied and not price_gap_only(s)) or (buyer_fault and (declined or NOT_LIABLE_RE.search(s) or REMEDY_REFUSED_RE.search(s)) and not granted) \
            or sold_carved or KEPT_AFTER_CANCEL_RE.search(s) or (used and NOT_LIABLE_RE.search(s) and not granted and not fault_remedied) \
            or WARRANTY_VOID_RE.search(s) or HANDED_OVER_DISOWNED_RE.search(s) or (LOST_NOT_REISSUED_RE.search(s) and not granted) \
            or (STORED_BALANCE_REFUSED_RE.search(s) and not BALANCE_CHANNEL_RE.search(s) and not fault_remedied) \
            or (CHARGED_ANYWAY_RE.search(s) and re.search(r"的[，,]|即使|就算|才", s) and fault_hit is None) \
            or (FORFEIT_RE.search(s) and not granted):
        if not (_UNTRUE_INFO_RE.search(s) and not _AT_STAKE_RE.search(s)):   # "提供虚假信息的后果由用户承担": nothing bought at stake
            kinds.append(("no_refund_used", {}))   # the warranty voided, the goods lost or disowned once handed over

    # "因买错、重复购买等个人原因申请退款的，不予受理": the listed causes are the buyer's
    buyer_excluded = buyer_fault and (refused or NOT_LIABLE_RE.search(s)) and not granted
    if fault_hit is not None and not USER_FAULT_RE.search(s[:fault_hit.start()]) and remedy \
            and not buyer_excluded:
        kinds.append(("platform_fault", {}))
    elif (refused or ONLY_WHEN_FAULT_RE.search(s)) and (CARVE_FAULT_RE.search(s) or fault_carved_out(s)):
        kinds.append(("platform_fault", {}))
    elif granted and GOODS_PROBLEM_RE.search(s) and not buyer_excluded and not buyer_fault:
        kinds.append(("platform_fault", {}))   # "账号有问题的，可以申请退款": the goods at fault, refunded
    elif ACCOUNT_BANNED_RE.search(s) and remedy and not refused and not BREACH_RE.search(s) and not USER_FAULT_RE.search(s):
        kinds.append(("platform_fault", {}))   # "代练期间账号被封的，代练费用退还": the ban compensated
    elif WARRANTY_OFFERED_RE.search(s) and not WARRANTY_DENIED_RE.search(s) and not buyer_excluded:
        kinds.append(("platform_fault", {}))   # "每个账号都附带有限保修", "保修期内提供更换": a remedy promised
    elif ACCOUNT_LOSS_COVERED_RE.search(s) and not refused and not buyer_fault:
        kinds.append(("platform_fault", {}))   # "追不回账号的，平台按包赔规则赔付": the loss covered

    scope = SCOPE_RE.search(s) and not unact      # "云服务器以外的产品", "仅适用于云服务器"
    # "游戏密钥、下载内容等数字产品…不予退款": the list names the goods, the sweep word only sums it up
    special_list = SPECIAL_LIST_RE.search(s) and (scope or not (SWEEP_RE.search(SPECIAL_LIST_RE.sub("", s))
                                                                 or LIST_SWEPT_RE.search(s)))
    # excluded from refunds or after-sales, not from a coupon ("特价品不能用券")
    refund_context = has_refund or AFTER_SALES_WORD_RE.search(s)
    # "月度订阅七天内可退，超过七天不再退款": the category is granted a window, refused only when late
    not_late = LATE_RE.sub("", s)
    late_only = not_late != s and not refund_polarity(not_late)[1] and not EXCLUDE_RE.search(not_late)
    if ((special or special_list) and refund_context and not price_gap_only(s) and not late_only
            and (EXCLUDE_RE.search(s) or refused or SPECIAL_OWN_RULE_RE.search(s) or scope)) \
            or DIGITAL_NO_REASON_RE.search(s) or (refused and (stored_value_refused(s, bool(USED_RE.search(s)) or unact) or contrast_goods(s))) \
            or (refused and not granted and goods_kind_refused(s, used_goods or (unact and not fault_carved_out(s)))) \
            or (refund_context and bought_elsewhere(s)):
        kinds.append(("special_goods_exclusion", {}))

    # a sweeping refusal with no carve-out for defects or platform fault; naming a trigger
    # ("一经提取", "充值后") does not narrow it (issue 10)
    uncarved = refused and (has_refund or FINAL_SALE_RE.search(s)) and not soft and fault_hit is None and not NO_REASON_RE.search(s)
    if uncarved and not scope and swept_goods_triggered(s):
        kinds.append(("blanket_no_refund", {}))   # "虚拟商品一经兑换，不支持退款"
    elif uncarved and not scope and blanket_shape(s) and (ONE_SHOT_RE.search(s) or virtual_nature(s) or sweeping_clause(s) or delivery_only_refusal(s)
                                                        or _CREDITED_RE.search(s) or BALANCE_HEAD_REFUSED_RE.match(s) or (
            not used and not buyer_fault and not special and not special_list and SWEEP_RE.search(s) and not (unact and granted)
            and not ACT_UNUSED_RE.search(s))):
        kinds.append(("blanket_no_refund", {}))

    if CHANNEL_RE.search(s) and (has_refund or "原路" in s or MANUAL_RE.search(s) or OFFSET_RE.search(s) or CREDIT_BACK_RE.search(s)):
        kinds.append(("refund_channel", channel_facts(s)))

    supplement = False
    has_time = False
    for m in TIME_RE.finditer(s):
        if USED_AMOUNT_BEFORE_RE.search(s[max(0, m.start() - 6):m.start()]):
            continue                    # "已用半个月": an amount used, not a time limit
        if s[max(0, m.start() - 2):m.start()].endswith(("近", "最近")):
            continue                    # "近四十八小时内的记录": which records, not a deadline
        if SELLER_DELAY_RE.match(s, m.end()) or DELIVERY_TIME_RE.match(s, m.end()):
            continue
        if WITHIN_RE.match(s[m.end():m.end() + 12]) or BOUND_BEFORE_RE.search(s[max(0, m.start() - 8):m.start()]) \
                or WORKDAY_SPAN_RE.match(s, m.start()):
            has_time = True
            break
    # a span from an event of the service's calendar or a span of use deciding the refund: the window's tier
    if not has_time and "退" in s and (EVENT_SPAN_RE.search(s) or USE_SPAN_RE.search(s) or DATE_BOUND_RE.search(s)
                                       or (granted and fault_hit is None and EVENT_BEFORE_RE.search(s))):
        has_time = True                 # ... a date or a release still ahead bounding it ("9月25日之前", "正式发售之前")
    # "二十四小时内还没收到密钥的，可以退款": the window is the seller's delay, not the refund's
    seller_delay = any(SELLER_DELAY_RE.match(s, m.end()) for m in TIME_RE.finditer(s))
    if SUPP_RE.search(s) and (has_time or SUPP_CONSEQ_RE.search(s)):
        supplement = True
    elif EVIDENCE_RE.search(s) and SUPP_CONSEQ_RE.search(s) and has_time:
        supplement = True
    if supplement:
        kinds.append(("supplement_deadline", {}))
    elif (TIME_CONTEXT_RE.search(s) and REFUNDY_RE.search(s) and not (TIME_NOT_REFUND_RE.search(s) and "退" not in s)
          and (has_time or INSTANT_RE.search(s) or EXPIRE_RE.search(s) or PERIOD_RE.search(s)
               or _vague_refund_time(s) or LATE_RE.search(s) or (window and not seller_delay))):
        kinds.append(("refund_timeline", {}))
    elif has_time and DEADLINE_RE.search(s) and not (OTHER_REQUEST_RE.search(s) and "退" not in s) \
            and REFUND_DEADLINE_RE.search(s[DEADLINE_RE.search(s).start():]):   # not a deadline to pay or give an address
        kinds.append(("refund_timeline", {}))
    elif TIMED_WARRANTY_RE.search(s) and not WARRANTY_DENIED_RE.search(s):
        kinds.append(("refund_timeline", {}))   # "七天的账号保修期": the window for raising a problem

    seller_side = bool(SELLER_SUBJECT_RE.search(s))
    for m in ([] if seller_side else EVIDENCE_RE.finditer(s)):
        if EVIDENCE_NOT_PROOF_RE.match(s, m.end()) or EVIDENCE_NOT_PROOF_BEFORE_RE.search(s, 0, m.start()):
            continue                    # a record looked in, a voucher redeemed, a photo the service uses
        # a list of proofs ("说明时间、金额、订单号") shares the verb in front of its first item
        before = s[subclause_start(s.replace("、", " "), m.start()):m.start()]
        if len(before) > 30:
            before = before[-30:]
        after = subclause_after(s, m)
        sent_on = ((PROOF_SENT_RE.match(after) or PROOF_GATHERED_RE.match(after)) and PROOF_HANDED_RE.search(before)) \
            or PROOF_KEPT_RE.match(after)      # "截图等记录也要留好": the proof first, the demand after it
        direct = m.group(0) in ("录屏", "截图", "截屏", "录像", "拍照", "录下", "录制") and \
            before.endswith(("请", "请先", "需", "须", "立即", "马上", "及时"))
        demanded = direct or EVIDENCE_DEMAND_RE.search(before) or EVIDENCE_CONTEXT_RE.search(s)
        if shop_made_proof(s, m):
            continue
        if demanded and (direct or sent_on or EVIDENCE_ACT_RE.search(before)) and not EVIDENCE_NEG_RE.search(before):
            if m.group(0) in ("订单号", "订单编号", "单号") and not EVIDENCE_CONTEXT_RE.search(s):
                continue
            kinds.append(("evidence_required", {}))
            break

    info = None if seller_side or "evidence_required" in {k for k, _ in kinds} else INFO_DEMAND_RE.search(s)
    if info and INFO_IDENTIFIES_RE.search(info.group(0)) and (EVIDENCE_CONTEXT_RE.search(s) or CS_ROUTE_RE.search(s)) \
            and not EVIDENCE_NEG_RE.search(s[:info.start()]):
        kinds.append(("evidence_required", {}))    # "申请退款请发邮件，写明姓名、用户名和订阅邮箱"

    routes = COMPLAINT_NOT_RE.sub("", s)
    contact = _PAST_CONTACT_RE.sub("", s)
    if not seller_side and (positive_word(routes, COMPLAINT_RE)
            or (CS_RE.search(contact) and (ISSUE_RE.search(s) or CS_RESPONSE_RE.search(s)))
            or (ISSUE_RE.search(s) and REVIEW_RE.search(s))
            or (CS_ROUTE_RE.search(contact) and CS_PROBLEM_RE.search(s))) \
            and not complaint_route_excluded(normalise(simplified(sentence))):   # the conventions bind the rules too
        kinds.append(("complaint_channel", {}))

    # how changes are announced / take effect; "付款即表示接受本协议" alone is consent, not a change
    if CHANGE_RE.search(s) and (CHANGE_HOW_RE.search(s) or CONSENT_RE.search(s)):
        kinds.append(("agreement_change", {}))

    if FINAL_RE.search(s):
        kinds.append(("final_interpretation", {}))
    return kinds
