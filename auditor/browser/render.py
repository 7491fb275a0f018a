"""Rendering: the pages a static crawl cannot see, and the footer / agreement evidence.

* the start page after its scripts ran (``Page(fetched_with="browser")``);
* the important same-site pages linked from the rendered start page (agreement, refund
  rules, about, contact …), including client-side routes;
* the content of modals opened by buttons such as 用户协议 / 购买须知 (captured as a page
  whose ``link_text`` is the button label); a modal whose words are a framed page (layui's
  ``layer.open({type: 2})``, a Bootstrap modal with an ``<iframe>`` body) is read through
  its frame when the frame is of the page's own origin (``dialogs.open_dialog``, the one
  frame reader) and kept as a page of the start page's URL; a cross-origin frame is named
  in ``facts["modal_frames"]``, never read (the network guard refuses it);
* a dialog the start page opens by itself whose words are such a framed page (a notice
  modal shown on load): read the same way, photographed, then closed (``onload_dialog``);
* screenshots of the footer (ICP / 公安备案) and of the agreement's refund section.
"""
from __future__ import annotations

import re
import time

from cardshop_auditor.artifacts import Page, sha256_bytes
from cardshop_auditor.browser import labels as L
from cardshop_auditor.browser.dialogs import MODAL_JS, OrderDialog, close_dialog, dialog_page, open_dialog
from cardshop_auditor.browser.evidence import EvidenceWriter
from cardshop_auditor.browser.scripts import source
from cardshop_auditor.browser.session import ShopSession, Snapshot
from cardshop_auditor.urls import origin

MAX_IMPORTANT_PAGES = 8
MAX_MODAL_OPENERS = 4

# in-page scripts (auditor/browser/scripts/*.js)
FOOTER_JS = source("footer")           # the footer with ICP / 备案 facts, scrolled to and measured
SECTION_JS = source("section")         # scroll to the refund section
PENDING_DIALOG_JS = source("pending_dialog")   # a framed dialog the page may still open by itself
ONLOAD_WAIT = 5.0           # seconds a start page may take to open such a dialog (a timer after load) and
                            # load its frame; only pages holding such a dialog wait (CI ran out of 2 s)


def page_from_browser(session: ShopSession, requested: str, status: int, depth: int,
                      link_text: str = "") -> Page:
    html = session.page.content()
    return Page(url=requested, final_url=session.page.url, status=status or 200,
                fetched_with="browser", encoding="utf-8", content_type="text/html; charset=utf-8",
                html=html, sha256=sha256_bytes(html.encode("utf-8")), depth=depth,
                link_text=link_text)


def render_start(session: ShopSession, url: str, keep: bool = True) -> tuple[str, int, Page | None]:
    """(final URL, status, the rendered page when ``keep``: its HTML is read only then)."""
    response = session.goto(url, budget=4.0)
    status = response.status if response is not None else 200
    page = page_from_browser(session, url, status, depth=0) if keep else None
    return session.page.url, status, page


def important_links(session: ShopSession, snap: Snapshot, known: set[str]) -> list[tuple[str, str]]:
    """(url, label) of same-site links worth rendering, agreement-like first."""
    out: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    here = session.page.url.split("#")[0]
    for c in snap.controls:
        if not c.abs.startswith("http") or not c.label or len(c.label) > 30:
            continue
        if not L.IMPORTANT.search(c.label) or L.is_destructive(c.label, c.href):
            continue
        if not session.allowed_url(c.abs):
            continue
        target = c.abs if "#/" in c.abs else c.abs.split("#")[0]
        if target == here or target in seen or target in known:
            continue
        seen.add(target)
        rank = 0 if L.AGREEMENT.search(c.label) else (1 if L.REFUND_SECTION.search(c.label) else 2)
        out.append((rank, target, c.label))
    out.sort(key=lambda t: t[0])
    return [(u, t) for _, u, t in out[:MAX_IMPORTANT_PAGES]]


def modal_openers(snap: Snapshot):
    """Buttons (not page links) that promise agreement / refund text: 用户协议, 购买须知 …"""
    out = []
    for c in snap.controls:
        if not c.label or len(c.label) > 20 or not L.AGREEMENT.search(c.label):
            continue
        if L.is_destructive(c.label, c.href) or c.is_submit:
            continue
        href = (c.href or "").strip().lower()
        if c.tag == "a" and href and not href.startswith(("#", "javascript")):
            continue                           # a real link: rendered as a page instead
        out.append(c)
    # the agreement itself before notices: its refund section is the evidence wanted
    out.sort(key=lambda c: 0 if re.search(r"协议|条款|terms|agreement", c.label, re.I) else
             (1 if re.search(r"规则|政策|policy", c.label, re.I) else 2))
    return out[:MAX_MODAL_OPENERS]


