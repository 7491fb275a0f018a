"""Acceptance thresholds on the hold-out shops (shops the extractor authors never saw).

One audit of all hold-out shops (browser="never") per test session; see measure.py for
how each number is computed and `python tests/holdout/measure.py` for the full table.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _load(name: str, file: str):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


serve = _load("holdout_serve", "serve.py")
measure = _load("holdout_measure", "measure.py")

pytestmark = pytest.mark.slow


# ---- the hold-out set itself is well-formed (cheap, no audit) ---------------------------
CS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
KINDS = {"refund_unactivated", "refund_activated_fee", "no_refund_used", "platform_fault",
         "special_goods_exclusion", "blanket_no_refund", "refund_channel", "refund_timeline",
         "evidence_required", "supplement_deadline", "complaint_channel", "agreement_change",
         "final_interpretation"}
FLAGS = {"no_icp", "icp_malformed", "no_psb_filing", "psb_inconsistent", "no_business_identity",
         "uscc_invalid", "no_agreement", "no_refund_policy", "blanket_no_refund",
         "final_interpretation_claim", "refund_entry_missing", "refund_entry_hidden",
         "contact_qq_only", "no_contact", "no_https", "template_default", "personal_payment",
         "anti_blocking"}
HIGH = {"uscc_invalid", "icp_malformed", "template_default", "personal_payment", "anti_blocking",
        "blanket_no_refund"}
MEDIUM = {"no_icp", "no_psb_filing", "psb_inconsistent", "no_business_identity", "no_agreement",
          "no_refund_policy", "final_interpretation_claim", "refund_entry_hidden", "contact_qq_only",
          "no_contact", "refund_entry_missing"}


def _uscc_ok(code: str) -> bool:
    total = sum(CS.index(c) * w for c, w in zip(code[:17], W))
    return CS[(31 - total % 31) % 31] == code[17]


def _risk(flags: set[str]) -> str:
    if flags & HIGH or {"no_icp", "no_business_identity"} <= flags or len(flags & MEDIUM) >= 3:
        return "high"
    return "medium" if flags & MEDIUM else "low"


@pytest.mark.parametrize("name", serve.shop_names())
def test_labels_are_consistent(name):
    labels = serve.load_labels(name)
    site = HERE / "shops" / name / "site"
    pages = [p for p in site.rglob("*") if p.is_file()]
    assert 3 <= len(pages) <= 8
    assert set(labels["clause_kinds"]) <= KINDS
    assert set(labels["flags"]) <= FLAGS
    assert labels["risk_level"] == _risk(set(labels["flags"]))
    if labels["uscc"]:
        assert _uscc_ok(labels["uscc"]) == labels["uscc_valid"]
    cfg = HERE / "shops" / name / "shop.json"
    if cfg.is_file():
        enc = json.loads(cfg.read_text(encoding="utf-8")).get("encoding") or "utf-8"
        for p in pages:
            p.read_text(encoding="utf-8").encode(enc)      # every page survives re-encoding


# ---- the measured thresholds -----------------------------------------------------------
@pytest.fixture(scope="module")
def result(tmp_path_factory):
    res = measure.measure(out_root=tmp_path_factory.mktemp("holdout"))
    measure.print_report(res)                                # visible with -s / on failure
    return res


def _table(result) -> str:
    import io
    buf = io.StringIO()
    measure.print_report(result, file=buf)
    return buf.getvalue()


def test_icp_exact(result):
    assert result["summary"]["icp_exact"] >= 0.90, _table(result)


def test_uscc_and_validity_exact(result):
    assert result["summary"]["uscc_exact"] == 1.0, _table(result)


def test_clause_precision(result):
    assert result["summary"]["clause_precision"] >= 0.85, _table(result)


def test_clause_recall(result):
    assert result["summary"]["clause_recall"] >= 0.80, _table(result)


def test_flag_recall(result):
    assert result["summary"]["flag_recall"] >= 0.85, _table(result)


def test_at_most_one_wrong_flag_per_shop(result):
    assert result["summary"]["max_wrong_flags"] <= 1, _table(result)


def test_risk_level(result):
    assert result["summary"]["risk_accuracy"] >= 0.80, _table(result)
