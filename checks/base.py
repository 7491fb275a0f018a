"""The check pattern (Lighthouse audits + axe-core tags).

A check is one module in ``checks/`` that defines ``CHECK = Check(...)``: metadata plus a
pure ``evaluate(findings) -> Result``.  It never fetches; it reads only the findings it
names in ``requires``.  ``basis`` is data (the law and article, written as the law is
named in shared/laws/, e.g. ``电子商务法 第十五条``) so reports can be filtered by law.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

PASS, FAIL, WARN, NOT_APPLICABLE, ERROR = "pass", "fail", "warn", "not_applicable", "error"
STATUSES = (PASS, FAIL, WARN, NOT_APPLICABLE, ERROR)
SEVERITIES = ("low", "medium", "high")


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

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")


@dataclass(frozen=True)
class Check:
    id: str                        # stable id, e.g. "icp.present"
    title: dict                    # {"zh": ..., "en": ...} shown when it passes
    failure_title: dict            # shown when it fails / warns
    description: dict              # why it matters, for the reader
    weight: int                    # share in the transparency score (0 = flag-only)
    severity: str                  # low | medium | high: how much a failure adds to risk
    basis: tuple[str, ...]         # legal basis, e.g. ("电子商务法 第十五条",)
    requires: tuple[str, ...]      # finding keys read, e.g. ("icp",)
    evaluate: Callable[[dict], Result]
    flag: str | None = None        # risk flag raised when the check fails (DESIGN.md ids)
    warn_flags: bool = False       # also raise the flag on "warn"

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.id}: unknown severity {self.severity!r}")


def ev(url: str | None, snippet: str | None, limit: int = 300) -> Evidence:
    """Evidence with the snippet trimmed to something a report can show."""
    text = " ".join((snippet or "").split())
    return Evidence(url=url, snippet=text if len(text) <= limit else text[: limit - 1] + "…")
