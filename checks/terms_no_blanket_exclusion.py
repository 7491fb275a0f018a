"""terms.no_blanket_exclusion: no "一经售出，概不退换" style exclusion of every refund."""
from __future__ import annotations

import re

from cardshop_auditor.checks._common import (CIVIL_CODE, CONSUMER, CONSUMER_PENALTIES, art, clause_evidence,
                                             clauses, say)
from cardshop_auditor.checks.base import FAIL, PASS, WARN, Check, Flag, Result, ev

TITLE = {"zh": "条款没有一概排除退款", "en": "The terms do not exclude every refund"}
FAILURE_TITLE = {"zh": "条款一概排除退款（如“一经售出，概不退换”）",
                 "en": "The terms exclude every refund (“no refunds once sold”)"}
DESCRIPTION = {
    "zh": "“一经售出，概不退换”之类的格式条款排除了消费者依法退货、退款的权利："
          "《消费者权益保护法》第二十六条规定此类内容无效，《民法典》第四百九十七条规定不合理地免除己方责任、"
          "排除对方主要权利的格式条款无效，《侵害消费者权益行为处罚办法》第十二条禁止经营者作出此类规定。"
          "即使是不适用无理由退货的虚拟商品，卡密无效、重复扣款等平台原因造成的损失仍须退款或补发。"
          "条款本身带有“法律另有规定的除外”等保留时，只给出提醒。",
    "en": "A standard term like “no refunds or exchanges once sold” excludes the buyer's statutory "
          "rights: Article 26 of the Consumer Protection Law makes it void, Article 497 of the Civil "
          "Code voids standard terms that unreasonably exclude the drafter's liability or the other "
          "party's main rights, and Article 12 of the Measures on Penalties for Infringing Consumer "
          "Rights forbids it. Even for digital goods exempt from no-reason returns, invalid card keys "
          "or double charges must still be refunded or reissued. A clause that carries its own "
          "exception (“unless the law provides otherwise”) only warns.",
}
REASONS = {
    "blanket": {"zh": "{n} 条条款一概排除退款", "en": "{n} clauses exclude every refund"},
    "qualified": {"zh": "条款排除退款，但保留了法定或例外情形", "en": "refunds are excluded, but with a legal or stated exception"},
    "ok": {"zh": "没有一概排除退款的条款", "en": "no blanket refund exclusion"},
}

# The exclusion qualifies itself: 法律另有规定的除外, 除质量问题外, 依法 …
QUALIFIED = re.compile(r"(?:法律|法规|国家)[^，。；]{0,6}规定|依法|除外|除(?!此)[^，。；]{1,20}外")

FLAG = Flag(
    "blanket_no_refund", severity="high",
    name={"zh": "“一经售出概不退换”类条款", "en": "Blanket no-refund clause"},
    advice={
        "zh": "这类条款排除消费者权利，依法可能无效：卡密无效或与描述不符时仍可要求退款，协商不成可拨打 12315 投诉。",
        "en": "Such terms are likely void: you can still ask for a refund for invalid card keys; if refused, complain via 12315.",
    },
)

REQUIRES = ("agreement",)


def _evaluate(findings: dict) -> Result:
    agreement = findings["agreement"]
    found = clauses(findings, "blanket_no_refund")
    unqualified = [c for c in found if not QUALIFIED.search(c.get("text") or "")]
    if unqualified:
        return Result(FAIL, clause_evidence(findings, unqualified),
                      reason=say(REASONS["blanket"], n=len(unqualified)))
    if found:
        return Result(WARN, clause_evidence(findings, found), reason=say(REASONS["qualified"]))
    return Result(PASS, [ev(agreement.get("url"), agreement.get("title") or "")], reason=say(REASONS["ok"]))


CHECK = Check(
    id="terms.no_blanket_exclusion",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(CONSUMER, "二十六"), art(CIVIL_CODE, "四百九十七"), art(CONSUMER_PENALTIES, "十二")),
    requires=REQUIRES, depends_on=("agreement.present",), evaluate=_evaluate, flag=FLAG,
)
