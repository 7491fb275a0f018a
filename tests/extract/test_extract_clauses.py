"""Clause classification: every kind with positives and negatives, fee_percent, splitting."""
from __future__ import annotations

import pytest

from cardshop_auditor.extract.clauses import KINDS, classify, fee_percent, split_sentences


def kinds(sentence):
    return {k for k, _ in classify(sentence)}


POSITIVE = [
    ("refund_unactivated", "未提取卡密的订单可申请全额退款。"),
    ("refund_unactivated", "订单状态：未提取卡密，是否可退：可全额退款"),
    ("refund_unactivated", "付款后因库存不足等原因卡密未发出的订单，可联系客服退款。"),
    ("refund_activated_fee", "已激活未使用的会员可以申请退款，但需扣除10%-20%的手续费。"),
    ("refund_activated_fee", "扣除赠品价值后退还剩余款项。"),
    ("no_refund_used", "已使用或已兑换的商品不再支持退款。"),
    ("no_refund_used", "因误操作或忘记使用造成的损失由用户自行承担。"),
    ("no_refund_used", "卡密已经发放并被使用的，不予退款。"),
    ("no_refund_used", "卡密一经提取，概不退换。"),
    ("blanket_no_refund", "卡密一经提取，概不退换。"),       # issue 10: naming extraction does not narrow it
    ("platform_fault", "如因平台系统错误导致重复扣款，平台将在核实后退还重复部分。"),
    ("platform_fault", "卡密无效或无法正常使用的，可选择补发、更换或退款。"),
    ("special_goods_exclusion", "限时特价商品及定制类商品不适用退款规则。"),
    ("special_goods_exclusion", "虚拟商品不适用七天无理由退货。"),
    ("blanket_no_refund", "本站商品一经售出，概不退换。"),
    ("blanket_no_refund", "所有商品概不退款。"),
    ("blanket_no_refund", "虚拟商品不退不换，请谨慎购买！"),
    # issue 10: naming a condition after 一经购买 does not narrow a sweeping refusal
    ("blanket_no_refund", "虚拟商品一经购买，卡密提取后概不退款。"),
    ("refund_channel", "退款将原路退回至您的支付账户。"),
    ("refund_channel", "退款可退至平台账户余额，余额不支持提现。"),
    ("refund_timeline", "审核通过后，退款将在1-3个工作日内到账。"),
    ("refund_timeline", "请于购买后7日内提交退款申请，逾期视为放弃。"),
    ("evidence_required", "申请售后时需提供订单详情页截图及卡密报错录屏。"),
    ("supplement_deadline", "如需补充材料，请在24小时内上传，超时申请将作废。"),
    ("complaint_channel", "如对处理结果有异议，可通过工单系统提交申诉。"),
    ("complaint_channel", "协商不成的，您可向12315或当地消费者协会投诉。"),
    # customer service named as the route for a problem is a complaint channel (DESIGN.md: 客服)
    ("complaint_channel", "售后问题请联系客服QQ。"),
    ("complaint_channel", "卡密无效请联系客服补发。"),
    ("agreement_change", "本平台有权随时修改本协议，修改后的协议自公告之日起生效。"),
    ("agreement_change", "您继续使用本平台服务即视为接受修改后的协议。"),
    ("final_interpretation", "本活动最终解释权归本平台所有。"),
    ("final_interpretation", "本店保留对以上须知的最终解释权。"),
]


@pytest.mark.parametrize("kind,sentence", POSITIVE)
def test_positive(kind, sentence):
    assert kind in kinds(sentence)


def test_every_kind_is_covered():
    assert {k for k, _ in POSITIVE} == set(KINDS)


NEGATIVE = [
    ("refund_unactivated", "不支持退款。"),
    ("refund_unactivated", "未使用的卡密不支持退款。"),
    ("refund_unactivated", "已激活未使用的会员可以申请退款，但需扣除10%的手续费。"),
    ("refund_activated_fee", "退款不收取任何手续费。"),
    ("refund_activated_fee", "其中涉及退款条件及手续费的条款已加粗标出。"),
    ("refund_activated_fee", "账号因违规被封停的，已支付费用不予退款。"),
    ("no_refund_used", "未使用的卡密可以申请退款。"),
    ("platform_fault", "非平台原因导致的问题，平台不予退款。"),
    ("platform_fault", "用户自身原因导致卡密无法使用的，平台不承担责任。"),
    ("blanket_no_refund", "除法律另有规定外，虚拟商品一经售出不予退款。"),
    ("blanket_no_refund", "原则上不支持退款。"),
    ("blanket_no_refund", "商品售出后如无质量问题不予退换。"),
    ("blanket_no_refund", "卡密一经使用，概不退换。"),       # a use of the goods: no_refund_used
    ("blanket_no_refund", "虚拟商品不支持七天无理由退货。"),
    ("refund_timeline", "付款后1分钟内自动发货。"),
    ("refund_timeline", "订单15分钟内未支付将自动关闭。"),
    ("refund_timeline", "话费：下单时填写手机号，72小时内到账。"),
    ("evidence_required", "无需提供任何证明即可退款。"),
    ("evidence_required", "添加客服好友请备注订单号。"),
    ("agreement_change", "请仔细阅读用户协议。"),
]


