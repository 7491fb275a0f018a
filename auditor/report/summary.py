"""The summary: verdict in plain words and the top problems with advice, computed once
when the report is built (``summarize``) and read back by the page (``summary_for``)."""
from __future__ import annotations

from typing import Any

from cardshop_auditor.checks import all_flags, check_by_id
from cardshop_auditor.checks.base import SEVERITY_RANK, is_problem
from cardshop_auditor.report_templates import i18n

TOP_N = 3
FLAG_ONLY_WEIGHT = 2   # a flag-only check (weight 0: fraud signal, no transparency share) ranks as a typical check


def top_problems(checks: list[dict], n: int = TOP_N) -> list[dict]:
    """The n failed checks (and flag-raising warnings) that matter most, deterministic:
    severity first (a high-severity flag such as 防红 or USDT-only payment always leads a
    medium one, whatever the weights), then a failure before a warning, then weight (a
    flag-only check counts as FLAG_ONLY_WEIGHT), then check id."""
    ranked = []
    for row in checks:
        if not is_problem(row):
            continue
        status = row.get("status")
        weight = float(row.get("weight") or 0) or FLAG_ONLY_WEIGHT
        ranked.append(((-SEVERITY_RANK.get(row.get("severity") or "medium", 2), status != "fail", -weight,
                        str(row.get("id") or "")), row))
    ranked.sort(key=lambda t: t[0])
    return [row for _, row in ranked[:n]]


def problem_count(checks: list[dict]) -> int:
    """Failed checks and flag-raising warnings (what top_problems chooses from)."""
    return sum(1 for c in checks if is_problem(c))


def advice_for(row: dict, lang: str) -> str:
    """What a buyer should do: the raised flag's advice, else the check's, else general advice."""
    flag = all_flags().get(row.get("flag")) if isinstance(row.get("flag"), str) else None
    check = check_by_id(row.get("id"))
    advice = flag.advice if flag else check.advice if check and check.advice else None
    if advice is None:
        return i18n.pick(i18n.GENERIC_ADVICE, lang)
    return advice["en"] if lang == "en" else advice["zh"]


def failure_cause(report: dict, lang: str) -> str:
    """Plain words for why a target could not be audited (the technical reason stays in ``reason``)."""
    pages = [p for p in report.get("pages") or [] if isinstance(p, dict)]
    start = next((p for p in pages if p.get("depth") == 0), pages[0] if pages else None)
    hint = " ".join(str(x) for x in ((start or {}).get("error"), report.get("reason")) if x).lower()
    for key, pair in i18n.FETCH_ERRORS.items():
        if key in hint:
            return i18n.pick(pair, lang)
    status = (start or {}).get("status") or 0
    if status >= 400:
        return i18n.pick(i18n.FAILED_HTTP, lang).format(status=status)
    if "not html" in hint:
        return i18n.pick(i18n.FAILED_NOT_HTML, lang)
    return i18n.pick(i18n.FAILED_GENERIC, lang)


def verdict_for(report: dict, lang: str, n_problems: int) -> tuple[str, str]:
    table = i18n.VERDICT.get(lang) or i18n.VERDICT["zh"]
    if report.get("status") == "failed":
        head, detail = table["failed"]
        return head, detail.format(cause=failure_cause(report, lang), n=n_problems)
    level = (report.get("risk") or {}).get("level")
    head, detail = table.get(level) or table["unknown"]
    return head, detail.format(n=n_problems)


def summarize(report: dict, lang: str = "zh") -> dict:
    """Verdict strings and the top problems with advice: zh always, en too when lang=en."""
    checks = report.get("checks") or []
    problems = top_problems(checks)
    n_failed = problem_count(checks)
    head, detail = verdict_for(report, "zh", n_failed)
    summary: dict[str, Any] = {"lang": lang, "verdict": head, "detail": detail, "top_problems": []}
    if lang == "en":
        summary["verdict_en"], summary["detail_en"] = verdict_for(report, "en", n_failed)
    for row in problems:
        item = {"check_id": row.get("id"), "title": row.get("title") or row.get("id"),
                "flag": row.get("flag"), "severity": row.get("severity") or "medium",
                "status": row.get("status"), "advice": advice_for(row, "zh")}
        if lang == "en":
            item["advice_en"] = advice_for(row, "en")
        summary["top_problems"].append(item)
    return summary


def summary_for(report: dict, lang: str) -> dict:
    """The report's summary in ``lang``: the one ``build_report`` computed when it holds
    that language (zh always, en when the report was built in en), else computed now (a
    report drawn in the other language, or a report without one)."""
    stored = report.get("summary")
    if isinstance(stored, dict) and isinstance(stored.get("top_problems"), list) \
            and (lang != "en" or "verdict_en" in stored):
        return stored
    return summarize({**report, "checks": [c for c in report.get("checks") or [] if isinstance(c, dict)]}, lang)
