"""How far a refusal reaches: the blanket shape of the written convention (a refund refused for
every sale, with no carve-out) against the narrower reasons that make a refusal another kind:
a category of goods named, stored value or goods of one kind refused as such, one kind
refunded beside another refused, a fault carved out, a price gap only.  clause_rules.py reads
them for one sentence; clause_conventions.py holds the classifier to the blanket shape.
"""
from __future__ import annotations

import re

from cardshop_auditor.extract.clause_sentence import (
    delivery_trigger_only, refund_polarity, subclause_start,
)
from cardshop_auditor.extract.clause_triggers import (
    HEDGED_DELIVERY_RE, HEDGE_RE, USED_STATE_RE, USE_TRIGGER_RE,
)
from cardshop_auditor.extract.clause_vocab import (
    ACT_UNUSED_RE, BUYER_FAULT_RE, CARVE_FAULT_RE, CHANNEL_RE, CONDITION_HEAD_RE, CONTRAST_GOODS_RE, ELSEWHERE_BOUGHT_RE,
    FAULT_RE, FINAL_SALE_RE, GOODS_KIND_SUBJECT_RE, LATE_RE, NOT_FAULT_BEFORE, NO_REASON_RE, ONE_SHOT_RE,
    REDIRECTED_RE, REFUND_RE, SCOPE_RE, SOFTEN_RE, SPECIAL_LIST_RE, SPECIAL_RE, STORED_VALUE_RE, SUBCLAUSE_RE,
    SWEEP_CLAUSE_RE, SWEPT_GOODS_TRIGGER_RE, SWEEP_RE, TIME_RE, UNACT_RE, USED_RE, VIRTUAL_NATURE_RE,
)

# "点数、卡片等所有虚拟商品", "一切购买，包括虚拟盲盒、积分…": every kind of goods, listed
LIST_SWEPT_RE = re.compile(r"等(?:所有|全部|一切)|(?:所有|一切|全部)[^，。；;]{0,8}[，,]?(?:包括|包含|含)")
# "不论是在线支付还是用学习卡购买的…": the categories named are all of them, not one excluded
# ("无论何种形式都不予退款" names no categories)
WHATEVER_RE = re.compile(r"(?:不论|无论|不管)(?!何种|什么|任何|哪种|因何|何|多少|是否|原因|理由|如何)")


USUALLY_RE = re.compile(r"通常|一般|可能")
# "知悉直充到账后不支持退款（协议第5.3条）": a refusal restating a numbered article is as wide as
# that article, which is read (and judged) on its own
ARTICLE_REF_RE = re.compile(r"(?:协议|条款|规则|须知|本协议)?第[0-9一二三四五六七八九十]+(?:\.[0-9]+)*条")


def _refused_only(s: str) -> bool:
    """A refund refused and none granted."""
    granted, refused = refund_polarity(s)
    return refused and not granted


def _softened(s: str) -> bool:
    """The refusal carved out or softened: a defect or fault named, a 七天无理由 window, 原则上, 通常
    ("一旦成功交付，通常不予退款")."""
    return bool(SOFTEN_RE.search(s) or CARVE_FAULT_RE.search(s) or NO_REASON_RE.search(s) or FAULT_RE.search(s)
                or USUALLY_RE.search(s))


def delivery_only_refusal(s: str) -> bool:
    """"发货后不支持退款": a delivery the only trigger, unhedged and uncarved, is the sale rule (README: blanket alone)."""
    return delivery_trigger_only(s) and blanket_shape(s) and not HEDGED_DELIVERY_RE.search(s)


def virtual_nature(s: str) -> bool:
    """"由于虚拟产品的特殊性，…一律不接受退款": the nature of all the goods, with a sweeping word."""
    return bool(VIRTUAL_NATURE_RE.search(s) and SWEEP_RE.search(VIRTUAL_NATURE_RE.sub("", s)))


