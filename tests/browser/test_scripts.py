"""The browser stage's in-page scripts (auditor/browser/scripts/*.js), each loaded into a
Chromium page with crafted markup, exactly as the stage loads it (``scripts.source``).

The pages are served by a route on 127.0.0.1:9 that answers from memory: nothing leaves
the browser.  ESLint over the same files runs here too (``make lint-js``)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cardshop_auditor.browser.scripts import USES_REGIONS, names, source
from cardshop_auditor.extract.page import parse_html

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "http://127.0.0.1:9"
TESTED = {"body_text", "buttons", "candidates", "close_dialog", "dom_links", "fill_order", "footer", "frame_dialog",
          "generation",
          "login_fields", "login_state", "mask", "modal", "order_button", "outline", "peek", "pending_dialog", "quiet", "route",
          "rtc_off",
          "same_window", "section", "selects", "storage_pairs", "tabs", "term", "unmask"}

SHOP = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>星辰卡铺</title>
<style>.menu-more ul{display:none} .pointer{cursor:pointer}</style></head><body>
<header class="site-header"><nav><a href="/">首页</a><a href="/orders">订单查询</a></nav></header>
<aside><a href="/help">帮助中心</a></aside>
<div class="menu-more"><span>更多</span><ul><li><a href="/refund/apply">申请退款</a></li></ul></div>
<main>
  <div class="cate-box"><span class="cate-item">游戏点卡</span><span class="cate-item">视频会员</span></div>
  <div class="goods-card"><h3>腾讯视频月卡</h3><button class="btn buy" data-id="7">立即购买</button></div>
  <a href="/goods/8" id="plain">爱奇艺季卡</a>
  <a href="/goods/9" id="scripted" onclick="return false">优酷年卡</a>
  <div class="pointer" id="card">查看详情</div>
  <div data-href="/article/3">购买须知</div>
  <span onclick="location.href='/article/4'">退款说明</span>
  <div class="notice"><h4>退款说明</h4><p>未提取卡密的订单可申请全额退款。</p></div>
</main>
<div class="site-footer"><a href="/about">关于我们</a>
  <p>© 2026 星辰网络 <a href="https://beian.miit.gov.cn/">京ICP备20261234号-1</a></p></div>
</body></html>"""


@pytest.fixture(scope="module")
def shop_page(browser):
    """One page on 127.0.0.1:9 whose responses come from ``serve`` (no traffic leaves)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    served = {"html": SHOP}
    context.route(f"{ORIGIN}/**", lambda route: route.fulfill(status=200, body=served["html"],
                                                              content_type="text/html; charset=utf-8"))
    page = context.new_page()

    def serve(html: str, path: str = "/", wait_until: str = "load"):
        served["html"] = html
        page.goto(ORIGIN + path, wait_until=wait_until)
        return page

    page.serve = serve
    yield page
    context.close()


def run(page, name: str, arg=None):
    return page.evaluate(source(name), arg)


def test_every_script_is_tested_here():
    assert set(names()) == TESTED
    assert USES_REGIONS <= TESTED


@pytest.mark.browser
def test_candidates_regions_links_and_menus(shop_page):
    page = shop_page.serve(SHOP)
    data = run(page, "candidates", ["7", None])
    by_text = {c["text"]: c for c in data["controls"]}
    assert by_text["订单查询"]["region"] == "nav"           # <nav> inside a site-header
    assert by_text["帮助中心"]["region"] == "nav"           # <aside>
    assert by_text["关于我们"]["region"] == "footer"        # class "site-footer"
    assert by_text["立即购买"]["region"] == "main"
    assert by_text["爱奇艺季卡"]["plain"] is True
    assert by_text["优酷年卡"]["plain"] is False           # an inline handler decides where it goes
    assert by_text["查看详情"]["tag"] == "div"               # cursor:pointer, no handler in the markup
    assert by_text["更多"]["toggle_like"] is True            # the visible sibling of a collapsed menu
    assert "申请退款" not in by_text                         # hidden until hovered
    assert data["password_visible"] is False
    marked = page.eval_on_selector_all("[data-cardshop]", "els => els.map(e => e.getAttribute('data-cardshop'))")
    assert sorted(marked) == sorted(c["mark"] for c in data["controls"])
    assert all(m.startswith("7-") for m in marked)


@pytest.mark.browser
def test_candidates_regions_agree_with_the_static_parser(shop_page):
    """One vocabulary: a footer / navigation bar the parser flags is the browser's too."""
    markup = """<html><body><div class="page-footer"><a href="/a">联系客服</a></div>
    <div class="navbar"><a href="/b">商品分类</a></div><nav><a href="/c">首页</a></nav>
    <footer><a href="/d">用户协议</a></footer><div class="content"><a href="/e">立即购买</a></div></body></html>"""
    doc = parse_html(markup, url=ORIGIN + "/")
    static = {link.text: ("footer" if link.in_footer else "nav" if link.in_nav else "main") for link in doc.links}
    page = shop_page.serve(markup)
    browser_side = {c["text"]: c["region"] for c in run(page, "candidates", "1")["controls"]}
    assert static == browser_side == {"联系客服": "footer", "商品分类": "nav", "首页": "nav", "用户协议": "footer",
                                      "立即购买": "main"}


