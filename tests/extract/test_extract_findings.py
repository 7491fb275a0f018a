"""extract_findings: the contract, aggregation priorities, site facts, robustness, speed."""
from __future__ import annotations

import time

import pytest

from cardshop_auditor.artifacts import Page, ShopArtifacts, ShopMeta
from cardshop_auditor.extract import extract_findings

CONTRACT = {"icp", "icp_license", "psb_filing", "business", "agreement", "refund_entry", "contacts",
            "signals", "site", "icp_registry"}     # icp_registry: null without --icp-registry
FOOTER = ('<footer class="footer"><p>深圳市星辰网络科技有限公司 统一社会信用代码：91440300708461136T</p>'
          '<p><a href="https://beian.miit.gov.cn/">粤ICP备2021012345号-1</a> 粤公网安备 44030502000001号 '
          '增值电信业务经营许可证：粤B2-20210456</p><p>客服电话：0755-86013388 邮箱：kf@xingchen.cn</p></footer>')


def test_contract_keys_and_shapes(mk):
    f = extract_findings(mk.shop(mk.page("/", mk.html("<p>欢迎光临</p>" + FOOTER), depth=0)))
    assert set(f) == CONTRACT
    assert f["icp"] == {**f["icp"], "number": "粤ICP备2021012345号-1", "valid_format": True, "placeholder": False,
                        "source_url": "http://shop.test/", "in_footer": True, "linked_to_miit": True}
    assert f["icp_license"]["number"] == "粤B2-20210456" and f["icp_license"]["kind"] == "b2"
    assert f["psb_filing"] == {**f["psb_filing"], "number": "粤公网安备44030502000001号", "region_code": "440305",
                               "consistent": True, "in_footer": True}
    assert f["business"] == {**f["business"], "uscc": "91440300708461136T", "uscc_valid": True,
                             "company_name": "深圳市星辰网络科技有限公司", "source_url": "http://shop.test/"}
    assert f["contacts"]["phones"] == ["0755-86013388"] and f["contacts"]["emails"] == ["kf@xingchen.cn"]
    assert set(f["contacts"]) >= {"phones", "emails", "qq", "wechat", "address"}
    assert set(f["refund_entry"]) >= {"found", "steps", "clicks", "url", "requires_login", "screenshot",
                                      "in_overflow_menu", "evaluated", "method", "reason"}
    assert set(f["signals"]) == {"platform", "template", "payment", "gateways", "anti_blocking"}
    assert set(f["site"]) == {"start_url", "final_url", "https", "host", "pages_fetched", "pages_failed",
                              "login_required", "needs_browser", "gather_errors", "platform", "ua_probe"}


def test_start_page_footer_wins(mk):
    f = extract_findings(mk.shop(
        mk.page("/", mk.html("<p>首页</p>" + FOOTER), depth=0),
        mk.page("/about", mk.html("<p>历史备案：京ICP备16059763号-1</p><footer>京ICP备16059763号-1</footer>"))))
    assert f["icp"]["number"] == "粤ICP备2021012345号-1" and f["icp"]["in_footer"] is True
    assert f["icp"]["others"] == ["京ICP备16059763号-1"]


def test_icp_only_on_an_inner_page_is_not_in_the_footer(mk):
    f = extract_findings(mk.shop(mk.page("/", mk.html("<p>首页</p>"), depth=0),
                                 mk.page("/about", mk.html("<footer>京ICP备16059763号-1</footer>"))))
    assert f["icp"]["number"] == "京ICP备16059763号-1" and f["icp"]["in_footer"] is False
    assert f["icp"]["source_url"] == "http://shop.test/about"


def test_business_identity_from_the_about_page(mk):
    about = mk.html("<h1>关于我们</h1><table><tr><td>企业名称</td><td>杭州云栖数娱科技有限公司</td></tr>"
                    "<tr><td>统一社会信用代码</td><td>91330110MA2J7X3PX1</td></tr></table>")
    f = extract_findings(mk.shop(mk.page("/", mk.html("<p>手游代充</p>"), depth=0), mk.page("/about", about)))
    assert f["business"]["company_name"] == "杭州云栖数娱科技有限公司"
    assert f["business"]["uscc"] == "91330110MA2J7X3PX1"
    assert f["business"]["source_url"] == "http://shop.test/about"


def test_invalid_uscc_is_reported_not_dropped(mk):
    f = extract_findings(mk.shop(mk.page("/", mk.html("<footer>统一社会信用代码：91440300708461137T</footer>"), depth=0)))
    assert f["business"]["uscc"] == "91440300708461137T" and f["business"]["uscc_valid"] is False
    assert f["business"]["company_name"] is None


def test_nothing_found_gives_nulls(mk):
    f = extract_findings(mk.shop(mk.page("/", mk.html("<p>欢迎光临，自动发货。</p>"), depth=0)))
    assert f["icp"] is None and f["icp_license"] is None and f["psb_filing"] is None
    assert f["business"] is None and f["agreement"] is None
    assert f["contacts"] == {**f["contacts"], "phones": [], "emails": [], "qq": [], "wechat": [], "address": None}


