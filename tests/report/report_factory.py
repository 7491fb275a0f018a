"""Realistic reports for the report tests, built the way the pipeline builds them:
synthetic artifacts + findings -> judge (the real checks when there are any, otherwise
crafted rows shaped like auditor.judge's) -> cardshop_auditor.report.build_report.

``hostile=True`` plants markup, script and ``javascript:`` URLs in every shop-controlled
string, aimed at ``pwn_url`` (a local recorder), so a test can prove none of it fires.
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

from cardshop_auditor.artifacts import Page, ShopArtifacts, ShopMeta, sha256_bytes
from cardshop_auditor.report import build_report

TOOL_VERSION = "0.1.0"
SCANNED_AT = "2025-03-14T09:26:53+08:00"


def payloads(pwn_url: str) -> dict:
    """Hostile strings a shop could put in its pages (each would hit pwn_url if it ran)."""
    return {
        "script": f"<script>fetch('{pwn_url}?via=script');window.__pwned=1</script>",
        "attr_break": f"\"><img src=x onerror=\"fetch('{pwn_url}?via=img');window.__pwned=1\">",
        "svg": f"<svg/onload=fetch('{pwn_url}?via=svg')>",
        "style_break": f"</style><script>fetch('{pwn_url}?via=style')</script>",
        "template": "{{ 7*7 }}{% raw %}{{ config }}",
        "js_url": "javascript:alert(1)",
        "js_url_mixed": " JaVaScRiPt:fetch('" + pwn_url + "?via=href')",
        "js_url_tab": "java\tscript:alert(1)",
        "data_url": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript": "vbscript:msgbox(1)",
        "icp_markup": f"京ICP备<b onmouseover=\"fetch('{pwn_url}?via=icp')\">1234</b>5678号-1",
        "long": "卡" * 400 + "A" * 400,
    }


def png_bytes(width: int = 360, height: int = 640, accent=(23, 50, 77)) -> bytes:
    """A small valid PNG that looks like a phone screenshot (header bar, rows, a button)."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            if y < 56:
                px = accent
            elif 80 <= y < 600 and (y - 80) % 72 < 56 and 16 <= x < width - 16:
                px = (238, 242, 247) if not (y >= 512 and 200 <= x < width - 24) else (179, 38, 30)
            else:
                px = (255, 255, 255)
            rows += bytes(px)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 6)) + chunk(b"IEND", b"")


def write_evidence(report_dir: Path) -> list[dict]:
    """Screenshot files under report_dir/evidence/, returned as report evidence records."""
    shots = [("evidence/refund-entry.png", "refund_entry", "申请退订按钮（订单详情 → 更多）", (179, 38, 30)),
             ("evidence/home.png", "screenshot", "首页", (23, 50, 77)),
             ("evidence/orders.png", "refund_step", "我的订单", (23, 50, 77))]
    records = []
    for rel, kind, caption, accent in shots:
        data = png_bytes(accent=accent)
        path = Path(report_dir) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        records.append({"path": rel, "sha256": sha256_bytes(data), "kind": kind, "caption": caption})
    return records


def make_artifacts(base: str, *, failed: bool = False, hostile: bool = False) -> ShopArtifacts:
    meta = ShopMeta(target=base, final_url=None if failed else base,
                    started_at=SCANNED_AT, finished_at=SCANNED_AT,
                    errors=["connection refused: " + base] if failed else ["timeout: " + base + "help/faq.html"],
                    stats={"pages": 0 if failed else 7, "bytes": 0 if failed else 184_203, "seconds": 3.2})
    if failed:
        return ShopArtifacts(meta=meta, pages=[Page(url=base, final_url=base, status=0, error="connection_refused")])
    rows = [("", 200, "http", "utf-8"), ("agreement.html", 200, "http", "gbk"), ("refund.html", 200, "http", "utf-8"),
            ("user/orders", 200, "browser", "utf-8"), ("user/order/20250314001", 200, "browser", "utf-8"),
            ("contact.html", 404, "http", "utf-8"), ("help/faq.html", 0, "http", None)]
    pages = []
    for i, (path, status, via, enc) in enumerate(rows):
        body = f"<html>{path}</html>".encode()
        pages.append(Page(url=base + path, final_url=base + path, status=status, fetched_with=via, encoding=enc,
                          content_type="text/html; charset=" + (enc or "utf-8"), html=body.decode(),
                          sha256=sha256_bytes(body) if status else "", depth=0 if i == 0 else 1,
                          error="timeout" if status == 0 else None))
    if hostile:
        p = payloads(base + "pwned")
        pages.append(Page(url=p["js_url"], final_url=p["js_url"], status=200, fetched_with="http",
                          encoding=p["script"][:40], sha256="", depth=2, error=p["attr_break"]))
    return ShopArtifacts(meta=meta, pages=pages)


