"""Log in by finding the shop's own login form, and say clearly whether it worked.

Finding the form: a visible password field on the current page; else a control labelled
登录/登陆/会员登录/login (it may open a modal or a page); else a few common login paths.
Filling: the password field, and the best text field next to it by type / name / id /
placeholder / label (账号, 用户名, 手机号, 邮箱, username, account, email, phone).
Submitting: the form's 登录 button (or Enter).  Works for classic form POSTs with a cookie
session and for JavaScript logins that fetch /api/login and keep a token in localStorage.

Success: the password field is gone and the page shows 退出/注销/个人中心/the user name,
or a token appeared in localStorage, or the URL moved away from the login page.
Failure: an error text (密码错误, 账号或密码…, 登录失败, also in a dismissed alert), or the
form is still there; a captcha is reported as the likely reason.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from cardshop_auditor import secrets
from cardshop_auditor.browser import labels as L
from cardshop_auditor.browser.scripts import source
from cardshop_auditor.browser.session import ShopSession

COMMON_LOGIN_PATHS = ("/login", "/user/login", "/member/login", "/auth/login", "/login.html",
                      "/#/login")

FIELDS_JS = source("login_fields")     # the login form around the visible password field
STATE_JS = source("login_state")
STORAGE_PAIRS_JS = source("storage_pairs")


@dataclass
class LoginResult:
    attempted: bool = False
    ok: bool | None = None
    method: str | None = None          # form | json | storage_state
    reason: str = ""
    url: str | None = None             # the page right after login (start of the search)
    login_url: str | None = None


def _state(session: ShopSession) -> dict:
    for _ in range(3):
        try:
            return session.page.evaluate(STATE_JS)
        except Exception:
            session.settle(1.0)
    return {"url": session.page.url, "keys": [], "pw": False, "text": ""}


def find_login_form(session: ShopSession, deadline: float) -> bool:
    """Bring a visible password field onto the page; True when there is one."""
    snap = session.snapshot(reuse=True)       # the render phase has just read this page
    if snap.password_visible:
        return True
    start = session.page.url
    links = [c for c in snap.controls if c.label and L.LOGIN.match(c.label)]
    loose = [c for c in snap.controls if c.label and len(c.label) <= 10 and L.LOGIN_LOOSE.search(c.label)
             and c not in links and not L.DESTRUCTIVE.search(c.label.replace("注册", ""))]
    for control in (links + loose)[:3]:
        if time.monotonic() > deadline:
            return False
        if control.plain and session.allowed_url(control.abs):
            session.goto(control.abs, referer=start)     # a plain link: what a click does, sooner
        else:
            session.click(control)
        if session.snapshot().password_visible:
            return True
        if session.page.url != start:
            session.goto(start)
        snap = session.snapshot()
    for path in COMMON_LOGIN_PATHS:
        if time.monotonic() > deadline:
            return False
        try:
            response = session.goto(urljoin(start, path), budget=1.5)
        except Exception:
            continue
        if response is not None and response.status >= 400:
            continue
        if session.snapshot().password_visible:
            return True
    return False


FILL_TIMEOUT_MS = 3000


def _fill(page, mark: str, value: str) -> None:
    """Type into a marked field; a field that is not editable (readonly, disabled) fails at
    once instead of after Playwright's wait."""
    field = page.locator(f'[data-cardshop-login="{mark}"]').first
    if not field.is_editable(timeout=FILL_TIMEOUT_MS):
        raise FieldNotEditable(mark)
    field.fill(value, timeout=FILL_TIMEOUT_MS)


class FieldNotEditable(Exception):
    """The login form's field refuses input (readonly / disabled)."""


