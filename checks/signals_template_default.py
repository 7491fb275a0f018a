"""signals.template_default: the shop runs an open-source card-shop template left at its defaults."""
from __future__ import annotations

from checks._common import CONSUMER, ECOMMERCE, art, gate, signal_result
from checks.base import Check, Result

TITLE = {"zh": "没有发现未改动的开源发卡模板", "en": "No unchanged open-source shop template"}
FAILURE_TITLE = {"zh": "网站是未改动的开源发卡模板",
                 "en": "The site is an unchanged open-source shop template"}
DESCRIPTION = {
    "zh": "独角数卡、异次元、ZFAKA 等开源发卡系统都没有协议或退款页面，独角数卡和 ZFAKA 连备案号字段也没有："
          "一切合规信息都要站长自己写进公告或页脚。页面上仍留着“Powered by @独角数卡”"
          "“异次元店铺 - 最适合你的个人店铺系统！”之类的默认文字，说明站长什么都没改，"
          "通常也就没有公示《电子商务法》第十五条要求的营业执照信息或《消费者权益保护法》第二十一条要求的真实名称。"
          "这是供人工复核的风险信号，不计入透明度得分。",
    "en": "Open-source card-shop systems (dujiaoka, acg-faka 异次元, ZFAKA) ship no agreement or "
          "refund page, and dujiaoka and ZFAKA have no field for a filing number either: every "
          "disclosure is whatever the operator writes into a notice or footer. Default text still on "
          "the page (“Powered by @独角数卡”, “异次元店铺 - 最适合你的个人店铺系统！”) means the "
          "operator changed nothing, and usually shows neither the licence information Article 15 of "
          "the E-Commerce Law nor the real name Article 21 of the Consumer Protection Law requires. "
          "A risk signal for human review; it does not enter the score.",
}
REASONS = {
    "clean": {"zh": "没有发现默认模板文字", "en": "no default template text found"},
    "found": {"zh": "发现默认模板指纹：{ids}", "en": "default template fingerprints: {ids}"},
}

REQUIRES = ("signals",)


def _evaluate(findings: dict) -> Result:
    if blocked := gate(findings, REQUIRES):
        return blocked
    return signal_result(findings, "template", REASONS)


CHECK = Check(
    id="signals.template_default",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    weight=0, severity="high",     # a risk signal: shown with its evidence, not scored
    basis=(art(ECOMMERCE, "十五"), art(CONSUMER, "二十一")),
    requires=REQUIRES, evaluate=_evaluate, flag="template_default",
)
