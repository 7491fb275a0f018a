"""What changed between two scans of a shop: ``diff_reports(old, new) -> diff.json``.

Pure (no I/O): diff.json and diff.html are written by cardshop_auditor.report.diff_page.
diff.json (DESIGN.md)::

    {"schema_version": 1, "old": {"scanned_at", "score", …}, "new": {…},
     "changes": [{"field": "icp|icp_license|psb_filing|business|clause|refund_entry|score|flags|contacts",
                  "change": "added|removed|changed", "kind": "<clause kind>", "old": …, "new": …}]}

Rules, field by field (extra keys on a change are additions the contract allows):

``icp``, ``icp_license``, ``psb_filing``
    the normalised number (NFKC, no spaces): added / removed / changed.
``business``
    a whole identity appearing or disappearing is one added / removed change; otherwise
    one ``changed`` per attribute that differs (``attr``: ``company_name`` or ``uscc``), so
    a renamed company is exactly one change.
``clause``
    clauses are compared as sentences (the extractor lists a sentence once per kind it
    fits; here it is one sentence with its kinds) keyed by normalised text: whitespace, punctuation
    width, clause numbering (第五条, 5.2, （三）), dates and times, site counters (已售 12,833,
    浏览 N 次) and ad snippets (【广告】…) are normalised away, so they never count.  A sentence
    present on several pages counts once; a sentence that only moved is no change.  What is
    left is paired:
      1. a kind in common, similar text (character similarity ≥ 0.5): reworded in place → one
         ``changed`` (``fee_percent`` 10 → 20 is such a change);
      2. no kind in common but the same place (same page, between the same unchanged
         neighbouring sentences), or the only sentence that disappeared from a page where
         only one sentence appeared: a clause turned into another kind, e.g. a 10 % fee clause
         rewritten as 一经售出概不退款 → one ``changed`` with ``kind`` = the new kind and
         ``old_kind`` = the old one (``kinds`` / ``old_kinds`` list them all when a
         sentence has several);
      3. anything else: ``removed`` (kind = old kind) or ``added``.
    Rationale: a reader wants "this sentence was rewritten, here is before/after" as one
    item with both kinds, not two unrelated items; an unrelated clause elsewhere is still
    reported as its own addition or removal.
``refund_entry``
    found → not found: ``removed`` (old = clicks); not found → found: ``added``; both found
    and the click count differs: ``changed`` with ``direction`` deeper / shallower and old /
    new clicks; same count but other steps, or newly inside an overflow menu: ``changed``
    with ``direction`` moved / into_overflow / out_of_overflow.  When either scan could not
    look (``evaluated`` false: login needed and no credentials) nothing is concluded; the
    diff carries a note instead.
``score``
    ``changed`` with ``delta``.
``flags``
    one ``added`` per new flag (``new`` = flag id), one ``removed`` per cleared flag.
``contacts``
    per item (``attr`` phones / emails / qq / wechat): added / removed; the address changed.

A scan that could not be audited at all (status ``failed``) is compared by status only
(``field`` ``status``): "the site went offline" is a change, but its empty findings are
not a hundred removals.  An unchanged site yields an empty ``changes`` list.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any, Iterable

from cardshop_auditor.urls import path_key

SCHEMA_VERSION = 1
FIELDS = ("status", "icp", "icp_license", "psb_filing", "business", "clause", "refund_entry",
          "score", "flags", "contacts")
SAME_KIND_SIMILARITY = 0.5
CONTACT_KINDS = ("phones", "emails", "qq", "wechat")


# --------------------------------------------------------------------------- normalisation

_WS = re.compile(r"\s+")
_AD = re.compile(r"[\[【(（〔]\s*(?:广告|推广|赞助|AD|Ad|ad)\s*[\]】)）〕][^。；;!！?？\n]*[。；;!！?？]?")
_DATE = re.compile(r"(?:\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*[日号]?"
                   r"|\d{4}\s*年\s*\d{1,2}\s*月|\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
                   r"|(?<!\d)(?:19|20)\d{2}\s*年(?!\s*\d))")
_TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)")
_COUNTER = re.compile(r"(已售|销量|已有|累计|浏览|阅读|访问|在线|点击|库存|成交|已服务|人气|关注|评论|下载|围观|播放)"
                      r"(\D{0,3}?)\d[\d,.]*\s*(?:万|千|亿|\+|w|W)?")
_COUNTER_AFTER = re.compile(r"\d[\d,.]*\s*(?:万|千)?\s*(?=(?:人|次|位用户|位|笔)(?:已|在|浏览|购买|访问|阅读|围观|好评))")
_NUMBERING = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[条章节款]\s*|[(（][一二三四五六七八九十\d]{1,3}[)）]\s*"
                        r"|\d{1,3}(?:\.\d{1,3})+(?!\d)\s*|\d{1,3}[.、)](?!\d)\s*|\d{1,3}\s+"
                        r"|[一二三四五六七八九十]{1,3}[、.]\s*)")
_TRAILING = re.compile(r"[。.;；,，、!！\s]+$")


def normalise_text(text: Any) -> str:
    """A clause's text with noise removed: what two scans must agree on to be 'the same'."""
    s = unicodedata.normalize("NFKC", str(text or ""))
    s = _AD.sub("", s)
    s = _DATE.sub("<date>", s)
    s = _TIME.sub("<time>", s)
    s = _COUNTER.sub(lambda m: m.group(1) + m.group(2) + "<n>", s)
    s = _COUNTER_AFTER.sub("<n>", s)
    s = _WS.sub(" ", s).strip()
    for _ in range(3):                       # "第五条 5.2 （一）…"
        stripped = _NUMBERING.sub("", s, count=1)
        if stripped == s:
            break
        s = stripped
    s = _WS.sub("", s)
    s = _TRAILING.sub("", s)
    return s.lower()


