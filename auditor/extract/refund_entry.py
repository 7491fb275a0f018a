"""Static refund-entry search: a control a visitor can click without logging in
(申请退款, 售后申请, 工单, 投诉 ...) that leads to an after-sales form or page.

``steps`` are the link texts clicked from the start page along the shortest path in the
crawl's link graph, then the overflow toggle (更多) when the control sits in such a menu,
then the control itself; ``clicks`` = one per step, the control's own click included
(首页 → 订单查询 → 申请售后: steps ["订单查询", "申请售后"], 2 clicks).
"""
from __future__ import annotations

import re

from cardshop_auditor.contracts import RefundEntry
from cardshop_auditor.extract.graph import SiteGraph
from cardshop_auditor.extract.page import FORM, PageDoc

ENTRY_RE = re.compile(
    r"^(?:我要|点击|立即|马上|在线|快速|一键)?(?:申请退款|申请退订|退款申请|退订申请|售后申请|申请售后|售后服务|售后支持|申请退货|"
    r"退货申请|退换货申请|申请退换货?|退款|退订|退货|售后|工单|提交工单|我的工单|新建工单|创建工单|发起工单|工单中心|工单系统|"
    r"投诉|投诉订单|订单投诉|投诉商家|投诉建议|申诉|发起申诉|维权|申请维权|客服工单|售后工单|退款/售后|售后/退款|退款售后|"
    r"申请取消|取消订单并退款)(?:中心|入口|服务|通道)?(?:\s*[>›»→]+)?$")
# the general shape: an after-sales word (退款, 售后, 补发, 问题订单 ...) with the words of an
# application around it in any order ("自助售后", "售后自助申请", "退款/售后入口", "在线退款通道")
_ENTRY_CORE = r"(?:退款|退订|退货|退换货?|售后|补发|换卡|工单|投诉|申诉|维权|问题订单|订单问题|异常订单|订单异常)"
_ENTRY_MOD = (r"(?:我要|点击|立即|马上|在线|快速|一键|自助|申请|提交|发起|新建|创建|办理|处理|入口|通道|中心|服务|支持|系统|"
              r"平台|窗口|反馈|登记)")
GENERAL_ENTRY_RE = re.compile(rf"^{_ENTRY_MOD}*{_ENTRY_CORE}(?:[/、&|和与及或]?{_ENTRY_CORE})*{_ENTRY_MOD}*(?:\s*[>›»→]+)?$")
# a bare "在线申请" / "立即申请" counts on a page about after-sales or refunds
GENERIC_APPLY_RE = re.compile(r"^(?:在线|立即|马上|点击|我要|去|前往|点此)?(?:提交)?申请(?:入口)?(?:\s*[>›»→]+)?$")
AFTERSALES_PAGE_RE = re.compile(r"售后|退款|退订|退货|补发|工单")
# the destination names an application ("售后申请", "退款申请", "申请补发", "提交工单")
APPLY_PAGE_RE = re.compile(r"(?:售后|退款|退订|退货|退换货|补发|维权|投诉|申诉)(?:申请|服务申请|登记|提交)|"
                           r"申请(?:售后|退款|退订|退货|退换货?|补发|维权)|(?:提交|新建|创建|发起)工单|问题订单(?:处理|提交|反馈)")
_ASIDE = re.compile(r"[(（【\[][^)）】\]]{0,12}[)）】\]]")
_SPACES = re.compile(r"\s+")


def _entry_text(text: str) -> str:
    """The link text without bracketed asides and spaces ("售后申请（退款 / 补发）" -> "售后申请")."""
    return _SPACES.sub("", _ASIDE.sub("", text))


def is_entry_text(text: str) -> bool:
    t = _entry_text(text)
    if not t or NOT_ENTRY_RE.search(t):
        return False
    return bool(ENTRY_RE.match(t) or GENERAL_ENTRY_RE.match(t))


_TITLE_SPLIT = re.compile(r"\s*[-_|–—·•]\s*")
APPLY_TITLE_RE = re.compile(rf"(?:在线|自助|我要)?(?:{APPLY_PAGE_RE.pattern})(?:表|单|页|中心|入口)?")


