"""Clause recognition measured on the shipped corpus of real-platform wording.

    python -m cardshop_auditor.extract.clause_eval            # test split and the independent batch
    python -m cardshop_auditor.extract.clause_eval --split train --cv 5   # tuning figures (never tune on test)

The corpus (``clause_corpus/corpus.jsonl``) holds sentences paraphrased from the published
refund / after-sales / recharge / membership rules of real platforms, labelled with the
clause kinds of DESIGN.md and split into train and test *by platform*.  The baseline column
is the rule set as it stood before the corpus existed: its predictions are stored beside
the corpus (``baseline_predictions.json``) so the comparison is made in the same run.

The independent batch (``clause_corpus/independent.jsonl``) holds sentences from platforms
in neither split, labelled before any recogniser saw them; it is printed after the test
split (no baseline column: the old rules never saw it either) and is never tuned on.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

from cardshop_auditor.extract.clause_corpus import load_baseline, load_corpus, load_independent
from cardshop_auditor.extract.clauses import KINDS

# the targets of issue 10 on the test split (micro-averaged over kinds)
TARGET_PRECISION = 0.90
TARGET_RECALL = 0.85


@dataclass
class Scores:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)

    def add(self, row: dict, predicted: Iterable[str]) -> None:
        gold, pred = set(row["kinds"]), set(predicted)
        for k in pred & gold:
            self.tp[k] += 1
        for k in pred - gold:
            self.fp[k] += 1
        for k in gold - pred:
            self.fn[k] += 1
        if gold != pred:
            self.errors.append((row, sorted(pred - gold), sorted(gold - pred)))

    def kind(self, k: str) -> tuple[float | None, float | None, int]:
        tp, fp, fn = self.tp[k], self.fp[k], self.fn[k]
        p = tp / (tp + fp) if tp + fp else None
        r = tp / (tp + fn) if tp + fn else None
        return p, r, tp + fn

    @property
    def precision(self) -> float:
        tp, fp = sum(self.tp.values()), sum(self.fp.values())
        return tp / (tp + fp) if tp + fp else 1.0

    @property
    def recall(self) -> float:
        tp, fn = sum(self.tp.values()), sum(self.fn.values())
        return tp / (tp + fn) if tp + fn else 1.0


def score(rows: list[dict], predict: Callable[[str], Iterable[str]]) -> Scores:
    s = Scores()
    for row in rows:
        s.add(row, predict(row["text"]))
    return s


def current_kinds(text: str) -> set[str]:
    from cardshop_auditor.extract.clauses import classify
    return {k for k, _ in classify(text)}


def rule_kinds(text: str) -> set[str]:
    from cardshop_auditor.extract.clause_rules import rule_classify
    return {k for k, _ in rule_classify(text)}


def evaluate(split: str = "test") -> dict[str, Scores]:
    if split == "independent":
        rows = load_independent()
        return {"rules": score(rows, rule_kinds), "final": score(rows, current_kinds)}
    rows = load_corpus(split)
    baseline = load_baseline()
    return {
        "baseline": score(rows, lambda t: baseline.get(t, ())),
        "rules": score(rows, rule_kinds),
        "final": score(rows, current_kinds),
    }


def _f(x: float | None) -> str:
    return "   - " if x is None else f"{x:5.2f}"


def render(results: dict[str, Scores], split: str) -> str:
    cols = list(results)
    source = "clause_corpus/independent.jsonl" if split == "independent" else f"the {split} split of clause_corpus/corpus.jsonl"
    lines = [f"clause recognition on {source}",
             "columns: P / R per recogniser; support = gold sentences of the kind",
             f"{'kind':26s}{'support':>8s}  " + "  ".join(f"{c:>13s}" for c in cols)]
    for k in KINDS:
        support = results[cols[0]].kind(k)[2]
        cells = []
        for c in cols:
            p, r, _ = results[c].kind(k)
            cells.append(f"{_f(p)} / {_f(r)}")
        lines.append(f"{k:26s}{support:8d}  " + "  ".join(f"{x:>13s}" for x in cells))
    lines.append(f"{'micro (all kinds)':26s}{'':8s}  " + "  ".join(
        f"{results[c].precision:5.2f} / {results[c].recall:5.2f}" for c in cols))
    final = results["final"]
    ok = final.precision >= TARGET_PRECISION and final.recall >= TARGET_RECALL
    lines.append(f"target P >= {TARGET_PRECISION:.2f}, R >= {TARGET_RECALL:.2f}: "
                 f"{'met' if ok else 'NOT met'} (final P={final.precision:.3f} R={final.recall:.3f})")
    return "\n".join(lines)


def cross_validate(folds: int = 5) -> Scores:
    """Grouped (by platform) cross-validation of the final recogniser inside the train split."""
    from cardshop_auditor.extract.clause_model import cross_validated_predictions
    rows = load_corpus("train")
    preds = cross_validated_predictions(rows, folds)
    s = Scores()
    for row, pred in zip(rows, preds):
        s.add(row, pred)
    return s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m cardshop_auditor.extract.clause_eval", description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("test", "train", "all", "independent"),
                    help="one table (default: the test split, then the independent batch)")
    ap.add_argument("--cv", type=int, metavar="FOLDS", help="cross-validate on the train split instead")
    ap.add_argument("--errors", action="store_true", help="list the sentences the final recogniser gets wrong")
    args = ap.parse_args(argv)
    if args.cv:
        s = cross_validate(args.cv)
        print(render({"final": s}, f"train ({args.cv}-fold grouped cross-validation)"))
        results = {"final": s}
    else:
        results = evaluate(args.split or "test")
        print(render(results, args.split or "test"))
        if args.split is None:
            print()
            print(render(evaluate("independent"), "independent"))
    if args.errors:
        for row, extra, missing in results["final"].errors:
            print(f"{row['id']} +{extra} -{missing} {row['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
