"""The registry, the profile's score and the risk rules.

Every check carries complete metadata, cites articles that exist in shared/laws/, raises
only DESIGN.md flags, and behaves under the runner's common preconditions; the score is the
weighted mean of applicable checks; the risk level follows the profile's documented rules.
(The runner itself: test_runner.py.)
"""
from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest

from cardshop_auditor import profile
from cardshop_auditor.checks import all_checks
from cardshop_auditor.checks._common import LAW_FILE_STEMS, UNVERIFIED_RULES, USCC_STANDARD
from cardshop_auditor.checks.base import ERROR, FAIL, NOT_APPLICABLE, PASS, WARN, Check, Flag, Result
from cardshop_auditor.contracts import Findings
from cardshop_auditor.judge import judge, run_one
from cardshop_auditor.profile import assess_risk, risk_level

CHECKS = all_checks()
IDS = [c.id for c in CHECKS]

# DESIGN.md "Risk flags (stable ids)".
DESIGN_FLAGS = {
    "no_icp", "icp_malformed", "no_psb_filing", "psb_inconsistent", "no_business_identity",
    "uscc_invalid", "no_agreement", "no_refund_policy", "blanket_no_refund",
    "final_interpretation_claim", "refund_entry_missing", "refund_entry_hidden", "contact_qq_only",
    "no_contact", "no_https", "template_default", "personal_payment", "anti_blocking",
    "identity_region_mismatch",     # extension (issue 10): ICP / 公安 / USCC provinces disagree
    # extension (issue 14): the --icp-registry cross-check
    "icp_not_on_record", "icp_number_not_on_record", "icp_operator_mismatch", "icp_personal_filing",
}
# The findings contract (cardshop_auditor.contracts.Findings).
FINDING_KEYS = {f.name for f in dataclasses.fields(Findings)}

REPO = Path(__file__).resolve().parents[2]
LAWS_DIR = Path(os.environ.get("CARDSHOP_LAWS_DIR", REPO.parent / "shared" / "laws"))
BASIS = re.compile(r"^(?P<law>\S+) 第(?P<article>[零一二三四五六七八九十百]+)条$")


def law_texts() -> dict[str, str]:
    """Law name (file name without the date) -> text."""
    if not LAWS_DIR.is_dir():
        pytest.skip(f"statute texts not found at {LAWS_DIR} (set CARDSHOP_LAWS_DIR)")
    return {re.sub(r"\(\d{4}-\d{2}-\d{2}\)$", "", p.stem): p.read_text(encoding="utf-8")
            for p in LAWS_DIR.glob("*.md") if p.name != "README.md"}


# --- metadata -------------------------------------------------------------------------------------
def test_every_module_defines_a_check():
    modules = {p.stem for p in (REPO / "checks").glob("*.py")
               if not p.stem.startswith("_") and p.stem != "base"}
    assert len(modules) == len(CHECKS), "a module in checks/ defines no CHECK"


def test_ids_are_unique_and_dotted():
    assert len(set(IDS)) == len(IDS)
    for cid in IDS:
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", cid), cid


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_metadata_is_complete(check: Check):
    for strings in (check.title, check.failure_title, check.description):
        assert set(strings) >= {"zh", "en"}
        assert strings["zh"].strip() and strings["en"].strip()
    assert re.search(r"[\u4e00-\u9fff]", check.title["zh"])
    assert check.basis and all(b.strip() for b in check.basis)
    assert check.id in profile.WEIGHTS, "give the check its weight in cardshop_auditor/profile.py"
    assert isinstance(profile.WEIGHTS[check.id], int) and profile.WEIGHTS[check.id] >= 0
    assert check.requires and set(check.requires) <= FINDING_KEYS
    assert check.flag is None or check.flag.id in DESIGN_FLAGS
    if check.flag is None:    # a check that raises no flag brings its own buyer advice
        assert check.advice is None or (check.advice["zh"].strip() and check.advice["en"].strip())


def test_profile_weighs_only_registered_checks():
    assert set(profile.WEIGHTS) == set(IDS)


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_basis_cites_articles_that_exist(check: Check):
    texts = law_texts()
    for basis in check.basis:
        if basis.startswith("GB "):
            assert basis == USCC_STANDARD
            continue
        match = BASIS.match(basis)
        assert match, f"{basis!r} is not written '<law> 第N条'"
        law, article = match["law"], match["article"]
        if law in UNVERIFIED_RULES:
            assert "未核实" in check.description["zh"] and "unverified" in check.description["en"], (
                f"{check.id} cites {law}, which is not in shared/laws/: say (unverified)")
            statutes = [b for b in check.basis if not b.startswith(law)]
            assert statutes, f"{check.id}: pair {law} with a statute from shared/laws/"
            continue
        stem = LAW_FILE_STEMS.get(law, law)
        assert stem in texts, f"{check.id}: no statute file for {law!r} in {LAWS_DIR}"
        assert re.search(rf"^\**第{article}条", texts[stem], re.M), f"{check.id}: {basis} not found"


