"""Synthetic report.json dicts for the storage and diff tests (imported by module name:
pytest puts this directory on sys.path)."""
from __future__ import annotations


def make_report(url="http://127.0.0.1:8080/", scanned_at="2026-01-05T08:00:00+00:00", score=88,
                icp="粤ICP备12345678号-1", company="深圳市云卡互联科技有限公司", fee=True, clicks=3,
                flags=(), status="complete", evidence=()):
    """A report.json shaped like the pipeline's (only what storage and diff read)."""
    clauses = [
        {"kind": "refund_unactivated", "text": "卡密未提取的订单，可申请全额退款。", "source_url": url + "agreement"},
        {"kind": "refund_activated_fee", "text": "卡密已提取但未使用的，可申请退款，需扣除10%手续费。",
         "source_url": url + "agreement", "fee_percent": 10} if fee else
        {"kind": "blanket_no_refund", "text": "虚拟商品一经售出概不退款。", "source_url": url + "agreement"},
        {"kind": "refund_timeline", "text": "退款将在3个工作日内原路退回。", "source_url": url + "agreement"},
    ]
    return {
        "schema_version": 1, "target": url, "final_url": url, "scanned_at": scanned_at, "tool_version": "0.1.0",
        "status": status, "pages": [],
        "findings": {
            "icp": {"number": icp, "valid_format": True} if icp else None,
            "icp_license": None, "psb_filing": None,
            "business": {"uscc": "91440300708461136T", "uscc_valid": True, "company_name": company},
            "agreement": {"url": url + "agreement", "title": "用户服务协议", "clauses": clauses},
            "refund_entry": {"found": True, "clicks": clicks, "steps": ["个人中心", "我的订单", "申请售后", "确认"][:clicks],
                             "evaluated": True},
            "contacts": {"phones": ["400-826-3317"], "emails": [], "qq": [], "wechat": [], "address": None},
        },
        "checks": [], "score": score, "risk": {"level": "high" if flags else "low", "flags": list(flags)},
        "evidence": [{"path": p, "caption": "shot"} for p in evidence],
    }

