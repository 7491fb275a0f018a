"""Helpers for the filing-record checks (``icp.registry_*``; auditor/icp_registry.py).

They read ``findings["icp_registry"]``: None when no ``--icp-registry`` file was given —
then icp.registry_record does not apply (not a failure), nor do the three that depend on
it — else the records on file for the site's registered domain (``records``, none: the
record check fails and the others do not apply) and those filed under the number the site
shows (``number_records``).
"""
from __future__ import annotations

from cardshop_auditor.checks._common import home_url, not_applicable, say
from cardshop_auditor.checks.base import Evidence, Result

NO_REGISTRY = {"zh": "未提供备案记录文件（--icp-registry），未核对", "en": "no filing-record file given (--icp-registry); not checked"}
PERSONAL_TYPES = ("个人",)


def registry_gate(findings: dict) -> Result | None:
    """not_applicable when no registry was given (the record check; the others depend on it)."""
    if not findings["icp_registry"]:
        return not_applicable(NO_REGISTRY)
    return None


def describe(record: dict) -> str:
    """One record as the filing system shows it: number, holder (type), domains, date."""
    parts = [record.get("number") or "", record.get("holder") or ""]
    if record.get("holder_type"):
        parts[-1] += f"（{record['holder_type']}）"
    parts.append("、".join(record.get("domains") or []))
    if record.get("approved"):
        parts.append(record["approved"])
    return " · ".join(p for p in parts if p)


def record_evidence(findings: dict, records: list[dict], limit: int = 3) -> list[Evidence]:
    """Evidence rows that name the file and line of each record."""
    lookup = findings["icp_registry"] or {}
    source = lookup.get("source") or "registry"
    return [Evidence(f"{source}#{r.get('line')}", describe(r)) for r in records[:limit]]


def site_evidence(findings: dict, template: dict, **values) -> Evidence:
    return Evidence(home_url(findings), say(template, **values))