def test_flags_are_raised_by_one_check_each():
    flags = [c.flag.id for c in CHECKS if c.flag]
    assert len(flags) == len(set(flags))
    assert set(flags) == DESIGN_FLAGS, "every DESIGN.md flag has a check that raises it"


def test_every_check_has_its_own_tests():
    tests = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py")
                    if p.name != Path(__file__).name)
    for check in CHECKS:
        module = check.evaluate.__module__.rsplit(".", 1)[-1]
        assert re.search(rf"\b{module}\b", tests), f"{check.id} ({module}) has no tests"


# --- common preconditions ---------------------------------------------------------------------------
@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_compliant_shop_passes_or_does_not_apply(check: Check, make_findings):
    result = run_one(check, make_findings())
    assert result.status in (PASS, NOT_APPLICABLE), result.reason
    if result.status == PASS:
        assert result.reason


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_failed_crawl_is_never_a_failure(check: Check, make_findings):
    findings = make_findings(icp=None, icp_license=None, psb_filing=None, business=None, agreement=None,
                             refund_entry=None, contacts=None, signals=None,
                             site__pages_fetched=0, site__https=None, site__gather_errors=["timeout"])
    result = run_one(check, findings)
    assert result.status == NOT_APPLICABLE
    assert "timeout" in result.reason


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_missing_finding_is_an_error_not_a_failure(check: Check, make_findings):
    findings = make_findings()
    for key in check.requires:
        del findings[key]
    assert run_one(check, findings).status == ERROR


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_failures_carry_evidence_and_reason(check: Check, make_findings):
    """A flag must come with its evidence (DESIGN.md): the worst shop shows what it means."""
    worst = make_findings(
        icp={"number": "京ICP备12345678号", "valid_format": False, "placeholder": True,
             "source_url": "https://shop.example.cn/about", "in_footer": False, "raw": "京ICP备12345678号"},
        psb_filing={"number": "京公网安备44030502001234号", "region_code": "440305", "consistent": False,
                    "source_url": "https://shop.example.cn/"},
        business={"uscc": "91440300708461136X", "uscc_valid": False, "company_name": None,
                  "source_url": "https://shop.example.cn/"},
        contacts={"phones": [], "emails": [], "qq": ["800012345"], "wechat": [], "address": None},
        refund_entry__clicks=6, refund_entry__in_overflow_menu=True,
        site__https=False,
        signals={"template": [{"id": "zfaka", "url": "https://shop.example.cn/", "snippet": "Powered by ZFAKA"}],
                 "payment": [{"id": "epay", "url": "https://shop.example.cn/pay", "snippet": "易支付"}],
                 "anti_blocking": [{"id": "fanghong", "url": "https://shop.example.cn/", "snippet": "防红"}]},
    )
    worst["agreement"].update(reachable_from_home=False, clauses=[
        {"kind": "blanket_no_refund", "text": "一经售出概不退换。", "source_url": "https://shop.example.cn/agreement"},
        {"kind": "final_interpretation", "text": "最终解释权归本站所有。", "source_url": "https://shop.example.cn/agreement"},
        {"kind": "agreement_change", "text": "修改后自公告之日起生效。", "source_url": "https://shop.example.cn/agreement"},
    ])
    result = run_one(check, worst)
    if result.status in (FAIL, WARN):
        assert result.reason and result.evidence, check.id


# --- judge: score ---------------------------------------------------------------------------------
def fake(cid: str, weight: int, outcome, severity="low", flag=None, monkeypatch=None) -> Check:
    def evaluate(findings):
        if outcome == "crash":
            raise KeyError("records")
        return Result(outcome, reason="r")
    monkeypatch.setitem(profile.WEIGHTS, cid, weight)
    raised = Flag(flag, severity, name={"zh": flag, "en": flag}, advice={"zh": "a", "en": "a"}) if flag else None
    return Check(id=cid, title={"zh": cid, "en": cid}, failure_title={"zh": cid, "en": cid},
                 description={"zh": "d", "en": "d"}, severity=None if flag else severity,
                 basis=("电子商务法 第十五条",), requires=("icp",), evaluate=evaluate, flag=raised)


def test_score_is_weighted_mean_of_applicable_checks(monkeypatch):
    mp = monkeypatch
    checks = (fake("a.pass", 3, PASS, monkeypatch=mp), fake("a.warn", 2, WARN, monkeypatch=mp),
              fake("a.fail", 1, FAIL, monkeypatch=mp), fake("a.na", 5, NOT_APPLICABLE, monkeypatch=mp),
              fake("a.crash", 4, "crash", monkeypatch=mp), fake("a.signal", 0, FAIL, monkeypatch=mp))
    out = judge({"icp": None}, checks=checks)
    # (3·1 + 2·0.5 + 1·0) / (3 + 2 + 1): not_applicable, error and weight 0 are left out
    assert out["score"] == round(100 * 4 / 6)
    statuses = {row["id"]: row["status"] for row in out["checks"]}
    assert statuses["a.crash"] == ERROR and statuses["a.na"] == NOT_APPLICABLE


