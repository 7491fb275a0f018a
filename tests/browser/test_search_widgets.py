"""The search on common widget patterns: CSS hover menus, icon-only ⋯ toggles, tabs,
modals opened by 订单详情, controls inside a same-site iframe (old 卡盟 member centres)."""
from __future__ import annotations

import time

import pytest

from cardshop_auditor.browser.manager import get_browser
from cardshop_auditor.browser.search import RefundSearch
from cardshop_auditor.browser.session import ShopSession
from cardshop_auditor.options import AuditOptions

pytestmark = pytest.mark.browser

HOVER_MENU = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
.user{position:relative;display:inline-block;padding:8px}
.user .menu{display:none;position:absolute;top:30px;left:0;background:#fff;border:1px solid #ccc}
.user:hover .menu{display:block}
.menu a{display:block;padding:6px 14px;white-space:nowrap}
</style></head><body>
<div class="user"><span>我的账户 ▾</span>
  <div class="menu"><a href="javascript:void(0)" onclick="document.getElementById('main').innerHTML=orders">订单管理</a>
  <a href="javascript:void(0)" onclick="alert('bye')">退出登录</a></div></div>
<div id="main"><p>欢迎回来</p></div>
<script>var orders = '<table><tr><td>KM001</td><td><i class="icon-more" style="cursor:pointer;display:inline-block;width:20px;height:20px" onclick="this.nextElementSibling.hidden=false"></i><span hidden><a href=\"javascript:;\">售后</a> <a href=\"javascript:;\">申请退款</a></span></td></tr></table>';</script>
</body></html>"""

MODAL_DETAIL = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>
<ul class="tabs"><li style="cursor:pointer" onclick="show('a')">基本资料</li><li style="cursor:pointer" onclick="show('b')">全部订单</li></ul>
<div id="a">资料</div><div id="b" hidden><table><tr><td>XK01</td><td><button onclick="document.getElementById('dlg').hidden=false">查看详情</button>
<button onclick="alert('删除?')">删除</button></td></tr></table></div>
<div id="dlg" class="modal" role="dialog" hidden><h3>订单详情</h3><p>卡密：XXXX</p><button>申请售后</button><button>关闭</button></div>
<script>function show(x){document.getElementById('a').hidden = x!=='a';document.getElementById('b').hidden = x!=='b';}</script>
</body></html>"""


def _search(html: str, logged_in: bool = True):
    session = ShopSession(get_browser(), "http://127.0.0.1:9/", AuditOptions())
    try:
        session.page.set_content(html)
        session.settle()
        search = RefundSearch(session, click_budget=8, deadline=time.monotonic() + 30, logged_in=logged_in)
        return search.run(root_url=None), session.guard.dialogs
    finally:
        session.close()


def test_hover_menu_and_icon_toggle():
    res, dialogs = _search(HOVER_MENU)
    assert res.found is not None, res.notes
    steps = [a.label for a in res.found.node.actions()] + [res.found.control.label]
    assert steps == ["我的账户 ▾", "订单管理", "⋯", "申请退款"]
    assert res.found.in_overflow_menu is True
    assert dialogs == []                       # 退出登录 was never clicked


def test_tabs_and_detail_modal():
    res, dialogs = _search(MODAL_DETAIL)
    assert res.found is not None, res.notes
    steps = [a.label for a in res.found.node.actions()] + [res.found.control.label]
    assert steps == ["全部订单", "查看详情", "申请售后"]
    assert res.found.in_overflow_menu is False
    assert dialogs == []                       # 删除 was never clicked


def test_controls_inside_an_iframe(shops):
    # srcdoc frames are about:srcdoc (not http): serve the member centre from a real shop URL
    session = ShopSession(get_browser(), shops.url("login_form_cookie"), AuditOptions())
    try:
        base = shops.url("login_form_cookie")
        session.goto(base)
        session.page.evaluate("""(base) => {
            document.body.innerHTML = '<div><a id=m href="javascript:;">我的订单</a></div>' +
              '<iframe id=f style="width:800px;height:400px" src="' + base + 'help"></iframe>';
            document.getElementById('m').onclick = () => {
              const d = document.getElementById('f').contentDocument;
              d.body.innerHTML = '<table><tr><td>KM8841</td><td><a href="javascript:;">申请退款</a></td></tr></table>';
            };
        }""", base)
        session.settle()
        search = RefundSearch(session, click_budget=6, deadline=time.monotonic() + 30, logged_in=True)
        res = search.run(root_url=None)
        assert res.found is not None, res.notes
        assert [a.label for a in res.found.node.actions()] + [res.found.control.label] == ["我的订单", "申请退款"]
        assert res.found.control.frame == 1
    finally:
        session.close()
