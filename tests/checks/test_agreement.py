"""agreement.present, agreement.reachable, agreement.change_notice."""
import pytest

from cardshop_auditor.checks import agreement_change_notice, agreement_present, agreement_reachable
from cardshop_auditor.checks.base import FAIL, NOT_APPLICABLE, PASS, WARN
from cardshop_auditor.judge import run_one


def test_present_passes(make_findings):
    result = run_one(agreement_present.CHECK, make_findings())
    assert result.status == PASS
    assert result.evidence[0].snippet == "用户服务协议"


def test_present_fails_without_agreement(make_findings):
    result = run_one(agreement_present.CHECK, make_findings(agreement=None))
    assert result.status == FAIL
    assert result.evidence


def test_present_fails_when_terms_are_only_scattered_sentences(make_findings):
    """A "概不退换" line under a product is a clause, not an agreement."""
    result = run_one(agreement_present.CHECK, make_findings(agreement__url=None))
    assert result.status == FAIL


def test_present_not_applicable_when_crawl_failed(crawl_failed):
    assert run_one(agreement_present.CHECK, crawl_failed).status == NOT_APPLICABLE


def test_reachable_passes(make_findings):
    assert run_one(agreement_reachable.CHECK, make_findings()).status == PASS


def test_reachable_fails_when_not_linked_from_home(make_findings):
    result = run_one(agreement_reachable.CHECK, make_findings(agreement__reachable_from_home=False))
    assert result.status == FAIL
    assert result.evidence[0].url.endswith("/agreement")


def test_reachable_not_applicable_without_agreement(make_findings):
    assert run_one(agreement_reachable.CHECK, make_findings(agreement=None)).status == NOT_APPLICABLE


def test_reachable_not_applicable_when_unknown(make_findings):
    findings = make_findings(agreement__reachable_from_home=None)
    assert run_one(agreement_reachable.CHECK, findings).status == NOT_APPLICABLE


# --- agreement.change_notice -------------------------------------------------------------------
def change(with_clauses, clause, text):
    return run_one(agreement_change_notice.CHECK, with_clauses(clause("agreement_change", text)))


def test_change_notice_passes_with_advance_notice(make_findings):
    assert run_one(agreement_change_notice.CHECK, make_findings()).status == PASS


@pytest.mark.parametrize("text", [
    "本站有权随时修改本协议，修改后的协议自公告之日起生效。",
    "协议修改后立即生效，继续使用即视为接受。",
    "本协议一经发布即生效。",
    "修改内容于发布后生效。",
    "更新后的规则即时生效。",
    "本站有权随时修改本协议，修改后的协议一经在网站上公布即生效，恕不另行通知。",
])
def test_change_notice_warns_when_effective_on_posting(with_clauses, clause, text):
    result = change(with_clauses, clause, text)
    assert result.status == WARN
    assert result.evidence[0].snippet == text


@pytest.mark.parametrize("text", [
    "修改内容将在首页公示，公示七日后生效。",
    "修订后的协议自发布之日起七日后生效。",
    "修改前将提前 7 日在首页公告。",
    "平台修改本协议的，将至少提前7日在首页公告栏及本页面显著位置公示修改内容及生效日期。",
    "修改生效后您继续下单的，视为接受修改后的协议。",
])
def test_change_notice_passes_when_a_notice_period_is_left(with_clauses, clause, text):
    assert change(with_clauses, clause, text).status == PASS


def test_change_notice_fails_without_change_clause(with_clauses, clause):
    findings = with_clauses(clause("refund_unactivated", "未提取卡密可退款。"))
    result = run_one(agreement_change_notice.CHECK, findings)
    assert result.status == FAIL
    assert result.evidence[0].url.endswith("/agreement")


def test_change_notice_not_applicable_without_agreement(make_findings):
    assert run_one(agreement_change_notice.CHECK, make_findings(agreement=None)).status == NOT_APPLICABLE
