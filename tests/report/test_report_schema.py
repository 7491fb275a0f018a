"""report.json: built reports match the schema; broken ones fail with a clear message."""
from __future__ import annotations

import copy
import json
from importlib import resources

import jsonschema
import pytest

from cardshop_auditor.report import ReportValidationError, build_report, load_schema, summarize, top_problems, validate_report
from report_factory import (SCANNED_AT, TOOL_VERSION, crafted_judged, failed_report, make_artifacts, make_report,
                            realistic_findings)
from cardshop_auditor.checks import all_flags
from cardshop_auditor.report_templates import i18n

BASE = "http://127.0.0.1:8000/"

# DESIGN.md's stable ids, written out here so a rename anywhere is caught.
DESIGN_FLAGS = {
    "no_icp", "icp_malformed", "no_psb_filing", "psb_inconsistent", "no_business_identity",
    "uscc_invalid", "no_agreement", "no_refund_policy", "blanket_no_refund",
    "final_interpretation_claim", "refund_entry_missing", "refund_entry_hidden", "contact_qq_only",
    "no_contact", "no_https", "template_default", "personal_payment", "anti_blocking",
    "identity_region_mismatch",      # extension (issue 10): ICP / 公安 / USCC provinces disagree
    # extension (issue 14): the --icp-registry cross-check
    "icp_not_on_record", "icp_number_not_on_record", "icp_operator_mismatch", "icp_personal_filing"}
DESIGN_KINDS = {
    "refund_unactivated", "refund_activated_fee", "no_refund_used", "platform_fault",
    "special_goods_exclusion", "blanket_no_refund", "refund_channel", "refund_timeline",
    "evidence_required", "supplement_deadline", "complaint_channel", "agreement_change",
    "final_interpretation"}


