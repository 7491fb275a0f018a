"""The buy prompt behind a goods page's order button, read without ordering anything.

Many shops show their 购买须知 / 温馨提示 (often 一经售出概不退换) only once the buyer clicks
立即购买 / 下单: a layer / layui popup, a Bootstrap modal, a SweetAlert, or a native
``window.confirm`` step before the order is posted.  ``read_order_dialog`` clicks that button
once on a goods page and reads what appears, verbatim:

* the click happens inside an ``OrderGuard``: every request that is not a GET / HEAD is
  aborted (an order or a payment is never posted, whatever its URL looks like), so is every
  navigation of the page or of a new window (the order page, a payment gateway), and every
  GET to an acting URL (``/pay``, ``create-order``, ``/checkout`` …); other networks stay
  blocked by the session's own route.  The page's own navigation is answered in the browser
  with 204 No Content, so the goods page stays as it is;
* the shop's own form validation would stop the click before its prompt, so the empty
  *required* text fields of the order form are filled with placeholders nobody owns
  (``audit@example.com``, ``13800000000``, QQ ``10000``); never a password, captcha or
  coupon field, never a payment choice (on 异次元 clicking a payment tile places the order);
* a native alert / confirm is dismissed by the session (a confirm answered "cancel": the
  order does not go on) and its text kept; a DOM dialog is photographed, then closed by its
  关闭 / 取消 / × control (never 确定 / 同意 / 支付) or Escape;
* a dialog whose words are a framed page (layui's ``layer.open({type: 2})``, a Bootstrap
  modal whose body is an ``<iframe>``) is read through its frame when the frame is of the
  page's own origin (the browser's same-origin rule decides: ``frame_dialog.js``); a
  cross-origin frame is named in the result, never read, and loads only if the session's
  network guard lets it (the shop's origin policy).

The dialog becomes a page of its own for the extractors (the goods page's URL, the dialog's
markup inside a modal box; a native dialog's text escaped), so a blanket no-refund term in it
is a clause with the goods page as its source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from cardshop_auditor.browser.dom_links import ACTING_URL, UNSAFE_URL
from cardshop_auditor.browser.dialogs import OrderDialog, close_dialog, open_dialog
from cardshop_auditor.browser.scripts import source
from cardshop_auditor.browser.session import ShopSession

ORDER_BUTTON_JS = source("order_button")
# what an order button says; a payment button (支付 / 付款 / 结算) is never clicked
ORDER_LABEL = re.compile(r"立即购买|立即下单|马上购买|确认购买|提交订单|确认下单|立即抢购|购买|下单|抢购|buy now|place order", re.I)
PAY_LABEL = re.compile(r"支付|付款|结算|充值|pay\b|payment|checkout", re.I)
# requests blocked while a 购买 / 须知 button is clicked: an order or a payment must never be made
ORDER_WRITE = re.compile(r"order|buy|pay|checkout|submit|trade|cart|create|recharge|coupon", re.I)


@dataclass
class OrderClick:
    button: str = ""
    filled: list[str] = field(default_factory=list)
    dialogs: list[OrderDialog] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)   # requests the guard aborted


class OrderGuard:
    """While the order button is clicked: only GET / HEAD requests that stay on the goods
    page's document (sub-resources, AJAX reads, frames inside a popup) go through."""

    def __init__(self, session: ShopSession):
        self.context = session.context
        self.page = session.page
        self.blocked: list[str] = []

    def _leaves(self, request) -> bool:
        if not request.is_navigation_request():
            return False
        try:
            frame = request.frame
            return frame == self.page.main_frame or frame.page != self.page
        except Exception:
            return True                     # a window being opened: its page is not ours

    def _main(self, request) -> bool:
        try:
            return request.frame == self.page.main_frame
        except Exception:
            return False

    def _handle(self, route) -> None:
        try:
            request = route.request
            url = request.url
            # a file's URL (.css / .js / .png) is unsafe as a page to open, harmless as a frame's sub-resource
            unsafe = UNSAFE_URL if request.is_navigation_request() else ACTING_URL
            if request.method not in ("GET", "HEAD") or unsafe.search(url) or self._leaves(request):
                self.blocked.append(f"{request.method} {url[:200]}")
                if request.is_navigation_request() and self._main(request):
                    # answered here with 204 No Content: the browser stays on the goods page
                    # (an aborted navigation would replace it with an error page)
                    route.fulfill(status=204, body="")
                else:
                    route.abort("blockedbyclient")
            else:
                route.fallback()             # the session's network guard decides the rest
        except Exception:
            pass

    def __enter__(self) -> "OrderGuard":
        self.context.route("**/*", self._handle)
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.context.unroute("**/*", self._handle)
        except Exception:
            pass


