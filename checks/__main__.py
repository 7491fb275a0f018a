"""``python -m cardshop_auditor.checks``: the checks as one table (id, weight, severity, flag, basis).

Weights live in each check's file so that adding a check stays one file; this is where they
are read side by side.
"""
from __future__ import annotations

from cardshop_auditor.checks import all_checks


def table() -> str:
    lines = ["| id | weight | severity | flag | basis |", "|---|---|---|---|---|"]
    for c in sorted(all_checks(), key=lambda c: c.id):
        lines.append(f"| {c.id} | {c.weight} | {c.severity} | {c.flag or '—'} | {'；'.join(c.basis)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
