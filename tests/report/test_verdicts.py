"""Honest verdicts (issue 10 item 6): what the verdict tile, the top problems and the
"not evaluated" states say, in report.json and on the page.

* a shop that could not be audited has no score and no risk level (null), never "low";
* the score ring's colour is the risk level's: never a green 85 beside 高风险;
* a high-severity flag leads the top problems, deterministically;
* a refund entry that was not looked for says why, and reads as neither found nor missing.
"""
from __future__ import annotations

import copy
import itertools
import re

import pytest
from report_factory import (SCANNED_AT, crafted_judged, failed_report, make_artifacts, make_report,
                            realistic_findings)

from cardshop_auditor.artifacts import Page, ShopArtifacts, ShopMeta
from cardshop_auditor.judge import judge
from cardshop_auditor.reasons import explain
from cardshop_auditor.report import (RISK_TONE, ReportValidationError, build_report, render_html, summarize,
                                     top_problems, validate_report)

BASE = "http://127.0.0.1:8000/"


def _tile(html: str) -> str:
    return html.split('id="verdict"', 1)[1].split("</section>", 1)[0]


# --------------------------------------------------------------------------- not audited
def test_failed_report_has_no_score_and_no_risk_level():
    report = failed_report()
    assert report["status"] == "failed"
    assert report["score"] is None and report["risk"]["level"] is None and report["risk"]["flags"] == []
    validate_report(report)
    # every check says it was not looked at, in the report's language
    assert {c["status"] for c in report["checks"]} <= {"not_applicable"}
    assert all(c["reason"].startswith("未检测：") for c in report["checks"])


def test_schema_refuses_a_failed_report_rated_low():
    report = failed_report()
    for field, value in (("level", "low"), ("level", "high")):
        broken = copy.deepcopy(report)
        broken["risk"][field] = value
        with pytest.raises(ReportValidationError, match="risk"):
            validate_report(broken)
    broken = copy.deepcopy(report)
    broken["score"] = 0
    with pytest.raises(ReportValidationError, match="score"):
        validate_report(broken)


def test_failed_report_page_shows_no_level_and_a_grey_ring():
    html = render_html(failed_report())
    tile = _tile(html)
    assert "低风险" not in html and "高风险" not in html and "中风险" not in html
    assert "无风险等级" in tile and "risk-none" in tile and "band-none" in tile
    assert "无法评分" in tile


def test_watchdog_report_has_no_level(tmp_path):
    from cardshop_auditor import failures
    from cardshop_auditor.options import AuditOptions

    artifacts = make_artifacts(BASE)
    report = failures.unjudged_report(artifacts, AuditOptions(), "audit stopped at its hard time limit: the "
                                      "judging did not finish in time (a hung page or an overlong computation)")
    validate_report(report)
    assert report["status"] == "failed" and report["score"] is None and report["risk"]["level"] is None
    assert all("检测超过了时间上限" in c["reason"] for c in report["checks"])


def test_failed_shop_has_no_level_in_index_batch_summary_history_and_diff(tmp_path):
    from cardshop_auditor import batch, batch_summary
    from cardshop_auditor.diff import diff_reports
    from cardshop_auditor.report import index_entry, render_index

    failed = failed_report("http://127.0.0.9:9/")
    good = make_report(BASE)
    # index.html
    render_index([index_entry(failed, "a/report.html"), index_entry(good, "b/report.html")], tmp_path)
    index = (tmp_path / "index.html").read_text("utf-8")
    failed_row = [r for r in index.split("<tr>") if "127.0.0.9" in r][0]
    assert "低风险" not in failed_row and "未能完成检测" in failed_row
    assert re.search(r'<span class="scoreval">–</span>', failed_row)
    # batch summary rows (summary.csv / summary.json)
    shop = batch.BatchShop(id="s1", url=failed["target"], label="") if hasattr(batch, "BatchShop") else None
    if shop is not None:
        row = batch_summary.row_for(shop, failed, None, href="s1/report.html", diff_href="s1/diff.html")
        assert row["risk"] is None and row["score"] is None and row["status"] == "failed"
    # diff: old audited, new failed
    d = diff_reports(good, failed)
    assert d["new"]["score"] is None
    assert d["new"].get("risk") is None


