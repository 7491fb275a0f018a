"""Static refund-entry search: path and clicks over the link graph, overflow menus, logins."""
from __future__ import annotations

from cardshop_auditor.extract import extract_findings
from cardshop_auditor.extract.refund_entry import LOGIN_REASON

NAV = '<nav><a href="/">首页</a><a href="/query">订单查询</a><a href="/help">帮助中心</a></nav>'
FOOT = '<footer><a href="/agreement">用户协议</a></footer>'


def entry(mk, *pages):
    return extract_findings(mk.shop(*pages))["refund_entry"]


def test_public_entry_two_clicks(mk):
    got = entry(
        mk,
        mk.page("/", mk.html(NAV + "<p>欢迎光临</p>" + FOOT), depth=0),
        mk.page("/query", mk.html(NAV + '<form action="/query"><input name="sn" placeholder="订单号">'
                                  '<button>立即查询</button></form><a class="btn" href="/aftersale">申请售后</a>'),
                link_text="订单查询"),
        mk.page("/aftersale", mk.html('<form action="/aftersale" method="post"><label>售后类型</label>'
                                      '<select name="type"><option>退款</option></select>'
                                      '<textarea name="desc" placeholder="问题描述"></textarea>'
                                      '<button>提交申请</button></form>'), depth=2, link_text="申请售后"),
    )
    assert got["found"] is True and got["evaluated"] is True and got["method"] == "static"
    assert got["steps"] == ["订单查询", "申请售后"] and got["clicks"] == 2
    assert got["url"] == "http://shop.test/aftersale"
    assert got["requires_login"] is False and got["in_overflow_menu"] is False


def test_entry_in_overflow_menu(mk):
    got = entry(
        mk,
        mk.page("/", mk.html('<a href="/order/1">订单详情</a>'), depth=0),
        mk.page("/order/1", mk.html('<div class="actions"><div class="dropdown"><button class="btn">更多</button>'
                                    '<div class="dropdown-menu"><a href="/refund/1">申请退订</a></div></div></div>')),
        mk.page("/refund/1", mk.html('<form method="post"><textarea name="reason"></textarea><button>提交</button></form>'),
                depth=2),
    )
    assert got["found"] and got["in_overflow_menu"] is True
    assert got["steps"] == ["订单详情", "更多", "申请退订"] and got["clicks"] == 3


def test_entry_on_the_home_page(mk):
    got = entry(mk, mk.page("/", mk.html('<a href="/ticket/new">提交工单</a>'), depth=0),
                mk.page("/ticket/new", mk.html('<form><textarea name="content"></textarea><button>提交</button></form>')))
    assert got["steps"] == ["提交工单"] and got["clicks"] == 1


def test_policy_page_is_not_an_entry(mk):
    got = entry(mk, mk.page("/", mk.html('<a href="/after-sales">售后服务</a><a href="/login">登录</a>'), depth=0),
                mk.page("/after-sales", mk.html("<h1>售后服务</h1><p>售后申请需要登录后在订单详情中点击“申请售后”，"
                                                "选择售后类型并填写问题描述。</p>")),
                mk.page("/login", mk.html('<form action="/login"><input name="u"><input type="password" name="p">'
                                          '<button>登录</button></form>')))
    assert got["found"] is False and got["requires_login"] is True and got["evaluated"] is False
    assert got["reason"] == LOGIN_REASON


def test_entry_link_that_leads_to_a_login_is_behind_the_login(mk):
    login = mk.html('<form action="/login"><input name="u"><input type="password" name="p"><button>登录</button></form>')
    got = entry(mk, mk.page("/", mk.html('<a href="/user/aftersale">申请售后</a>'), depth=0),
                mk.page("/user/aftersale", login, final="/login"))
    assert got["found"] is False and got["requires_login"] is True and got["evaluated"] is False


def test_no_accounts_and_no_entry_is_evaluated(mk):
    got = entry(mk, mk.page("/", mk.html('<a href="/order-search">订单查询</a>'), depth=0),
                mk.page("/order-search", mk.html('<form><input name="email"><input type="password" name="search_pwd">'
                                                 '<button>立即查询</button></form>')))
    assert got == {**got, "found": False, "requires_login": False, "evaluated": True, "clicks": None}


def test_unfetched_strong_entry_link_counts(mk):
    got = entry(mk, mk.page("/", mk.html('<a href="/help">帮助中心</a>'), depth=0),
                mk.page("/help", mk.html('<p>如需退款：</p><a href="/refund/apply">申请退款</a>')))
    assert got["found"] and got["steps"] == ["帮助中心", "申请退款"] and got["verified"] is False


def test_shortest_path_wins(mk):
    form = mk.html('<form><textarea name="q"></textarea><button>提交</button></form>')
    got = entry(mk, mk.page("/", mk.html('<a href="/a">帮助</a><a href="/ticket">我要投诉</a>'), depth=0),
                mk.page("/a", mk.html('<a href="/b">更多帮助</a>')),
                mk.page("/b", mk.html('<a href="/ticket">申请售后</a>'), depth=2),
                mk.page("/ticket", form))
    assert got["steps"] == ["我要投诉"] and got["clicks"] == 1


