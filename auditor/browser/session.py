"""One shop's browser context: guarded, zh-CN, with the page helpers the stage needs.

Guards (all per context, so one shop cannot affect the next):
  * every request outside the shop's own hosts (the start port, or 80/443 on the same
    host) is aborted by a route, and so is one whose host resolves to an address the
    shop's network policy refuses (auditor/netpolicy.py: loopback, private, link-local …
    other than the start URL's own address:port); every connection Chromium opens goes
    through this context's ``GuardProxy``, which decides it again on the pinned address
    (auditor/browser/netguard.py); WebRTC is off;
  * TLS certificates are verified: a certificate error is recorded (``certificate_ok``),
    the pages are then read in a context that tolerates it, and no credential may be
    typed there (``credential_refusal``) unless the user passed --insecure-login;
  * dialogs (alert/confirm/prompt/beforeunload) are dismissed and their text kept;
  * popup windows are closed (a same-site popup is followed in the main page instead);
  * downloads are refused, permissions are denied, service workers are blocked.
"""
from __future__ import annotations

import base64
import os
import time
from urllib.parse import urlsplit

from cardshop_auditor.browser.controls import Control, PageControls, Snapshot  # noqa: F401
from cardshop_auditor.browser.labels import clean_label
from cardshop_auditor.browser.manager import Guard
from cardshop_auditor.browser.netguard import (CERT_ERROR, RTC_OFF_JS, SessionNetwork, origin_key,  # noqa: F401
                                               route_pattern)
from cardshop_auditor.browser.proxy import GuardProxy
from cardshop_auditor.browser.scripts import source

VIEWPORT = {"width": 1280, "height": 900}
TOOL_TAG = "cardshop-auditor/0.1"
MAX_POPUPS = 4              # extra windows kept open at once (follow_popups closes them)
QUIET_MS = 40               # settle: DOM and network quiet this long (since their last activity)
DOM_QUIET_CAP = 0.6         # at most this long waiting for the DOM alone (tickers, animations)

QUIET_JS = source("quiet")              # DOM quiet for how long; installs the change observer