def normalise_number(value: Any) -> str | None:
    if value is None:
        return None
    s = _WS.sub("", unicodedata.normalize("NFKC", str(value)))
    return s or None


def normalise_name(value: Any) -> str | None:
    if value is None:
        return None
    s = _WS.sub("", unicodedata.normalize("NFKC", str(value)))
    return s or None


def _normalise_contact(kind: str, value: Any) -> str:
    s = _WS.sub("", unicodedata.normalize("NFKC", str(value)))
    if kind in ("phones", "qq"):
        lead = "+" if s.startswith("+") else ""
        return lead + re.sub(r"\D", "", s)
    return s.lower()


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


# --------------------------------------------------------------------------- diff


def diff_reports(old: dict, new: dict) -> dict:
    """diff.json for two report.json dicts (old first)."""
    old, new = old or {}, new or {}
    out = {"schema_version": SCHEMA_VERSION, "old": _meta(old), "new": _meta(new), "changes": [], "notes": []}
    changes, notes = out["changes"], out["notes"]
    old_status, new_status = old.get("status") or "complete", new.get("status") or "complete"
    if "failed" in (old_status, new_status):
        if old_status != new_status:
            changes.append({"field": "status", "change": "changed", "old": old_status, "new": new_status,
                            "reason": (new if new_status == "failed" else old).get("reason")})
        notes.append("a scan that could not be audited is compared by status only")
        return out
    fo, fn = old.get("findings") or {}, new.get("findings") or {}
    for key in ("icp", "icp_license", "psb_filing"):
        changes.extend(_number_change(key, fo.get(key), fn.get(key)))
    changes.extend(_business_changes(fo.get("business"), fn.get("business")))
    changes.extend(diff_clauses(_clauses(fo), _clauses(fn)))
    changes.extend(_refund_changes(fo.get("refund_entry"), fn.get("refund_entry"), notes))
    changes.extend(_score_change(old.get("score"), new.get("score")))
    changes.extend(_flag_changes((old.get("risk") or {}).get("flags"), (new.get("risk") or {}).get("flags")))
    changes.extend(_contact_changes(fo.get("contacts"), fn.get("contacts")))
    if "partial" in (old_status, new_status):
        notes.append("a partial scan (some pages could not be fetched) may show removals that are not real")
    return out


def _meta(report: dict) -> dict:
    risk = report.get("risk") or {}
    return {"scanned_at": report.get("scanned_at"), "score": report.get("score"),
            "target": report.get("target"), "risk": risk.get("level"),
            "status": report.get("status") or "complete", "tool_version": report.get("tool_version")}