@pytest.mark.browser
def test_footer_is_found_marked_and_measured(shop_page):
    page = shop_page.serve(SHOP)
    found = run(page, "footer")
    assert "京ICP备20261234号-1" in found["text"] and found["height"] > 0
    assert found["clip"]["width"] >= 2
    assert page.get_attribute(".site-footer", "data-cardshop-footer") == "1"
    # no footer element: the smallest block carrying a 公安备案 number
    page = shop_page.serve("<html><body><div><p>商品列表</p></div><div id='x'><span>京公网安备 11010802012345号</span>"
                           "</div></body></html>")
    assert "公网安备" in run(page, "footer")["text"]
    page = shop_page.serve("<html><body><p>只有商品，没有备案信息</p></body></html>")
    assert run(page, "footer") is False


@pytest.mark.browser
def test_modal_takes_the_largest_open_dialog(shop_page):
    html = """<html><body><div class="modal" style="display:none">隐藏的弹窗文字，不应被选中，内容足够长。</div>
    <div class="layui-layer" style="width:400px;height:200px">购买须知：虚拟商品一经售出，卡密提取后不支持退款。</div></body></html>"""
    page = shop_page.serve(html)
    assert run(page, "modal") == len("购买须知：虚拟商品一经售出，卡密提取后不支持退款。")
    assert page.get_attribute(".layui-layer", "data-cardshop-modal") == "1"
    page = shop_page.serve("<html><body><p>没有弹窗</p></body></html>")
    assert run(page, "modal") is False
    # Bootstrap's <body class="modal-open"> beside an open modal is the page, not the dialog
    page = shop_page.serve("""<html><body class="modal-open"><p>首页商品列表，很多很多文字，足够长的一段话。</p>
    <div class="modal" style="display:block;width:400px;height:200px"><h5>购买须知</h5></div></body></html>""")
    assert run(page, "modal") is False


@pytest.mark.browser
def test_tabs_outside_navigation_and_forms(shop_page):
    html = """<html><body><nav><span class="tab">导航标签</span></nav>
    <form><span class="tab">表单标签</span></form>
    <ul class="cates"><li class="cate" data-cid="1">游戏点卡</li><li class="cate" data-cid="2">话费充值</li></ul></body></html>"""
    page = shop_page.serve(html)
    tabs = run(page, "tabs", ["t-", True])
    assert [t["text"] for t in tabs] == ["游戏点卡", "话费充值"]
    assert page.get_attribute("[data-cid='2']", "data-cardshop") == "t-1"
    assert run(page, "tabs", ["probe-", False]) and page.query_selector("[data-cardshop^=probe]") is None


@pytest.mark.browser
def test_buttons_whose_target_a_handler_builds(shop_page):
    html = """<html><body><table><tr data-index="0"><td>王者荣耀点券</td><td><button lay-event="buy">购买</button></td></tr></table>
    <form><button type="button">购买</button></form><a href="/goods/1"><button>下单</button></a></body></html>"""
    page = shop_page.serve(html)
    found = run(page, "buttons", ["b-", "购买|下单", True])
    assert [(b["text"], b["tag"]) for b in found] == [("购买", "button")]   # not the form's, not the real link
    assert page.get_attribute("[lay-event=buy]", "data-cardshop") == "b-0"