def test_failed_shop_stored_in_history_without_level(tmp_path):
    from cardshop_auditor.storage.store import Store

    store = Store(f"sqlite:///{tmp_path / 'h.db'}")
    try:
        legacy = failed_report()
        legacy["risk"]["level"] = "low"           # a report.json written before this contract
        store.record(make_report("http://127.0.0.1:9/"))
        store.record(failed_report())
        store.record({**legacy, "scanned_at": "2025-03-15T09:26:53+08:00"})
        rows = store.history("127.0.0.1:9")
        assert [r.status for r in rows] == ["failed", "failed", "partial"]
        assert [r.risk_level for r in rows[:2]] == [None, None] and rows[2].risk_level is not None
        assert rows[0].score is None and rows[1].score is None
    finally:
        store.close()


# --------------------------------------------------------------------------- colour policy
@pytest.mark.parametrize("level,score", list(itertools.product(["high", "medium", "low", None],
                                                                [None, 0, 35, 55, 85, 100])))
def test_score_colour_never_contradicts_the_risk_level(level, score):
    report = make_report(BASE)
    report["score"] = score
    report["risk"]["level"] = level
    report["summary"] = summarize(report)     # computed once, when a report is built: again after a change
    tile = _tile(render_html(report))
    band = re.search(r'class="score band-(\w+)"', tile).group(1)
    assert band == RISK_TONE.get(level, "none")
    badge = re.search(r'class="risk-badge risk-(\w+)"', tile).group(1)
    assert badge == (level or "none")
    headline = re.search(r'<p class="headline">(.*?)</p>', tile).group(1)
    words = {"high": "高风险", "medium": "中风险", "low": "低风险", None: "没有风险等级"}
    assert headline.startswith(words[level])
    for other in {"高风险", "中风险", "低风险"} - {words[level]}:
        assert other + "：" not in tile and f">{other}<" not in tile and f"</span>{other}</p>" not in tile
    if level == "high":
        assert "band-good" not in tile and "band-fair" not in tile


# --------------------------------------------------------------------------- top problems
def _scam_findings() -> dict:
    f = realistic_findings(BASE)
    f["business"] = None
    f["icp"] = None
    f["agreement"]["clauses"] = [c for c in f["agreement"]["clauses"]
                                 if c["kind"] not in ("blanket_no_refund", "final_interpretation")]
    f["signals"] = {"template": [],
                    "payment": [{"id": "usdt", "url": BASE + "pay.html", "snippet": "仅支持 USDT-TRC20 付款"},
                                {"id": "mianqian", "url": BASE + "pay.html", "snippet": "免签支付"}],
                    "anti_blocking": [{"id": "fanghong", "url": BASE, "snippet": "防红跳转：请在浏览器中打开"}]}
    return f


def test_high_severity_flags_lead_the_top_problems():
    report = build_report(make_artifacts(BASE), _scam_findings(), judge(_scam_findings()),
                          tool_version="t", scanned_at=SCANNED_AT)
    top = [p["flag"] for p in report["summary"]["top_problems"]]
    severities = {c["id"]: c["severity"] for c in report["checks"]}
    assert {"anti_blocking", "personal_payment"} <= set(top)
    ranks = [{"high": 3, "medium": 2, "low": 1}[severities[p["check_id"]]] for p in report["summary"]["top_problems"]]
    assert ranks == sorted(ranks, reverse=True)
    # every high-severity failure that exists is in the top list before any medium one
    highs = [c for c in report["checks"] if c["status"] == "fail" and c["severity"] == "high"]
    assert len(highs) >= 2 and all(severities[p["check_id"]] == "high" for p in report["summary"]["top_problems"][:len(highs)])
    html = render_html(report)
    problems = html.split('class="problems"', 1)[1].split("</ol>", 1)[0]
    assert "防红" in problems and ("个人收款" in problems or "免签" in problems)


