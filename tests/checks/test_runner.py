"""The runner (cardshop_auditor.judge): it, not the checks, gates them.

A crawl that fetched nothing makes every check not_applicable; a finding never produced
makes a check an error; a check depended on that found nothing makes its dependents
not_applicable in that check's own words; a crash is an error row; each check sees only the
findings it requires (and ``site``); a new file in a checks package is picked up by itself.
"""
from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest

from cardshop_auditor import profile
from cardshop_auditor.checks import all_checks, discover, validate_dependencies
from cardshop_auditor.checks.base import ERROR, FAIL, NOT_APPLICABLE, PASS, WARN, Check, Flag, Result
from cardshop_auditor.judge import judge, run_checks, run_one

REPO = Path(__file__).resolve().parents[2]
ABSENT = {"zh": "没有东西", "en": "nothing there"}


def check(cid: str, evaluate, requires=("icp",), depends_on=(), absent=None, flag=None) -> Check:
    return Check(id=cid, title={"zh": cid, "en": cid}, failure_title={"zh": cid, "en": cid},
                 description={"zh": "d", "en": "d"}, basis=("电子商务法 第十五条",), requires=requires,
                 evaluate=evaluate, flag=flag, severity=None if flag else "low", depends_on=depends_on,
                 absent=absent)


def returns(status: str, **extra):
    return lambda findings: Result(status, reason="r", **extra)


def test_dependency_that_found_nothing_makes_dependents_not_applicable_in_its_words():
    base = check("a.base", returns(FAIL), absent=ABSENT)
    calls = []
    dependent = check("a.dependent", lambda f: calls.append(f) or Result(PASS), depends_on=("a.base",))
    out = judge({"icp": None}, lang="en", checks=(dependent, base))     # listed before its dependency
    rows = {r["id"]: r for r in out["checks"]}
    assert [r["id"] for r in out["checks"]] == ["a.dependent", "a.base"], "rows keep the listed order"
    assert rows["a.dependent"]["status"] == NOT_APPLICABLE
    assert rows["a.dependent"]["reason"] == "nothing there (see a.base)"
    assert run_checks((base, dependent), {"icp": None})["a.dependent"].reason.zh == "没有东西（见 a.base）"
    assert calls == [], "a dependent whose dependency found nothing is never evaluated"


@pytest.mark.parametrize("status, runs", [(PASS, True), (WARN, True), (FAIL, False), (NOT_APPLICABLE, False)])
def test_dependency_met_on_pass_or_warning(status, runs):
    base = check("a.base", returns(status), absent=ABSENT)
    dependent = check("a.dependent", returns(PASS), depends_on=("a.base",))
    result = run_checks((base, dependent), {"icp": None})["a.dependent"]
    assert (result.status == PASS) is runs


def test_a_failing_check_can_say_it_still_found_its_subject():
    """agreement.present fails on scattered clauses with no agreement page, yet the terms
    checks read those clauses: the failure says so with subject_found."""
    base = check("a.base", returns(FAIL, subject_found=True), absent=ABSENT)
    dependent = check("a.dependent", returns(WARN), depends_on=("a.base",))
    assert run_checks((base, dependent), {"icp": None})["a.dependent"].status == WARN


def test_scattered_clauses_without_an_agreement_page_are_still_judged(make_findings):
    findings = make_findings(agreement={"url": None, "title": None, "clauses": [
        {"kind": "blanket_no_refund", "text": "虚拟商品一经售出概不退换。", "source_url": "https://shop.example.cn/goods/1"}]})
    rows = {r["id"]: r for r in judge(findings)["checks"]}
    assert rows["agreement.present"]["status"] == FAIL
    assert rows["terms.no_blanket_exclusion"]["status"] == FAIL
    assert rows["terms.no_blanket_exclusion"]["flag"] == "blanket_no_refund"


def test_crashing_dependency_makes_dependents_errors_not_failures():
    def crash(findings):
        raise ValueError("boom")
    base = check("a.base", crash, absent=ABSENT)
    dependent = check("a.dependent", returns(FAIL), depends_on=("a.base",),
                      flag=Flag("no_icp", "high", name={"zh": "n", "en": "n"}, advice={"zh": "a", "en": "a"}))
    out = judge({"icp": None}, lang="en", checks=(base, dependent))
    rows = {r["id"]: r for r in out["checks"]}
    assert rows["a.base"]["status"] == ERROR and "ValueError: boom" in rows["a.base"]["evidence"][0]["snippet"]
    assert rows["a.dependent"]["status"] == ERROR and "a.base" in rows["a.dependent"]["reason"]
    assert out["risk"]["flags"] == [] and out["risk"]["level"] == "low"


