"""The view model of report.html: one function per section of the page, each turning
report.json into what its template draws, so the templates stay declarative.  Shop text
is data here: links go through ``safe_href``, evidence through ``safe_relpath``."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from cardshop_auditor.checks import all_flags, flag_name
from cardshop_auditor.checks.base import SEVERITY_RANK
from cardshop_auditor.report.build import normalise_findings
from cardshop_auditor.report.summary import problem_count, summary_for
from cardshop_auditor.report.urls import IMAGE_EXTS, safe_href, safe_relpath, short_url
from cardshop_auditor.report_templates import i18n

STATUS_ORDER = {"fail": 0, "warn": 1, "error": 2, "not_applicable": 3, "pass": 4}


def label(pair_table: dict, key: Any, lang: str, index: int = 0) -> str:
    """A key's name in ``lang`` from an i18n table of (zh, en, …) tuples; the key itself when unknown."""
    entry = pair_table.get(key)
    if not entry:
        return str(key)
    pair = entry[index:index + 2]
    return i18n.pick(pair, lang)


def _status_view(status: str, lang: str) -> dict:
    icon, zh, en = i18n.STATUS.get(status, ("?", status, status))
    return {"key": status if status in i18n.STATUS else "error", "icon": icon, "text": en if lang == "en" else zh}


def _evidence_rows(items: Any) -> list[dict]:
    rows = []
    for item in items or []:
        if not isinstance(item, dict):
            continue
        url = item.get("url")
        rows.append({"url": url if isinstance(url, str) else None, "href": safe_href(url),
                     "label": short_url(url), "snippet": str(item.get("snippet") or "")})
    return rows


def report_view(report: dict, lang: str) -> dict:
    """Everything report.html draws, section by section."""
    t = i18n.ui(lang)
    findings = normalise_findings(report.get("findings"))
    checks = [c for c in report.get("checks") or [] if isinstance(c, dict)]
    risk = report.get("risk") or {}
    audited = report.get("status") != "failed"
    level = risk.get("level") if audited and risk.get("level") in i18n.RISK else None
    refund = refund_section(report, findings, lang, t)
    target = report.get("target") or ""
    return {
        "r": report, "host": urlsplit(target).hostname or target if isinstance(target, str) else "",
        "target": target, "target_href": safe_href(target),
        "final_url": report.get("final_url"), "final_href": safe_href(report.get("final_url")),
        "status": report.get("status") or "complete", "reason": report.get("reason"),
        **verdict_section(report, checks, level, lang, t),
        "reason_view": _reason_view(report.get("reason"), lang),
        "glance": glance_section(checks, findings, refund, t),
        **identity_section(findings),
        **agreement_section(findings, lang, t),
        "refund": refund, "shots": _shots_by_section(report.get("evidence"), refund, t),
        "contacts": contacts_section(findings, t), "flags": flags_section(risk, checks, lang, t),
        **checks_section(checks, lang, t),
        **gather_section(report, lang, t),
    }


def verdict_section(report: dict, checks: list[dict], level: str | None, lang: str, t: dict) -> dict:
    """The verdict tile: score ring, risk level and what it rests on, the top problems.
    The verdict words and the top problems are the report's summary (computed once, when
    the report was built), in the page's language."""
    summary = summary_for(report, lang)
    en = lang == "en" and "verdict_en" in summary
    by_id = {c.get("id"): c for c in checks}
    problems = []
    for item in summary.get("top_problems") or []:
        if not isinstance(item, dict):
            continue
        row = by_id.get(item.get("check_id")) or {}
        severity = item.get("severity") if item.get("severity") in SEVERITY_RANK else "medium"
        problems.append({"title": item.get("title"), "id": item.get("check_id"), "severity": severity,
                         "status": _status_view(item.get("status"), lang),
                         "advice": item.get("advice_en") if en else item.get("advice"),
                         "evidence": _evidence_rows(row.get("evidence"))[:1]})
    score = report.get("score")
    score = score if isinstance(score, (int, float)) and not isinstance(score, bool) else None
    return {"score": score, "score_band": verdict_tone(level, score), "ring": _ring(score),
            "level": level, "level_text": label(i18n.RISK, level, lang) if level else t["level_none"],
            "verdict": summary.get("verdict_en") if en else summary.get("verdict"),
            "verdict_detail": summary.get("detail_en") if en else summary.get("detail"),
            "problems": problems, "more_problems": max(0, problem_count(checks) - len(problems)),
            "level_basis": _level_basis(checks, level, lang, t) if level else []}


