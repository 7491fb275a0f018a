"""icp.present, icp.valid_format, icp.in_footer, icp.license."""
from cardshop_auditor.checks import icp_in_footer, icp_license, icp_present, icp_valid_format
from cardshop_auditor.checks.base import ERROR, FAIL, NOT_APPLICABLE, PASS, WARN
from cardshop_auditor.judge import run_one

HOME = "https://shop.example.cn/"


def run(module, findings):
    return run_one(module.CHECK, findings)


# --- icp.present -----------------------------------------------------------------------------
def test_present_passes_with_filing_number(make_findings):
    result = run(icp_present, make_findings())
    assert result.status == PASS
    assert result.evidence[0].snippet == "京ICP备16059763号-1"
    assert result.evidence[0].url == HOME


def test_present_accepts_a_licence_number_alone(make_findings):
    # 第十二条: "经营许可证编号或者备案编号" — either satisfies the display duty.
    findings = make_findings(icp=None, icp_license={"number": "京ICP证070359号", "kind": "icp_license",
                                                    "source_url": HOME})
    result = run(icp_present, findings)
    assert result.status == PASS
    assert "京ICP证070359号" in result.reason


def test_present_fails_without_any_number_and_says_where_it_looked(make_findings):
    result = run(icp_present, make_findings(icp=None))
    assert result.status == FAIL
    assert result.evidence and result.evidence[0].url == HOME
    assert "12" in result.evidence[0].snippet            # pages searched


def test_present_not_applicable_when_the_crawl_failed(crawl_failed):
    crawl_failed["icp"] = None                           # nothing was seen, so nothing is missing
    result = run(icp_present, crawl_failed)
    assert result.status == NOT_APPLICABLE
    assert "connection refused" in result.reason


def test_present_errors_when_the_finding_was_never_produced(make_findings):
    findings = make_findings()
    del findings["icp"]
    result = run(icp_present, findings)
    assert result.status == ERROR
    assert "icp" in result.reason


# --- icp.valid_format --------------------------------------------------------------------------
def test_valid_format_passes(make_findings):
    assert run(icp_valid_format, make_findings()).status == PASS


def test_valid_format_fails_on_placeholder(make_findings):
    findings = make_findings(icp__number="京ICP备12345678号", icp__placeholder=True,
                             icp__valid_format=False, icp__raw="京ICP备12345678号")
    result = run(icp_valid_format, findings)
    assert result.status == FAIL
    assert "占位" in result.reason.zh and "placeholder" in result.reason.en
    assert result.evidence[0].snippet == "京ICP备12345678号"


def test_valid_format_fails_on_malformed_number(make_findings):
    findings = make_findings(icp__number="ICP备888号", icp__valid_format=False, icp__raw="ICP备888号")
    result = run(icp_valid_format, findings)
    assert result.status == FAIL
    assert "ICP备888号" in result.reason


def test_valid_format_not_applicable_without_number(make_findings):
    assert run(icp_valid_format, make_findings(icp=None)).status == NOT_APPLICABLE


def test_valid_format_not_applicable_when_unrated(make_findings):
    findings = make_findings(icp__valid_format=None, icp__placeholder=None)
    assert run(icp_valid_format, findings).status == NOT_APPLICABLE


# --- icp.in_footer ---------------------------------------------------------------------------
def test_in_footer_passes_on_home_page_footer(make_findings):
    assert run(icp_in_footer, make_findings()).status == PASS


def test_in_footer_home_page_matches_index_file_and_redirect(make_findings):
    findings = make_findings(icp__source_url=HOME + "index.php",
                             site__start_url="http://shop.example.cn", site__final_url=HOME)
    assert run(icp_in_footer, findings).status == PASS


def test_in_footer_warns_when_on_home_page_but_not_footer(make_findings):
    result = run(icp_in_footer, make_findings(icp__in_footer=False))
    assert result.status == WARN


def test_in_footer_fails_when_only_on_inner_page(make_findings):
    # 第十二条 requires the home page; an "about" page alone does not meet it.
    findings = make_findings(icp__source_url=HOME + "about.html", icp__in_footer=True)
    result = run(icp_in_footer, findings)
    assert result.status == FAIL
    assert result.evidence[0].url == HOME + "about.html"


def test_in_footer_not_applicable_without_number(make_findings):
    assert run(icp_in_footer, make_findings(icp=None)).status == NOT_APPLICABLE


# --- icp.license ----------------------------------------------------------------------------
LICENCE = {"number": "京ICP证070359号", "kind": "icp_license", "source_url": HOME}


def test_license_passes_when_shown(make_findings):
    result = run(icp_license, make_findings(icp_license=LICENCE))
    assert result.status == PASS
    assert result.evidence[0].snippet == "京ICP证070359号"


def test_license_not_applicable_for_a_single_shop(make_findings):
    # the compliant fixture is a small shop with a filing only: it must not be penalised
    assert run(icp_license, make_findings()).status == NOT_APPLICABLE


def test_license_warns_for_platform_flagged_by_extractor(make_findings):
    result = run(icp_license, make_findings(site__multi_merchant=True))
    assert result.status == WARN


def test_license_warns_for_platform_seen_in_terms(with_clauses, clause):
    findings = with_clauses(clause("complaint_channel", "平台内经营者违规的，平台将先行处理投诉。"))
    result = run(icp_license, findings)
    assert result.status == WARN
    assert "平台内经营者" in result.evidence[0].snippet


def test_license_extractor_verdict_overrides_vocabulary(with_clauses, clause):
    findings = with_clauses(clause("complaint_channel", "入驻商家须遵守本规则。"))
    findings["site"]["multi_merchant"] = False
    assert run(icp_license, findings).status == NOT_APPLICABLE


def test_license_never_fails(make_findings):
    statuses = {run(icp_license, f).status for f in (
        make_findings(), make_findings(icp=None), make_findings(site__multi_merchant=True),
        make_findings(icp=None, agreement=None, site__multi_merchant=True))}
    assert FAIL not in statuses