def _number_change(field: str, old: Any, new: Any) -> list[dict]:
    o = normalise_number((old or {}).get("number")) if isinstance(old, dict) else None
    n = normalise_number((new or {}).get("number")) if isinstance(new, dict) else None
    if o == n:
        return []
    change = "added" if o is None else "removed" if n is None else "changed"
    return [{"field": field, "change": change, "old": o, "new": n}]


def _business_view(b: Any) -> dict:
    if not isinstance(b, dict):
        return {"company_name": None, "uscc": None}
    return {"company_name": normalise_name(b.get("company_name")), "uscc": normalise_number(b.get("uscc"))}


def _business_label(view: dict) -> str:
    name, uscc = view["company_name"], view["uscc"]
    return f"{name}（{uscc}）" if name and uscc else (name or uscc or "")


def _business_changes(old: Any, new: Any) -> list[dict]:
    o, n = _business_view(old), _business_view(new)
    o_any, n_any = any(o.values()), any(n.values())
    if not o_any and not n_any:
        return []
    if not o_any:
        return [{"field": "business", "change": "added", "old": None, "new": _business_label(n)}]
    if not n_any:
        return [{"field": "business", "change": "removed", "old": _business_label(o), "new": None}]
    out = []
    for attr in ("company_name", "uscc"):
        if o[attr] != n[attr]:
            change = "added" if o[attr] is None else "removed" if n[attr] is None else "changed"
            out.append({"field": "business", "change": change, "attr": attr, "old": o[attr], "new": n[attr]})
    return out


# ---- clauses ----------------------------------------------------------------


def _clauses(findings: dict) -> list[dict]:
    agreement = findings.get("agreement")
    if not isinstance(agreement, dict):
        return []
    return [c for c in agreement.get("clauses") or [] if isinstance(c, dict) and c.get("text")]


class _Sentence:
    """One sentence of the shop's terms with every kind the extractor gave it (the
    extractor lists a sentence once per kind; for a diff it is one sentence)."""
    __slots__ = ("kinds", "text", "norm", "page", "clause", "fees", "prev", "next")

    def __init__(self, clause: dict, norm: str):
        self.kinds: list[str] = []
        self.text = str(clause.get("text") or "")
        self.norm = norm
        self.page = path_key(clause.get("source_url"))  # the same page on another port is the same
        self.clause = clause
        self.fees: list = []
        self.prev = self.next = None

    @property
    def kind(self) -> str:
        return self.kinds[0] if self.kinds else ""


def _sentences(clauses: Iterable[dict]) -> list[_Sentence]:
    by_norm: dict[str, _Sentence] = {}
    for c in clauses:
        norm = normalise_text(c.get("text"))
        if not norm:
            continue
        item = by_norm.get(norm)
        if item is None:
            item = by_norm[norm] = _Sentence(c, norm)
        kind = str(c.get("kind") or "")
        if kind and kind not in item.kinds:
            item.kinds.append(kind)
        if c.get("fee_percent") is not None and c.get("fee_percent") not in item.fees:
            item.fees.append(c.get("fee_percent"))
    return list(by_norm.values())


def _set_anchors(items: list[_Sentence], stable: set[str]) -> None:
    """For each sentence, the nearest unchanged sentence before and after it on its page."""
    by_page: dict[str, list[_Sentence]] = {}
    for item in items:
        by_page.setdefault(item.page, []).append(item)
    for rows in by_page.values():
        last = None
        for item in rows:
            item.prev = last
            if item.norm in stable:
                last = item.norm
        last = None
        for item in reversed(rows):
            item.next = last
            if item.norm in stable:
                last = item.norm