@pytest.mark.browser
def test_selects_of_an_order_form(shop_page):
    html = """<html><body><label for="cat">商品分类</label><select id="cat"><option value="">请选择分类</option>
    <option value="3">视频会员</option></select><select name="goods"><option value="0">请选择商品</option>
    <option value="31">腾讯视频月卡</option><option value="32" disabled>缺货</option></select></body></html>"""
    page = shop_page.serve(html)
    assert run(page, "selects", True) == {"category": [{"value": "3", "text": "视频会员"}],
                                          "product": [{"value": "31", "text": "腾讯视频月卡"}]}
    assert page.get_attribute("select[name=goods]", "data-cardshop-select") == "prod"
    page = shop_page.serve("<html><body><select id='lang'><option value='zh'>中文</option></select></body></html>")
    assert run(page, "selects", False) is None


@pytest.mark.browser
def test_dom_links_from_attributes_and_handlers(shop_page):
    page = shop_page.serve(SHOP, "/shop/")
    links = {link["url"]: link for link in run(page, "dom_links")}
    assert links[ORIGIN + "/goods/8"]["how"] == "a"
    assert links[ORIGIN + "/article/3"]["how"] == "attr"
    assert links[ORIGIN + "/article/4"]["how"] == "onclick"
    assert links[ORIGIN + "/refund/apply"]["visible"] is False
    assert not any(u.startswith("javascript") for u in links)


@pytest.mark.browser
def test_fill_order_marks_the_order_number_field(shop_page):
    html = """<html><body><form><input name="email" placeholder="邮箱"><div class="form-group">订单号
    <input name="q" placeholder="请输入订单号"></div><button>查询</button></form></body></html>"""
    page = shop_page.serve(html)
    assert run(page, "fill_order", {"pattern": "订单号|order"}) is True
    assert page.get_attribute("input[name=q]", "data-cardshop-order") == "1"
    page = shop_page.serve("<html><body><input type='password' name='password'></body></html>")
    assert run(page, "fill_order", {"pattern": "订单号"}) is False


@pytest.mark.browser
def test_login_fields_state_and_storage(shop_page):
    html = """<html><body><form><label for="u">用户名</label><input id="u" name="username">
    <input type="password" name="pwd"><label><input type="checkbox" name="agree">我已阅读并同意用户协议</label>
    <button type="submit">登录</button></form></body></html>"""
    page = shop_page.serve(html)
    form = run(page, "login_fields")
    assert form["fields"][0]["label"].startswith("username u") and form["fields"][0]["before_pw"] is True
    assert form["checks"][0]["label"].startswith("我已阅读并同意用户协议")
    assert form["buttons"] == [{"mark": "button-0", "label": "登录", "submit": True}]
    assert page.get_attribute("input[name=pwd]", "data-cardshop-login") == "password"
    page.evaluate("() => { localStorage.setItem('token', 'abcdef'); sessionStorage.setItem('uid', '42'); }")
    state = run(page, "login_state")
    assert state["pw"] is True and sorted(state["keys"]) == ["s:uid=2", "token=6"]
    assert sorted(run(page, "storage_pairs")) == [["token", "abcdef"], ["uid", "42"]]
    page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    assert run(shop_page.serve("<html><body><p>没有登录表单</p></body></html>"), "login_fields") is None


@pytest.mark.browser
def test_mask_covers_split_secrets_and_unmask_removes_the_layer(shop_page):
    html = "<html><body><p>欢迎，<span>zh</span><span>ang</span>san_88</p><input value='zhangsan_88'></body></html>"
    page = shop_page.serve(html)
    boxes = run(page, "mask", [["zhangsan_88"], "__mask"])             # the split text and the field
    assert boxes >= 2 and page.eval_on_selector("#__mask", "e => e.children.length") == boxes
    text = page.eval_on_selector("p", "e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; }")
    covered = page.eval_on_selector_all("#__mask > div", "ds => ds.map(d => [parseFloat(d.style.left), "
                                        "parseFloat(d.style.left) + parseFloat(d.style.width)])")
    assert max(right for _, right in covered) > text[0] + 40            # past 欢迎， onto the name
    run(page, "unmask", "__mask")
    assert page.query_selector("#__mask") is None
    assert run(page, "mask", [["不在页面上"], "__mask"]) == 0


