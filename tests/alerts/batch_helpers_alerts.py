"""report.json files for the alert tests (imported by module name)."""
from __future__ import annotations


def report(score: int, icp: str | None) -> dict:
    findings = {"icp": {"number": icp, "valid_format": True, "source_url": "http://127.0.0.1:9/",
                        "in_footer": True} if icp else None,
                "business": {"uscc": None, "uscc_valid": None, "company_name": "广州速充网络科技有限公司",
                             "source_url": "http://127.0.0.1:9/about.html"},
                "agreement": None, "refund_entry": {"found": True, "clicks": 2, "steps": ["我的订单", "申请售后"]},
                "contacts": {"phones": [], "emails": [], "qq": [], "wechat": [], "address": None}}
    return {"schema_version": 1, "target": "http://127.0.0.1:9/", "final_url": "http://127.0.0.1:9/",
            "status": "complete", "scanned_at": "2026-12-07T03:15:00+00:00", "tool_version": "test",
            "pages": [], "findings": findings, "checks": [], "score": score,
            "risk": {"level": "low" if icp else "high", "flags": [] if icp else ["no_icp"]}}


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
