"""agreement.change_notice: the agreement says how changes are announced, with notice before they apply."""
from __future__ import annotations

import re

from cardshop_auditor.checks._common import ECOMMERCE, art, clause_evidence, clauses, say
from cardshop_auditor.checks.base import FAIL, PASS, WARN, Check, Result, ev

TITLE = {"zh": "协议说明了修改的公示方式和生效时间", "en": "The agreement says how changes are announced"}
FAILURE_TITLE = {"zh": "协议修改没有提前公示", "en": "Agreement changes are not announced in advance"}
DESCRIPTION = {
    "zh": "《电子商务法》第三十四条要求平台修改服务协议和交易规则时公开征求意见，修改内容至少在实施前七日公示。"
          "该条约束平台经营者；对单一店铺，说明协议如何修改、何时生效同样是买家需要知道的。"
          "没有修改条款为不通过；写明“自公告之日起生效”“即时生效”之类、不留公示期的为提醒。",
    "en": "Article 34 of the E-Commerce Law requires platforms to consult publicly on changes to "
          "their agreement and to publish changes at least seven days before they apply. It binds "
          "platform operators; for a single shop, how and when its terms change is still something a "
          "buyer needs to know. No change clause fails; a clause making changes effective on posting "
          "(自公告之日起生效, 即时生效) warns.",
}
REASONS = {
    "missing": {"zh": "协议没有说明如何修改、何时生效", "en": "the agreement does not say how changes are made or take effect"},
    "immediate": {"zh": "协议修改公布即生效，没有公示期", "en": "changes take effect on posting, with no notice period"},
    "ok": {"zh": "协议说明了修改的公示方式", "en": "the agreement says how changes are announced"},
}

# Effective on posting: 自公告之日起生效, 修改后立即生效, 一经在网站上公布即生效, 即时生效 …
# A notice period breaks the match ("公示七日后生效", "自发布之日起七日后生效"), and so does
# "修改生效后" (the change is named, not its timing).
IMMEDIATE = re.compile(
    r"即时生效|立即生效|即行生效|一经[^，。；]{0,10}?(?:公布|发布|公告|公示|修改|更新)"
    r"|(?:公告|公布|发布|公示|修改|更新|修订)(?:(?:之日起|之后|后|时)(?:即|立即)?|即|立即)(?:生效|施行|适用)")

ADVICE = {
    "zh": "协议可能随时被修改而不提前通知：下单前截图保存当时的协议和商品说明，发生纠纷时以下单时的版本为准。",
    "en": "The terms can change without notice: screenshot the agreement and product page when you buy.",
}

REQUIRES = ("agreement",)


def _evaluate(findings: dict) -> Result:
    agreement = findings["agreement"]
    found = clauses(findings, "agreement_change")
    if not found:
        return Result(FAIL, [ev(agreement.get("url"), agreement.get("title") or "")],
                      reason=say(REASONS["missing"]))
    immediate = [c for c in found if IMMEDIATE.search(c.get("text") or "")]
    if immediate:
        return Result(WARN, clause_evidence(findings, immediate), reason=say(REASONS["immediate"]))
    return Result(PASS, clause_evidence(findings, found), reason=say(REASONS["ok"]))


CHECK = Check(
    id="agreement.change_notice",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(ECOMMERCE, "三十四"),),
    severity="low", advice=ADVICE,
    requires=REQUIRES, depends_on=("agreement.present",), evaluate=_evaluate,
)
