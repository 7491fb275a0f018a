"""refund.policy_present, refund.digital_goods_exemption, refund.timeline, refund.channel."""
import pytest

from cardshop_auditor.checks import refund_channel, refund_digital_goods_exemption, refund_policy_present, refund_timeline
from cardshop_auditor.checks.base import FAIL, NOT_APPLICABLE, PASS, WARN
from cardshop_auditor.judge import run_one

BLANKET = ("blanket_no_refund", "虚拟商品一经售出，概不退换。")


# --- refund.policy_present -------------------------------------------------------------------------
def policy(findings):
    return run_one(refund_policy_present.CHECK, findings)


def test_policy_passes_with_specific_rules(make_findings):
    result = policy(make_findings())
    assert result.status == PASS
    assert any("未提取卡密" in e.snippet for e in result.evidence)


def test_policy_passes_with_platform_fault_only(with_clauses, clause):
    assert policy(with_clauses(clause("platform_fault", "卡密无效可补发或退款。"))).status == PASS


def test_policy_warns_when_only_a_blanket_exclusion(with_clauses, clause):
    result = policy(with_clauses(clause(*BLANKET)))
    assert result.status == WARN
    assert result.evidence[0].snippet == BLANKET[1]


def test_policy_warns_when_only_procedure(with_clauses, clause):
    result = policy(with_clauses(clause("refund_timeline", "退款 3 个工作日内到账。")))
    assert result.status == WARN


def test_policy_fails_without_refund_clauses(with_clauses, clause):
    result = policy(with_clauses(clause("agreement_change", "修改后公示七日生效。")))
    assert result.status == FAIL
    assert result.evidence


def test_policy_fails_without_agreement(make_findings):
    assert policy(make_findings(agreement=None)).status == FAIL


def test_policy_not_applicable_when_crawl_failed(crawl_failed):
    assert policy(crawl_failed).status == NOT_APPLICABLE


# --- refund.digital_goods_exemption ---------------------------------------------------------------
def exemption(findings):
    return run_one(refund_digital_goods_exemption.CHECK, findings)


def test_exemption_passes_with_scoped_clauses(make_findings):
    result = exemption(make_findings())
    assert result.status == PASS
    kinds_seen = {e.snippet for e in result.evidence}
    assert any("已使用" in s for s in kinds_seen) and any("未提取" in s for s in kinds_seen)


def test_exemption_warns_on_blanket_only(with_clauses, clause):
    result = exemption(with_clauses(clause(*BLANKET), clause("refund_channel", "原路退回。")))
    assert result.status == WARN
    assert result.evidence[0].snippet == BLANKET[1]


def test_exemption_warns_when_refund_terms_have_no_scope(with_clauses, clause):
    assert exemption(with_clauses(clause("platform_fault", "卡密无效可补发。"))).status == WARN


def test_exemption_not_applicable_without_refund_terms(make_findings):
    assert exemption(make_findings(agreement=None)).status == NOT_APPLICABLE


# --- refund.timeline -------------------------------------------------------------------------------
def timeline(findings):
    return run_one(refund_timeline.CHECK, findings)


def test_timeline_passes(make_findings):
    assert timeline(make_findings()).status == PASS


def test_timeline_warns_when_longer_than_fifteen_days(with_clauses, clause):
    text = "审核通过后 15-30 个工作日内退还。"
    result = timeline(with_clauses(clause("refund_unactivated", "未提取可退。"), clause("refund_timeline", text)))
    assert result.status == WARN
    assert "42" in result.reason                          # 30 working days ≈ 42 calendar days
    assert result.evidence[0].snippet == text


def test_timeline_fails_when_refund_terms_give_no_time(with_clauses, clause):
    result = timeline(with_clauses(clause("refund_unactivated", "未提取卡密可申请退款。")))
    assert result.status == FAIL
    assert result.evidence


def test_timeline_not_applicable_without_refund_terms(with_clauses, clause):
    findings = with_clauses(clause("agreement_change", "修改后公示七日生效。"))
    assert timeline(findings).status == NOT_APPLICABLE


@pytest.mark.parametrize("text, days", [
    ("审核通过后 3-7 个工作日内原路退回", 10),
    ("十五个工作日内退还", 21),
    ("48小时内到账", 2),
    ("二十日内退款到账", 20),
    ("1~3个工作日到账", 5),
    ("购买后 30 日内可申请退款", None),                      # an application window, not a refund time
    ("请在 24 小时内提交补充材料", None),
])
def test_longest_days(text, days):
    assert refund_timeline.longest_days(text) == days


# --- refund.channel --------------------------------------------------------------------------------
def channel(findings):
    return run_one(refund_channel.CHECK, findings)


def test_channel_passes(make_findings):
    assert channel(make_findings()).status == PASS


def test_channel_warns_when_only_to_unwithdrawable_balance(with_clauses, clause):
    text = "退款仅退至账户余额，余额不可提现。"
    result = channel(with_clauses(clause("refund_channel", text)))
    assert result.status == WARN
    assert result.evidence[0].snippet == text


def test_channel_warns_when_balance_only_buys_goods(with_clauses, clause):
    text = "商品退款一律退回用户的本站账户余额，账户余额仅可用于购买本站商品。"
    assert channel(with_clauses(clause("refund_channel", text))).status == WARN


def test_channel_warns_when_original_route_is_refused(with_clauses, clause):
    text = "不支持原路退回，仅退至站内余额，余额不支持提现。"
    assert channel(with_clauses(clause("refund_channel", text))).status == WARN


def test_channel_passes_when_balance_or_original_route(with_clauses, clause):
    text = "退款可原路退回，或按您的选择退至余额（余额不可提现）。"
    assert channel(with_clauses(clause("refund_channel", text))).status == PASS


def test_channel_fails_when_not_stated(with_clauses, clause):
    assert channel(with_clauses(clause("refund_unactivated", "未提取可退款。"))).status == FAIL


def test_channel_not_applicable_without_refund_terms(make_findings):
    assert channel(make_findings(agreement=None)).status == NOT_APPLICABLE
