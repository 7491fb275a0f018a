"""Template, payment and anti-blocking fingerprints."""
from __future__ import annotations

from cardshop_auditor.extract import extract_findings


def signals(mk, *bodies, head=""):
    pages = [mk.page("/" if i == 0 else f"/p{i}", mk.html(b, head=head if i == 0 else ""), depth=min(i, 1))
             for i, b in enumerate(bodies)]
    return extract_findings(mk.shop(*pages))["signals"]


def ids(items):
    return {s["id"] for s in items}


def test_platform_credit_is_a_platform_not_default_content(mk):
    s = signals(mk, '<footer class="footer"><div class="author">Powered by：@独角数卡</div></footer>',
                "<p>本程序为开源程序，仅用于学习交流使用</p>", "<p>本系统商品均可正常购买</p>")
    assert ids(s["platform"]) == {"dujiaoka"}
    dj = s["platform"][0]
    assert dj["url"] == "http://shop.test/" and "独角数卡" in dj["snippet"] and dj["in_markup"] is False
    assert ids(s["template"]) == {"default_notice"}


def test_platform_in_markup_only(mk):
    s = signals(mk, "<p>欢迎</p>", head='<meta name="generator" content="ZFAKA 1.4"><link href="/res/acg-faka/app.css">')
    assert ids(s["platform"]) == {"zfaka", "acg_faka"}
    assert all(x["in_markup"] for x in s["platform"])
    assert s["template"] == []


def test_default_title_demo_goods_and_footer(mk):
    page = mk.page("/", mk.html("<p>商品</p>", title="首页 | 独角数卡"), depth=0)
    s = extract_findings(mk.shop(page))["signals"]
    assert ids(s["template"]) == {"default_title"}
    s = signals(mk, "<h6>DEMO</h6><p>该商品是演示商品</p><footer>鲁ICP备1101XXXX号-10</footer>")
    assert ids(s["template"]) == {"demo_goods", "default_footer"}


def test_payment_named_only_in_attributes(mk):
    s = signals(mk, "<p>商品</p>",
                '<form><div class="pay-type" data-type="vzfb" data-name="V免签支付宝"></div>'
                '<div class="pay-type" data-type="zfbf2f" data-name="支付宝当面付"></div>'
                '<select name="payway"><option value="tokenpay-usdt-trc">付款方式</option></select>'
                '<label><input type="radio" name="p" value="9" title="虎皮椒微信"></label>'
                '<a class="orderpaymethod" data-type="codepayalipay"><img src="/res/images/pay/alipay.jpg"></a></form>')
    assert ids(s["payment"]) >= {"vmq", "tokenpay", "usdt", "xunhupay", "codepay"}
    kinds = {g["id"]: g["kind"] for g in s["gateways"]}
    assert kinds["alipay_f2f"] == "regular" and kinds["vmq"] == "personal" and kinds["tokenpay"] == "evasive"
    assert "alipay_f2f" not in ids(s["payment"])
    vmq = next(x for x in s["payment"] if x["id"] == "vmq")
    assert vmq["url"] == "http://shop.test/p1" and vmq["in_markup"] is True


def test_regular_gateways_only_raise_no_payment_signal(mk):
    s = signals(mk, '<form><label><input type="radio" name="payway" value="alipay" title="支付宝">支付宝</label>'
                    '<img src="/assets/pay/wxpay.png" alt="微信支付"><div data-type="paypal"></div></form>')
    assert s["payment"] == []
    assert {"alipay", "paypal"} <= ids(s["gateways"])


def test_payments(mk):
    s = signals(mk, '<label><input type="radio" name="payway">码支付</label><label>V免签</label>',
                '<p>支持 USDT (TRC20) 付款</p><img src="/uploads/wxpay_qr.png" alt="微信">',
                "<p>扫码后备注订单号，易支付通道维护中</p>")
    assert ids(s["payment"]) >= {"codepay", "vmq", "mianqian", "usdt", "personal_qr", "epay"}


def test_warnings_against_a_practice_are_not_the_practice(mk):
    s = signals(mk, "<p>汇款请认准本站公司账户，切勿向个人账户转账。</p>")
    assert s["payment"] == []


def test_anti_blocking(mk):
    s = signals(mk, "<p>本站已做防红处理。若在QQ或微信里打开提示已停止访问，请点击右上角选择在浏览器打开。</p>",
                "<p>本站不支持微信或QQ内访问</p>")
    assert ids(s["anti_blocking"]) == {"fanghong", "open_in_browser", "no_wechat_qq"}


