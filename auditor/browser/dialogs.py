"""A dialog open on the page, read as the buyer sees it: a layer / layui popup, a Bootstrap
modal, a SweetAlert (``modal.js`` marks it) or one whose words are a same-origin framed page
(``frame_dialog.js`` reads the frame; another origin's frame is named, never read).  Shared by
the render stage (a 用户协议 / 购买须知 button on the start page) and the order-button click
(buy_click.py); ``dialog_page`` turns what was read into a page of its own for the extractors.
"""
from __future__ import annotations

import html as htmllib
from dataclasses import dataclass, field

from cardshop_auditor.artifacts import Page, sha256_bytes
from cardshop_auditor.browser.scripts import source
from cardshop_auditor.browser.session import ShopSession

MODAL_JS = source("modal")             # the open modal, marked
FRAME_DIALOG_JS = source("frame_dialog")
CLOSE_DIALOG_JS = source("close_dialog")
MAX_DIALOG_CHARS = 20000
FRAME_WAIT_MS, FRAME_POLL_MS = 3000, 150    # a framed page loading on a busy machine


@dataclass
class OrderDialog:
    text: str                   # what the buyer reads, verbatim
    how: str                    # dom | native
    button: str                 # the order button's label
    markup: str = ""            # the dialog's own markup (dom), same-origin frames inlined
    screenshot: bytes | None = None
    frames: list[dict] = field(default_factory=list)   # {src, read}: frames in the dialog



def open_dialog(session: ShopSession) -> tuple[str, str, list[dict]]:
    """(text, markup, frames) of the open dialog ('' when none); a dialog whose words are in
    a same-origin frame is read through it (frames: [{src, read}]).  A frame that has not
    loaded its page yet is waited for (FRAME_WAIT_MS at most); one still not loaded then is
    named as not read."""
    try:
        marked = bool(session.page.evaluate(MODAL_JS))
        framed = session.page.evaluate(FRAME_DIALOG_JS, marked)
        waited = 0
        while (isinstance(framed, dict) and waited < FRAME_WAIT_MS
               and any(isinstance(f, dict) and f.get("pending") for f in framed.get("frames") or [])):
            session.page.wait_for_timeout(FRAME_POLL_MS)
            waited += FRAME_POLL_MS
            framed = session.page.evaluate(FRAME_DIALOG_JS, True)
        if isinstance(framed, dict):
            frames = [{"src": str(f.get("src") or "")[:300], "read": bool(f.get("read"))}
                      for f in (framed.get("frames") or [])[:10] if isinstance(f, dict)]
            return (str(framed.get("text") or "")[:MAX_DIALOG_CHARS],
                    str(framed.get("markup") or "")[:MAX_DIALOG_CHARS * 4], frames)
        if not marked:
            return "", "", []
        box = session.page.locator('[data-cardshop-modal="1"]').first
        return ((box.inner_text(timeout=1000) or "")[:MAX_DIALOG_CHARS],
                (box.evaluate("e => e.outerHTML") or "")[:MAX_DIALOG_CHARS * 4], [])
    except Exception:
        return "", "", []



def close_dialog(session: ShopSession) -> None:
    """Close the open dialog with its 关闭 / × control (never 确定 / 同意), else Escape."""
    page = session.page
    try:
        if open_dialog(session)[0]:
            page.evaluate(CLOSE_DIALOG_JS)
            page.wait_for_timeout(150)
        if open_dialog(session)[0]:
            page.keyboard.press("Escape")
            page.wait_for_timeout(100)
    except Exception:
        pass


def dialog_page(dialog: OrderDialog, url: str, title: str, depth: int, link_text: str = "") -> Page:
    """The dialog as a page of its own: its markup (a DOM dialog) or its escaped text (a
    native one) inside a modal box titled by the goods page."""
    if dialog.how == "dom" and dialog.markup:
        body = dialog.markup
    else:
        lines = "".join(f"<p>{htmllib.escape(line)}</p>" for line in dialog.text.splitlines() if line.strip())
        body = f'<div class="modal" role="dialog"><div class="modal-body">{lines}</div></div>'
    doc = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{htmllib.escape(title[:120])}'
           f'</title></head><body><div class="modal show" role="dialog" style="display:block">{body}</div></body></html>')
    how = "浏览器对话框" if dialog.how == "native" else "弹窗"
    return Page(url=url, final_url=url, status=200, fetched_with="browser", encoding="utf-8",
                content_type="text/html; charset=utf-8", html=doc, sha256=sha256_bytes(doc.encode("utf-8")),
                depth=depth, link_text=(link_text or f"点击“{dialog.button}”后的{how}")[:80])
