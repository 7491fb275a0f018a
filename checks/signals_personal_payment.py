"""signals.personal_payment: payment goes to a person (免签, 码支付, personal QR) or only in USDT."""
from __future__ import annotations

from cardshop_auditor.checks._common import CONSUMER, art, signal_result
from cardshop_auditor.checks.base import Check, Flag, Result

TITLE = {"zh": "没有发现个人收款或免签支付", "en": "No personal or unlicensed payment channel"}
FAILURE_TITLE = {"zh": "使用个人收款、免签/码支付或只收 USDT",
                 "en": "Pays into personal accounts, 免签/码支付, or USDT only"}
DESCRIPTION = {
    "zh": "免签支付、码支付、易支付聚合和个人收款码把货款付进个人账户，USDT 则无法追回；"
          "买家无法知道钱付给了谁，出了问题也无法通过支付机构追回。"
          "《消费者权益保护法》第二十一条要求经营者标明真实名称，收款方却是身份不明的个人。"
          "这是供人工复核的风险信号，不计入透明度得分。",
    "en": "免签 and 码支付 gateways, 易支付 aggregators and personal QR codes pay into private accounts, "
          "and USDT cannot be clawed back: the buyer cannot tell who was paid or get the money back "
          "through a payment institution. Article 21 of the Consumer Protection Law requires a "
          "seller's real name; here the payee is an unnamed individual. A risk signal for human "
          "review; it does not enter the score.",
}
REASONS = {
    "clean": {"zh": "没有发现个人收款或免签支付", "en": "no personal or unlicensed payment found"},
    "found": {"zh": "发现支付方式：{ids}", "en": "payment fingerprints: {ids}"},
}

FLAG = Flag(
    "personal_payment", severity="high",
    name={"zh": "个人收款、免签或USDT支付", "en": "Personal, unofficial or USDT payment"},
    advice={
        "zh": "个人收款码、免签支付或 USDT 付款几乎无法追回：尽量使用有平台担保、可以申诉的支付方式。",
        "en": "Personal QR codes, “no-signup” gateways and USDT are almost impossible to recover: prefer payments you can dispute.",
    },
)

REQUIRES = ("signals",)


def _evaluate(findings: dict) -> Result:
    return signal_result(findings, "payment", REASONS)


CHECK = Check(
    id="signals.personal_payment",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(CONSUMER, "二十一"),),
    requires=REQUIRES, evaluate=_evaluate, flag=FLAG,
)
