"""Last line of defence for `cardshop-audit scan`: a hard deadline for the whole audit.

Every stage has its own limits (the crawler child its wall clock and memory cap, the
browser its time budget), but a call without a timeout deep in a library — Playwright's
``context.close()`` on a page flooding dialogs and popups, an extractor gone quadratic on
a 20 000-link page — would still hold the audit forever.  The watchdog is a daemon timer:
if the scan is still running at the deadline it writes a *failed* report.json (and
report.html) saying which stage overran, prints the one-line reason, and ends the process
with exit code 3.  The browser it may leave behind is Playwright's child: it goes down
with the driver when this process exits.

The deadline is the crawl's hard wall plus time to judge; entering the browser stage
re-arms it for the browser's own budget plus a margin (``arm``).  Nothing here runs
unless a deadline passes.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Callable

from cardshop_auditor.logs import get_logger

JUDGE_MARGIN = 20.0       # seconds to extract, judge and write after a stage ends
STATIC_REPORT_WAIT = 15.0  # after a browser-stage overrun: time to judge the static pages

_current: "Watchdog | None" = None


class Watchdog:
    def __init__(self, url: str, out_dir: Path, options,
                 judge_static: Callable[[object], dict] | None = None):
        """``judge_static(artifacts) -> report``: the pipeline's judging, handed in (the
        watchdog does not import the pipeline) for a partial report after a browser hang."""
        self.url, self.out_dir, self.options = url, Path(out_dir), options
        self.judge_static = judge_static
        self.stage = "static crawl"
        self.deadline = float("inf")
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="audit-watchdog", daemon=True)

    # ---- control (called by the pipeline) -------------------------------------------
    def arm(self, stage: str, seconds: float) -> None:
        """From now, ``stage`` may take ``seconds`` (plus judging) before the audit is stopped."""
        with self._lock:
            self.stage = stage
            self.deadline = time.monotonic() + seconds + JUDGE_MARGIN

    def __enter__(self) -> "Watchdog":
        global _current
        _current = self
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        global _current
        self._done.set()
        _current = None

    # ---- the timer -------------------------------------------------------------------
    def _watch(self) -> None:
        while not self._done.wait(0.5):
            with self._lock:
                late = time.monotonic() > self.deadline
                stage = self.stage
            if late and not self._done.is_set():
                self._expire(stage)

    def _expire(self, stage: str) -> None:
        reason = (f"audit stopped at its hard time limit: the {stage} did not finish in time "
                  f"(a hung page or an overlong computation)")
        if stage == "browser stage" and self.judge_static and self._static_only(reason):
            get_logger("watchdog").warning(f"{self.url}: {reason}; reported the static findings only")
            os._exit(0)
        code = 3
        try:
            from cardshop_auditor.failures import write_failed_report
            write_failed_report(self.url, self.out_dir, self.options, reason)
        except Exception as exc:  # noqa: BLE001 - whatever happens, end the process
            reason += f" (and the report could not be written: {type(exc).__name__}: {exc})"
        get_logger("watchdog").error(f"{self.url} could not be audited: {reason}",
                                     extra={"exit_code": code, "url": self.url})
        os._exit(code)

    def _static_only(self, reason: str) -> bool:
        """The browser hung, the static crawl did not: judge the static pages (in a thread
        of its own, bounded) into a partial report.  True when that report is written."""
        written = threading.Event()

        def judge_static() -> None:
            from cardshop_auditor.artifacts import ShopArtifacts
            from cardshop_auditor.report import write_reports
            try:
                artifacts = ShopArtifacts.load(self.out_dir / "artifacts")
                artifacts.meta.browser = None
                artifacts.meta.errors.append(reason)
                report = self.judge_static(artifacts)
                if report.get("status") == "failed":
                    return
                write_reports(report, self.out_dir)
                written.set()
            except Exception:  # noqa: BLE001 - fall back to the failed report
                return
        worker = threading.Thread(target=judge_static, name="audit-watchdog-judge", daemon=True)
        worker.start()
        worker.join(STATIC_REPORT_WAIT)
        return written.is_set()


def arm(stage: str, seconds: float) -> None:
    """Re-arm the running scan's watchdog, if there is one (batches have none)."""
    if _current is not None:
        _current.arm(stage, seconds)


def judging_seconds(artifacts) -> float:
    """Time allowed to extract and judge these pages: linear in their text (5 s per MB,
    on top of JUDGE_MARGIN), so a big honest shop is never cut, a quadratic blow-up is."""
    return 5.0 * sum(len(p.html or "") for p in artifacts.pages) / 1e6
