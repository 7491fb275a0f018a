"""site.https and the fly-by-night signals."""
import pytest

from cardshop_auditor.checks import signals_anti_blocking, signals_personal_payment, site_https
from cardshop_auditor.checks.base import ERROR, FAIL, NOT_APPLICABLE, PASS
from cardshop_auditor.judge import run_one


def test_https_passes(make_findings):
    assert run_one(site_https.CHECK, make_findings()).status == PASS


def test_https_fails_on_plain_http(make_findings):
    result = run_one(site_https.CHECK, make_findings(site__https=False,
                                                     site__final_url="http://127.0.0.1:8000/"))
    assert result.status == FAIL
    assert result.evidence[0].url == "http://127.0.0.1:8000/"


def test_https_not_applicable_when_unknown_or_crawl_failed(make_findings, crawl_failed):
    assert run_one(site_https.CHECK, make_findings(site__https=None)).status == NOT_APPLICABLE
    assert run_one(site_https.CHECK, crawl_failed).status == NOT_APPLICABLE


# signals.template_default weighs its hits together (tests/checks/test_template_default.py)
SIGNALS = [
    (signals_personal_payment, "payment", {"id": "codepay", "url": "http://127.0.0.1/buy/3",
                                           "snippet": "码支付 扫码付款"}),
    (signals_anti_blocking, "anti_blocking", {"id": "fanghong", "url": "http://127.0.0.1/",
                                              "snippet": "本站不支持在微信或QQ内访问"}),
]


@pytest.mark.parametrize("module, category, hit", SIGNALS)
def test_signal_passes_when_absent(make_findings, module, category, hit):
    assert run_one(module.CHECK, make_findings()).status == PASS
    assert run_one(module.CHECK, make_findings(signals=None)).status == PASS


@pytest.mark.parametrize("module, category, hit", SIGNALS)
def test_signal_fails_with_its_snippets_as_evidence(make_findings, module, category, hit):
    findings = make_findings()
    findings["signals"][category] = [hit, {**hit, "url": "http://127.0.0.1/other"}]
    result = run_one(module.CHECK, findings)
    assert result.status == FAIL
    assert [e.snippet for e in result.evidence] == [hit["snippet"]] * 2
    assert result.evidence[0].url == hit["url"]
    assert hit["id"] in result.reason


@pytest.mark.parametrize("module, category, hit", SIGNALS)
def test_signal_ignores_other_categories(make_findings, module, category, hit):
    findings = make_findings()
    for other, _, other_hit in SIGNALS:
        if other is not module:
            findings["signals"][_] = [other_hit]
    assert run_one(module.CHECK, findings).status == PASS


@pytest.mark.parametrize("module, category, hit", SIGNALS)
def test_signal_not_applicable_or_error_when_unavailable(make_findings, crawl_failed, module, category, hit):
    assert run_one(module.CHECK, crawl_failed).status == NOT_APPLICABLE
    findings = make_findings()
    del findings["signals"]
    assert run_one(module.CHECK, findings).status == ERROR