def identity_section(findings: dict) -> dict:
    icp, lic, psb, biz = (findings.get(k) if isinstance(findings.get(k), dict) else None
                          for k in ("icp", "icp_license", "psb_filing", "business"))
    platform = (findings.get("site") or {}).get("platform") if isinstance(findings.get("site"), dict) else None
    platform = platform if isinstance(platform, dict) and platform.get("label") else None
    return {"icp": icp, "icp_href": safe_href((icp or {}).get("source_url")),
            "lic": lic, "psb": psb, "biz": biz, "biz_href": safe_href((biz or {}).get("source_url")),
            "platform": platform}


def agreement_section(findings: dict, lang: str, t: dict) -> dict:
    """The agreement and its clauses grouped by kind, in DESIGN.md order."""
    agreement = findings.get("agreement") if isinstance(findings.get("agreement"), dict) else None
    groups = []
    if agreement:
        clauses = [c for c in agreement.get("clauses") or [] if isinstance(c, dict)]
        kinds = list(i18n.CLAUSE_KINDS) + sorted({c.get("kind") for c in clauses} - set(i18n.CLAUSE_KINDS), key=str)
        for kind in kinds:
            rows = [c for c in clauses if c.get("kind") == kind]
            if not rows:
                continue
            name_zh, name_en, _ = i18n.CLAUSE_KINDS.get(kind, (str(kind), str(kind), "neutral"))
            tone = i18n.CLAUSE_TONES.get(kind, "info")
            note = i18n.CLAUSE_NOTES.get(kind)
            groups.append({
                "kind": kind, "name": name_en if lang == "en" else name_zh, "tone": tone,
                "tone_text": t["tone_" + tone], "note": i18n.pick(note, lang) if note else None,
                "clauses": [{"text": str(c.get("text") or ""), "fee_percent": c.get("fee_percent"),
                             "href": safe_href(c.get("source_url")), "url": c.get("source_url"),
                             "label": short_url(c.get("source_url"))} for c in rows]})
    return {"agreement": agreement, "agreement_href": safe_href((agreement or {}).get("url")),
            "clause_groups": groups}


def refund_section(report: dict, findings: dict, lang: str, t: dict) -> dict:
    refund = findings["refund_entry"]
    steps = [str(s) for s in refund.get("steps") or []]
    raw_refund = (report.get("findings") or {}).get("refund_entry")
    shot = raw_refund.get("screenshot") if isinstance(raw_refund, dict) else None  # before normalising
    return {
        "found": bool(refund.get("found")),
        "evaluated": refund.get("evaluated", True) is not False,
        "reason": _reason_view(refund.get("reason"), lang) if not refund.get("found") else None,
        "steps": steps, "clicks": refund.get("clicks"),
        "requires_login": refund.get("requires_login"),
        "in_overflow": bool(refund.get("in_overflow_menu")),
        "url": refund.get("url"), "href": safe_href(refund.get("url")),
        "screenshot": safe_relpath(shot, IMAGE_EXTS) if shot else None,
        "screenshot_bad": bool(shot) and safe_relpath(shot, IMAGE_EXTS) is None,
        "screenshot_alt": t["screenshot_alt"].format(label=steps[-1] if steps else t["refund_url"]),
    }