def test_top_problem_order_is_severity_then_failure_then_weight():
    rows = [{"id": "a.heavy", "status": "fail", "severity": "medium", "weight": 3, "flag": "no_icp"},
            {"id": "b.qq", "status": "fail", "severity": "high", "weight": 1, "flag": "contact_qq_only"},
            {"id": "c.low", "status": "fail", "severity": "low", "weight": 3, "flag": "no_https"},
            {"id": "d.signal", "status": "fail", "severity": "high", "weight": 0, "flag": "anti_blocking"},
            {"id": "e.warn", "status": "warn", "severity": "high", "weight": 3, "flag": "template_default"},
            {"id": "f.pass", "status": "pass", "severity": "high", "weight": 3, "flag": None}]
    assert [r["id"] for r in top_problems(rows)] == ["d.signal", "b.qq", "e.warn"]
    assert [r["id"] for r in top_problems(rows, n=6)] == ["d.signal", "b.qq", "e.warn", "a.heavy", "c.low"]


def test_top_problems_are_deterministic_whatever_the_check_order():
    judged = crafted_judged(realistic_findings(BASE), BASE)
    first = [r["id"] for r in top_problems(judged["checks"])]
    for seed in range(5):
        shuffled = list(judged["checks"])
        __import__("random").Random(seed).shuffle(shuffled)
        assert [r["id"] for r in top_problems(shuffled)] == first


# --------------------------------------------------------------------------- not evaluated
NOT_EVALUATED = {
    "robots": ("the login page http://127.0.0.1:8000/user/login is disallowed by robots.txt; use "
               "--ignore-robots or --storage-state to search behind it",
               "登录页被 robots.txt 禁止：可用 --ignore-robots 或 --storage-state"),
    "closed": ("registration is closed on this site and no account was given; use --username/--password "
               "or --storage-state", "该站已关闭注册"),
    "no_credentials": ("refund entry is behind a login; give --username/--password to search it",
                       "退款入口需要登录，但没有提供账号"),
    "browser": ("the refund entry is behind a login and no credentials were given (--username/--password, "
                "--auth FILE or --storage-state FILE)", "退款入口需要登录，但没有提供账号"),
    "login_failed": ("login failed: still on the login form (no error message shown)", "登录失败：提交后仍停留在登录表单"),
    "login_fixed": ("login failed: 登录失败：密码框不可填写（操作超时） [TimeoutError]", "登录失败：密码框不可填写（操作超时）"),
    "hung": ("the page stopped responding (a script never yielded); its renderer was stopped after the "
             "time budget", "页面卡死"),
}


def _not_evaluated(reason: str) -> dict:
    f = realistic_findings(BASE)
    f["refund_entry"] = {"found": False, "steps": [], "clicks": None, "url": None, "requires_login": True,
                         "screenshot": None, "in_overflow_menu": False, "evaluated": False,
                         "method": "static", "reason": reason}
    return f


@pytest.mark.parametrize("case", sorted(NOT_EVALUATED))
def test_not_evaluated_refund_entry_states_its_reason(case):
    reason, zh = NOT_EVALUATED[case]
    findings = _not_evaluated(reason)
    judged = judge(findings)
    row = next(c for c in judged["checks"] if c["id"] == "refund_entry.found")
    assert row["status"] == "not_applicable" and row["flag"] is None
    assert zh in row["reason"] and zh in row["evidence"][0]["snippet"]
    assert "refund_entry_missing" not in judged["risk"]["flags"]
    report = build_report(make_artifacts(BASE), findings, judged, tool_version="t", scanned_at=SCANNED_AT)
    validate_report(report)
    html = render_html(report)
    refund = html.split('id="refund"', 1)[1].split("</section>", 1)[0]
    assert "未能检查退款入口" in refund and zh in refund
    assert "没有找到退款或售后入口" not in refund          # never reads as missing
    glance = re.search(r"<dt>退款入口</dt><dd class=\"(\w+)\">([^<]*)</dd>", html)
    assert glance.groups() == ("na", "未能检查")          # nor as found, nor with a ✗
    tile = html.split("<dt>退款入口</dt>", 1)[1].split("</div>", 1)[0]
    assert zh in tile                                     # and the tile says why
    en = judge(findings, lang="en")
    row_en = next(c for c in en["checks"] if c["id"] == "refund_entry.found")
    assert explain(reason).en in row_en["reason"]
    if not re.search(r"[\u4e00-\u9fff]", reason):     # a reason recorded in zh by a zh scan stays zh
        assert not re.search(r"[\u4e00-\u9fff]", row_en["reason"])


