"""The browser stage: a real Chromium, after the static crawl, only where it is needed.

Why a separate Playwright stage and not scrapy-playwright inside the crawl:
  * static first: most shops are server-rendered, and Scrapy fetches them in milliseconds;
    the browser costs ~100× more, so it runs only for shops whose static HTML is an app
    shell, whose agreement / footer appear only after scripts run (``need.py``, decided
    from the pages), or when the user asks for a logged-in / order-query search;
  * the work is not "fetch a URL": it is logging in, clicking through menus, opening
    dropdowns and modals, and taking screenshots — a stateful session per shop that does
    not fit Scrapy's request/response model;
  * one Chromium is reused across all shops of a process (``manager``), with a fresh,
    guarded context per shop, instead of a browser inside the crawler child process;
  * a failure here (no Chromium, a crashed page) never costs the static findings.

``run_browser_stage`` mutates the artifacts: rendered pages are appended and
``artifacts.meta.browser`` records what the stage saw (``contracts.BrowserObservations``:
the refund-entry search, the login, the evidence screenshots, errors, and the time spent).
It only records: extraction merges these observations with the pages.  It never raises.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from cardshop_auditor import secrets
from cardshop_auditor.artifacts import ShopArtifacts
from cardshop_auditor.browser.discover import BrowserNotFound
from cardshop_auditor.browser.evidence import EvidenceWriter
from cardshop_auditor.browser.login import LoginResult, check_session, login
from cardshop_auditor.browser.manager import KILL_AFTER, HangGuard, discard_browser, get_browser
from cardshop_auditor.browser.reach import Reach
from cardshop_auditor.browser.render import agreement_pass, render_pages
from cardshop_auditor.browser.search import RefundSearch, SearchResult, order_query
from cardshop_auditor.browser.session import ShopSession
from cardshop_auditor.contracts import BrowserObservations, LoginObservation, RefundEntry
from cardshop_auditor.evidence.browser import BrowserCapture

CLOSE_GRACE = 5.0           # seconds for closing a shop's context before its renderers are stopped
                            # (then KILL_AFTER more before the whole browser is)
HUNG = ("the page stopped responding (a script never yielded); its renderer was stopped "
        "after the time budget")
BROWSER_KILLED = ("the browser stopped answering{what} and was killed after the grace period; "
                  "a new one is started for the next shop")
NO_CREDENTIALS = ("the refund entry is behind a login and no credentials were given "
                  "(--username/--password, --auth FILE or --storage-state FILE)")


def not_evaluated(reason: str, requires_login: bool | None = None) -> RefundEntry:
    return RefundEntry.not_evaluated(reason, method="browser", requires_login=requires_login)


@dataclass
class StageRun:
    """One shop's browser stage: what its phases work with and where they record."""
    artifacts: ShopArtifacts
    target: object                              # .url, .out_dir, .username, .password, .order_no
    options: object
    log: Callable[[str], None]
    seen: BrowserObservations
    evidence: EvidenceWriter
    session: ShopSession
    deadline: float
    lap: Callable[[str], None]
    start_url: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    storage_state: str | None = None
    order_no: str | None = None

    @property
    def debug_log(self):
        return _debug_log(self.log)


def _debug_log(log):
    """Per-click / per-page lines only with CARDSHOP_BROWSER_DEBUG=1 (batches stay quiet)."""
    if os.environ.get("CARDSHOP_BROWSER_DEBUG"):
        return log
    return lambda message: None


