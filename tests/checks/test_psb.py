"""psb.present, psb.consistent."""
from cardshop_auditor.checks import psb_consistent, psb_present
from cardshop_auditor.checks.base import FAIL, NOT_APPLICABLE, PASS
from cardshop_auditor.judge import run_one


def test_present_passes(make_findings):
    result = run_one(psb_present.CHECK, make_findings())
    assert result.status == PASS
    assert result.evidence[0].snippet == "京公网安备11010502030143号"


def test_present_fails_without_number(make_findings):
    result = run_one(psb_present.CHECK, make_findings(psb_filing=None))
    assert result.status == FAIL
    assert result.evidence


def test_present_not_applicable_when_crawl_failed(crawl_failed):
    assert run_one(psb_present.CHECK, crawl_failed).status == NOT_APPLICABLE


def test_consistent_passes(make_findings):
    assert run_one(psb_consistent.CHECK, make_findings()).status == PASS


def test_consistent_fails_on_prefix_mismatch(make_findings):
    findings = make_findings(psb_filing__number="京公网安备44030502001234号", psb_filing__raw="京公网安备44030502001234号",
                             psb_filing__region_code="440305", psb_filing__consistent=False)
    result = run_one(psb_consistent.CHECK, findings)
    assert result.status == FAIL
    assert "440305" in result.reason
    assert result.evidence[0].snippet == "京公网安备44030502001234号"


def test_consistent_not_applicable_without_number(make_findings):
    assert run_one(psb_consistent.CHECK, make_findings(psb_filing=None)).status == NOT_APPLICABLE


def test_consistent_not_applicable_when_undeterminable(make_findings):
    # short legacy numbers (浙公网安备 33010602009号) cannot always be rated
    findings = make_findings(psb_filing__number="浙公网安备33010602009号", psb_filing__consistent=None)
    assert run_one(psb_consistent.CHECK, findings).status == NOT_APPLICABLE
