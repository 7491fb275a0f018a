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
``artifacts.meta.browser`` records the refund-entry search, the login, the evidence
screenshots, errors, and the time spent (``seconds``).  It never raises.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

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

CLOSE_GRACE = 5.0           # seconds for closing a shop's context before its renderers are stopped
                            # (then KILL_AFTER more before the whole browser is)
HUNG = ("the page stopped responding (a script never yielded); its renderer was stopped "
        "after the time budget")
BROWSER_KILLED = ("the browser stopped answering{what} and was killed after the grace period; "
                  "a new one is started for the next shop")
NO_CREDENTIALS = ("the refund entry is behind a login and no credentials were given "
                  "(--username/--password, --auth FILE or --storage-state FILE)")


def not_evaluated(reason: str, requires_login: bool | None = None) -> dict:
    return {"found": False, "steps": [], "clicks": None, "url": None,
            "requires_login": requires_login, "screenshot": None, "in_overflow_menu": False,
            "evaluated": False, "method": "browser", "reason": reason}


def _debug_log(log):
    """Per-click / per-page lines only with CARDSHOP_BROWSER_DEBUG=1 (batches stay quiet)."""
    if os.environ.get("CARDSHOP_BROWSER_DEBUG"):
        return log
    return lambda message: None


def run_browser_stage(artifacts: ShopArtifacts, target, options, log) -> None:
    """See the module docstring.  ``target``: .url, .out_dir, .username, .password (and an
    optional .order_no, which overrides ``options.order_no`` for batches)."""
    started = time.monotonic()
    out: dict = {"refund_entry": None,
                 "login": {"attempted": False, "ok": None, "method": None, "reason": "no credentials given"},
                 "evidence": [], "errors": [], "notes": [], "pages_rendered": 0,
                 "blocked_requests": {}, "dialogs": [], "clicks_explored": 0, "timings": {}, "reach": None,
                 "seconds": 0.0}
    evidence = EvidenceWriter(Path(target.out_dir))
    sessions: list[ShopSession] = []          # closed below whatever happens
    log = log or (lambda m: None)
    try:
        _run(artifacts, target, options, log, out, evidence, started, sessions)
    except BrowserNotFound as exc:
        out["errors"].append(str(exc))
        out["refund_entry"] = not_evaluated(f"browser unavailable: {exc}")
    except Exception as exc:  # noqa: BLE001 - the stage must never raise
        if HUNG not in out["errors"]:       # never the library's text: it may quote what was typed
            out["errors"].append(secrets.failure_reason("browser", exc, getattr(options, "lang", "zh")))
        entry = out.get("refund_entry")
        if not entry or entry.get("evaluated") is not True:
            out["refund_entry"] = not_evaluated(f"browser stage failed: {type(exc).__name__}")
    finally:
        for session in sessions:
            out["blocked_requests"] = dict(session.guard.blocked)
            out["network"] = session.network_report()    # refusals by address, TLS status
            out["dialogs"] = list(session.guard.dialogs)[:20]
            # closing a context whose page floods dialogs / popups can hang as well, and
            # killing its renderers does not always end that: then the browser goes
            # (driver + Chromium), the close returns, and the next shop gets a new one
            if out.pop("_browser_dead", False):
                continue
            with HangGuard(time.monotonic() + CLOSE_GRACE, kill_tree_after=KILL_AFTER) as closing:
                session.close()
            if closing.browser_killed:
                out["notes"].append(BROWSER_KILLED.format(what=" while closing the shop's pages"))
                discard_browser()
        out.pop("_browser_dead", None)
        out.pop("_facts", None)
        out["evidence"] = evidence.items
        out["seconds"] = round(time.monotonic() - started, 3)
        # the logged-in refund-entry search alone (login + clicks), for the benchmark
        out["search_seconds"] = round(out["timings"].get("login", 0.0) + out["timings"].get("search", 0.0), 3)
        artifacts.meta.browser = out
        entry = out["refund_entry"]
        summary = "not searched" if entry is None else (
            f"found “{entry['steps'][-1]}” in {entry['clicks']} click(s)" if entry.get("found")
            else f"not found ({entry.get('reason', '')})")
        log(f"{target.url}: browser stage {out['seconds']:.1f}s, refund entry {summary}")


