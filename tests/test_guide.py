"""The refund guide on hand-made findings: each part, the "states nothing" cases, the terms
that do not bind the buyer, and its section in report.html (escaped shop text)."""
from __future__ import annotations

from cardshop_auditor.guide import build_guide
from cardshop_auditor.report import render_html


def _report(clauses=(), entry=None, contacts=None, checks=(), flags=(), status="complete", business=None):
    return {"status": status, "target": "http://127.0.0.1:9/", "scanned_at": "2026-01-02T03:04:05+00:00",
            "findings": {"agreement": {"url": "http://127.0.0.1:9/terms", "title": "购买须知",
                                       "clauses": [{"kind": k, "text": t, "source_url": "http://127.0.0.1:9/terms",
                                                    **({"fee_percent": 15} if k == "refund_activated_fee" else {})}
                                                   for k, t in clauses]},
                         "refund_entry": entry or {"found": False, "steps": [], "clicks": None,
                                                   "requires_login": False, "evaluated": True},
                         "contacts": contacts or {"phones": [], "emails": [], "qq": [], "wechat": [], "address": None},
                         "business": business},
            "checks": list(checks), "risk": {"level": "high", "flags": list(flags)}, "score": 40}


def _situations(guide):
    return {s["situation"]: s for s in guide["situations"]}


def test_blanket_shop_refuses_everything_but_the_term_does_not_bind():
    blanket = "本站商品一经售出概不退换，请谨慎购买。"
    check = {"id": "terms.no_blanket_exclusion", "status": "fail", "basis": "消费者权益保护法 第二十六条；民法典 第四百九十七条",
             "evidence": [{"url": "http://127.0.0.1:9/terms", "snippet": blanket}]}
    guide = build_guide(_report([("blanket_no_refund", blanket)], checks=[check],
                                contacts={"phones": [], "emails": [], "qq": ["12345678"], "wechat": [], "address": None},
                                flags=["blanket_no_refund", "personal_payment"]))
    s = _situations(guide)
    assert s["not_extracted"]["status"] == "refuses" and s["used"]["status"] == "refuses"
    assert s["not_extracted"]["quotes"]["items"][0]["text"] == blanket
    # an invalid key is the shop's fault: the blanket term does not settle it, the law does
    assert s["invalid_key"]["status"] == "unstated"
    assert any("消费者权益保护法 第二十四条" in n["basis"] for n in s["invalid_key"]["notes"])
    void = guide["refused"]["void_terms"]
    assert [v["kind"] for v in void] == ["blanket"]
    assert void[0]["basis"] == check["basis"] and void[0]["quotes"]["items"][0]["text"] == blanket
    assert guide["where"]["kind"] == "no_entry"
    assert guide["where"]["contacts"] == [{"kind": "qq", "value": "12345678", "source_url": None}]
    assert guide["refused"]["personal_payment"]
    assert guide["refused"]["operator"] is None


def test_silent_shop_is_said_to_state_nothing():
    guide = build_guide(_report(), "en")
    assert all(s["status"] == "unstated" and s["hint"] for s in guide["situations"])
    assert guide["money"]["fee_percent"] is None and guide["money"]["fee_text"] == "Fee: the shop states none."
    assert not guide["prepare"]["stated"] and not guide["refused"]["shop_route_stated"]
    assert guide["refused"]["void_terms"] == []
    assert guide["where"]["contacts"] == []


def test_careful_shop_click_path_fee_and_routes():
    entry = {"found": True, "steps": ["个人中心", "我的订单", "申请售后"], "clicks": 3, "requires_login": True,
             "in_overflow_menu": False, "url": "http://127.0.0.1:9/refund", "screenshot": "evidence/entry.png"}
    guide = build_guide(_report([
        ("refund_unactivated", "卡密未提取的订单可全额退款。"),
        ("refund_activated_fee", "卡密已提取未使用的，扣除15%手续费后退款。"),
        ("no_refund_used", "卡密已兑换的不予退款。"),
        ("refund_timeline", "退款3个工作日内原路退回。"),
        ("evidence_required", "请提供订单号和充值失败截图。"),
        ("complaint_channel", "对处理结果有异议的可提交工单申诉。"),
        ("complaint_channel", "有问题请联系客服。"),
    ], entry=entry, business={"company_name": "杭州某某网络科技有限公司"}))
    s = _situations(guide)
    assert [s[k]["status"] for k in ("not_extracted", "extracted_unused", "invalid_key", "used")] == \
        ["refundable", "fee", "unstated", "not_refundable"]
    assert s["extracted_unused"]["fee_percent"] == 15 and "15%" in s["extracted_unused"]["status_text"]
    where = guide["where"]
    assert (where["kind"], where["steps"], where["clicks"], where["requires_login"]) == \
        ("entry", ["个人中心", "我的订单", "申请售后"], 3, True)
    assert where["screenshot"] == "evidence/entry.png"
    assert guide["prepare"]["shop"]["items"][0]["text"] == "请提供订单号和充值失败截图。"
    # "contact support" is not a complaint route; the appeal is
    assert [q["text"] for q in guide["refused"]["shop_route"]["items"]] == ["对处理结果有异议的可提交工单申诉。"]
    assert guide["refused"]["operator"]["name"] == "杭州某某网络科技有限公司"


def test_failed_audit_has_no_guide():
    guide = build_guide({"status": "failed", "findings": {}}, "zh")
    assert guide["available"] is False and guide["message"]


def test_report_html_shows_the_guide_with_shop_text_escaped():
    hostile = "<script>alert(1)</script>卡密未提取可退款"
    html = render_html(_report([("refund_unactivated", hostile)]), "zh")
    assert 'id="guide"' in html and "退款指南" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;卡密未提取可退款" in html
