"""diff_reports: the diff.json contract, noise that is not a change, clause matching."""
from __future__ import annotations

import copy
import json
import re
from html import unescape

from cardshop_auditor.diff import change_lines, diff_clauses, diff_reports, normalise_text
from cardshop_auditor.report.diff_page import render_diff_html
from storage_reports import make_report


def test_unchanged_site_has_no_changes():
    a = make_report(scanned_at="2026-01-01T00:00:00+00:00")
    b = make_report(scanned_at="2026-01-08T00:00:00+00:00")
    diff = diff_reports(a, b)
    assert diff["schema_version"] == 1 and diff["changes"] == []
    assert diff["old"]["scanned_at"] == "2026-01-01T00:00:00+00:00" and diff["new"]["score"] == 88


def test_the_four_changes_and_their_consequences():
    old = make_report()
    new = make_report(icp=None, fee=False, clicks=4, company="深圳市卡速达网络科技有限公司", score=41,
                      flags=["no_icp", "blanket_no_refund"])
    changes = diff_reports(old, new)["changes"]
    assert [(c["field"], c["change"]) for c in changes] == [
        ("icp", "removed"), ("business", "changed"), ("clause", "changed"), ("refund_entry", "changed"),
        ("score", "changed"), ("flags", "added"), ("flags", "added")]
    icp, business, clause, refund, score, *flags = changes
    assert icp["old"] == "粤ICP备12345678号-1" and icp["new"] is None
    assert business["attr"] == "company_name" and business["new"] == "深圳市卡速达网络科技有限公司"
    assert clause["kind"] == "blanket_no_refund" and clause["old_kind"] == "refund_activated_fee"
    assert "10%" in clause["old"] and "概不退款" in clause["new"]
    assert refund["direction"] == "deeper" and (refund["old"], refund["new"]) == (3, 4)
    assert score["delta"] == 41 - 88
    assert [f["new"] for f in flags] == ["no_icp", "blanket_no_refund"]
    # and every change is JSON with the contract's keys
    for c in json.loads(json.dumps(changes)):
        assert {"field", "change", "old", "new"} <= set(c)
        assert c["change"] in ("added", "removed", "changed")


def test_noise_is_not_a_change():
    old, new = make_report(), make_report()
    clauses = new["findings"]["agreement"]["clauses"]
    clauses[0]["text"] = "  第一条  卡密未提取的订单 ，\n可申请全额退款 "                  # spacing, numbering, width
    clauses.append({"kind": "refund_timeline", "text": "退款将在3个工作日内原路退回。",   # same text on another page
                    "source_url": "http://127.0.0.1:8080/faq"})
    old["findings"]["agreement"]["clauses"].append(
        {"kind": "agreement_change", "text": "本协议更新于2025年3月1日，已售 12,833 件。【广告】充值送10%！"})
    new["findings"]["agreement"]["clauses"].append(
        {"kind": "agreement_change", "text": "本协议更新于2026年1月9日，已售 13,004 件。【广告】办卡立减5元！"})
    new["findings"]["agreement"]["clauses"].reverse()                                       # moved around
    new["findings"]["icp"]["number"] = "粤ICP备 12345678号-1"
    new["findings"]["contacts"]["phones"] = ["400 826 3317"]
    assert diff_reports(old, new)["changes"] == []


def test_numbers_inside_a_clause_are_material():
    old, new = make_report(), make_report()
    new["findings"]["agreement"]["clauses"][1] = {
        "kind": "refund_activated_fee", "text": "卡密已提取但未使用的，可申请退款，需扣除20%手续费。",
        "source_url": "http://127.0.0.1:8080/agreement", "fee_percent": 20}
    (change,) = diff_reports(old, new)["changes"]
    assert change["field"] == "clause" and change["change"] == "changed" and "old_kind" not in change
    assert (change["old_fee_percent"], change["new_fee_percent"]) == (10, 20)


