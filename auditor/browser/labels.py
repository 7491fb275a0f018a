"""The Chinese (and a little English) vocabulary the browser clicks by.

Best-first search ranks every visible control by what its label says about the way to
the refund entry: 个人中心 → 我的订单 → 订单详情 → 更多 → 申请退订.  Pure functions, no
browser: unit-testable and shared by the login and the refund-entry search.
"""
from __future__ import annotations

import re

# ---- the goal: the refund / after-sales control --------------------------------------
FINAL_STRONG = re.compile(
    r"申请退款|申请退订|退款申请|退订申请|售后申请|申请售后|我要退款|我要退订|我要售后|申请退货|"
    r"退货退款|退款\s*/\s*售后|退款售后|售后\s*/\s*退款|发起售后|发起退款|售后支持|"
    r"request\s+(?:a\s+)?refund|apply\s+for\s+(?:a\s+)?refund", re.I)
FINAL_WEAK = re.compile(r"^(?:退款|退订|售后|退货|工单|提交工单|新建工单|创建工单|发起工单|联系售后|"
                        r"refund|after-?sales?)$", re.I)
# 退款规则 / 售后政策 / 退款记录 describe or list; they are not the control that applies.
NOT_FINAL = re.compile(r"规则|说明|政策|须知|协议|条款|流程|指南|帮助|记录|进度|查询|详情|常见问题|FAQ|"
                       r"须知|公告|介绍|入口在|如何", re.I)

# ---- the way there --------------------------------------------------------------------
USER_CENTRE = re.compile(r"个人中心|会员中心|用户中心|我的账户|我的账号|账户中心|账号中心|用户后台|"
                         r"会员后台|控制台|个人主页|^我的$|^用户$|my\s*account|dashboard|user\s*center", re.I)
ORDERS = re.compile(r"我的订单|订单记录|订单管理|全部订单|订单中心|购买记录|我的购买|订单列表|已购商品|"
                    r"购买历史|^订单$|交易记录|消费记录|my\s*orders?|^orders?$", re.I)
ORDER_DETAIL = re.compile(r"订单详情|查看详情|^详情$|^查看$|订单信息|^detail|^view$", re.I)
OVERFLOW = re.compile(r"^(?:更多|更多操作|更多功能|更多选项|更多服务|操作|其他操作|其它操作|…|\.\.\.|⋯|···|"
                      r"更多\s*[>»▾▼∨ˇ⌄]+|[▾▼⋮]|more|more\s+actions)$", re.I)
AFTERSALE_HUB = re.compile(r"售后服务|售后中心|我的售后|退款记录|售后记录|我的工单|工单中心|工单列表|"
                           r"客服中心|服务中心|退款\s*/\s*售后|^售后$|^退款$|^工单$", re.I)
ORDER_QUERY = re.compile(r"订单查询|查询订单|查单|订单搜索|卡密查询|提取卡密|order\s*(?:query|search|lookup)|"
                         r"track\s*order", re.I)
QUERY_BUTTON = re.compile(r"^(?:查询|立即查询|查询订单|开始查询|搜索|搜\s*索|查\s*询|提交查询|search|query)$",
                          re.I)
ORDER_NO_FIELD = re.compile(r"订单号|订单编号|单号|order|(?:^|[_-])sn(?:$|[_-])|orderid|order_no|trade_no|"
                            r"keywords?|查询", re.I)

# ---- never clicked ----------------------------------------------------------------------
# verbs that change something; some are also the first half of a harmless page name
# (购买须知, 充值记录, 支付方式, 注册协议): those compounds are not actions.
_BENIGN_TAIL = r"(?!须知|记录|流程|说明|规则|协议|条款|指南|教程|帮助|历史|方式|明细|列表|中心|查询|问题|攻略)"
DESTRUCTIVE = re.compile(
    r"退出|注销|登出|logout|log\s*out|sign\s*out|删除|delete|remove|移除|清空|取消|cancel|确认|确定|confirm|"
    r"提交|submit|关闭订单|撤销|举报|拉黑|上传|upload|下载|download|导出|打印|复制|"
    r"(?:支付|付款|购买|下单|充值|提现|转账|领取|兑换|保存|修改|绑定|解绑|注册|评价|收货|发货|续费|开通|升级|"
    r"抢购|再来一单|重新下单|加入购物车|购物车|点赞|关注|分享)" + _BENIGN_TAIL + r"|"
    r"\bpay\b|\bbuy\b|register|sign\s*up", re.I)
DESTRUCTIVE_HREF = re.compile(r"logout|log-out|signout|sign-out|delete|remove|cancel|/pay(?:/|\b)|"
                              r"/buy(?:/|\b)|create-order|/order/create|/checkout|/refund/apply|/recharge|"
                              r"\.(?:zip|rar|7z|exe|apk|dmg|pdf|xlsx?)(?:$|\?)", re.I)