def realistic_findings(base: str, *, hostile: bool = False, pwn_url: str | None = None) -> dict:
    """A typical small 卡盟: ICP present, no 公安备案, bad USCC, harsh terms, refund entry
    five clicks deep inside 更多, QQ-only contact, plain http, personal payment."""
    agreement = base + "agreement.html"
    f = {
        "icp": {"number": "粤ICP备2021012345号-1", "valid_format": True, "placeholder": False,
                "source_url": base, "in_footer": True, "raw": "粤ICP备2021012345号-1"},
        "icp_license": None,
        "psb_filing": None,
        "business": {"uscc": "91440300708461137A", "uscc_valid": False,
                     "company_name": "深圳市星辰网络科技有限公司", "source_url": base + "about.html"},
        "agreement": {"url": agreement, "title": "用户服务协议", "reachable_from_home": True, "pages": [agreement],
                      "clauses": [
            {"kind": "refund_unactivated", "text": "订单支付成功但卡密尚未提取的，可在 24 小时内申请全额退款。", "source_url": agreement},
            {"kind": "refund_activated_fee", "text": "卡密已提取但未使用的，经核实后可退款，需扣除订单金额 15% 的手续费。",
             "source_url": agreement, "fee_percent": 15},
            {"kind": "no_refund_used", "text": "已使用、已兑换或已充值到账的商品不支持退款。", "source_url": agreement},
            {"kind": "platform_fault", "text": "因平台原因导致卡密无效的，平台将为您补发或退款。", "source_url": agreement},
            {"kind": "blanket_no_refund", "text": "虚拟商品一经售出，概不退换。", "source_url": agreement},
            {"kind": "refund_channel", "text": "退款将退至您的账户余额，余额不支持提现。", "source_url": agreement},
            {"kind": "refund_timeline", "text": "退款申请将在 3 个工作日内审核完毕。", "source_url": agreement},
            {"kind": "evidence_required", "text": "申请退款时须提供订单详情页截图及卡密无法使用的录屏。", "source_url": agreement},
            {"kind": "agreement_change", "text": "本站有权随时修改本协议，修改后自公告之日起生效。", "source_url": agreement},
            {"kind": "final_interpretation", "text": "本协议的最终解释权归本站所有。", "source_url": agreement},
        ]},
        "refund_entry": {"found": True, "steps": ["个人中心", "我的订单", "订单详情", "更多", "申请退订"], "clicks": 5,
                         "url": base + "user/order/20250314001/refund", "requires_login": True,
                         "screenshot": "evidence/refund-entry.png", "in_overflow_menu": True, "evaluated": True,
                         "method": "browser", "reason": ""},
        "contacts": {"phones": [], "emails": [], "qq": ["800012345"], "wechat": [], "address": None},
        "signals": {"template": [{"id": "dujiaoka", "url": base, "snippet": "Powered by：@独角数卡"}],
                    "payment": [{"id": "codepay", "url": base + "buy/3", "snippet": "码支付 扫码付款"}],
                    "anti_blocking": []},
        "site": {"start_url": base, "final_url": base, "https": base.startswith("https"), "host": "127.0.0.1",
                 "pages_fetched": 7, "pages_failed": 1, "login_required": True, "needs_browser": False,
                 "gather_errors": ["timeout: " + base + "help/faq.html"]},
    }
    if hostile:
        p = payloads(pwn_url or base + "pwned")
        f["icp"].update(number=p["icp_markup"], raw=p["icp_markup"], source_url=p["js_url"], valid_format=False)
        f["icp_license"] = {"number": p["svg"], "kind": "b2", "source_url": p["data_url"]}
        f["psb_filing"] = {"number": p["attr_break"], "region_code": p["script"], "consistent": False,
                           "source_url": p["vbscript"], "in_footer": False}
        f["business"].update(company_name=p["style_break"] + "有限公司", source_url=p["js_url_mixed"],
                             uscc=p["template"])
        f["agreement"].update(title=p["script"] + "用户协议", url=p["js_url_tab"])
        f["agreement"]["clauses"] += [
            {"kind": "blanket_no_refund", "text": p["attr_break"] + "一经售出概不退款", "source_url": p["js_url"]},
            {"kind": "complaint_channel", "text": p["long"], "source_url": p["data_url"]},
            {"kind": "refund_channel", "text": p["template"], "source_url": "http://" + "x" * 300 + ".example/"},
        ]
        f["refund_entry"].update(steps=[p["script"], p["attr_break"], "更多", p["long"][:60]],
                                 url=p["js_url"], screenshot="../../../etc/passwd.png")
        f["contacts"] = {"phones": [p["attr_break"]], "emails": [p["script"]], "qq": [p["svg"]],
                         "wechat": [p["template"]], "address": p["style_break"] + p["long"]}
    return f


