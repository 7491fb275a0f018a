"""Extraction: artifacts in, ``contracts.Findings`` out — the one place findings are built.

Each page is parsed once (``page.parse_page``); identifiers are aggregated by where they
were seen: the start page's footer first, then the start page, other pages' footers,
about/contact pages, anywhere.  The browser stage's observations (``meta.browser``: the
refund entry it clicked through to, its login) are merged here, over the static guesses.
Never raises: broken input gives the contract with nulls.
"""
from __future__ import annotations

import bisect
import re
from urllib.parse import urlsplit

from cardshop_auditor.artifacts import ShopArtifacts, iter_text_pages
from cardshop_auditor.contracts import (Agreement, BrowserObservations, Business, Clause, ContactDetails,
                                        Findings, IcpFiling, Licence, LicenceRef, Platform, PsbFiling,
                                        RefundEntry, SignalHit, Signals, Site, UaProbe)
from cardshop_auditor.extract.agreement import best_candidate, extract_agreement
from cardshop_auditor.extract.contacts import Contacts, extract_contacts, extract_link_contacts
from cardshop_auditor.extract.fingerprints import find_signals, platform_of, probe_signals
from cardshop_auditor.extract.graph import SiteGraph
from cardshop_auditor.extract.identifiers import (Match, find_company_names, find_icp, find_licences, find_psb,
                                         find_uscc)
from cardshop_auditor.extract.page import BOTTOM, FOOTER, HIDDEN, MODAL, PageDoc, is_app_shell, parse_page
from cardshop_auditor.extract.refund_entry import find_refund_entry, site_has_login

_ABOUT_URL = re.compile(r"about|contact|guanyu|lianxi|company|aboutus|qualification|zizhi|license|yingye|"
                        r"jianjie|intro|/us\b", re.I)
_ABOUT_TEXT = re.compile(r"关于我们|联系我们|公司简介|企业资质|资质证照|营业执照|公司信息|联系方式|经营者信息|主体信息|证照信息")
_LICENSE_LINK = re.compile(r"营业执照|电子执照|执照|资质|license|yyzz|zhizhao", re.I)
TELEGRAM_RE = re.compile(r"(?:t\.me/|telegram\.me/)([A-Za-z][A-Za-z0-9_]{4,31})|"
                         r"(?:telegram|TG|飞机|电报)[ ]{0,2}(?:号|账号|客服)?[ ]{0,2}[:：][ ]{0,3}@?([A-Za-z][A-Za-z0-9_]{4,31})", re.I)

KIND_PRIORITY = {"icp_license": 0, "b2": 1, "network_culture": 2}
NO_PAGE = "no page could be read"


def _empty_findings(artifacts: ShopArtifacts | None) -> Findings:
    return Findings(icp=None, icp_license=None, psb_filing=None, business=None, agreement=None,
                    refund_entry=RefundEntry.not_evaluated(NO_PAGE, method="static", requires_login=False),
                    contacts=ContactDetails(), signals=Signals(), site=_site(artifacts, None, [], False))


def _site(artifacts, start: PageDoc | None, docs: list[PageDoc], login: bool) -> Site:
    meta = getattr(artifacts, "meta", None)
    pages = list(getattr(artifacts, "pages", None) or [])
    start_url = getattr(meta, "target", None)
    final_url = getattr(meta, "final_url", None)
    if not final_url and start is not None:
        final_url = start.url
    final_url = final_url or start_url
    parts = urlsplit(final_url or "")
    fetched = sum(1 for p in pages if p.error is None and 200 <= (p.status or 0) < 400)
    errors = list(getattr(meta, "errors", None) or [])
    return Site(start_url=start_url, final_url=final_url, https=parts.scheme == "https", host=parts.hostname,
                pages_fetched=fetched, pages_failed=len(pages) - fetched, login_required=login,
                needs_browser=bool(start is not None and is_app_shell(start)), gather_errors=errors)


def extract_findings(artifacts: ShopArtifacts) -> dict:
    """The ``findings`` object of report.json (``contracts.Findings``, as JSON)."""
    return build_findings(artifacts).to_json()


