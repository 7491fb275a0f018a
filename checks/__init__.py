"""Checks: every module in this package that defines ``CHECK`` is a check.

Adding a check is one new file here plus its test; nothing else is registered by hand.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from cardshop_auditor.checks.base import Check


@lru_cache(maxsize=1)
def all_checks() -> tuple[Check, ...]:
    found: list[Check] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        check = getattr(module, "CHECK", None)
        if isinstance(check, Check):
            found.append(check)
    ids = [c.id for c in found]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise RuntimeError(f"duplicate check ids: {sorted(dupes)}")
    return tuple(found)