@pytest.mark.browser
def test_quiet_and_generation_follow_dom_changes(shop_page):
    page = shop_page.serve(SHOP)
    assert run(page, "generation", "__k") is None                     # no observer yet
    first = run(page, "quiet", "__k")
    assert first["ready"] is True and first["idle"] >= 0
    gen = run(page, "generation", "__k")
    page.evaluate("() => document.body.setAttribute('data-cardshop', 'x')")   # our own mark: no change
    assert run(page, "generation", "__k") == gen
    page.evaluate("() => document.body.appendChild(document.createElement('p'))")
    assert run(page, "generation", "__k") != gen
    assert run(page, "quiet", "__k")["idle"] < 1000


@pytest.mark.browser
def test_outline_on_and_off(shop_page):
    page = shop_page.serve(SHOP)
    assert run(page, "outline", ["#plain", True]) is True
    assert "solid" in page.eval_on_selector("#plain", "e => e.style.outline")
    assert run(page, "outline", ["#plain", False]) is True
    assert page.eval_on_selector("#plain", "e => e.style.outline") == ""
    assert run(page, "outline", ["#missing", True]) is False


@pytest.mark.browser
def test_section_scrolls_to_the_refund_heading(shop_page):
    html = "<html><body><h1>退款中心</h1>" + "<p>商品介绍</p>" * 200 + "<h3>退款规则</h3><p>未使用可退。</p></body></html>"
    page = shop_page.serve(html)
    assert run(page, "section", "退款规则|退款说明") == "退款规则"
    assert page.evaluate("() => scrollY") > 1000


HASH_APP = """<html><body><div id="app"></div><script>
const draw = () => setTimeout(() => { document.getElementById('app').textContent = '视图 ' + location.hash; }, 150);
window.addEventListener('hashchange', draw); draw();</script></body></html>"""


@pytest.mark.browser
def test_route_switches_a_hash_app_in_place(shop_page):
    """The app draws the route's view (no page load); a URL of another document is left to
    a page load (null)."""
    page = shop_page.serve(HASH_APP)
    page.wait_for_timeout(250)
    page.evaluate("() => { window.sameDocument = true; }")
    assert run(page, "route", [ORIGIN + "/#/18/detail", 1500]) is True
    page.wait_for_timeout(250)
    assert page.inner_text("#app") == "视图 #/18/detail" and page.evaluate("() => window.sameDocument")
    assert run(page, "route", [ORIGIN + "/#/18/detail", 300]) is True      # already there
    assert run(page, "route", [ORIGIN + "/shop/#/18/detail", 300]) is None
    assert run(page, "route", [ORIGIN + "/goods/18", 300]) is None
    assert run(page, "route", [ORIGIN + "/goods/18", 300, True]) is False      # no router follows popstate


HISTORY_APP = """<html><body><div id="app"></div><script>
const draw = () => setTimeout(() => { document.getElementById('app').textContent = '视图 ' + location.pathname; }, 150);
window.addEventListener('popstate', draw); draw();</script></body></html>"""


@pytest.mark.browser
def test_route_switches_a_history_app_in_place(shop_page):
    """A history route: pushState and the popstate its router follows; never another origin."""
    page = shop_page.serve(HISTORY_APP)
    page.wait_for_timeout(250)
    page.evaluate("() => { window.sameDocument = true; }")
    assert run(page, "route", [ORIGIN + "/item/113", 1500, True]) is True
    page.wait_for_timeout(250)
    assert page.inner_text("#app") == "视图 /item/113" and page.evaluate("() => window.sameDocument")
    assert page.url == ORIGIN + "/item/113"
    assert run(page, "route", ["http://127.0.0.2:9/item/7", 300, True]) is None