def sweeping_clause(s: str) -> bool:
    """A sub-clause refusing every payment or sale on its own ("所有付款都不可退还，用了一部分的订阅也…"):
    a narrower refusal beside it does not narrow this one."""
    for part in SUBCLAUSE_RE.split(s):
        if SWEEP_CLAUSE_RE.search(part) and not (USE_TRIGGER_RE.search(part) or USED_RE.search(part) or HEDGE_RE.search(part)
                                                  or SPECIAL_RE.search(part) or BUYER_FAULT_RE.search(part)):
            return True
    return False


def blanket_shape(s: str) -> bool:
    """Could ``s`` (normalised) be a blanket no-refund term by the written convention?  A refund
    refused and none granted, naming no carve-out (defects, platform fault, a legal
    reservation, 原则上, a 七天无理由 window), and no narrower kind's reason: a category of
    goods, the buyer's own doing, a state of some goods, or applying late.  The classifier
    adds blanket_no_refund only where this holds (a resemblance alone raises no high flag)."""
    if not _refused_only(s) or not (REFUND_RE.search(s) or FINAL_SALE_RE.search(s)):
        return False
    if _softened(s) or ARTICLE_REF_RE.search(s):
        return False
    if ONE_SHOT_RE.search(s) or virtual_nature(s):   # "一经售出概不退换，买错、不想要均不退款":
        return True                             # the examples that follow do not narrow the sale rule, nor
                                                # does a card shop's "卡密类商品一经售出…" (its whole stock)
    if sweeping_clause(s):
        return True
    if (SPECIAL_RE.search(s) and not WHATEVER_RE.search(s) and not LIST_SWEPT_RE.search(s)) or (SPECIAL_LIST_RE.search(s) and not LIST_SWEPT_RE.search(s)) \
            or SCOPE_RE.search(s) or BUYER_FAULT_RE.search(s):
        return False
    return not (CONDITION_HEAD_RE.match(s) or LATE_RE.search(s) or USED_STATE_RE.search(s) or ACT_UNUSED_RE.search(s)
                or USE_TRIGGER_RE.search(s) or HEDGE_RE.search(s))


def swept_goods_triggered(s: str) -> bool:
    """"虚拟商品一旦使用就无法退款": every virtual good refused from its use or activation on, with no
    hedge, carve-out, state of some goods, buyer's fault or condition beside it: blanket (and used)."""
    if not SWEPT_GOODS_TRIGGER_RE.search(s) or not _refused_only(s):
        return False
    return not (_softened(s) or HEDGE_RE.search(s) or USED_STATE_RE.search(s) or LATE_RE.search(s)
                or BUYER_FAULT_RE.search(s) or CONDITION_HEAD_RE.match(s) or _CONSUMED_RE.search(s))


_CONSUMED_RE = re.compile(r"视为(?:已)?(?:消耗|消费|使用完毕|用完)")
_BECAUSE_RE = re.compile(r"(?:这是)?(?:因为|由于)")   # an explanation of the terms, not a term
_PAID_WITH_RE = re.compile(r"(?:余额)?(?:支付|付款|购买|抵扣|买)")
_PAID_BY_RE = re.compile(r"(?:用|使用|以|通过)[^，。；;]{0,6}$")


def special_named(s: str) -> bool:
    """A special category named outside a "不论A还是B" span ("不论首次购买还是续费，域名注册费都不能退":
    the occasions are swept, the domain fee is the category)."""
    swept = [(m.start(), (SUBCLAUSE_RE.search(s, m.end()) or re.search(r"$", s)).start()) for m in WHATEVER_RE.finditer(s)]
    return any(not any(a <= m.start() < b for a, b in swept) for m in SPECIAL_RE.finditer(s))


# the whole stock as the scope ("所有商品", "本站出售的商品"): a gift card in it is no category of its own; a sale
# trigger or the virtual-goods ground beside a gift card leaves it one (README: goods named by their kind)
_STOCK_SCOPE_RE = re.compile(r"所有|全部|一切|本(?:站|店|平台|网站|商城)(?:所有|全部|出售|销售)?的?(?:商品|产品)")