def flags_section(risk: dict, checks: list[dict], lang: str, t: dict) -> list[dict]:
    """Flags with their evidence (risk.evidence, else the evidence of the checks that raised them), worst first."""
    flag_evidence = risk.get("evidence") if isinstance(risk.get("evidence"), dict) else {}
    flags_view = []
    for flag in risk.get("flags") or []:
        raised_by = [c for c in checks if c.get("flag") == flag]
        ev = flag_evidence.get(flag)
        if ev is None:
            ev = [e for c in raised_by for e in c.get("evidence") or []]
        severity = max((c.get("severity") or "low" for c in raised_by), key=lambda s: SEVERITY_RANK.get(s, 1),
                       default=None)
        meta = all_flags().get(flag) if isinstance(flag, str) else None
        flags_view.append({"id": flag,
                           "name": flag_name(flag, lang) if meta else str(flag),
                           "advice": (meta.advice["en"] if lang == "en" else meta.advice["zh"]) if meta else "",
                           "severity": severity if severity in SEVERITY_RANK else None,
                           "severity_text": label(i18n.SEVERITY, severity, lang) if severity in SEVERITY_RANK else "",
                           "reason": t["sep"].join(str(c.get("reason")) for c in raised_by if c.get("reason")),
                           "evidence": _evidence_rows(ev)})
    flags_view.sort(key=lambda f: -SEVERITY_RANK.get(f["severity"] or "low", 1))  # stable: worst first
    return flags_view


def checks_section(checks: list[dict], lang: str, t: dict) -> dict:
    """Every check, worst first (stable within a status), and the counts line."""
    ordered = sorted(enumerate(checks), key=lambda t_: (STATUS_ORDER.get(t_[1].get("status"), 2),
                                                        -SEVERITY_RANK.get(t_[1].get("severity") or "low", 1), t_[0]))
    rows = [{"id": c.get("id"), "title": c.get("title") or c.get("id"),
             "status": _status_view(c.get("status"), lang),
             "basis": c.get("basis") or "", "description": c.get("description") or "",
             "reason": c.get("reason") or "",
             "severity": label(i18n.SEVERITY, c.get("severity"), lang) if c.get("severity") else "",
             "weight": c.get("weight"),
             "evidence": _evidence_rows(c.get("evidence"))} for _, c in ordered]
    counts = {s: sum(1 for c in checks if c.get("status") == s) for s in i18n.STATUS}
    counts_text = t["checks_counts"].format(fail=counts["fail"], warn=counts["warn"], passed=counts["pass"],
                                            na=counts["not_applicable"], error=counts["error"])
    return {"checks": rows, "counts_text": counts_text}


def contacts_section(findings: dict, t: dict) -> list[tuple[str, list[str]]]:
    contacts = findings["contacts"]
    rows = [(t[k], [str(v) for v in contacts.get(k) or []]) for k in ("phones", "emails", "qq", "wechat")]
    rows.append((t["address"], [str(contacts["address"])] if contacts.get("address") else []))
    return rows


def gather_section(report: dict, lang: str, t: dict) -> dict:
    """The pages fetched and what went wrong while gathering (the footer)."""
    pages = []
    for p in report.get("pages") or []:
        if isinstance(p, dict):
            pages.append({**p, "href": safe_href(p.get("url")), "label": short_url(p.get("url"), 90),
                          "error_view": _reason_view(p.get("error"), lang),
                          "via": t["via_browser"] if p.get("fetched_with") == "browser" else t["via_http"]})
    return {"pages": pages, "gather": report.get("gather") or {"errors": [], "stats": {}, "robots_denied": False},
            "gather_errors": [_reason_view(e, lang) for e in (report.get("gather") or {}).get("errors") or [] if e],
            "cert_reason": _reason_view(_certificate_error(report), lang)}


def glance_section(checks: list[dict], findings: dict, refund: dict, t: dict) -> list[dict]:
    icp, biz = (findings.get(k) if isinstance(findings.get(k), dict) else None for k in ("icp", "business"))
    return _glance(checks, {
        "icp.present": (icp or {}).get("number"),
        "business.identity": (biz or {}).get("company_name"),
        "refund_entry.found": (t["clicks_n"].format(n=refund["clicks"])
                               if refund["found"] and refund["clicks"] is not None else None),
    }, t)