def _run(artifacts, target, options, log, out, evidence, started, sessions):
    budget = float(getattr(options, "browser_time_budget", 45.0) or 45.0)
    deadline = started + budget
    username = getattr(target, "username", None) or getattr(options, "username", None)
    password = getattr(target, "password", None) or getattr(options, "password", None)
    storage_state = getattr(options, "storage_state", None)
    order_no = getattr(target, "order_no", None) or getattr(options, "order_no", None)
    start_url = artifacts.meta.final_url or target.url

    timings = out["timings"]
    mark = [time.monotonic()]

    def lap(name: str) -> None:
        now = time.monotonic()
        timings[name] = round(timings.get(name, 0.0) + now - mark[0], 3)
        mark[0] = now

    browser = get_browser(options)
    lap("launch")
    with HangGuard(time.monotonic() + CLOSE_GRACE + 10.0, kill_tree_after=KILL_AFTER):
        session = ShopSession(browser, target.url, options,   # a dead browser raises here
                              storage_state=storage_state if storage_state else None,
                              extra_urls=tuple(u for u in (artifacts.meta.final_url,) if u),
                              network=artifacts.meta.network)
    sessions.append(session)
    lap("context")
    # a page that hangs its renderer (an endless script loop) would block forever: past the
    # budget plus a grace period its renderer is killed and the stage reports it
    hard = deadline + max(10.0, float(getattr(options, "timeout", 15) or 15))
    guard = HangGuard(hard, kill_tree_after=KILL_AFTER)
    try:
        with guard:
            try:
                _phases(artifacts, target, options, log, out, evidence, session, deadline, lap,
                        start_url, username, password, storage_state, order_no)
            finally:                             # guarded too: the agreement page may hang
                if not guard.fired and time.monotonic() < deadline:
                    try:
                        agreement_pass(session, evidence, out.pop("_facts", {}), deadline,
                                       log=_debug_log(log))
                    except Exception:
                        pass
                    lap("evidence")
    finally:
        if guard.fired or guard.browser_killed:
            out["errors"].append(HUNG)
            entry = out.get("refund_entry")
            if not entry or not entry.get("found"):
                out["refund_entry"] = not_evaluated(HUNG)
        if guard.browser_killed:
            out["notes"].append(BROWSER_KILLED.format(what=""))
            out["_browser_dead"] = True
            discard_browser()


def _phases(artifacts, target, options, log, out, evidence, session, deadline, lap,
            start_url, username, password, storage_state, order_no):
    # 1. render: start page, JS-only pages and modals, footer evidence
    want_pages = options.browser == "always" or _static_needs_browser(artifacts)
    known = {p.final_url for p in artifacts.pages if p.html and p.fetched_with == "http"}
    pages, facts = render_pages(session, start_url, evidence, deadline, want_pages=want_pages,
                                known_urls=known, log=_debug_log(log))
    out["_facts"] = facts
    artifacts.pages.extend(pages)
    out["pages_rendered"] = len(pages)
    home = facts["start_final_url"] or start_url
    if facts["status"] and facts["status"] >= 400:
        out["errors"].append(f"start page answered HTTP {facts['status']} in the browser")
    lap("render")

    # 1b. goods / order pages whose links only the rendered DOM has
    if want_pages and not (facts["status"] and facts["status"] >= 400):
        _reach(artifacts, options, log, out, evidence, session, deadline, home, facts, known)
        lap("reach")

    # 2. session: saved state, or log in
    logged_in = False
    result = LoginResult()
    if storage_state:
        if facts["moved"]:
            session.goto(home)
        ok, reason = check_session(session)
        result = LoginResult(attempted=True, ok=ok, method="storage_state", reason=reason,
                             url=session.page.url)
        logged_in = ok is not False
    elif username and password:
        if facts["moved"]:
            session.goto(home)
        log(f"{target.url}: logging in as {username}")
        result = login(session, username, password, deadline)
        logged_in = bool(result.ok)
        log(f"{target.url}: {result.reason}")
        if not result.ok:
            out["errors"].append(result.reason)
    out["login"] = {k: v for k, v in result.to_json().items() if v is not None or k in ("ok", "method")}
    if not result.attempted:
        out["login"]["reason"] = "no credentials given"
    lap("login")

    # 3. the refund entry
    from cardshop_auditor.progress import report_stage
    report_stage(log, "refund")
    click_budget = int(getattr(options, "click_budget", 12) or 12)
    if (username and password or storage_state) and not logged_in:
        out["refund_entry"] = not_evaluated(result.reason if result.reason.startswith(("login failed", "登录失败"))
                                             else f"login failed: {result.reason}", requires_login=True)
        if order_no:
            _public_order_query(session, home, order_no, click_budget, deadline, evidence, out, log)
        lap("search")
        return

    if logged_in:
        root = result.url or session.page.url
        if root != session.page.url:
            session.goto(root)
        search = RefundSearch(session, click_budget=click_budget, deadline=deadline,
                              logged_in=True, log=_debug_log(log))
        res = search.run(root_url=root)
        out["clicks_explored"] += res.clicks_explored
        entry = _entry(res, requires_login=True, evidence=evidence, label="登录后")
        lap("search")
        if entry.get("found") or not order_no:
            out["refund_entry"] = entry
            out["notes"].extend(res.notes[:10])
            return
        out["notes"].append(f"logged-in search: {entry.get('reason')}")

    if order_no:
        _public_order_query(session, home, order_no, click_budget, deadline, evidence, out, log)
        lap("search")
        return

    # anonymous: search what a visitor can reach; a login wall leaves the static result
    if session.page.url != home or facts["moved"]:
        session.goto(home)
    search = RefundSearch(session, click_budget=min(click_budget, 8), deadline=deadline,
                          logged_in=False, log=_debug_log(log))
    res = search.run(root_url=session.page.url)
    out["clicks_explored"] += res.clicks_explored
    if res.found is not None:
        out["refund_entry"] = _entry(res, requires_login=False, evidence=evidence, label="")
    else:
        login_seen = res.login_wall or facts["login_link"] or facts["password_form"]
        out["refund_entry"] = None
        out["notes"].append(NO_CREDENTIALS if login_seen else
                            f"anonymous search found no refund control ({res.stopped}, "
                            f"{res.clicks_explored} clicks); the page-based result stands")
        if login_seen:
            out["login"]["reason"] = NO_CREDENTIALS
    lap("search")


