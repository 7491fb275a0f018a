"""Clause kinds on sentences written the way real recharge / game-trading / 发卡 /
membership platforms write them (our own wording; none is from the corpus test split),
and the policy rules of issue 10."""
from __future__ import annotations

import pytest

from cardshop_auditor.extract.clauses import classify


def kinds(sentence: str) -> set[str]:
    return {k for k, _ in classify(sentence)}


def facts(sentence: str, kind: str) -> dict:
    return next(e for k, e in classify(sentence) if k == kind)


POSITIVE = [
    ("refund_unactivated", "下单后商品还没发货的，可以在订单页申请取消，款项全额退还。"),
    ("refund_unactivated", "兑换码在购买后7天内且尚未兑换的，支持申请退款。"),
    ("refund_unactivated", "代充订单在开始充值之前可以撤销，费用原路退回。"),
    ("refund_activated_fee", "会员已开通但未使用的，可退款，需扣除20%的手续费。"),
    ("refund_activated_fee", "包年套餐中途退订的，按已使用月数折算后退还剩余费用。"),
    ("no_refund_used", "道具一旦使用即视为消耗完毕，不支持退款。"),
    ("no_refund_used", "因个人原因误拍或拍错面值的，不予退款。"),
    ("no_refund_used", "因您未及时关闭自动续费产生的扣款，不予退还。"),
    ("platform_fault", "卡密提示无效的，请提交工单，核实后为您补发。"),
    ("platform_fault", "同一订单被重复扣款的，多扣的部分将原路退还。"),
    ("platform_fault", "账号资料与商品描述不一致的，可申请平台介入并全额退款。"),
    ("special_goods_exclusion", "秒杀和限时特价商品不参与退款。"),
    ("special_goods_exclusion", "试用版、赠品等不支持退款。"),
    ("blanket_no_refund", "本店所有卡密一经售出概不退换。"),
    ("blanket_no_refund", "一经购买，无论是否提取卡密，均不予退款。"),
    ("refund_channel", "退款将退回至您的站内余额，余额不可提现。"),
    ("refund_channel", "原支付账户已注销的，请联系客服协商人工转账。"),
    ("refund_timeline", "退款审核一般需要二到三个工作日。"),
    ("refund_timeline", "售后申请请于收货后48小时内提出，逾期不予受理。"),
    ("evidence_required", "申请售后时请上传充值失败的截图和订单号。"),
    ("evidence_required", "账号被找回的，请提供交易聊天记录和登录异常的录屏。"),
    ("supplement_deadline", "材料不全的，需在24小时内补充提交，超时工单将自动关闭。"),
    ("complaint_channel", "卡密无法使用的，请提交工单，客服会在2小时内处理。"),
    ("complaint_channel", "对售后结果不满意的，可以发起申诉，由平台仲裁。"),
    ("complaint_channel", "充值未到账的，请联系在线客服核实处理。"),
    ("agreement_change", "本平台可随时调整本规则，调整后的规则自公布之日起生效。"),
    ("final_interpretation", "以上规则由本店负责最终解释。"),
]


@pytest.mark.parametrize("kind,sentence", POSITIVE)
def test_real_wording_positive(kind, sentence):
    assert kind in kinds(sentence)


NEGATIVE = [
    # issue 10: a legal reservation or a carve-out for defects keeps a refusal from being blanket
    ("blanket_no_refund", "除法律另有规定外，数字商品售出后不予退款。"),
    ("blanket_no_refund", "除商品质量问题外，虚拟商品售出后不退不换。"),
    # a withdrawal fee is not a refund fee
    ("refund_activated_fee", "余额提现收取1%手续费，单笔最低1元。"),
    ("refund_activated_fee", "退款退回余额，余额提现需扣除2%手续费。"),
    # delivery times are not refund timelines; bare contacts are not complaint channels
    ("refund_timeline", "话费充值一般在10分钟内到账。"),
    ("complaint_channel", "客服在线时间：每天9:00至23:00。"),
    ("complaint_channel", "客服QQ：12345678"),
    # buying steps and consent are not clauses of these kinds
    ("agreement_change", "下单即表示您已阅读并同意《购买须知》。"),
    ("evidence_required", "下单时请填写正确的充值账号。"),
]


@pytest.mark.parametrize("kind,sentence", NEGATIVE)
def test_real_wording_negative(kind, sentence):
    assert kind not in kinds(sentence)


def test_the_invalid_key_chain_never_says_refund():
    # 卡密无效 → 提交工单 → 附订单号和截图: no 退款 anywhere, three kinds
    k = kinds("卡密显示已被使用的，请提交工单并附上订单号和兑换失败的截图，我们核实后补发。")
    assert {"platform_fault", "complaint_channel", "evidence_required"} <= k


def test_sweeping_refusal_after_purchase_names_a_condition():
    assert "blanket_no_refund" in kinds("虚拟商品一经购买，卡密提取后概不退款。")


def test_buyer_fault_is_no_refund_used_not_blanket():
    k = kinds("因买家自身原因买错商品的，恕不退款。")
    assert "no_refund_used" in k and "blanket_no_refund" not in k


@pytest.mark.parametrize("sentence,channel", [
    ("退款统一退至平台账户余额，可用于下次购买。", "balance"),
    ("审核通过后款项原路退回。", "original"),
    ("可选择原路退回或退到账户余额。", "original"),
    ("原支付渠道无法退回的，由客服人工转账退款。", "manual"),
])
def test_refund_channel_is_recorded(sentence, channel):
    assert facts(sentence, "refund_channel").get("channel") == channel


def test_fee_percent_with_withdrawal_fee_beside():
    e = facts("已激活未使用的可退款，扣除10%手续费；余额提现另收1%。", "refund_activated_fee")
    assert e["fee_percent"] == 10


def test_sweeping_refusal_listing_buyer_faults_is_both():
    # the buyer-fault examples do not narrow a 一经售出 refusal: both kinds
    k = kinds("本店卡密一经售出概不退换，买错面值、不会使用、不想要了均不退款。")
    assert {"blanket_no_refund", "no_refund_used"} <= k


@pytest.mark.parametrize("question", ["如何提交售后工单？", "卡密无效可以退款吗?"])
def test_help_centre_questions_are_not_clauses(question):
    assert kinds(question) == set()