class ShopSession(PageControls):
    """A fresh browser context for one shop, plus the helpers to drive its page."""

    def __init__(self, browser, start_url: str, options, storage_state: str | None = None,
                 extra_urls: tuple[str, ...] = (), network: dict | None = None, on_context=None):
        """``network``: the static crawl's ``meta.network`` (the shop's address policy and
        pinned addresses); without it the start host is resolved here.  ``on_context``:
        called with every context this session opens (the WARC capture listens there)."""
        self.options = options
        self.on_context = on_context
        self.start_url = start_url
        origins = {k for k in (origin_key(u) for u in (start_url, *extra_urls)) if k}
        for h in {h for h, _ in origins}:     # the same host over http and https
            origins |= {(h, 80), (h, 443)}
        self.net = SessionNetwork(start_url, options, origins, network)
        self.allowed = self.net.reachable_origins()
        self.guard = Guard(allowed_hosts={f"{h}:{p}" for h, p in self.allowed})
        self.proxy = GuardProxy(self.net.decide,
                                connect_timeout=min(10.0, float(getattr(options, "timeout", 15) or 15)))
        self.browser = browser
        ua = browser.version and _user_agent(browser)
        kwargs = dict(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=VIEWPORT,
                      accept_downloads=False, service_workers="block", permissions=[],
                      ignore_https_errors=False, java_script_enabled=True,
                      proxy={"server": self.proxy.server},
                      extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"})
        if ua:
            kwargs["user_agent"] = ua
        if storage_state:
            kwargs["storage_state"] = storage_state
        self._context_kwargs = kwargs
        self.tolerates_bad_certificates = False
        self.page = None
        try:
            self.context = self._new_context(kwargs)
        except BaseException:
            self.proxy.close()
            raise
        self._inflight: dict = {}          # request -> start time (monotonic)
        self._net_last = time.monotonic()     # the latest request start / end seen
        self._key = "__cardshop_" + os.urandom(6).hex()   # window key of QUIET_JS's state
        self._dom_noisy = False               # the DOM never goes quiet: settle on the network alone
        self._snap: Snapshot | None = None    # the latest main-page snapshot, and its change count
        self._snap_gen: int | None = None
        self._cdp = None                      # (page, CDP session) for fast screenshots
        self._main_navs = 0
        self.last_nav_method = "GET"          # of the latest main-frame navigation
        self._gen = 0
        self.page = None                      # set below; new pages seen before are this one
        self.page = self.context.new_page()
        self._attach(self.page, main=True)

    def _new_context(self, kwargs: dict):
        context = self.browser.new_context(**kwargs)
        try:
            timeout_ms = max(1000, int(float(getattr(self.options, "timeout", 15) or 15) * 1000))
            context.set_default_timeout(min(timeout_ms, 10_000))
            context.set_default_navigation_timeout(timeout_ms)
            context.add_init_script(RTC_OFF_JS)
            context.route(route_pattern(self.allowed), self._route)
            if hasattr(context, "route_web_socket"):
                try:
                    context.route_web_socket("**/*", self._route_ws)
                except Exception:
                    pass
            context.on("page", self._on_new_page)
            if self.on_context is not None:
                self.on_context(context)
        except BaseException:
            context.close()
            raise
        return context

    # ---- guards --------------------------------------------------------------------
    def allowed_url(self, url: str) -> bool:
        return self.net.allowed_url(url)

    @property
    def certificate_ok(self) -> bool:
        """False once a TLS certificate of the shop failed verification in this session."""
        return self.net.certificate_ok

    def credential_refusal(self) -> str | None:
        """Why no credential may be typed into this session's pages (None: it may).  The
        login code asks this before filling any field."""
        if self.certificate_ok or getattr(self.options, "insecure_login", False):
            return None
        cert = self.net.certificate or {}
        return (f"not logged in: the shop's TLS certificate failed verification ({cert.get('error', 'error')} "
                f"at {cert.get('url', '')}), so no credential was typed (--insecure-login allows it)")

    def network_report(self) -> dict:
        """What the browser refused and the TLS status, for ``meta.browser['network']``."""
        return self.net.report()

    def _route(self, route) -> None:
        url = route.request.url
        try:
            if self.allowed_url(url):
                route.continue_()
            else:
                host = urlsplit(url).netloc or url[:40]
                self.guard.blocked[host] = self.guard.blocked.get(host, 0) + 1
                route.abort("blockedbyclient")
        except Exception:
            pass                                   # page closed meanwhile

    def _route_ws(self, ws) -> None:
        try:
            if self.allowed_url(ws.url):
                ws.connect_to_server()
            else:
                host = urlsplit(ws.url).netloc
                self.guard.blocked[host] = self.guard.blocked.get(host, 0) + 1
                ws.close()
        except Exception:
            pass

    def _attach(self, page, main: bool) -> None:
        page.on("dialog", self._on_dialog)
        page.on("download", self._on_download)
        if main:
            page.on("request", self._on_request)
            page.on("requestfinished", self._on_request_done)
            page.on("requestfailed", self._on_request_done)
            page.on("framenavigated", self._on_navigated)

    def _on_dialog(self, dialog) -> None:
        try:
            self.guard.dialogs.append(clean_label(dialog.message)[:300])
            if len(self.guard.dialog_messages) < 50:         # a page flooding dialogs: the first ones
                self.guard.dialog_messages.append((dialog.message or "")[:4000])
            dialog.dismiss()
        except Exception:
            pass

    def _on_download(self, download) -> None:
        self.guard.downloads += 1
        try:
            download.cancel()
        except Exception:
            pass

    def _on_new_page(self, page) -> None:
        if self.page is None or page is self.page:
            return
        self._attach(page, main=False)
        if len(self.context.pages) > 1 + MAX_POPUPS:
            # a popup flood (pages that open pages): close the surplus at once; dozens of
            # live popups each opening more made context.close() hang
            self.guard.popups.append(page.url or "about:blank")
            try:
                page.close()
            except Exception:
                pass

    def _on_request(self, request) -> None:
        self._inflight[request] = self._net_last = time.monotonic()
        try:
            if request.is_navigation_request() and request.frame == self.page.main_frame:
                self.last_nav_method = request.method
        except Exception:
            pass

    def _on_request_done(self, request) -> None:
        self._inflight.pop(request, None)
        self._net_last = time.monotonic()
        try:
            failure = request.failure
        except Exception:
            failure = None
        if failure:
            found = CERT_ERROR.search(str(failure))
            if found:
                self.net.certificate_failed(request.url, found.group(0))

    def busy(self, stale_after: float = 1.5) -> bool:
        """Requests in flight, ignoring long-running ones (long polling, streams)."""
        if not self._inflight:
            return False
        cutoff = time.monotonic() - stale_after
        return any(t > cutoff for t in self._inflight.values())

    def _on_navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self._main_navs += 1

    # ---- waiting ------------------------------------------------------------------------
    def _net_wait(self, quiet_ms: int) -> float | None:
        """Seconds until the network has been quiet for ``quiet_ms``; None while busy."""
        if self.busy():
            return None
        return max(0.0, quiet_ms / 1000 - (time.monotonic() - self._net_last))

    def settle(self, budget: float = 2.5, quiet_ms: int = QUIET_MS) -> None:
        """Wait until the page has parsed, no request is in flight (long-running ones aside)
        and neither the network nor the DOM has changed for ``quiet_ms`` (each measured from
        its last activity, not from now), bounded by ``budget`` seconds.  A DOM that never
        goes quiet (a ticker, an animation) is waited for ``DOM_QUIET_CAP`` seconds once;
        after that the session settles on the network alone."""
        end = time.monotonic() + budget
        page = self.page
        try:
            page.wait_for_load_state("domcontentloaded", timeout=max(100, int(budget * 1000)))
        except Exception:
            pass
        dom_waited = 0.0
        while True:
            left = end - time.monotonic()
            if left <= 0.005:
                return
            try:
                dom = page.evaluate(QUIET_JS, self._key)
            except Exception:                     # the document went away: wait for the next
                if page.is_closed():
                    return
                try:
                    page.wait_for_load_state("domcontentloaded", timeout=max(100, int(left * 1000)))
                except Exception:
                    pass
                continue
            net = self._net_wait(quiet_ms)
            wait = 0.02 if net is None else net
            if not dom.get("ready"):
                wait = max(wait, 0.02)
            elif not self._dom_noisy:
                dom_wait = max(0.0, (quiet_ms - float(dom.get("idle") or 0)) / 1000)
                if dom_wait > wait:
                    dom_waited += dom_wait - wait
                    if dom_waited > DOM_QUIET_CAP:
                        self._dom_noisy = True     # an animation / ticker: the network decides
                    wait = dom_wait
            if wait <= 0:
                return
            try:
                page.wait_for_timeout(int(min(wait, left) * 1000) + 1)
            except Exception:
                return

    def goto(self, url: str, budget: float | None = None, referer: str | None = None):
        """Navigate and settle; returns the main response (or None)."""
        response = None
        try:
            response = self.page.goto(url, wait_until="domcontentloaded", referer=referer)
        except Exception as exc:
            found = CERT_ERROR.search(str(exc))
            if found and not self.tolerates_bad_certificates:
                self.net.certificate_failed(url, found.group(0))
                self._tolerate_bad_certificates()
                return self.goto(url, budget, referer)
            if "interrupted by another navigation" not in str(exc):
                raise
        else:
            self._note_tls(url)
        self.settle(budget or 2.5)
        return response

    def _note_tls(self, url: str) -> None:
        if url.startswith("https:") and self.net.certificate is None and not self.tolerates_bad_certificates:
            self.net.certificate = {"ok": True, "url": url[:300], "error": None}

    def _tolerate_bad_certificates(self) -> None:
        """The shop's certificate failed: read its public pages in a context that accepts
        the certificate (same guards, same proxy); ``credential_refusal`` keeps credentials
        out of it."""
        old = self.context
        self.tolerates_bad_certificates = True
        kwargs = {**self._context_kwargs, "ignore_https_errors": True}
        if not getattr(self.options, "insecure_login", False):
            kwargs.pop("storage_state", None)      # a saved session's cookies are credentials too
        self.context = self._new_context(kwargs)
        self.page = None
        self._inflight.clear()
        self._snap = self._snap_gen = None
        self._cdp = None
        self.page = self.context.new_page()
        self._attach(self.page, main=True)
        try:
            old.close()
        except Exception:
            pass

    def screenshot(self, clip: dict | None = None, scroll: tuple | list = (0, 0)) -> bytes | None:
        """``_screenshot`` with the run's secrets covered (auditor/browser/masking.py)."""
        from cardshop_auditor.browser.masking import mask_secrets, unmask
        masked = mask_secrets(self.page)
        try:
            return self._screenshot(clip, scroll)
        finally:
            if masked:
                unmask(self.page)

    def _screenshot(self, clip: dict | None = None, scroll: tuple | list = (0, 0)) -> bytes | None:
        """PNG of the viewport (or of ``clip``: x, y, width, height in CSS pixels relative to
        the viewport; ``scroll``: the page's scroll offset, which the protocol wants added).

        Straight from the DevTools protocol with ``optimizeForSpeed`` (faster PNG encoding:
        ~60 instead of ~110 ms a shot here, a somewhat larger file); Playwright's own
        screenshot is the fallback."""
        try:
            if self._cdp is None or self._cdp[0] is not self.page:
                self._cdp = (self.page, self.context.new_cdp_session(self.page))
            params: dict = {"format": "png", "optimizeForSpeed": True}
            if clip:
                params["clip"] = {**clip, "x": clip["x"] + scroll[0], "y": clip["y"] + scroll[1], "scale": 1}
            data = base64.b64decode(self._cdp[1].send("Page.captureScreenshot", params)["data"])
            if data:
                return data
        except Exception:
            self._cdp = None
        try:
            return self.page.screenshot(type="png", animations="disabled", caret="hide", timeout=5000,
                                        clip=clip)
        except Exception:
            return None

    def close(self) -> None:
        try:
            self.context.close()
        except Exception:
            pass
        finally:
            self.proxy.close()


def _user_agent(browser) -> str | None:
    """Chromium's own UA without 'Headless' (some shops refuse headless browsers), with
    the tool's name appended so the operator can see who looked."""
    version = browser.version or ""
    if not version:
        return None
    return (f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            f"Chrome/{version} Safari/537.36 {TOOL_TAG}")
