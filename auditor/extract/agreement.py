"""The agreement / refund policy: which page holds it, where it is embedded, its clauses.

A page is a *policy page* when its title, main heading, or the text of a link pointing to
it names a policy (用户协议, 服务条款, 退款政策, 售后服务, 购买须知, 常见问题, 《…协议》 ...).
Agreements are also *embedded*: a modal titled 购买须知/购买提示, a register page with a
《用户注册协议》 section, a help-centre article section, a 购买须知 section inside a notice or
a modal titled 公告 (its heading an <h5>, a bold-only paragraph or a card header), or a
notice / modal with no such heading whose prose is mostly rules (the 公告 is the terms).  Clause sentences come from policy
pages and embedded blocks (all of their prose), notices and modals, and, on any other page,
only sentences about refunds / after-sales (退款, 退货, 退换, 退订, 售后, 解释权).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from cardshop_auditor.extract.clause_vocab import CONSENT_RE
from cardshop_auditor.extract.clauses import HINT_RE, REFUNDISH_RE, STRONG_COMPLAINT_RE, classify, split_sentences
from cardshop_auditor.extract.graph import SiteGraph
from cardshop_auditor.extract.page import FOOTER, FORM, HEADING, LINKONLY, MODAL, NAV, NOTICE, ROW, TITLE, Block, PageDoc
from cardshop_auditor.extract.text import simplified

# policy names by rank (higher = more of "the" agreement)
_RANKS = (
    (4, r"用户(?:服务)?协议|服务协议|服务条款|注册协议|购买协议|使用协议|会员协议|平台协议|交易协议|使用条款|用户条款|服务条例|"
        r"terms of (?:service|use)|user agreement|\btos\b"),
    (3, r"退款(?:政策|说明|规则|须知|条款|协议|流程)|退换(?:货|规则|政策|说明|须知)|退货(?:政策|说明|规则|须知)|退订(?:规则|说明|政策)|"
        r"售后(?:政策|服务|说明|规则|须知|条款|保障)|refund policy|return policy"),
    (2, r"购买须知|用户须知|交易规则|平台规则|购物须知|购买说明|购买提示|服务规则|交易须知|注意事项|发货说明|下单须知|"
        r"充值须知|使用须知|商品须知|购买协议|购卡须知|[\u4e00-\u9fff]{1,4}须知(?:及|和|与|$)"),
    (1, r"免责声明|常见问题|帮助中心|使用帮助|新手指南|问题解答|\bfaq\b|帮助文档|使用说明"),
    (0, r"隐私(?:政策|协议|条款|声明)|privacy"),
)
_RANK_RES = [(r, re.compile(p, re.I)) for r, p in _RANKS]
POLICY_RE = re.compile("|".join(f"(?:{p})" for _, p in _RANKS), re.I)
BOOK_TITLE_RE = re.compile(r"《([^》]{2,24}?(?:协议|条款|须知|规则|政策|声明|说明))》")
# a dialog the buyer must accept before ordering ("下单即视为同意本须知", "我已阅读，继续下单"):
# whatever its title (温馨提示), it is the purchase terms once it states a refund term
ACCEPT_RE = re.compile(CONSENT_RE.pattern + r"|我已(?:阅读|知晓|了解|同意)|已阅读并同意|同意(?:本|以上|上述)(?:须知|条款|协议|规则|说明)")
_URL_HINT = re.compile(r"agreement|terms|\btos\b|refund|xieyi|policy|polic|rules?\b|faq|/help|guize|shouhou|tuikuan|"
                       r"xuzhi|notice|article|/page/|/doc", re.I)
_TITLE_SPLIT = re.compile(r"\s*[-_|–—·•]\s*|\s{2,}")

# on an ordinary page (order query, login, goods) only a sentence that states a rule counts:
# a condition, a permission or refusal, a deadline ("未使用的卡密可申请退款", "一经售出概不退换")
RULE_RE = re.compile(r"可|不|须|需|应|将|视为|概|均|一律|予以|予|仅|只|必须|如|若|凡|一经|一旦|否则|逾期|以内|之内|内[，,。；]|"
                     r"工作日|小时内|扣除|手续费|原路|解释权")
MAX_SENTENCES_PER_PAGE = 1500
# kinds describing procedure: on ordinary pages they are descriptions, not terms
PROCEDURAL_KINDS = frozenset(("complaint_channel", "evidence_required", "supplement_deadline", "agreement_change"))
MAX_CLAUSES = 400


_RANK_MEMO: dict[str, int | None] = {}


def policy_rank(text: str | None) -> int | None:
    """The rank of the policy named in ``text`` (None: not a policy name)."""
    if not text:
        return None
    hit = _RANK_MEMO.get(text, -1)
    if hit != -1:
        return hit
    if len(_RANK_MEMO) > 20000:
        _RANK_MEMO.clear()
    _RANK_MEMO[text] = r = _policy_rank(text)
    return r


def _policy_rank(text: str) -> int | None:
    if len(text) > 80:
        text = text[:80]
    text = simplified(text)             # "退換貨政策", "服務條款": traditional titles too
    best = None
    for rank, rx in _RANK_RES:
        if rx.search(text):
            best = rank if best is None else max(best, rank)
    m = BOOK_TITLE_RE.search(text)
    if m and best is None:
        best = 2
    return best


@dataclass
class Candidate:
    url: str | None
    title: str | None
    rank: int
    source: str                 # page | embedded | link
    doc: PageDoc | None = None
    clauses: int = 0
    depth: int = 99


@dataclass
class AgreementResult:
    candidates: list[Candidate] = field(default_factory=list)
    clauses: list[dict] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)


def _title_for(doc: PageDoc, inbound_texts: list[str]) -> tuple[str | None, int | None]:
    """The policy title of a page and its rank, from its heading, <title>, inbound links."""
    best: tuple[str | None, int | None] = (None, None)
    options = list(doc.headings[:1])          # later headings are sections (embedded agreements)
    options += [seg for seg in _TITLE_SPLIT.split(doc.title) if seg] if doc.title else []
    options += inbound_texts
    if doc.link_text:
        options.append(doc.link_text)
    for text in options:
        text = text.strip()
        if not text or len(text) > 60:
            continue
        r = policy_rank(text)
        if r is None:
            continue
        m = BOOK_TITLE_RE.search(text)
        title = m.group(1) if m else text.strip("《》【】[] ：:")
        if best[1] is None or r > best[1]:
            best = (title, r)
    return best


# a page is read as a policy from its content when at least this many of its prose
# sentences, and this share of them, are clauses of at least this many kinds
CONTENT_MIN_CLAUSES = 4
CONTENT_MIN_SHARE = 0.4
CONTENT_MIN_KINDS = 3
CONTENT_MAX_SENTENCES = 300


def _plain_title(doc: PageDoc) -> str | None:
    # a notice card titled 公告 whose body is headed 购买须知: the terms' own name is the title
    named = next((h for h in doc.headings[:8] if len(h) <= MAX_SECTION_TITLE and policy_rank(h) is not None), None)
    if named:
        return named.strip("《》【】 ：:")
    if doc.headings:
        return doc.headings[0]
    if doc.title:
        return _TITLE_SPLIT.split(doc.title)[0] or doc.title
    return None


def _mostly_clauses(doc: PageDoc) -> bool:
    """Is the main prose of ``doc`` (not menus, footers, pop-ups, headings) mostly clauses?"""
    return _prose_is_rules(b for b in doc.blocks if not b.flags & (NAV | FOOTER | MODAL | LINKONLY))


def _prose_is_rules(blocks) -> bool:
    """Are these blocks' prose sentences (headings left out) mostly clauses of several kinds?"""
    sentences: list[str] = []
    for b in blocks:
        if _is_heading(b):
            continue
        sentences.extend(split_sentences(b.text, keep_whole=bool(b.flags & ROW)))
        if len(sentences) >= CONTENT_MAX_SENTENCES:
            break
    if len(sentences) < CONTENT_MIN_CLAUSES:
        return False
    hits = 0
    kinds: set[str] = set()
    for sentence in sentences:
        got = classify(sentence)
        if got:
            hits += 1
            kinds.update(k for k, _ in got)
    return (hits >= CONTENT_MIN_CLAUSES and hits >= CONTENT_MIN_SHARE * len(sentences)
            and len(kinds) >= CONTENT_MIN_KINDS)


