"""Kinds as structure (clause_slots.py), the conventions the classifier may not override
(clause_conventions.convention_excludes) and how the add thresholds are chosen (clause_tuning.py)."""
from __future__ import annotations

import pytest

from cardshop_auditor.extract import clause_model, clause_tuning
from cardshop_auditor.extract.clause_conventions import convention_excludes
from cardshop_auditor.extract.clause_rules import rule_classify
from cardshop_auditor.extract.clause_sentence import refund_polarity
from cardshop_auditor.extract.clause_slots import slot_features
from cardshop_auditor.extract.clauses import classify
from cardshop_auditor.extract.text import normalise


def pairs(sentence: str) -> set[str]:
    s = normalise(sentence)
    return {f for f in slot_features(s, *refund_polarity(s)) if f.startswith("x:")}


@pytest.mark.parametrize("sentence,pair", [
    # paraphrases that share no phrase with each other light the same slot pair
    ("尚未发货的订单可以随时取消并退款。", "x:unused+granted"),
    ("课程开班以前提出的，学费全数退还。", "x:unused+granted"),
    ("激活码一旦兑换就不能退。", "x:used+refused"),
    ("退票要收取票面金额百分之五的作业费。", "x:deduct+refund"),
    ("所有电子卡券售出后一律不退。", "x:sweep+refused"),
    ("对扣费有疑问的，可写邮件给支持团队处理。", "x:route+problem"),
    ("消费争议可拨打消费者服务专线1950申诉。", "x:route+problem"),
    ("因系统故障导致点数未到账的，我们会补发。", "x:fault+remedy"),
    ("买错规格属于个人原因，不予退还。", "x:buyer+refused"),
    ("退费将在十个工作日内处理完毕。", "x:time+refund"),
    ("退款会存回礼物卡内，不退现金。", "x:channel+refund"),
    ("申请退券时请备齐发票和信用卡签单。", "x:proof+act"),
    ("条款修订后将在官网公告，继续使用即视为接受。", "x:change+how"),
    ("本店保留对本规则的解释权。", "x:interpret+right"),
])
def test_slot_pairs(sentence, pair):
    assert pair in pairs(sentence)


@pytest.mark.parametrize("sentence,pair", [
    ("未使用的卡密不支持退款。", "x:unused+granted"),        # refused, not granted
    ("除质量问题外，所有商品一律不退。", "x:sweep+refused"),   # a carve-out
    ("已兑换的商品可以联系客服查询兑换记录。", "x:used+refused"),
])
def test_slot_pairs_keep_their_shape(sentence, pair):
    assert pair not in pairs(sentence)


def test_slots_are_features_of_the_model():
    feats = clause_model.features("尚未发货的订单可以随时取消并退款。")
    assert "x:unused+granted" in feats and "s:NOT_YET" in feats


@pytest.mark.parametrize("kind,sentence", [
    ("refund_unactivated", "未使用的卡密不支持退款。"),                       # no refund is offered
    ("refund_unactivated", "申请退款时请提供未到账的充值页面截图。"),          # the state describes the proof
    ("refund_activated_fee", "退款不收取任何手续费。"),                        # a fee waived
    ("refund_timeline", "卡密请在购买后7天内兑换，过期本店不负责。"),           # a time of use, not of a refund
    ("complaint_channel", "退款申请提交后，客服将在24小时内完成审核。"),        # customer service as a step
    ("evidence_required", "售后问题请联系客服，添加好友请备注订单号。"),        # a note on a friend request
    ("refund_activated_fee", "平台按成交金额的千分之三收取交易手续费。"),        # a trade's commission
    ("refund_unactivated", "余额不足或卡片未激活都可能导致付款失败。"),          # no refund, no cancellation
    ("complaint_channel", "发布商品要如实描述，以免被投诉或处罚。"),              # a sanction, not a route
    ("complaint_channel", "想大量购买点卡的，请和客服联络。"),                    # a sale, not a problem
    ("complaint_channel", "付款超过三十分钟仍未发货的，客服会主动联系您。"),      # customer service reaching out
    ("platform_fault", "兑换码过了有效期才去兑换而失效的，本站不承担责任。"),      # a disclaimer, no remedy
    ("platform_fault", "因买家泄露卡密被他人盗用的，本店不负责补发。"),          # the remedy refused
    ("refund_channel", "使用花呗分期付款的，退款审核时间会稍长一些。"),          # how the buyer paid
    ("refund_channel", "用QQ钱包支付的，退款仍需人工核对订单。"),
    ("refund_channel", "请把货款汇到本店对公收款账户，勿私下交易。"),          # a payment, no refund
    ("refund_activated_fee", "会员等级升级时需要另付五元工本费。"),              # an upgrade's fee
    ("refund_activated_fee", "通过银行汇款储值的，汇款手续费由会员承担。"),      # a remittance's fee
    ("refund_activated_fee", "卖家每笔成交时平台抽取百分之二的服务费。"),        # a trade's commission
    ("agreement_change", "本站可以随时调整、暂停或终止部分服务，恕不另行通知。"),  # a service, not the terms
    ("agreement_change", "本店保留随时修改活动内容的权利。"),
    ("agreement_change", "点卡售价会随上游进货价格变化随时调整。"),            # a market price moving
    ("agreement_change", "下单付款即视为同意本店全部购买须知。"),              # consent, no change
    ("final_interpretation", "本协议的订立、效力及争议解决均适用中华人民共和国法律。"),   # governing law
    ("final_interpretation", "本规则依中国大陆地区法律解释和适用。"),
    ("final_interpretation", "客服作出的退款决定均为最终决定。"),              # one matter decided, no claim
    ("no_refund_used", "激活码一经发出，概不退换。"),                          # the sale rule: blanket alone
    ("no_refund_used", "兑换码一旦发送到您的邮箱，不予退款。"),
])
def test_conventions_rule_out(kind, sentence):
    assert convention_excludes(kind, sentence)