@pytest.mark.browser
def test_pending_dialog_sees_a_hidden_framed_modal_or_an_iframe_layer_call(shop_page):
    framed = ('<div class="modal fade" style="display:none"><div class="modal-body">'
              '<iframe src="about:blank"></iframe></div></div>')
    assert run(shop_page.serve(f"<html><body><p>商品</p>{framed}</body></html>"), "pending_dialog") is True
    layer = "<script>layui.use('layer', function () { layer.open({type: 2, content: '/notice.html'}); });</script>"
    assert run(shop_page.serve(f"<html><body><p>商品</p>{layer}</body></html>"), "pending_dialog") is True
    # a modal without a frame, a frame outside any dialog, a text layer: nothing framed to wait for
    plain = ('<div class="modal" style="display:none"><p>公告</p></div><iframe src="about:blank"></iframe>'
             "<script>layer.open({type: 1, content: '公告'});</script>")
    assert run(shop_page.serve(f"<html><body>{plain}</body></html>"), "pending_dialog") is False


@pytest.mark.browser
def test_term_marks_the_shown_element_of_a_sentence(shop_page):
    html = ("<html><body><div style='display:none'><p>本商品一经售出概不退换。</p></div>" + "<p>商品介绍</p>" * 120 +
            "<div class='detail'><p id='shown'>一次性卡密。本商品一经售出\n  概不退换，请核对后下单。</p></div></body></html>")
    page = shop_page.serve(html)
    assert run(page, "term", "本商品一经售出概不退换").startswith("一次性卡密。")
    assert page.get_attribute("#shown", "data-cardshop-term") == "1"
    assert page.evaluate("() => scrollY") > 1000
    assert run(page, "term", "此句不在页面上") is False
    assert not page.query_selector("[data-cardshop-term]")


@pytest.mark.browser
def test_body_text_and_same_window(shop_page):
    page = shop_page.serve("<html><body><p>购买须知</p><a id='x' target='_blank' href='/a'><b>协议</b></a></body></html>")
    assert "购买须知" in run(page, "body_text")
    page.eval_on_selector("#x b", source("same_window"))
    assert page.get_attribute("#x", "target") is None


@pytest.mark.browser
def test_rtc_off_removes_webrtc(shop_page):
    page = shop_page.serve(SHOP)
    assert page.evaluate("() => typeof RTCPeerConnection") == "function"
    page.evaluate(source("rtc_off"))
    assert page.evaluate("() => typeof RTCPeerConnection + typeof RTCDataChannel") == "undefinedundefined"


