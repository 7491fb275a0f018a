"""ICP 备案号, licences, 公安备案, USCC (GB 32100-2015), company names."""
from __future__ import annotations

import pytest

from cardshop_auditor.extract.identifiers import (PROVINCE_CODES, PROVINCES, find_company_names, find_icp,
                                         find_licences, find_psb, find_uscc, is_placeholder,
                                         uscc_check_char, uscc_valid)


def one_icp(text):
    found = find_icp(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("prov", list(PROVINCES))
def test_every_province_prefix(prov):
    m = one_icp(f"备案号：{prov}ICP备2021003158号-1")
    assert m.number == f"{prov}ICP备2021003158号-1"
    assert m.extra["valid_format"] and not m.extra["placeholder"]


@pytest.mark.parametrize("a,b", [("川", "蜀"), ("贵", "黔"), ("云", "滇"), ("甘", "陇")])
def test_both_forms_of_the_dual_prefixes(a, b):
    assert one_icp(f"{a}ICP备09150084号").number == f"{a}ICP备09150084号"
    assert one_icp(f"{b}ICP备2025143639号").number == f"{b}ICP备2025143639号"


def test_full_width_and_spaced_icp_is_normalised_with_raw_kept():
    m = one_icp("浙ＩＣＰ备 ２０２２０３６１８４号－２")
    assert m.number == "浙ICP备2022036184号-2"
    assert m.raw == "浙ＩＣＰ备 ２０２２０３６１８４号－２"
    m = one_icp("京 ICP 备 1605 9763 号 - 1")
    assert m.number == "京ICP备16059763号-1"
    assert one_icp("沪ICP备17012345号—3").number == "沪ICP备17012345号-3"


def test_suffix_forms_and_labels():
    assert one_icp("ICP备案号：粤ICP备2021034567号-1").number == "粤ICP备2021034567号-1"
    assert one_icp("粤ICP备2021034567号").number == "粤ICP备2021034567号"     # Guangdong: no -k
    assert one_icp("陕ICP备15002899号-4 | 其他").number == "陕ICP备15002899号-4"


@pytest.mark.parametrize("text", ["京ICP备12345678号", "沪ICP备00000000号", "粤ICP备88888888号-1",
                                  "黔ICP备XXXXXXXX号", "苏ICP备********号", "浙ICP备87654321号",
                                  "闽ICP备12121212号", "鲁ICP备2021000000号"])
def test_placeholders(text):
    m = one_icp(text)
    assert m.extra["placeholder"] is True
    assert m.extra["valid_format"] is False


def test_missing_province_is_malformed_not_placeholder():
    m = one_icp("ICP备案号：ICP备17012345号")
    assert m.number == "ICP备17012345号"
    assert m.extra["valid_format"] is False and m.extra["placeholder"] is False


def test_bad_year_in_ten_digit_number_is_malformed():
    assert one_icp("京ICP备9921003158号").extra["valid_format"] is False


def test_no_icp_in_plain_text():
    assert find_icp("ICP 是互联网内容提供商的缩写，备案请访问工信部网站。") == []


def test_is_placeholder_rules():
    assert is_placeholder("11111111") and is_placeholder("0123456789") and is_placeholder("12341234")
    assert not is_placeholder("16059763") and not is_placeholder("2021003158")


def test_licences():
    kinds = {m.number: m.extra["kind"] for m in find_licences(
        "京ICP证070359号 增值电信业务经营许可证：粤B2-20190762 B2-20080207 京网文（2024）1468-073号")}
    assert kinds == {"京ICP证070359号": "icp_license", "粤B2-20190762": "b2", "B2-20080207": "b2",
                     "京网文〔2024〕1468-073号": "network_culture"}
    assert [m.number for m in find_licences("ICP证：京B2-20190453")] == ["京B2-20190453"]


def test_icp_licence_is_not_an_icp_filing():
    assert find_icp("京ICP证070359号") == []


def test_psb_consistent_and_region():
    [m] = find_psb("京公网安备 11010502030143号")
    assert m.number == "京公网安备11010502030143号"
    assert m.extra["region_code"] == "110105" and m.extra["consistent"] is True


def test_psb_inconsistent_prefix():
    [m] = find_psb("沪公网安备 33011002016678号")
    assert m.extra["consistent"] is False and m.extra["region_code"] == "330110"


@pytest.mark.parametrize("code,chars", list(PROVINCE_CODES.items()))
def test_psb_every_province_both_ways(code, chars):
    digits = code + "010502000123"
    for ch in chars:
        [m] = find_psb(f"{ch}公网安备{digits}号")
        assert m.extra["consistent"] is True, (ch, digits)
    other = "11" if code != "11" else "31"
    [m] = find_psb(f"{chars[0]}公网安备{other}010502000123号")
    assert m.extra["consistent"] is False


def test_psb_legacy_short_form_and_full_width():
    [m] = find_psb("浙公网安备 33010602009号")
    assert m.number == "浙公网安备33010602009号" and m.extra["consistent"] is True
    [m] = find_psb("粤公网安备 ４４０３０５０２００８８１２号")
    assert m.number == "粤公网安备44030502008812号"


def test_psb_without_province_has_unknown_consistency():
    [m] = find_psb("公安备案号：44030502000001")
    assert m.extra["consistent"] is None and m.extra["region_code"] == "440305"


LETTER_LED = "Y2440300MA5GQ7K33" + uscc_check_char("Y2440300MA5GQ7K33")


def test_uscc_check_digit():
    assert uscc_valid("91440300708461136T")
    assert uscc_valid("91110000600037341L")
    assert uscc_valid(LETTER_LED) and LETTER_LED[0] == "Y"
    assert not uscc_valid("91440300708461137T")
    assert not uscc_valid("9144030070846113")          # too short
    assert not uscc_valid("914403007084611360")         # wrong check
    assert not uscc_valid("91440300708461I36T")         # I is not in the charset


def test_uscc_labelled_valid_and_invalid():
    [m] = find_uscc("统一社会信用代码：91440300708461136T")
    assert m.number == "91440300708461136T" and m.extra["valid"] is True
    [m] = find_uscc("营业执照注册号 91440300708461137T")
    assert m.extra["valid"] is False
    [m] = find_uscc(f"信用代码：{LETTER_LED.lower()}")
    assert m.number == LETTER_LED and m.extra["valid"] is True


def test_uscc_standalone_needs_letter_and_valid_check():
    assert [m.number for m in find_uscc(f"某某公司 {LETTER_LED} 成立于2020年")] == [LETTER_LED]
    assert find_uscc("订单号：202401011234567890") == []
    assert find_uscc("身份证 11010519491231002X") == []          # shape fits, check does not
    assert find_uscc("联系电话 13812345678 订单 91440300708461137T") == []


def names(text):
    return [m.number for m in find_company_names(text)]


def test_company_names_next_to_labels():
    assert names("主办单位：广州市某某网络科技有限公司") == ["广州市某某网络科技有限公司"]
    assert names("Copyright © 2019-2024 深圳市某某科技有限公司 All Rights Reserved") == ["深圳市某某科技有限公司"]
    assert names("©2024 星辰网络工作室 版权所有") == ["星辰网络工作室"]
    assert names("运营主体：张三（个体工商户）") == ["张三（个体工商户）"]
    assert names("本站由杭州某某信息技术有限公司运营") == ["杭州某某信息技术有限公司"]
    assert names("深圳市云卡互联科技有限公司 统一社会信用代码：91440300MA5GQ7K33E") == ["深圳市云卡互联科技有限公司"]
    assert names("企业名称\n成都某某商行") == ["成都某某商行"]


def test_company_name_decoys():
    assert names("支付服务由支付宝（中国）网络技术有限公司提供") == []
    assert names("本商品为腾讯计算机系统有限公司发行的游戏点卡，请放心购买") == []
    assert names("本公司版权所有，未经许可不得转载") == []
    assert names("© 2024 支付宝（中国）网络技术有限公司") == []
    # a strong operator label wins even for a well-known name
    assert names("运营主体：深圳市腾讯计算机系统有限公司") == ["深圳市腾讯计算机系统有限公司"]


# ---- credit codes under composite / bracketed labels are reported even when invalid ----------

@pytest.mark.parametrize("label", [
    "营业执照注册号（统一社会信用代码）：", "统一社会信用代码（营业执照注册号）：", "营业执照号/统一社会信用代码：",
    "营业执照【统一社会信用代码】 ", "注册号(统一社会信用代码) ", "社会信用代码 | ", "信用代码：", "营业执照号码：",
    "税号：", "纳税人识别号：", "统一社会信用代码\n", "营业执照编号（三证合一）："])
def test_labelled_credit_code_is_kept_when_its_check_digit_fails(label):
    bad = "91520100MA6DK1234X"          # right shape, wrong check character
    assert not uscc_valid(bad)
    found = find_uscc(f"{label}{bad}")
    assert [(m.number, m.extra["valid"], m.extra["labelled"]) for m in found] == [(bad, False, True)]


def test_bracketed_label_with_a_valid_code_is_labelled():
    found = find_uscc("注册号（统一社会信用代码）：91440300708461136T")
    assert [(m.number, m.extra["valid"], m.extra["labelled"]) for m in found] == [("91440300708461136T", True, True)]


@pytest.mark.parametrize("text", ["订单号（自动生成）：91520100MA6DK1234X", "卡密：91520100MA6DK1234X",
                                  "注册号：110108000000016"])
def test_unlabelled_or_other_numbers_are_not_credit_codes(text):
    assert find_uscc(text) == []


def test_invalid_labelled_code_reaches_the_business_finding(mk):
    from cardshop_auditor.extract.findings import extract_findings
    body = ("<h1>资质证照</h1><table><tr><th>企业名称</th><td>贵阳云栈网络科技有限公司</td></tr>"
            "<tr><th>营业执照注册号（统一社会信用代码）</th><td>91520100MA6DK1234X</td></tr></table>")
    f = extract_findings(mk.shop(mk.page("/", mk.html("<p>欢迎</p><a href='/zizhi'>资质证照</a>"), depth=0),
                                 mk.page("/zizhi", mk.html(body))))
    assert f["business"]["uscc"] == "91520100MA6DK1234X"
    assert f["business"]["uscc_valid"] is False


# ---- names that begin with a place whose first character is also a pronoun / ICP alias ---------

@pytest.mark.parametrize("name", ["贵阳云栈网络科技有限公司", "贵州黔程信息技术有限公司", "云南滇味商贸有限公司",
                                  "甘肃陇原数码科技有限公司", "川渝网络科技有限公司", "本溪辽东数码经营部",
                                  "和田玉龙电子商务有限公司"])
@pytest.mark.parametrize("label", ["公司名称：", "经营者名称：", "企业名称，", "Copyright © 2024 "])
def test_names_beginning_with_a_place_are_found(label, name):
    assert [m.number for m in find_company_names(f"{label}{name}")] == [name]


@pytest.mark.parametrize("text", ["请联系贵公司客服有限公司", "本公司网络科技有限公司 版权所有", "和我们合作的科技有限公司 版权所有"])
def test_pronoun_phrases_are_still_not_names(text):
    assert find_company_names(text) == []


# ---- third parties named in prose are not the operator ------------------------------------------

@pytest.mark.parametrize("text", [
    "《星海传说》由上海某某网络科技有限公司运营，点卡可在本站购买",
    "该游戏由广州某某互娱科技有限公司独家代理发行",
    "本店出售的点卡由杭州某某游戏有限公司出品",
    "充值卡适用于多个平台，如某某所属的北京某某信息技术有限公司旗下产品",
    "本站与深圳某某网络科技有限公司合作，提供正版激活码",
    "已获得成都某某文化传媒有限公司官方授权",
    "支付服务由福建某某支付科技有限公司提供",
    "游戏运营商：南京某某游戏有限公司",
    "云服务器由北京某某云计算有限公司提供",
])
def test_third_parties_in_prose_are_not_names(text):
    assert names(text) == []


@pytest.mark.parametrize("text,name", [
    ("本站由杭州某某信息技术有限公司运营，如有问题请联系客服", "杭州某某信息技术有限公司"),
    ("本平台是成都某某数码商行运营的卡密自助交易平台", "成都某某数码商行"),
    ("公司名称：（贵阳云栈网络科技有限公司）", "贵阳云栈网络科技有限公司"),
    ("【深圳市星辰网络科技有限公司】 版权所有", "深圳市星辰网络科技有限公司"),
    ("经营主体：成都某某数码商行（个体工商户）", "成都某某数码商行（个体工商户）"),
])
def test_operator_names_still_found_without_leading_punctuation(text, name):
    assert names(text) == [name]


def test_only_decoys_give_no_company_name(mk):
    from cardshop_auditor.extract.findings import extract_findings
    body = ("<p>《星海传说》由上海某某网络科技有限公司运营。</p><p>支付服务由福建某某支付科技有限公司提供。</p>"
            "<p>本站与深圳某某网络科技有限公司合作。</p>")
    f = extract_findings(mk.shop(mk.page("/", mk.html(body), depth=0)))
    assert f["business"] is None or f["business"]["company_name"] is None


def test_labelled_operator_wins_over_prose_decoys(mk):
    from cardshop_auditor.extract.findings import extract_findings
    body = ("<p>《星海传说》由上海某某网络科技有限公司运营。</p>"
            "<div class='footer'>Copyright © 2024 贵州黔程信息技术有限公司 版权所有</div>")
    f = extract_findings(mk.shop(mk.page("/", mk.html(body), depth=0)))
    assert f["business"]["company_name"] == "贵州黔程信息技术有限公司"


@pytest.mark.parametrize("text", ["适用于各大视频平台会员，如某视频所属的某某信息技术（北京）有限公司",
                                  "版权所有：比如某游戏旗下的上海某某网络有限公司"])
def test_example_phrases_with_de_are_not_names(text):
    assert names(text) == []