SHOT_SECTIONS = {  # evidence kind -> the report section its screenshot illustrates (default: refund)
    "footer": "identity", "identity": "identity", "icp": "identity", "business": "identity", "licence": "identity",
    "license": "identity", "agreement": "agreement", "clause": "agreement", "terms": "agreement",
}


def _shots_by_section(evidence: Any, refund_view: dict, t: dict) -> dict[str, list[dict]]:
    """Screenshot thumbnails grouped by section; the refund ones in click order, the entry last."""
    out: dict[str, list[dict]] = {"identity": [], "agreement": [], "refund": []}
    entry = refund_view["screenshot"]
    seen_entry = False
    for index, item in enumerate(evidence or []):
        if not isinstance(item, dict):
            continue
        path = safe_relpath(item.get("path"), IMAGE_EXTS)
        if not path:
            continue
        caption, site_words, ours = _caption(str(item.get("caption") or ""), t)
        step = item.get("step") if isinstance(item.get("step"), int) and not isinstance(item.get("step"), bool) else None
        is_entry = path == entry or item.get("kind") == "refund_entry"
        seen_entry = seen_entry or path == entry
        shot = {"path": path, "caption": caption, "quoted": not ours, "site": site_words,
                "alt": refund_view["screenshot_alt"] if is_entry
                else f"{t['screenshot']}{t['colon']}{caption}{site_words or ''}",
                "order": (1 if is_entry else 0, step if step is not None else 10_000, index)}
        out[SHOT_SECTIONS.get(str(item.get("kind") or ""), "refund")].append(shot)
    if entry and not seen_entry:
        out["refund"].append({"path": entry, "caption": t["screenshot"], "quoted": False, "site": None,
                              "alt": refund_view["screenshot_alt"],
                              "order": (1, 10_000, 10_000)})
    out["refund"].sort(key=lambda s: s["order"])
    return out


# Screenshot captions the browser stage writes (auditor/browser/stage.py, render.py, reach.py)
# in Chinese: our words, in the page's language, and the shop's text after them (group "site").
_CAPTIONS = (
    (re.compile(r"第(?P<i>\d+)步：(?:输入订单号后)?点击「(?P<label>.*)」", re.S), "caption_step"),
    (re.compile(r"退款入口「(?P<label>.*?)」：.*?共 (?P<n>\d+) 次点击.*", re.S), "caption_entry"),
    (re.compile(r"页脚（ICP / 公安备案 / 公司信息）：(?P<site>.*)", re.S), "caption_footer"),
    # a framed page in a pop-up: 《用户协议》（弹窗（框内页面））
    (re.compile(r"《(?P<title>.*?)》（(?P<where>弹窗|页面)(?:（框内页面）)?）中的退款条款：(?P<site>.*)", re.S), "caption_terms"),
    (re.compile(r"商品页的购买提示：(?P<site>.*)", re.S), "caption_buy_prompt"),
    (re.compile(r"商品页上的条款：(?P<site>.*)", re.S), "caption_goods_term"),
    (re.compile(r"点击“(?P<label>.*?)”后的(?P<how>弹窗|浏览器对话框)：(?P<site>.*)", re.S), "caption_order_dialog"),
)


def _caption(caption: str, t: dict) -> tuple[str, str | None, bool]:
    """(our words, the shop's words after them, ours): ours=False when the whole caption is
    a label we do not know, shown as quoted text."""
    if not caption:
        return t["screenshot"], None, True
    for pattern, key in _CAPTIONS:
        m = pattern.fullmatch(caption)
        if m:
            values = m.groupdict()
            site = values.pop("site", None)
            if t is i18n.ui("zh"):
                ours = caption[: m.start("site")] if site is not None else caption
            else:
                values["where"] = {"弹窗": "pop-up", "页面": "page"}.get(values.get("where", ""), "")
                values["how"] = {"弹窗": "pop-up", "浏览器对话框": "browser dialog"}.get(values.get("how", ""), "")
                ours = t[key].format(**values)
            return ours, site, True
    return caption, None, False


