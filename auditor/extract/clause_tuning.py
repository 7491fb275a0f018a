"""How the classifier's per-kind add thresholds are chosen (clause_model.ADD_THRESHOLDS).

    python -m cardshop_auditor.extract.clause_tuning            # prints the thresholds and the CV figures

Grouped cross-validation inside the train split only (whole platforms per fold, three
shuffles of the platforms x five folds).  For each kind the threshold is the lowest one at
which the classifier *by itself* keeps an out-of-fold precision of at least PRECISION_FLOOR
(0.92).  Why the model alone and not rules + model: the rules
were written on the train split and find almost every train clause, so in-train CV of the
combination only rewards a model that adds nothing; on platforms nobody tuned on the rules
recall 0.5-0.7 (clause_corpus/README.md) and what the model adds is what decides recall.  A
kind the model adds must be right at least PRECISION_FLOOR (0.92) of the time on its own.

How far the floor goes, and how sure the model must be to drop a rule's kind
(clause_model.KEEP_THRESHOLD), are chosen on first contact instead (``--later``):
``first_contact_rules.json`` beside the corpus keeps, for each group of train rows that
joined in one round, the kinds found by the rules of the commit *before* those rows were
seen.  For each group a model is trained on the train rows before it, its thresholds are
chosen by each floor on those rows (the CV above), and rules + model are scored on the group;
the groups are pooled.  That is how a setting does on wording neither the rules nor the
model had met, which in-train CV cannot show.  On the first three groups recorded (rows
c2178-c4335 with the rules of 495f432, c4336-c4985 with 68e1224's, c4986-c5630 with
9c15b52's; 3,453 sentences) the 0.94 / 0.05 used before gave P 0.868 / R 0.740; the rule
"best F1 among the settings that lose no precision against it" chose floor 0.92 with keep
0.30: P 0.877 / R 0.752 (lower floors reach F1 0.813 at P 0.85; table in the corpus README,
"Thresholds chosen on first contact").  The fourth group (c5631-c6008, rules of fb6e37c)
was recorded after that choice, the fifth (c6009-c6747, rules of 06db3ef) a round later; with
all five pooled (4,570 sentences) floor 0.92 / keep 0.30 gives P 0.877 / R 0.771, F1 0.821.
The sixth (c6748-c7161, rules of 2c1078a) and seventh (c7162-c7469, rules of 71db30c) came the
round after; with all seven (5,292 sentences, at 9c57bb3) it gives P 0.877 / R 0.787, F1 0.829
(best F1 0.831 at floor 0.88, P 0.861).  ``--later`` retrains 3 x 5 folds per floor and group: minutes.
"""
from __future__ import annotations

import sys
from typing import Sequence

PRECISION_FLOOR = 0.92
FLOORS = (0.86, 0.88, 0.90, 0.92, 0.94)     # compared by --later
KEEPS = (0.05, 0.15, 0.3, 0.5)               # clause_model.KEEP_THRESHOLD, compared by --later
FIRST_CONTACT_FILE = "first_contact_rules.json"
# from 0.5: below it the classifier itself leans towards "not this kind" (and class_weight
# "balanced" already lifts a rare kind's probabilities), whatever the precision in CV says
GRID = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
SEEDS = (0, 1, 2)
FOLDS = 5


def choose(rows: Sequence[dict], runs: Sequence[list[dict[str, float]]],
           floor: float = PRECISION_FLOOR) -> dict[str, tuple[float | None, float, float]]:
    """Per kind: (threshold, out-of-fold precision, recall) of the model alone at the lowest
    threshold of GRID reaching ``floor``; threshold None when none does."""
    from cardshop_auditor.extract.clause_model import RULE_ONLY
    from cardshop_auditor.extract.clause_conventions import convention_excludes
    from cardshop_auditor.extract.clause_rules import KINDS
    out = {}
    for kind in KINDS:
        if kind in RULE_ONLY or sum(kind in r["kinds"] for r in rows) == 0:
            continue
        excluded = [convention_excludes(kind, r["text"]) for r in rows]
        out[kind] = (None, 0.0, 0.0)
        for t in GRID:
            tp = fp = fn = 0
            for probs in runs:
                for i, r in enumerate(rows):
                    gold = kind in r["kinds"]
                    pred = probs[i].get(kind, 0.0) >= t and not excluded[i]
                    tp += gold and pred
                    fp += pred and not gold
                    fn += gold and not pred
            if tp + fp and tp / (tp + fp) >= floor:
                out[kind] = (t, tp / (tp + fp), tp / (tp + fn))
                break
    return out


