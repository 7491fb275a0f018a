"""Extractors: artifacts in, findings out.  Pure: no network, no clock.

``extract_findings(artifacts) -> dict`` returns the ``findings`` object of report.json;
``build_findings(artifacts)`` the same as a typed ``cardshop_auditor.contracts.Findings``.
The contract — every finding, its fields and what they mean — is those dataclasses
(``contracts.py``), held against ``schema/report.schema.json`` by tests/test_contracts.py.
"""
from __future__ import annotations

from cardshop_auditor.extract.findings import build_findings, extract_findings  # noqa: F401  (public entry points)