def test_score_is_none_when_nothing_applies(monkeypatch):
    assert judge({"icp": None}, checks=(fake("a.na", 3, NOT_APPLICABLE, monkeypatch=monkeypatch),))["score"] is None


def test_crashing_check_becomes_error_with_the_exception(monkeypatch):
    out = judge({"icp": None}, lang="en", checks=(fake("a.crash", 3, "crash", "high", "no_icp", monkeypatch=monkeypatch),))
    row = out["checks"][0]
    assert row["status"] == ERROR and row["flag"] is None
    assert row["reason"] == "check crashed"
    assert "KeyError" in row["evidence"][0]["snippet"]
    assert out["risk"] == {"level": "low", "flags": [], "evidence": {}, "reasons": []}


def test_judge_compliant_shop(make_findings):
    out = judge(make_findings())
    assert out["score"] == 100
    assert out["risk"]["level"] == "low" and out["risk"]["flags"] == []
    assert {row["id"] for row in out["checks"]} == set(IDS)


def test_judge_localises_titles_and_reasons(make_findings):
    findings = make_findings(icp=None)
    zh = {r["id"]: r for r in judge(findings, "zh")["checks"]}["icp.present"]
    en = {r["id"]: r for r in judge(findings, "en")["checks"]}["icp.present"]
    assert zh["title"] == "未找到 ICP 备案号" and en["title"] == "No ICP filing number found"
    assert zh["reason"] == "未找到 ICP 备案号或经营许可证编号"
    assert en["reason"] == "no ICP filing or licence number found"
    assert zh["basis"] == "互联网信息服务管理办法 第十二条；互联网信息服务管理办法 第四条"


def test_judge_plain_http_alone_is_shown_but_low_risk(make_findings):
    out = judge(make_findings(site__https=False))
    assert out["risk"]["flags"] == ["no_https"]
    assert out["risk"]["evidence"]["no_https"]
    assert out["risk"]["level"] == "low"


def test_judge_no_icp_and_no_identity_is_high(make_findings):
    out = judge(make_findings(icp=None, business=None))
    assert set(out["risk"]["flags"]) == {"no_icp", "no_business_identity"}
    assert out["risk"]["level"] == "high"
    assert any("no_business_identity + no_icp" in r for r in out["risk"]["reasons"])


def test_judge_not_evaluated_refund_entry_raises_no_flag(make_findings):
    out = judge(make_findings(refund_entry__evaluated=False, refund_entry__found=False))
    assert "refund_entry_missing" not in out["risk"]["flags"]
    assert out["score"] == 100


# --- judge: risk rules ----------------------------------------------------------------------------
def rows(*flags_and_severities):
    return [{"flag": flag, "severity": severity} for flag, severity in flags_and_severities]


def test_risk_low_without_flags():
    assert risk_level(rows((None, "high"), (None, "medium"))) == "low"


def test_risk_any_high_flag_is_high():
    level, reasons = assess_risk(rows(("uscc_invalid", "high")), "en")
    assert level == "high" and reasons == ["high-severity flag: uscc_invalid"]


def test_risk_one_or_two_medium_is_medium():
    assert risk_level(rows(("no_psb_filing", "medium"))) == "medium"
    assert risk_level(rows(("no_psb_filing", "medium"), ("no_agreement", "medium"))) == "medium"


def test_risk_three_medium_is_high():
    level, reasons = assess_risk(rows(("no_psb_filing", "medium"), ("no_agreement", "medium"),
                                      ("refund_entry_missing", "medium")), "en")
    assert level == "high"
    assert reasons == ["three or more medium flags: no_psb_filing + no_agreement + refund_entry_missing"]


def test_risk_combination_no_icp_and_no_identity_is_high():
    level, reasons = assess_risk(rows(("no_icp", "medium"), ("no_business_identity", "medium")), "zh")
    assert level == "high" and reasons == ["组合：no_business_identity + no_icp"]
    assert risk_level(rows(("no_icp", "medium"), ("no_psb_filing", "medium"))) == "medium"


def test_risk_three_low_is_medium_but_no_https_is_not_counted():
    assert risk_level(rows(("x_low_1", "low"), ("x_low_2", "low"), ("x_low_3", "low"))) == "medium"
    assert risk_level(rows(("x_low_1", "low"), ("x_low_2", "low"), ("no_https", "low"))) == "low"
    assert risk_level(rows(("no_https", "low"))) == "low"


def test_risk_level_severities_match_the_brief():
    severity = {c.flag.id: c.flag.severity for c in CHECKS if c.flag}
    assert {f for f, s in severity.items() if s == "high"} == {
        "uscc_invalid", "icp_malformed", "template_default", "personal_payment", "anti_blocking",
        "blanket_no_refund"}
    # identity_region_mismatch: a review hint (legitimate cross-province setups exist)
    assert {f for f, s in severity.items() if s == "low"} == {"no_https", "identity_region_mismatch"}


def test_readme_table_is_the_registry_and_the_profile():
    from cardshop_auditor.checks.__main__ import table

    assert table() in (REPO / "README.md").read_text(encoding="utf-8"), \
        "README.md's check table is out of date: paste `python -m cardshop_auditor.checks`"
