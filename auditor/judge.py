"""Judge: run every check over the findings, then score and rate risk.

Score = weighted mean of the applicable checks (pass = 1, warn = 0.5, fail = 0);
``not_applicable`` and ``error`` are left out and listed, as Lighthouse leaves out
audits without a score.  Risk comes from the flags raised by failed checks (see
``assess_risk`` for the rules).
"""
from __future__ import annotations

from cardshop_auditor.checks import all_checks
from cardshop_auditor.checks._common import Text, localise, say
from cardshop_auditor.checks.base import ERROR, FAIL, PASS, WARN, Check, Result, ev

STATUS_SCORE = {PASS: 1.0, WARN: 0.5, FAIL: 0.0}
SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3}


def run_check(check: Check, findings: dict) -> Result:
    try:
        return check.evaluate(findings)
    except Exception as exc:  # a broken check must not sink the report
        return Result(ERROR, [ev(None, f"{type(exc).__name__}: {exc}")],
                      reason=Text("检查项运行出错", "check crashed"))


def evidence_json(evidence, lang: str) -> dict:
    """An evidence row; a snippet the check wrote in both languages (``Text``: "looked
    here, found nothing") is given in the report's language, site text as it was."""
    row = evidence.to_json()
    row["snippet"] = localise(row["snippet"], lang)
    return row


def judge(findings: dict, lang: str = "zh") -> dict:
    """Return {"checks": [...], "score": int|None, "risk": {...}} for report.json."""
    rows, flags, flag_evidence = [], [], {}
    weighted = total = 0.0
    for check in all_checks():
        result = run_check(check, findings)
        failing = result.status == FAIL or (result.status == WARN and check.warn_flags)
        title = check.failure_title if result.status in (FAIL, WARN) else check.title
        evidence = [evidence_json(e, lang) for e in result.evidence]
        rows.append({
            "id": check.id,
            "title": title.get(lang) or title["zh"],
            "status": result.status,
            "weight": check.weight,
            "severity": check.severity,
            "basis": "；".join(check.basis),
            "bases": list(check.basis),
            "description": check.description.get(lang) or check.description["zh"],
            "reason": localise(result.reason, lang),
            "flag": check.flag if failing else None,
            "evidence": evidence,
        })
        if result.status in STATUS_SCORE and check.weight > 0:
            weighted += check.weight * STATUS_SCORE[result.status]
            total += check.weight
        if failing and check.flag:
            if check.flag not in flags:
                flags.append(check.flag)
                flag_evidence[check.flag] = evidence
    score = round(100 * weighted / total) if total else None
    level, reasons = assess_risk(rows, lang)
    return {"checks": rows, "score": score,
            "risk": {"level": level, "flags": flags, "evidence": flag_evidence,
                     "reasons": reasons}}


# --- risk -----------------------------------------------------------------------------
# The risk level orders a human reviewer's queue; the flags and their evidence are the point.
#
# Flags shown with their evidence that never move the level, alone or by count.  Plain
# HTTP is common on small, honest shops (and on every local test fixture): it tells a buyer
# something, but it does not separate a fly-by-night shop from a small one.
SHOWN_NOT_COUNTED = frozenset({"no_https"})

# Combinations that mean more than the sum of their parts.  A shop that shows neither an
# ICP number nor any operator (company name or credit code) cannot be traced by a buyer at
# all: the classic 野鸡 pattern (DOMAIN.md §4, signals 1 and 2), high on its own even though
# each flag alone is medium.
COMBINATIONS = (
    (frozenset({"no_icp", "no_business_identity"}), "high"),
)

# Why the level is what it is, for the reviewer ({flags}: the flags behind the rule).
RULES = {
    "high_flag": {"zh": "高风险标记：{flags}", "en": "high-severity flag: {flags}"},
    "three_medium": {"zh": "三个及以上中风险标记：{flags}", "en": "three or more medium flags: {flags}"},
    "combination": {"zh": "组合：{flags}", "en": "combination: {flags}"},
    "medium_flag": {"zh": "中风险标记：{flags}", "en": "medium-severity flag: {flags}"},
    "three_low": {"zh": "三个及以上低风险标记：{flags}", "en": "three or more low flags: {flags}"},
}


def assess_risk(rows: list[dict], lang: str = "zh") -> tuple[str, list[str]]:
    """Return the level and the rules that set it, e.g. ("high", ["高风险标记：uscc_invalid"]).

    high: any high-severity flag, three or more medium ones, or a listed combination;
    medium: any medium flag, or three or more low ones (SHOWN_NOT_COUNTED left out); else low.
    """
    fired = level_rules(rows)
    if not fired:
        return "low", []
    level = fired[0][0]
    return level, [localise(say(RULES[rule], flags=" + ".join(flags)), lang)
                   for lvl, rule, flags in fired if lvl == level]


def level_rules(rows: list[dict]) -> list[tuple[str, str, list[str]]]:
    """Every rule of ``assess_risk`` that fires, as (level, rule id, flags), highest level
    first (stable within a level); the report says with these which flags set the level."""
    counted = [(row.get("flag"), row.get("severity")) for row in rows
               if row.get("flag") and row.get("flag") not in SHOWN_NOT_COUNTED]
    by_severity = {sev: [flag for flag, s in counted if s == sev] for sev in SEVERITY_RANK}
    raised = {flag for flag, _ in counted}
    fired: list[tuple[str, str, list[str]]] = []          # (level, rule, flags)
    fired += [("high", "high_flag", [flag]) for flag in by_severity["high"]]
    if len(by_severity["medium"]) >= 3:
        fired.append(("high", "three_medium", by_severity["medium"]))
    fired += [(level, "combination", sorted(combo)) for combo, level in COMBINATIONS if combo <= raised]
    fired += [("medium", "medium_flag", [flag]) for flag in by_severity["medium"]]
    if len(by_severity["low"]) >= 3:
        fired.append(("medium", "three_low", by_severity["low"]))
    return sorted(fired, key=lambda f: -SEVERITY_RANK[f[0]])


def risk_level(rows: list[dict]) -> str:
    """The level alone (see assess_risk).  A person reviews the evidence; this only orders the queue."""
    return assess_risk(rows)[0]
