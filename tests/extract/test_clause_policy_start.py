"""A policy page given as the start URL is read as the policy (issue 10 item 5).

A small shop of our own is served on 127.0.0.1 and audited end to end (static crawl only);
its refund page carries no policy word in its title, so only its address or its content
says what it is."""
from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cardshop_auditor.options import AuditOptions
from cardshop_auditor.pipeline import Target, audit_shops

NAV = '<nav><a href="/">首页</a> <a href="/goods/1.html">商品</a> <a href="/help/refund.html">售后</a></nav>'
FOOT = '<footer>云栈数卡 © 2025 | 渝ICP备2023005512号-1 | 客服邮箱 help@yunzhan.test</footer>'

REFUND_SENTENCES = [
    "付款后卡密尚未提取的订单，可在订单详情里直接撤单，货款全额退回。",
    "卡密提取后提示无效或已被他人使用的，请在24小时内提交工单，附上订单号和报错截图，核实后补发或退款。",
    "工单提交后我们会在1个工作日内回复处理结果。",
    "退款按原支付方式退回，一般3个工作日内到账。",
    "已成功充值到账的卡密不再办理退款。",
    "对处理结果有异议的，可以在工单里申诉，或向12315投诉。",
]


def _page(title: str, heading: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"{NAV}<main><h1>{heading}</h1>{body}</main>{FOOT}</body></html>")


@pytest.fixture
def shop_site(tmp_path):
    site = tmp_path / "site"
    (site / "help").mkdir(parents=True)
    (site / "goods").mkdir()
    (site / "p").mkdir()
    (site / "index.html").write_text(_page("云栈数卡", "热门商品", ["腾讯视频月卡 现价 19.9 元，自动发货。"]),
                                     encoding="utf-8")
    (site / "goods" / "1.html").write_text(_page("腾讯视频月卡 - 云栈数卡", "腾讯视频月卡", ["库存 120，自动发货。"]),
                                           encoding="utf-8")
    # the title names only the site, the heading no policy word: the address says /help/
    (site / "help" / "refund.html").write_text(_page("帮助 - 云栈数卡", "售后与退款", REFUND_SENTENCES),
                                               encoding="utf-8")
    # neither the address nor the title says "policy": only the content does
    (site / "p" / "7.html").write_text(_page("云栈数卡", "下单前请看", REFUND_SENTENCES), encoding="utf-8")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _audit(url: str, out: Path) -> dict:
    [result] = audit_shops([Target(url=url, out_dir=out, id="start")], AuditOptions(browser="never"),
                           log=lambda m: None)
    return result.report


@pytest.mark.parametrize("path", ["/help/refund.html", "/p/7.html"])
def test_start_page_that_is_a_policy_is_the_agreement(shop_site, tmp_path, path):
    start = shop_site + path
    report = _audit(start, tmp_path / "out")
    agreement = report["findings"]["agreement"]
    assert agreement is not None and agreement["url"] == start
    kinds = {c["kind"] for c in agreement["clauses"] if c["source_url"] == start}
    assert {"refund_unactivated", "platform_fault", "evidence_required", "complaint_channel",
            "refund_timeline", "refund_channel", "no_refund_used"} <= kinds
    # every clause is a verbatim sentence of the page, with its kind and page
    for c in agreement["clauses"]:
        assert c["source_url"] == start and any(c["text"] in s or s in c["text"] for s in REFUND_SENTENCES)
    channel = [c for c in agreement["clauses"] if c["kind"] == "refund_channel"]
    assert channel and channel[0]["channel"] == "original"
    assert "no_agreement" not in report["risk"]["flags"]