def _rule_boxes(doc: PageDoc, taken: set[int]) -> list[tuple[str, list[int]]]:
    """(title, block indexes) of notice boxes and modals with no policy heading whose prose is
    mostly rules: a 公告 that *is* the purchase terms (dujiaoka, acg-faka operators write them
    there without a 购买须知 title)."""
    boxes: dict[tuple, list[int]] = {}
    run = 0
    for i, b in enumerate(doc.blocks):
        if b.modal >= 0:
            key = ("modal", b.modal)
        elif b.flags & NOTICE and not b.flags & (NAV | FOOTER):
            if i == 0 or not doc.blocks[i - 1].flags & NOTICE or doc.blocks[i - 1].modal >= 0:
                run += 1
            key = ("notice", run)
        else:
            continue
        boxes.setdefault(key, []).append(i)
    out = []
    for key, idx in boxes.items():
        if taken.intersection(idx) or not _prose_is_rules(doc.blocks[i] for i in idx if not doc.blocks[i].flags & LINKONLY):
            continue
        first = doc.blocks[idx[0]].text
        title = doc.modals[key[1]].title if key[0] == "modal" else (first if _is_heading(doc.blocks[idx[0]]) else "")
        title = title.strip("《》【】 ：:") if title and len(title) <= MAX_SECTION_TITLE else ""
        out.append((title or "公告", idx))
    return out