def build_findings(artifacts: ShopArtifacts) -> Findings:
    """Static extraction merged with the browser stage's observations."""
    try:
        findings = _extract(artifacts)
    except Exception as exc:  # noqa: BLE001 - extraction must never sink an audit
        findings = _empty_findings(artifacts)
        findings.site.gather_errors.append(f"extractor error: {type(exc).__name__}: {exc}")
    _merge_browser(findings, getattr(getattr(artifacts, "meta", None), "browser", None))
    return findings


def _merge_browser(findings: Findings, recorded: dict | None) -> None:
    """What the browser saw directly (the refund entry it clicked through to, its login)
    takes precedence over what the pages suggest."""
    if not isinstance(recorded, dict) or not recorded:
        return
    seen = BrowserObservations.from_json(recorded)
    if seen.refund_entry is not None:
        findings.refund_entry = seen.refund_entry
    if recorded.get("login"):
        findings.site.login = seen.login


def _extract(artifacts: ShopArtifacts) -> Findings:
    pages = list(iter_text_pages(getattr(artifacts, "pages", None) or []))
    if not pages:
        return _empty_findings(artifacts)
    try:
        start_page = artifacts.start_page
    except Exception:  # noqa: BLE001
        start_page = None
    docs: list[PageDoc] = []
    start: PageDoc | None = None
    for p in pages:
        d = parse_page(p)
        docs.append(d)
        if p is start_page:
            start = d
    if start is None:
        start = min(docs, key=lambda d: d.depth)
    # the start page first, then by depth (stable): priorities below rely on this order
    docs.sort(key=lambda d: (d is not start, d.depth))
    graph = SiteGraph(docs, start)

    # each extractor on its own: a bug in one must not blank the others
    empty = _empty_findings(artifacts)
    errors: list[str] = []

    def safe(name: str, fn, default):
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001
            errors.append(f"extractor error ({name}): {type(exc).__name__}: {exc}")
            return default

    ids = safe("identifiers", lambda: _identifiers(docs, start),
               {"findings": {k: None for k in ("icp", "icp_license", "psb_filing", "business")}, "spans": {}})
    # pages robots.txt kept the crawl from (a login page among them: the account area was not searched)
    denied = [p.url for p in getattr(artifacts, "pages", None) or [] if (p.error or "").startswith("robots_denied")]
    raw_signals = safe("signals", lambda: find_signals(docs), {})
    findings = Findings(
        **ids["findings"],
        agreement=safe("agreement", lambda: _agreement(docs, graph), None),
        refund_entry=safe("refund_entry", lambda: find_refund_entry(docs, graph, denied), empty.refund_entry),
        contacts=safe("contacts", lambda: _contacts(docs, start, ids["spans"]), empty.contacts),
        signals=Signals(**{kind: [SignalHit.from_json(hit) for hit in hits] for kind, hits in raw_signals.items()}),
        site=safe("site", lambda: _site(artifacts, start, docs, site_has_login(docs)), empty.site))
    # the open-source system the shop runs on: a neutral fact, shown in the report
    findings.site.platform = Platform.from_json(platform_of(raw_signals))
    # the start page as QQ / WeChat in-app browsers saw it (防红 probe)
    probes = list(getattr(getattr(artifacts, "meta", None), "ua_probes", None) or [])
    probe_hits, probe_rows = safe("ua_probe", lambda: probe_signals(probes, start), ([], []))
    findings.signals.anti_blocking += [SignalHit.from_json(hit) for hit in probe_hits]
    findings.site.ua_probe = [UaProbe.from_json(row) for row in probe_rows]
    findings.site.gather_errors += errors
    return findings


# ---- identifiers -------------------------------------------------------------------------

class _Located:
    __slots__ = ("match", "doc", "prio", "in_footer", "hidden", "order")

    def __init__(self, match: Match, doc: PageDoc, prio: int, in_footer: bool, hidden: bool, order: int):
        self.match, self.doc, self.prio, self.in_footer, self.hidden, self.order = \
            match, doc, prio, in_footer, hidden, order


def _block_starts(doc: PageDoc) -> list[int]:
    starts, pos = [], 0
    for b in doc.blocks:
        starts.append(pos)
        pos += len(b.text) + 1
    return starts


