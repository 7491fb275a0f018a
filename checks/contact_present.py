"""contact.present: the shop gives a way to reach it and a business address."""
from __future__ import annotations

from cardshop_auditor.checks._common import ALL_CONTACTS, CONSUMER, absence, art, contact_evidence, say
from cardshop_auditor.checks.base import FAIL, PASS, WARN, Check, Flag, Result

TITLE = {"zh": "公布了联系方式和经营地址", "en": "The shop gives contact details and an address"}
FAILURE_TITLE = {"zh": "没有公布联系方式", "en": "No contact details published"}
DESCRIPTION = {
    "zh": "《消费者权益保护法》第二十八条要求网络经营者向消费者提供经营地址、联系方式和售后服务等信息。"
          "联系方式和地址都有为通过；缺其一为提醒；一个也没有为不通过。",
    "en": "Article 28 of the Consumer Protection Law requires online sellers to give buyers their "
          "business address, contact details and after-sales information. Both pass; one of them "
          "warns; neither fails.",
}
REASONS = {
    "ok": {"zh": "有联系方式和经营地址", "en": "contact details and an address are given"},
    "no_address": {"zh": "有联系方式，但没有经营地址", "en": "contact details, but no business address"},
    "address_only": {"zh": "只有经营地址，没有联系方式", "en": "an address, but no way to contact the shop"},
    "absent": {"zh": "没有电话、邮箱、QQ、微信或地址", "en": "no phone, email, QQ, WeChat or address"},
}

FLAG = Flag(
    "no_contact", severity="medium",
    name={"zh": "没有任何联系方式", "en": "No contact information"},
    advice={"zh": "出了问题找不到人：不建议购买。", "en": "Nobody to contact if something goes wrong: we advise against buying."},
)

# what the checks that depend on this one lack when it found nothing
ABSENT = {"zh": "没有任何联系方式", "en": "no contact details"}

REQUIRES = ("contacts",)


def _evaluate(findings: dict) -> Result:
    reach = contact_evidence(findings, ALL_CONTACTS)
    address = contact_evidence(findings, ("address",))
    if reach and address:
        return Result(PASS, reach + address, reason=say(REASONS["ok"]))
    if reach:
        return Result(WARN, reach, reason=say(REASONS["no_address"]))
    if address:
        return Result(WARN, address, reason=say(REASONS["address_only"]))
    return Result(FAIL, [absence(findings, REASONS["absent"])], reason=say(REASONS["absent"]))


CHECK = Check(
    id="contact.present",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(CONSUMER, "二十八"),),
    requires=REQUIRES, evaluate=_evaluate, flag=FLAG, absent=ABSENT,
)
