"""``python -m cardshop_auditor.checks``: the checks as one table (id, weight, severity, flag,
depends on, basis), with the weights of ``cardshop_auditor.profile``."""
from __future__ import annotations

from cardshop_auditor.checks import all_checks
from cardshop_auditor.profile import weight_of


def table() -> str:
    lines = ["| id | weight | severity | flag | depends on | basis |", "|---|---|---|---|---|---|"]
    for c in sorted(all_checks(), key=lambda c: c.id):
        flag = c.flag.id if c.flag else "—"
        lines.append(f"| {c.id} | {weight_of(c.id)} | {c.severity} | {flag} | {', '.join(c.depends_on) or '—'} "
                     f"| {'；'.join(c.basis)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
