"""Template, payment and anti-blocking fingerprints."""
from __future__ import annotations

from auditor.extract import extract_findings


def signals(mk, *bodies, head=""):
    pages = [mk.page("/" if i == 0 else f"/p{i}", mk.html(b, head=head if i == 0 else ""), depth=min(i, 1))
             for i, b in enumerate(bodies)]
    return extract_findings(mk.shop(*pages))["signals"]


def ids(items):
    return {s["id"] for s in items}


def test_templates(mk):
    s = signals(mk, '<footer class="footer"><div class="author">Powered by：@独角数卡</div></footer>',
                "<p>本程序为开源程序，仅用于学习交流使用</p>", "<p>本系统商品均可正常购买</p>")
    assert ids(s["template"]) == {"dujiaoka", "open_source_notice", "default_notice"}
    dj = next(x for x in s["template"] if x["id"] == "dujiaoka")
    assert dj["url"] == "http://shop.test/" and "独角数卡" in dj["snippet"] and dj["in_markup"] is False


def test_template_in_markup_only(mk):
    s = signals(mk, "<p>欢迎</p>", head='<meta name="generator" content="ZFAKA 1.4"><link href="/res/acg-faka/app.css">')
    assert ids(s["template"]) == {"zfaka", "acg_faka"}
    assert all(x["in_markup"] for x in s["template"])


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
    assert s == {"template": [], "payment": [], "anti_blocking": []}
