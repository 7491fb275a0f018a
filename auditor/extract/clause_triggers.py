"""What a refusal is triggered by, read for the trigger lines of the README's blanket_no_refund and
no_refund_used conventions: a state of some goods, the buyer's use, a completed top-up, a hedged
delivery (clause_rules.py uses them).
"""
from __future__ import annotations

import re

# a state of *some* goods ("已使用的卡密", "已激活的会员"): a narrower refusal than a blanket one,
# unlike a trigger every sale passes through ("一经提取", "充值后", "付款后")
USED_STATE_RE = re.compile(r"(?<![未没尚])已经?(?:被)?[^，。；;未没不]{0,4}?(?:使用|激活|兑换|消耗|消费|绑定|下载|领取|用完|用掉|核销|"
                            r"充到|充入|储值|存入|[学上看听]完|参加过)[^，。；;]{0,8}?(?:的|者)")
# a refusal once the goods are *used* ("一经使用", "激活后") is no_refund_used; one once they are sold,
# paid, sent or extracted ("一经售出", "一经提取") is the blanket term (issue 10)
USE_TRIGGER_RE = re.compile(r"(?:一经|一旦|已经?)[^，。；;]{0,6}?(?:使用|激活|兑换|消耗|消费|启用|用来|用于|用掉|用完|花掉|核销|"
                             r"登录|绑定)|(?:使用|激活|兑换|消耗|启用|用过)(?:后|之后|以后)")
# hedged or partial: "通常不予退款", "部分充值项目可能不支持退款", "不退差价"
HEDGE_RE = re.compile(r"通常|一般|可能|(?<![全或是])部分|差价|批量")
# a top-up credited to the buyer ("一旦充进您的账号", "充值到账后"): blanket and used together (README convention)
CREDITED_RE = re.compile(r"(?:一经|一旦)[^，。；;]{0,6}?(?:充进|充入|充到|进入)[^，。；;]{0,8}(?:账户|账号|帐号|角色|钱包)|(?<![未没])到账(?:之|以)?后|"
                          r"(?<![未没已经])充(?:了)?值(?:一旦|一经)?(?:成功|完成)(?:之|以)?后?|(?<![未没])充了值(?:之|以)?后|"
                          # a bill or a fee paid in ("缴费一旦成功", "一经缴费成功"): a completed top-up too
                          r"(?<![未没已经])缴(?:了)?费(?:一旦|一经)?(?:成功|完成)(?:之|以)?后?")
# a key delivered or shown, then a hedged refusal ("一经发出一般不能退款", "一经交付并显示，正常情况下不退"):
# the convention's used case, not the sale rule
HEDGED_DELIVERY_RE = re.compile(r"(?:一经|一旦)[^，。；;]{0,6}?(?:交付|显示|发送|发出|展示|下载|发货)[^。；;]{0,30}?"
                                 r"(?:一般|通常|正常情况下|原则上|大多数|少数情况|多数情况)")
