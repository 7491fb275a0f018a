"""refund.timeline: the refund terms say how long a refund takes, and it is not unreasonably long."""
from __future__ import annotations

import math
import re

from cardshop_auditor.checks._common import (CONSUMER, CONSUMER_PENALTIES, REFUND_KINDS, art, clause_evidence,
                                             clauses, say)
from cardshop_auditor.checks.base import FAIL, PASS, WARN, Check, Result

TITLE = {"zh": "退款条款写明了处理和到账时限", "en": "The refund terms state how long a refund takes"}
FAILURE_TITLE = {"zh": "退款条款没有写明时限", "en": "The refund terms give no time limit"}
DESCRIPTION = {
    "zh": "《消费者权益保护法》第二十八条要求提供履行期限和售后服务信息，第二十五条要求经营者自收到退回商品之日起七日内返还价款；"
          "《侵害消费者权益行为处罚办法》第九条把超过十五日未返还价款视为故意拖延。"
          "有退款条款却不写时限为不通过；承诺的退款到账时间超过十五日（工作日按 7/5 折算）为提醒。",
    "en": "Article 28 of the Consumer Protection Law requires information on time limits and "
          "after-sales; Article 25 requires the price returned within seven days of receiving the "
          "returned goods; Article 9 of the Measures on Penalties for Infringing Consumer Rights "
          "treats more than fifteen days without repayment as wilful delay. Refund terms without a "
          "time limit fail; a promised refund time over fifteen days (working days × 7/5) warns.",
}
REASONS = {
    "missing": {"zh": "有退款条款，但没有说明审核或到账时限", "en": "refund terms exist but give no processing or arrival time"},
    "slow": {"zh": "退款最长约需 {days} 天，超过十五日", "en": "refunds may take about {days} days, over fifteen"},
    "ok": {"zh": "写明了退款时限", "en": "the refund time is stated"},
}

# Beyond this many calendar days an unpaid refund counts as wilful delay
# (侵害消费者权益行为处罚办法 第九条（四）; the same fifteen days in 第八条 and 第十条).
WILFUL_DELAY_DAYS = 15

_CN = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(\d+|[零一二两三四五六七八九十]+)"
# "3-7 个工作日内退还", "十五日内原路退回", "48 小时内到账"; the words in between may not turn
# the period into an application window ("30 日内可申请退款" is not a refund time).
PERIOD = re.compile(_NUM + r"\s*(?:[-~～—至到]\s*" + _NUM + r")?\s*个?\s*(工作日|自然日|天|日|小时)"
                    r"\s*(?:之内|以内|内)?([^，。；,;]{0,6}?)(?:退还|退回|退款|到账|返还|原路)")
NOT_A_REFUND_TIME = re.compile(r"申请|提交|提出|联系")


def _number(token: str) -> int:
    if token.isdigit():
        return int(token)
    tens, ten, ones = token.partition("十")
    if not ten:
        return _CN.get(token, 0)
    return (_CN.get(tens, 1) if tens else 1) * 10 + (_CN.get(ones, 0) if ones else 0)


def longest_days(text: str) -> float | None:
    """The longest refund time the text promises, in calendar days (None if it names none)."""
    days = []
    for low, high, unit, between in PERIOD.findall(text):
        if NOT_A_REFUND_TIME.search(between):
            continue
        n = _number(high or low)
        days.append(math.ceil(n * 7 / 5) if unit == "工作日" else n / 24 if unit == "小时" else n)
    return max(days) if days else None


ADVICE = {
    "zh": "退款没有写明处理时限：申请后保留记录，超过合理时间没有处理可以投诉。",
    "en": "No refund time limit is stated: keep records of your request and complain if it drags on.",
}

REQUIRES = ("agreement",)


def _evaluate(findings: dict) -> Result:
    found = clauses(findings, "refund_timeline")
    if not found:
        return Result(FAIL, clause_evidence(findings, clauses(findings, *REFUND_KINDS)[:3]),
                      reason=say(REASONS["missing"]))
    slow = [(d, c) for c in found if (d := longest_days(c.get("text") or "")) and d > WILFUL_DELAY_DAYS]
    if slow:
        days = max(d for d, _ in slow)
        return Result(WARN, clause_evidence(findings, [c for _, c in slow]),
                      reason=say(REASONS["slow"], days=f"{days:g}"))
    return Result(PASS, clause_evidence(findings, found), reason=say(REASONS["ok"]))


CHECK = Check(
    id="refund.timeline",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(CONSUMER, "二十八"), art(CONSUMER, "二十五"), art(CONSUMER_PENALTIES, "九")),
    severity="low", advice=ADVICE,
    requires=REQUIRES, depends_on=("refund.policy_present",), evaluate=_evaluate,
)