def _unique(controls):
    seen, out = set(), []
    for c in controls:
        if c.label not in seen:
            seen.add(c.label)
            out.append(c)
    return out


def footer_evidence(session: ShopSession, evidence: EvidenceWriter) -> None:
    """Screenshot of the footer (scrolled into view by FOOTER_JS, which also measures it:
    one evaluate and one capture)."""
    try:
        found = session.page.evaluate(FOOTER_JS)
        if not found:
            return
        if found["height"] > 1200 or not found["clip"]:   # a "footer" that is the whole page: viewport only
            data = session.screenshot()
        else:
            data = session.screenshot(clip=found["clip"], scroll=found["scroll"])
        evidence.add("footer", "footer", data, f"页脚（ICP / 公安备案 / 公司信息）：{found['text'][:120]}",
                     url=session.page.url)
    except Exception:
        pass


def agreement_evidence(session: ShopSession, evidence: EvidenceWriter, label: str,
                       modal: bool = False, frames: tuple[str, ...] = ()) -> bool:
    """Screenshot the refund section of the agreement on the current page (or modal).
    ``frames``: the URLs of the same-origin frames the open modal shows its words in (the
    modal already marked by ``open_dialog``): the section is scrolled to inside them."""
    try:
        if frames:
            heading = False
            # a frame's document URL is its src unless the src redirected: then any child
            # frame of the page's own origin (the ones open_dialog could read)
            children = [f for f in session.page.frames if f is not session.page.main_frame]
            for frame in [f for f in children if f.url in frames] or \
                    [f for f in children if origin(f.url) == origin(session.page.url)]:
                heading = frame.evaluate(SECTION_JS, L.REFUND_SECTION.pattern)
                if heading:
                    break
        else:
            heading = session.page.evaluate(SECTION_JS, L.REFUND_SECTION.pattern)
        if not heading:
            return False
        if modal and (frames or session.page.evaluate(MODAL_JS)):
            from cardshop_auditor.browser.masking import element_screenshot
            data = element_screenshot(session.page, '[data-cardshop-modal="1"]', 5000)
        else:
            data = session.screenshot()
        where = ("弹窗（框内页面）" if frames else "弹窗") if modal else "页面"
        return evidence.add("agreement", "agreement-refund", data,
                            f"《{label}》（{where}）中的退款条款：{heading}", url=session.page.url) is not None
    except Exception:
        return False


def onload_dialog(session: ShopSession, evidence: EvidenceWriter, facts: dict, log) -> Page | None:
    """A dialog the start page opened by itself whose words are a framed page of its own
    origin (a Bootstrap notice modal with an ``<iframe>`` body, a layui type-2 layer): the
    page's HTML holds only the frame, so the framed words become a page of the start page's
    URL, the refund section inside the frame is photographed, and the dialog is closed (its
    ×, never 同意) so the footer and the page's controls are seen as a visitor sees them."""
    text, markup, frames = open_dialog(session)
    if not text.strip() and _may_open_framed(session):
        until = time.monotonic() + ONLOAD_WAIT
        while (not text.strip() or (frames and not any(f["read"] for f in frames))) and time.monotonic() < until:
            session.page.wait_for_timeout(200)
            text, markup, frames = open_dialog(session)
        if text.strip():
            session.settle(2.0)                  # its transition, its frame's document
            text, markup, frames = open_dialog(session)
    read = tuple(f["src"] for f in frames if f["read"])
    if not text.strip() or not frames:
        return None                      # none, or its words are in the page's own HTML
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    label = lines[0] if lines and len(lines[0]) <= 20 else "首页弹窗"
    facts["modal_frames"] += [{"label": label, **f} for f in frames]    # an unread one is named by the stage
    page = None
    if read:
        log(f"the start page opened “{label}” by itself: its framed words read")
        page = dialog_page(OrderDialog(text=text, how="dom", button=label, markup=markup), session.page.url,
                           session.page.title() or "", depth=1, link_text=label)
        if not facts["agreement_seen"]:
            facts["agreement_seen"] = agreement_evidence(session, evidence, label, modal=True, frames=read)
    close_dialog(session)
    return page


def _may_open_framed(session: ShopSession) -> bool:
    try:
        return bool(session.page.evaluate(PENDING_DIALOG_JS))
    except Exception:
        return False


