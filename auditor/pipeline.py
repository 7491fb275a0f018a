"""The audit pipeline, one direction: gather → extract → judge → report.

    audit_shops(targets)            many shops: one crawl, each shop judged as soon as
                                    its crawl finishes (judging overlaps crawling)
      └ crawl_static               spiders/ in a child process → artifacts on disk
      └ BrowserLane                 (several shops) browser stages in a thread of their own,
                                    overlapping the judging of static shops
      └ judge_shop(target)          per shop:
          ├ browser stage           only where needed (app shell, login, --browser always)
          ├ findings_for(artifacts) extractors (pure)
          ├ judge(findings)         checks/ (pure) → checks, score, risk
          └ build/write report      report.json + report.html
    rescore(dir)                    the same judging over saved artifacts, no crawl
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from cardshop_auditor import __version__, watchdog
from cardshop_auditor.artifacts import ShopArtifacts
from cardshop_auditor.gather import crawl_static, hard_wall
from cardshop_auditor.logs import get_logger
from cardshop_auditor.options import AuditOptions
from cardshop_auditor.progress import report_stage
from cardshop_auditor.urls import target_url

# The judging modules (extractors, checks, report templates: ~0.35 s to import) are
# loaded by ``load_judging`` while the crawler child starts up, not before it.

Log = Callable[[str], None]


def stderr_log(message: str) -> None:
    """Progress on stderr, through logging (cardshop_auditor.logs: -q hides it, JSON lines with --log-format json)."""
    get_logger("pipeline").info(message)


@dataclass
class Target:
    url: str
    out_dir: Path
    id: str = ""
    label: str = ""
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    order_no: str | None = None     # for a public order-query refund flow (per shop in batches)

    def __post_init__(self) -> None:
        # Absolute from the start: the crawler child and the report writers never
        # resolve a relative directory against anything but the user's.
        self.out_dir = Path(self.out_dir).absolute()
        self.id = self.id or self.out_dir.name


@dataclass
class AuditResult:
    target: Target
    report: dict
    paths: dict = field(default_factory=dict)
    seconds: float = 0.0
    manifest_sha256: str | None = None     # sha256 of manifest.json (auditor/evidence/manifest.py)

    @property
    def audited(self) -> bool:
        """False when the target could not be audited at all (exit code 3)."""
        return self.report.get("status") != "failed"


def default_out_dir(url: str) -> Path:
    """./audit-<host>[-<port>]-<time>, in the user's current directory; the host part
    bounded and plain (auditor.outputs.host_slug)."""
    from cardshop_auditor.outputs import host_slug
    parts = urlsplit(url)
    port = parts.port
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path.cwd() / f"audit-{host_slug(parts.hostname)}{'-' + str(port) if port else ''}-{stamp}"


# ---- judging one shop ------------------------------------------------------------------
def load_judging() -> None:
    import cardshop_auditor.extract  # noqa: F401
    import cardshop_auditor.judge  # noqa: F401
    import cardshop_auditor.report  # noqa: F401


def findings_for(artifacts: ShopArtifacts) -> dict:
    """report.json's findings: the pages and the browser stage's observations, merged by
    extraction (``cardshop_auditor.extract.findings``)."""
    from cardshop_auditor.extract import extract_findings

    return extract_findings(artifacts)


def report_for(artifacts: ShopArtifacts, options: AuditOptions, scanned_at: str | None = None) -> dict:
    from cardshop_auditor.judge import judge
    from cardshop_auditor.report import build_report

    try:
        findings = findings_for(artifacts)
    except Exception as exc:  # noqa: BLE001 - a hostile page ends in a report, not a traceback
        from cardshop_auditor.secrets import failure_reason
        from cardshop_auditor.failures import unjudged_report
        return unjudged_report(
            artifacts, options, failure_reason("extract", exc, options.lang), scanned_at)
    if options.icp_registry:             # the filing records on file for this site (local file)
        from cardshop_auditor.icp_registry import lookup_for
        findings["icp_registry"] = lookup_for(findings, options.icp_registry)
    judged = judge(findings, lang=options.lang)
    evidence = (artifacts.meta.browser or {}).get("evidence") or []
    return build_report(artifacts, findings, judged, tool_version=__version__,
                        scanned_at=scanned_at or now_iso(), lang=options.lang, evidence=evidence)


def judge_shop(target: Target, artifacts: ShopArtifacts, options: AuditOptions,
               log: Log = stderr_log, browse: bool = True) -> AuditResult:
    """Browser stage where wanted (``browse=False``: already done), then judge and write
    the reports."""
    started = time.monotonic()
    watchdog.arm("judging", watchdog.judging_seconds(artifacts))
    if browse and _wants_browser(artifacts, options, target):
        watchdog.arm("browser stage", options.browser_time_budget + 10)
        browse_shop(target, artifacts, options, log)
        watchdog.arm("judging", watchdog.judging_seconds(artifacts))
    report_stage(log, "judge")
    report = report_for(artifacts, options)
    from cardshop_auditor.evidence.refs import attach
    from cardshop_auditor.report import write_reports

    attach(report, artifacts, target.out_dir)          # citations → WARC records
    paths = write_reports(report, target.out_dir)
    if options.wacz:
        paths["wacz"] = _package(report, target.out_dir, log)
    sealed = _seal(report, target.out_dir, options, log) if options.manifest else {}
    paths.update(sealed.get("paths") or {})
    return AuditResult(target, report, paths, time.monotonic() - started, sealed.get("sha256"))


def _seal(report: dict, out_dir: Path, options: AuditOptions, log: Log) -> dict:
    """manifest.json (+ signature, + timestamp), then report.pdf carrying its hash."""
    from cardshop_auditor.evidence.manifest import write_manifest
    sealed = write_manifest(out_dir, report, options, started_at=report.get("scanned_at") or now_iso(),
                            sign_key=options.sign_key, tsa_url=options.tsa_url, log=log)
    return _with_pdf(sealed, report, out_dir, options, log)


def _with_pdf(sealed: dict, report: dict, out_dir: Path, options: AuditOptions, log: Log) -> dict:
    if options.pdf:
        from cardshop_auditor.report.pdf import PdfError, write_pdf
        try:
            sealed["paths"]["pdf"] = write_pdf(out_dir, report, sealed["sha256"], options)
        except PdfError as exc:
            log(f"{report.get('target')}: no report.pdf: {exc}"[:300])
    return sealed


def _package(report: dict, out_dir: Path, log: Log) -> Path | None:
    """scan.wacz beside the reports (a failure is logged: the audit itself stands)."""
    from cardshop_auditor.evidence.wacz import write_wacz
    try:
        return write_wacz(out_dir, report)
    except (OSError, ValueError, KeyError) as exc:
        log(f"{report.get('target')}: no WACZ package: {type(exc).__name__}: {exc}"[:300])
        return None


def browse_shop(target: Target, artifacts: ShopArtifacts, options: AuditOptions, log: Log) -> None:
    """The browser stage; its pages and observations are saved with the artifacts."""
    from cardshop_auditor.browser.stage import run_browser_stage  # imported only when used

    log(f"{target.url}: browser stage")
    report_stage(log, "browser")
    run_browser_stage(artifacts, target, options, log=log)
    artifacts.save(target.out_dir / "artifacts")


class BrowserLane:
    """Browser stages in one thread of their own, so that static shops are judged while
    Chromium works on another shop (and its waits: page loads, clicks).  Judging stays
    in the calling thread: ``ready()`` hands back the shops whose stage is over.  The
    thread owns its Chromium (Playwright's sync API belongs to one thread) and closes it
    when the lane ends."""

    def __init__(self, options: AuditOptions, log: Log, warm: bool = False):
        """``warm``: some shop surely needs the browser (credentials, an order number,
        ``--browser always``): launch Chromium now, while the crawl runs, not for the first
        shop that needs it."""
        import queue
        import threading

        self.options, self.log, self.warm = options, log, warm
        self._jobs: "queue.Queue" = queue.Queue()
        self._done: "queue.Queue" = queue.Queue()
        self.pending = 0
        self._thread = threading.Thread(target=self._run, name="cardshop-browser", daemon=True)
        self._thread.start()

    def submit(self, target: Target, artifacts: ShopArtifacts) -> None:
        self.pending += 1
        self._jobs.put((target, artifacts))

    def ready(self, wait: bool = False):
        """(target, artifacts) of the shops browsed so far; ``wait``: block for each pending one."""
        import queue

        while self.pending:
            try:
                item = self._done.get(timeout=None) if wait else self._done.get_nowait()
            except queue.Empty:
                return
            self.pending -= 1
            yield item

    def close(self, wait: bool = True) -> None:
        """Stop the thread after the stage it is in (``wait=False``, on an error or Ctrl-C:
        give it a few seconds; it is a daemon, and its Chromium dies with its driver)."""
        self._jobs.put(None)
        self._thread.join(None if wait else 5.0)

    def _run(self) -> None:
        try:
            if self.warm:
                try:
                    from cardshop_auditor.browser.manager import get_browser

                    get_browser(self.options)
                except Exception:  # noqa: BLE001 - no Chromium: each shop's stage reports it
                    pass
            while (job := self._jobs.get()) is not None:
                target, artifacts = job
                try:
                    browse_shop(target, artifacts, self.options, self.log)
                except Exception as exc:  # noqa: BLE001 - the stage never raises; saving might
                    from cardshop_auditor.secrets import failure_reason
                    self.log(f"{target.url}: {failure_reason('browser', exc, 'en')}")
                self._done.put(job)
        finally:
            from cardshop_auditor.browser.manager import close_browser

            close_browser()


def _wants_browser(artifacts: ShopArtifacts, options: AuditOptions, target: Target) -> bool:
    if options.browser == "never" or not any(p.html for p in artifacts.pages):
        return False
    if options.browser == "always":
        return True
    if target.username or target.order_no or options.username or options.storage_state or options.order_no:
        return True
    from cardshop_auditor.browser.need import needs_browser
    return needs_browser(artifacts)


# ---- many shops ------------------------------------------------------------------------
def audit_shops(targets: list[Target], options: AuditOptions, log: Log = stderr_log,
                on_result: Callable[[AuditResult], None] | None = None,
                collect: bool = True) -> list[AuditResult]:
    """Audit every target: one crawl, each shop judged as soon as it is crawled.  Shops
    that need the browser go through a ``BrowserLane`` while static shops are judged.
    ``collect=False``: results go to ``on_result`` only and are not kept (memory stays
    flat however many shops)."""
    by_id = {t.id: t for t in targets}
    results: dict[str, AuditResult] = {}
    count = 0
    lane = None
    if len(targets) > 1 and options.browser != "never":
        sure = options.browser == "always" or options.username or options.storage_state or options.order_no \
            or any(t.username or t.order_no for t in targets)
        lane = BrowserLane(options, log, warm=bool(sure))

    def record(result: AuditResult) -> None:
        nonlocal count
        count += 1
        if collect:
            results[result.target.id] = result
        verdict = (f"score {result.report.get('score')}, risk {result.report['risk']['level']}"
                   if result.audited else "not audited (no score, no risk level)")
        log(f"{result.target.url}: {verdict} ({count}/{len(targets)})")
        if on_result:
            on_result(result)

    def judge_browsed(wait: bool = False) -> None:
        for target, artifacts in lane.ready(wait=wait):
            record(judge_shop(target, artifacts, options, log=log, browse=False))

    def shop_done(shop_id: str) -> None:
        target = by_id[shop_id]
        artifacts = ShopArtifacts.load(target.out_dir / "artifacts")
        if lane is not None and _wants_browser(artifacts, options, target):
            lane.submit(target, artifacts)
        else:
            record(judge_shop(target, artifacts, options, log=log))
        if lane is not None:
            judge_browsed()

    for target in targets:
        target.out_dir.mkdir(parents=True, exist_ok=True)
    log(f"crawling {len(targets)} shop(s)")
    report_stage(log, "fetch")
    finished = False
    try:
        crawl_static([{"id": t.id, "url": t.url, "out_dir": str(t.out_dir)} for t in targets],
                     options, on_shop_done=shop_done, log=log, return_artifacts=False,
                     while_starting=load_judging)
        if lane is not None:
            judge_browsed(wait=True)
        finished = True
    finally:
        if lane is not None:
            lane.close(wait=finished)
    return [results[t.id] for t in targets if t.id in results]


def scan(url: str, options: AuditOptions, out_dir: Path | None = None,
         log: Log = stderr_log) -> AuditResult:
    url = target_url(url)
    target = Target(url=url, out_dir=out_dir or default_out_dir(url), id="shop",
                    username=options.username, password=options.password)
    # A hard deadline for the whole scan (auditor/watchdog.py): a stage hung in a call
    # without a timeout still ends in a report.json and exit code 3.
    with watchdog.Watchdog(url, target.out_dir, options,
                           judge_static=lambda artifacts: report_for(artifacts, options)) as dog:
        dog.arm("static crawl", hard_wall(options, 1))
        results = audit_shops([target], options, log=log)
    return results[0]


def rescore(out_dir: Path, options: AuditOptions, log: Log = stderr_log) -> AuditResult:
    """Judge saved artifacts again with the current extractors and checks.  A sealed scan
    is checked first and sealed again, its old seal kept (auditor/evidence/reseal.py)."""
    from cardshop_auditor.evidence import reseal
    from cardshop_auditor.evidence.refs import attach
    from cardshop_auditor.report import write_reports

    started = time.monotonic()
    out_dir = Path(out_dir)
    previous = reseal.check_before_rescore(out_dir) if reseal.sealed(out_dir) else None
    artifacts = ShopArtifacts.load(out_dir / "artifacts")
    report = report_for(artifacts, options)
    attach(report, artifacts, out_dir)
    supersedes = reseal.set_aside(out_dir) if previous is not None else None
    paths = write_reports(report, out_dir)
    sealed = {}
    if previous is not None:
        sealed = _with_pdf(reseal.reseal(out_dir, report, previous, supersedes, options, log),
                           report, out_dir, options, log)
        paths.update(sealed.get("paths") or {})
        paths["superseded"] = out_dir / Path(supersedes["manifest"]).parent
    target = Target(url=str(report.get("target") or artifacts.meta.target), out_dir=out_dir)
    return AuditResult(target, report, paths, time.monotonic() - started, sealed.get("sha256"))


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
