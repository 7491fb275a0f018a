"""One shop's browser context: guarded, zh-CN, with the page helpers the stage needs.

Guards (all per context, so one shop cannot affect the next):
  * every request outside the shop's own host (its port, or 80/443 on the same host) and
    loopback is aborted by a route: nothing leaves the machine but requests to the shop;
  * dialogs (alert/confirm/prompt/beforeunload) are dismissed and their text kept;
  * popup windows are closed (a same-site popup is followed in the main page instead);
  * downloads are refused, permissions are denied, service workers are blocked.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from auditor.browser.labels import clean_label
from auditor.browser.manager import Guard

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
VIEWPORT = {"width": 1280, "height": 900}
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
PASSTHROUGH_SCHEMES = ("data", "blob", "about", "chrome-error", "chrome")
TOOL_TAG = "cardshop-auditor/0.1"
MAX_FRAMES = 6


def origin_key(url: str) -> tuple[str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme, 0)
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return parts.hostname.lower(), port


# JS: every visible control a person could click, marked with data-cardshop="<gen>-<i>".
CANDIDATES_JS = r"""
(gen) => {
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  const EXPLICIT = 'a,button,[role=button],[role=menuitem],[role=tab],[role=link],[onclick],' +
                   'input[type=button],input[type=submit],input[type=image],summary,[data-toggle],[data-bs-toggle],[tabindex]';
  const MENU_RE = /menu|nav|tab|dropdown|more|action|sidebar|list-group/i;
  const inViewportDoc = r => (r.right + window.scrollX > 0) && (r.bottom + window.scrollY > 0);
  const clipped = el => {
    let p = el.parentElement, n = 0;
    while (p && n < 12) {
      const cs = getComputedStyle(p);
      if (cs.display === 'none' || cs.visibility === 'hidden' || parseFloat(cs.opacity) < 0.05) return true;
      if (cs.overflow !== 'visible' || cs.overflowY !== 'visible') {
        const r = p.getBoundingClientRect();
        if (r.width < 2 || r.height < 2) return true;
      }
      p = p.parentElement; n++;
    }
    return false;
  };
  const visible = el => {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || !inViewportDoc(r)) return false;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none' || parseFloat(cs.opacity) < 0.05) return false;
    return !clipped(el);
  };
  const label = el => {
    let t = '';
    if (el.tagName === 'INPUT') t = el.value || el.getAttribute('aria-label') || el.title || '';
    else t = el.innerText || '';
    t = norm(t);
    if (!t) t = norm(el.getAttribute('aria-label') || el.getAttribute('title') || el.getAttribute('data-original-title') || '');
    if (!t) { const img = el.querySelector('img[alt],img[title]'); if (img) t = norm(img.alt || img.title); }
    return t;
  };
  const region = el => {
    for (let p = el, n = 0; p && p !== document.body && n < 30; p = p.parentElement, n++) {
      const tag = p.tagName;
      const key = ((typeof p.className === 'string' ? p.className : '') + ' ' + (p.id || '')).toLowerCase();
      if (tag === 'FOOTER' || /(^|[\s_-])(foot|footer|copyright|beian)([\s_-]|$)/.test(key)) return 'footer';
      if (tag === 'NAV' || tag === 'HEADER' || tag === 'ASIDE' || /(^|[\s_-])(nav|navbar|navigation|header|topbar|sidebar|side-menu|sidenav|menu-main|main-menu)([\s_-]|$)/.test(key)) return 'nav';
    }
    return 'main';
  };
  const inMenu = el => {
    for (let p = el.parentElement, n = 0; p && p !== document.body && n < 8; p = p.parentElement, n++) {
      const key = ((typeof p.className === 'string' ? p.className : '') + ' ' + (p.id || '') + ' ' + (p.getAttribute('role') || '')).toLowerCase();
      if (/dropdown|popover|popup|more|overflow|action-?sheet|context-?menu|submenu|sub-menu|^menu$|\smenu\s|menu$/.test(key)) return true;
    }
    return false;
  };
  document.querySelectorAll('[data-cardshop]').forEach(e => e.removeAttribute('data-cardshop'));
  const nodes = Array.from(document.body ? document.body.querySelectorAll('*') : []).slice(0, 6000);
  const picked = new Set();
  for (const el of nodes) {
    const tag = el.tagName;
    if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'SVG' || tag === 'PATH' || tag === 'BODY' || tag === 'HTML') continue;
    let ok = el.matches(EXPLICIT);
    if (ok && el.matches('[tabindex]') && !el.matches('a,button,[role],[onclick]') && el.getAttribute('tabindex') === '-1') ok = false;
    if (!ok && tag === 'LI') {
      const list = el.parentElement;
      const key = list ? ((typeof list.className === 'string' ? list.className : '') + ' ' + (list.id || '') + ' ' + (list.getAttribute('role') || '')) : '';
      ok = MENU_RE.test(key);
    }
    if (!ok && ['DIV', 'SPAN', 'LI', 'TD', 'I', 'EM', 'B', 'LABEL', 'P', 'IMG', 'DD', 'DT', 'H3', 'H4', 'H5'].includes(tag)) {
      const cs = getComputedStyle(el);
      if (cs.cursor === 'pointer') {
        const p = el.parentElement;
        ok = !p || getComputedStyle(p).cursor !== 'pointer';
      }
    }
    if (ok) picked.add(el);
  }
  // hover menus: a collapsed list of links inside a container; its visible sibling is
  // the trigger (moving the mouse there, as a click does, opens the menu)
  const triggers = new Set();
  let menus = 0;
  for (const el of nodes) {
    if (menus > 200) break;
    if (!['UL', 'OL', 'DIV', 'DL', 'NAV'].includes(el.tagName)) continue;
    if (getComputedStyle(el).display !== 'none' || !el.querySelector('a,button,[onclick]')) continue;
    menus++;
    const box = el.parentElement;
    if (!box) continue;
    for (const sib of box.children) {
      if (sib === el || !visible(sib)) continue;
      const t = label(sib);
      if (t && t.length <= 16) { picked.add(sib); triggers.add(sib); }
      break;
    }
  }
  // keep the innermost of nested controls that say the same thing
  for (const el of Array.from(picked)) {
    const t = label(el);
    for (let p = el.parentElement, n = 0; p && n < 6; p = p.parentElement, n++) {
      if (picked.has(p) && label(p) === t) picked.delete(p);
    }
  }
  const out = [];
  let i = 0;
  for (const el of picked) {
    if (out.length >= 600) break;
    if (!visible(el)) continue;
    const text = label(el);
    const a = el.closest('a');
    const form = el.closest('form');
    const type = (el.getAttribute('type') || '').toLowerCase();
    const isSubmit = (el.tagName === 'BUTTON' && form && (type === '' || type === 'submit')) ||
                     (el.tagName === 'INPUT' && (type === 'submit' || type === 'image'));
    const cls = (typeof el.className === 'string' ? el.className : '').toLowerCase();
    const mark = gen + '-' + (i++);
    el.setAttribute('data-cardshop', mark);
    const r = el.getBoundingClientRect();
    out.push({
      mark, text: text.slice(0, 120), tag: el.tagName.toLowerCase(),
      href: a ? (a.getAttribute('href') || '') : '', abs: a && a.href ? a.href : '',
      target: a ? (a.getAttribute('target') || '') : '',
      role: el.getAttribute('role') || '', type, is_submit: !!isSubmit,
      in_form: !!form, form_has_password: !!(form && form.querySelector('input[type=password]')),
      toggle_like: triggers.has(el) || el.getAttribute('aria-haspopup') === 'true' || el.getAttribute('aria-haspopup') === 'menu' ||
                   /dropdown-toggle|more|ellipsis|kebab|caret/.test(cls) ||
                   /dropdown|popover|collapse/.test((el.getAttribute('data-toggle') || el.getAttribute('data-bs-toggle') || '')),
      region: region(el), in_menu: inMenu(el),
      y: Math.round(r.top + window.scrollY), x: Math.round(r.left + window.scrollX),
    });
  }
  const pw = Array.from(document.querySelectorAll('input[type=password]')).some(visible);
  return {url: location.href, title: document.title, controls: out, password_visible: pw};
}
"""

OUTLINE_JS = """([sel, on]) => {
  const el = document.querySelector(sel);
  if (!el) return false;
  if (on) {
    el.scrollIntoView({block: 'center', inline: 'center'});
    el.setAttribute('data-cardshop-outline', el.style.outline || '');
    el.style.outline = '4px solid #e00000';
    el.style.outlineOffset = '2px';
  } else if (el.hasAttribute('data-cardshop-outline')) {
    el.style.outline = el.getAttribute('data-cardshop-outline');
    el.style.outlineOffset = '';
    el.removeAttribute('data-cardshop-outline');
  }
  return true;
}"""


@dataclass
class Control:
    """A visible clickable element, as seen by CANDIDATES_JS."""
    mark: str
    text: str
    tag: str
    href: str = ""
    abs: str = ""
    target: str = ""
    role: str = ""
    type: str = ""
    is_submit: bool = False
    in_form: bool = False
    form_has_password: bool = False
    toggle_like: bool = False
    region: str = "main"
    in_menu: bool = False
    y: int = 0
    x: int = 0
    frame: int = 0            # 0: the page; n: its n-th same-site iframe (this snapshot)

    @property
    def label(self) -> str:
        text = clean_label(self.text)
        return text or ("⋯" if self.toggle_like else "")

    @classmethod
    def from_js(cls, data: dict) -> "Control":
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Snapshot:
    url: str
    title: str
    controls: list[Control]
    password_visible: bool

    def signature(self) -> tuple:
        return (self.url.split("#")[0], tuple(sorted({(c.label, c.tag) for c in self.controls})))


class ShopSession:
    """A fresh browser context for one shop, plus the helpers to drive its page."""

    def __init__(self, browser, start_url: str, options, storage_state: str | None = None,
                 extra_urls: tuple[str, ...] = ()):
        self.options = options
        self.start_url = start_url
        allowed = {k for k in (origin_key(u) for u in (start_url, *extra_urls)) if k}
        hosts = {h for h, _ in allowed}
        for h in hosts:                       # the same host over http and https
            allowed |= {(h, 80), (h, 443)}
        self.allowed = allowed
        self.guard = Guard(allowed_hosts={f"{h}:{p}" for h, p in allowed})
        ua = browser.version and _user_agent(browser)
        kwargs = dict(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=VIEWPORT,
                      accept_downloads=False, service_workers="block", permissions=[],
                      ignore_https_errors=True, java_script_enabled=True,
                      extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"})
        if ua:
            kwargs["user_agent"] = ua
        if storage_state:
            kwargs["storage_state"] = storage_state
        self.context = browser.new_context(**kwargs)
        timeout_ms = max(1000, int(float(getattr(options, "timeout", 15) or 15) * 1000))
        self.context.set_default_timeout(min(timeout_ms, 10_000))
        self.context.set_default_navigation_timeout(timeout_ms)
        self.context.route("**/*", self._route)
        if hasattr(self.context, "route_web_socket"):
            try:
                self.context.route_web_socket("**/*", self._route_ws)
            except Exception:
                pass
        self.context.on("page", self._on_new_page)
        self._inflight: dict = {}          # request -> start time (monotonic)
        self._main_navs = 0
        self.last_nav_method = "GET"          # of the latest main-frame navigation
        self._gen = 0
        self.page = None                      # set below; new pages seen before are this one
        self.page = self.context.new_page()
        self._attach(self.page, main=True)

    # ---- guards --------------------------------------------------------------------
    def allowed_url(self, url: str) -> bool:
        scheme = url.split(":", 1)[0].lower()
        if scheme in PASSTHROUGH_SCHEMES:
            return True
        if scheme not in DEFAULT_PORTS:
            return False
        key = origin_key(url)
        if key is None:
            return False
        return key[0] in LOOPBACK or key in self.allowed

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

    def _on_request(self, request) -> None:
        self._inflight[request] = time.monotonic()
        try:
            if request.is_navigation_request() and request.frame == self.page.main_frame:
                self.last_nav_method = request.method
        except Exception:
            pass

    def _on_request_done(self, request) -> None:
        self._inflight.pop(request, None)

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
    def settle(self, budget: float = 2.5, quiet_ms: int = 80) -> None:
        """Wait until the page has loaded and the network has been quiet for a moment
        (bounded: long-polling pages never go quiet)."""
        end = time.monotonic() + budget
        page = self.page
        try:
            page.wait_for_load_state("domcontentloaded", timeout=max(100, int(budget * 1000)))
        except Exception:
            pass
        quiet = 0
        step = 20
        while time.monotonic() < end:
            if not self.busy():
                quiet += step
                if quiet >= quiet_ms:
                    break
            else:
                quiet = 0
            try:
                page.wait_for_timeout(step)
            except Exception:
                break
        try:   # one frame so rendering triggered by the last response lands
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => r(1)))")
        except Exception:
            pass

    def goto(self, url: str, budget: float | None = None):
        """Navigate and settle; returns the main response (or None)."""
        response = None
        try:
            response = self.page.goto(url, wait_until="domcontentloaded")
        except Exception as exc:
            if "interrupted by another navigation" not in str(exc):
                raise
        self.settle(budget or 2.5)
        return response

    # ---- reading the page ---------------------------------------------------------------
    def snapshot(self, retries: int = 3) -> Snapshot:
        """Every visible control of the page, including same-site iframes (old 卡盟 member
        centres load their pages into a frame next to a menu)."""
        last: Exception | None = None
        for _ in range(retries):
            self._gen += 1
            try:
                data = self.page.evaluate(CANDIDATES_JS, str(self._gen))
                controls = [Control.from_js(c) for c in data["controls"]]
                password = bool(data.get("password_visible"))
                frames = [self.page.main_frame]
                if len(self.page.frames) > 1:
                    extra, password_in = self._frame_controls(frames)
                    controls += extra
                    password = password or password_in
                self._snap_frames = frames
                return Snapshot(url=data["url"], title=data.get("title") or "", controls=controls,
                                password_visible=password)
            except Exception as exc:      # navigation in flight: let it land, try again
                last = exc
                self.settle(1.0)
        raise RuntimeError(f"could not read the page: {last}")

    def _frame_controls(self, frames: list) -> tuple[list[Control], bool]:
        out: list[Control] = []
        password = False
        for frame in self.page.frames[1:]:
            if len(frames) > MAX_FRAMES:
                break
            try:
                if frame.is_detached() or not frame.url.startswith("http") or not self.allowed_url(frame.url):
                    continue
                box = frame.frame_element().bounding_box()
                if not box or box["width"] < 40 or box["height"] < 40:
                    continue
                index = len(frames)
                data = frame.evaluate(CANDIDATES_JS, f"{self._gen}f{index}")
            except Exception:
                continue
            frames.append(frame)
            password = password or bool(data.get("password_visible"))
            for c in data["controls"]:
                control = Control.from_js(c)
                control.frame = index
                control.y += int(box["y"])
                control.x += int(box["x"])
                out.append(control)
        return out, password

    def _frame_of(self, control: Control):
        frames = getattr(self, "_snap_frames", None) or [self.page.main_frame]
        if control.frame < len(frames) and not frames[control.frame].is_detached():
            return frames[control.frame]
        return self.page.main_frame

    def locator(self, control: Control):
        return self._frame_of(control).locator(f'[data-cardshop="{control.mark}"]').first

    def visible_text(self, limit: int = 20000) -> str:
        try:
            return (self.page.evaluate("() => document.body ? document.body.innerText : ''") or "")[:limit]
        except Exception:
            return ""

    # ---- acting ---------------------------------------------------------------------------
    def click(self, control: Control) -> bool:
        """Click like a person (hover first, so hover menus open), then let the page settle.
        A same-site link that would open a new window opens in this page instead."""
        loc = self.locator(control)
        if control.target and control.target != "_self":
            try:
                loc.evaluate("e => { const a = e.closest('a'); if (a) a.removeAttribute('target'); }")
            except Exception:
                pass
        before = len(self.context.pages)
        try:
            loc.click(timeout=2000)
        except Exception:
            # covered (an open hover menu, a sticky banner): move the mouse away and retry;
            # never a forced click at the coordinates, which would hit whatever covers it
            try:
                self.page.mouse.move(1, 1)
                self.page.wait_for_timeout(150)
                loc.click(timeout=1500)
            except Exception:
                try:
                    loc.dispatch_event("click")
                except Exception:
                    return False
        self.settle(quiet_ms=60)
        if len(self.context.pages) > before:
            self.follow_popups()
        return True

    def follow_popups(self) -> None:
        """Close every extra window; follow the first same-site one in the main page."""
        follow = None
        for extra in list(self.context.pages):
            if extra is self.page:
                continue
            url = extra.url
            try:
                if url in ("", "about:blank"):          # window.open(): the URL comes a moment later
                    extra.wait_for_url(lambda u: u not in ("", "about:blank"), timeout=2000,
                                       wait_until="commit")
                    url = extra.url
            except Exception:
                url = extra.url
            self.guard.popups.append(url)
            try:
                extra.close()
            except Exception:
                pass
            if follow is None and url.startswith("http") and self.allowed_url(url):
                follow = url
        if follow:
            self.goto(follow)

    def outline(self, control: Control, on: bool = True) -> None:
        try:
            self._frame_of(control).evaluate(OUTLINE_JS, [f'[data-cardshop="{control.mark}"]', on])
        except Exception:
            pass

    def screenshot(self) -> bytes | None:
        try:
            return self.page.screenshot(type="png", animations="disabled", caret="hide", timeout=5000)
        except Exception:
            return None

    def close(self) -> None:
        try:
            self.context.close()
        except Exception:
            pass


def _user_agent(browser) -> str | None:
    """Chromium's own UA without 'Headless' (some shops refuse headless browsers), with
    the tool's name appended so the operator can see who looked."""
    version = browser.version or ""
    if not version:
        return None
    return (f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            f"Chrome/{version} Safari/537.36 {TOOL_TAG}")