def test_login_page_disallowed_by_robots_is_found_by_the_extractor():
    from cardshop_auditor.pipeline import findings_for

    home = ("<html><head><meta charset='utf-8'><title>星河卡铺</title></head><body>"
            "<a href='/user/login'>登录</a> <a href='/goods/1.html'>QQ会员月卡</a>"
            "<footer>粤ICP备2021012345号-1</footer></body></html>")
    goods = "<html><body><h1>QQ会员月卡</h1><p>价格 10 元</p><a href='/'>首页</a></body></html>"
    artifacts = ShopArtifacts(meta=ShopMeta(target=BASE, final_url=BASE), pages=[
        Page(url=BASE, final_url=BASE, status=200, html=home, depth=0, content_type="text/html"),
        Page(url=BASE + "goods/1.html", final_url=BASE + "goods/1.html", status=200, html=goods, depth=1,
             content_type="text/html"),
        Page(url=BASE + "user/login", final_url=BASE + "user/login", status=0, depth=1,
             error="robots_denied: robots.txt disallows this URL")])
    findings = findings_for(artifacts)
    entry = findings["refund_entry"]
    assert entry["evaluated"] is False and "robots.txt" in entry["reason"]
    row = next(c for c in judge(findings)["checks"] if c["id"] == "refund_entry.found")
    assert row["status"] == "not_applicable"
    assert "登录页被 robots.txt 禁止：可用 --ignore-robots 或 --storage-state" in row["reason"]


def test_closed_registration_is_the_reason_when_the_site_says_so():
    from cardshop_auditor.pipeline import findings_for

    home = ("<html><head><meta charset='utf-8'><title>星河卡铺</title></head><body>"
            "<a href='/login'>会员登录</a><p>公告：本站暂停注册，老用户可继续登录。</p></body></html>")
    login = "<html><body><form method='post'><input name='u'><input type='password' name='p'></form></body></html>"
    artifacts = ShopArtifacts(meta=ShopMeta(target=BASE, final_url=BASE), pages=[
        Page(url=BASE, final_url=BASE, status=200, html=home, depth=0, content_type="text/html"),
        Page(url=BASE + "login", final_url=BASE + "login", status=200, html=login, depth=1, content_type="text/html")])
    entry = findings_for(artifacts)["refund_entry"]
    assert entry["evaluated"] is False and entry["reason"].startswith("registration is closed")


# --------------------------------------------------------------------------- agreement tile
def test_agreement_tile_follows_the_check_not_the_finding():
    """Refund sentences found on ordinary pages are a finding, not an agreement: the tile
    must not say 已找到 while the top problem says 未找到用户协议 (and no "协议：None")."""
    f = realistic_findings(BASE)
    f["agreement"] = {"url": None, "title": None, "clauses": [
        {"kind": "blanket_no_refund", "text": "虚拟商品一经售出，概不退换。", "source_url": BASE + "goods/1.html"}]}
    judged = judge(f)
    assert next(c for c in judged["checks"] if c["id"] == "agreement.present")["status"] == "fail"
    html = render_html(build_report(make_artifacts(BASE), f, judged, tool_version="t", scanned_at=SCANNED_AT))
    assert re.search(r"<dt>用户协议</dt><dd class=\"no\">未找到</dd>", html)
    assert "None" not in html and "没有找到成文的用户协议" in html


