"""PageDoc: blocks and their regions, table rows, links, forms, modals, app shells, robustness."""
from __future__ import annotations

import random

import pytest

from cardshop_auditor.extract.page import (BOTTOM, FOOTER, HEADING, HIDDEN, LINKONLY, MODAL, NAV, NOTICE, ROW,
                                  is_app_shell, parse_html)

HOME = """<html><head><title>测试卡盟 - 首页</title></head><body>
<header class="header sticky-top"><nav><a href="/">首页</a><a href="/order-search">订单查询</a></nav></header>
<div class="notice"><h4>公告：</h4><p class="lead">本站商品一经售出概不退换。<br>客服QQ：123456</p></div>
<table><thead><tr><th>订单状态</th><th>是否可退</th></tr></thead>
<tbody><tr><td>未提取卡密</td><td><span class="el-tag el-tag--success">可全额退款。</span></td></tr></tbody></table>
<div class="modal fade" id="buy" style="display:none"><div class="modal-dialog"><h5 class="modal-title">购买提示</h5>
<div class="modal-body">虚拟商品不支持退款</div><div class="modal-footer"><button>关闭</button></div></div></div>
<div class="card"><div class="card-body">商品详情</div><div class="card-footer"><a href="/buy/1">下单</a></div></div>
<div class="dropdown"><button>更多</button><ul class="dropdown-menu"><li><a href="/refund">申请退订</a></li></ul></div>
<footer class="footer"><div class="author">Powered by：@独角数卡</div><a href="https://beian.miit.gov.cn/">京ICP备16059763号-1</a></footer>
</body></html>"""


def block(doc, text):
    return next(b for b in doc.blocks if b.text == text)


def test_blocks_and_regions():
    doc = parse_html(HOME)
    assert doc.title == "测试卡盟 - 首页"
    assert block(doc, "首页 订单查询").flags & NAV            # adjacent links get a space
    assert block(doc, "首页 订单查询").flags & LINKONLY
    assert block(doc, "公告：").flags & NOTICE and block(doc, "公告：").flags & HEADING
    assert block(doc, "本站商品一经售出概不退换。").flags & NOTICE
    assert block(doc, "客服QQ：123456").text == "客服QQ：123456"      # <br> splits blocks
    assert block(doc, "虚拟商品不支持退款").flags & MODAL and block(doc, "虚拟商品不支持退款").flags & HIDDEN
    icp = block(doc, "京ICP备16059763号-1")
    assert icp.flags & FOOTER and icp.flags & BOTTOM
    assert not block(doc, "商品详情").flags & FOOTER            # card-footer is not the page footer
    assert "京ICP备16059763号-1" in doc.footer_text


def test_table_rows_join_cells_with_headers():
    doc = parse_html(HOME)
    row = block(doc, "订单状态：未提取卡密，是否可退：可全额退款")
    assert row.flags & ROW
    assert block(doc, "订单状态，是否可退").flags & ROW and block(doc, "订单状态，是否可退").flags & HEADING


def test_layout_tables_are_not_rows():
    doc = parse_html("<table><tr><td><div>菜单</div><p>第一段正文。</p></td><td><p>第二段正文。</p></td></tr></table>")
    texts = [b.text for b in doc.blocks]
    assert "第一段正文。" in texts and "第二段正文。" in texts
    assert not any(b.flags & ROW for b in doc.blocks)


def test_modal_title_and_text():
    doc = parse_html(HOME)
    [m] = doc.modals
    assert m.title == "购买提示" and "虚拟商品不支持退款" in m.text


def test_links():
    doc = parse_html(HOME, url="http://shop.test/index.html")
    by_text = {l.text: l for l in doc.links}
    assert by_text["订单查询"].url == "http://shop.test/order-search" and by_text["订单查询"].in_nav
    assert by_text["京ICP备16059763号-1"].in_footer
    assert by_text["申请退订"].overflow == "更多"
    assert by_text["关闭"].in_modal and by_text["关闭"].kind == "submit"
    assert by_text["下单"].url == "http://shop.test/buy/1"


def test_link_resolution():
    doc = parse_html('<base href="/sub/"><a href="a.html#x">A</a><a href="//cdn.test/b">B</a>'
                     '<a href="javascript:void(0)">C</a><a href="mailto:k@x.cn">D</a>'
                     '<a onclick="location.href=\'/go\'">E</a>', url="http://Shop.Test:80/p/q")
    urls = {l.text: l.url for l in doc.links}
    assert urls == {"A": "http://shop.test/sub/a.html", "B": "http://cdn.test/b", "C": None, "D": None,
                    "E": "http://shop.test/go"}
    assert "mailto:k@x.cn" in doc.special_hrefs