def _reach(artifacts, options, log, out, evidence, session, deadline, home, facts, known):
    """Follow the goods links a script built (``reach``); their pages join the artifacts."""
    rendered = [p for p in artifacts.pages if p.fetched_with == "browser"]
    pages_left = int(getattr(options, "max_pages", 40) or 40) - len(rendered)
    seen = set(known) | {p.url for p in artifacts.pages} | {p.final_url for p in artifacts.pages}
    walk = Reach(session, evidence, pages_left=pages_left, deadline=deadline,
                 budget=float(getattr(options, "browser_time_budget", 45.0) or 45.0),
                 known=seen, static_urls=[p.final_url or p.url for p in artifacts.pages
                                          if p.fetched_with == "http" and p.html],
                 log=_debug_log(log))
    try:
        res = walk.run(home, facts.get("dom_links"), facts.get("dom_probe"))
    except Exception as exc:  # noqa: BLE001 - what was captured so far still counts
        res = walk.result
        res.stopped = "error"
        out["notes"].append(f"following script-built links failed: {type(exc).__name__}")
    artifacts.pages.extend(res.pages)
    out["pages_rendered"] += len(res.pages)
    out["reach"] = res.to_json()
    if res.visited or res.clicked:
        facts["moved"] = True


def _public_order_query(session, home, order_no, click_budget, deadline, evidence, out, log):
    session.goto(home)
    actions, shots, note = order_query(session, order_no, deadline, log=_debug_log(log))
    if note and not any(a.kind == "query" for a in actions):
        out["refund_entry"] = not_evaluated(f"order query with --order-no: {note}", requires_login=False)
        return
    search = RefundSearch(session, click_budget=max(1, click_budget - len(actions)), deadline=deadline,
                          logged_in=False, log=_debug_log(log))
    res = search.run(root_url=home, root_actions=actions, root_shots=shots)
    out["clicks_explored"] += res.clicks_explored + len(actions)
    entry = _entry(res, requires_login=False, evidence=evidence, label="订单查询")
    entry["order_query"] = True
    out["refund_entry"] = entry


def _entry(res: SearchResult, *, requires_login: bool, evidence: EvidenceWriter, label: str) -> dict:
    if res.found is None:
        if res.stopped in ("time_budget", "error"):
            why = "time budget reached" if res.stopped == "time_budget" else "search error"
            return not_evaluated(f"{why} after {res.clicks_explored} click(s) without finding "
                                 f"a refund control", requires_login=requires_login)
        return {"found": False, "steps": [], "clicks": None, "url": None,
                "requires_login": requires_login, "screenshot": None, "in_overflow_menu": False,
                "evaluated": True, "method": "browser",
                "reason": f"no refund / after-sales control reached ({res.stopped}, "
                          f"{res.clicks_explored} clicks explored)"}
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
    return {"found": True, "steps": steps, "clicks": len(steps), "url": found.url,
            "page_url": found.page_url, "requires_login": requires_login,
            "screenshot": final["path"] if final else None,
            "in_overflow_menu": found.in_overflow_menu, "evaluated": True, "method": "browser",
            "reason": f"located “{found.control.label}” ({found.strength} match) after "
                      f"{res.clicks_explored} exploratory click(s); not clicked"}


def _static_needs_browser(artifacts: ShopArtifacts) -> bool:
    try:
        from cardshop_auditor.browser.need import needs_browser
        return needs_browser(artifacts)
    except Exception:
        return False