def test_unrelated_clauses_are_added_and_removed():
    base = "http://x/agreement"
    old = [{"kind": "refund_unactivated", "text": "未提取卡密可退款。", "source_url": base},
           {"kind": "complaint_channel", "text": "如有争议可拨打12315投诉。", "source_url": base},
           {"kind": "refund_timeline", "text": "3个工作日内到账。", "source_url": base}]
    new = [{"kind": "refund_unactivated", "text": "未提取卡密可退款。", "source_url": base},
           {"kind": "refund_timeline", "text": "3个工作日内到账。", "source_url": base},
           {"kind": "final_interpretation", "text": "本平台保留最终解释权。", "source_url": base},
           {"kind": "evidence_required", "text": "申请退款须提供录屏。", "source_url": base}]
    got = [(c["change"], c["kind"]) for c in diff_clauses(old, new)]
    assert sorted(got) == [("added", "evidence_required"), ("added", "final_interpretation"),
                           ("removed", "complaint_channel")]


def test_refund_entry_gone_shallower_and_not_evaluated():
    old = make_report(clicks=3)
    gone = make_report()
    gone["findings"]["refund_entry"] = {"found": False, "steps": [], "clicks": None, "evaluated": True}
    (c,) = [c for c in diff_reports(old, gone)["changes"] if c["field"] == "refund_entry"]
    assert (c["change"], c["direction"], c["old"], c["new"]) == ("removed", "gone", 3, None)
    (c,) = diff_reports(old, make_report(clicks=2))["changes"]
    assert (c["change"], c["direction"]) == ("changed", "shallower")
    unknown = make_report()
    unknown["findings"]["refund_entry"] = {"found": False, "evaluated": False, "requires_login": True}
    diff = diff_reports(old, unknown)
    assert diff["changes"] == [] and any("refund entry not compared" in n for n in diff["notes"])


def test_flags_cleared_and_contacts():
    old = make_report(flags=["no_icp", "contact_qq_only"])
    new = make_report(flags=["no_icp"])
    new["findings"]["contacts"]["qq"] = ["800012345"]
    new["findings"]["contacts"]["address"] = "深圳市南山区科技园"
    got = [(c["field"], c["change"], c.get("attr"), c["old"], c["new"]) for c in diff_reports(old, new)["changes"]]
    assert got == [("flags", "removed", None, "contact_qq_only", None),
                   ("contacts", "added", "qq", None, "800012345"),
                   ("contacts", "added", "address", None, "深圳市南山区科技园")]


def test_an_unreachable_site_is_a_status_change_only():
    old = make_report()
    down = {"schema_version": 1, "target": old["target"], "status": "failed", "reason": "connection refused",
            "findings": {}, "score": None, "risk": {"level": "low", "flags": []}}
    diff = diff_reports(old, down)
    assert diff["changes"] == [{"field": "status", "change": "changed", "old": "complete", "new": "failed",
                                "reason": "connection refused"}]


def test_normalise_text():
    assert normalise_text("第五条 5.2 卡密已提取 ，可申请退款。") == "卡密已提取,可申请退款"
    assert normalise_text("更新于2024-03-01 12:00，已售 12,833 件") == normalise_text("更新于2025/1/9 09:30，已售 9 件")
    assert normalise_text("扣除10%手续费") != normalise_text("扣除20%手续费")
    assert normalise_text("3个工作日内到账") != normalise_text("7个工作日内到账")


def test_html_is_escaped_side_by_side_and_locked_down():
    old = make_report()
    new = make_report(fee=False, company="<script>alert(1)</script>有限公司")
    new["findings"]["agreement"]["clauses"][1]["text"] = "一经售出概不退款<img src=x onerror=alert(1)>"
    html = render_diff_html(diff_reports(old, new))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert "default-src 'none'" in csp and "script-src 'none'" in csp and "unsafe-inline" not in csp
    assert "<del>" in html and "<ins>" in html                     # side-by-side marks
    assert "http://" not in re.sub(r'href="http://127\.0\.0\.1:8080/[^"]*"', "", html).replace(
        "http://127.0.0.1:8080/", "")                              # nothing loads from anywhere
    assert not re.search(r"<(script|iframe|object|embed)\b|<link(?![^>]*href=\"data:,\")", html)


def test_change_lines_are_readable():
    lines = change_lines(diff_reports(make_report(), make_report(icp=None, clicks=4)))
    assert lines[0] == "icp removed: 粤ICP备12345678号-1"
    assert "refund entry deeper: 3 → 4 click(s)" in lines


def test_diff_does_not_mutate_its_inputs():
    old, new = make_report(), make_report(icp=None)
    snapshot = copy.deepcopy((old, new))
    diff_reports(old, new)
    assert (old, new) == snapshot