def run_browser_stage(artifacts: ShopArtifacts, target, options, log) -> None:
    """See the module docstring.  ``target``: .url, .out_dir, .username, .password (and an
    optional .order_no, which overrides ``options.order_no`` for batches)."""
    started = time.monotonic()
    seen = BrowserObservations()
    evidence = EvidenceWriter(Path(target.out_dir))
    capture = BrowserCapture(target.out_dir, options)     # the stage's WARC records
    sessions: list[ShopSession] = []          # closed below whatever happens
    log = log or (lambda m: None)
    try:
        _run(artifacts, target, options, log, seen, evidence, started, sessions, capture)
    except BrowserNotFound as exc:
        seen.errors.append(str(exc))
        seen.refund_entry = not_evaluated(f"browser unavailable: {exc}")
    except Exception as exc:  # noqa: BLE001 - the stage must never raise
        if HUNG not in seen.errors:       # never the library's text: it may quote what was typed
            seen.errors.append(secrets.failure_reason("browser", exc, getattr(options, "lang", "zh")))
        seen.set_refund_entry_unless_evaluated(not_evaluated(f"browser stage failed: {type(exc).__name__}"))
    finally:
        _archive(capture, artifacts, evidence, seen)
        for session in sessions:
            seen.blocked_requests = dict(session.guard.blocked)
            seen.network = session.network_report()    # refusals by address, TLS status
            seen.dialogs = list(session.guard.dialogs)[:20]
            # closing a context whose page floods dialogs / popups can hang as well, and
            # killing its renderers does not always end that: then the browser goes
            # (driver + Chromium), the close returns, and the next shop gets a new one
            if seen.browser_dead:
                continue
            with HangGuard(time.monotonic() + CLOSE_GRACE, kill_tree_after=KILL_AFTER) as closing:
                session.close()
            if closing.browser_killed:
                seen.notes.append(BROWSER_KILLED.format(what=" while closing the shop's pages"))
                discard_browser()
        seen.evidence = evidence.items
        seen.seconds = round(time.monotonic() - started, 3)
        # the logged-in refund-entry search alone (login + clicks), for the benchmark
        seen.search_seconds = round(seen.timings.get("login", 0.0) + seen.timings.get("search", 0.0), 3)
        artifacts.meta.browser = seen.to_json()
        entry = seen.refund_entry
        summary = "not searched" if entry is None else (
            f"found “{entry.steps[-1]}” in {entry.clicks} click(s)" if entry.found
            else f"not found ({entry.reason})")
        log(f"{target.url}: browser stage {seen.seconds:.1f}s, refund entry {summary}")


def _archive(capture: BrowserCapture, artifacts, evidence: EvidenceWriter, seen: BrowserObservations) -> None:
    """The stage's exchanges (read as they finished), rendered pages and screenshots into
    the scan's WARC."""
    try:
        seen.warc = capture.flush(artifacts, evidence.items)
    except Exception as exc:  # noqa: BLE001 - the archive never sinks the stage
        seen.errors.append(f"WARC capture of the browser stage failed: {type(exc).__name__}")


def _run(artifacts, target, options, log, seen: BrowserObservations, evidence, started, sessions, capture):
    budget = float(getattr(options, "browser_time_budget", 45.0) or 45.0)
    deadline = started + budget
    timings = seen.timings
    mark = [time.monotonic()]

    def lap(name: str) -> None:
        now = time.monotonic()
        timings[name] = round(timings.get(name, 0.0) + now - mark[0], 3)
        mark[0] = now

    browser = get_browser(options)
    lap("launch")
    storage_state = getattr(options, "storage_state", None)
    with HangGuard(time.monotonic() + CLOSE_GRACE + 10.0, kill_tree_after=KILL_AFTER):
        session = ShopSession(browser, target.url, options,   # a dead browser raises here
                              storage_state=storage_state if storage_state else None,
                              extra_urls=tuple(u for u in (artifacts.meta.final_url,) if u),
                              network=artifacts.meta.network, on_context=capture.attach)
    sessions.append(session)
    lap("context")
    run = StageRun(artifacts=artifacts, target=target, options=options, log=log, seen=seen, evidence=evidence,
                   session=session, deadline=deadline, lap=lap,
                   start_url=artifacts.meta.final_url or target.url,
                   username=getattr(target, "username", None) or getattr(options, "username", None),
                   password=getattr(target, "password", None) or getattr(options, "password", None),
                   storage_state=storage_state,
                   order_no=getattr(target, "order_no", None) or getattr(options, "order_no", None))
    # a page that hangs its renderer (an endless script loop) would block forever: past the
    # budget plus a grace period its renderer is killed and the stage reports it
    hard = deadline + max(10.0, float(getattr(options, "timeout", 15) or 15))
    guard = HangGuard(hard, kill_tree_after=KILL_AFTER)
    try:
        with guard:
            try:
                _phases(run)
            finally:                             # guarded too: the agreement page may hang
                if not guard.fired and time.monotonic() < deadline:
                    facts, seen.render_facts = seen.render_facts or {}, None
                    try:
                        agreement_pass(session, evidence, facts, deadline, log=run.debug_log)
                    except Exception:
                        pass
                    lap("evidence")
    finally:
        if guard.fired or guard.browser_killed:
            seen.errors.append(HUNG)
            if seen.refund_entry is None or not seen.refund_entry.found:
                seen.refund_entry = not_evaluated(HUNG)
        if guard.browser_killed:
            seen.notes.append(BROWSER_KILLED.format(what=""))
            seen.browser_dead = True
            discard_browser()