# (id, zh title, zh failure title, weight, severity, basis, flag, status, reason, evidence(url, snippet))
def crafted_rows(findings: dict, base: str, *, hostile: bool = False, pwn_url: str | None = None) -> list[dict]:
    agreement = (findings.get("agreement") or {}).get("url") or base
    p = payloads(pwn_url or base + "pwned") if hostile else None
    rows = [
        ("icp.present", "公示了ICP备案号", "未公示ICP备案号", 3, "medium", "互联网信息服务管理办法 第十二条",
         "no_icp", "pass", "", [(base, "粤ICP备2021012345号-1")]),
        ("icp.format", "ICP备案号格式正确", "ICP备案号格式异常", 2, "medium", "互联网信息服务管理办法 第十二条",
         "icp_malformed", "pass", "", [(base, "粤ICP备2021012345号-1")]),
        ("psb.present", "公示了公安联网备案号", "未公示公安联网备案号", 1, "low", "计算机信息网络国际联网安全保护管理办法 第十二条",
         "no_psb_filing", "fail", "首页及页脚均未找到公网安备号", []),
        ("business.identity", "公示了经营者身份", "未公示经营者身份", 3, "medium", "电子商务法 第十五条",
         "no_business_identity", "pass", "", [(base + "about.html", "深圳市星辰网络科技有限公司")]),
        ("business.uscc_valid", "统一社会信用代码有效", "统一社会信用代码无效", 2, "high", "GB 32100-2015",
         "uscc_invalid", "fail", "校验位应为 T，页面上是 A", [(base + "about.html", "统一社会信用代码：91440300708461137A")]),
        ("agreement.present", "首页可以找到用户协议", "找不到用户协议", 3, "medium", "电子商务法 第三十三条",
         "no_agreement", "pass", "", [(agreement, "用户服务协议")]),
        ("clause.refund_policy", "写明了退款规则", "没有退款规则", 3, "medium", "消费者权益保护法 第二十五条",
         "no_refund_policy", "pass", "", [(agreement, "订单支付成功但卡密尚未提取的，可在 24 小时内申请全额退款。")]),
        ("clause.no_blanket_exclusion", "没有“概不退换”类条款", "含有“一经售出概不退换”类条款", 3, "high",
         "消费者权益保护法 第二十六条", "blanket_no_refund", "fail", "", [(agreement, "虚拟商品一经售出，概不退换。")]),
        ("clause.no_final_interpretation", "没有“最终解释权”条款", "声称拥有“最终解释权”", 2, "medium",
         "最高人民法院关于审理网络消费纠纷案件适用法律若干问题的规定（一） 第一条", "final_interpretation_claim", "fail", "",
         [(agreement, "本协议的最终解释权归本站所有。")]),
        ("clause.agreement_change_notice", "协议变更提前公示", "协议修改后立即生效，未提前公示", 1, "low",
         "电子商务法 第三十四条", None, "warn", "修改“自公告之日起生效”，没有 7 日公示期",
         [(agreement, "本站有权随时修改本协议，修改后自公告之日起生效。")]),
        ("clause.complaint_channel", "写明了投诉渠道", "没有写明投诉渠道", 1, "low", "消费者权益保护法 第三十九条",
         None, "warn", "协议未提到申诉、客服工单或 12315", []),
        ("refund.entry_present", "找到了退款入口", "找不到退款入口", 3, "high", "电子商务法 第五十条",
         "refund_entry_missing", "pass", "", [(base + "user/order/20250314001", "申请退订")]),
        ("refund.entry_depth", "退款入口容易找到", "退款入口藏得很深", 2, "medium", "消费者权益保护法 第二十六条",
         "refund_entry_hidden", "fail", "需要点击 5 次，且在“更多”菜单里",
         [(base + "user/order/20250314001", "个人中心 → 我的订单 → 订单详情 → 更多 → 申请退订")]),
        ("contact.present", "公示了联系方式", "没有联系方式", 2, "medium", "消费者权益保护法 第二十八条",
         "no_contact", "pass", "", [(base, "客服QQ：800012345")]),
        ("contact.not_qq_only", "有QQ以外的联系方式", "只有QQ联系方式", 1, "medium", "消费者权益保护法 第二十八条",
         "contact_qq_only", "fail", "", [(base, "客服QQ：800012345")]),
        ("site.https", "使用HTTPS", "未使用HTTPS", 1, "low", "GB/T 22239-2019", "no_https", "fail",
         "首页通过 http:// 提供", [(base, base)]),
        ("signals.template", "不是未修改的开源模板", "未修改的开源发卡模板", 0, "low", "电子商务法 第十七条",
         "template_default", "fail", "", [(base, "Powered by：@独角数卡")]),
        ("signals.payment", "使用正规支付方式", "使用个人收款或免签支付", 0, "high", "电子商务法 第五十三条",
         "personal_payment", "fail", "", [(base + "buy/3", "码支付 扫码付款")]),
        ("signals.anti_blocking", "没有“防红”", "使用“防红”躲避拦截", 0, "medium", "电子商务法 第十七条",
         "anti_blocking", "pass", "", []),
        ("psb.consistent", "公安备案号省份与编码一致", "公安备案号省份与编码不一致", 1, "medium", "计算机信息网络国际联网安全保护管理办法 第十二条",
         "psb_inconsistent", "not_applicable", "没有公安备案号可比较", []),
        ("icp.registry_match", "备案主体与经营者一致", "备案主体与经营者不一致", 1, "medium", "互联网信息服务管理办法 第十二条",
         None, "error", "check crashed", [(None, "KeyError: 'records'")]),
    ]
    out = []
    for cid, title, failure, weight, severity, basis, flag, status, reason, evidence in rows:
        ev = [{"url": u, "snippet": s} for u, s in evidence]
        if hostile and ev:
            ev.append({"url": p["js_url"], "snippet": p["script"]})
            ev.append({"url": p["js_url_mixed"], "snippet": p["attr_break"]})
        out.append({"id": cid, "title": failure if status in ("fail", "warn") else title, "status": status,
                    "weight": weight, "severity": severity, "basis": basis, "bases": [basis],
                    "description": "", "reason": reason,
                    "flag": flag if status == "fail" and flag else None, "evidence": ev})
    return out


