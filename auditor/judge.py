"""Judge: run every check over the findings, then score and rate risk.

Score = weighted mean of the applicable checks (pass = 1, warn = 0.5, fail = 0);
``not_applicable`` and ``error`` are left out and listed, as Lighthouse leaves out
audits without a score.  Risk comes from the flags raised by failed checks.
"""
from __future__ import annotations

from checks import all_checks
from checks.base import ERROR, FAIL, NOT_APPLICABLE, PASS, WARN, Check, Result, ev

STATUS_SCORE = {PASS: 1.0, WARN: 0.5, FAIL: 0.0}
SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3}


def run_check(check: Check, findings: dict) -> Result:
    try:
        return check.evaluate(findings)
    except Exception as exc:  # a broken check must not sink the report
        return Result(ERROR, [ev(None, f"{type(exc).__name__}: {exc}")], reason="check crashed")


def judge(findings: dict, lang: str = "zh") -> dict:
    """Return {"checks": [...], "score": int|None, "risk": {...}} for report.json."""
    rows, flags, flag_evidence = [], [], {}
    weighted = total = 0.0
    worst = 0
    for check in all_checks():
        result = run_check(check, findings)
        failing = result.status == FAIL or (result.status == WARN and check.warn_flags)
        title = check.failure_title if result.status in (FAIL, WARN) else check.title
        rows.append({
            "id": check.id,
            "title": title.get(lang) or title["zh"],
            "status": result.status,
            "weight": check.weight,
            "severity": check.severity,
            "basis": "；".join(check.basis),
            "bases": list(check.basis),
            "description": check.description.get(lang) or check.description["zh"],
            "reason": result.reason,
            "flag": check.flag if failing else None,
            "evidence": [e.to_json() for e in result.evidence],
        })
        if result.status in STATUS_SCORE and check.weight > 0:
            weighted += check.weight * STATUS_SCORE[result.status]
            total += check.weight
        if failing and check.flag:
            if check.flag not in flags:
                flags.append(check.flag)
                flag_evidence[check.flag] = [e.to_json() for e in result.evidence]
            worst = max(worst, SEVERITY_RANK[check.severity])
    score = round(100 * weighted / total) if total else None
    return {"checks": rows, "score": score,
            "risk": {"level": risk_level(rows), "flags": flags, "evidence": flag_evidence}}


def risk_level(rows: list[dict]) -> str:
    """high: any high-severity flag, or three medium ones; medium: any medium flag or
    three low ones; else low.  A person reviews the evidence; this only orders the queue."""
    counts = {"low": 0, "medium": 0, "high": 0}
    for row in rows:
        if row["flag"]:
            counts[row["severity"]] += 1
    if counts["high"] or counts["medium"] >= 3:
        return "high"
    if counts["medium"] or counts["low"] >= 3:
        return "medium"
    return "low"
