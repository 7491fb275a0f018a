"""Pure parts of the browser stage: the label vocabulary, the need decision, credentials."""
from __future__ import annotations

import json
import urllib.request

import pytest

from cardshop_auditor.artifacts import Page, ShopArtifacts, ShopMeta
from cardshop_auditor.browser import labels as L
from cardshop_auditor.browser.credentials import credentials_for
from cardshop_auditor.browser.need import needs_browser, reasons


@pytest.mark.parametrize("label,final", [
    ("申请退款", "strong"), ("申请退订", "strong"), ("售后申请", "strong"), ("申请售后", "strong"),
    ("退款/售后", "strong"), ("退款", "weak"), ("提交工单", "weak"),
    ("退款规则", None), ("退款记录", None), ("售后服务政策", None), ("个人中心", None)])
def test_final_labels(label, final):
    assert L.is_final(label) == final


def test_final_in_footer_is_a_way_not_the_goal():
    assert L.is_final("申请售后", region="footer") is None
    assert L.nav_score("申请售后", region="footer") > 0


@pytest.mark.parametrize("label", ["退出", "退出登录", "删除订单", "取消订单", "确认收货", "提交申请", "立即支付",
                                   "立即购买", "充值", "确定", "注销账号", "复制卡密"])
def test_destructive(label):
    assert L.is_destructive(label)


@pytest.mark.parametrize("label", ["购买须知", "充值记录", "支付方式", "注册协议", "我的订单", "更多", "申请退款"])
def test_not_destructive(label):
    assert not L.is_destructive(label)


def test_destructive_hrefs():
    assert L.is_destructive("操作", "/order/cancel?sn=1")
    assert L.is_destructive("", "/member/logout")
    assert not L.is_destructive("订单详情", "/user/order/1")


def test_the_chain_is_ranked_in_order():
    chain = ["个人中心", "我的订单", "订单详情", "更多"]
    scores = [L.nav_score(x) for x in chain]
    assert scores == sorted(scores) and scores[0] > 0


def artifacts_for(html: str, extra: list[Page] = ()) -> ShopArtifacts:
    url = "http://127.0.0.1:1/"
    return ShopArtifacts(meta=ShopMeta(target=url),
                         pages=[Page(url=url, final_url=url, status=200, html=html), *extra])


def test_need_is_decided_from_the_pages(shops):
    def static(name):
        with urllib.request.urlopen(shops.url(name)) as r:
            return r.read().decode("utf-8")
    assert "app_shell" in reasons(artifacts_for(static("spa_footer_api")))
    assert "app_shell" in reasons(artifacts_for(static("login_json_token")))
    assert reasons(artifacts_for(static("agreement_modal_js"))) == ["agreement_by_script"]
    assert not needs_browser(artifacts_for(static("spa_footer_api_twin")))
    assert not needs_browser(artifacts_for(static("login_form_cookie")))


def test_need_agreement_page_already_crawled():
    home = '<p>' + '商品' * 200 + '</p><a href="javascript:;" onclick="show()">用户协议</a><script></script>'
    agreement = Page(url="http://127.0.0.1:1/a", final_url="http://127.0.0.1:1/a", status=200, depth=1,
                     link_text="用户服务协议", html="<h1>用户服务协议</h1>" + "<p>条款内容。</p>" * 300)
    assert needs_browser(artifacts_for(home))
    assert not needs_browser(artifacts_for(home, [agreement]))


def test_credentials_json(tmp_path):
    path = tmp_path / "auth.json"
    path.write_text(json.dumps({
        "shop.example.cn": {"username": "a", "password": "1"},
        "127.0.0.1:8080": {"username": "b", "password": "2"},
        "https://other.example.cn/login": {"username": "c", "password": "3"},
        "*.kameng.cn": {"username": "d", "password": "4"}}), "utf-8")
    assert credentials_for(path, "http://shop.example.cn/") == ("a", "1")
    assert credentials_for(path, "https://www.shop.example.cn/x") == ("a", "1")
    assert credentials_for(path, "http://127.0.0.1:8080/") == ("b", "2")
    assert credentials_for(path, "http://127.0.0.1:8081/") is None
    assert credentials_for(path, "other.example.cn") == ("c", "3")
    assert credentials_for(path, "http://vip.kameng.cn/") == ("d", "4")
    assert credentials_for(path, "http://nowhere.cn/") is None


def test_credentials_csv(tmp_path):
    path = tmp_path / "auth.csv"
    path.write_text("url,username,password\nhttp://127.0.0.1:5000/,demo,pa,ss\n"
                    "# a comment\nshop.example.cn,u2,p2\n", "utf-8")
    assert credentials_for(path, "http://127.0.0.1:5000/") == ("demo", "pa")
    assert credentials_for(path, "http://shop.example.cn/") == ("u2", "p2")


def test_credentials_bad_file_is_a_usage_error(tmp_path):
    from cardshop_auditor.errors import UsageError
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(UsageError):
        credentials_for(bad, "http://x.cn/")
    with pytest.raises(UsageError):
        credentials_for(tmp_path / "missing.csv", "http://x.cn/")
