"""The default profile (Lighthouse's default-config): what each check weighs in the
transparency score, and the rules that turn raised flags into a risk level.

Checks do not know their weight.  Score = weighted mean of the applicable checks (pass = 1,
warn = 0.5, fail = 0); ``not_applicable`` and ``error`` are left out, as Lighthouse leaves
out audits without a score.  Weight 0 makes a check a risk signal: shown with its evidence
and flag, never scored.
"""
from __future__ import annotations

from cardshop_auditor.checks._common import localise, say
from cardshop_auditor.checks.base import FAIL, PASS, SEVERITY_RANK, WARN

STATUS_SCORE = {PASS: 1.0, WARN: 0.5, FAIL: 0.0}

# A check not listed here (a new file in checks/) counts like a minor check until it is.
DEFAULT_WEIGHT = 1

WEIGHTS = {
    # who runs the shop
    "icp.present": 3,
    "icp.valid_format": 2,
    "icp.in_footer": 1,
    "icp.license": 1,
    "icp.registry_record": 2,          # with --icp-registry only (not applicable without)
    "icp.registry_number": 3,
    "icp.registry_operator": 2,
    "icp.registry_personal": 2,
    "psb.present": 2,
    "psb.consistent": 1,
    "business.identity": 3,
    "business.uscc_valid": 2,
    "identity.region_consistent": 0,   # a review hint: legitimate cross-province setups exist
    "contact.present": 2,
    "contact.not_qq_only": 1,
    "complaint.channel": 2,
    "site.https": 1,
    # the terms a buyer agrees to
    "agreement.present": 3,
    "agreement.reachable": 2,
    "agreement.change_notice": 1,
    "terms.no_blanket_exclusion": 2,
    "terms.no_final_interpretation": 2,
    "refund.policy_present": 3,
    "refund.digital_goods_exemption": 2,
    "refund.channel": 1,
    "refund.timeline": 1,
    # how to get the money back
    "refund_entry.found": 3,
    "refund_entry.shallow": 2,
    # fly-by-night signals: shown with their evidence, not scored
    "signals.template_default": 0,
    "signals.personal_payment": 0,
    "signals.anti_blocking": 0,
}


def weight_of(check_id: str) -> int:
    return WEIGHTS.get(check_id, DEFAULT_WEIGHT)


def score(rows: list[dict]) -> int | None:
    """The transparency score of judged rows (their ``weight`` and ``status``); None when
    no weighted check applies."""
    weighted = total = 0.0
    for row in rows:
        weight = row.get("weight") or 0
        if row.get("status") in STATUS_SCORE and weight > 0:
            weighted += weight * STATUS_SCORE[row["status"]]
            total += weight
    return round(100 * weighted / total) if total else None


# --- risk -----------------------------------------------------------------------------
# The risk level orders a human reviewer's queue; the flags and their evidence are the point.
#
# Flags shown with their evidence that never move the level, alone or by count.  Plain
# HTTP is common on small, honest shops (and on every local test fixture): it tells a buyer
# something, but it does not separate a fly-by-night shop from a small one.
SHOWN_NOT_COUNTED = frozenset({"no_https"})

# Combinations that mean more than the sum of their parts.  A shop that shows neither an
# ICP number nor any operator (company name or credit code) cannot be traced by a buyer at
# all: the classic 野鸡 pattern (DOMAIN.md §4, signals 1 and 2), high on its own even though
# each flag alone is medium.
COMBINATIONS = (
    (frozenset({"no_icp", "no_business_identity"}), "high"),
)

# Why the level is what it is, for the reviewer ({flags}: the flags behind the rule).
RULES = {
    "high_flag": {"zh": "高风险标记：{flags}", "en": "high-severity flag: {flags}"},
    "three_medium": {"zh": "三个及以上中风险标记：{flags}", "en": "three or more medium flags: {flags}"},
    "combination": {"zh": "组合：{flags}", "en": "combination: {flags}"},
    "medium_flag": {"zh": "中风险标记：{flags}", "en": "medium-severity flag: {flags}"},
    "three_low": {"zh": "三个及以上低风险标记：{flags}", "en": "three or more low flags: {flags}"},
}


def assess_risk(rows: list[dict], lang: str = "zh") -> tuple[str, list[str]]:
    """Return the level and the rules that set it, e.g. ("high", ["高风险标记：uscc_invalid"]).

    high: any high-severity flag, three or more medium ones, or a listed combination;
    medium: any medium flag, or three or more low ones (SHOWN_NOT_COUNTED left out); else low.
    """
    fired = level_rules(rows)
    if not fired:
        return "low", []
    level = fired[0][0]
    return level, [localise(say(RULES[rule], flags=" + ".join(flags)), lang)
                   for lvl, rule, flags in fired if lvl == level]


def level_rules(rows: list[dict]) -> list[tuple[str, str, list[str]]]:
    """Every rule of ``assess_risk`` that fires, as (level, rule id, flags), highest level
    first (stable within a level).  Reads the rows' ``flag`` and ``severity``, so a stored
    report is explained by what it holds; the report says with these which flags set the level."""
    counted = [(row.get("flag"), row.get("severity")) for row in rows
               if row.get("flag") and row.get("flag") not in SHOWN_NOT_COUNTED]
    by_severity = {sev: [flag for flag, s in counted if s == sev] for sev in SEVERITY_RANK}
    raised = {flag for flag, _ in counted}
    fired: list[tuple[str, str, list[str]]] = []          # (level, rule, flags)
    fired += [("high", "high_flag", [flag]) for flag in by_severity["high"]]
    if len(by_severity["medium"]) >= 3:
        fired.append(("high", "three_medium", by_severity["medium"]))
    fired += [(level, "combination", sorted(combo)) for combo, level in COMBINATIONS if combo <= raised]
    fired += [("medium", "medium_flag", [flag]) for flag in by_severity["medium"]]
    if len(by_severity["low"]) >= 3:
        fired.append(("medium", "three_low", by_severity["low"]))
    return sorted(fired, key=lambda f: -SEVERITY_RANK[f[0]])


def risk_level(rows: list[dict]) -> str:
    """The level alone (see assess_risk).  A person reviews the evidence; this only orders the queue."""
    return assess_risk(rows)[0]
