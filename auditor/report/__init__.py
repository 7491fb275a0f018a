"""Report: artifacts + findings + judged checks in, report.json and report.html out.

Like Lighthouse's report renderer, this package knows nothing of gathering or judging:

    build        assemble report.json (DESIGN.md) and decide its status
    summary      the verdict and top problems, computed once per report
    validate     report.json against cardshop_auditor/schema/report.schema.json
    urls         URL safety: which links may be drawn, which evidence paths may be shown
    render       the one Jinja2 environment, stylesheet and CSP for every page we write
    view         report.html's view model, a function per section
    write        report.json / report.html on disk
    index_page   index.html over many reports
    diff_page    diff.json / diff.html (cardshop_auditor.diff computes the changes)
    batch_page   the batch summary page

Shop text is hostile: every template is autoescaped, links are drawn only for
http/https URLs (``safe_href``), evidence paths must be plain relative paths
(``safe_relpath``), and each page carries a strict CSP whose only allowances are the
hashes of its inlined stylesheet (and script).  The report page runs no script and loads
nothing but its own evidence images.

The names below are the package's interface; import them from here.
"""
from cardshop_auditor.report.build import (FINDING_KEYS, SCHEMA_VERSION, build_report, default_contacts,
                                           default_refund_entry, normalise_findings, scan_status)
from cardshop_auditor.report.index_page import index_entry, render_index
from cardshop_auditor.report.render import page_chrome, render_page
from cardshop_auditor.report.summary import (SEVERITY_RANK, advice_for, failure_cause, problem_count, summarize,
                                             top_problems)
from cardshop_auditor.report.urls import IMAGE_EXTS, safe_href, safe_relpath, short_url
from cardshop_auditor.report.validate import ReportValidationError, load_schema, validate_report
from cardshop_auditor.report.view import RISK_TONE, verdict_tone
from cardshop_auditor.report.write import render_html, report_json, write_reports

__all__ = ["FINDING_KEYS", "IMAGE_EXTS", "RISK_TONE", "ReportValidationError", "SCHEMA_VERSION", "SEVERITY_RANK",
           "advice_for", "build_report", "default_contacts", "default_refund_entry", "failure_cause", "index_entry",
           "load_schema", "normalise_findings", "page_chrome", "problem_count", "render_html", "render_index",
           "render_page", "report_json", "safe_href", "safe_relpath", "scan_status", "short_url", "summarize",
           "top_problems", "validate_report", "verdict_tone", "write_reports"]