# a heading by tag (h1-h6) or by role (bold-only paragraph, card / modal header); a table's
# header row is not a section heading
_HEADS = HEADING | TITLE
# a section stays inside the box its heading sits in (a notice, a modal)
_BOXES = MODAL | NOTICE
MAX_SECTION_TITLE = 40
MIN_SECTION_CHARS = 40
# a section headed only by bold text or a card header must hold this many clause sentences:
# a bold 注意事项 over a product description is not purchase terms
MIN_ROLE_SECTION_CLAUSES = 2


def _is_heading(b: Block) -> bool:
    return bool(b.flags & _HEADS) and not b.flags & ROW


def _embedded_sections(doc: PageDoc) -> list[tuple[str, int, list[int]]]:
    """(title, rank, block indexes) of policy sections embedded in a page: headed by a policy
    heading (《用户注册协议》, 购买须知, ...), running to the next heading or to the end of the
    notice / modal the heading sits in.  Headings inside a modal count too: operators put
    购买须知 in a modal titled 公告."""
    out = []
    blocks = doc.blocks
    i = 0
    n = len(blocks)
    while i < n:
        b = blocks[i]
        r = None
        if _is_heading(b) and not b.flags & (NAV | FOOTER) and len(b.text) <= MAX_SECTION_TITLE:
            r = policy_rank(b.text)
        if r is None:
            i += 1
            continue
        by_role = not b.flags & HEADING
        box = b.flags & _BOXES
        idx = []
        chars = 0
        j = i + 1
        while j < n:
            nb = blocks[j]
            if _is_heading(nb) or box & ~nb.flags or (b.modal >= 0 and nb.modal != b.modal):
                break
            if by_role and nb.flags & (ROW | FORM | LINKONLY):
                break                           # a goods table, an order form, a link list
            if not nb.flags & (NAV | FOOTER) and (box & MODAL or not nb.flags & MODAL):
                idx.append(j)
                chars += len(nb.text)
            j += 1
        if chars >= MIN_SECTION_CHARS and (not by_role or _clause_sentences(blocks, idx) >= MIN_ROLE_SECTION_CLAUSES):
            m = BOOK_TITLE_RE.search(b.text)
            out.append((m.group(1) if m else b.text.strip("《》【】 ：:"), r, [i] + idx))
        i = j
    return out


def _states_a_term(text: str) -> bool:
    return any(classify(sentence) for sentence in split_sentences(text))


def _clause_sentences(blocks: list[Block], idx: list[int], enough: int = MIN_ROLE_SECTION_CLAUSES) -> int:
    hits = 0
    for j in idx:
        for sentence in split_sentences(blocks[j].text):
            if classify(sentence):
                hits += 1
                if hits >= enough:
                    return hits
    return hits