def _phases(run: StageRun) -> None:
    artifacts, options, seen, session = run.artifacts, run.options, run.seen, run.session
    # 1. render: start page, JS-only pages and modals, footer evidence
    want_pages = options.browser == "always" or _static_needs_browser(artifacts)
    known = {p.final_url for p in artifacts.pages if p.html and p.fetched_with == "http"}
    pages, facts = render_pages(session, run.start_url, run.evidence, run.deadline, want_pages=want_pages,
                                known_urls=known, log=run.debug_log)
    seen.render_facts = facts
    for frame in facts.get("modal_frames") or []:
        if not frame["read"]:       # named for the reader, never fetched (another origin)
            seen.notes.append(f"the “{frame['label'][:20]}” modal frames {frame['src'][:200]}: "
                              f"not of the page's origin, not read")
    artifacts.pages.extend(pages)
    seen.pages_rendered = len(pages)
    home = facts["start_final_url"] or run.start_url
    if facts["status"] and facts["status"] >= 400:
        seen.errors.append(f"start page answered HTTP {facts['status']} in the browser")
    run.lap("render")

    # 1b. goods / order pages whose links only the rendered DOM has
    if want_pages and not (facts["status"] and facts["status"] >= 400):
        _reach(run, home, facts, known)
        run.lap("reach")

    # 2. session: saved state, or log in
    logged_in = False
    result = LoginResult()
    if run.storage_state:
        if facts["moved"]:
            session.goto(home)
        ok, reason = check_session(session)
        result = LoginResult(attempted=True, ok=ok, method="storage_state", reason=reason,
                             url=session.page.url)
        logged_in = ok is not False
    elif run.username and run.password:
        if facts["moved"]:
            session.goto(home)
        run.log(f"{run.target.url}: logging in as {run.username}")
        result = login(session, run.username, run.password, run.deadline)
        logged_in = bool(result.ok)
        run.log(f"{run.target.url}: {result.reason}")
        if not result.ok:
            seen.errors.append(result.reason)
    seen.login = LoginObservation.from_result(result)
    if not result.attempted:
        seen.login.reason = "no credentials given"
    run.lap("login")

    # 3. the refund entry
    from cardshop_auditor.progress import report_stage
    report_stage(run.log, "refund")
    click_budget = int(getattr(options, "click_budget", 12) or 12)
    if (run.username and run.password or run.storage_state) and not logged_in:
        seen.refund_entry = not_evaluated(result.reason if result.reason.startswith(("login failed", "登录失败"))
                                          else f"login failed: {result.reason}", requires_login=True)
        if run.order_no:
            _public_order_query(run, home, click_budget)
        run.lap("search")
        return

    if logged_in:
        root = result.url or session.page.url
        if root != session.page.url:
            session.goto(root)
        search = RefundSearch(session, click_budget=click_budget, deadline=run.deadline,
                              logged_in=True, log=run.debug_log)
        res = search.run(root_url=root)
        seen.clicks_explored += res.clicks_explored
        entry = _entry(res, requires_login=True, evidence=run.evidence, label="登录后")
        run.lap("search")
        if entry.found or not run.order_no:
            seen.refund_entry = entry
            seen.notes.extend(res.notes[:10])
            return
        seen.notes.append(f"logged-in search: {entry.reason}")

    if run.order_no:
        _public_order_query(run, home, click_budget)
        run.lap("search")
        return

    # anonymous: search what a visitor can reach; a login wall leaves the static result
    if session.page.url != home or facts["moved"]:
        session.goto(home)
    search = RefundSearch(session, click_budget=min(click_budget, 8), deadline=run.deadline,
                          logged_in=False, log=run.debug_log)
    res = search.run(root_url=session.page.url)
    seen.clicks_explored += res.clicks_explored
    if res.found is not None:
        seen.refund_entry = _entry(res, requires_login=False, evidence=run.evidence, label="")
    else:
        login_seen = res.login_wall or facts["login_link"] or facts["password_form"]
        seen.refund_entry = None
        seen.notes.append(NO_CREDENTIALS if login_seen else
                          f"anonymous search found no refund control ({res.stopped}, "
                          f"{res.clicks_explored} clicks); the page-based result stands")
        if login_seen:
            seen.login.reason = NO_CREDENTIALS
    run.lap("search")