# ---- other common labels, and entries known by the page they open ---------------------------------

APPLY_FORM = ('<form method="post"><input name="order_no" placeholder="订单号"><input name="contact">'
              '<button>提交</button></form>')


import pytest  # noqa: E402

from cardshop_auditor.extract.refund_entry import is_entry_text  # noqa: E402


@pytest.mark.parametrize("text", ["自助售后", "售后申请（退款 / 补发）", "退款/售后申请", "售后自助申请", "申请补发", "问题订单",
                                  "退款入口", "在线退款通道", "售后通道 >", "申请退款", "一键售后"])
def test_entry_labels(text):
    assert is_entry_text(text)


@pytest.mark.parametrize("text", ["退款说明", "退款政策", "售后政策", "售后规则", "常见问题", "退款记录", "订单查询", "在线申请",
                                  "首页", "售后服务协议"])
def test_not_entry_labels(text):
    assert not is_entry_text(text)


@pytest.mark.parametrize("label", ["自助售后", "售后申请（退款 / 补发）", "申请补发", "问题订单"])
def test_new_labels_lead_to_the_form(mk, label):
    got = entry(mk, mk.page("/", mk.html(f'<a href="/as">{label}</a>'), depth=0),
                mk.page("/as", mk.html('<form method="post"><textarea name="desc"></textarea><button>提交</button></form>')))
    assert got["found"] and got["steps"] == [label] and got["clicks"] == 1


def test_generic_apply_link_on_an_after_sales_help_page(mk):
    got = entry(mk, mk.page("/", mk.html('<a href="/help/refund">退款帮助</a>'), depth=0),
                mk.page("/help/refund", mk.html('<h1>售后与退款</h1><p>卡密无效可申请补发。</p><a href="/apply">在线申请</a>')),
                mk.page("/apply", mk.html('<form method="post"><textarea name="reason"></textarea><button>提交</button></form>'),
                        depth=2))
    assert got["found"] and got["steps"] == ["退款帮助", "在线申请"]


def test_generic_apply_link_elsewhere_is_not_an_entry(mk):
    got = entry(mk, mk.page("/", mk.html('<h1>代理加盟</h1><a href="/join">在线申请</a>'), depth=0),
                mk.page("/join", mk.html('<h1>代理加盟</h1><form method="post"><textarea name="intro"></textarea>'
                                         '<button>提交</button></form>')))
    assert got["found"] is False


def test_generic_link_to_a_page_titled_as_an_application(mk):
    got = entry(mk, mk.page("/", mk.html('<a href="/service">点这里</a>'), depth=0),
                mk.page("/service", mk.html("<h1>售后申请</h1>" + APPLY_FORM, title="售后申请 - 测试卡盟")))
    assert got["found"] and got["steps"] == ["点这里"] and got["verified"] is True


def test_link_to_a_refund_policy_page_is_not_the_entry(mk):
    got = entry(mk, mk.page("/", mk.html('<a href="/p/refund">退款说明</a><a href="/p/as">售后政策</a>'), depth=0),
                mk.page("/p/refund", mk.html("<h1>退款说明</h1><p>未使用的卡密可申请退款。</p>")),
                mk.page("/p/as", mk.html("<h1>售后政策</h1><p>售后申请请联系客服。</p>")))
    assert got["found"] is False


def test_how_to_page_with_a_search_box_is_not_an_application(mk):
    got = entry(mk, mk.page("/", mk.html('<a href="/as">售后服务</a>'), depth=0),
                mk.page("/as", mk.html('<form action="/goods" method="get"><input name="q"><button>搜索</button></form>'
                                       '<h1>售后服务</h1><h2>如何申请售后</h2><p>登录后在订单详情中申请售后。</p>',
                                       title="售后服务")))
    assert got["found"] is False


def test_equal_paths_resolve_the_same_whatever_the_crawl_order(mk):
    """Two entries at the same depth: the same one is chosen whichever page arrived first
    (a re-scan of an unchanged shop must not report the entry as moved)."""
    pages = [mk.page("/", mk.html('<a href="/contact">联系我们</a><a href="/query">订单查询</a>'), depth=0),
             mk.page("/contact", mk.html('<a href="/form">在线售后表单</a>')),
             mk.page("/query", mk.html('<a href="/apply">申请售后</a>')),
             mk.page("/form", mk.html("<h1>售后申请</h1>" + APPLY_FORM, title="售后申请")),
             mk.page("/apply", mk.html("<h1>售后申请</h1>" + APPLY_FORM, title="售后申请"))]
    forward = entry(mk, *pages)
    backward = entry(mk, pages[0], *reversed(pages[1:]))
    assert forward["found"] and forward["clicks"] == 2
    assert forward["steps"] == backward["steps"] and forward["url"] == backward["url"]
