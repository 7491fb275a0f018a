"""The clause development corpus shipped with the package (see README.md beside this file)."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

SPLITS = ("train", "test")
# Blind sets of later rounds (README), scored only by `clause_eval --independent NAME`: totals,
# never their errors; each round that keeps a set out adds it here.
BLIND_SETS = ("independent2.jsonl", "independent3.jsonl", "independent4.jsonl", "independent5.jsonl",
              "independent6.jsonl", "independent7.jsonl", "independent8.jsonl")


@lru_cache(maxsize=1)
def _rows() -> tuple[dict, ...]:
    text = resources.files(__package__).joinpath("corpus.jsonl").read_text(encoding="utf-8")
    return tuple(json.loads(line) for line in text.splitlines() if line.strip())


def load_corpus(split: str | None = None) -> list[dict]:
    """Rows ``{id, text, kinds, source_url, platform, split[, fee_percent]}``; ``split``
    "train" / "test" / None or "all"."""
    rows = _rows()
    if split in (None, "all"):
        return [dict(r) for r in rows]
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}")
    return [dict(r) for r in rows if r["split"] == split]


@lru_cache(maxsize=1)
def _independent() -> tuple[dict, ...]:
    text = resources.files(__package__).joinpath("independent.jsonl").read_text(encoding="utf-8")
    return tuple(json.loads(line) for line in text.splitlines() if line.strip())


def load_independent() -> list[dict]:
    """The independent batch (README): platforms in neither split, labelled before any
    recogniser was run on them, scored once; never trained or tuned on."""
    return [dict(r) for r in _independent()]


@lru_cache(maxsize=1)
def _augment() -> tuple[dict, ...]:
    files = sorted((f for f in resources.files(__package__).iterdir()
                    if f.name.startswith("augment_") and f.name.endswith(".jsonl")), key=lambda f: f.name)
    return tuple(json.loads(line) for f in files
                 for line in f.read_text(encoding="utf-8").splitlines() if line.strip())


def load_augment() -> list[dict]:
    """Synthetic sentences written by us (``augment_*.jsonl``, README "Synthetic training
    sentences"): training only, in every training fold, never evaluated."""
    return [dict(r) for r in _augment()]


def training_rows() -> list[dict]:
    """What the shipped classifier is trained on: the train split and the synthetic rows."""
    return load_corpus("train") + load_augment()


def load_baseline() -> dict[str, list[str]]:
    """Kinds the rules predicted for each corpus sentence before the corpus existed."""
    text = resources.files(__package__).joinpath("baseline_predictions.json").read_text(encoding="utf-8")
    return json.loads(text)["predictions"]


def corpus_file(spec: str):
    """A .jsonl named on a command line: a file path (relative to the current directory), else
    a file shipped beside the corpus by its bare name.  Returns (file, shipped) or None."""
    path = Path(spec).expanduser()
    if path.is_file():
        return path, False
    shipped = resources.files(__package__).joinpath(spec)
    if spec == path.name and spec.endswith(".jsonl") and shipped.is_file():
        return shipped, True
    return None
