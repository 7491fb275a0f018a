"""Traditional-character wording (Taiwan / Hong Kong shops, point-card sellers) is recognised
like its simplified twin, while every clause in the findings stays the verbatim sentence."""
from __future__ import annotations

import pytest

from cardshop_auditor.extract import extract_findings
from cardshop_auditor.extract.clauses import classify
from cardshop_auditor.extract.text import simplified

# written for this test: the kinds each sentence states, by the corpus conventions
TRADITIONAL = [
    ("本店販售之遊戲點數卡屬數位商品，一經售出，概不退換。", {"blanket_no_refund"}),
    ("儲值序號一經兌換或已儲值至帳號者，恕無法辦理退款。", {"no_refund_used"}),
    ("若收到的序號無效或顯示已被使用，請於二十四小時內聯繫客服，核實後將為您補發。",
     {"platform_fault", "refund_timeline", "complaint_channel"}),
    ("申請退款時須提供訂單編號及付款憑證截圖，資料不全者恕不受理。", {"evidence_required"}),
    ("訂單尚未發貨前，買家可申請取消訂單並全額退款。", {"refund_unactivated"}),
    ("退款將於審核通過後七個工作天內按原付款方式退回。", {"refund_channel", "refund_timeline"}),
    ("本站保留對本條款之最終解釋權。", {"final_interpretation"}),
]


def test_simplified_converts_only_traditional_text():
    assert simplified("購買儲值點數無法退款，請憑證聯繫客服") == "购买储值点数无法退款，请凭证联系客服"
    plain = "一经售出概不退换，请联系客服"
    assert simplified(plain) is plain           # nothing to convert: the text itself, no copy
    assert simplified("") == ""


@pytest.mark.parametrize("sentence,kinds", TRADITIONAL)
def test_traditional_sentence_gets_the_kinds_of_its_simplified_twin(sentence, kinds):
    got = {k for k, _ in classify(sentence)}
    assert got == kinds
    assert got == {k for k, _ in classify(simplified(sentence))}


def test_traditional_fee_keeps_its_percentage():
    got = dict(classify("已提取但未使用之序號可申請退款，惟須扣除訂單金額百分之十的手續費。"))
    assert got["refund_activated_fee"]["fee_percent"] == 10


def test_traditional_policy_page_and_goods_prompt_are_quoted_verbatim(mk):
    terms = mk.html("<h1>退換貨政策</h1>"
                    "<p>1. 點數卡序號尚未發送之訂單，可申請全額退款。</p>"
                    "<p>2. 序號已兌換或已使用者，恕不退款。</p>"
                    "<p>3. 如對退款結果有疑問，可透過客服工單提出申訴。</p>", title="退換貨政策")
    goods = mk.html('<h2>遊戲點數卡 300點</h2><p class="notice">虛擬商品一經售出，概不退換，購買前請確認帳號。</p>'
                    '<button>立即購買</button>', title="商品詳情")
    shop = mk.shop(mk.page("/", mk.html('<a href="/policy">退換貨政策</a><a href="/item/1">點數卡</a>'), depth=0),
                   mk.page("/policy", terms, link_text="退換貨政策"),
                   mk.page("/item/1", goods, link_text="點數卡"))
    a = extract_findings(shop)["agreement"]
    assert a["url"] == "http://shop.test/policy"
    by_kind = {c["kind"]: c for c in a["clauses"]}
    assert by_kind["refund_unactivated"]["text"] == "1. 點數卡序號尚未發送之訂單，可申請全額退款。"
    assert by_kind["no_refund_used"]["text"] == "2. 序號已兌換或已使用者，恕不退款。"
    assert by_kind["complaint_channel"]["text"] == "3. 如對退款結果有疑問，可透過客服工單提出申訴。"
    blanket = by_kind["blanket_no_refund"]
    assert blanket["text"] == "虛擬商品一經售出，概不退換，購買前請確認帳號。"
    assert blanket["source_url"] == "http://shop.test/item/1"
