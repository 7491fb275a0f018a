"""End to end over the fixture shops: the real CLI pipeline (Scrapy crawl in a child
process, extractors, checks, report) against each shop's hand-written labels.json."""
from __future__ import annotations

import pytest

from cardshop_auditor.options import AuditOptions
from cardshop_auditor.pipeline import Target, audit_shops
from cardshop_auditor.report import validate_report
from fixtures.server import FixtureServer, load_labels, shop_names

STATIC = shop_names(tag="static")
IGNORED_FLAGS = {"no_https"}  # every fixture is served over plain http on 127.0.0.1


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("labels")
    with FixtureServer(STATIC) as server:
        targets = [Target(url=server.url(n), out_dir=out / n, id=n) for n in STATIC]
        results = audit_shops(targets, AuditOptions(browser="never"), log=lambda m: None)
    return {r.target.id: r.report for r in results}


def test_every_static_shop_was_audited(reports):
    assert sorted(reports) == sorted(STATIC)
    assert len(STATIC) >= 10


@pytest.mark.parametrize("name", STATIC)
def test_report_is_valid(reports, name):
    validate_report(reports[name])


@pytest.mark.parametrize("name", STATIC)
def test_identifiers(reports, name):
    labels, f = load_labels(name), reports[name]["findings"]
    assert (f["icp"] or {}).get("number") == labels["icp"], "ICP number"
    if labels["icp"]:
        assert f["icp"]["valid_format"] == labels["icp_valid_format"], "ICP format verdict"
    assert (f["icp_license"] or {}).get("number") == labels.get("icp_license"), "licence"
    assert (f["psb_filing"] or {}).get("number") == labels["psb_filing"], "公安备案"
    if labels["psb_filing"]:
        assert f["psb_filing"]["consistent"] == labels["psb_consistent"]
        assert f["psb_filing"]["region_code"] == labels["psb_region_code"]
    business = f["business"] or {}
    assert business.get("uscc") == labels["uscc"], "USCC"
    if labels["uscc"]:
        assert business.get("uscc_valid") == labels["uscc_valid"], "USCC check digit"
    assert business.get("company_name") == labels["company_name"], "company name"


@pytest.mark.parametrize("name", STATIC)
def test_risk_level(reports, name):
    assert reports[name]["risk"]["level"] == load_labels(name)["risk_level"]


@pytest.mark.parametrize("name", STATIC)
def test_flags(reports, name):
    """Every expected flag is raised, and at most one flag nobody expected."""
    expected = set(load_labels(name)["flags"]) - IGNORED_FLAGS
    got = set(reports[name]["risk"]["flags"]) - IGNORED_FLAGS
    assert expected <= got, f"missing flags {sorted(expected - got)}"
    assert len(got - expected) <= 1, f"unexpected flags {sorted(got - expected)}"


def _clause_counts(reports):
    tp = fp = fn = 0
    per_shop = {}
    for name in STATIC:
        expected = set(load_labels(name)["clause_kinds"])
        got = {c["kind"] for c in ((reports[name]["findings"]["agreement"] or {}).get("clauses") or [])}
        tp += len(expected & got)
        fp += len(got - expected)
        fn += len(expected - got)
        per_shop[name] = (sorted(expected - got), sorted(got - expected))
    return tp, fp, fn, per_shop


def test_clause_kinds_precision_and_recall(reports):
    tp, fp, fn, per_shop = _clause_counts(reports)
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    detail = {k: v for k, v in per_shop.items() if v != ([], [])}
    assert precision >= 0.9 and recall >= 0.9, f"P={precision:.2f} R={recall:.2f} (missing, extra): {detail}"


@pytest.mark.parametrize("name", STATIC)
def test_fee_percent(reports, name):
    expected = load_labels(name).get("fee_percent")
    clauses = (reports[name]["findings"]["agreement"] or {}).get("clauses") or []
    fees = {c.get("fee_percent") for c in clauses if c["kind"] == "refund_activated_fee"} - {None}
    if expected is None:
        assert not fees
    else:
        assert expected in fees


@pytest.mark.parametrize("name", STATIC)
def test_refund_entry(reports, name):
    expected = load_labels(name)["refund_entry"]
    got = reports[name]["findings"]["refund_entry"]
    assert got["found"] == expected["found"]
    if expected["found"]:
        assert got["clicks"] == expected["clicks"]
    assert got["requires_login"] == expected["requires_login"]


@pytest.mark.parametrize("name", STATIC)
def test_every_flag_has_evidence(reports, name):
    """DESIGN.md: each flag comes with its evidence (for an absence: where it was looked for)."""
    report = reports[name]
    for flag in report["risk"]["flags"]:
        rows = [c for c in report["checks"] if c.get("flag") == flag]
        assert rows and all(c["evidence"] for c in rows), f"{flag} raised without evidence"


@pytest.mark.parametrize("name", STATIC)
def test_refund_guide_matches_labels(reports, name):
    """The buyer's refund guide (auditor/guide.py) says what the labels say about this shop."""
    from tests.guide_labels import guide_mismatches
    assert guide_mismatches(reports[name], load_labels(name)) == []