def test_gate_order_crawl_failure_before_missing_findings():
    seen = []
    probe = check("a.probe", lambda f: seen.append(f) or Result(PASS))
    assert run_one(probe, {"site": {"pages_fetched": 0, "gather_errors": ["dns"]}}).status == NOT_APPLICABLE
    assert run_one(probe, {"site": {"pages_fetched": 3}}).status == ERROR
    assert run_one(probe, {"site": {"pages_fetched": 3}, "icp": None}).status == PASS
    assert run_one(probe, {"icp": None}).status == PASS              # no site facts: nothing to say
    assert len(seen) == 2


def test_a_check_sees_only_what_it_requires_and_the_site(make_findings):
    seen = []
    probe = check("a.probe", lambda f: seen.append(set(f)) or Result(PASS), requires=("contacts",))
    assert run_one(probe, make_findings()).status == PASS
    assert seen == [{"contacts", "site"}]


def test_dependencies_are_validated():
    base = check("a.base", returns(PASS))
    with pytest.raises(RuntimeError, match="unknown check"):
        validate_dependencies((check("a.x", returns(PASS), depends_on=("a.missing",)),))
    with pytest.raises(RuntimeError, match="declares no 'absent'"):
        validate_dependencies((base, check("a.x", returns(PASS), depends_on=("a.base",))))
    loop = (check("a.one", returns(PASS), depends_on=("a.two",), absent=ABSENT),
            check("a.two", returns(PASS), depends_on=("a.one",), absent=ABSENT))
    with pytest.raises(RuntimeError, match="cycle"):
        validate_dependencies(loop)


def test_a_new_check_file_is_picked_up_and_gated(tmp_path, monkeypatch, make_findings):
    """Adding a check is one file: the registry finds it, the runner gates it, the profile
    gives it the default weight until it is listed."""
    package = tmp_path / "extra_checks"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "_helpers.py").write_text("NOT_A_CHECK = True\n")
    (package / "icp_registry_match.py").write_text(textwrap.dedent('''
        from cardshop_auditor.checks._common import INTERNET_INFO, art, say
        from cardshop_auditor.checks.base import FAIL, PASS, Check, Result, ev

        TITLE = {"zh": "备案号与登记信息一致", "en": "The filing matches the registry"}
        FAILURE_TITLE = {"zh": "备案号与登记信息不一致", "en": "The filing does not match the registry"}
        DESCRIPTION = {"zh": "说明", "en": "why"}
        REASONS = {"ok": {"zh": "一致", "en": "matches"}, "bad": {"zh": "不一致", "en": "differs"}}

        def _evaluate(findings):
            icp = findings["icp"]
            ok = icp["number"].startswith("京")
            return Result(PASS if ok else FAIL, [ev(icp["source_url"], icp["number"])],
                          reason=say(REASONS["ok" if ok else "bad"]))

        CHECK = Check(id="icp.registry_match", title=TITLE, failure_title=FAILURE_TITLE,
                      description=DESCRIPTION, basis=(art(INTERNET_INFO, "十二"),), severity="low",
                      requires=("icp",), depends_on=("icp.present",), evaluate=_evaluate)
    '''))
    monkeypatch.syspath_prepend(str(tmp_path))
    found = discover([str(package)], "extra_checks", known=all_checks())
    assert [c.id for c in found] == ["icp.registry_match"]
    checks = all_checks() + found
    row = {r["id"]: r for r in judge(make_findings(), "en", checks=checks)["checks"]}["icp.registry_match"]
    assert row["status"] == PASS and row["weight"] == profile.DEFAULT_WEIGHT and row["reason"] == "matches"
    failed = judge(make_findings(icp=None, icp_license=None), "en", checks=checks)["checks"]
    row = {r["id"]: r for r in failed}["icp.registry_match"]
    assert row["status"] == NOT_APPLICABLE, "icp.present found nothing: the new check does not apply"
    sys.modules.pop("extra_checks.icp_registry_match", None)
    sys.modules.pop("extra_checks", None)


def test_no_check_file_gates_itself():
    """The preconditions are the runner's: no check reads the crawl's page count, tests for a
    missing finding, or says 'see <check>' itself."""
    for path in sorted((REPO / "checks").glob("*.py")):
        if path.name in ("__init__.py", "__main__.py", "base.py"):
            continue
        text = path.read_text(encoding="utf-8")
        assert "pages_fetched\")" not in text.replace("'", '"') or path.name == "_common.py", path.name
        assert not re.search(r"\bgate\(|not in findings|（见 [a-z_]+\.[a-z_]+）", text), path.name
