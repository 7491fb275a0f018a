"""The refund guide for one shop: what a buyer does, step by step, built from the findings.

    guide = build_guide(report, lang="zh")      # pure: report.json's findings + checks in

Five parts, each from the findings only (nothing is fetched, nothing is guessed):

    where       the refund entry's click path (and its screenshot), or "no entry: use the
                contact" with the contacts found, or "behind the login, not checked"
    prepare     what every claim needs, plus what this shop's rules demand (evidence_required,
                supplement_deadline clauses, quoted)
    situations  the buyer's case (not yet extracted / extracted unused / invalid key / used)
                and what the shop's clauses say about it, quoted with their page
    money       fee (fee_percent), processing and payout time, where the money goes
    refused     the shop's complaint route, the payment provider, 12315 (with the operator
                the complaint must name), and the terms that do not bind the buyer: the
                failing checks' own evidence and legal basis

Where the shop states nothing the part says so (``stated: False``).  Keys (``kind``,
``status``, ``situation``) are stable and language-free; the text is in ``lang``.
"""
from __future__ import annotations

import re
from typing import Any

from cardshop_auditor.report_templates.guide_i18n import BASIS, words

SITUATIONS = ("not_extracted", "extracted_unused", "invalid_key", "used")
CONTACT_KINDS = ("phones", "emails", "qq", "qq_groups", "wechat", "telegram", "address")
MAX_QUOTES = 3
MAX_QUOTE_CHARS = 240
# the checks whose failure means a term of the shop does not bind the buyer
VOID_CHECKS = {"terms.no_blanket_exclusion": "blanket", "terms.no_final_interpretation": "final_interpretation"}
VOID_CLAUSES = {"blanket_no_refund": "blanket", "final_interpretation": "final_interpretation"}
VOID_BASIS = {"blanket": "消费者权益保护法 第二十六条", "final_interpretation": "法释〔2022〕8号 第一条"}

# a no_refund_used clause about a key that was only taken out (提取 / 查看), not redeemed
_TAKEN = re.compile(r"提取|查看|发货|发放|已发卡|显示卡密")
_REDEEMED = re.compile(r"使用|兑换|充值|到账|激活|绑定|消耗|消费")
# a complaint route proper (an appeal, a ticket, a regulator, a court), not "contact support"
_COMPLAINT = re.compile(r"申诉|投诉|异议|不满|工单|12315|黑猫|调解|仲裁|诉讼|起诉|法院|举报|维权|复核|争议")


def build_guide(report: dict, lang: str = "zh") -> dict:
    """The guide for the shop of ``report`` (a report.json dict)."""
    w = words(lang)
    guide: dict[str, Any] = {"lang": "en" if lang == "en" else "zh", "title": w["title"], "intro": w["intro"], "t": w}
    if not isinstance(report, dict) or report.get("status") == "failed":
        guide.update(available=False, message=w["not_available"])
        return guide
    findings = report.get("findings") if isinstance(report.get("findings"), dict) else {}
    checks = [c for c in report.get("checks") or [] if isinstance(c, dict)]
    flags = set((report.get("risk") or {}).get("flags") or [])
    clauses = _clauses_by_kind(findings)
    contacts = contact_list(findings.get("contacts"))
    guide.update(
        available=True,
        where=_where(findings.get("refund_entry"), contacts, w),
        prepare=_prepare(clauses, w),
        situations=[_situation(name, clauses, w) for name in SITUATIONS],
        money=_money(clauses, w),
        refused=_refused(findings, clauses, checks, flags, w),
    )
    return guide


# --------------------------------------------------------------------------- the parts

def _where(entry: Any, contacts: list[dict], w: dict) -> dict:
    entry = entry if isinstance(entry, dict) else {}
    steps = [str(s) for s in entry.get("steps") or [] if str(s).strip()]
    clicks = entry.get("clicks") if isinstance(entry.get("clicks"), int) else None
    if entry.get("found"):
        return {"kind": "entry", "heading": w["where_h"], "steps": steps, "clicks": clicks,
                "clicks_text": w["where_clicks"].format(n=clicks) if clicks is not None else "",
                "requires_login": entry.get("requires_login") is True,
                "in_overflow": bool(entry.get("in_overflow_menu")),
                "url": entry.get("url") if isinstance(entry.get("url"), str) else None,
                "screenshot": entry.get("screenshot") if isinstance(entry.get("screenshot"), str) else None,
                "contacts": contacts}
    if entry.get("requires_login") and not entry.get("evaluated", True):
        return {"kind": "login", "heading": w["where_h"], "text": w["where_login_unchecked"], "contacts": contacts}
    return {"kind": "no_entry", "heading": w["where_h"], "text": w["where_no_entry"], "contacts": contacts}


