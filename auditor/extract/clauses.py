"""Refund / agreement clauses: split text into sentences, classify each sentence into zero
or more of DESIGN.md's clause kinds.

The kinds come from the hand-written, negation-aware rules (clause_rules.py, their
vocabulary in clause_vocab.py) and the classifier trained on the shipped corpus
(clause_model.py), which adds a kind it is confident of and vetoes a rule's kind it is
confident is wrong.  Every clause stays the verbatim sentence it was found in.

Kinds (stable ids): refund_unactivated, refund_activated_fee, no_refund_used,
platform_fault, special_goods_exclusion, blanket_no_refund, refund_channel,
refund_timeline, evidence_required, supplement_deadline, complaint_channel,
agreement_change, final_interpretation.
"""
from __future__ import annotations

import re

from cardshop_auditor.extract.clause_model import model_kinds
from cardshop_auditor.extract.clause_rules import (  # noqa: F401  (re-exported for callers)
    KINDS, WITHDRAWAL_RE, is_heading_line, rule_classify, worth_a_look,
)
from cardshop_auditor.extract.clause_sentence import channel_facts, fee_percent, refund_polarity  # noqa: F401
from cardshop_auditor.extract.clause_vocab import HINT_RE, REFUNDISH_RE, STRONG_COMPLAINT_RE  # noqa: F401
from cardshop_auditor.extract.text import collapse, normalise, simplified

MAX_SENTENCE = 400

# ---- sentence splitting ----------------------------------------------------------------

_SPLIT = re.compile(r"(?<=[。！？；!?;])|\n")
_ONLY_PUNCT = re.compile(r"^[\W_\d]*$")


def split_sentences(text: str, keep_whole: bool = False) -> list[str]:
    """Sentences of a block: split after 。！？；!?; and at newlines; whitespace collapsed.
    ``keep_whole``: a table row, kept as one sentence."""
    if keep_whole:
        parts = [text]
    else:
        parts = _SPLIT.split(text)
    out = []
    for p in parts:
        s = collapse(p)
        if len(s) < 4 or _ONLY_PUNCT.match(s):
            continue
        if len(s) > MAX_SENTENCE:
            # an unpunctuated wall of text: cut at commas so each piece stays a clause
            pieces = re.split(r"(?<=[，,])", s)
            cur = ""
            for piece in pieces:
                if len(cur) + len(piece) > MAX_SENTENCE and cur:
                    out.append(cur)
                    cur = ""
                cur += piece
            if cur:
                out.extend(cur[i:i + MAX_SENTENCE] for i in range(0, len(cur), MAX_SENTENCE))
            continue
        out.append(s)
    return out


# ---- classification --------------------------------------------------------------------------------

_MEMO: dict[str, list] = {}


def classify(sentence: str) -> list[tuple[str, dict]]:
    """Clause kinds of one sentence, each with extra facts (``fee_percent``).  Memoised:
    shops repeat the same notices and footers on every page."""
    hit = _MEMO.get(sentence)
    if hit is None:
        hit = _combined(sentence)
        if len(_MEMO) > 20000:
            _MEMO.clear()
        _MEMO[sentence] = hit
    return [(k, dict(e)) for k, e in hit]


def _combined(sentence: str) -> list[tuple[str, dict]]:
    """The rules, with the corpus-trained classifier adding the kinds it is confident of and
    dropping a rule's kind it is confident is wrong (clause_model.py)."""
    ruled = rule_classify(sentence)
    if not worth_a_look(sentence):
        return ruled
    kinds = model_kinds(sentence, [k for k, _ in ruled])
    out = [(k, e) for k, e in ruled if k in kinds]
    s = normalise(simplified(sentence))
    for k in KINDS:
        if k in kinds and all(k != r for r, _ in ruled):
            extra = {}
            if k == "refund_activated_fee":
                extra = {"fee_percent": fee_percent(WITHDRAWAL_RE.sub("", s))}
            elif k == "refund_channel":
                extra = channel_facts(s)
            out.append((k, extra))
    return out

