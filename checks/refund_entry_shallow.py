"""refund_entry.shallow: the refund entry is at most three clicks away and not inside a 更多 menu."""
from __future__ import annotations

from cardshop_auditor.checks._common import CONSUMER, art, not_applicable, say
from cardshop_auditor.checks.base import FAIL, PASS, Check, Flag, Result, ev

TITLE = {"zh": "退款入口容易找到", "en": "The refund entry is easy to reach"}
FAILURE_TITLE = {"zh": "退款入口藏得很深", "en": "The refund entry is hidden"}
DESCRIPTION = {
    "zh": "《消费者权益保护法》第二十五条的退货权、第二十八条要求提供的售后服务信息，"
          "都要求买家能实际找到办理退款的地方。入口需要超过三次点击，或者只藏在“更多”之类的折叠菜单里，"
          "买家往往找不到。三次点击是本工具的标准（见 DESIGN.md），不是法律规定的数字。",
    "en": "The return right of Article 25 of the Consumer Protection Law and the after-sales "
          "information Article 28 requires both assume a buyer can actually find where to ask for a "
          "refund. An entry more than three clicks away, or only inside an overflow menu such as "
          "“更多”, is one buyers miss. Three clicks is this tool's threshold (DESIGN.md), not a "
          "number in the law.",
}
REASONS = {
    "unmeasured": {"zh": "没有记录到达入口的点击次数", "en": "the number of clicks was not recorded"},
    "overflow": {"zh": "入口藏在折叠菜单里：{steps}", "en": "the entry sits inside an overflow menu: {steps}"},
    "deep": {"zh": "需要 {clicks} 次点击（超过 {limit} 次）：{steps}",
             "en": "{clicks} clicks (more than {limit}): {steps}"},
    "ok": {"zh": "{clicks} 次点击可达：{steps}", "en": "reachable in {clicks} clicks: {steps}"},
}

MAX_CLICKS = 3   # DESIGN.md: refund_entry_hidden = more than 3 clicks, or only inside an overflow menu

FLAG = Flag(
    "refund_entry_hidden", severity="medium",
    name={"zh": "退款入口藏得很深", "en": "Refund entry hidden"},
    advice={
        "zh": "退款按钮需要多次点击或藏在“更多”菜单里：按本报告列出的步骤查找，操作时截图留证。",
        "en": "The refund control takes many clicks or sits in a “more” menu: follow the steps in this report and keep screenshots.",
    },
)

REQUIRES = ("refund_entry",)


def _evaluate(findings: dict) -> Result:
    entry = findings["refund_entry"]
    steps, clicks = " › ".join(entry.get("steps") or []), entry.get("clicks")
    evidence = [ev(entry.get("url"), steps)]
    if entry.get("in_overflow_menu"):
        return Result(FAIL, evidence, reason=say(REASONS["overflow"], steps=steps))
    if clicks is None:
        return not_applicable(REASONS["unmeasured"])
    if clicks > MAX_CLICKS:
        return Result(FAIL, evidence, reason=say(REASONS["deep"], clicks=clicks, limit=MAX_CLICKS, steps=steps))
    return Result(PASS, evidence, reason=say(REASONS["ok"], clicks=clicks, steps=steps))


CHECK = Check(
    id="refund_entry.shallow",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(CONSUMER, "二十五"), art(CONSUMER, "二十八")),
    requires=REQUIRES, depends_on=("refund_entry.found",), evaluate=_evaluate, flag=FLAG,
)