def _counts(rows: Sequence[dict], runs: Sequence[list[dict[str, float]]], thresholds: dict[str, float],
            ruled: Sequence[set[str]] | None = None, keep: float | None = None) -> tuple[int, int, int]:
    """(true, false, missed) kinds of rules + model over the out-of-fold runs; ``ruled``: the
    rules' kinds per row (default: today's rules)."""
    from cardshop_auditor.extract.clause_model import combine
    from cardshop_auditor.extract.clause_rules import rule_classify
    if ruled is None:
        ruled = [{k for k, _ in rule_classify(r["text"])} for r in rows]
    tp = fp = fn = 0
    for probs in runs:
        for i, r in enumerate(rows):
            gold, pred = set(r["kinds"]), combine(ruled[i], probs[i], r["text"], thresholds, keep)
            tp += len(gold & pred)
            fp += len(pred - gold)
            fn += len(gold - pred)
    return tp, fp, fn


def combined_scores(rows: Sequence[dict], runs: Sequence[list[dict[str, float]]],
                    thresholds: dict[str, float], ruled: Sequence[set[str]] | None = None,
                    keep: float | None = None) -> tuple[float, float]:
    """Micro precision / recall of rules + model over the out-of-fold runs."""
    tp, fp, fn = _counts(rows, runs, thresholds, ruled, keep)
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def first_contact_groups() -> list[tuple[list[dict], list[dict], list[set[str]]]]:
    """Per round recorded in FIRST_CONTACT_FILE: (the train rows before it, its train rows,
    their kinds by the rules of that round's first contact)."""
    import json
    from importlib import resources
    from cardshop_auditor.extract.clause_corpus import load_corpus
    record = json.loads(resources.files("cardshop_auditor.extract.clause_corpus")
                        .joinpath(FIRST_CONTACT_FILE).read_text(encoding="utf-8"))
    rows = load_corpus("train")
    groups = []
    for group in record["groups"]:
        first = int(group["first_row"].lstrip("c"))
        seen = [r for r in rows if r["id"] in group["rule_kinds"]]
        before = [r for r in rows if int(r["id"].lstrip("c")) < first]
        groups.append((before, seen, [set(group["rule_kinds"][r["id"]]) for r in seen]))
    return groups


def later_batches(floors: Sequence[float] = FLOORS, keeps: Sequence[float] = KEEPS) -> list[tuple[float, float, float, float]]:
    """(floor, keep, P, R) of rules + model pooled over the first-contact groups: per group
    the model is trained on the rows before it and its thresholds chosen there by ``floor``."""
    from cardshop_auditor.extract.clause_corpus import load_augment
    from cardshop_auditor.extract.clause_model import out_of_fold_probabilities, train
    counts = {(f, k): (0, 0, 0) for f in floors for k in keeps}      # true, false, missed
    for before, seen, ruled in first_contact_groups():
        runs = [out_of_fold_probabilities(before, FOLDS, seed) for seed in SEEDS]
        weights = train(before + load_augment())
        probs = [weights.probabilities(r["text"]) for r in seen]
        for floor in floors:
            thresholds = {k: t for k, (t, _, _) in choose(before, runs, floor).items()}
            for keep in keeps:
                found = _counts(seen, [probs], thresholds, ruled, keep)
                counts[floor, keep] = tuple(a + b for a, b in zip(counts[floor, keep], found))
    return [(f, k, tp / max(1, tp + fp), tp / max(1, tp + fn)) for (f, k), (tp, fp, fn) in counts.items()]


def main(argv: list[str] | None = None) -> int:
    from cardshop_auditor.extract.clause_corpus import load_corpus
    from cardshop_auditor.extract.clause_model import ADD_THRESHOLD, ADD_THRESHOLDS, out_of_fold_probabilities
    argv = sys.argv[1:] if argv is None else argv
    if "--later" in argv:
        print("rules + model on first contact (rules of the round before; model and thresholds "
              f"from the rows before), pooled over the rounds of {FIRST_CONTACT_FILE}")
        for floor, keep, p, r in later_batches():
            print(f"floor {floor:.2f} keep {keep:.2f}: P {p:.3f} R {r:.3f} F1 {2 * p * r / max(1e-9, p + r):.3f}")
        return 0
    rows = load_corpus("train")
    runs = [out_of_fold_probabilities(rows, FOLDS, seed) for seed in SEEDS]
    chosen = choose(rows, runs, PRECISION_FLOOR)
    p, r = combined_scores(rows, runs, {k: t for k, (t, _, _) in chosen.items()})
    print(f"rules + model out-of-fold P {p:.3f} R {r:.3f} (the rules were written on part of these rows)")
    print(f"model alone, out-of-fold over {len(SEEDS)} platform shuffles x {FOLDS} folds; "
          f"lowest threshold with precision >= {PRECISION_FLOOR:.2f}")
    for kind, (t, p, r) in chosen.items():
        shipped = ADD_THRESHOLDS.get(kind, ADD_THRESHOLD)
        chosen_text = "none" if t is None else f"{t:.2f}"
        shipped = "none" if shipped is None else f"{shipped:.2f}"
        print(f"{kind:26s} threshold {chosen_text:>5s}  P {p:.3f}  R {r:.3f}  (shipped {shipped})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