def diff_clauses(old: list[dict], new: list[dict]) -> list[dict]:
    o_items, n_items = _sentences(old), _sentences(new)
    stable = {i.norm for i in o_items} & {i.norm for i in n_items}
    _set_anchors(o_items, stable)
    _set_anchors(n_items, stable)
    removed = [i for i in o_items if i.norm not in stable]
    added = [i for i in n_items if i.norm not in stable]
    pairs: list[tuple[_Sentence, _Sentence, float]] = []
    used_o: set[int] = set()
    used_n: set[int] = set()

    def pair(ai: int, bi: int, ratio: float) -> None:
        used_o.add(ai)
        used_n.add(bi)
        pairs.append((removed[ai], added[bi], ratio))

    # 1. same kind, reworded
    scored = sorted(((similarity(a.norm, b.norm), ai, bi) for ai, a in enumerate(removed)
                     for bi, b in enumerate(added) if set(a.kinds) & set(b.kinds)),
                    key=lambda t: (-t[0], t[1], t[2]))
    for ratio, ai, bi in scored:
        if ratio < SAME_KIND_SIMILARITY:
            break
        if ai not in used_o and bi not in used_n:
            pair(ai, bi, ratio)
    # 2a. rewritten in place (same page, same unchanged neighbours), whatever the kind
    for ai, a in enumerate(removed):
        if ai in used_o:
            continue
        for bi, b in enumerate(added):
            if bi not in used_n and a.page == b.page and a.prev == b.prev and a.next == b.next:
                pair(ai, bi, similarity(a.norm, b.norm))
                break
    # 2b. the only sentence gone from a page where only one sentence appeared
    left_o = [ai for ai in range(len(removed)) if ai not in used_o]
    left_n = [bi for bi in range(len(added)) if bi not in used_n]
    for page in sorted({removed[ai].page for ai in left_o}):
        po = [ai for ai in left_o if removed[ai].page == page]
        pn = [bi for bi in left_n if added[bi].page == page]
        if len(po) == 1 and len(pn) == 1:
            pair(po[0], pn[0], similarity(removed[po[0]].norm, added[pn[0]].norm))

    changes = []
    for a, b, ratio in pairs:
        change = {"field": "clause", "change": "changed", "kind": b.kind, "old": a.text, "new": b.text}
        if a.kind != b.kind:
            change["old_kind"] = a.kind
        _kinds(change, a, b)
        change["similarity"] = round(ratio, 2)
        change["source_url"] = b.clause.get("source_url")
        if a.fees or b.fees:
            change["old_fee_percent"] = a.fees[0] if a.fees else None
            change["new_fee_percent"] = b.fees[0] if b.fees else None
        changes.append((n_items.index(b), change))
    for ai, a in enumerate(removed):
        if ai not in used_o:
            change = {"field": "clause", "change": "removed", "kind": a.kind, "old": a.text, "new": None}
            _kinds(change, a, None)
            change["source_url"] = a.clause.get("source_url")
            changes.append((_position(a, o_items, n_items), change))
    for bi, b in enumerate(added):
        if bi not in used_n:
            change = {"field": "clause", "change": "added", "kind": b.kind, "old": None, "new": b.text}
            _kinds(change, None, b)
            change["source_url"] = b.clause.get("source_url")
            changes.append((n_items.index(b), change))
    changes.sort(key=lambda t: t[0])
    return [c for _, c in changes]


def _kinds(change: dict, a: _Sentence | None, b: _Sentence | None) -> None:
    """Every kind of a sentence the extractor classified several ways."""
    if a is not None and len(a.kinds) > 1:
        change["old_kinds"] = list(a.kinds)
    if b is not None and len(b.kinds) > 1:
        change["kinds"] = list(b.kinds)


def _position(item: _Sentence, old: list[_Sentence], new: list[_Sentence]) -> float:
    """Where a removed sentence sorts among the new ones: just after its old predecessor."""
    if item.prev is not None:
        for index, other in enumerate(new):
            if other.norm == item.prev:
                return index + 0.5
    return -0.5 + old.index(item) / 1000


# ---- refund entry, score, flags, contacts -------------------------------------


def _refund_view(entry: Any) -> dict | None:
    """None when the scan could not look; else found / clicks / steps / overflow."""
    if not isinstance(entry, dict):
        return {"found": False, "clicks": None, "steps": [], "overflow": False}
    if entry.get("evaluated") is False and not entry.get("found"):
        return None
    return {"found": bool(entry.get("found")), "clicks": entry.get("clicks"),
            "steps": [normalise_name(s) for s in entry.get("steps") or []],
            "overflow": bool(entry.get("in_overflow_menu")), "url": entry.get("url")}


