"""Reports for audits that could not be judged: the one place that writes a *failed*
report.json (and its report.html) from whatever is on disk.

Two callers: a command whose audit failed on our side (exit 4: disk full, a bug) and the
scan's watchdog when a stage overran its hard deadline (exit 3).  Neither runs the
extractors again (they may be what hung or crashed).
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path


def failure_line(exc: BaseException) -> str:
    """``describe_failure`` (cardshop_auditor.errors) with secrets scrubbed: safe to print
    and to put in a report."""
    from cardshop_auditor.errors import describe_failure
    from cardshop_auditor.secrets import scrub
    return " ".join(scrub(describe_failure(exc)).split())


def unjudged_report(artifacts, options, reason: str, scanned_at: str | None = None) -> dict:
    """report.json for a shop whose pages could not be judged at all: status ``failed``
    with ``reason``, every check ``error`` with that reason, no score, no flag."""
    from cardshop_auditor import __version__
    from cardshop_auditor.checks import all_checks
    from cardshop_auditor.checks.base import ERROR, Result
    from cardshop_auditor.judge import check_row
    from cardshop_auditor.reasons import explain
    from cardshop_auditor.report import build_report, summarize

    artifacts.meta.errors.append(reason)
    shown = explain(reason).pick(options.lang)     # the check rows speak the report's language
    judged = {"checks": [check_row(check, Result(ERROR, reason=shown), options.lang) for check in all_checks()],
              "score": None, "risk": {"level": None, "flags": [], "evidence": {}, "reasons": []}}
    report = build_report(artifacts, {}, judged, tool_version=__version__,
                          scanned_at=scanned_at or datetime.now(timezone.utc).isoformat(timespec="seconds"),
                          lang=options.lang)
    report.update(status="failed", reason=reason, score=None)
    report["summary"] = summarize(report, report.get("lang") or "zh")
    return report


def write_failed_report(url: str, out_dir: Path, options, reason: str) -> None:
    """A failed report from the artifacts on disk (complete or partial), saying ``reason``.

    report.json first: on a nearly full disk the small contract file may fit where the
    page does not; an older report.html is removed before, so a page never stands
    without its JSON.  Raises when even the JSON cannot be written."""
    from cardshop_auditor import secrets
    from cardshop_auditor.artifacts import ShopArtifacts, ShopMeta, write_atomic
    from cardshop_auditor.report import render_html, report_json, validate_report

    out_dir = Path(out_dir)
    directory = out_dir / "artifacts"
    if (directory / "meta.json").exists():
        artifacts = ShopArtifacts.load(directory)
    else:
        artifacts = ShopArtifacts.load_partial(directory, ShopMeta(target=url))
    report = unjudged_report(artifacts, options, reason)
    secrets.scrub_in_place(report)
    validate_report(report)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.html").unlink(missing_ok=True)
    write_atomic(out_dir / "report.json", report_json(report))
    write_atomic(out_dir / "report.html", render_html(report, report.get("lang") or "zh"))


def write_our_side_report(url: str, out_dir: Path, options, exc: BaseException) -> None:
    """After an error on our side (exit 4), a failed report saying so if one can still
    be written; never raises (the original error is what the user needs to see)."""
    try:
        write_failed_report(url, out_dir, options, f"the audit failed on our side: {failure_line(exc)}")
    except Exception:  # noqa: BLE001
        return