def test_normalise_url():
    from cardshop_auditor.urls import normalise as normalise_url

    assert normalise_url("HTTPS://Shop.Test:443/a?b=1#c") == "https://shop.test/a?b=1"
    assert normalise_url("http://shop.test") == "http://shop.test/"
    assert normalise_url("ftp://x") is None and normalise_url("") is None


def test_forms_login_vs_order_lookup():
    doc = parse_html('<form action="/login" method="post"><input name="user"><input type="password" name="pwd">'
                     '<button>登录</button></form>')
    assert doc.has_login_form
    doc = parse_html('<form action="/order-search" method="post"><input name="email">'
                     '<input type="password" name="search_pwd" placeholder="查询密码"><button>立即查询</button></form>')
    assert doc.has_password_form and not doc.has_login_form


def test_hidden_on_mobile_only_is_not_hidden():
    doc = parse_html('<footer class="hyper-footer"><div class="d-none d-md-block">粤ICP备2021034567号-1</div></footer>')
    assert not block(doc, "粤ICP备2021034567号-1").flags & HIDDEN
    doc = parse_html('<div hidden>隐藏的文字</div><div class="d-none">也是隐藏</div>')
    assert all(b.flags & HIDDEN for b in doc.blocks)


def test_footer_fallback_is_the_bottom_of_the_page():
    body = "".join(f"<p>第{i}段很长的商品介绍文字内容。</p>" for i in range(40))
    doc = parse_html(f"<div>{body}<div>粤ICP备2021034567号-1</div></div>")
    assert not doc.has_footer_element
    assert block(doc, "粤ICP备2021034567号-1").flags & BOTTOM
    assert not block(doc, "第0段很长的商品介绍文字内容。").flags & BOTTOM


def test_wrapper_named_footer_is_not_a_footer():
    body = "".join(f"<p>第{i}段正文内容，介绍商品和服务。</p>" for i in range(30))
    doc = parse_html(f'<div id="page-bottom-wrapper">{body}</div>')
    assert not any(b.flags & FOOTER for b in doc.blocks)


def test_app_shell():
    shell = parse_html('<div id="app"></div><noscript>请启用 JavaScript 以继续</noscript>'
                       '<script src="/js/app.js"></script><script src="/js/vendor.js"></script>')
    assert is_app_shell(shell)
    assert not is_app_shell(parse_html(HOME))
    assert is_app_shell(parse_html('<div id="root"></div><script src="/main.js"></script>'))


def test_icon_font_glyphs_do_not_confuse_the_flattener():
    doc = parse_html('<p><i class="iconfont">&#xe600;</i>申请退款</p><p>第二段\U000F0001内容</p>')
    texts = [b.text for b in doc.blocks]
    assert "\ue600申请退款" in texts and "第二段 内容" in texts


@pytest.mark.parametrize("junk", [
    "",
    "   \n\t ",
    "\x00\x01\x02<p>a\x00b</p>\x7f",
    "<p>坏的代理对\ud800文字</p>",
    "<?xml version='1.0' encoding='gbk'?><html><body><p>声明了编码</p></body></html>",
    "<<<>>><div<p</p></div></span></table>",
    "<html><body>" + "<div>" * 5000 + "深层文字" + "</div>" * 5000 + "</body></html>",
    "<p>" + "很长的一行文字" * 150000 + "</p>",                 # ~1 MB on one line
    "<table>" + "<tr><td>a" * 3000 + "</table>",
])
def test_robustness_never_raises(junk):
    doc = parse_html(junk)
    assert isinstance(doc.blocks, list)
    _ = doc.text, doc.footer_text, doc.visible_chars, is_app_shell(doc)


def test_binary_junk():
    rnd = random.Random(7)
    junk = bytes(rnd.randrange(256) for _ in range(50_000)).decode("latin-1")
    doc = parse_html(junk)
    assert isinstance(doc.blocks, list)


def test_deep_nesting_keeps_text():
    doc = parse_html("<html><body>" + "<div>" * 5000 + "深层文字" + "</div>" * 5000 + "</body></html>")
    assert doc.parse_error or any("深层文字" in b.text for b in doc.blocks)


def test_huge_line_is_cut_into_blocks():
    doc = parse_html("<p>" + "很长的一行文字" * 150000 + "</p>")
    assert sum(len(b.text) for b in doc.blocks) == 7 * 150000
    assert max(len(b.text) for b in doc.blocks) <= 20000
