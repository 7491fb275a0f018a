"""Synthetic findings for the check tests.

``make_findings()`` is a complete findings dict (built from ``cardshop_auditor.contracts``) for a
compliant shop: every check passes or does not apply.  Overrides replace a top-level finding
(``make_findings(icp=None)``) or one field inside it with ``__`` (``icp__in_footer=False``).

Tests get the helpers as fixtures of the same names (``def test_x(make_findings): ...``), so
nothing imports this module by name.
"""
from __future__ import annotations

import pytest

from cardshop_auditor.contracts import (Agreement, Business, Clause, ContactDetails, Findings, IcpFiling,
                                        PsbFiling, RefundEntry, Signals, Site)

HOME = "https://shop.example.cn/"
TERMS = HOME + "agreement"


def clause(kind: str, text: str, **extra) -> dict:
    return Clause(kind=kind, text=text, source_url=TERMS, **extra).to_json()


COMPLIANT_CLAUSES = [
    clause("refund_unactivated", "已付款但未提取卡密的订单，可在购买后 7 日内申请全额退款。"),
    clause("refund_activated_fee", "已提取但未使用的卡密，可扣除 10% 手续费后退款。", fee_percent=10),
    clause("no_refund_used", "已使用、已兑换或已充值到账的商品，除法律另有规定外不支持退款。"),
    clause("platform_fault", "因平台原因导致卡密无效的，可选择补发、更换或全额退款。"),
    clause("special_goods_exclusion", "限时特价商品在购买页面经您确认后不适用七日无理由退货。"),
    clause("refund_channel", "退款将原路退回至您的原支付方式。"),
    clause("refund_timeline", "审核通过后 3 个工作日内原路退回。"),
    clause("evidence_required", "申请时请提供订单号及卡密无效的截图。"),
    clause("complaint_channel", "如对处理结果有异议，可通过工单系统申诉，或拨打 12315 投诉。"),
    clause("agreement_change", "本协议修改时，将在首页公示修改内容，并于公示七日后生效。"),
]


def _compliant() -> dict:
    return Findings(
        icp=IcpFiling(number="京ICP备16059763号-1", valid_format=True, placeholder=False, source_url=HOME,
                      in_footer=True, raw="京ICP备16059763号-1", linked_to_miit=True),
        icp_license=None,
        psb_filing=PsbFiling(number="京公网安备11010502030143号", region_code="110105", consistent=True,
                             source_url=HOME, in_footer=True, raw="京公网安备11010502030143号", province="北京",
                             valid_format=True, placeholder=False),
        business=Business(uscc="91110000600037341L", uscc_valid=True, company_name="北京某某科技有限公司",
                          source_url=HOME + "about", name_source_url=HOME + "about"),
        agreement=Agreement(url=TERMS, title="用户服务协议", reachable_from_home=True, pages=[TERMS],
                            clauses=[Clause.from_json(c) for c in COMPLIANT_CLAUSES], source="link",
                            fetched=True, depth=1),
        refund_entry=RefundEntry.located(["个人中心", "我的订单", "申请售后"], HOME + "user/orders",
                                         method="browser", page_url=HOME + "user", requires_login=True,
                                         in_overflow_menu=False),
        contacts=ContactDetails(phones=["400-800-8888"], emails=["service@shop.example.cn"], qq=["800012345"],
                                address="北京市朝阳区某某路 1 号"),
        signals=Signals(),
        site=Site(start_url=HOME, final_url=HOME, https=True, host="shop.example.cn", pages_fetched=12,
                  pages_failed=0, login_required=True, needs_browser=False),
    ).to_json()


def make_findings(**overrides) -> dict:
    findings = _compliant()
    for key, value in overrides.items():
        if "__" in key:
            top, field = key.split("__", 1)
            findings[top][field] = value
        else:
            findings[key] = value
    return findings


def with_clauses(*clauses: dict, **agreement_fields) -> dict:
    """A compliant shop whose agreement holds exactly these clauses."""
    findings = make_findings()
    findings["agreement"].update(clauses=list(clauses), **agreement_fields)
    return findings


def crawl_failed() -> dict:
    return make_findings(site__pages_fetched=0, site__gather_errors=["connection refused"])


@pytest.fixture(name="make_findings")
def _make_findings_fixture():
    return make_findings


@pytest.fixture(name="with_clauses")
def _with_clauses_fixture():
    return with_clauses


@pytest.fixture(name="clause")
def _clause_fixture():
    return clause


@pytest.fixture(name="crawl_failed")
def _crawl_failed_fixture():
    return crawl_failed()
