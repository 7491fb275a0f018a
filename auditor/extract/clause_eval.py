"""Clause recognition measured on the shipped corpus of real-platform wording.

    python -m cardshop_auditor.extract.clause_eval            # test split and the independent batch
    python -m cardshop_auditor.extract.clause_eval --split train --cv 5   # tuning figures (never tune on test)
    python -m cardshop_auditor.extract.clause_eval --independent independent2.jsonl   # a further blind batch

The corpus (``clause_corpus/corpus.jsonl``) holds sentences paraphrased from the published
refund / after-sales / recharge / membership rules of real platforms, labelled with the
clause kinds of DESIGN.md and split into train and test *by platform*.  The baseline column
is the rule set as it stood before the corpus existed: its predictions are stored beside
the corpus (``baseline_predictions.json``) so the comparison is made in the same run.

The independent batch (``clause_corpus/independent.jsonl``) holds sentences from platforms
in neither split, labelled before any recogniser saw them; it is printed after the test
split (no baseline column: the old rules never saw it either) and is never tuned on.

``--independent FILE`` scores a further batch in the same format (a path, or the name of a
batch shipped beside the corpus, e.g. ``independent2.jsonl``): per-kind P / R of the rules
and of the final recogniser, and the micro figures.  It is a blind check, so it never lists
the batch's errors; a malformed file is refused with the line at fault.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

from cardshop_auditor.extract.clause_corpus import corpus_file, load_baseline, load_corpus, load_independent
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


class BatchError(ValueError):
    """A batch file that cannot be scored (unreadable, or a line that is not a labelled sentence)."""


def _row_problem(row: object, seen_ids: set) -> str | None:
    if not isinstance(row, dict):
        return "not a JSON object"
    for name in ("id", "text", "source_url", "platform"):
        if not isinstance(row.get(name), str) or not row[name].strip():
            return f"field {name!r} missing or empty"
    if row["id"] in seen_ids:
        return f"id {row['id']!r} repeated"
    kinds = row.get("kinds")
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        return "field 'kinds' must be a list of kind names"
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        return f"unknown kind(s) {', '.join(map(repr, unknown))}"
    if len(set(kinds)) != len(kinds):
        return "a kind is listed twice"
    if "fee_percent" in row and ("refund_activated_fee" not in kinds or isinstance(row["fee_percent"], bool)
                                 or not isinstance(row["fee_percent"], (int, float))):
        return "fee_percent is a number and goes with refund_activated_fee only"
    return None


def parse_batch(text: str, name: str) -> list[dict]:
    """Rows of a batch in the corpus format (one JSON object a line: id, text, kinds,
    source_url, platform[, fee_percent, split]); raises BatchError naming the first bad line."""
    rows: list[dict] = []
    seen: set = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BatchError(f"{name} line {number}: not JSON ({exc.msg})") from None
        problem = _row_problem(row, seen)
        if problem:
            raise BatchError(f"{name} line {number}: {problem}")
        seen.add(row["id"])
        rows.append(row)
    if not rows:
        raise BatchError(f"{name}: no labelled sentence in it")
    return rows


def load_batch(spec: str) -> tuple[list[dict], str]:
    """The batch named on the command line: a file path (relative to the current directory),
    else a batch shipped beside the corpus by its bare file name.  Returns (rows, label)."""
    found = corpus_file(spec)
    if found is None:
        raise BatchError(f"no batch file {spec!r} (give a path, or the name of a .jsonl batch shipped in clause_corpus/)")
    file, shipped = found
    name, label = (spec, f"clause_corpus/{spec}") if shipped else (str(file), str(file))
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchError(f"cannot read {file}: {exc}") from None
    return parse_batch(text, name), label


def evaluate_batch(rows: list[dict]) -> dict[str, Scores]:
    return {"rules": score(rows, rule_kinds), "final": score(rows, current_kinds)}


def describe_batch(rows: list[dict]) -> str:
    """Size of a batch, and whether its platforms are really unseen (not in the corpus)."""
    platforms = {r["platform"] for r in rows}
    known = platforms & {r["platform"] for r in load_corpus()}
    line = (f"{len(rows)} sentences from {len(platforms)} platforms, "
            f"{sum(len(r['kinds']) for r in rows)} gold labels, {sum(1 for r in rows if not r['kinds'])} negatives")
    if known:
        line += f"; NOT independent: {len(known)} platform(s) also in corpus.jsonl ({', '.join(sorted(known))})"
    return line


def _f(x: float | None) -> str:
    return "   - " if x is None else f"{x:5.2f}"


def render(results: dict[str, Scores], split: str, source: str | None = None) -> str:
    cols = list(results)
    if source is None:
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
    ap.add_argument("--independent", metavar="FILE",
                    help="score a further blind batch instead (a .jsonl path, or e.g. independent2.jsonl "
                         "shipped in clause_corpus/)")
    ap.add_argument("--errors", action="store_true", help="list the sentences the final recogniser gets wrong")
    args = ap.parse_args(argv)
    if args.independent is not None:
        if args.split or args.cv:
            ap.error("--independent scores its own file: it does not combine with --split or --cv")
        if args.errors:
            print("error: --errors is not available with --independent: a blind batch is scored without "
                  "listing its errors (clause_corpus/README.md)", file=sys.stderr)
            return 2
        try:
            rows, label = load_batch(args.independent)
        except BatchError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(describe_batch(rows))
        print(render(evaluate_batch(rows), "independent", source=label))
        return 0
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
