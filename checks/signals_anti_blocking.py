"""signals.anti_blocking: the shop uses 防红 tricks to evade WeChat/QQ link blocking."""
from __future__ import annotations

from cardshop_auditor.checks._common import ECOMMERCE, art, signal_result
from cardshop_auditor.checks.base import Check, Flag, Result

TITLE = {"zh": "没有发现防红跳转", "en": "No anti-blocking (防红) tricks"}
FAILURE_TITLE = {"zh": "网站使用防红手段躲避微信/QQ 拦截",
                 "en": "The site evades WeChat/QQ link blocking (防红)"}
DESCRIPTION = {
    "zh": "“防红”是让链接躲过微信、QQ 的风险网址拦截的手段（如“本站不支持在微信或QQ内访问”、跳转外部浏览器）。"
          "这些拦截正是用来提醒买家的；"
          "刻意躲开它们的店铺，买家看不到本该看到的风险提示，有违《电子商务法》第十七条不得欺骗、误导消费者的要求。"
          "法律并未单独禁止这项技术，它是供人工复核的风险信号，不计入透明度得分。",
    "en": "防红 (anti-blocking) makes links slip past WeChat's and QQ's risky-URL blocking (“this "
          "site cannot be opened inside WeChat or QQ”, forced jumps to an outside browser). That "
          "blocking exists to warn buyers; a shop that dodges it hides the warning a buyer would "
          "otherwise see, against Article 17 of the E-Commerce Law (no deceiving or misleading "
          "consumers). The technique is not itself forbidden by statute: this is a risk signal for "
          "human review and does not enter the score.",
}
REASONS = {
    "clean": {"zh": "没有发现防红手段", "en": "no anti-blocking found"},
    "found": {"zh": "发现防红手段：{ids}", "en": "anti-blocking fingerprints: {ids}"},
}

FLAG = Flag(
    "anti_blocking", severity="high",
    name={"zh": "使用“防红”躲避拦截", "en": "Uses anti-blocking (“防红”)"},
    advice={
        "zh": "“防红”用来躲避微信、QQ 的风险拦截，常见于被举报过的网站：请高度警惕。",
        "en": "“Anti-blocking” dodges WeChat/QQ safety warnings and is common on reported sites: be very careful.",
    },
)

REQUIRES = ("signals",)


def _evaluate(findings: dict) -> Result:
    return signal_result(findings, "anti_blocking", REASONS)


CHECK = Check(
    id="signals.anti_blocking",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(ECOMMERCE, "十七"),),
    requires=REQUIRES, evaluate=_evaluate, flag=FLAG,
)
