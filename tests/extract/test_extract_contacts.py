"""Phones, e-mails, QQ (and groups), WeChat, address."""
from __future__ import annotations

from cardshop_auditor.extract.contacts import Contacts, extract_contacts, extract_link_contacts


def contacts(*texts, hrefs=()):
    c = Contacts()
    for t in texts:
        extract_contacts(t, c, "http://shop.test/")
    extract_link_contacts(hrefs, c, "http://shop.test/")
    return c


def test_phones_of_every_kind_deduplicated():
    c = contacts("客服电话：0755-86013388 手机：138 1234 5678 热线 400-826-3317",
                 "电话 (010)12345678 手机13812345678 座机 075586013388")
    assert c.phones == ["400-826-3317", "13812345678", "0755-86013388", "010-12345678"]


def test_no_phone_from_identifiers_or_order_numbers():
    c = contacts("订单号：202401011234567890 京公网安备11010502030143号 粤ICP备2021034567号-1 "
                 "统一社会信用代码 91440300708461136T 卡号 13812345678 库存 1234567")
    assert c.phones == []


def test_landline_without_dash_needs_a_label():
    assert contacts("编号 075586013388").phones == []
    assert contacts("电话：075586013388").phones == ["0755-86013388"]


def test_emails_but_not_image_names():
    c = contacts("邮箱：Service@Example.com logo@2x.png", hrefs=["mailto:kefu@shop.cn?subject=hi"])
    assert c.emails == ["service@example.com", "kefu@shop.cn"]


def test_qq_labels_lists_groups_and_links():
    c = contacts("客服QQ：123456789 / 987654321", "售后QQ群：736120594（群满请加二群 905318276）",
                 "QQ会员 一个月 10元", "企鹅 55555",
                 hrefs=["tencent://message/?uin=11223344&Site=x", "http://wpa.qq.com/msgrd?v=3&uin=998877&site=qq"])
    assert c.qq == ["123456789", "987654321", "736120594", "905318276", "55555", "11223344", "998877"]
    assert c.qq_groups == ["736120594", "905318276"]


def test_wechat_ids():
    c = contacts("微信：kefu_2024", "VX: wxid_abc123", "加微信abcdefg", "支持微信支付", "wxpay_qr.png")
    assert c.wechat == ["kefu_2024", "wxid_abc123", "abcdefg"]
    # the colon is often left out where the id follows a label
    c = contacts("售后请添加客服微信 kf_shop2024 备注订单号", "站长微信号 zz-admin9", "客服微信 请扫码添加")
    assert c.wechat == ["kf_shop2024", "zz-admin9"]


def test_address_needs_a_chinese_address():
    assert contacts("公司地址：广东省深圳市南山区科技园路1号大厦5楼 电话：0755-86013388").address == \
        "广东省深圳市南山区科技园路1号大厦5楼"
    assert contacts("网址：www.example.com").address is None
    assert contacts("USDT钱包地址：TXyz123456789").address is None
    assert contacts("注册地址\n四川省成都市武侯区天府大道北段1700号").address == "四川省成都市武侯区天府大道北段1700号"


def test_tel_links():
    assert contacts(hrefs=["tel:+86 139 0000 1111", "tel:4008263317"]).phones == ["13900001111", "400-826-3317"]


# ---- addresses in label/value tables; one number for phone and WeChat ------------------------------

import pytest as _pytest  # noqa: E402

from cardshop_auditor.extract import extract_findings as _extract  # noqa: E402


def _contacts(mk, body):
    return _extract(mk.shop(mk.page("/", mk.html(body), depth=0)))["contacts"]


@_pytest.mark.parametrize("body,addr", [
    ("<table><tr><th>住所</th><td>贵州省贵阳市观山湖区长岭北路88号</td></tr></table>", "贵州省贵阳市观山湖区长岭北路88号"),
    ("<dl><dt>经营场所</dt><dd>云南省昆明市五华区人民中路1号3楼</dd></dl>", "云南省昆明市五华区人民中路1号3楼"),
    ("<table><tr><td>办公地址</td><td>四川省成都市高新区天府大道100号</td></tr></table>", "四川省成都市高新区天府大道100号"),
    ("<table><tr><th>注册地址</th><td>甘肃省兰州市城关区东岗西路5号</td></tr></table>", "甘肃省兰州市城关区东岗西路5号"),
])
def test_address_in_label_value_pairs(mk, body, addr):
    assert _contacts(mk, body)["address"] == addr


def test_residence_word_in_prose_is_not_an_address(mk):
    assert _contacts(mk, "<p>住所不限，全国用户均可购买</p>")["address"] is None


@_pytest.mark.parametrize("body", ["<p>电话：13812345678（微信同号）</p>", "<p>微信同号：13812345678</p>",
                                   "<p>手机/微信：13812345678</p>", "<p>电话（微信）：138-1234-5678</p>"])
def test_same_number_for_phone_and_wechat(mk, body):
    c = _contacts(mk, body)
    assert c["phones"] == ["13812345678"] and c["wechat"] == ["13812345678"]


def test_a_phone_alone_is_not_a_wechat_id(mk):
    assert _contacts(mk, "<p>电话：13812345678 QQ：12345678</p>")["wechat"] == []
