"""The check pattern (Lighthouse audits + axe-core rules) and the typed flags they raise.

A check is one module in ``checks/`` that defines ``CHECK = Check(...)``: metadata (copy in
zh and en, legal basis, the flag it can raise, what it ``requires`` and ``depends_on``) plus
a pure ``evaluate(findings) -> Result`` that holds only the judgement.  The runner
(``cardshop_auditor.judge``), not the check, decides whether a check can run at all; the
profile (``cardshop_auditor.profile``), not the check, says what it weighs.  ``basis`` is
data (the law and article as shared/laws/ names it, e.g. ``电子商务法 第十五条``) so reports
can be filtered by law.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

PASS, FAIL, WARN, NOT_APPLICABLE, ERROR = "pass", "fail", "warn", "not_applicable", "error"
STATUSES = (PASS, FAIL, WARN, NOT_APPLICABLE, ERROR)
SEVERITIES = ("low", "medium", "high")
SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3}    # also orders risk levels (same words)


def is_problem(row: dict) -> bool:
    """Does this report.json check row count as a problem for the reader?  A failure, or a
    warning that raised a flag (stored reports may hold those)."""
    status = row.get("status")
    return status == FAIL or (status == WARN and bool(row.get("flag")))


@dataclass(frozen=True)
class Flag:
    """A risk flag (DESIGN.md "Risk flags": the id is a stable contract).

    Defined in the file of the one check that raises it, with what a buyer should do;
    ``severity`` feeds the risk rules of the profile.
    """
    id: str
    severity: str                  # low | medium | high
    name: dict                     # {"zh": ..., "en": ...}
    advice: dict                   # what a buyer should do, {"zh": ..., "en": ...}

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"flag {self.id}: unknown severity {self.severity!r}")


@dataclass
class Evidence:
    url: str | None
    snippet: str

    def to_json(self) -> dict:
        return {"url": self.url, "snippet": self.snippet}


@dataclass
class Result:
    status: str
    evidence: list[Evidence] = field(default_factory=list)
    reason: str = ""              # one line: why (shown for fail/warn/not_applicable/error)
    # For the checks that depend on this one: did it find its subject?  None: a pass or a
    # warning did, anything else did not.  Set it only where the status alone does not tell.
    subject_found: bool | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")

    @property
    def found_subject(self) -> bool:
        return self.subject_found if self.subject_found is not None else self.status in (PASS, WARN)


@dataclass(frozen=True)
class Check:
    id: str                        # stable id, e.g. "icp.present"
    title: dict                    # {"zh": ..., "en": ...} shown when it passes
    failure_title: dict            # shown when it fails / warns
    description: dict              # why it matters, for the reader
    basis: tuple[str, ...]         # legal basis, e.g. ("电子商务法 第十五条",)
    requires: tuple[str, ...]      # finding keys it reads ("site" is always handed over too)
    evaluate: Callable[[dict], Result]
    flag: Flag | None = None       # raised when the check fails
    severity: str | None = None    # a check without a flag states it; else it is the flag's
    advice: dict | None = None     # what a buyer should do when it fails without raising a flag
    depends_on: tuple[str, ...] = ()   # check ids: not applicable unless each found its subject
    # What is missing when this check did not find its subject: the reason each check that
    # depends on it gives for not applying ("未找到用户协议" → "未找到用户协议（见 agreement.present）").
    absent: dict | None = None

    def __post_init__(self) -> None:
        if self.flag is not None:
            if self.severity not in (None, self.flag.severity):
                raise ValueError(f"{self.id}: severity {self.severity!r} differs from its flag's")
            object.__setattr__(self, "severity", self.flag.severity)
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.id}: unknown severity {self.severity!r}")


def ev(url: str | None, snippet: str | None, limit: int = 300) -> Evidence:
    """Evidence with the snippet trimmed to something a report can show."""
    text = " ".join((snippet or "").split())
    return Evidence(url=url, snippet=text if len(text) <= limit else text[: limit - 1] + "…")
