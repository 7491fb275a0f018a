"""Checks: every module in this package that defines ``CHECK`` is a check.

Adding a check is one new file here plus its test; nothing is registered by hand.  A new
``checks/<area>_<what>.py`` looks like this (see ``checks/README.md`` for the whole recipe):

    TITLE = {"zh": ..., "en": ...}; FAILURE_TITLE = {...}; DESCRIPTION = {...}
    REASONS = {"ok": {"zh": ..., "en": ...}, ...}       # one-line reasons, templates
    FLAG = Flag("<DESIGN.md flag id>", severity="medium", name={...}, advice={...})  # or advice=
    def _evaluate(findings: dict) -> Result:            # only the judgement
        ...
    CHECK = Check(id="area.what", title=TITLE, failure_title=FAILURE_TITLE,
                  description=DESCRIPTION, basis=(art(ECOMMERCE, "十五"),),
                  requires=("icp",), evaluate=_evaluate, flag=FLAG)

The runner (``cardshop_auditor.judge``) gates it: a crawl that fetched nothing makes it
``not_applicable``, a finding in ``requires`` the extractors never produced makes it
``error``, a check in ``depends_on`` that found nothing makes it ``not_applicable``, and an
exception in ``evaluate`` becomes an ``error`` row.  Its weight is in
``cardshop_auditor.profile`` (a check not listed there weighs ``DEFAULT_WEIGHT``).
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import Iterable

from cardshop_auditor.checks.base import Check, Flag


@lru_cache(maxsize=1)
def all_checks() -> tuple[Check, ...]:
    """Every check of this package, by module name."""
    return discover(__path__, __name__)


def discover(path: Iterable[str], package: str, known: Iterable[Check] = ()) -> tuple[Check, ...]:
    """The ``CHECK`` of every module in ``path`` (modules starting with ``_`` and ``base``
    left out), by module name; raises on duplicate ids and on bad ``depends_on`` (a
    dependency may be one of the ``known`` checks)."""
    found: list[Check] = []
    for info in sorted(pkgutil.iter_modules(path), key=lambda m: m.name):
        if info.name.startswith("_") or info.name == "base":
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        check = getattr(module, "CHECK", None)
        if isinstance(check, Check):
            found.append(check)
    ids = [c.id for c in found]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise RuntimeError(f"duplicate check ids: {sorted(dupes)}")
    validate_dependencies((*known, *found))
    return tuple(found)


def validate_dependencies(checks: list[Check] | tuple[Check, ...]) -> None:
    """Each ``depends_on`` names a known check that says what it lacks, and there is no cycle."""
    by_id = {c.id: c for c in checks}
    for check in checks:
        for dep in check.depends_on:
            if dep not in by_id:
                raise RuntimeError(f"{check.id} depends on unknown check {dep!r}")
            if not by_id[dep].absent:
                raise RuntimeError(f"{check.id} depends on {dep}, which declares no 'absent' reason")

    def visit(cid: str, path: tuple[str, ...]) -> None:
        if cid in path:
            raise RuntimeError(f"dependency cycle: {' -> '.join(path + (cid,))}")
        for dep in by_id[cid].depends_on:
            visit(dep, path + (cid,))

    for cid in by_id:
        visit(cid, ())


@lru_cache(maxsize=1)
def all_flags() -> dict[str, Flag]:
    """Flag id -> Flag, from the checks that raise them (one check per flag)."""
    flags: dict[str, Flag] = {}
    for check in all_checks():
        if check.flag is None:
            continue
        if check.flag.id in flags:
            raise RuntimeError(f"flag {check.flag.id} is raised by two checks")
        flags[check.flag.id] = check.flag
    return flags


def flag_name(flag_id: object, lang: str) -> str:
    """The flag's name in ``lang`` (zh for any language but en); an unknown id as itself."""
    flag = all_flags().get(flag_id) if isinstance(flag_id, str) else None
    if flag is None:
        return str(flag_id or "")
    return flag.name["en"] if lang == "en" else flag.name["zh"]


def check_by_id(check_id: object) -> Check | None:
    if not isinstance(check_id, str):
        return None
    return next((c for c in all_checks() if c.id == check_id), None)
