"""refund_entry.found, refund_entry.shallow."""
from cardshop_auditor.checks import refund_entry_found, refund_entry_shallow
from cardshop_auditor.checks.base import FAIL, NOT_APPLICABLE, PASS
from cardshop_auditor.judge import run_one

NOT_EVALUATED = {"found": False, "steps": [], "clicks": None, "url": None, "requires_login": True,
                 "screenshot": None, "in_overflow_menu": False, "evaluated": False,
                 "method": "static", "reason": "login required, no credentials given"}


def found(findings):
    return run_one(refund_entry_found.CHECK, findings)


def shallow(findings):
    return run_one(refund_entry_shallow.CHECK, findings)


def test_found_passes(make_findings):
    result = found(make_findings())
    assert result.status == PASS
    assert result.evidence[0].snippet == "个人中心 › 我的订单 › 申请售后"


def test_found_fails_when_looked_and_not_found(make_findings):
    result = found(make_findings(refund_entry__found=False, refund_entry__steps=[],
                                 refund_entry__clicks=None, refund_entry__url=None))
    assert result.status == FAIL
    assert result.evidence


def test_found_fails_on_null_finding(make_findings):
    # DESIGN.md: null means "looked, not found"
    assert found(make_findings(refund_entry=None)).status == FAIL


def test_found_not_applicable_behind_login_without_credentials(make_findings):
    result = found(make_findings(refund_entry=NOT_EVALUATED))
    assert result.status == NOT_APPLICABLE
    assert "no credentials" in result.reason


def test_found_not_applicable_when_crawl_failed(crawl_failed):
    assert found(crawl_failed).status == NOT_APPLICABLE


def test_shallow_passes_at_three_clicks(make_findings):
    result = shallow(make_findings())
    assert result.status == PASS
    assert result.evidence[0].url.endswith("/user/orders")


def test_shallow_fails_beyond_three_clicks(make_findings):
    findings = make_findings(refund_entry__steps=["个人中心", "我的订单", "订单详情", "更多", "申请退订"],
                             refund_entry__clicks=5)
    result = shallow(findings)
    assert result.status == FAIL
    assert "5" in result.reason


def test_shallow_fails_inside_overflow_menu(make_findings):
    findings = make_findings(refund_entry__steps=["我的订单", "更多", "申请退款"],
                             refund_entry__clicks=3, refund_entry__in_overflow_menu=True)
    assert shallow(findings).status == FAIL


def test_shallow_not_applicable_when_not_found(make_findings):
    assert shallow(make_findings(refund_entry__found=False)).status == NOT_APPLICABLE
    assert shallow(make_findings(refund_entry=None)).status == NOT_APPLICABLE


def test_shallow_not_applicable_when_not_evaluated(make_findings):
    assert shallow(make_findings(refund_entry=NOT_EVALUATED)).status == NOT_APPLICABLE


def test_shallow_not_applicable_when_clicks_unknown(make_findings):
    assert shallow(make_findings(refund_entry__clicks=None)).status == NOT_APPLICABLE
