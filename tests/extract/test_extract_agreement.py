"""Agreement pages, embedded agreements, reachability, clauses with their sources."""
from __future__ import annotations

from cardshop_auditor.extract import extract_findings

TERMS = """<h1>用户服务协议</h1>
<p>1. 未提取卡密的订单可申请全额退款。</p>
<p>2. 卡密已提取但尚未使用的，可申请退款，需扣除订单金额10%的手续费。</p>
<p>3. 已使用或已兑换的商品不再支持退款。</p>
<p>4. 本平台有权随时修改本协议，修改后的协议自公告之日起生效。</p>"""


def agreement(mk, *pages):
    return extract_findings(mk.shop(*pages))["agreement"]


def test_policy_page_linked_from_the_footer(mk):
    a = agreement(mk,
                  mk.page("/", mk.html('<p>欢迎</p><footer><a href="/agreement">用户协议</a></footer>'), depth=0),
                  mk.page("/agreement", mk.html(TERMS, title="用户服务协议 - 测试卡盟"), link_text="用户协议"))
    assert a["url"] == "http://shop.test/agreement" and a["title"] == "用户服务协议"
    assert a["reachable_from_home"] is True and a["source"] == "page"
    assert a["pages"] == ["http://shop.test/agreement"]
    kinds = {c["kind"] for c in a["clauses"]}
    assert kinds == {"refund_unactivated", "refund_activated_fee", "no_refund_used", "agreement_change"}
    fee = next(c for c in a["clauses"] if c["kind"] == "refund_activated_fee")
    assert fee["fee_percent"] == 10 and fee["source_url"] == "http://shop.test/agreement"
    assert fee["text"] == "2. 卡密已提取但尚未使用的，可申请退款，需扣除订单金额10%的手续费。"


def test_agreement_two_clicks_deep_is_not_reachable_from_home(mk):
    a = agreement(mk, mk.page("/", mk.html('<a href="/help">帮助中心</a>'), depth=0),
                  mk.page("/help", mk.html('<a href="/help/refund">退款说明</a>')),
                  mk.page("/help/refund", mk.html("<h1>退款说明</h1><p>卡密未提取的订单可全额退款。</p>"), depth=2))
    assert a["url"] == "http://shop.test/help/refund" and a["reachable_from_home"] is False


def test_embedded_register_agreement(mk):
    reg = mk.html('<h2>用户注册</h2><form><input name="u"><input type="password" name="p"><button>注册</button></form>'
                  '<div id="agreement" style="overflow-y:scroll"><h3>《用户注册协议》</h3>'
                  '<p>订单付款后卡密尚未发出的，用户可以联系客服取消订单，本站全额退款。</p>'
                  '<p>卡密发出后已被兑换或充值的，不予退款。</p></div>')
    a = agreement(mk, mk.page("/", mk.html('<a href="/register">注册</a>'), depth=0),
                  mk.page("/register", reg))
    assert a["url"] == "http://shop.test/register" and a["title"] == "用户注册协议" and a["source"] == "embedded"
    # "联系客服取消订单" also names the route for the refund (complaint_channel, corpus convention)
    assert {c["kind"] for c in a["clauses"]} == {"refund_unactivated", "no_refund_used", "complaint_channel"}
    assert a["reachable_from_home"] is True


def test_purchase_notice_modal_on_the_home_page(mk):
    home = mk.html('<div class="modal" id="staticBackdrop"><div class="modal-dialog"><h5 class="modal-title">购买提示</h5>'
                   '<div class="modal-body"><p>本站商品一经售出，概不退换。</p><p>本店保留最终解释权。</p></div></div></div>')
    a = agreement(mk, mk.page("/", home, depth=0))
    assert a["url"] == "http://shop.test/" and a["title"] == "购买提示" and a["reachable_from_home"] is True
    assert {c["kind"] for c in a["clauses"]} == {"blanket_no_refund", "final_interpretation"}


def test_a_dialog_the_buyer_must_accept_is_the_purchase_terms(mk):
    """温馨提示 behind 立即购买, accepted by ordering: the purchase terms, once it states one."""
    dialog = ('<div class="layui-layer" role="dialog"><div class="layui-layer-title">温馨提示</div>'
              '<div class="layui-layer-content"><p>1. 卡密付款后自动发送至您填写的邮箱。</p>'
              '<p>2. 虚拟商品一经售出概不退换，下单即视为同意本须知。</p></div>'
              '<a class="layui-layer-btn0">我已阅读，继续下单</a></div>')
    a = agreement(mk, mk.page("/buy/3", mk.html(dialog), depth=1))
    assert a["url"] == "http://shop.test/buy/3" and a["title"] == "温馨提示"
    assert {c["kind"] for c in a["clauses"]} == {"blanket_no_refund"}
    # accepted, but stating no term: a login prompt is no agreement
    login = ('<div class="modal" role="dialog"><h5 class="modal-title">温馨提示</h5><div class="modal-body">'
             '<p>请先登录后再购买，登录即视为同意本站规则，我已阅读并知晓。</p></div></div>')
    assert agreement(mk, mk.page("/buy/4", mk.html(login), depth=1)) is None