@pytest.mark.parametrize("kind,sentence", [
    ("refund_unactivated", "交易成功后不能退款，除非卡密尚未提取。"),
    ("refund_activated_fee", "退款需扣除10%手续费。"),
    ("refund_timeline", "退款在三个工作日内原路到账。"),
    ("complaint_channel", "超过四十八小时仍未处理的订单，请联系客服二次确认。"),
    ("evidence_required", "申请退款时请提供订单号和付款截图。"),
    ("refund_activated_fee", "取消订单时按成交金额扣除百分之五的手续费后退款。"),
    ("refund_unactivated", "尚未发货的订单可随时取消。"),
    ("complaint_channel", "卖家被投诉后，买家可在纠纷中心申请平台介入。"),
    ("complaint_channel", "大量购买后发现卡密有问题的，请联系售后客服处理。"),
    ("platform_fault", "其他原因本店不负责，卡密无效的除外。"),                 # a fault carved out
    ("platform_fault", "卡密失效的本店负责补发，买家泄露的除外。"),              # a remedy offered
    ("refund_channel", "用微信付款的，退款会原路退回微信零钱。"),                # a destination beside the payment
    ("refund_channel", "退款成功后款项会打到您提供的银行卡上。"),
    ("refund_channel", "未用完的时长可折算成积分留待下次使用。"),
    ("refund_activated_fee", "已升级的套餐申请退款的，扣除百分之十手续费后退还。"),  # a refund's fee
    ("agreement_change", "本店可随时修改本服务条款，修改后在首页公告。"),       # the terms changed
    ("agreement_change", "价格调整将提前七天公告，公告后继续使用即视为接受新价格。"),
    ("final_interpretation", "如发生争议，本店保留最终决定权。"),
    ("final_interpretation", "一切以本平台的最终决定为准。"),
    ("final_interpretation", "本活动规则由主办方依据相关法律负责解释。"),
    ("no_refund_used", "激活码一经发出，一般不予退款。"),                      # hedged: the used case
    ("no_refund_used", "卡密一经使用，概不退款。"),                            # a use named
    ("no_refund_used", "会员一旦开通并到账，不支持退款。"),
])
def test_conventions_leave_the_clause(kind, sentence):
    assert not convention_excludes(kind, sentence)


def test_interest_free_refund_is_no_refusal():
    s = "课程因人数不足停办的，所缴费用全部无息退还。"
    assert refund_polarity(s) == (True, False)
    assert "blanket_no_refund" not in {k for k, _ in rule_classify(s)}


def test_a_sales_pitch_is_not_a_clause():
    assert classify("七天无忧退换，放心购买！") == []


def _rows(n_platforms: int = 10):
    rows = []
    for p in range(n_platforms):
        # texts no convention rules out for the kind, so every row counts
        rows.append({"text": f"退款原路退回（店{p}）", "kinds": ["refund_channel"], "platform": f"p{p}"})
        rows.append({"text": f"退款退到余额（店{p}）", "kinds": [], "platform": f"p{p}"})
    return rows