def test_clean_shop_has_no_signals(mk):
    s = signals(mk, "<p>深圳市某某科技有限公司，支持支付宝、微信支付。</p>")
    assert s == {"platform": [], "template": [], "payment": [], "gateways": [], "anti_blocking": []}


# ---- negation-aware payment / anti-blocking signals ----------------------------------------------

import pytest as _pytest  # noqa: E402


def _signal_ids(mk, body):
    from cardshop_auditor.extract import extract_findings
    s = extract_findings(mk.shop(mk.page("/", mk.html(body), depth=0)))["signals"]
    return {x["id"] for x in s["payment"] + s["anti_blocking"]}


@_pytest.mark.parametrize("body", ["<p>本店不使用个人收款码，不会要求转账到个人账户。</p>",
                                   "<p>本站从不使用免签支付，所有款项由正规支付通道收取。</p>",
                                   "<p>本店并非个人收款码收款，请认准官方支付页面。</p>",
                                   "<p>本站未使用任何防红跳转。</p>"])
def test_negated_statements_raise_no_signal(mk, body):
    assert _signal_ids(mk, body) == set()


@_pytest.mark.parametrize("body,sid", [("<p>请扫描下方个人收款码付款，付款时请备注订单号。</p>", "personal_qr"),
                                       ("<p>本站链接已做防红处理，请放心访问。</p>", "fanghong"),
                                       ("<p>支持USDT支付，到账快。</p>", "usdt")])
def test_affirmative_statements_still_raise_signals(mk, body, sid):
    assert sid in _signal_ids(mk, body)


def test_zfaka_qq_order_field_is_an_install_default(mk):
    detail = ('<form class="layui-form" action="/product/order/buy" method="post"><label>QQ：</label>'
              '<input type="number" name="qq" id="qq" placeholder="请输入QQ号"><button>立即购买</button></form>'
              '<div class="fly-footer">Powered by ZFAKA</div>')
    s = signals(mk, '<div class="fly-footer">Powered by ZFAKA</div>', detail)
    assert ids(s["template"]) == {"default_settings"}
    s = signals(mk, '<div class="fly-footer">Powered by 独角数卡</div>', detail.replace("ZFAKA", "独角数卡"))
    assert s["template"] == []          # a QQ field is ZFAKA's default, not every system's


# ---- the QQ / WeChat user-agent probe ---------------------------------------------------------
from cardshop_auditor.extract.fingerprints import probe_signals  # noqa: E402
from cardshop_auditor.extract.page import parse_html  # noqa: E402

HOME = parse_html("<html><body><h1>青禾数字卡券</h1><p>网易一卡通 50元 下单</p></body></html>", url="http://shop.test/")


def _probe(agent="wechat", status=200, final_url="http://shop.test/", html=""):
    return {"agent": agent, "status": status, "final_url": final_url, "sha256": "", "html": html, "error": None}


def test_probe_interstitial_is_anti_blocking():
    page = "<html><body><p>本站暂不支持在 微信 或 QQ 内直接访问</p><p>请按提示换用手机浏览器打开本页</p></body></html>"
    hits, rows = probe_signals([_probe("qq", html=page), _probe("wechat", html=page)], HOME)
    assert [h["agent"] for h in hits] == ["qq", "wechat"] and all(h["id"] == "ua_probe" for h in hits)
    assert "QQ内置浏览器" in hits[0]["snippet"] and "浏览器" in hits[0]["snippet"]
    assert [r["differs"] for r in rows] == [True, True]


def test_probe_refusal_and_jump_elsewhere_are_anti_blocking():
    hits, _ = probe_signals([_probe("qq", status=403), _probe("wechat", final_url="http://jump.example/x")], HOME)
    assert "HTTP 403" in hits[0]["snippet"] and "jump.example" in hits[1]["snippet"]


def test_a_different_mobile_layout_is_not_anti_blocking():
    mobile = "<html><body><div class='m-header'>青禾数字</div><ul><li>网易一卡通 50元</li></ul></body></html>"
    hits, rows = probe_signals([_probe("qq", html=mobile), _probe("wechat", html=mobile)], HOME)
    assert hits == [] and [r["differs"] for r in rows] == [False, False]


def test_wording_every_browser_sees_is_left_to_the_page_signals():
    page = "<html><body><p>本站已防红，请在浏览器中打开</p></body></html>"
    home = parse_html(page, url="http://shop.test/")
    assert probe_signals([_probe("qq", html=page)], home)[0] == []
    assert probe_signals([], home) == ([], []) and probe_signals(None, None) == ([], [])
