"""signals.template_default: two marks of an untouched install, never a credit alone."""
import pytest

from cardshop_auditor.checks import signals_template_default as tpl
from cardshop_auditor.checks.base import ERROR, FAIL, NOT_APPLICABLE, PASS
from cardshop_auditor.judge import run_one

CREDIT = {"system": "dujiaoka", "label": "独角数卡 dujiaoka",
          "evidence": {"url": "http://127.0.0.1/", "snippet": "Powered by：@独角数卡"}, "others": []}
TITLE = {"id": "default_title", "url": "http://127.0.0.1/", "snippet": "<title>首页 | 独角数卡</title>"}
NOTICE = {"id": "default_notice", "url": "http://127.0.0.1/", "snippet": "本程序为开源程序，使用者造成的一切法律后果与作者无关。"}
DEMO = {"id": "demo_goods", "url": "http://127.0.0.1/item/1", "snippet": "DEMO 该商品是演示商品"}


def _no_identity(findings):
    findings["icp"] = None
    findings["business"] = None
    return findings


def test_a_credit_on_a_customised_shop_is_a_platform_not_a_risk(make_findings):
    findings = make_findings(site__platform=CREDIT)
    result = run_one(tpl.CHECK, findings)
    assert result.status == PASS
    assert "dujiaoka" in result.reason and result.evidence[0].snippet == "Powered by：@独角数卡"


def test_a_credit_and_an_empty_identity_are_not_enough(make_findings):
    findings = _no_identity(make_findings(site__platform=CREDIT))
    assert run_one(tpl.CHECK, findings).status == PASS


def test_an_empty_identity_alone_is_not_a_template(make_findings):
    assert run_one(tpl.CHECK, _no_identity(make_findings())).status == PASS


def test_one_default_with_a_full_identity_passes(make_findings):
    findings = make_findings(site__platform=CREDIT)
    findings["signals"]["template"] = [TITLE]
    result = run_one(tpl.CHECK, findings)
    assert result.status == PASS and "default_title" in result.reason


def test_default_title_and_empty_identity_fail(make_findings):
    findings = _no_identity(make_findings(site__platform=CREDIT))
    findings["signals"]["template"] = [TITLE]
    result = run_one(tpl.CHECK, findings)
    assert result.status == FAIL
    assert "default_title" in result.reason and "empty_identity" in result.reason
    assert result.evidence[0].snippet == TITLE["snippet"]
    assert "没有备案号" in result.evidence[-1].snippet


def test_a_placeholder_icp_is_no_identity(make_findings):
    findings = make_findings()
    findings["icp"] = {"number": "鲁ICP备1101XXXX号-10", "valid_format": False, "placeholder": True}
    findings["business"] = None
    findings["signals"]["template"] = [DEMO]
    assert run_one(tpl.CHECK, findings).status == FAIL


def test_two_defaults_fail_even_with_an_identity(make_findings):
    findings = make_findings()
    findings["signals"]["template"] = [NOTICE, DEMO]
    result = run_one(tpl.CHECK, findings)
    assert result.status == FAIL
    assert [e.url for e in result.evidence] == [NOTICE["url"], DEMO["url"]]


@pytest.mark.parametrize("key", ["signals"])
def test_not_applicable_or_error_when_unavailable(make_findings, crawl_failed, key):
    assert run_one(tpl.CHECK, crawl_failed).status == NOT_APPLICABLE
    findings = make_findings()
    del findings[key]
    assert run_one(tpl.CHECK, findings).status == ERROR