def _refund_changes(old: Any, new: Any, notes: list[str]) -> list[dict]:
    o, n = _refund_view(old), _refund_view(new)
    if o is None or n is None:
        which = "either scan" if o is None and n is None else "the old scan" if o is None else "the new scan"
        notes.append(f"refund entry not compared: {which} could not look for it (login or browser needed)")
        return []
    steps = {"old_steps": (old or {}).get("steps") or [], "new_steps": (new or {}).get("steps") or []}

    def change(kind: str, direction: str | None = None) -> list[dict]:
        row = {"field": "refund_entry", "change": kind, "old": o["clicks"] if o["found"] else None,
               "new": n["clicks"] if n["found"] else None}
        if direction:
            row["direction"] = direction
        return [{**row, **steps}]

    if o["found"] and not n["found"]:
        return change("removed", "gone")
    if n["found"] and not o["found"]:
        return change("added")
    if not o["found"]:
        return []
    if o["clicks"] != n["clicks"] and o["clicks"] is not None and n["clicks"] is not None:
        return change("changed", "deeper" if n["clicks"] > o["clicks"] else "shallower")
    if o["overflow"] != n["overflow"]:
        return change("changed", "into_overflow" if n["overflow"] else "out_of_overflow")
    if o["steps"] and n["steps"] and o["steps"] != n["steps"]:
        return change("changed", "moved")
    return []


def _num(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _score_change(old: Any, new: Any) -> list[dict]:
    o, n = _num(old), _num(new)
    if o == n:
        return []
    if o is None or n is None:
        return [{"field": "score", "change": "added" if o is None else "removed", "old": o, "new": n}]
    return [{"field": "score", "change": "changed", "old": o, "new": n, "delta": n - o}]


def _flag_changes(old: Any, new: Any) -> list[dict]:
    o, n = list(old or []), list(new or [])
    out = [{"field": "flags", "change": "added", "old": None, "new": f} for f in n if f not in o]
    out += [{"field": "flags", "change": "removed", "old": f, "new": None} for f in o if f not in n]
    return out


def _contact_changes(old: Any, new: Any) -> list[dict]:
    o, n = (old if isinstance(old, dict) else {}), (new if isinstance(new, dict) else {})
    out = []
    for kind in CONTACT_KINDS:
        ov = {_normalise_contact(kind, v): v for v in o.get(kind) or []}
        nv = {_normalise_contact(kind, v): v for v in n.get(kind) or []}
        out += [{"field": "contacts", "change": "added", "attr": kind, "old": None, "new": nv[k]}
                for k in nv if k not in ov]
        out += [{"field": "contacts", "change": "removed", "attr": kind, "old": ov[k], "new": None}
                for k in ov if k not in nv]
    oa, na = normalise_name(o.get("address")), normalise_name(n.get("address"))
    if oa != na:
        change = "added" if oa is None else "removed" if na is None else "changed"
        out.append({"field": "contacts", "change": change, "attr": "address",
                    "old": o.get("address"), "new": n.get("address")})
    return out


# --------------------------------------------------------------------------- words


def change_lines(diff: dict) -> list[str]:
    """One plain line per change, for the terminal and alerts."""
    lines = []
    for c in diff.get("changes") or []:
        field, change, old, new = c.get("field"), c.get("change"), c.get("old"), c.get("new")
        if field == "clause":
            kind = c.get("kind")
            if change == "changed":
                kinds = f"{c['old_kind']} → {kind}" if c.get("old_kind") else kind
                lines.append(f"clause changed ({kinds}): «{_short(old)}» → «{_short(new)}»")
            else:
                lines.append(f"clause {change} ({kind}): «{_short(old if change == 'removed' else new)}»")
        elif field == "refund_entry":
            if change == "removed":
                lines.append(f"refund entry gone (was {old} click(s))")
            elif change == "added":
                lines.append(f"refund entry found ({new} click(s))")
            else:
                lines.append(f"refund entry {c.get('direction')}: {old} → {new} click(s)")
        elif field == "score":
            delta = c.get("delta")
            lines.append(f"score {old} → {new}" + (f" ({delta:+g})" if delta is not None else ""))
        elif field == "flags":
            lines.append(f"flag {'raised' if change == 'added' else 'cleared'}: {new or old}")
        else:
            what = field + (f" {c['attr']}" if c.get("attr") else "")
            if change == "added":
                lines.append(f"{what} added: {new}")
            elif change == "removed":
                lines.append(f"{what} removed: {old}")
            else:
                lines.append(f"{what} changed: {old} → {new}")
    return lines


def _short(text: Any, limit: int = 60) -> str:
    s = _WS.sub(" ", str(text or "")).strip()
    return s if len(s) <= limit else s[: limit - 1] + "…"
