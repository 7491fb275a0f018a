"""contact.not_qq_only: contact is not only a QQ number or group that can vanish overnight."""
from __future__ import annotations

from cardshop_auditor.checks._common import (ANONYMOUS_CONTACTS, CONSUMER, TRACEABLE_CONTACTS, art,
                                             contact_evidence, not_applicable, say)
from cardshop_auditor.checks.base import FAIL, PASS, Check, Flag, Result

TITLE = {"zh": "联系方式不只有 QQ", "en": "Contact is not only QQ"}
FAILURE_TITLE = {"zh": "只能通过 QQ/QQ群 联系", "en": "The only contact is QQ / a QQ group"}
DESCRIPTION = {
    "zh": "《消费者权益保护法》第二十八条要求网络经营者提供经营地址和联系方式。只留 QQ 号或 QQ 群的店铺，"
          "号码可以成批买到、随时弃用或拉黑，买家出了问题便无处可找；这是野鸡卡盟最常见的特征之一"
          "（ZFAKA 默认只收集 QQ，异次元默认只有客服 QQ）。"
          "有电话、邮箱、微信（绑定手机号）或地址中的任何一项即通过；Telegram 与 QQ 同样对待。",
    "en": "Article 28 of the Consumer Protection Law requires online sellers to give an address and "
          "contact details. A shop reachable only by a QQ number or QQ group — numbers bought in bulk, "
          "dropped or blocked at will — leaves buyers nowhere to turn: one of the commonest "
          "fly-by-night signs (ZFAKA asks buyers only for a QQ number; acg-faka ships with a service "
          "QQ). Any phone, email, WeChat (bound to a phone number) or address passes; Telegram counts "
          "like QQ.",
}
REASONS = {
    "qq_only": {"zh": "只有 QQ/QQ群，没有电话、邮箱、微信或地址",
                "en": "only QQ / QQ groups; no phone, email, WeChat or address"},
    "ok": {"zh": "有电话、邮箱、微信或地址", "en": "a phone, email, WeChat or address is given"},
}

FLAG = Flag(
    "contact_qq_only", severity="medium",
    name={"zh": "只有QQ联系方式", "en": "QQ is the only contact"},
    advice={
        "zh": "只留QQ的卖家随时可能消失：保存聊天记录，避免大额或长期充值。",
        "en": "A QQ-only seller can vanish at any time: keep chat records and avoid large or long-term top-ups.",
    },
)

REQUIRES = ("contacts",)


def _evaluate(findings: dict) -> Result:
    traceable = contact_evidence(findings, TRACEABLE_CONTACTS + ("address",))
    anonymous = contact_evidence(findings, ANONYMOUS_CONTACTS)
    if traceable:
        return Result(PASS, traceable, reason=say(REASONS["ok"]))
    return Result(FAIL, anonymous, reason=say(REASONS["qq_only"]))


CHECK = Check(
    id="contact.not_qq_only",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(CONSUMER, "二十八"),),
    requires=REQUIRES, depends_on=("contact.present",), evaluate=_evaluate, flag=FLAG,
)
