"""business.identity, business.uscc_valid."""
from cardshop_auditor.checks import business_identity, business_uscc_valid
from cardshop_auditor.checks.base import FAIL, NOT_APPLICABLE, PASS, WARN
from cardshop_auditor.judge import run_one


def identity(findings):
    return run_one(business_identity.CHECK, findings)


def uscc(findings):
    return run_one(business_uscc_valid.CHECK, findings)


def test_identity_passes_with_name_and_code(make_findings):
    result = identity(make_findings())
    assert result.status == PASS
    assert "北京某某科技有限公司" in result.evidence[0].snippet
    assert "91110000600037341L" in result.evidence[0].snippet


def test_identity_warns_with_name_only(make_findings):
    assert identity(make_findings(business__uscc=None, business__uscc_valid=None)).status == WARN


def test_identity_warns_with_code_only(make_findings):
    assert identity(make_findings(business__company_name=None)).status == WARN


def test_identity_fails_when_nothing_found(make_findings):
    result = identity(make_findings(business=None))
    assert result.status == FAIL
    assert result.evidence


def test_identity_fails_on_empty_business_record(make_findings):
    findings = make_findings(business={"uscc": None, "uscc_valid": None, "company_name": None,
                                       "source_url": None})
    assert identity(findings).status == FAIL


def test_identity_not_applicable_when_crawl_failed(crawl_failed):
    assert identity(crawl_failed).status == NOT_APPLICABLE


def test_uscc_passes(make_findings):
    assert uscc(make_findings()).status == PASS


def test_uscc_fails_on_bad_check_character(make_findings):
    findings = make_findings(business__uscc="91440300708461136X", business__uscc_valid=False)
    result = uscc(findings)
    assert result.status == FAIL
    assert result.evidence[0].snippet == "91440300708461136X"
    assert "GB 32100-2015" in result.reason


def test_uscc_not_applicable_without_code(make_findings):
    assert uscc(make_findings(business__uscc=None, business__uscc_valid=None)).status == NOT_APPLICABLE
    assert uscc(make_findings(business=None)).status == NOT_APPLICABLE


def test_uscc_not_applicable_when_unrated(make_findings):
    assert uscc(make_findings(business__uscc_valid=None)).status == NOT_APPLICABLE