def _is_about(doc: PageDoc) -> bool:
    if _ABOUT_URL.search(urlsplit(doc.url or "").path or ""):
        return True
    head = " ".join(doc.headings[:2]) + " " + (doc.title or "")
    return bool(_ABOUT_TEXT.search(head))


def _identifiers(docs: list[PageDoc], start: PageDoc) -> dict:
    found: dict[str, list[_Located]] = {"icp": [], "lic": [], "psb": [], "uscc": [], "name": []}
    spans: dict[int, list[tuple[int, int]]] = {}
    order = 0
    for doc in docs:
        text = doc.text
        if not text:
            continue
        norm = doc.norm
        anchors = doc.anchors
        starts: list[int] = []              # block offsets, computed on the first match
        about = _is_about(doc)
        is_start = doc is start
        doc_spans = spans.setdefault(id(doc), [])

        def locate(m: Match, doc=doc, starts=starts, about=about, is_start=is_start) -> tuple[int, bool, bool]:
            if not starts:
                starts.extend(_block_starts(doc))
            i = max(0, bisect.bisect_right(starts, m.start) - 1)
            fl = doc.blocks[i].flags if doc.blocks else 0
            footer = bool(fl & (FOOTER | BOTTOM)) and not fl & MODAL
            if is_start:
                prio = 0 if footer else 1
            elif footer:
                prio = 2
            elif about:
                prio = 3
            else:
                prio = 4
            return prio, footer, bool(fl & HIDDEN)

        for key, finder in (("icp", find_icp), ("lic", find_licences), ("psb", find_psb),
                            ("uscc", find_uscc), ("name", find_company_names)):
            for m in finder(text, norm, anchors):
                prio, footer, hidden = locate(m)
                if key == "name" and about and prio > 3:
                    prio = 3
                if key in ("uscc", "name") and about and not is_start:
                    prio = min(prio, 2)      # the about / 资质 page is where identity lives
                found[key].append(_Located(m, doc, prio, footer and is_start, hidden, order))
                order += 1
                if key != "name":
                    doc_spans.append((m.start, m.end))

    f: dict = {}
    # ICP 备案号
    icps = sorted(found["icp"], key=lambda x: (x.prio, not x.match.extra["valid_format"], x.order))
    if icps:
        best = icps[0]
        m = best.match
        in_footer = any(x.in_footer and x.match.number == m.number for x in icps)
        linked = any(l.url and "beian.miit.gov.cn" in l.url for l in best.doc.links) or \
            any("miit.gov.cn" in (l.href or "") for d in docs[:1] for l in d.links)
        f["icp"] = IcpFiling(number=m.number, valid_format=m.extra["valid_format"],
                             placeholder=m.extra["placeholder"], source_url=best.doc.url,
                             in_footer=in_footer, raw=m.raw, hidden=best.hidden, linked_to_miit=bool(linked),
                             others=_unique(x.match.number for x in icps[1:] if x.match.number != m.number)[:5])
    else:
        f["icp"] = None
    # licences: ICP证 > B2 > 网络文化经营许可证
    lics = sorted(found["lic"], key=lambda x: (KIND_PRIORITY.get(x.match.extra["kind"], 9), x.prio, x.order))
    if lics:
        m = lics[0].match
        f["icp_license"] = Licence(number=m.number, kind=m.extra["kind"], source_url=lics[0].doc.url, raw=m.raw,
                                   others=[LicenceRef(number=x.match.number, kind=x.match.extra["kind"])
                                           for x in _unique_by(lics[1:], lambda x: x.match.number)
                                           if x.match.number != m.number][:5])
    else:
        f["icp_license"] = None
    # 公安备案
    psbs = sorted(found["psb"], key=lambda x: (x.prio, x.match.extra["province"] is None, x.order))
    if psbs:
        best = psbs[0]
        m = best.match
        e = m.extra
        f["psb_filing"] = PsbFiling(number=m.number, region_code=e["region_code"], consistent=e["consistent"],
                                    source_url=best.doc.url,
                                    in_footer=any(x.in_footer and x.match.number == m.number for x in psbs),
                                    raw=m.raw, province=e["province"], valid_format=e["valid_format"],
                                    placeholder=e["placeholder"])
    else:
        f["psb_filing"] = None
    # business identity
    usccs = sorted(found["uscc"], key=lambda x: (x.prio, not x.match.extra["labelled"], x.order))
    names = sorted(found["name"], key=lambda x: (x.match.extra["label"] != "strong", x.prio, x.order))
    if usccs or names:
        u = usccs[0] if usccs else None
        n = names[0] if names else None
        license_link = None
        for d in docs:
            for l in d.links:
                if l.url and l.text and _LICENSE_LINK.search(l.text + " " + (l.url or "")):
                    license_link = l.url
                    break
            if license_link:
                break
        f["business"] = Business(
            uscc=u.match.number if u else None,
            uscc_valid=u.match.extra["valid"] if u else None,
            company_name=n.match.number if n else None,
            source_url=u.doc.url if u else n.doc.url,
            name_source_url=n.doc.url if n else None,
            license_link=license_link,
        )
    else:
        f["business"] = None
    return {"findings": f, "spans": spans}