def stored_value_refused(s: str, state_named: bool) -> bool:
    """"电子礼品卡不设退款": stored-value goods refused as a category; a used or pending state
    ("已兑换的礼品卡") is the used / unactivated case instead, a sweep ("等所有") no category."""
    goods = [m for m in STORED_VALUE_RE.finditer(s)       # paid with a gift card: a means, not the goods
             if not _PAID_WITH_RE.match(s, m.end()) and not _PAID_BY_RE.search(s[max(0, m.start() - 8):m.start()])]
    return bool(goods) and not state_named and not LIST_SWEPT_RE.search(s) and not CHANNEL_RE.search(s) and not _BECAUSE_RE.match(s) \
        and not _STOCK_SCOPE_RE.search(STORED_VALUE_RE.sub("", s)) and not FAULT_RE.search(s) and not BUYER_FAULT_RE.search(s)


# the amount a refund pays after a price change or a promotion ("调价或促销都不退差价", "按实际支付的金额
# 计算退款，不能要求按原价退"): no category of goods is excluded
# a coupon kept out of a refund ("用过的优惠券不会退回") is the refund's amount too (README, c0661)
_PRICE_GAP_RE = re.compile(r"(?:不退|不补|不予退还|退还?)差价|(?:要求)?按原价退(?:款)?|按实际支付的?(?:金额|价格)(?:计算)?退款|"
                           r"(?:优惠券|代金券|红包|抵扣券|折扣券|现金券|抵用券)[^，。；;]{0,8}?(?:都|均|也)?(?:不会?|不予|不能|无法)(?:被)?(?:退|返)[^，。；;]*")


def goods_kind_refused(s: str, state_named: bool) -> bool:
    """"门票售出后一律不退不换": goods named by their kind, refused as such (no used or pending state, no list swept,
    not the buyer's fault, not a means of payment)."""
    return bool(GOODS_KIND_SUBJECT_RE.search(s)) and not state_named and not LIST_SWEPT_RE.search(s) \
        and not BUYER_FAULT_RE.search(s) and not CHANNEL_RE.search(s) and not (FAULT_RE.search(s) and not fault_carved_out(s))


def bought_elsewhere(s: str) -> bool:
    """"通过第三方代充的，官方一律不受理", "在苹果端购买的订阅，退款请向苹果申请": goods bought through another
    party, their refund refused here or sent to that party: a category (iOS purchases, 代充 orders)."""
    return bool(ELSEWHERE_BOUGHT_RE.search(s)) and (bool(REDIRECTED_RE.search(s)) or _refused_only(s))


def price_gap_only(s: str) -> bool:
    return bool(_PRICE_GAP_RE.search(s)) and not refund_polarity(_PRICE_GAP_RE.sub("", s))[1]


def contrast_goods(s: str) -> bool:
    """One kind of goods refunded, another refused in its own sub-clause ("游戏账号可以退款，游戏密钥不支持退款")."""
    parts = [p for p in re.split(r"[，,。；;：:]", s) if p]
    polar = [refund_polarity(p) for p in parts]
    if not any(g and not r for g, r in polar):
        return False
    return any(r and not g and CONTRAST_GOODS_RE.search(p) and not (USED_RE.search(p) or UNACT_RE.search(p) or LATE_RE.search(p)
                                                                    or BUYER_FAULT_RE.search(p) or TIME_RE.search(p))
               for p, (g, r) in zip(parts, polar))


_CARVED_AFTER_RE = re.compile(r"[^，。；;]{0,10}?的?(?:情况|情形)?(?:除外|不在此限)")
# "除了演出变更、取消或者票出错的情况，不办理退换": the exception names the fault first
_CARVED_BEFORE_RE = re.compile(r"除(?:了|非)?(?:是)?[^，。；;]{0,8}$")


def fault_carved_out(s: str) -> bool:
    """A refusal that excepts a fault ("月度订阅不能退款，重复扣费或其他记账错误的除外"): the fault is refunded."""
    return any((_CARVED_AFTER_RE.match(s, m.end()) and not NOT_FAULT_BEFORE.search(s[max(0, m.start() - 4):m.start()]))
               or _CARVED_BEFORE_RE.search(s[subclause_start(s, m.start()):m.start()]) for m in FAULT_RE.finditer(s))
