"""agreement.reachable: the agreement is linked from the home page (nav, footer or body)."""
from __future__ import annotations

from cardshop_auditor.checks._common import CONSUMER, ECOMMERCE, art, not_applicable, say
from cardshop_auditor.checks.base import FAIL, PASS, Check, Result, ev

TITLE = {"zh": "首页有通往用户协议的链接", "en": "The home page links to the agreement"}
FAILURE_TITLE = {"zh": "首页没有通往用户协议的链接", "en": "The home page does not link to the agreement"}
DESCRIPTION = {
    "zh": "《电子商务法》第三十三条要求平台在首页显著位置公示协议或其链接，并保证便利、完整地阅览和下载；"
          "《消费者权益保护法》第二十六条要求以显著方式提请消费者注意格式条款中的重要内容。"
          "协议只藏在下单后或深层页面里，买家在付款前看不到。",
    "en": "Article 33 of the E-Commerce Law requires the agreement, or a link to it, prominently on "
          "the home page, easy to read and download in full; Article 26 of the Consumer Protection Law "
          "requires standard terms to be brought to the buyer's attention prominently. Terms reachable "
          "only after ordering, or deep inside the site, are not seen before paying.",
}
REASONS = {
    "unknown": {"zh": "未能判断首页是否链接到协议", "en": "could not tell whether the home page links to it"},
    "linked": {"zh": "首页链接到《{title}》", "en": "the home page links to “{title}”"},
    "unlinked": {"zh": "《{title}》存在，但首页没有链接到它", "en": "“{title}” exists but the home page does not link to it"},
}

ADVICE = {
    "zh": "用户协议不容易找到：下单前找到并保存一份，先看清退款条件。",
    "en": "The agreement is hard to find: locate it and save a copy before buying.",
}

REQUIRES = ("agreement",)


def _evaluate(findings: dict) -> Result:
    agreement = findings["agreement"]
    title = agreement.get("title") or agreement.get("url") or ""
    evidence = [ev(agreement.get("url"), title)]
    reachable = agreement.get("reachable_from_home")
    if reachable is None:
        return not_applicable(REASONS["unknown"])
    if not reachable:
        return Result(FAIL, evidence, reason=say(REASONS["unlinked"], title=title))
    return Result(PASS, evidence, reason=say(REASONS["linked"], title=title))


CHECK = Check(
    id="agreement.reachable",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(ECOMMERCE, "三十三"), art(CONSUMER, "二十六")),
    severity="low", advice=ADVICE,
    requires=REQUIRES, depends_on=("agreement.present",), evaluate=_evaluate,
)