def _reach(run: StageRun, home: str, facts: dict, known: set) -> None:
    """Follow the goods links a script built (``reach``); their pages join the artifacts."""
    artifacts, options = run.artifacts, run.options
    rendered = [p for p in artifacts.pages if p.fetched_with == "browser"]
    pages_left = int(getattr(options, "max_pages", 40) or 40) - len(rendered)
    seen_urls = set(known) | {p.url for p in artifacts.pages} | {p.final_url for p in artifacts.pages}
    walk = Reach(run.session, run.evidence, pages_left=pages_left, deadline=run.deadline,
                 budget=float(getattr(options, "browser_time_budget", 45.0) or 45.0),
                 known=seen_urls, static_urls=[p.final_url or p.url for p in artifacts.pages
                                               if p.fetched_with == "http" and p.html],
                 log=run.debug_log, order_pages=_order_dialog_pages(artifacts))
    try:
        res = walk.run(home, facts.get("dom_links"), facts.get("dom_probe"))
    except Exception as exc:  # noqa: BLE001 - what was captured so far still counts
        res = walk.result
        res.stopped = "error"
        run.seen.notes.append(f"following script-built links failed: {type(exc).__name__}")
    artifacts.pages.extend(res.pages)
    run.seen.pages_rendered += len(res.pages)
    run.seen.reach = res.to_json()
    if res.visited or res.clicked:
        facts["moved"] = True


def _public_order_query(run: StageRun, home: str, click_budget: int) -> None:
    session = run.session
    session.goto(home)
    actions, shots, note = order_query(session, run.order_no, run.deadline, log=run.debug_log)
    if note and not any(a.kind == "query" for a in actions):
        run.seen.refund_entry = not_evaluated(f"order query with --order-no: {note}", requires_login=False)
        return
    search = RefundSearch(session, click_budget=max(1, click_budget - len(actions)), deadline=run.deadline,
                          logged_in=False, log=run.debug_log)
    res = search.run(root_url=home, root_actions=actions, root_shots=shots)
    run.seen.clicks_explored += res.clicks_explored + len(actions)
    entry = _entry(res, requires_login=False, evidence=run.evidence, label="订单查询")
    entry.order_query = True
    run.seen.refund_entry = entry


def _entry(res: SearchResult, *, requires_login: bool, evidence: EvidenceWriter, label: str) -> RefundEntry:
    if res.found is None:
        if res.stopped in ("time_budget", "error"):
            why = "time budget reached" if res.stopped == "time_budget" else "search error"
            return not_evaluated(f"{why} after {res.clicks_explored} click(s) without finding "
                                 f"a refund control", requires_login=requires_login)
        return RefundEntry.not_found(f"no refund / after-sales control reached ({res.stopped}, "
                                     f"{res.clicks_explored} clicks explored)",
                                     method="browser", requires_login=requires_login)
    found = res.found
    actions = found.node.actions()
    steps = [a.label for a in actions] + [found.control.label]
    shots = [n.shot for n in found.node.path()[1:]]
    for i, (action, shot) in enumerate(zip(actions, shots), start=1):
        verb = f"输入订单号后点击「{action.label}」" if action.kind == "query" else f"点击「{action.label}」"
        evidence.add("refund_step", f"refund-step-{i}", shot, f"第{i}步：{verb}", step=i)
    where = "（位于「更多」等折叠菜单内）" if found.in_overflow_menu else ""
    final = evidence.add("refund_entry", "refund-entry", found.shot,
                         f"退款入口「{found.control.label}」：{label + '，' if label else ''}"
                         f"共 {len(steps)} 次点击{where}（已定位并标红框，未点击）",
                         step=len(steps))
    return RefundEntry.located(steps, found.url, method="browser", page_url=found.page_url,
                               requires_login=requires_login, in_overflow_menu=found.in_overflow_menu,
                               screenshot=final["path"] if final else None,
                               reason=f"located “{found.control.label}” ({found.strength} match) after "
                                      f"{res.clicks_explored} exploratory click(s); not clicked")


def _order_dialog_pages(artifacts: ShopArtifacts) -> list:
    """Crawled goods pages whose order button opens a scripted dialog (need.py)."""
    try:
        from cardshop_auditor.browser.need import order_dialog_pages
        urls = set(order_dialog_pages(artifacts))
    except Exception:  # noqa: BLE001 - the walk goes on without them
        return []
    return [p for p in artifacts.pages if p.fetched_with == "http" and (p.final_url or p.url) in urls]


def _static_needs_browser(artifacts: ShopArtifacts) -> bool:
    try:
        from cardshop_auditor.browser.need import needs_browser
        return needs_browser(artifacts)
    except Exception:
        return False
