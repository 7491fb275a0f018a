"""refund_entry.found: the site has a control where a buyer can ask for a refund / after-sales."""
from __future__ import annotations

from cardshop_auditor.reasons import explain
from cardshop_auditor.checks._common import CONSUMER, CONSUMER_PENALTIES, Text, absence, art, home_url, say
from cardshop_auditor.checks.base import FAIL, NOT_APPLICABLE, PASS, Check, Flag, Evidence, Result, ev

TITLE = {"zh": "找到了退款/售后入口", "en": "A refund / after-sales entry was found"}
FAILURE_TITLE = {"zh": "找不到退款/售后入口", "en": "No refund / after-sales entry found"}
DESCRIPTION = {
    "zh": "《消费者权益保护法》第二十五条赋予网购消费者退货并取回价款的权利；"
          "《侵害消费者权益行为处罚办法》第九条把不提供有效退货联系信息、致使消费者无法办理退货视为无理拒绝。"
          "法律没有规定必须有一个按钮，但对卡盟买家来说，订单页上的退款/售后入口就是办理退款的途径。"
          "需要登录而没有提供账号时，本项不适用，不会判为不通过。",
    "en": "Article 25 of the Consumer Protection Law gives online buyers the right to return goods "
          "and get their money back; Article 9 of the Measures on Penalties for Infringing Consumer "
          "Rights treats leaving buyers no effective way to request a return as unreasonable refusal. "
          "No statute requires a button, but on a card shop the refund / after-sales control is how a "
          "buyer asks. When the entry sits behind a login and no credentials were given, this check "
          "does not apply instead of failing.",
}
REASONS = {
    "found": {"zh": "入口路径：{steps}（{clicks} 次点击）", "en": "path: {steps} ({clicks} clicks)"},
    "absent": {"zh": "没有找到申请退款或售后的入口", "en": "no control to request a refund or after-sales help"},
    "not_evaluated": {"zh": "无法查找退款入口：{why}", "en": "the refund entry could not be looked for: {why}"},
    "unclassified": {"zh": "技术原因见证据", "en": "a technical reason, see the evidence"},
}

FLAG = Flag(
    "refund_entry_missing", severity="medium",
    name={"zh": "找不到退款或售后入口", "en": "No refund or after-sales entry"},
    advice={
        "zh": "需要退款时可能只能找客服：下单前确认客服联系方式有效，保存订单号和付款记录。",
        "en": "You may have to go through customer service: check the contact works and keep your order number.",
    },
)

# what the checks that depend on this one lack when it found nothing
ABSENT = {"zh": "没有可评估的退款入口", "en": "no refund entry to measure"}

REQUIRES = ("refund_entry",)


def _evaluate(findings: dict) -> Result:
    entry = findings["refund_entry"]
    if entry and entry.get("evaluated") is False:
        # not looked for is neither found nor missing: say why, in the reader's words
        why = explain(entry.get("reason") or ("login required" if entry.get("requires_login") else "—"))
        said = (why.zh, why.en) if why.known else (REASONS["unclassified"]["zh"], REASONS["unclassified"]["en"])
        reason = Text(REASONS["not_evaluated"]["zh"].format(why=said[0]),
                      REASONS["not_evaluated"]["en"].format(why=said[1]))
        where = entry.get("page_url") or entry.get("url") or home_url(findings)
        # the evidence is the reason as recorded (a technical line when it has no plain words)
        snippet = Text(why.zh, why.en) if why.known else why.raw
        return Result(NOT_APPLICABLE, [Evidence(where, snippet)], reason=reason)
    if not entry or not entry.get("found"):
        return Result(FAIL, [absence(findings, REASONS["absent"])], reason=say(REASONS["absent"]))
    steps = " › ".join(entry.get("steps") or [])
    return Result(PASS, [ev(entry.get("url"), steps)],
                  reason=say(REASONS["found"], steps=steps, clicks=entry.get("clicks")))


CHECK = Check(
    id="refund_entry.found",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(CONSUMER, "二十五"), art(CONSUMER_PENALTIES, "九")),
    requires=REQUIRES, evaluate=_evaluate, flag=FLAG, absent=ABSENT,
)
