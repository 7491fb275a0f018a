"""complaint.channel, contact.present, contact.not_qq_only."""
from cardshop_auditor.checks import complaint_channel, contact_not_qq_only, contact_present
from cardshop_auditor.checks.base import FAIL, NOT_APPLICABLE, PASS, WARN
from cardshop_auditor.judge import run_one

NO_CONTACTS = {"phones": [], "emails": [], "qq": [], "wechat": [], "address": None}
QQ_ONLY = {**NO_CONTACTS, "qq": ["800012345"]}


def complaint(findings):
    return run_one(complaint_channel.CHECK, findings)


def present(findings):
    return run_one(contact_present.CHECK, findings)


def qq_only(findings):
    return run_one(contact_not_qq_only.CHECK, findings)


# --- complaint.channel -----------------------------------------------------------------------------
def test_complaint_passes_with_complaint_clause(make_findings):
    result = complaint(make_findings())
    assert result.status == PASS
    assert "12315" in result.evidence[0].snippet


def test_complaint_warns_with_contacts_only(with_clauses, clause):
    result = complaint(with_clauses(clause("refund_unactivated", "未提取可退。")))
    assert result.status == WARN
    assert any("400-800-8888" in e.snippet for e in result.evidence)


def test_complaint_fails_with_neither(make_findings):
    result = complaint(make_findings(agreement=None, contacts=NO_CONTACTS))
    assert result.status == FAIL
    assert result.evidence


def test_complaint_not_applicable_when_crawl_failed(crawl_failed):
    assert complaint(crawl_failed).status == NOT_APPLICABLE


# --- contact.present -------------------------------------------------------------------------------
def test_present_passes_with_contact_and_address(make_findings):
    result = present(make_findings())
    assert result.status == PASS
    snippets = [e.snippet for e in result.evidence]
    assert "phones: 400-800-8888" in snippets and "address: 北京市朝阳区某某路 1 号" in snippets


def test_present_warns_without_address(make_findings):
    assert present(make_findings(contacts__address=None)).status == WARN


def test_present_warns_with_address_only(make_findings):
    assert present(make_findings(contacts={**NO_CONTACTS, "address": "北京市朝阳区某某路 1 号"})).status == WARN


def test_present_fails_without_anything(make_findings):
    assert present(make_findings(contacts=NO_CONTACTS)).status == FAIL
    assert present(make_findings(contacts=None)).status == FAIL


def test_present_not_applicable_when_crawl_failed(crawl_failed):
    assert present(crawl_failed).status == NOT_APPLICABLE


def test_present_uses_per_value_sources_when_given(make_findings):
    findings = make_findings(contacts={**QQ_ONLY, "address": "上海市某区某路 2 号",
                                       "sources": {"qq:800012345": "https://shop.example.cn/help"}})
    result = present(findings)
    assert result.evidence[0].url == "https://shop.example.cn/help"


# --- contact.not_qq_only ---------------------------------------------------------------------------
def test_not_qq_only_passes_with_a_phone(make_findings):
    assert qq_only(make_findings()).status == PASS


def test_not_qq_only_passes_with_address_and_qq(make_findings):
    assert qq_only(make_findings(contacts={**QQ_ONLY, "address": "北京市朝阳区某某路 1 号"})).status == PASS


def test_not_qq_only_fails_with_only_qq(make_findings):
    result = qq_only(make_findings(contacts=QQ_ONLY))
    assert result.status == FAIL
    assert result.evidence[0].snippet == "qq: 800012345"


def test_not_qq_only_fails_with_qq_groups_and_telegram(make_findings):
    contacts = {**NO_CONTACTS, "qq_groups": ["215583091"], "telegram": ["@kameng"]}
    result = qq_only(make_findings(contacts=contacts))
    assert result.status == FAIL
    assert [e.snippet for e in result.evidence] == ["qq_groups: 215583091", "telegram: @kameng"]


def test_not_qq_only_passes_with_wechat(make_findings):
    # WeChat accounts are bound to a phone number: not the anonymous pattern the flag is about
    assert qq_only(make_findings(contacts={**QQ_ONLY, "wechat": ["jskp_kefu2025"]})).status == PASS


def test_not_qq_only_not_applicable_without_contacts(make_findings):
    assert qq_only(make_findings(contacts=NO_CONTACTS)).status == NOT_APPLICABLE