def test_batch_page_says_why_a_shop_was_not_audited_in_plain_words():
    from cardshop_auditor import batch, batch_summary
    from cardshop_auditor.report import batch_page

    failed = failed_report("http://127.0.0.9:9/")
    good = make_report(BASE)
    rows = [batch_summary.row_for(batch.BatchShop(url=r["target"], id=f"s{i}"), r, None, href=f"s{i}/report.html",
                          diff_href=f"s{i}/diff.html") for i, r in enumerate((failed, good))]
    assert rows[0]["risk"] is None and rows[0]["score"] is None
    counts = {"total": 2, "audited": 1, "failed": 1, "missing": 0, "changed": 0}
    zh = batch_page.render_batch_html(rows, counts, batch_id="b1", started_at=SCANNED_AT, lang="zh")
    row = [r for r in zh.split("<tr>") if "127.0.0.9" in r][0]
    assert "首页无法获取：网站拒绝连接" in row and "connection_refused" not in row and "低风险" not in row
    en = batch_page.render_batch_html(rows, counts, batch_id="b1", started_at=SCANNED_AT, lang="en")
    assert "the start page was not fetched: the site refused the connection" in en


def test_platform_credit_is_shown_as_a_neutral_fact():
    f = realistic_findings(BASE)
    f["site"]["platform"] = {"system": "dujiaoka", "label": "独角数卡 dujiaoka",
                             "evidence": {"url": BASE, "snippet": "Powered by @独角数卡"}, "others": []}
    html = render_html(build_report(make_artifacts(BASE), f, judge(f), tool_version="t", scanned_at=SCANNED_AT))
    identity = html.split('id="identity"', 1)[1].split("</section>", 1)[0]
    assert "建站系统" in identity and "独角数卡 dujiaoka" in identity and "中性信息，不是风险" in identity


def test_diff_page_states_a_failed_scan_in_plain_words():
    from cardshop_auditor.diff import diff_reports
    from cardshop_auditor.report.diff_page import render_diff_html

    good = make_report("http://127.0.0.1:9/")
    d = diff_reports(good, failed_report())
    assert d["new"]["score"] is None
    zh = render_diff_html(d, "zh")
    status_row = [r for r in zh.split("<tr") if "检测状态" in r][0]
    assert "部分检测" in status_row and "无法检测" in status_row and "首页无法获取：网站拒绝连接" in status_row
    assert ">failed<" not in zh and ">partial<" not in zh
    assert "有一次检测未能完成，只比较检测状态" in zh and "compared by status only" not in zh
    assert "compared by status only" in render_diff_html(d, "en")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_screenshot_captions_separate_our_words_from_the_shop_text(lang, tmp_path):
    report = make_report(BASE, lang=lang, real_checks=True, report_dir=tmp_path)
    report["evidence"] = [
        {"path": "evidence/home.png", "sha256": "", "kind": "footer",
         "caption": "页脚（ICP / 公安备案 / 公司信息）：粤ICP备2021012345号-1 星辰网络"},
        {"path": "evidence/orders.png", "sha256": "", "kind": "refund_step", "step": 1, "caption": "第1步：点击「我的订单」"},
        {"path": "evidence/refund-entry.png", "sha256": "", "kind": "refund_entry",
         "caption": "退款入口「申请退订」：登录后，共 5 次点击（位于「更多」等折叠菜单内）（已定位并标红框，未点击）"}]
    html = render_html(report, lang)
    figs = re.findall(r"<figcaption>(.*?)</figcaption>", html, re.S)
    footer = next(f for f in figs if "星辰网络" in f)
    assert '<span class="site-text">粤ICP备2021012345号-1 星辰网络</span>' in footer
    if lang == "en":
        assert footer.startswith("Footer (ICP / public-security filing / company): ")
        assert any(f.startswith("Step 1: click “我的订单”") for f in figs)
        assert any(f.startswith("Refund entry “申请退订”: 5 clicks") for f in figs)
    else:
        assert footer.startswith("页脚（ICP / 公安备案 / 公司信息）：")


