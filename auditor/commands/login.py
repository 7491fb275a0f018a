"""`cardshop-audit login URL --save-state FILE`: save a logged-in browser session.

Interactive (a display is needed): a visible Chromium opens the shop; log in by hand
(captchas, SMS codes …), then press Enter in the terminal; the Playwright storage state
(cookies + localStorage) is written to FILE for ``scan --storage-state FILE``.  That
window is an ordinary browser (no request guard), so third-party captcha widgets work.

Without a display, give ``--username`` and a password source (``--password-env VAR``,
``--password-file FILE``, the prompt on a terminal, or ``--auth FILE`` for the shop's host;
``--password P`` works but shows in the process list): the auditor's own login (the one
``scan`` uses) runs headless and saves the session when it succeeds.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from cardshop_auditor.logs import get_logger


def add_parser(sub) -> None:
    p = sub.add_parser("login", help="log in to a shop once and save the session for scans",
                       description="Open the shop in a browser, log in, and save the Playwright storage "
                                   "state (cookies + localStorage) for `scan --storage-state FILE`.")
    p.add_argument("url", help="the shop's home or login page")
    p.add_argument("--save-state", type=Path, required=True, metavar="FILE",
                   help="where to write the storage state (JSON; keep it private)")
    from cardshop_auditor.credentials import add_credential_options
    add_credential_options(p)        # --username, --password, --password-env, --password-file
    p.add_argument("--auth", type=Path, help="JSON/TOML/CSV file with credentials per host (see scan)")
    p.add_argument("--browser-path", help="Chromium binary (else $CARDSHOP_CHROMIUM, Playwright's, /usr/bin/chromium)")
    p.add_argument("--timeout", type=float, default=15.0, help="seconds per page load (default 15)")
    from cardshop_auditor.commands._common import add_network_options
    add_network_options(p)           # --allow-network CIDR, --insecure-login (automatic login)
    p.add_argument("--wait", type=float, default=600.0,
                   help="interactive: give up after this many seconds (default 600)")
    p.set_defaults(run=run)


def has_display() -> bool:
    if sys.platform.startswith(("win", "darwin")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run(args) -> int:
    from cardshop_auditor.errors import EXIT_OK, EXIT_UNAUDITABLE, UsageError
    from cardshop_auditor.urls import target_url

    from cardshop_auditor import credentials
    from cardshop_auditor import secrets
    secrets.guard_streams()
    try:
        url = target_url(args.url)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    try:
        creds = credentials.credentials_from_args(args)
    except credentials.CredentialError as exc:
        raise UsageError(str(exc)) from None
    if creds is None and args.auth:
        from cardshop_auditor.browser.credentials import credentials_for
        creds = credentials_for(args.auth, url)
        if creds is None:
            raise UsageError(f"--auth {args.auth}: no entry for {url}")
    args.username, args.password = creds if creds else (None, None)
    if not args.username and not has_display():
        raise UsageError("no display here (DISPLAY / WAYLAND_DISPLAY unset), so no browser window can open "
                         "for you to log in: run this on a desktop (or with ssh -X, or xvfb-run + VNC), log in "
                         "automatically with --save-state FILE --username U --password-env VAR (or "
                         "--password-file FILE, --auth FILE), or skip the saved session: "
                         "cardshop-audit scan URL --username U --password-env VAR")
    from cardshop_auditor.browser.discover import BrowserNotFound
    try:
        if args.username:
            return _automatic(args, url)
        return _interactive(args, url)
    except BrowserNotFound as exc:
        get_logger("login").error(f"login: {exc}", extra={"exit_code": int(EXIT_UNAUDITABLE)})
        return EXIT_UNAUDITABLE
    finally:
        from cardshop_auditor.browser.manager import close_browser
        close_browser()
    return EXIT_OK


def _save(context, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    context.storage_state(path=str(path))
    try:
        os.chmod(path, 0o600)          # a session is as good as a password
    except OSError:
        pass


def _automatic(args, url: str) -> int:
    from cardshop_auditor.browser.login import login
    from cardshop_auditor.browser.manager import get_browser
    from cardshop_auditor.browser.session import ShopSession
    from cardshop_auditor.options import AuditOptions

    from cardshop_auditor.commands._common import network_options
    options = AuditOptions(browser_path=args.browser_path, timeout=args.timeout, **network_options(args))
    session = ShopSession(get_browser(options), url, options)
    try:
        session.goto(url)
        result = login(session, args.username, args.password, time.monotonic() + 60)
        get_logger("login").info(f"login: {result.reason}")
        if not result.ok:
            return 3
        _save(session.context, args.save_state)
        print(f"storage state: {args.save_state}")
        return 0
    finally:
        session.close()


def _interactive(args, url: str) -> int:
    from playwright.sync_api import sync_playwright

    from cardshop_auditor.browser.discover import find_chromium, launch_args
    from cardshop_auditor.browser.session import VIEWPORT

    executable = find_chromium(args.browser_path)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=False, args=launch_args())
        try:
            context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=VIEWPORT,
                                          accept_downloads=False)
            page = context.new_page()
            page.goto(url, timeout=args.timeout * 1000)
            get_logger("login").warning(f"A browser window shows {url}. Log in there, then come back and "
                                        "press Enter (Ctrl-C to give up).")
            deadline = time.monotonic() + args.wait
            try:
                _wait_for_enter(deadline)
            except TimeoutError:
                get_logger("login").error("login: gave up waiting", extra={"exit_code": 3})
                return 3
            _save(context, args.save_state)
            print(f"storage state: {args.save_state}")
            return 0
        finally:
            browser.close()


def _wait_for_enter(deadline: float) -> None:
    import select
    while time.monotonic() < deadline:
        ready, _, _ = select.select([sys.stdin], [], [], 1.0)
        if ready:
            sys.stdin.readline()
            return
    raise TimeoutError
