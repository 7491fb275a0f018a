"""Purchase terms where 发卡 operators really put them: a 购买须知 section inside a notice, inside
a modal titled 公告, under a bold-only paragraph or a card header (dujiaoka, ZFAKA, acg-faka)."""
from __future__ import annotations

from cardshop_auditor.extract import extract_findings
from cardshop_auditor.extract.page import HEADING, TITLE, parse_html

RULES = ("<p>1. 卡密未提取的订单，付款后 24 小时内可申请全额退款。</p>"
         "<p>2. 卡密无效的，请提供订单号和截图，核实后补发或退款。</p>"
         "<p>3. 退款原路退回，1-3 个工作日到账。</p>")
# a home page is mostly goods, not rules (else the whole page reads as a policy page)
GOODS = "".join(f"<p>{name} {price}元 自动发货</p>" for name in ("网易一卡通", "完美一卡通", "爱奇艺黄金会员月卡",
                                                               "腾讯视频月卡", "Steam 钱包充值码", "话费快充")
                for price in (30, 50))


def agreement(mk, home_body: str) -> dict | None:
    return extract_findings(mk.shop(mk.page("/", mk.html(home_body), depth=0)))["agreement"]


def test_purchase_terms_under_a_heading_inside_a_modal_titled_notice(mk):
    # dujiaoka hyper: the 公告 button opens a modal whose body starts with <h5>购买须知</h5>
    home = ('<p>欢迎光临</p><div class="modal fade" id="notice-modal" role="dialog"><div class="modal-content">'
            '<div class="modal-header"><h5 class="modal-title">公告</h5><button class="close">×</button></div>'
            f'<div class="modal-body"><h5>购买须知</h5>{RULES}</div></div></div>' + GOODS)
    a = agreement(mk, home)
    assert a["url"] == "http://shop.test/" and a["title"] == "购买须知" and a["source"] == "embedded"
    assert {"refund_unactivated", "platform_fault", "refund_channel"} <= {c["kind"] for c in a["clauses"]}


def test_purchase_terms_under_a_bold_paragraph_in_a_notice_quote(mk):
    # ZFAKA hyacinth: the notice is a layui quote whose title is <p><strong>购买须知</strong></p>;
    # the section ends at the goods card's header
    home = ('<blockquote class="layui-elem-quote"><i class="layui-icon"></i><p><strong>购买须知</strong></p>'
            f'{RULES}</blockquote>'
            '<div class="layui-card"><div class="layui-card-header">商品列表</div>'
            '<div class="layui-card-body"><p>如有疑问可联系客服QQ 10001。</p>' + GOODS + '</div></div>')
    a = agreement(mk, home)
    assert a["url"] == "http://shop.test/" and a["title"] == "购买须知" and a["source"] == "embedded"
    kinds = {c["kind"] for c in a["clauses"]}
    assert {"refund_unactivated", "platform_fault", "refund_channel", "refund_timeline"} <= kinds
    assert not any("10001" in c["text"] for c in a["clauses"])     # below the card header: not the terms


def test_a_bold_word_over_a_product_description_is_not_an_agreement(mk):
    goods = ('<h3>腾讯视频月卡</h3><p><strong>注意事项</strong></p>'
             '<p>本商品为官方兑换码，适用于网页端、手机端和电视端，兑换后会员权益立即生效，可叠加多张使用。</p>'
             '<p><b>热销</b></p><p>已售 1024 件。</p>'
             '<p><strong>温馨提示：</strong>购买后请在订单查询页查看卡密。</p>')
    a = agreement(mk, goods)
    assert a is None or a["url"] is None


def test_a_bold_title_over_text_without_rules_is_not_an_agreement(mk):
    a = agreement(mk, '<div><b>购买须知</b></div><p>欢迎光临本店，本店商品种类齐全，价格实惠，自动发货，全天营业，老客户下单更有优惠，欢迎选购。</p>')
    assert a is None or a["url"] is None


def test_a_section_stays_inside_its_notice_box(mk):
    home = (f'<h1>青禾数字</h1><div class="notice"><h4>购买须知</h4>{RULES}</div>'
            '<p>本站所有商品均为正版授权，如有疑问可联系客服QQ 10001。</p>' + GOODS)
    a = agreement(mk, home)
    assert a["title"] == "购买须知" and a["source"] == "embedded"
    assert not any("10001" in c["text"] for c in a["clauses"])     # after the notice: not the terms


# ---- the page parser: headings by role ---------------------------------------------------------

def test_headings_by_role_are_titles_not_page_headings():
    doc = parse_html('<h1>青禾数字</h1><p><strong>购买须知</strong></p><p>正文。</p>'
                     '<div class="layui-card-header">商品列表</div>'
                     '<div class="card"><div class="card-header"><span>公告</span></div></div>'
                     '<p><span><b>售后说明</b></span><br></p>')
    titles = [b.text for b in doc.blocks if b.flags & TITLE]
    assert titles == ["购买须知", "商品列表", "公告", "售后说明"]
    assert doc.headings == ["青禾数字"]                       # the page's own title is unchanged
    assert all(not b.flags & HEADING for b in doc.blocks if b.flags & TITLE)


def test_bold_clauses_and_bold_lead_ins_are_not_titles():
    doc = parse_html('<p><strong>卡密一经使用的，不支持退款。</strong></p>'
                     '<p><strong>温馨提示：</strong>本店商品自动发货。</p>'
                     '<p><a href="/x"><strong>购买须知</strong></a></p>'
                     '<p>正文<b>加粗</b>正文</p>')
    assert not any(b.flags & TITLE for b in doc.blocks)


def test_purchase_terms_in_a_card_headed_notice(mk):
    # dujiaoka unicorn / acg-faka: a notice card whose header, not an <h*>, names the terms
    home = ('<h1>青禾数字</h1><div class="card"><div class="card-header">购卡须知</div>'
            f'<div class="card-body">{RULES}</div></div>' + GOODS)
    a = agreement(mk, home)
    assert a["title"] == "购卡须知" and a["source"] == "embedded"
    assert "refund_unactivated" in {c["kind"] for c in a["clauses"]}


def test_purchase_terms_in_a_layer_popup_titled_by_its_title_bar(mk):
    home = ('<div class="layui-layer layui-layer-page"><div class="layui-layer-title">购买提示</div>'
            f'<div class="layui-layer-content">{RULES}</div></div>' + GOODS)
    a = agreement(mk, home)
    assert a["title"] == "购买提示" and a["source"] == "embedded"


def test_a_notice_modal_whose_text_is_the_rules_is_the_terms(mk):
    # no 购买须知 title at all: the operator wrote the refund rules straight into the 公告
    home = ('<div class="modal" role="dialog"><div class="modal-header"><h5 class="modal-title">公告</h5></div>'
            f'<div class="modal-body">{RULES}<p>4. 已提取并使用的卡密不予退款。</p></div></div>' + GOODS)
    a = agreement(mk, home)
    assert a["title"] == "公告" and a["source"] == "embedded"
    assert {"refund_unactivated", "no_refund_used"} <= {c["kind"] for c in a["clauses"]}


def test_a_notice_of_news_with_one_refund_line_is_not_the_terms(mk):
    home = ('<div class="notice"><p>本站新上架 Steam 充值卡，欢迎选购。</p><p>客服在线时间 9:00-22:00。</p>'
            '<p>国庆期间正常发货。</p><p>虚拟商品一经售出概不退换。</p></div>' + GOODS)
    a = agreement(mk, home)
    assert a["url"] is None and a["source"] == "scattered"