def test_choose_takes_the_lowest_threshold_reaching_the_floor():
    rows = _rows()
    # positives at 0.7; negatives at 0.5 on half the platforms, 0.2 on the others
    run = [{"refund_channel": 0.7} if r["kinds"] else {"refund_channel": 0.5 if int(r["platform"][1:]) % 2 else 0.2}
           for r in rows]
    t, p, r = clause_tuning.choose(rows, [run], floor=0.9)["refund_channel"]
    assert t == 0.55 and p == 1.0 and r == 1.0            # at 0.5 precision is 10 / 15
    t, p, r = clause_tuning.choose(rows, [run], floor=0.6)["refund_channel"]
    assert t == 0.5 and round(p, 3) == 0.667              # the lowest on the grid already does


def test_choose_reports_a_kind_the_model_never_gets_right():
    rows = _rows()
    run = [{"refund_channel": 0.1} if r["kinds"] else {"refund_channel": 0.99} for r in rows]
    assert clause_tuning.choose(rows, [run])["refund_channel"][0] is None


def test_shipped_thresholds_are_on_the_grid():
    # None: no threshold of the grid kept the floor, so the model never adds the kind
    assert set(clause_model.ADD_THRESHOLDS.values()) - {None} <= set(clause_tuning.GRID)


def test_a_kind_without_threshold_is_never_added_by_the_model():
    probs = {"refund_channel": 0.99}
    assert "refund_channel" not in clause_model.combine([], probs, "退款原路退回。", {"refund_channel": None})
    assert "refund_channel" in clause_model.combine(["refund_channel"], probs, "退款原路退回。", {"refund_channel": None})


def test_the_model_drops_a_rule_kind_only_below_the_keep_level():
    probs = {"refund_channel": 0.2, "blanket_no_refund": 0.01}
    kept = clause_model.combine(["refund_channel", "blanket_no_refund"], probs, "退款原路退回。", {}, keep=0.05)
    dropped = clause_model.combine(["refund_channel", "blanket_no_refund"], probs, "退款原路退回。", {}, keep=0.3)
    assert "refund_channel" in kept and "refund_channel" not in dropped
    assert "blanket_no_refund" in dropped                   # NO_VETO: the model never drops it
    assert clause_model.combine(["refund_channel"], probs, "退款原路退回。", {}) == set()   # shipped level 0.3


def test_first_contact_record_is_rows_of_train_each_round_after_the_rows_it_learns_from():
    from cardshop_auditor.extract.clause_rules import KINDS
    groups = clause_tuning.first_contact_groups()
    assert len(groups) >= 3
    number = lambda row: int(row["id"].lstrip("c"))
    for before, seen, ruled in groups:
        assert len(seen) >= 300 and len(ruled) == len(seen)
        assert max(map(number, before)) < min(map(number, seen))    # model and thresholds never saw the round
        assert all(kinds <= set(KINDS) for kinds in ruled)
        assert not {r["platform"] for r in seen} & {r["platform"] for r in before}
    firsts = [min(map(number, seen)) for _, seen, _ in groups]
    assert firsts == sorted(firsts)


def test_the_model_adds_no_agreement_change_where_no_change_is_named():
    assert convention_excludes("agreement_change", "本站保留對本條款之最終解釋權。")
    assert not convention_excludes("agreement_change", "平台保留最终解释权，并可随时调整本规则。")


def test_later_pools_the_counts_of_every_first_contact_round(monkeypatch):
    """Each round scored with its own rules' kinds, the keep level applied to them, and the
    rounds' counts pooled before P / R are taken."""
    added = {"text": "退款原路退回。", "kinds": ["refund_channel"], "platform": "p1"}     # the model adds it
    vetoed = {"text": "退款原路退回。", "kinds": [], "platform": "p2"}                   # a rule's kind, p 0.1
    groups = [([added], [added], [set()]), ([vetoed], [vetoed], [{"refund_channel"}])]
    probs = {"p1": {"refund_channel": 0.9}, "p2": {"refund_channel": 0.1}}

    class Fixed:
        def __init__(self, rows):
            self.platform = rows[0]["platform"]

        def probabilities(self, text):
            return probs[self.platform]

    monkeypatch.setattr(clause_tuning, "first_contact_groups", lambda: groups)
    monkeypatch.setattr(clause_tuning, "choose", lambda rows, runs, floor: {"refund_channel": (0.5, 1.0, 1.0)})
    monkeypatch.setattr(clause_model, "out_of_fold_probabilities", lambda rows, folds, seed: [{} for _ in rows])
    monkeypatch.setattr(clause_model, "train", Fixed)
    monkeypatch.setattr("cardshop_auditor.extract.clause_corpus.load_augment", lambda: [])
    got = {(f, k): (p, r) for f, k, p, r in clause_tuning.later_batches(floors=(0.9,), keeps=(0.05, 0.3))}
    assert got == {(0.9, 0.05): (0.5, 1.0), (0.9, 0.3): (1.0, 1.0)}
