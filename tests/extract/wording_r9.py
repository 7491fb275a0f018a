"""The rules' wording classes of round rulesR9 (the misses of batches 78, 79 and 81: card-key
notices, point-card and top-up shops, AI-account and gift-card shops, grouped by shape, then the
same shapes in the rest of train).  Every sentence here is written for the test, none taken from
the corpus: test_clause_rules_wording_classes.py checks each POSITIVE is recognised by the rules
alone and each NEAR_MISS is not read as its kind."""
from __future__ import annotations

POSITIVE = [
    # the buyer's own handling of the account: kept carelessly, changed, unbound, wiped
    ("no_refund_used", "会员密码保管不善被他人登录的，损失由你自己承担。"),
    ("no_refund_used", "擅自修改账号绑定邮箱导致无法登录的，不予保修。"),
    ("no_refund_used", "解除手机号的绑定之后不再质保。"),
    ("no_refund_used", "格式化设备导致授权丢失的，不属于保修范围。"),
    # buying for someone else, the loss borne by the player or customer
    ("no_refund_used", "替朋友充值产生的纠纷，损失由顾客自己承担。"),
]

NEAR_MISS = [
    # a replacement that carries no further warranty is no act of the buyer's
    ("no_refund_used", "账号被封时可免费换一次，换来的账号不再质保。"),
    # "由你自己承担责任" for a failed renewal puts no purchase at stake
    ("no_refund_used", "银行卡余额不足导致自动续费失败的，由你自己承担责任。"),
    # a warranty offered, nothing excluded
    ("no_refund_used", "本店所有账号提供三十天质保，期间掉线免费更换。"),
]