@pytest.mark.parametrize("kind,sentence", NEGATIVE)
def test_negative(kind, sentence):
    assert kind not in kinds(sentence)


@pytest.mark.parametrize("sentence", ["支持7天无理由退款，放心购买。", "热门商品：QQ会员、腾讯视频、爱奇艺。",
                                      "联系客服", "退款政策", "客服工作时间为每天9:00-22:00。", "首页 订单查询 帮助中心"])
def test_marketing_and_navigation_are_not_clauses(sentence):
    assert kinds(sentence) == set()


def test_multi_label_sentence():
    assert kinds("未发货的订单可直接申请退款，款项原路返回。") == {"refund_unactivated", "refund_channel"}
    assert kinds("未提取卡密的订单可全额退款，已提取的不予退款。") == {"refund_unactivated", "no_refund_used"}


@pytest.mark.parametrize("sentence,pct", [
    ("退款需扣除10%手续费。", 10),
    ("已激活未使用的可退款，扣除10%-20%的手续费。", 10),
    ("退款时将扣除百分之十五的手续费。", 15),
    ("可退款，手续费：订单金额的15%", 15),
    ("全额（100%）退款的除外，其余退款扣除5%服务费。", 5),
    ("退款将扣除赠品价值。", None),
])
def test_fee_percent(sentence, pct):
    fees = [e.get("fee_percent") for k, e in classify(sentence) if k == "refund_activated_fee"]
    assert fees == [pct]


def test_fee_percent_nearest_fee_word():
    assert fee_percent("活动享受8折（即20%优惠），退款扣除5%手续费") == 5


def test_split_sentences():
    assert split_sentences("这是第一句。这是第二句！这是第三句；这是第四句\n这是第五句") == \
        ["这是第一句。", "这是第二句！", "这是第三句；", "这是第四句", "这是第五句"]
    assert split_sentences("短。") == []                        # fragments are not clauses
    row = "订单状态：已提取卡密，是否可退：可退款；需扣除15%手续费"
    assert split_sentences(row, keep_whole=True) == [row]
    assert split_sentences("  多余   空白  的句子。 ") == ["多余 空白 的句子。"]
    long = "，".join(["很长的没有句号的文字"] * 100)
    assert all(len(s) <= 400 for s in split_sentences(long))


# ---- timelines, evidence, cancelling before processing, consent, headings ---------------------------

from cardshop_auditor.extract.clauses import classify as _classify_kinds  # noqa: E402


def _kinds(s):
    return {k for k, _ in _classify_kinds(s)}


@pytest.mark.parametrize("s", ["退款申请提交后，客服将在12小时内处理完毕。", "退款最迟不超过5个工作日到账。",
                               "售后审核时间为2至4个工作日。", "退还的款项最长不超过10个工作日返还至原账户。"])
def test_timeline_forms(s):
    assert "refund_timeline" in _kinds(s)


def test_one_sentence_several_kinds():
    assert {"refund_timeline", "refund_channel"} <= _kinds("退款审核时间为1至2个工作日，审核通过后原路退回。")


@pytest.mark.parametrize("s", ["订单将在5分钟内处理完毕。", "充值一般最迟不超过10分钟到账。"])
def test_delivery_times_are_not_refund_timelines(s):
    assert "refund_timeline" not in _kinds(s)


@pytest.mark.parametrize("s", ["申请退款时请提供未到账的充值页面截图、录屏、订单号和角色名。",
                               "如需售后，请上传未使用的卡密截图及订单号。"])
def test_asking_for_proof_is_evidence_not_a_refundable_case(s):
    k = _kinds(s)
    assert "evidence_required" in k and "refund_unactivated" not in k


@pytest.mark.parametrize("s", ["在订单进入处理中之前可撤销订单，全额退款。", "订单开始充值前可申请取消并全额退款。",
                               "卡密未提取的订单可申请全额退款。"])
def test_cancel_before_processing_is_refund_unactivated(s):
    assert "refund_unactivated" in _kinds(s)


def test_processing_orders_cannot_be_cancelled_is_not_unactivated():
    assert "refund_unactivated" not in _kinds("订单处理中不可撤销，不支持退款。")


@pytest.mark.parametrize("s", ["付款即表示接受本协议。", "注册即视为同意本站用户协议。", "点击购买即代表您已阅读并同意《购买须知》。"])
def test_consent_alone_is_not_agreement_change(s):
    assert "agreement_change" not in _kinds(s)


@pytest.mark.parametrize("s", ["本站有权调整本协议，调整后的协议一经公布即生效。", "协议更新后以最新版本为准。",
                               "继续使用即视为接受变更后的条款。"])
def test_change_clauses(s):
    assert "agreement_change" in _kinds(s)


@pytest.mark.parametrize("s", ["五、退款方式和时间", "购买须知（下单即代表同意）", "第九条 协议的修改与生效", "（三）售后服务说明"])
def test_headings_are_not_clauses(s):
    assert _kinds(s) == set()


@pytest.mark.parametrize("s", ["1. 一经售出概不退换", "3、本店拥有对本须知的最终解释权。"])
def test_numbered_clauses_are_still_clauses(s):
    assert _kinds(s)
