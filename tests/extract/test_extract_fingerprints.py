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


# ---- negation-aware payment / anti-blocking signals ----------------------------------------------

import pytest as _pytest  # noqa: E402


def _signal_ids(mk, body):
    from auditor.extract import extract_findings
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
