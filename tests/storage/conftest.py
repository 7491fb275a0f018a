"""Storage tests run twice: on SQLite (a file in tmp) and on a real PostgreSQL started
for the session (tests/scale/services.py)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest


def services():
    name = "cardshop_test_services"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parents[1] / "scale" / "services.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def postgres_server():
    svc = services()
    try:
        server = svc.acquire("postgres")
    except svc.ServiceUnavailable as exc:
        pytest.skip(str(exc))
    yield server
    svc.release("postgres")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    from auditor.storage import close_stores
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'history.db'}"
    else:
        url = request.getfixturevalue("postgres_server").create_database("st")
    yield url
    close_stores()


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


@pytest.fixture
def report_factory():
    return make_report