@pytest.mark.parametrize("error,zh", [("certificate verify failed: self-signed certificate", "证书验证失败：自签名证书"),
                                      ("net::ERR_CERT_DATE_INVALID", "证书已过期或尚未生效")])
def test_certificate_failure_is_worded_for_people(error, zh):
    report = make_report("https://127.0.0.1:8443/")
    report["gather"]["network"] = {"certificate": {"ok": False, "error": error, "url": "https://127.0.0.1:8443/"},
                                   "refused": [], "refused_count": 0}
    html = render_html(report)
    assert zh in html
    assert explain(error).en in render_html(report, "en")


def test_the_risk_level_says_which_flags_set_it():
    f = _scam_findings()
    report = build_report(make_artifacts(BASE), f, judge(f), tool_version="t", scanned_at=SCANNED_AT)
    assert report["risk"]["level"] == "high"
    tile = _tile(render_html(report))
    basis = re.search(r'<p class="small muted level-basis">(.*?)</p>', tile, re.S).group(1)
    assert "判定依据" in basis and "使用“防红”躲避拦截" in basis and "个人收款、免签或USDT支付" in basis
    assert "组合：" in basis and "未公示ICP备案号" in basis          # no ICP + no operator
    assert "anti_blocking" not in basis                                # names, not ids
    en = _tile(render_html(build_report(make_artifacts(BASE), f, judge(f, lang="en"), tool_version="t",
                                        scanned_at=SCANNED_AT, lang="en"), "en"))
    assert "Why this level" in en and "Uses anti-blocking" in en
    assert "level-basis" not in _tile(render_html(failed_report()))


def test_scan_of_a_shop_whose_login_page_robots_txt_forbids(tmp_path):
    """End to end: a real crawl (robots.txt obeyed) of a shop whose account area is
    disallowed; the report says the refund entry was not evaluated and why, never missing."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    from report_http import serve_dir

    site = tmp_path / "site"
    (site / "user").mkdir(parents=True)
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /user/\n", "utf-8")
    (site / "index.html").write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>星河卡铺</title></head><body>"
        "<nav><a href='/user/login.html'>会员登录</a> <a href='/goods.html'>QQ会员月卡</a></nav>"
        "<p>客服电话：020-88886666</p><footer>粤ICP备2021012345号-1</footer></body></html>", "utf-8")
    (site / "goods.html").write_text("<html><head><meta charset='utf-8'></head><body><h1>QQ会员月卡</h1>"
                                     "<a href='/'>首页</a></body></html>", "utf-8")
    (site / "user" / "login.html").write_text("<html><body><form><input name=u><input type=password name=p>"
                                              "</form></body></html>", "utf-8")
    out = tmp_path / "out"
    with serve_dir(site) as base:
        cli = str(Path(sys.executable).with_name("cardshop-audit"))
        run = subprocess.run([cli, "scan", base, "--out", str(out), "--browser", "never"],
                             capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    report = json.loads((out / "report.json").read_text("utf-8"))
    row = next(c for c in report["checks"] if c["id"] == "refund_entry.found")
    assert row["status"] == "not_applicable" and "登录页被 robots.txt 禁止" in row["reason"]
    assert "refund_entry_missing" not in report["risk"]["flags"]
    html = (out / "report.html").read_text("utf-8")
    assert "登录页被 robots.txt 禁止：可用 --ignore-robots 或 --storage-state" in html


def test_failed_report_lists_no_check_as_if_it_had_run():
    base = "http://127.0.0.1:9/"
    report = build_report(make_artifacts(base, failed=True), {}, crafted_judged(realistic_findings(base), base),
                          tool_version="t", scanned_at=SCANNED_AT)
    assert report["checks"] and report["risk"]["level"] is None
    html = render_html(report)
    checks = html.split('id="checks"', 1)[1].split("</section>", 1)[0]
    assert "项检查都没有进行" in checks and 'class="checks"' not in checks and "不适用" not in checks
