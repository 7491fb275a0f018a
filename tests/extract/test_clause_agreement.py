"""Agreement between two annotations: Cohen's kappa per kind and pooled, and the shipped
second annotation of the test split."""
import json

import pytest

from cardshop_auditor.extract.clause_agreement import agreement, cohen_kappa, main
from cardshop_auditor.extract.clause_corpus import load_corpus


def test_kappa_of_a_textbook_table():
    # 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: observed 0.70, chance 0.50, kappa 0.40
    a = [True] * 25 + [False] * 25
    b = [True] * 20 + [False] * 5 + [True] * 10 + [False] * 15
    observed, kappa = cohen_kappa(a, b)
    assert observed == pytest.approx(0.70)
    assert kappa == pytest.approx(0.40)


def test_kappa_is_one_for_identical_and_undefined_for_an_unused_kind():
    assert cohen_kappa([True, False, True], [True, False, True]) == (1.0, 1.0)
    assert cohen_kappa([False, False], [False, False]) == (1.0, None)


def test_per_kind_and_pooled_counts():
    gold = {"a": {"refund_timeline"}, "b": {"refund_channel", "refund_timeline"}, "c": set()}
    second = {"a": {"refund_timeline"}, "b": {"refund_channel"}, "c": {"complaint_channel"}}
    per_kind, pooled = agreement(gold, second)
    assert (per_kind["refund_timeline"].gold, per_kind["refund_timeline"].second, per_kind["refund_timeline"].both) == (2, 1, 1)
    assert per_kind["complaint_channel"].observed == pytest.approx(2 / 3)
    assert (pooled.gold, pooled.second, pooled.both) == (3, 3, 2)


def test_different_sentences_are_refused():
    with pytest.raises(ValueError, match="different sentences"):
        agreement({"a": set()}, {"b": set()})


def test_the_shipped_second_annotation_covers_the_test_split(capsys):
    assert main(["test_second_annotation.jsonl"]) == 0
    out = capsys.readouterr().out
    assert "pooled (sentence x kind)" in out
    assert f"/ {len(load_corpus('test'))} sentences" in out


def test_unknown_kind_in_a_second_annotation_is_an_error(tmp_path, capsys):
    bad = tmp_path / "second.jsonl"
    bad.write_text(json.dumps({"id": "c0001", "kinds": ["refund_now"]}) + "\n", encoding="utf-8")
    assert main([str(bad)]) == 2
    assert "unknown kind" in capsys.readouterr().err