# One colour on the verdict tile, and it is the risk level's: the transparency score is a
# number beside it, never a second verdict.  A green 85 next to "高风险" told a buyer two
# opposite things; now high risk is red whatever the score, medium amber, low green, and
# no risk level (not audited) grey.
RISK_TONE = {"high": "poor", "medium": "fair", "low": "good"}


def verdict_tone(level: str | None, score: float | None = None) -> str:
    """The colour band of the score ring: the risk level's (see RISK_TONE), "none" without one."""
    return RISK_TONE.get(level or "", "none")


# The at-a-glance tiles: each is the verdict of one check, so a tile can never say
# "found" while the problem list says "not found".  (label key, check id)
GLANCE = (("glance_icp", "icp.present"), ("glance_business", "business.identity"),
          ("glance_agreement", "agreement.present"), ("glance_refund", "refund_entry.found"),
          ("glance_contacts", "contact.present"))


GLANCE_SHALLOW = "refund_entry.shallow"     # a refund entry found but hidden is not a ✓


def _glance(checks: list[dict], values: dict, t: dict) -> list[dict]:
    """One tile per GLANCE entry: label, value, state (yes | no | na: not evaluated, with its
    own mark and the check's reason as a note), quoted (the value is the shop's own text,
    an ICP number or a company name)."""
    by_id = {c.get("id"): c for c in checks}
    tiles = []
    for key, check_id in GLANCE:
        row = by_id.get(check_id) or {}
        status = row.get("status")
        tile = {"label": t[key], "quoted": False, "note": None}
        if status == "pass":
            site_value = values.get(check_id)
            tile.update(state="yes", value=site_value or t["found"],
                        quoted=bool(site_value) and check_id != "refund_entry.found")
            if check_id == "refund_entry.found" and (by_id.get(GLANCE_SHALLOW) or {}).get("status") == "fail":
                tile["state"] = "no"
        elif status == "warn":
            tile.update(state="no", value=t["incomplete"])
        elif status == "fail":
            tile.update(state="no", value=t["not_found"])
        else:
            tile.update(state="na", value=t["not_checked"], note=row.get("reason") or None)
        tiles.append(tile)
    return tiles


def _level_basis(checks: list[dict], level: str, lang: str, t: dict) -> list[str]:
    """Which flags set the risk level, by rule ("高风险标记：使用“防红”躲避拦截、…"): a level
    is never shown without what it rests on."""
    from cardshop_auditor.profile import RULES, level_rules

    merged: dict[str, list[str]] = {}
    for rule_level, rule, flags in level_rules(checks):
        if rule_level == level:
            merged.setdefault(rule, [])
            merged[rule] += [f for f in flags if f not in merged[rule]]
    return [i18n.pick((RULES[rule]["zh"], RULES[rule]["en"]), lang).format(
                flags=t["list_sep"].join(flag_name(f, lang) for f in flags))
            for rule, flags in merged.items()]


def _certificate_error(report: dict) -> str | None:
    network = (report.get("gather") or {}).get("network")
    certificate = network.get("certificate") if isinstance(network, dict) else None
    return certificate.get("error") if isinstance(certificate, dict) else None


def _reason_view(reason: Any, lang: str) -> dict | None:
    """A technical reason for the page: plain words when known, else a label and the quoted detail."""
    if not reason:
        return None
    from cardshop_auditor.reasons import explain

    said = explain(str(reason))
    return {"text": said.pick(lang), "known": said.known, "raw": said.raw}


def _ring(score: float | None) -> dict:
    """SVG ring geometry (presentation attributes, not inline styles: the CSP forbids those)."""
    r = 52
    circumference = 2 * 3.141592653589793 * r
    filled = circumference * (max(0.0, min(100.0, float(score))) / 100 if score is not None else 0)
    return {"r": r, "c": f"{circumference:.2f}", "dash": f"{filled:.2f} {circumference:.2f}"}