def extract_agreement(docs: list[PageDoc], graph: SiteGraph) -> AgreementResult:
    res = AgreementResult()
    seen_text: dict[tuple[str, str], int] = {}
    pages: list[str] = []
    n_clauses = 0

    def add_sentence(sentence: str, url: str, ordinary: bool, help_page: bool = False) -> int:
        nonlocal n_clauses
        added = 0
        for kind, extra in classify(sentence):
            if help_page and kind in PROCEDURAL_KINDS and not REFUNDISH_RE.search(simplified(sentence)):
                # a help centre / FAQ answers everyday questions ("收不到短信请联系客服"); its
                # procedure is a term only where it is about refunds / after-sales
                if kind != "complaint_channel" or not STRONG_COMPLAINT_RE.search(simplified(sentence)):
                    continue
            if ordinary and kind in PROCEDURAL_KINDS:
                # on an ordinary page (about, login, goods) a remark on how after-sales works
                # is description, not a term; only a real complaint route is kept
                if kind != "complaint_channel" or not STRONG_COMPLAINT_RE.search(simplified(sentence)):
                    continue
            key = (kind, sentence)
            if key in seen_text or n_clauses >= MAX_CLAUSES:
                continue
            seen_text[key] = 1
            item = {"kind": kind, "text": sentence, "source_url": url}
            item.update(extra)
            res.clauses.append(item)
            n_clauses += 1
            added += 1
        return added

    for doc in docs:
        inbound = [l.text for l in graph.inbound.get(id(doc), []) if l.text]
        title, rank = _title_for(doc, inbound)
        is_policy = rank is not None
        # a help centre / FAQ named as such: everyday answers beside the terms
        help_named = is_policy and rank <= 1
        if not is_policy and _URL_HINT.search(doc.url or ""):
            # /help/article/3 style pages (the start page too): policy-like when their prose
            # is about refunds
            is_policy = sum(1 for b in doc.blocks if REFUNDISH_RE.search(simplified(b.text))) >= 2
            if is_policy:
                title, rank = _plain_title(doc), 1
        if not is_policy and _mostly_clauses(doc):
            # whatever its name or address: a page whose main prose is rules is a policy page
            is_policy, title, rank = True, _plain_title(doc), 2
        embedded_blocks: set[int] = set()
        help_sections: set[int] = set()         # blocks of an embedded 使用说明 / 常见问题
        embedded: list[Candidate] = []
        if not is_policy:
            for stitle, srank, idx in _embedded_sections(doc):
                embedded_blocks.update(idx)
                if srank <= 1:
                    help_sections.update(idx)
                embedded.append(Candidate(doc.url, stitle, srank, "embedded", doc))
            for mi, modal in enumerate(doc.modals):
                mtitle = modal.title
                r = policy_rank(mtitle)
                if r is None:
                    m = BOOK_TITLE_RE.search(modal.text[:400])
                    if m and len(modal.text) > 100:
                        r, mtitle = 2, m.group(1)
                    elif ACCEPT_RE.search(simplified(modal.text)) and _states_a_term(modal.text):
                        r, mtitle = 2, mtitle or "购买须知"
                if r is not None and len(modal.text) > len(mtitle) + 20:
                    embedded.append(Candidate(doc.url, mtitle.strip("《》【】 ：:"), r, "embedded", doc))
                    embedded_blocks.update(i for i, b in enumerate(doc.blocks) if b.modal == mi)
            for btitle, idx in _rule_boxes(doc, embedded_blocks):
                embedded_blocks.update(idx)
                embedded.append(Candidate(doc.url, btitle, 2, "embedded", doc))

        count = 0
        sentences = 0
        # ordinary blocks matter only on a page that mentions refunds at all (one scan)
        page_refundish = REFUNDISH_RE.search(simplified(doc.text)) is not None
        for bi, b in enumerate(doc.blocks):
            fl = b.flags
            if fl & LINKONLY and not fl & ROW:
                continue
            whole_page = is_policy and not fl & (NAV | FOOTER)
            all_prose = whole_page or bi in embedded_blocks or fl & (MODAL | NOTICE)
            if fl & NAV and not fl & MODAL:
                continue
            if _is_heading(b) and len(b.text) <= 15:
                continue                    # a section title ("5. 退款方式和时间"), not a clause
            if not all_prose and (not page_refundish or not REFUNDISH_RE.search(simplified(b.text))):
                continue
            if not HINT_RE.search(simplified(b.text)):
                continue
            # a notice box or a help-centre answer is not a term unless it speaks of refunds
            help_block = bool((whole_page and help_named) or bi in help_sections or (
                not whole_page and fl & NOTICE and not fl & MODAL and bi not in embedded_blocks))
            for sentence in split_sentences(b.text, keep_whole=bool(fl & ROW)):
                sentences += 1
                if sentences > MAX_SENTENCES_PER_PAGE:
                    break
                if not all_prose and not (REFUNDISH_RE.search(simplified(sentence)) and RULE_RE.search(simplified(sentence))):
                    continue        # a tip or a feature line ("极速退款", "7×24小时售后"), not a rule
                count += add_sentence(sentence, doc.url, not all_prose, help_page=help_block)
            if sentences > MAX_SENTENCES_PER_PAGE:
                break
        if count and doc.url not in pages:
            pages.append(doc.url)
        if is_policy:
            res.candidates.append(Candidate(doc.url, title, rank if rank is not None else 1, "page", doc,
                                            clauses=count, depth=graph.clicks_to(doc) or 0))
        for c in embedded:
            c.clauses = count
            c.depth = graph.clicks_to(doc) or 0
            res.candidates.append(c)

    # policies linked but never fetched (crawl limits, errors): known by their link only
    fetched = {id(d) for d in docs}
    for doc in docs:
        for link in doc.links:
            if not link.url or not link.text or len(link.text) > 40:
                continue
            r = policy_rank(link.text)
            if r is None or graph.lookup(link.url) is not None:
                continue
            m = BOOK_TITLE_RE.search(link.text)
            res.candidates.append(Candidate(link.url, m.group(1) if m else link.text.strip("《》 "), r, "link",
                                            None, depth=(graph.clicks_to(doc) or 0) + 1))
    del fetched
    res.pages = pages
    return res


def best_candidate(cands: list[Candidate]) -> Candidate | None:
    if not cands:
        return None
    src_rank = {"page": 2, "embedded": 1, "link": 0}
    return max(cands, key=lambda c: (c.rank >= 1, src_rank[c.source] > 0, c.rank, c.clauses > 0,
                                     src_rank[c.source], c.clauses, -c.depth))