def _unique(items) -> list:
    return list(dict.fromkeys(items))


def _unique_by(items, key) -> list:
    seen, out = set(), []
    for it in items:
        k = key(it)
        if k not in seen:
            seen.add(k)
            out.append(it)
    return out


# ---- agreement -------------------------------------------------------------------------------

def _agreement(docs: list[PageDoc], graph: SiteGraph) -> Agreement | None:
    res = extract_agreement(docs, graph)
    # a help / FAQ page (rank 1) is the agreement only when it holds rules; a page titled or
    # linked as 协议 / 条款 / 规则 / 须知 / 政策 / 说明 (rank >= 2) is one by its name
    cands = [c for c in res.candidates if c.rank >= 2 or (c.rank == 1 and c.clauses > 0)]
    best = best_candidate(cands or [c for c in res.candidates if c.rank != 1])
    if best is None and not res.clauses:
        return None
    clauses = [Clause.from_json(c) for c in res.clauses]
    if best is None:
        # terms only scattered over ordinary pages (notices, goods descriptions): no document
        return Agreement.scattered(res.pages, clauses)
    reachable = False
    if best.doc is not None:
        reachable = graph.linked_from_start(best.doc)
    elif graph.start is not None:
        reachable = any(l.url == best.url for l in graph.start.links)
    pages = list(res.pages)
    if best.url and best.doc is not None and best.url not in pages and best.clauses:
        pages.insert(0, best.url)
    return Agreement(url=best.url, title=best.title, reachable_from_home=reachable, pages=pages,
                     clauses=clauses, source=best.source, fetched=best.doc is not None,
                     depth=graph.clicks_to(best.doc) if best.doc is not None else None)


# ---- contacts ----------------------------------------------------------------------------------

def _contacts(docs: list[PageDoc], start: PageDoc, spans: dict) -> ContactDetails:
    c = Contacts()
    telegram: list[str] = []
    ordered = [start] + [d for d in docs if d is not start and _is_about(d)] + \
              [d for d in docs if d is not start and not _is_about(d)]
    for doc in ordered:
        text = doc.text
        extract_contacts(text, c, doc.url, spans.get(id(doc), []), norm=doc.norm, anchors=doc.anchors)
        extract_link_contacts(doc.special_hrefs, c, doc.url)
        for m in (TELEGRAM_RE.finditer(text) if doc.anchors["tg"] else ()):
            h = m.group(1) or m.group(2)
            if h and h not in telegram:
                telegram.append(h)
        for href in doc.special_hrefs:
            mm = TELEGRAM_RE.search(href)
            if mm and (mm.group(1) or mm.group(2)) not in telegram:
                telegram.append(mm.group(1) or mm.group(2))
    return ContactDetails(phones=c.phones[:20], emails=c.emails[:20], qq=c.qq[:20], wechat=c.wechat[:20],
                          address=c.address, qq_groups=c.qq_groups[:20], telegram=telegram[:10],
                          sources=dict(list(c.sources.items())[:100]))