def login(session: ShopSession, username: str, password: str, deadline: float) -> LoginResult:
    """Never raises; ``reason`` never carries library text (see ``secrets.failure_reason``)."""
    secrets.register_credentials(username, password)
    lang = getattr(getattr(session, "options", None), "lang", "zh") or "zh"
    result = LoginResult(attempted=True, method="form")
    refusal = session.credential_refusal()         # a failed TLS certificate: no login at all
    if refusal:
        result.ok, result.reason = False, refusal
        return result
    step = "find_form"
    try:
        if not find_login_form(session, deadline):
            result.ok, result.reason = False, "no login form found (no password field, no 登录 link)"
            return result
        result.login_url = session.page.url
        form = session.page.evaluate(FIELDS_JS)
        if not form:
            result.ok, result.reason = False, "login form disappeared before it could be filled"
            return result
        fields = form["fields"]
        if not fields:
            result.ok, result.reason = False, "login form has no username field"
            return result

        def field_score(f: dict) -> float:
            s = 0.0
            if L.USERNAME_FIELD.search(f["label"]):
                s += 5
            if L.CAPTCHA.search(f["label"]):
                s -= 10
            if f["before_pw"]:
                s += 2
            return s
        user_field = max(fields, key=field_score)
        captcha = any(L.CAPTCHA.search(f["label"]) for f in fields if f is not user_field) or \
            bool(L.CAPTCHA.search(form.get("scope_text") or "") and "验证码" in (form.get("scope_text") or ""))
        page = session.page
        refusal = session.credential_refusal()     # a failed TLS certificate: nothing is typed
        if refusal:
            result.ok, result.reason = False, refusal
            return result
        step = "fill_username"
        _fill(page, user_field["mark"], username)
        step = "fill_password"
        _fill(page, "password", password)
        step = "submit"
        for check in form.get("checks") or []:          # 我已阅读并同意《用户协议》
            if any(w in check["label"] for w in ("同意", "阅读", "agree")):
                try:
                    page.locator(f'[data-cardshop-login="{check["mark"]}"]').first.check(timeout=1500)
                except Exception:
                    pass

        before = _state(session)
        dialogs_before = len(session.guard.dialogs)
        json_posts: list[str] = []

        def on_request(request):
            if request.method == "POST" and request.resource_type in ("fetch", "xhr"):
                json_posts.append(request.url)
        page.on("request", on_request)
        try:
            buttons = form.get("buttons") or []
            button = next((b for b in buttons if L.LOGIN_SUBMIT.match(b["label"] or "")), None) or \
                next((b for b in buttons if b["submit"] and not L.DESTRUCTIVE.search(
                    (b["label"] or "").replace("提交", "").replace("确定", "").replace("确认", ""))), None)
            if button is not None:
                try:
                    page.locator(f'[data-cardshop-login="{button["mark"]}"]').first.click(timeout=3000)
                except Exception:
                    page.locator('[data-cardshop-login="password"]').first.press("Enter")
            else:
                page.locator('[data-cardshop-login="password"]').first.press("Enter")
            session.settle(3.0, quiet_ms=120)
            after = _state(session)
            # slow servers / delayed redirects: give it a little more time if nothing changed
            if after["pw"] and after["url"] == before["url"] and time.monotonic() < deadline:
                session.settle(1.5, quiet_ms=300)
                after = _state(session)
        finally:
            page.remove_listener("request", on_request)
        if json_posts:
            result.method = "json"
        _register_session(session)
        verdict = judge_login(before, after, session.guard.dialogs[dialogs_before:], username)
        result.ok, result.reason = verdict
        if result.ok is False and captcha:
            result.reason += " (the form has a captcha, which the auditor does not solve)"
        result.url = session.page.url
        return result
    except Exception as exc:  # noqa: BLE001 - reported, never raised
        # Playwright's message repeats the call log, fill("<the password>") included
        result.ok, result.reason = False, secrets.failure_reason(step, exc, lang)
        result.url = _safe_url(session)
        return result


def _register_session(session: ShopSession) -> None:
    """The session the shop just issued (cookies, stored tokens) is a secret of the run too."""
    try:
        pairs = session.page.evaluate(STORAGE_PAIRS_JS)
        storage = [value for key, value in pairs if L.TOKEN_KEY.search(key or "")]   # not cached page text
    except Exception:  # noqa: BLE001 - storage may be denied
        storage = []
    try:
        secrets.register_session(session.context.cookies(), storage)
    except Exception:  # noqa: BLE001 - a closed context
        pass


def _safe_url(session: ShopSession) -> str | None:
    try:
        return session.page.url
    except Exception:  # noqa: BLE001 - a closed page
        return None


def judge_login(before: dict, after: dict, dialogs: list[str], username: str) -> tuple[bool, str]:
    """(ok, reason) from the page state before and after submitting."""
    old_text = before.get("text") or ""
    new_text = after.get("text") or ""
    # the shop's words may repeat what was typed ("密码 xxx 错误"): masked before they are cut
    for message in dialogs:
        m = L.LOGIN_FAILED.search(message)
        if m:
            return False, f"login failed: the shop said “{secrets.scrub(message)[:80]}”"
    for line in new_text.splitlines():
        line = line.strip()
        m = L.LOGIN_FAILED.search(line)
        if m and line not in old_text:
            return False, f"login failed: the shop said “{secrets.scrub(line)[:80]}”"
    new_keys = set(after.get("keys") or []) - set(before.get("keys") or [])
    token = sorted(k.split("=")[0] for k in new_keys if L.TOKEN_KEY.search(k.split("=")[0]))
    pw_gone = not after.get("pw")
    shows_user = bool(username and username in new_text and username not in old_text)
    logged_in_words = [m.group(0) for m in L.LOGGED_IN.finditer(new_text)]
    new_words = [w for w in logged_in_words if w not in old_text]
    moved = _path(after.get("url")) != _path(before.get("url"))
    if token:
        return True, f"logged in (token in storage: {', '.join(token)[:60]})"
    if pw_gone and (new_words or shows_user):
        what = "the user name" if shows_user else f"“{new_words[0]}”"
        return True, f"logged in (the page now shows {what})"
    if pw_gone and moved:
        return True, "logged in (left the login page)"
    if not pw_gone:
        return False, "login failed: still on the login form (no error message shown)"
    return False, "login outcome unclear: the form is gone but nothing shows a logged-in user"


def _path(url: str | None) -> str:
    parts = urlsplit(url or "")
    return parts.path + ("#" + parts.fragment if parts.fragment.startswith("/") else "")


def check_session(session: ShopSession) -> tuple[bool | None, str]:
    """For a loaded storage state: does the page look logged in?"""
    snap = session.snapshot()
    labels_ = [c.label for c in snap.controls]
    if any(L.LOGGED_IN.search(x) and ("退出" in x or "注销" in x or "登出" in x or "logout" in x.lower())
           for x in labels_):
        return True, "saved session loaded; the page offers 退出 (logged in)"
    if snap.password_visible or any(L.LOGIN.match(x) for x in labels_):
        return False, "saved session loaded but the shop shows a login form / 登录 link (expired?)"
    return None, "saved session loaded; could not tell whether it is still valid"
