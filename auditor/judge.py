"""Judge: the runner that gates and runs every check, then scores and rates risk.

Like Lighthouse's runner with ``requiredArtifacts``, the runner (not the check) decides
whether a check can run: a crawl that fetched nothing makes it ``not_applicable``; a
finding in ``requires`` that the extractors never produced makes it ``error``; a check in
``depends_on`` that found nothing (no agreement, no refund terms …) makes it
``not_applicable`` with that check's own words; and an exception in ``evaluate`` becomes an
``error`` row, never a traceback.  Each check sees only the findings it requires (and
``site``).  Weights and risk rules come from ``cardshop_auditor.profile``.
"""
from __future__ import annotations

from typing import Iterable

from cardshop_auditor import profile
from cardshop_auditor.checks import all_checks, validate_dependencies
from cardshop_auditor.checks._common import Text, localise, say
from cardshop_auditor.checks.base import ERROR, FAIL, NOT_APPLICABLE, WARN, Check, Result, ev

# Handed to every check whatever it requires: where the crawl started and what it fetched.
CONTEXT_KEYS = ("site",)

_CRAWL_FAILED = {"zh": "未能抓取任何页面，无法评估：{why}",
                 "en": "no page could be fetched, so this was not evaluated: {why}"}
_NOT_PRODUCED = {"zh": "提取结果缺少 {keys}，无法评估",
                 "en": "the findings lack {keys}; the check could not run"}
_DEPENDENCY_UNMET = {"zh": "{what}（见 {check}）", "en": "{what} (see {check})"}
_DEPENDENCY_ERROR = {"zh": "所依赖的检查项 {check} 运行出错，无法评估",
                     "en": "{check}, which this check depends on, could not run"}
_CRASHED = Text("检查项运行出错", "check crashed")


def gate(findings: dict, check: Check, done: dict[str, tuple[Check, Result]]) -> Result | None:
    """The result for a check that cannot be evaluated, or None to run it.  ``done``: the
    checks already run (at least those ``check`` depends on) and their results."""
    site = findings.get("site") or {}
    if site.get("pages_fetched") == 0:
        why = "; ".join(site.get("gather_errors") or []) or "0 pages"
        return Result(NOT_APPLICABLE, reason=say(_CRAWL_FAILED, why=why))
    missing = [key for key in check.requires if key not in findings]
    if missing:
        return Result(ERROR, reason=say(_NOT_PRODUCED, keys=", ".join(missing)))
    for dep in check.depends_on:
        needed, outcome = done[dep]
        if outcome.status == ERROR:
            return Result(ERROR, reason=say(_DEPENDENCY_ERROR, check=dep))
        if not outcome.found_subject:
            absent = needed.absent       # validate_dependencies made sure it says what
            return Result(NOT_APPLICABLE, reason=Text(
                _DEPENDENCY_UNMET["zh"].format(what=absent["zh"], check=dep),
                _DEPENDENCY_UNMET["en"].format(what=absent["en"], check=dep)))
    return None


def run_check(check: Check, findings: dict, done: dict[str, tuple[Check, Result]]) -> Result:
    """Gate, then evaluate ``check`` on the findings it requires (see ``gate`` for ``done``)."""
    if blocked := gate(findings, check, done):
        return blocked
    view = {key: findings[key] for key in (*CONTEXT_KEYS, *check.requires) if key in findings}
    try:
        return check.evaluate(view)
    except Exception as exc:  # a broken check must not sink the report
        return Result(ERROR, [ev(None, f"{type(exc).__name__}: {exc}")], reason=_CRASHED)


def run_checks(checks: Iterable[Check], findings: dict) -> dict[str, Result]:
    """Every check's result by id, each run after the checks it depends on."""
    checks = tuple(checks)
    if checks is not all_checks():      # the registry was validated when it was loaded
        validate_dependencies(checks)
    by_id = {c.id: c for c in checks}
    done: dict[str, tuple[Check, Result]] = {}

    def run(check: Check) -> None:
        if check.id in done:
            return
        for dep in check.depends_on:
            run(by_id[dep])
        done[check.id] = (check, run_check(check, findings, done))

    for check in checks:
        run(check)
    return {cid: result for cid, (_, result) in done.items()}


def run_one(check: Check, findings: dict) -> Result:
    """One check as the judge runs it, with the registered checks it depends on."""
    checks = {c.id: c for c in all_checks()}
    checks[check.id] = check
    return run_checks(checks.values(), findings)[check.id]


def evidence_json(evidence, lang: str) -> dict:
    """An evidence row; a snippet the check wrote in both languages (``Text``: "looked
    here, found nothing") is given in the report's language, site text as it was."""
    row = evidence.to_json()
    row["snippet"] = localise(row["snippet"], lang)
    return row


def check_row(check: Check, result: Result, lang: str) -> dict:
    """One row of report.json's ``checks``."""
    title = check.failure_title if result.status in (FAIL, WARN) else check.title
    raised = check.flag is not None and result.status == FAIL
    return {
        "id": check.id,
        "title": title.get(lang) or title["zh"],
        "status": result.status,
        "weight": profile.weight_of(check.id),
        "severity": check.severity,
        "basis": "；".join(check.basis),
        "bases": list(check.basis),
        "description": check.description.get(lang) or check.description["zh"],
        "reason": localise(result.reason, lang),
        "flag": check.flag.id if raised else None,
        "evidence": [evidence_json(e, lang) for e in result.evidence],
    }


def judge(findings: dict, lang: str = "zh", checks: Iterable[Check] | None = None) -> dict:
    """Return {"checks": [...], "score": int|None, "risk": {...}} for report.json."""
    checks = all_checks() if checks is None else tuple(checks)
    outcomes = run_checks(checks, findings)
    rows = [check_row(check, outcomes[check.id], lang) for check in checks]
    flags, flag_evidence = [], {}
    for row in rows:
        if row["flag"] and row["flag"] not in flags:
            flags.append(row["flag"])
            flag_evidence[row["flag"]] = row["evidence"]
    level, reasons = profile.assess_risk(rows, lang)
    return {"checks": rows, "score": profile.score(rows),
            "risk": {"level": level, "flags": flags, "evidence": flag_evidence, "reasons": reasons}}
