"""Inter-annotator agreement between the corpus labels and a second, blind annotation.

    python -m cardshop_auditor.extract.clause_agreement test_second_annotation.jsonl
    python -m cardshop_auditor.extract.clause_agreement SECOND.jsonl --gold OLD_CORPUS.jsonl --list

The second annotation is a .jsonl of ``{"id", "kinds"}`` (a path, or the name of a file
shipped in ``clause_corpus/``); the gold is the corpus split with the same ids.  Each kind
is a yes / no decision per sentence: per kind the raw agreement and Cohen's kappa, then the
same pooled over every (sentence, kind) pair.  No recogniser is run: agreement is between
people, and adjudication must not see predictions.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from cardshop_auditor.extract.clause_corpus import corpus_file
from cardshop_auditor.extract.clause_rules import KINDS


@dataclass(frozen=True)
class Agreement:
    gold: int          # sentences the gold gives the kind
    second: int        # sentences the second annotator gives it
    both: int
    observed: float    # share of sentences where the two say the same
    kappa: float | None  # None when both annotators never (or always) use the kind


def cohen_kappa(a: list[bool], b: list[bool]) -> tuple[float, float | None]:
    """Raw agreement and Cohen's kappa of two yes / no annotations of the same items."""
    if len(a) != len(b) or not a:
        raise ValueError("two annotations of the same, non-empty list of items are needed")
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b)) / n
    pa, pb = sum(a) / n, sum(b) / n
    chance = pa * pb + (1 - pa) * (1 - pb)
    return observed, None if chance == 1 else (observed - chance) / (1 - chance)


def agreement(gold: dict[str, set], second: dict[str, set]) -> tuple[dict[str, Agreement], Agreement]:
    """Per-kind agreement and the pooled figure over all (sentence, kind) pairs."""
    if set(gold) != set(second):
        missing, extra = sorted(set(gold) - set(second)), sorted(set(second) - set(gold))
        raise ValueError(f"the annotations cover different sentences (missing {missing[:5]}, extra {extra[:5]})")
    ids = sorted(gold)
    per_kind, pooled_a, pooled_b = {}, [], []
    for kind in KINDS:
        a = [kind in gold[i] for i in ids]
        b = [kind in second[i] for i in ids]
        pooled_a += a
        pooled_b += b
        per_kind[kind] = Agreement(sum(a), sum(b), sum(x and y for x, y in zip(a, b)), *cohen_kappa(a, b))
    pooled = Agreement(sum(pooled_a), sum(pooled_b), sum(x and y for x, y in zip(pooled_a, pooled_b)),
                       *cohen_kappa(pooled_a, pooled_b))
    return per_kind, pooled


def _load(path: Path, split: str | None = None) -> dict[str, set]:
    rows = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if split and row.get("split") != split:
            continue
        unknown = set(row["kinds"]) - set(KINDS)
        if unknown:
            raise ValueError(f"{path.name}:{n}: unknown kind(s) {sorted(unknown)}")
        rows[row["id"]] = set(row["kinds"])
    return rows


def _shipped(spec: str) -> Path:
    found = corpus_file(spec)
    if found is None:
        raise FileNotFoundError(f"no annotation file {spec!r}")
    return Path(str(found[0]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("second", help="the second annotation (.jsonl of id + kinds)")
    ap.add_argument("--gold", default="corpus.jsonl", help="the labelled corpus (default: the shipped one)")
    ap.add_argument("--split", default="test", help="the corpus split the second annotation covers")
    ap.add_argument("--list", action="store_true", help="list the sentences where the two differ")
    args = ap.parse_args(argv)
    try:
        second = _load(_shipped(args.second))
        gold = _load(_shipped(args.gold), args.split)
        per_kind, pooled = agreement(gold, second)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    fmt = lambda k: "  -  " if k is None else f"{k:.3f}"
    print(f"{'kind':26} {'gold':>4} {'2nd':>4} {'both':>4} {'agree':>6} {'kappa':>6}")
    for kind, a in per_kind.items():
        if a.gold or a.second:
            print(f"{kind:26} {a.gold:4} {a.second:4} {a.both:4} {a.observed:6.3f} {fmt(a.kappa):>6}")
    print(f"{'pooled (sentence x kind)':26} {pooled.gold:4} {pooled.second:4} {pooled.both:4} "
          f"{pooled.observed:6.3f} {fmt(pooled.kappa):>6}")
    same = sum(gold[i] == second[i] for i in gold)
    print(f"identical label sets: {same} / {len(gold)} sentences")
    if args.list:
        for i in sorted(gold):
            if gold[i] != second[i]:
                print(f"{i}  gold only {sorted(gold[i] - second[i])}  second only {sorted(second[i] - gold[i])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
