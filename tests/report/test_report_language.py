"""A Chinese report reads as Chinese, an English one as English, and neither shows a raw
``None``.  Reports are rendered for every fixture shop's pages (read from fixtures/shops,
no crawl: the findings the extractors make of them, judged by the real checks) and for the
variants a real audit produces: refund entry not evaluated for each known reason, an
agreement made only of scattered sentences, a partial scan with gather errors, a failed
target and a stopped (watchdog) one.

Visible text = what a person reads (tests/report/visible_text.py): quotes from the shop
(``q``, ``blockquote``, numbers, URLs, refund steps) and ``code`` elements (flag ids, a
technical detail) are left out, as the issue allows.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from report_factory import SCANNED_AT, failed_report, make_report
from visible_text import chinese_runs, english_runs, sentinels, site_strings, visible_text

from cardshop_auditor.artifacts import Page, ShopArtifacts, ShopMeta
from cardshop_auditor.judge import judge
from cardshop_auditor.report import build_report, render_html

ROOT = Path(__file__).resolve().parents[2]
SHOPS = ROOT / "fixtures" / "shops"
BASE = "http://127.0.0.1:8000/"
SHOP_NAMES = sorted(p.parent.name for p in SHOPS.glob("*/site"))

REFUND_REASONS = [
    "the login page http://127.0.0.1:8000/login is disallowed by robots.txt; use --ignore-robots or "
    "--storage-state to search behind it",
    "registration is closed on this site and no account was given; use --username/--password or --storage-state",
    "refund entry is behind a login; give --username/--password to search it",
    "login failed: the shop said “用户名或密码错误”",
    "login failed: still on the login form (no error message shown) (the form has a captcha, which the "
    "auditor does not solve)",
    "login failed: 登录失败：密码框不可填写（操作超时） [TimeoutError]",
    "browser unavailable: no Chromium found",
    "time budget reached after 8 click(s) without finding a refund control",
    "something nobody put in the table happened to the browser",
]
GATHER_ERRORS = ["timeout: no complete answer within 15 s", "3 of 9 pages could not be fetched",
                 "start page http://127.0.0.1:8000/: connection_lost: the connection was reset"]


@lru_cache(maxsize=None)
def shop_artifacts(name: str) -> ShopArtifacts:
    """The shop's static files as fetched pages (index pages at their directory URL)."""
    site = SHOPS / name / "site"
    pages = []
    for path in sorted(site.rglob("*")):
        if path.suffix.lower() not in (".html", ".htm", ".asp", ".php", ".jsp") or not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        if path.stem == "index":
            rel = rel[: -len(path.name)]
        html = path.read_text("utf-8", errors="replace")
        pages.append(Page(url=BASE + rel, final_url=BASE + rel, status=200, html=html, depth=0 if rel == "" else 1,
                          content_type="text/html; charset=utf-8", encoding="utf-8"))
    pages.sort(key=lambda p: p.depth)
    return ShopArtifacts(meta=ShopMeta(target=BASE, final_url=BASE, started_at=SCANNED_AT), pages=pages)


def variants(name: str):
    """(label, report) pairs for one fixture shop, in both languages."""
    from cardshop_auditor.extract import extract_findings

    artifacts = shop_artifacts(name)
    findings = extract_findings(artifacts)
    for lang in ("zh", "en"):
        yield f"{lang}/as-found", lang, _report(artifacts, findings, lang)
        for i, reason in enumerate(REFUND_REASONS):
            f = dict(findings, refund_entry={"found": False, "steps": [], "clicks": None, "url": None,
                                             "requires_login": True, "screenshot": None, "in_overflow_menu": False,
                                             "evaluated": False, "method": "browser", "reason": reason})
            yield f"{lang}/refund-{i}", lang, _report(artifacts, f, lang)
        scattered = dict(findings, agreement={"url": None, "title": None, "clauses": (
            (findings.get("agreement") or {}).get("clauses") or [])})
        yield f"{lang}/scattered", lang, _report(artifacts, scattered, lang)
        partial = ShopArtifacts(meta=ShopMeta(target=BASE, final_url=BASE, errors=list(GATHER_ERRORS),
                                              robots_denied=False),
                                pages=artifacts.pages + [Page(url=BASE + "help.html", final_url=BASE + "help.html",
                                                              status=0, depth=1, error="robots_denied: robots.txt "
                                                              "disallows this URL")])
        yield f"{lang}/partial", lang, _report(partial, findings, lang)


def _report(artifacts, findings, lang):
    return build_report(artifacts, findings, judge(findings, lang=lang), tool_version="0.1.0",
                        scanned_at=SCANNED_AT, lang=lang)


def _problems(report: dict, lang: str) -> list[str]:
    text = visible_text(render_html(report, lang))
    site = site_strings(report)
    found = [f"sentinel {s!r}" for s in sentinels(text)]
    if lang == "zh":
        found += [f"English in zh report: {run!r}" for run in english_runs(text, site)]
    else:
        found += [f"Chinese in en report: {run!r}" for run in chinese_runs(text, site)]
    return found


@pytest.mark.parametrize("name", SHOP_NAMES)
def test_fixture_shop_reports_speak_one_language(name):
    problems = []
    for label, lang, report in variants(name):
        problems += [f"{name} {label}: {p}" for p in _problems(report, lang)]
    assert not problems, "\n".join(sorted(set(problems))[:40])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_made_up_reports_speak_one_language(lang, tmp_path):
    from cardshop_auditor import failures
    from cardshop_auditor.options import AuditOptions
    from report_factory import make_artifacts

    reports = [make_report(BASE, lang=lang, real_checks=True, report_dir=tmp_path),
               {**failed_report(), "lang": lang},
               failures.unjudged_report(make_artifacts(BASE), AuditOptions(lang=lang),
                                        "audit stopped at its hard time limit: the judging did not finish in time "
                                        "(a hung page or an overlong computation)")]
    problems = [p for r in reports for p in _problems(r, lang)]
    assert not problems, "\n".join(problems[:40])


def test_the_detector_sees_what_it_must():
    """The test above would pass on an empty page: show it catches the defects it is for."""
    zh = "<main><p>协议：None。</p><p>refund entry is behind a login</p><code>no_icp</code><q>Powered by ZFAKA shop</q></main>"
    text = visible_text(zh)
    assert sentinels(text) == ["None"] and english_runs(text) == ["refund entry is behind a login"]
    assert english_runs("原因：Powered by ZFAKA 系统", ["Powered by ZFAKA"]) == []
    assert english_runs("原因：Powered by ZFAKA 系统", []) == ["Powered by ZFAKA"]
    en = "<main><p>Risk: 高风险</p><blockquote>一经售出概不退换</blockquote></main>"
    assert chinese_runs(visible_text(en)) == ["高风险"]