def _prepare(clauses: dict, w: dict) -> dict:
    demands = _quotes(clauses, "evidence_required", "supplement_deadline")
    return {"heading": w["prepare_h"], "generic": list(w["prepare_generic"]),
            "stated": bool(demands["items"]), "shop": demands}


def _situation(name: str, clauses: dict, w: dict) -> dict:
    """What the shop's clauses say for one buyer situation: a status key and the quotes."""
    blanket = clauses.get("blanket_no_refund") or []
    status, kinds, notes = "unstated", (), []
    if name == "not_extracted":
        if clauses.get("refund_unactivated"):
            status, kinds = "refundable", ("refund_unactivated",)
    elif name == "extracted_unused":
        taken = [c for c in clauses.get("no_refund_used") or []
                 if _TAKEN.search(c["text"]) and not _REDEEMED.search(c["text"])]
        if clauses.get("refund_activated_fee"):
            status, kinds = "fee", ("refund_activated_fee",)
        elif taken:
            return _situation_view(name, "not_refundable", {"items": taken[:MAX_QUOTES],
                                                            "more": max(0, len(taken) - MAX_QUOTES)}, [], w)
    elif name == "invalid_key":
        notes.append(_note(w, "note_invalid_law"))
        if clauses.get("platform_fault"):
            status, kinds = "remedy", ("platform_fault",)
    elif name == "used":
        notes.append(_note(w, "note_used_law"))      # the law's own exception, stated or not
        if clauses.get("no_refund_used"):
            status, kinds = "not_refundable", ("no_refund_used",)
    if status == "unstated" and blanket and name != "invalid_key":
        status, kinds = "refuses", ("blanket_no_refund",)
    if status == "refuses" or (name == "invalid_key" and blanket):
        notes.append(_note(w, "note_blanket"))
    quotes = _quotes(clauses, *kinds) if kinds else {"items": [], "more": 0}
    view = _situation_view(name, status, quotes, notes, w)
    if status == "fee":
        view["fee_percent"] = fee_percent(clauses)
        if view["fee_percent"] is not None:
            view["status_text"] = w["status"]["fee_n"].format(n=_number(view["fee_percent"]))
    if name in ("not_extracted", "extracted_unused") and clauses.get("special_goods_exclusion"):
        view["special"] = _quotes(clauses, "special_goods_exclusion")
        view["special_text"] = w["special_goods"]
    return view


def _situation_view(name: str, status: str, quotes: dict, notes: list, w: dict) -> dict:
    return {"situation": name, "title": w["situation"][name], "status": status,
            "status_text": w["status"][status], "stated": status != "unstated", "quotes": quotes,
            "hint": w["unstated_hint"] if status == "unstated" else "", "notes": notes}


def _money(clauses: dict, w: dict) -> dict:
    fee = fee_percent(clauses)
    return {"heading": w["fee_h"], "fee_percent": fee,
            "fee_text": w["fee_stated"].format(n=_number(fee)) if fee is not None
            else (w["fee_quoted"] if clauses.get("refund_activated_fee") else w["fee_none"]),
            "fee_quotes": _quotes(clauses, "refund_activated_fee"),
            "time_text": w["time_quoted"] if clauses.get("refund_timeline") else w["time_none"],
            "time_quotes": _quotes(clauses, "refund_timeline"),
            "channel_text": w["channel_quoted"] if clauses.get("refund_channel") else w["channel_none"],
            "channel_quotes": _quotes(clauses, "refund_channel"),
            "deadline_text": w["deadline_quoted"] if clauses.get("supplement_deadline") else "",
            "deadline_quotes": _quotes(clauses, "supplement_deadline"),
            "stated": {"fee": bool(clauses.get("refund_activated_fee")), "time": bool(clauses.get("refund_timeline")),
                       "channel": bool(clauses.get("refund_channel"))}}


def _refused(findings: dict, clauses: dict, checks: list[dict], flags: set, w: dict) -> dict:
    business = findings.get("business") if isinstance(findings.get("business"), dict) else {}
    operator = {"name": business.get("company_name") or None,
                "address": (findings.get("contacts") or {}).get("address") if isinstance(findings.get("contacts"), dict) else None}
    icp = findings.get("icp") if isinstance(findings.get("icp"), dict) else {}
    routes = [c for c in clauses.get("complaint_channel") or [] if _COMPLAINT.search(c["text"])]
    shop_route = _quotes({"complaint_channel": routes}, "complaint_channel")
    return {"heading": w["refused_h"],
            "shop_route": shop_route, "shop_route_stated": bool(shop_route["items"]),
            "shop_text": w["refused_shop"] if shop_route["items"] else w["refused_shop_none"],
            "payment": w["refused_pay"],
            "personal_payment": w["refused_pay_personal"] if "personal_payment" in flags else "",
            "regulator": _note(w, "refused_12315"),
            "operator": operator if operator["name"] else None,
            "operator_text": w["refused_operator"] if operator["name"] else w["refused_no_operator"],
            "icp": icp.get("number") or None, "icp_text": w["refused_icp"],
            "void_heading": w["void_h"], "void_none": w["void_none"],
            "void_terms": void_terms(clauses, checks, w)}