def _apply_page(doc: PageDoc) -> bool:
    """A page whose title or main heading *is* an after-sales / refund application
    ("售后申请", "退款申请 - 某某卡盟"); "如何申请售后" (a how-to section) is not."""
    heads = [seg for seg in _TITLE_SPLIT.split(doc.title or "") if seg] + list(doc.headings[:1])
    return any(h and len(h) <= 20 and APPLY_TITLE_RE.fullmatch(_entry_text(h)) for h in heads)


def _real_form(f) -> bool:
    """A form to fill in (not a one-box search / query form, not a login)."""
    return not f.has_password and (f.has_textarea or f.has_file or (f.method or "").lower() == "post"
                                   or len(f.fields) >= 2)


def _aftersales_page(doc: PageDoc) -> bool:
    heads = " ".join([doc.title or ""] + list(doc.headings[:3]))
    return bool(AFTERSALES_PAGE_RE.search(heads))


STRONG_ENTRY_RE = re.compile(r"申请退款|退款申请|申请退订|退订申请|申请售后|售后申请|申请退货|退货申请|提交工单|新建工单|创建工单|"
                             r"发起工单|我要退款|我要投诉|发起申诉|投诉订单|申请维权|退换货申请|自助售后|售后自助|申请补发|补发申请|"
                             r"(?:退款|售后)(?:入口|通道)|(?:自助|在线)(?:退款|售后)")
# what a policy / help link says ("退款说明", "售后政策", "常见问题"); "问题订单" is an entry
NOT_ENTRY_RE = re.compile(r"政策|说明|规则|须知|流程|协议|条款|指南|记录|问题(?!订单)|帮助|规定")
# field labels of an application form (two distinct ones make an after-sales page)
APPLY_CONTENT_RE = re.compile(r"退款原因|申请原因|售后类型|问题描述|工单类型|工单标题|退款金额|问题类型|上传凭证|购买凭证|"
                              r"退订原因|投诉内容|投诉类型|申诉理由|描述问题|售前咨询|售后支持|相关订单|联系方式|优先级")
FORM_HINT_RE = re.compile(r"退|售后|工单|投诉|申诉|原因|问题|描述|凭证|reason|refund|ticket|complain", re.I)
LOGIN_TEXT_RE = re.compile(r"^(?:登录|登陆|请登录|立即登录|去登录|马上登录|登录\s*[/|]\s*注册|登录注册|用户登录|会员登录|注册|免费注册|"
                           r"立即注册|个人中心|会员中心|用户中心|我的账户|我的账号|账户中心|"
                           r"我的订单|控制台|sign in|log ?in|my account)$", re.I)
LOGIN_URL_RE = re.compile(r"/(?:login|signin|sign-in|sign_in|passport|auth/login|user/login|member/login|account/login)\b", re.I)

LOGIN_REASON = "refund entry is behind a login; give --username/--password to search it"
# Why the login wall could not even be looked at (auditor/reasons.py words them for people).
ROBOTS_LOGIN_REASON = ("the login page {url} is disallowed by robots.txt; use --ignore-robots or "
                       "--storage-state to search behind it")
CLOSED_REASON = ("registration is closed on this site and no account was given; use "
                 "--username/--password or --storage-state")
REGISTRATION_CLOSED_RE = re.compile(r"(?:注册|开放注册)(?:功能)?(?:已|暂时|暂)?(?:关闭|停止|暂停|未开放)|"
                                    r"(?:关闭|停止|暂停|暂不开放|不开放|未开放)(?:新用户|会员|用户)?注册")


def _is_login_page(doc: PageDoc) -> bool:
    if doc.has_login_form and not any(f.has_textarea for f in doc.forms):
        return True
    return bool(LOGIN_URL_RE.search(doc.url or ""))


def _target_ok(target: PageDoc) -> bool:
    """An after-sales destination: a (non-login) form about the problem, or application text."""
    if _is_login_page(target):
        return False
    if _apply_page(target) and any(_real_form(f) for f in target.forms):
        return True                 # titled 售后申请 / 退款申请, with a form
    for f in target.forms:
        if f.has_password:
            continue
        blob = " ".join(f.fields + f.buttons) + " " + f.text[:500]
        if f.has_textarea or f.has_file or FORM_HINT_RE.search(blob):
            return True
    # application-form labels inside a form region (prose describing the steps does not count)
    form_text = " ".join(b.text for b in target.blocks if b.flags & FORM)[:20000]
    return len(set(APPLY_CONTENT_RE.findall(form_text))) >= 2