def test_schema_is_packaged_and_valid_draft_2020_12():
    ref = resources.files("cardshop_auditor.schema").joinpath("report.schema.json")
    assert ref.is_file()
    schema = json.loads(ref.read_text("utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert load_schema() == schema


def test_schema_enums_match_design_and_the_report_strings():
    defs = load_schema()["$defs"]
    assert set(defs["flag_id"]["enum"]) == DESIGN_FLAGS == set(all_flags())
    assert set(defs["clause_kind"]["enum"]) == DESIGN_KINDS == set(i18n.CLAUSE_KINDS)
    assert set(defs["check_status"]["enum"]) == set(i18n.STATUS)
    assert set(defs["risk_level"]["enum"]) == set(i18n.RISK)
    assert defs["page"]["properties"]["fetched_with"]["enum"] == ["http", "browser"]


def test_every_contract_field_is_required():
    schema = load_schema()
    assert set(schema["required"]) == {"schema_version", "target", "final_url", "scanned_at", "tool_version",
                                       "pages", "findings", "checks", "score", "risk"}
    defs = schema["$defs"]
    assert set(defs["findings"]["required"]) == {"icp", "icp_license", "psb_filing", "business", "agreement",
                                                 "refund_entry", "contacts"}
    assert set(defs["check"]["required"]) == {"id", "title", "status", "weight", "basis", "evidence"}
    assert set(defs["page"]["required"]) == {"url", "status", "fetched_with", "sha256"}


@pytest.mark.parametrize("kwargs", [
    {}, {"lang": "en"}, {"hostile": True, "pwn_url": "http://127.0.0.1:9/pwned"},
    {"real_checks": True}, {"real_checks": True, "hostile": True},
], ids=["zh", "en", "hostile", "real-checks", "real-checks-hostile"])
def test_built_reports_validate(kwargs, tmp_path):
    report = make_report(BASE, report_dir=tmp_path, **kwargs)
    validate_report(report)
    validate_report(json.loads(json.dumps(report, ensure_ascii=False)))  # as written to disk
    assert report["schema_version"] == 1 and report["tool_version"] == TOOL_VERSION
    assert report["scanned_at"] == SCANNED_AT


def test_report_carries_pages_gather_and_evidence(tmp_path):
    report = make_report(BASE, report_dir=tmp_path)
    first = report["pages"][0]
    assert {"url", "status", "fetched_with", "sha256", "final_url", "encoding", "error"} <= set(first)
    assert {p["encoding"] for p in report["pages"]} >= {"utf-8", "gbk"}
    assert {p["fetched_with"] for p in report["pages"]} == {"http", "browser"}
    assert any(p["error"] == "timeout" for p in report["pages"])
    gather = dict(report["gather"])
    assert gather.pop("network") == {"policy": None, "refused": [], "refused_count": 0, "certificate": None}
    assert gather == {"errors": ["timeout: " + BASE + "help/faq.html"],
                      "stats": {"pages": 7, "bytes": 184_203, "seconds": 3.2}, "robots_denied": False}
    assert [e["path"] for e in report["evidence"]] == ["evidence/refund-entry.png", "evidence/home.png",
                                                       "evidence/orders.png"]
    assert all(len(e["sha256"]) == 64 for e in report["evidence"])
    assert report["status"] == "partial" and "timeout" in report["reason"]


def test_unsafe_evidence_paths_never_reach_the_report(tmp_path):
    report = make_report(BASE, report_dir=tmp_path, hostile=True, pwn_url="http://127.0.0.1:9/pwned")
    paths = [e["path"] for e in report["evidence"]]
    assert all(".." not in p and ":" not in p and not p.startswith("/") for p in paths)
    assert "../secret.png" not in paths
    assert report["findings"]["refund_entry"]["screenshot"] is None  # was ../../../etc/passwd.png


def test_failed_report_validates_and_says_why():
    report = failed_report()
    validate_report(report)
    assert report["status"] == "failed"
    assert "connection_refused" in report["reason"]
    assert report["final_url"] is None and report["score"] is None
    assert report["risk"]["flags"] == []
    assert report["findings"]["icp"] is None
    assert report["findings"]["refund_entry"]["found"] is False
    assert report["summary"]["verdict"] == "无法完成检测"
    assert report["summary"]["detail"].startswith("无法连接到网站（连接被拒绝）")


def test_failed_target_is_never_judged_as_failing_checks():
    """Checks that ran over nothing become not_applicable: no flags, no score (DESIGN.md)."""
    base = "http://127.0.0.1:9/"
    judged = crafted_judged(realistic_findings(base), base)
    assert any(c["status"] == "fail" for c in judged["checks"])
    report = build_report(make_artifacts(base, failed=True), {}, judged, tool_version="t", scanned_at=SCANNED_AT)
    validate_report(report)
    assert {c["status"] for c in report["checks"]} == {"not_applicable"}
    assert report["risk"]["flags"] == [] and report["score"] is None
    assert report["summary"]["top_problems"] == []


def test_partial_status_needs_a_reason():
    report = make_report(BASE)
    broken = {**report, "status": "partial", "reason": None}
    with pytest.raises(ReportValidationError, match="reason"):
        validate_report(broken)


def test_broken_report_lists_every_violation_with_its_path():
    report = copy.deepcopy(make_report(BASE))
    report["risk"]["level"] = "extreme"
    report["risk"]["flags"].append("made_up_flag")
    report["checks"][0]["status"] = "ok"
    report["findings"]["agreement"]["clauses"][0]["kind"] = "refund_whenever"
    report["findings"]["refund_entry"]["screenshot"] = "../../etc/passwd"
    report["pages"][0]["fetched_with"] = "curl"
    del report["findings"]["icp"]
    del report["tool_version"]
    with pytest.raises(ReportValidationError) as info:
        validate_report(report)
    message = str(info.value)
    assert "8 problem(s)" in message
    for expected in ("risk.level: 'extreme' is not one of", "risk.flags[", "'made_up_flag'",
                     "checks[0].status: 'ok'", "findings.agreement.clauses[0].kind: 'refund_whenever'",
                     "findings.refund_entry.screenshot", "pages[0].fetched_with: 'curl'",
                     "findings: 'icp' is a required property", "(top level): 'tool_version' is a required property"):
        assert expected in message, (expected, message)
    assert len(info.value.errors) == 8


def test_extra_properties_are_allowed_everywhere():
    report = copy.deepcopy(make_report(BASE))
    report["future_section"] = {"x": 1}
    report["findings"]["icp"]["registry_subject"] = "某公司"
    report["checks"][0]["details"] = {"table": []}
    report["risk"]["reviewer"] = "someone"
    validate_report(report)


def test_top_problems_rank_by_severity_times_weight():
    judged = crafted_judged(realistic_findings(BASE), BASE)
    ids = [row["id"] for row in top_problems(judged["checks"])]
    # blanket clause: high×3 = 9; bad USCC: high×2 = 6; personal payment: high×(0→2) = 6, loses the tie
    assert ids == ["clause.no_blanket_exclusion", "business.uscc_valid", "signals.payment"]
    assert top_problems([{"id": "a", "status": "pass", "weight": 3, "severity": "high"}]) == []
    # a flag-only check (weight 0) ranks as weight 2 but loses ties; a flagged warning counts half;
    # a warning without a flag is not a problem
    rows = [{"id": "w", "status": "warn", "flag": "no_https", "weight": 3, "severity": "high"},
            {"id": "z", "status": "fail", "weight": 0, "severity": "high"},
            {"id": "y", "status": "fail", "weight": 2, "severity": "high"},
            {"id": "u", "status": "warn", "flag": None, "weight": 3, "severity": "high"},
            {"id": "m", "status": "fail", "weight": 1, "severity": "medium"}]
    assert [r["id"] for r in top_problems(rows)] == ["y", "z", "w"]


def test_summary_advice_in_chinese_and_english():
    zh = make_report(BASE)["summary"]
    assert zh["verdict"] == "高风险：不建议在这家店购买"
    assert len(zh["top_problems"]) == 3
    assert all(p["advice"] and "advice_en" not in p for p in zh["top_problems"])
    assert "12315" in zh["top_problems"][0]["advice"]
    en = make_report(BASE, lang="en")["summary"]
    assert en["verdict"] == zh["verdict"] and en["verdict_en"].startswith("High risk")
    assert all(p["advice_en"] and p["advice"] for p in en["top_problems"])


def test_low_risk_verdict():
    report = make_report(BASE)
    clean = {**report, "status": "complete", "risk": {"level": "low", "flags": []},
             "checks": [{**c, "status": "pass", "flag": None} for c in report["checks"]]}
    summary = summarize(clean)
    assert summary["verdict"].startswith("低风险") and summary["top_problems"] == []


def test_real_checks_raise_only_contract_flags():
    """Every flag a check can raise has a schema entry and report strings (name + advice)."""
    from cardshop_auditor.checks import all_checks

    for check in all_checks():
        if check.flag:
            assert check.flag.id in DESIGN_FLAGS, (check.id, check.flag.id)
            assert check.flag.name["zh"] and check.flag.name["en"], check.flag.id
            assert check.flag.advice["zh"] and check.flag.advice["en"], check.flag.id


def test_advice_is_specific_to_the_check():
    from cardshop_auditor.report import advice_for

    change = advice_for({"id": "agreement.change_notice", "flag": None}, "zh")
    assert change != advice_for({"id": "agreement.present", "flag": "no_agreement"}, "zh")
    assert "截图" in change
    assert advice_for({"id": "unknown.check", "flag": None}, "en") == i18n.GENERIC_ADVICE[1]
    assert advice_for({"id": "x", "flag": "personal_payment"}, "en") == all_flags()["personal_payment"].advice["en"]


# --------------------------------------------------------------------------- fast validator

def _paths(node, path=()):
    """Every (path, value) in a JSON document."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, path + (index,))


def _mutants(report, rng, count):
    """Reports one edit away from a valid one: a key dropped, a value of another type, an
    unknown enum value, a list emptied, a number out of range."""
    paths = [p for p, _ in _paths(report) if p]
    replacements = [None, "", "x", -1, 101, 1.5, True, [], {}, ["x"], {"x": 1}, "warn", "pass", "no_icp"]
    text = json.dumps(report, ensure_ascii=False)
    for _ in range(count):
        mutant = json.loads(text)
        path = rng.choice(paths)
        parent = mutant
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and rng.random() < 0.3:
            del parent[path[-1]]
        else:
            parent[path[-1]] = copy.deepcopy(rng.choice(replacements))
        yield path, mutant


@pytest.mark.parametrize("kwargs", [{"real_checks": True}, {"real_checks": True, "hostile": True, "lang": "en"}],
                         ids=["real-checks", "hostile-en"])
def test_fast_validator_agrees_with_jsonschema(kwargs, tmp_path):
    """The compiled validator may only say "valid" where jsonschema does (it decides alone
    on the fast path); on 600 one-edit mutants of a real report both must agree."""
    import random

    from cardshop_auditor.report.validate import _fast_validator

    report = json.loads(json.dumps(make_report(BASE, report_dir=tmp_path, **kwargs), ensure_ascii=False))
    reference = jsonschema.Draft202012Validator(load_schema())
    fast = _fast_validator()
    rng = random.Random(7)
    invalid = 0
    for path, mutant in _mutants(report, rng, 250):
        try:
            fast(mutant)
            fast_ok = True
        except Exception:
            fast_ok = False
        ok = reference.is_valid(mutant)
        invalid += not ok
        assert fast_ok == ok, f"{'/'.join(map(str, path))}: fast={fast_ok}, jsonschema={ok}"
    assert invalid > 50           # the mutants do break the contract often enough to tell


def test_fast_validator_never_fills_in_defaults(tmp_path):
    from cardshop_auditor.report.validate import _fast_validator

    report = json.loads(json.dumps(make_report(BASE, report_dir=tmp_path), ensure_ascii=False))
    before = json.dumps(report, sort_keys=True)
    _fast_validator()(report)
    assert json.dumps(report, sort_keys=True) == before