def void_terms(clauses: dict, checks: list[dict], w: dict) -> list[dict]:
    """Terms that do not bind the buyer: each failing check's evidence with the basis it cites;
    a void clause kind the checks did not judge (no such check ran) still counts, with the
    article that voids it."""
    out: dict[str, dict] = {}
    for check in checks:
        kind = VOID_CHECKS.get(str(check.get("id")))
        if kind and check.get("status") == "fail":
            items = [{"text": _cut(e.get("snippet")), "source_url": e.get("url") if isinstance(e.get("url"), str) else None}
                     for e in check.get("evidence") or [] if isinstance(e, dict) and e.get("snippet")]
            out[kind] = {"kind": kind, "why": w["void_why"][kind], "basis": str(check.get("basis") or VOID_BASIS[kind]),
                         "quotes": {"items": items[:MAX_QUOTES], "more": max(0, len(items) - MAX_QUOTES)}}
    judged = {VOID_CHECKS[str(c.get("id"))] for c in checks if str(c.get("id")) in VOID_CHECKS}
    for clause_kind, kind in VOID_CLAUSES.items():
        if kind not in out and kind not in judged and clauses.get(clause_kind):
            out[kind] = {"kind": kind, "why": w["void_why"][kind], "basis": VOID_BASIS[kind],
                         "quotes": _quotes(clauses, clause_kind)}
    return [out[k] for k in ("blanket", "final_interpretation") if k in out]


# --------------------------------------------------------------------------- helpers

def _clauses_by_kind(findings: dict) -> dict[str, list[dict]]:
    agreement = findings.get("agreement") if isinstance(findings.get("agreement"), dict) else {}
    out: dict[str, list[dict]] = {}
    seen: set[tuple[str, str]] = set()
    for clause in agreement.get("clauses") or []:
        if not isinstance(clause, dict) or not isinstance(clause.get("text"), str):
            continue
        kind, text = str(clause.get("kind")), " ".join(clause["text"].split())
        if not text or (kind, text) in seen:
            continue
        seen.add((kind, text))
        url = clause.get("source_url")
        out.setdefault(kind, []).append({"text": _cut(text), "source_url": url if isinstance(url, str) else None,
                                         "fee_percent": clause.get("fee_percent")})
    return out


def _quotes(clauses: dict, *kinds: str) -> dict:
    """The clauses of ``kinds``, each sentence once, at most MAX_QUOTES (and how many more)."""
    items, texts = [], set()
    for kind in kinds:
        for clause in clauses.get(kind) or []:
            if clause["text"] not in texts:
                texts.add(clause["text"])
                items.append({"text": clause["text"], "source_url": clause["source_url"]})
    return {"items": items[:MAX_QUOTES], "more": max(0, len(items) - MAX_QUOTES)}


def fee_percent(clauses: dict) -> float | None:
    for clause in clauses.get("refund_activated_fee") or []:
        value = clause.get("fee_percent")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 100:
            return value
    return None


def contact_list(contacts: Any) -> list[dict]:
    """The contacts found, one row per value: {kind, value, source_url}."""
    if not isinstance(contacts, dict):
        return []
    sources = contacts.get("sources") if isinstance(contacts.get("sources"), dict) else {}
    rows = []
    for kind in CONTACT_KINDS:
        values = contacts.get(kind)
        values = [values] if isinstance(values, str) else values if isinstance(values, list) else []
        for value in values:
            if isinstance(value, str) and value.strip():
                source = sources.get(f"{kind}:{value}") or (sources.get(kind) if kind == "address" else None)
                rows.append({"kind": kind, "value": value.strip(),
                             "source_url": source if isinstance(source, str) else None})
    return rows


def _note(w: dict, key: str) -> dict:
    """A sentence of ours and the articles it rests on (the template shows them apart)."""
    return {"text": w[key], "basis": list(BASIS.get(key, ()))}


def _cut(text: Any) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= MAX_QUOTE_CHARS else text[:MAX_QUOTE_CHARS - 1] + "…"


def _number(value: float | None) -> str:
    return "" if value is None else (str(int(value)) if float(value).is_integer() else f"{value:g}")