def _close(session: ShopSession) -> None:
    close_dialog(session)


def _close_windows(session: ShopSession) -> None:
    """Windows the click opened are closed, never followed (a payment gateway)."""
    for extra in list(session.context.pages):
        if extra is not session.page:
            session.guard.popups.append(extra.url or "about:blank")
            try:
                extra.close()
            except Exception:
                pass


def read_order_dialog(session: ShopSession, shoot: bool = True) -> OrderClick | None:
    """Click the goods page's order button once (guarded) and read the dialog it opens.
    None: the page has no order button."""
    from cardshop_auditor.browser.masking import element_screenshot

    page = session.page
    result = OrderClick()
    with OrderGuard(session) as guard:
        try:
            found = page.evaluate(ORDER_BUTTON_JS, [ORDER_LABEL.pattern, True])
        except Exception:
            found = None
        if not isinstance(found, dict) or PAY_LABEL.search(str(found.get("text") or "")):
            return None
        result.button = str(found.get("text") or "")[:24]
        result.filled = [str(f)[:30] for f in (found.get("filled") or [])][:10]
        _close(session)                       # an auto-opened prompt covering the button
        before_text, _, _ = open_dialog(session)
        if before_text.strip():
            return None                       # it would not close: a buyer cannot click past it either
        dialogs_before = len(session.guard.dialog_messages)
        windows_before = len(session.context.pages)
        button = page.locator('[data-cardshop-order-button="1"]').first
        try:
            button.click(timeout=1000)
        except Exception:
            try:
                button.dispatch_event("click", timeout=1500)
            except Exception:
                return result
        session.settle(1.5)
        if len(session.context.pages) > windows_before:
            _close_windows(session)
        for message in session.guard.dialog_messages[dialogs_before:]:
            # a prompt, not a validation message (请填写邮箱): the same floor as MODAL_JS
            if len(re.sub(r"\s+", "", message)) > 20:
                result.dialogs.append(OrderDialog(text=message, how="native", button=result.button))
        text, markup, frames = open_dialog(session)
        if text.strip() and text.strip() != before_text.strip():
            shot = None
            if shoot:
                try:
                    shot = element_screenshot(page, '[data-cardshop-modal="1"]', 3000)
                except Exception:
                    shot = session.screenshot()
            result.dialogs.append(OrderDialog(text=text, how="dom", button=result.button, markup=markup,
                                              screenshot=shot, frames=frames))
        if shoot and any(d.how == "native" for d in result.dialogs):
            # a native dialog cannot be photographed: the page as it stood when it appeared
            shot = session.screenshot()
            for d in result.dialogs:
                if d.how == "native":
                    d.screenshot = shot
        _close(session)
        result.blocked = list(guard.blocked)
    return result


class WritesBlocked:
    """While a 购买 / 须知 button is clicked, non-GET requests to order / payment endpoints
    are aborted (the shop's own guard still decides everything else, by ``fallback``)."""

    def __init__(self, session: ShopSession):
        self.page = session.page
        self.count = 0

    def _handle(self, route) -> None:
        try:
            request = route.request
            if request.method not in ("GET", "HEAD", "OPTIONS") and ORDER_WRITE.search(request.url):
                self.count += 1
                route.abort("blockedbyclient")
            else:
                route.fallback()
        except Exception:
            pass

    def __enter__(self) -> "WritesBlocked":
        try:
            self.page.route("**/*", self._handle)
        except Exception:
            pass
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.page.unroute("**/*", self._handle)
        except Exception:
            pass
