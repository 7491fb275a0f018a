"""Rendering: the pages a static crawl cannot see, and the footer / agreement evidence.

* the start page after its scripts ran (``Page(fetched_with="browser")``);
* the important same-site pages linked from the rendered start page (agreement, refund
  rules, about, contact …), including client-side routes;
* the content of modals opened by buttons such as 用户协议 / 购买须知 (captured as a page
  whose ``link_text`` is the button label);
* screenshots of the footer (ICP / 公安备案) and of the agreement's refund section.
"""
from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

from cardshop_auditor.artifacts import Page, sha256_bytes
from cardshop_auditor.browser import labels as L
from cardshop_auditor.browser.evidence import EvidenceWriter
from cardshop_auditor.browser.session import ShopSession, Snapshot

MAX_IMPORTANT_PAGES = 8
MAX_MODAL_OPENERS = 4

FOOTER_JS = r"""
() => {
  const visible = el => { const r = el.getBoundingClientRect(); return r.width > 1 && r.height > 1; };
  const cands = Array.from(document.querySelectorAll('footer, .footer, #footer, [class*=footer], [id*=footer], .copyright, #copyright, [class*=copyright], .beian, [class*=beian]')).filter(visible);
  let best = null;
  for (const el of cands) {
    if (!/ICP|备案|公网安备|版权|Copyright|©/i.test(el.innerText || '')) continue;
    if (!best || best.contains(el) === false && el.contains(best)) best = el;   // the outermost footer
  }
  if (!best) {
    // the smallest block whose text carries an ICP / 公安备案 number
    const blocks = Array.from(document.querySelectorAll('div, p, section, span, td')).filter(visible)
      .filter(el => /ICP[备证]|公网安备/.test(el.innerText || ''));
    blocks.sort((a, b) => (a.innerText || '').length - (b.innerText || '').length);
    best = blocks[0] ? (blocks[0].closest('div, section, footer') || blocks[0]) : null;
  }
  if (!best) return false;
  document.querySelectorAll('[data-cardshop-footer]').forEach(e => e.removeAttribute('data-cardshop-footer'));
  best.setAttribute('data-cardshop-footer', '1');
  best.scrollIntoView({block: 'end'});
  // the part of it inside the viewport (CSS pixels, relative to the viewport) and the scroll offset
  const r = best.getBoundingClientRect();
  const vw = document.documentElement.clientWidth || innerWidth, vh = document.documentElement.clientHeight || innerHeight;
  const x0 = Math.max(0, r.left), y0 = Math.max(0, r.top), x1 = Math.min(vw, r.right), y1 = Math.min(vh, r.bottom);
  const vv = window.visualViewport;
  return {text: (best.innerText || '').replace(/\s+/g, ' ').trim().slice(0, 300), height: r.height,
          clip: x1 - x0 >= 2 && y1 - y0 >= 2 ? {x: x0, y: y0, width: x1 - x0, height: y1 - y0} : null,
          scroll: [vv ? vv.pageLeft : scrollX, vv ? vv.pageTop : scrollY]};
}
"""

SECTION_JS = r"""
(pattern) => {
  const re = new RegExp(pattern);
  const visible = el => { const r = el.getBoundingClientRect(); const cs = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && cs.visibility !== 'hidden' && cs.display !== 'none'; };
  const heads = Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6,strong,b,dt,.title,[class*=title]'))
    .filter(el => visible(el) && re.test(el.innerText || '') && (el.innerText || '').length < 60);
  let el = heads.find(h => !/^H1$/.test(h.tagName)) || heads[0];
  if (!el) {
    const paras = Array.from(document.querySelectorAll('p, li, div')).filter(e => visible(e) && e.children.length < 3 && re.test(e.innerText || ''));
    el = paras[0];
  }
  if (!el) return false;
  el.scrollIntoView({block: 'start'});
  window.scrollBy(0, -20);
  return (el.innerText || '').replace(/\s+/g, ' ').trim().slice(0, 80);
}
"""

MODAL_JS = r"""
() => {
  const visible = el => { const r = el.getBoundingClientRect(); const cs = getComputedStyle(el);
    return r.width > 40 && r.height > 40 && cs.visibility !== 'hidden' && cs.display !== 'none' && parseFloat(cs.opacity) > 0.05; };
  const sel = '[role=dialog], dialog[open], .modal, .modal-dialog, .layui-layer, .el-dialog, .ant-modal, [class*=modal], [class*=dialog], [class*=popup], [class*=layer]';
  const found = Array.from(document.querySelectorAll(sel)).filter(visible)
    .filter(el => (el.innerText || '').trim().length > 20);
  if (!found.length) return false;
  found.sort((a, b) => (b.innerText || '').length - (a.innerText || '').length);
  document.querySelectorAll('[data-cardshop-modal]').forEach(e => e.removeAttribute('data-cardshop-modal'));
  found[0].setAttribute('data-cardshop-modal', '1');
  return (found[0].innerText || '').length;
}
"""


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
                       modal: bool = False) -> bool:
    """Screenshot the refund section of the agreement on the current page (or modal)."""
    try:
        heading = session.page.evaluate(SECTION_JS, L.REFUND_SECTION.pattern)
        if not heading:
            return False
        if modal and session.page.evaluate(MODAL_JS):
            from cardshop_auditor.browser.masking import element_screenshot
            data = element_screenshot(session.page, '[data-cardshop-modal="1"]', 5000)
        else:
            data = session.screenshot()
        where = "弹窗" if modal else "页面"
        return evidence.add("agreement", "agreement-refund", data,
                            f"《{label}》（{where}）中的退款条款：{heading}", url=session.page.url) is not None
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
             "dom_links": None, "dom_probe": None}
    start_final, status, start = render_start(session, start_url, keep=want_pages)
    facts["start_final_url"] = start_final
    facts["status"] = status
    if start is not None:
        pages.append(start)
    snap = session.snapshot()
    facts["password_form"] = snap.password_visible
    facts["login_link"] = any(c.label and L.LOGIN.match(c.label) for c in snap.controls)
    if want_pages:           # links only the rendered DOM has (goods lists built by script)
        from cardshop_auditor.browser.reach import collect_links, probe
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
            opened_modal = session.page.evaluate(MODAL_JS)
            grew = len(session.visible_text()) - before
            moved = session.page.url.split("#")[0] != start_final.split("#")[0]
            if opened_modal or grew > 200 or moved:
                if want_pages or opened_modal:
                    captured = page_from_browser(session, session.page.url, 200, depth=1,
                                                 link_text=control.label)
                    if all(p.sha256 != captured.sha256 for p in pages):
                        pages.append(captured)
                if not facts["agreement_seen"]:
                    facts["agreement_seen"] = agreement_evidence(
                        session, evidence, control.label, modal=bool(opened_modal) and not moved)
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


def same_host(a: str, b: str) -> bool:
    return urlsplit(a).netloc == urlsplit(b).netloc