def render_pages(session: ShopSession, start_url: str, evidence: EvidenceWriter, deadline: float,
                 *, want_pages: bool, known_urls: set[str], log=None) -> tuple[list[Page], dict]:
    """Render the start page and what hangs off it.  Returns (pages, facts) where facts
    tells the stage what it saw (login form / link, agreement, modal openers)."""
    log = log or (lambda m: None)
    pages: list[Page] = []
    facts = {"login_link": False, "password_form": False, "agreement_seen": False,
             "start_final_url": None, "status": None, "agreement_links": [], "moved": False,
             "dom_links": None, "dom_probe": None, "modal_frames": []}
    start_final, status, start = render_start(session, start_url, keep=want_pages)
    facts["start_final_url"] = start_final
    facts["status"] = status
    if start is not None:
        pages.append(start)
    snap = session.snapshot()
    facts["password_form"] = snap.password_visible
    facts["login_link"] = any(c.label and L.LOGIN.match(c.label) for c in snap.controls)
    shown = onload_dialog(session, evidence, facts, log)
    if shown is not None:
        pages.append(shown)
    if want_pages:           # links only the rendered DOM has (goods lists built by script)
        from cardshop_auditor.browser.dom_links import collect_links, probe
        facts["dom_links"] = collect_links(session)
        facts["dom_probe"] = probe(session)
    footer_evidence(session, evidence)
    links = important_links(session, snap, known=set())
    openers = modal_openers(snap)

    # modal openers first: they need the start page as it is now
    opened: set[str] = set()
    pending = _unique(openers)
    while pending and time.monotonic() < deadline:
        control = pending.pop(0)
        if control.label in opened:
            continue
        opened.add(control.label)
        try:
            before = len(session.visible_text())
            log(f"open “{control.label}”")
            session.click(control)
            text, markup, frames = open_dialog(session)
            opened_modal = bool(text.strip())
            read = tuple(f["src"] for f in frames if f["read"])
            for f in frames:
                facts["modal_frames"].append({"label": control.label, **f})
                if not f["read"]:
                    log(f"the “{control.label}” modal frames {f['src'][:120]}: not of the page's origin, not read")
            grew = len(session.visible_text()) - before
            moved = session.page.url.split("#")[0] != start_final.split("#")[0]
            if opened_modal or grew > 200 or moved:
                if read and not moved:
                    # the page's own HTML holds only the frame: the framed words as a page of the start page
                    title = session.page.title() or ""
                    captured = dialog_page(OrderDialog(text=text, how="dom", button=control.label, markup=markup),
                                           session.page.url, title, depth=1, link_text=control.label)
                elif want_pages or opened_modal:
                    captured = page_from_browser(session, session.page.url, 200, depth=1,
                                                 link_text=control.label)
                else:
                    captured = None
                if captured is not None and all(p.sha256 != captured.sha256 for p in pages):
                    pages.append(captured)
                if not facts["agreement_seen"]:
                    facts["agreement_seen"] = agreement_evidence(
                        session, evidence, control.label, modal=opened_modal and not moved,
                        frames=read if not moved else ())
            facts["moved"] = True
            if pending:
                session.goto(start_final)
                wanted = {c.label for c in pending}
                pending = [c for c in _unique(modal_openers(session.snapshot()))
                           if c.label in wanted and c.label not in opened]
        except Exception:
            try:
                session.goto(start_final)
                pending = [c for c in _unique(modal_openers(session.snapshot())) if c.label not in opened]
            except Exception:
                break

    facts["agreement_links"] = [(u, t) for u, t in links if L.AGREEMENT.search(t)]
    # linked pages (only when the static HTML could not be trusted): agreement-like first
    if want_pages and links:
        facts["moved"] = True
        for url, text in links:
            if time.monotonic() > deadline:
                break
            try:
                log(f"render {url} (“{text}”)")
                response = session.goto(url)
                status = response.status if response is not None else 200
                if status < 400:
                    pages.append(page_from_browser(session, url, status, depth=1, link_text=text))
                    if L.AGREEMENT.search(text) and not facts["agreement_seen"]:
                        facts["agreement_seen"] = agreement_evidence(session, evidence, text)
            except Exception:
                continue
    return pages, facts


def agreement_pass(session: ShopSession, evidence: EvidenceWriter, facts: dict, deadline: float,
                   log=None) -> None:
    """When the agreement's refund section has no screenshot yet, visit its page for one."""
    if facts.get("agreement_seen"):
        return
    for url, text in (facts.get("agreement_links") or [])[:2]:
        if time.monotonic() > deadline:
            return
        try:
            (log or (lambda m: None))(f"agreement evidence from {url}")
            response = session.goto(url)
            if response is not None and response.status >= 400:
                continue
            if agreement_evidence(session, evidence, text):
                facts["agreement_seen"] = True
                return
        except Exception:
            continue