def test_eslint_passes_on_the_scripts():
    """``make install`` installs ESLint from package-lock.json (``npm ci``)."""
    eslint = ROOT / "node_modules" / ".bin" / "eslint"
    if not eslint.exists():
        pytest.fail("ESLint is not installed: run `make install` (npm ci)", pytrace=False)
    node = shutil.which("node")
    assert node, "Node.js is missing: run `make install` (installs the nodejs package)"
    done = subprocess.run([str(eslint), "--max-warnings", "0", "auditor/browser/scripts"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


ORDER_PAGE = """<html><body><nav><button>购买指南</button></nav>
<form id="f" onsubmit="return false">
  <input name="email" id="email" lay-verify="required|email" placeholder="接收卡密的邮箱">
  <input name="remark" placeholder="备注（选填）">
  <input name="vercode" required placeholder="验证码">
  <input type="password" name="query_pass" required placeholder="查询密码">
  <input name="coupon" required placeholder="优惠券">
  <input type="tel" name="mobile" required>
  <div class="pay-list"><button type="button" class="btn pay" data-id="2">支付宝购买</button></div>
  <a class="btn" href="/goods/9">购买同类商品</a>
  <button type="button" class="layui-btn" id="go">立即购买</button>
</form></body></html>"""


@pytest.mark.browser
def test_order_button_fills_only_what_the_form_requires(shop_page):
    """The order button is the form's own (not a payment tile, not a link to another page,
    not a nav button); only empty required text fields get a placeholder, never a captcha,
    password or coupon, never an optional field."""
    page = shop_page.serve(ORDER_PAGE)
    found = run(page, "order_button", ["立即购买|购买|下单", True])
    assert found["text"] == "立即购买" and found["tag"] == "button"
    assert page.get_attribute("#go", "data-cardshop-order-button") == "1"
    assert sorted(found["filled"]) == ["email", "mobile"]
    values = page.eval_on_selector_all("#f input", "els => Object.fromEntries(els.map(e => [e.name, e.value]))")
    assert values == {"email": "audit@example.com", "remark": "", "vercode": "", "query_pass": "", "coupon": "",
                      "mobile": "13800000000"}
    # without fill: marked, nothing typed
    page = shop_page.serve(ORDER_PAGE)
    assert run(page, "order_button", ["立即购买", False])["filled"] == []
    assert page.input_value("#email") == ""
    # no form around the button: another form's required fields (a login box) stay empty
    page = shop_page.serve("""<html><body><form><input name="user" required placeholder="用户名"></form>
      <div class="goods-info"><input name="email" required placeholder="邮箱">
      <button type="button" id="go">立即购买</button></div></body></html>""")
    assert run(page, "order_button", ["立即购买", True])["filled"] == ["email"]
    assert page.input_value("[name=user]") == ""
    # a page whose only 购买 controls are a payment tile and a link: no order button
    page = shop_page.serve(ORDER_PAGE.replace('<button type="button" class="layui-btn" id="go">立即购买</button>', ""))
    assert run(page, "order_button", ["立即购买|购买|下单", True]) is False


@pytest.mark.browser
def test_close_dialog_cancels_never_confirms(shop_page):
    page = shop_page.serve("""<html><body><div class="layui-layer layui-layer-dialog" style="width:400px;height:200px">
      <div class="layui-layer-title">温馨提示</div><div class="layui-layer-content">虚拟商品一经售出概不退换，请确认后下单。</div>
      <div class="layui-layer-btn"><a class="layui-layer-btn0" onclick="document.title='ordered'">确定</a>
      <a class="layui-layer-btn1" onclick="document.title='cancelled'">取消</a></div></div></body></html>""")
    assert run(page, "modal")
    assert run(page, "close_dialog") is True
    assert page.title() == "cancelled"
    # only a 确定 button: nothing is clicked
    page = shop_page.serve("""<html><body><div class="modal" style="width:400px;height:200px"><p>下单即视为同意购买须知，
      虚拟商品不支持退款。</p><button onclick="document.title='ordered'">确定购买</button></div></body></html>""")
    assert run(page, "modal")
    assert run(page, "close_dialog") is False and page.title() != "ordered"


FRAMED_NOTICE = """<!doctype html><html><head><meta charset="utf-8"><style>body{color:#333}</style></head><body>
<h4>购买须知</h4><p>卡密类商品一经售出概不退换。</p><script>var x = 1;</script></body></html>"""


@pytest.mark.browser
def test_frame_dialog_reads_same_origin_frames_and_only_names_others(shop_page):
    """A Bootstrap modal whose body is an <iframe>: a frame of the page's origin is read and
    inlined in the markup; a frame of another origin (loaded, here) is named, never read; a
    frame still waiting for its page is pending until it loads."""
    page = shop_page
    other = "http://127.0.0.2:9"
    answer = lambda route: route.fulfill(status=200, body=FRAMED_NOTICE, content_type="text/html; charset=utf-8")
    page.route(f"{ORIGIN}/notice*", answer)
    page.context.route(f"{other}/**", answer)
    modal = """<html><body><p>商品详情</p><div class="modal fade show" role="dialog" style="display:block;position:fixed;inset:40px">
      <div class="modal-dialog"><div class="modal-content"><div class="modal-header"><h5>提示</h5>
      <button type="button" class="btn-close" data-bs-dismiss="modal">×</button></div>
      <div class="modal-body"><iframe src="%s" style="width:500px;height:200px;border:0"></iframe></div></div></div></div>
      </body></html>"""
    try:
        page.serve(modal % "/notice")
        page.wait_for_timeout(300)
        assert run(page, "modal") is False                 # its own words: a title and a ×
        found = run(page, "frame_dialog", False)
        assert "一经售出概不退换" in found["text"] and found["frames"] == [{"src": ORIGIN + "/notice", "read": True, "pending": False}]
        assert page.get_attribute(".modal", "data-cardshop-modal") == "1"
        assert "一经售出概不退换" in found["markup"] and "<iframe" not in found["markup"] and "var x" not in found["markup"]
        assert 'data-frame-src="http://127.0.0.1:9/notice"' in found["markup"]

        page.serve(modal % (other + "/notice"))
        page.wait_for_timeout(300)
        assert page.frames[1].url == other + "/notice"     # it loaded: only reading it is refused
        found = run(page, "frame_dialog", False)
        assert found["frames"] == [{"src": other + "/notice", "read": False, "pending": False}]
        assert "概不退换" not in found["text"] and "概不退换" not in found["markup"]

        # a frame whose page has not answered yet shows its initial about:blank: pending, not read
        held = []
        page.route(f"{ORIGIN}/late*", lambda route: held.append(route))
        page.serve(modal % "/late", wait_until="domcontentloaded")     # "load" waits for the frame
        page.wait_for_timeout(300)
        found = run(page, "frame_dialog", False)
        assert held and found["frames"] == [{"src": ORIGIN + "/late", "read": False, "pending": True}]
        held[0].fulfill(status=200, body=FRAMED_NOTICE, content_type="text/html; charset=utf-8")
        page.wait_for_timeout(300)
        found = run(page, "frame_dialog", True)
        assert found["frames"][0]["read"] and "一经售出概不退换" in found["text"]
        page.unroute(f"{ORIGIN}/late*")

        # a video player's frame is no dialog; a hidden modal with a frame is not open
        page.serve("""<html><body><div class="player" style="width:600px;height:300px"><iframe src="/notice"
          style="width:560px;height:280px"></iframe></div><div class="modal" style="display:none"><iframe src="/notice"></iframe></div>
          </body></html>""")
        assert run(page, "frame_dialog", False) is False
        # a marked modal with more words of its own than the framed box: its reading stands
        page.serve("""<html><body><div class="modal" style="width:500px;height:200px">下单前请确认：充值账号填写错误导致的损失由买家自行承担，
          虚拟商品发货后不支持退款。</div><div class="layui-layer layui-layer-iframe" style="width:300px;height:120px">
          <iframe src="/notice" style="width:280px;height:60px"></iframe></div></body></html>""")
        page.wait_for_timeout(300)
        assert run(page, "modal") and run(page, "frame_dialog", True) is False
    finally:
        page.unroute(f"{ORIGIN}/notice*")
        page.context.unroute(f"{other}/**")


@pytest.mark.browser
def test_peek_fetches_same_origin_goods_html_and_returns_its_refund_sentences(shop_page):
    """Goods pages' HTML fetched without rendering: the refund sentences of a same-origin
    page; null for a page that is not HTML, an error, or another origin (never requested)."""
    from cardshop_auditor.browser.reach import REFUND_SENTENCE

    page = shop_page.serve("<html><body><p>商品列表</p></body></html>")
    other = "http://127.0.0.2:9"
    asked: list[str] = []

    def answer(route):
        asked.append(route.request.url)
        path = route.request.url.split(":9", 1)[1]
        if path.startswith("/goods/9"):
            route.fulfill(status=200, content_type="text/html; charset=utf-8",
                          body="<html><body><p>此商品一经售出概不退换，请核对区服。</p><script>var a = '<b>';</script></body></html>")
        elif path.startswith("/goods/2"):
            route.fulfill(status=200, content_type="text/html", body="<html><body><p>兑换码自动发货。</p></body></html>")
        elif path.startswith("/goods/3"):
            route.fulfill(status=404, content_type="text/html", body="<p>商品不存在，无法退款</p>")
        elif path.startswith("/goods/5"):          # a history-routed app: every path is its shell
            route.fulfill(status=200, content_type="text/html", body="<html><body><noscript>请启用 JavaScript 后刷新页面"
                          "</noscript><div id=app></div><script src=/app.js></script></body></html>")
        else:
            route.fulfill(status=200, content_type="application/json", body='{"msg": "不退款"}')

    page.route(f"{ORIGIN}/goods/**", answer)
    page.context.route(f"{other}/**", answer)
    try:
        urls = [ORIGIN + "/goods/9", "/goods/2", ORIGIN + "/goods/3", ORIGIN + "/goods/4.json", other + "/goods/9",
                "/goods/5"]
        found = run(page, "peek", [urls, REFUND_SENTENCE.pattern, 3000])
    finally:
        page.unroute(f"{ORIGIN}/goods/**")
        page.context.unroute(f"{other}/**")
    assert found == [["此商品一经售出概不退换，请核对区服"], [], None, None, None, {"shell": True}]
    assert not [u for u in asked if u.startswith(other)], asked