def test_page_beats_embedded_and_link_only(mk):
    a = agreement(mk,
                  mk.page("/", mk.html('<div class="modal"><h5>购买须知</h5><p>虚拟商品请谨慎购买，购买前请确认账号信息。</p></div>'
                                       '<a href="/terms">服务条款</a><a href="/privacy">隐私政策</a>'), depth=0),
                  mk.page("/terms", mk.html(TERMS)))
    assert a["url"] == "http://shop.test/terms" and a["source"] == "page"


def test_linked_but_unfetched_agreement(mk):
    a = agreement(mk, mk.page("/", mk.html('<footer><a href="/xieyi.html">《用户协议》</a></footer>'), depth=0))
    assert a["url"] == "http://shop.test/xieyi.html" and a["title"] == "用户协议"
    assert a["fetched"] is False and a["clauses"] == []


def test_no_agreement_at_all(mk):
    assert agreement(mk, mk.page("/", mk.html("<p>欢迎光临，自动发货。</p>"), depth=0)) is None


def test_terms_only_scattered_over_goods_pages(mk):
    a = agreement(mk, mk.page("/", mk.html('<a href="/buy/1">下单</a>'), depth=0),
                  mk.page("/buy/1", mk.html("<h3>腾讯视频月卡</h3><p>商品说明：虚拟商品一经售出，概不退换。</p>")))
    assert a["url"] is None and a["source"] == "scattered"
    assert [c["kind"] for c in a["clauses"]] == ["blanket_no_refund"]
    assert a["clauses"][0]["source_url"] == "http://shop.test/buy/1"


def test_refund_table_rows_are_clauses(mk):
    table = ("<h1>退款规则</h1><table><tr><th>订单状态</th><th>是否可退</th><th>手续费</th></tr>"
             "<tr><td>已支付，未提取卡密</td><td>可全额退款</td><td>无</td></tr>"
             "<tr><td>已提取卡密，尚未充值使用</td><td>可退款</td><td>订单金额的15%</td></tr>"
             "<tr><td>已充值 / 已兑换</td><td>不可退款</td><td>—</td></tr></table>")
    a = agreement(mk, mk.page("/", mk.html('<a href="/refund">退款规则</a>'), depth=0), mk.page("/refund", mk.html(table)))
    by_kind = {c["kind"]: c for c in a["clauses"]}
    assert set(by_kind) == {"refund_unactivated", "refund_activated_fee", "no_refund_used"}
    assert by_kind["refund_activated_fee"]["fee_percent"] == 15
    assert by_kind["refund_unactivated"]["text"] == "订单状态：已支付，未提取卡密，是否可退：可全额退款，手续费：无"


def test_navigation_and_marketing_are_not_clauses(mk):
    home = mk.html('<nav><a href="/refund">退款政策</a><a href="/after">售后服务</a></nav>'
                   '<div class="banner">7×24小时售后服务，支持无理由退款，放心购买！</div>'
                   '<footer><a href="/a">退款规则</a> | <a href="/b">联系我们</a></footer>')
    a = agreement(mk, mk.page("/", home, depth=0))
    # the policy is known by its (unfetched) link only; nothing on the home page is a clause
    assert a["fetched"] is False and a["title"] == "退款政策" and a["clauses"] == []


def test_identical_sentences_are_deduplicated(mk):
    foot = '<div class="notice">所有商品一经售出，概不退换。</div>'
    a = agreement(mk, mk.page("/", mk.html(foot + '<a href="/p">商品</a>'), depth=0), mk.page("/p", mk.html(foot)))
    assert len(a["clauses"]) == 1


# ---- pages that are not terms ----------------------------------------------------------------

def test_help_page_without_rules_is_not_the_agreement(mk):
    a = agreement(mk,
                  mk.page("/", mk.html('<p>欢迎</p><a href="/help">帮助中心</a>'), depth=0),
                  mk.page("/help", mk.html("<h1>帮助中心</h1><p>如何购买：选择商品，填写联系方式，点击购买。</p>"
                                           "<p>如何查询订单：在订单查询页输入联系方式。</p>", title="帮助中心"),
                          link_text="帮助中心"))
    assert a is None


def test_help_page_with_rules_is_kept(mk):
    a = agreement(mk,
                  mk.page("/", mk.html('<p>欢迎</p><a href="/help">常见问题</a>'), depth=0),
                  mk.page("/help", mk.html("<h1>常见问题</h1><p>未提取卡密的订单可申请全额退款。</p>", title="常见问题"),
                          link_text="常见问题"))
    assert a is not None and a["url"] == "http://shop.test/help"
    assert "refund_unactivated" in {c["kind"] for c in a["clauses"]}


def test_feature_lines_on_a_login_page_are_not_clauses(mk):
    a = agreement(mk,
                  mk.page("/", mk.html('<a href="/login">登录</a>'), depth=0),
                  mk.page("/login", mk.html('<ul><li>极速退款 售后无忧</li><li>7×24小时售后</li></ul>'
                                            '<form><input name="u"><input type="password" name="p"><button>登录</button></form>')))
    assert a is None


def test_rule_sentence_on_an_ordinary_page_is_kept(mk):
    a = agreement(mk, mk.page("/", mk.html("<p>温馨提示：卡密一经提取，概不退款。</p>"), depth=0))
    assert a is not None and "no_refund_used" in {c["kind"] for c in a["clauses"]}