def test_site_facts(mk):
    arts = ShopArtifacts(
        meta=ShopMeta(target="https://shop.test/", final_url="https://shop.test/home", errors=["robots: 1 denied"]),
        pages=[Page(url="https://shop.test/", final_url="https://shop.test/home", status=200, depth=0,
                    html=mk.html('<a href="/login">登录</a>')),
               Page(url="https://shop.test/x", final_url="https://shop.test/x", status=0, error="timeout", depth=1),
               Page(url="https://shop.test/y", final_url="https://shop.test/y", status=404, html="nf", depth=1)])
    site = extract_findings(arts)["site"]
    assert site == {"start_url": "https://shop.test/", "final_url": "https://shop.test/home", "https": True,
                    "host": "shop.test", "pages_fetched": 1, "pages_failed": 2, "login_required": True,
                    "needs_browser": False, "gather_errors": ["robots: 1 denied"], "platform": None, "ua_probe": []}


def test_app_shell_needs_browser(mk):
    shell = mk.html('<div id="app"></div><noscript>We\'re sorry but this site doesn\'t work without JavaScript '
                    'enabled.</noscript><script src="/js/chunk-vendors.js"></script><script src="/js/app.js"></script>')
    assert extract_findings(mk.shop(mk.page("/", shell, depth=0)))["site"]["needs_browser"] is True


@pytest.mark.parametrize("arts", [
    ShopArtifacts(meta=ShopMeta(target="http://shop.test/")),
    ShopArtifacts(meta=ShopMeta(target="http://shop.test/", errors=["dns"]),
                  pages=[Page(url="http://shop.test/", final_url="http://shop.test/", status=0, error="dns")]),
    ShopArtifacts(meta=ShopMeta(target="http://shop.test/"),
                  pages=[Page(url="http://shop.test/", final_url="http://shop.test/", status=200, html="")]),
])
def test_empty_or_failed_crawls_return_the_contract(arts):
    f = extract_findings(arts)
    assert set(f) == CONTRACT
    assert f["icp"] is None and f["agreement"] is None and f["business"] is None
    assert f["site"]["pages_fetched"] == sum(1 for p in arts.pages if not p.error)   # an empty 200 was fetched
    assert f["site"]["start_url"] == "http://shop.test/"
    assert f["refund_entry"]["found"] is False and f["refund_entry"]["evaluated"] is False


def test_weird_pages_never_raise(mk):
    deep = "<div>" * 5000 + "京ICP备16059763号-1" + "</div>" * 5000
    junk = bytes(range(256)).decode("latin-1") * 200
    f = extract_findings(mk.shop(
        mk.page("/", mk.html(deep), depth=0),
        mk.page("/a", junk), mk.page("/b", "<p>" + "一" * 1_000_000 + "</p>"),
        mk.page("/c", "\x00" * 1000), mk.page("/d", "<html><body>" + "<table><tr><td>" * 3000)))
    assert set(f) == CONTRACT
    assert f["site"]["pages_fetched"] == 5


def test_no_start_page_at_depth_zero(mk):
    f = extract_findings(mk.shop(mk.page("/a", mk.html("<footer>京ICP备16059763号-1</footer>"), depth=1)))
    assert f["icp"]["number"] == "京ICP备16059763号-1"


def _bench_page(i: int) -> str:
    goods = "".join(f'<div class="col"><div class="card"><img src="/img/{j}.png" alt="商品{j}"><div class="card-body">'
                    f'<h6 class="card-title"><a href="/buy/{j}">腾讯视频VIP会员月卡 {j}</a></h6><p class="price">￥{j}.99</p>'
                    f'<p class="small">库存：{j * 7} 已售 {j * 13}</p><a class="btn" href="/buy/{j}">下单</a></div></div></div>'
                    for j in range(60))
    terms = "".join(f"<li>{k}. 卡密已提取但未使用的，可申请退款，需扣除订单金额10%的手续费。</li>" for k in range(20))
    return (f'<html><head><title>星辰卡盟 - {i}</title></head><body><nav class="navbar"><a href="/">首页</a>'
            f'<a href="/query">订单查询</a></nav><div class="notice">公告：售后问题请提交工单。客服QQ：123456789</div>'
            f'<div class="row">{goods}</div><ol>{terms}</ol>{FOOTER}</body></html>')


def test_speed_smoke(mk):
    """15 pages of ~35 KB: well under a second even on a loaded CI machine (the benchmark
    target, on an idle machine, is far lower)."""
    pages = [mk.page("/" if i == 0 else f"/p{i}", _bench_page(i), depth=min(i, 1)) for i in range(15)]
    extract_findings(mk.shop(*pages))                     # warm the regex caches
    pages = [mk.page("/" if i == 0 else f"/p{i}", _bench_page(i) + " ", depth=min(i, 1)) for i in range(15)]
    start = time.process_time()
    extract_findings(mk.shop(*pages))
    assert time.process_time() - start < 1.0


def test_one_broken_extractor_does_not_blank_the_others(mk, monkeypatch):
    import cardshop_auditor.extract.findings as findings_module

    def boom(_docs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(findings_module, "find_signals", boom)
    f = extract_findings(mk.shop(mk.page("/", mk.html("<p>首页</p>" + FOOTER), depth=0)))
    assert f["icp"]["number"] == "粤ICP备2021012345号-1"
    assert f["signals"] == {"platform": [], "template": [], "payment": [], "gateways": [], "anti_blocking": []}
    assert any("extractor error (signals)" in e for e in f["site"]["gather_errors"])
