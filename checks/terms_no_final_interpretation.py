"""terms.no_final_interpretation: the terms do not claim 最终解释权 (the final say on their meaning)."""
from __future__ import annotations

from cardshop_auditor.checks._common import (CONSUMER_PENALTIES, SPC_ONLINE_CONSUMER, art, clause_evidence,
                                             clauses, say)
from cardshop_auditor.checks.base import FAIL, PASS, Check, Flag, Result, ev

TITLE = {"zh": "条款没有声明“最终解释权”", "en": "The terms claim no “final right of interpretation”"}
FAILURE_TITLE = {"zh": "条款声明由经营者享有最终解释权",
                 "en": "The terms claim the seller's final right of interpretation"}
DESCRIPTION = {
    "zh": "《最高人民法院关于审理网络消费纠纷案件适用法律若干问题的规定（一）》（法释〔2022〕8号）第一条："
          "电子商务经营者的格式条款规定其享有单方解释权或者最终解释权的，人民法院应当认定无效；"
          "《侵害消费者权益行为处罚办法》第十二条也禁止经营者作出此类规定。"
          "这类条款让商家可以随意解释退款规则，买家应当特别留意。",
    "en": "Article 1 of the Supreme People's Court provisions on online consumer disputes (I) "
          "(法释〔2022〕8号): a standard term giving an e-commerce operator the unilateral or final "
          "right of interpretation is void; Article 12 of the Measures on Penalties for Infringing "
          "Consumer Rights forbids such terms. They let a seller read its refund rules as it likes.",
}
REASONS = {
    "claimed": {"zh": "{n} 条条款声明最终解释权", "en": "{n} clauses claim the final right of interpretation"},
    "ok": {"zh": "没有最终解释权声明", "en": "no final-interpretation claim"},
}

FLAG = Flag(
    "final_interpretation_claim", severity="medium",
    name={"zh": "声称拥有“最终解释权”", "en": "Claims the “final interpretation” right"},
    advice={
        "zh": "“最终解释权归本站所有”依法无效，不影响你投诉、调解和起诉的权利。",
        "en": "“Final interpretation rests with us” is void and does not limit your right to complain or sue.",
    },
)

REQUIRES = ("agreement",)


def _evaluate(findings: dict) -> Result:
    agreement = findings["agreement"]
    found = clauses(findings, "final_interpretation")
    if found:
        return Result(FAIL, clause_evidence(findings, found), reason=say(REASONS["claimed"], n=len(found)))
    return Result(PASS, [ev(agreement.get("url"), agreement.get("title") or "")], reason=say(REASONS["ok"]))


CHECK = Check(
    id="terms.no_final_interpretation",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(SPC_ONLINE_CONSUMER, "一"), art(CONSUMER_PENALTIES, "十二")),
    requires=REQUIRES, depends_on=("agreement.present",), evaluate=_evaluate, flag=FLAG,
)
