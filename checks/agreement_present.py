"""agreement.present: the shop publishes a user / service agreement or purchase terms."""
from __future__ import annotations

from cardshop_auditor.checks._common import CONSUMER, ECOMMERCE, absence, art, say
from cardshop_auditor.checks.base import FAIL, PASS, Check, Flag, Result, ev

TITLE = {"zh": "网站公布了用户协议或购买须知", "en": "The site publishes a user agreement or purchase terms"}
FAILURE_TITLE = {"zh": "未找到用户协议或购买须知", "en": "No user agreement or purchase terms found"}
DESCRIPTION = {
    "zh": "《消费者权益保护法》第二十八条要求网络经营者向消费者提供售后服务、民事责任等信息；"
          "《电子商务法》第三十三条要求电子商务平台经营者在首页显著位置持续公示平台服务协议和交易规则（适用于有入驻商户的卡盟平台）。"
          "没有协议，买家下单前无从知道退款、售后和责任如何约定。",
    "en": "Article 28 of the Consumer Protection Law requires online sellers to give buyers "
          "after-sales and liability information; Article 33 of the E-Commerce Law requires "
          "platform operators (卡盟 hosting merchants) to display their service agreement and trading "
          "rules on the home page. Without terms a buyer cannot know, before paying, how refunds, "
          "after-sales and liability work.",
}
REASONS = {
    "found": {"zh": "找到《{title}》", "en": "found “{title}”"},
    "absent": {"zh": "未找到用户协议、服务条款或购买须知", "en": "no user agreement, terms or purchase notice found"},
}

FLAG = Flag(
    "no_agreement", severity="medium",
    name={"zh": "没有用户协议", "en": "No user agreement"},
    advice={
        "zh": "没有书面规则，退款全凭卖家一句话：付款前截图商品说明和客服承诺，保留聊天记录。",
        "en": "No written rules: screenshot the product description and the seller's promises before paying.",
    },
)

# what the checks that depend on this one lack when it found nothing
ABSENT = {"zh": "未找到用户协议", "en": "no agreement found"}

REQUIRES = ("agreement",)


def _evaluate(findings: dict) -> Result:
    agreement = findings["agreement"]
    # Refund sentences scattered over ordinary pages (a "概不退换" line under a product) are
    # kept as clauses, but they are not an agreement a buyer can read before paying.
    if not agreement or not agreement.get("url"):
        # the terms checks still read scattered clauses: they depend on there being any
        return Result(FAIL, [absence(findings, REASONS["absent"])], reason=say(REASONS["absent"]),
                      subject_found=bool(agreement))
    title = agreement.get("title") or agreement.get("url") or ""
    return Result(PASS, [ev(agreement.get("url"), title)], reason=say(REASONS["found"], title=title))


CHECK = Check(
    id="agreement.present",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(CONSUMER, "二十八"), art(ECOMMERCE, "三十三")),
    requires=REQUIRES, evaluate=_evaluate, flag=FLAG, absent=ABSENT,
)