LOGIN = re.compile(r"^(?:登录|登陆|会员登录|用户登录|账号登录|账户登录|立即登录|马上登录|请登录|去登录|"
                   r"登录\s*[/|]\s*注册|登录注册|登\s*录|login|log\s*in|sign\s*in)$", re.I)
LOGIN_LOOSE = re.compile(r"登录|登陆|login|sign\s*in", re.I)
LOGIN_SUBMIT = re.compile(r"^(?:登录|登陆|立即登录|登\s*录|马上登录|确认登录|提交|确定|login|log\s*in|"
                          r"sign\s*in|submit)$", re.I)

# ---- login outcome ------------------------------------------------------------------------
LOGIN_FAILED = re.compile(r"密码错误|密码不正确|账号或密码|用户名或密码|帐号或密码|账户或密码|登录失败|登陆失败|"
                          r"账号不存在|用户不存在|帐号不存在|验证码错误|验证失败|账号已被|帐号已被|"
                          # the shop repeats what was typed in between: 用户 X 的密码 Y 错误, 账号 X 不存在
                          r"密码.{1,60}?(?:错误|不正确|有误)|(?:账号|帐号|用户名?).{1,60}?(?:不存在|已被冻结|已冻结|已被锁定)|"
                          r"invalid\s+(?:user|password|credentials)|incorrect\s+(?:user|password)|"
                          r"wrong\s+password|login\s+failed", re.I)
LOGGED_IN = re.compile(r"退出登录|退出|注销|安全退出|登出|logout|sign\s*out|个人中心|会员中心|用户中心|"
                       r"欢迎您?[,，:：\s]|我的账户|账户余额", re.I)
TOKEN_KEY = re.compile(r"token|auth|jwt|session|sess|user|login|access", re.I)
CAPTCHA = re.compile(r"验证码|captcha|人机验证|滑块|geetest|verify\s*code|vercode", re.I)
USERNAME_FIELD = re.compile(r"账号|帐号|用户名|用户|手机号|手机|邮箱|会员名|登录名|user|account|email|e-mail|phone|"
                            r"mobile|login|name|tel", re.I)

# ---- pages worth rendering / evidence -----------------------------------------------------
IMPORTANT = re.compile(r"协议|条款|须知|规则|政策|声明|退款|退订|售后|关于|联系|备案|资质|营业执照|公司|帮助|说明|"
                       r"隐私|公告|terms|agreement|policy|about|contact|refund|help", re.I)
AGREEMENT = re.compile(r"协议|条款|须知|退款规则|退款政策|退款说明|售后政策|售后规则|服务规则|交易规则|"
                       r"terms|agreement|refund\s*policy", re.I)
REFUND_SECTION = re.compile(r"退款|退订|退货|售后")

MAX_LABEL = 40


def clean_label(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()[:MAX_LABEL * 3]


def is_final(label: str, region: str = "main") -> str | None:
    """'strong' / 'weak' when the label names the refund control itself, else None.
    Controls in the site footer or navigation are ways there, not the control."""
    label = clean_label(label)
    if not label or len(label) > MAX_LABEL:
        return None
    if NOT_FINAL.search(label):
        return None
    if FINAL_STRONG.search(label):
        return "strong" if region != "footer" else None
    if FINAL_WEAK.match(label) and region == "main":
        return "weak"
    return None


def is_destructive(label: str, href: str = "") -> bool:
    label = clean_label(label)
    if label and DESTRUCTIVE.search(label):
        return True
    return bool(href and DESTRUCTIVE_HREF.search(href))


def nav_score(label: str, region: str = "main", toggle_like: bool = False) -> float:
    """How promising a control is as a step towards the refund entry (0: not at all)."""
    label = clean_label(label)
    if not label:
        return 12.0 if toggle_like and region == "main" else 0.0
    if len(label) > MAX_LABEL:
        return 0.0
    if OVERFLOW.match(label) or (toggle_like and len(label) <= 6 and region == "main"):
        return 35.0 if region == "main" else 6.0
    if ORDER_DETAIL.search(label):
        return 30.0
    if AFTERSALE_HUB.search(label) and not NOT_FINAL.search(label.replace("记录", "")):
        return 18.0 if region != "footer" else 8.0
    if ORDERS.search(label):
        return 20.0 if region != "footer" else 10.0
    if USER_CENTRE.search(label):
        return 10.0
    if ORDER_QUERY.search(label):
        return 12.0 if region != "footer" else 6.0   # shops without accounts: the order page
    if FINAL_STRONG.search(label) or FINAL_WEAK.match(label):
        return 8.0                       # footer/nav 售后 links: a way, not the goal
    return 0.0
