"""Stages of one shop's audit, for a log that follows them (the web page's progress bar).

    report_stage(log, "fetch" | "browser" | "refund" | "judge")

A log is any callable taking a line; one that also has a ``stage(name)`` method hears when
each stage starts.  Plain logs (stderr, a batch's) have none and notice nothing.
"""
from __future__ import annotations

from typing import Callable


def report_stage(log: Callable[[str], None], stage: str) -> None:
    hook = getattr(log, "stage", None)
    if callable(hook):
        hook(stage)
