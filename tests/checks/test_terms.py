"""terms.no_blanket_exclusion, terms.no_final_interpretation."""
import pytest

from cardshop_auditor.checks import terms_no_blanket_exclusion, terms_no_final_interpretation
from cardshop_auditor.checks.base import FAIL, NOT_APPLICABLE, PASS, WARN
from cardshop_auditor.judge import run_one


def blanket(findings):
    return run_one(terms_no_blanket_exclusion.CHECK, findings)


def final(findings):
    return run_one(terms_no_final_interpretation.CHECK, findings)


def test_blanket_passes_on_compliant_terms(make_findings):
    assert blanket(make_findings()).status == PASS


@pytest.mark.parametrize("text", [
    "本站所售商品一经售出，概不退换。",
    "除此之外，虚拟商品一律不退不换。",               # "除此之外" is not an exception to the exclusion
])
def test_blanket_fails_on_unqualified_exclusion(with_clauses, clause, text):
    result = blanket(with_clauses(clause("blanket_no_refund", text)))
    assert result.status == FAIL
    assert result.evidence[0].snippet == text


@pytest.mark.parametrize("text", [
    "商品一经售出概不退换，法律另有规定的除外。",
    "除卡密无效外，一经售出不予退款。",
])
def test_blanket_warns_when_exclusion_carries_an_exception(with_clauses, clause, text):
    assert blanket(with_clauses(clause("blanket_no_refund", text))).status == WARN


def test_blanket_not_applicable_without_agreement(make_findings):
    assert blanket(make_findings(agreement=None)).status == NOT_APPLICABLE


def test_final_interpretation_passes(make_findings):
    assert final(make_findings()).status == PASS


def test_final_interpretation_fails(with_clauses, clause):
    text = "本活动最终解释权归本站所有。"
    result = final(with_clauses(clause("final_interpretation", text)))
    assert result.status == FAIL
    assert result.evidence[0].snippet == text


def test_final_interpretation_not_applicable_without_agreement(make_findings):
    assert final(make_findings(agreement=None)).status == NOT_APPLICABLE


def test_final_interpretation_not_applicable_when_crawl_failed(crawl_failed):
    assert final(crawl_failed).status == NOT_APPLICABLE