def site_has_login(docs: list[PageDoc]) -> bool:
    for d in docs:
        if d.has_login_form or LOGIN_URL_RE.search(d.url or ""):
            return True
        if login_links(d):
            return True
    return False


def login_links(doc: PageDoc) -> list[str]:
    """URLs of the page's links to a login / account area (by label or by path)."""
    return [link.url for link in doc.links
            if link.url and ((link.text and LOGIN_TEXT_RE.match(link.text)) or LOGIN_URL_RE.search(link.url))]


def _login_wall_reason(docs: list[PageDoc], robots_denied: set[str]) -> str:
    """Why the account area was not searched: robots.txt kept us off its login page, the
    site closed registration, or simply no credentials were given."""
    denied = next((url for d in docs for url in login_links(d) if url.split("#")[0] in robots_denied), None)
    if denied:
        return ROBOTS_LOGIN_REASON.format(url=denied)
    if any(REGISTRATION_CLOSED_RE.search(d.text[:20000]) for d in docs if getattr(d, "text", None)):
        return CLOSED_REASON
    return LOGIN_REASON


def find_refund_entry(docs: list[PageDoc], graph: SiteGraph, robots_denied=()) -> RefundEntry:
    """``robots_denied``: URLs the crawl was not allowed to fetch (their pages are missing)."""
    best = None        # (key, result); key orders candidates the same way on every crawl
    login_gated: list[str] = []
    for doc in docs:
        if _is_login_page(doc):
            continue
        base = graph.clicks_to(doc)
        if base is None:
            continue
        on_aftersales = None
        for link in doc.links:
            text = (link.text or "").strip()
            if not text or len(text) > 24:
                continue
            target = graph.lookup(link.url) if link.url else None
            if not is_entry_text(text):
                # a generic label ("在线申请" on an after-sales help page, or any label leading to
                # a page titled 售后申请 / 退款申请 with a form) is an entry by where it goes
                if target is None or target is doc or NOT_ENTRY_RE.search(_entry_text(text)):
                    continue
                if GENERIC_APPLY_RE.match(_entry_text(text)):
                    if on_aftersales is None:
                        on_aftersales = _aftersales_page(doc)
                    if not (on_aftersales or _apply_page(target)):
                        continue
                elif not _apply_page(target):
                    continue
            verified = None
            if target is not None:
                if _is_login_page(target):
                    login_gated.append(text)
                    continue
                if target is doc and link.kind == "a":
                    continue        # a link to itself (active tab)
                if not _target_ok(target):
                    continue
                verified = True
            else:
                if not STRONG_ENTRY_RE.search(text):
                    continue        # a bare "售后"/"投诉" link we could not follow proves little
                verified = False
            steps = graph.path_to(doc)
            if link.overflow:
                steps = steps + [link.overflow]
            steps = steps + [text]
            clicks = len(steps)
            # Shortest first; among equals the most explicit label, then path and URL, so the
            # choice never depends on the order pages happened to arrive in (a re-scan of an
            # unchanged shop must find the same entry, or the diff reports noise).
            strength = 0 if STRONG_ENTRY_RE.search(text) else 1 if is_entry_text(text) else 2
            key = (clicks, link.overflow is not None, link.hidden, strength, steps, link.url or doc.url)
            if best is None or key < best[0]:
                url = link.url or doc.url
                best = (key, RefundEntry.located(steps, url, method="static", page_url=doc.url,
                                                 requires_login=False,
                                                 in_overflow_menu=link.overflow is not None,
                                                 verified=verified))
    if best is not None:
        return best[1]
    has_login = site_has_login(docs) or bool(login_gated)
    if has_login:
        return RefundEntry.not_evaluated(_login_wall_reason(docs, {u.split("#")[0] for u in robots_denied}),
                                         method="static", requires_login=True)
    return RefundEntry.not_found("no refund or after-sales control on any fetched page, and no account area",
                                 method="static", requires_login=False)