def crafted_judged(findings: dict, base: str, **kw) -> dict:
    from cardshop_auditor.profile import risk_level, score

    rows = crafted_rows(findings, base, **kw)
    flags, evidence = [], {}
    for r in rows:
        if r["flag"] and r["flag"] not in flags:
            flags.append(r["flag"])
            evidence[r["flag"]] = r["evidence"]
    return {"checks": rows, "score": score(rows),
            "risk": {"level": risk_level(rows), "flags": flags, "evidence": evidence}}


def judged_for(findings: dict, base: str, *, real_checks: bool = True, lang: str = "zh", **kw) -> dict:
    """The real judge (in ``lang``) when the checks package has checks; crafted rows otherwise."""
    if real_checks:
        from cardshop_auditor.judge import judge

        judged = judge(findings, lang=lang)
        if judged["checks"]:
            return judged
    return crafted_judged(findings, base, **kw)


def make_report(base: str = "http://127.0.0.1:8000/", *, lang: str = "zh", hostile: bool = False,
                pwn_url: str | None = None, real_checks: bool = False, report_dir: Path | None = None) -> dict:
    """A full report.  With report_dir, screenshot files are written under it and listed."""
    findings = realistic_findings(base, hostile=hostile, pwn_url=pwn_url)
    judged = judged_for(findings, base, real_checks=real_checks, lang=lang, hostile=hostile, pwn_url=pwn_url)
    evidence = write_evidence(report_dir) if report_dir is not None else None
    if hostile and evidence is not None:
        p = payloads(pwn_url or base + "pwned")
        evidence = evidence + [{"path": "../secret.png", "sha256": "", "kind": "screenshot", "caption": p["script"]},
                               {"path": p["js_url"], "sha256": "", "kind": "screenshot", "caption": "x"}]
        evidence[1] = {**evidence[1], "caption": p["attr_break"]}
    return build_report(make_artifacts(base, hostile=hostile), findings, judged, tool_version=TOOL_VERSION,
                        scanned_at=SCANNED_AT, lang=lang, evidence=evidence)


def failed_report(base: str = "http://127.0.0.1:9/") -> dict:
    """An unreachable target: no page fetched, findings empty, judged over nothing."""
    judged = {"checks": [], "score": None, "risk": {"level": "low", "flags": []}}
    return build_report(make_artifacts(base, failed=True), {}, judged, tool_version=TOOL_VERSION,
                        scanned_at=SCANNED_AT, lang="zh")
