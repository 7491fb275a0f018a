"""A synthetic farm of Chinese virtual-goods card shops (卡盟 / 发卡网), built in memory.

Everything is derived from ``(seed, index)``: shop *i* is the same whatever the farm size,
so a run over 100 shops crawls the first 100 shops of a 1,000-shop farm.

Three kinds of shop (mixed 6 : 2 : 2):

``static``  server-rendered pages: home with notices and a goods grid, categories, goods
            details, notices, help centre, agreement (refund clauses), privacy, about,
            contact, order query, login, register.
``js``      an application shell (``<div id="app">`` + inlined vendor script) whose content
            comes from ``/api/*.json`` through ``/static/js/app.js``; about half keep a
            small static footer with the ICP number and links to static agreement/help pages.
``login``   a static shop plus a cookie-session user centre (``/user/…``) where the refund
            entry sits after login: 我的订单 → 订单详情 → 申请售后 (or 更多 → 申请退款, or none).

About one static/login shop in five is served in GBK (half of those declare the charset
only in ``<meta>``).  Footers carry ICP / 公安备案 / company / USCC (valid GB 32100-2015
check digit, a few deliberately wrong), some with full-width digits or stray spaces; some
shops disclose nothing (unchanged template).  Pages are 20–60 KB, 10–20 per shop.

Public API:  ``plan_shop(seed, i) -> ShopPlan`` (cheap: what a client needs to know) and
``build_shop(seed, i) -> Site`` (the pages, as bytes).
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from html import escape

KIND_WEIGHTS = (("static", 6), ("js", 2), ("login", 2))

# ---------------------------------------------------------------------------- identifiers

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# (ICP/公安 prefix, GB/T 2260 districts, city)
PROVINCES = (
    ("京", ("110105", "110108", "110101"), "北京市"),
    ("沪", ("310104", "310115", "310112"), "上海市"),
    ("粤", ("440305", "440304", "440106"), "深圳市"),
    ("浙", ("330106", "330108", "330110"), "杭州市"),
    ("苏", ("320106", "320505", "320102"), "南京市"),
    ("川", ("510107", "510104"), "成都市"),
    ("鄂", ("420111", "420106"), "武汉市"),
    ("湘", ("430104", "430105"), "长沙市"),
    ("闽", ("350203", "350206"), "厦门市"),
    ("鲁", ("370102", "370212"), "济南市"),
    ("豫", ("410105", "410103"), "郑州市"),
    ("陕", ("610113", "610104"), "西安市"),
)
DISTRICT_NAMES = {
    "110105": "朝阳区", "110108": "海淀区", "110101": "东城区", "310104": "徐汇区",
    "310115": "浦东新区", "310112": "闵行区", "440305": "南山区", "440304": "福田区",
    "440106": "天河区", "330106": "西湖区", "330108": "滨江区", "330110": "余杭区",
    "320106": "鼓楼区", "320505": "虎丘区", "320102": "玄武区", "510107": "武侯区",
    "510104": "锦江区", "420111": "洪山区", "420106": "武昌区", "430104": "岳麓区",
    "430105": "开福区", "350203": "思明区", "350206": "湖里区", "370102": "历下区",
    "370212": "崂山区", "410105": "金水区", "410103": "二七区", "610113": "雁塔区",
    "610104": "莲湖区",
}


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015: C18 = (31 − Σ(value × weight) mod 31) mod 31."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_valid(code: str) -> bool:
    return (len(code) == 18 and all(c in USCC_CHARSET for c in code)
            and uscc_check_char(code[:17]) == code[17])


def org_code(rng: random.Random) -> str:
    """GB 11714 organisation code: 8 digits + check (10 → X, 11 → 0)."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    check = 11 - sum(int(c) * w for c, w in zip(body, ORG_WEIGHTS)) % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def make_uscc(rng: random.Random, district: str, valid: bool = True) -> str:
    first17 = "91" + district + org_code(rng)
    check = uscc_check_char(first17)
    if not valid:
        check = USCC_CHARSET[(USCC_CHARSET.index(check) + rng.randint(1, 30)) % 31]
    return first17 + check


FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

# ---------------------------------------------------------------------------- text pools

BRAND_A = ("云", "星", "聚", "易", "速", "畅", "蓝", "飞", "乐", "极", "闪", "优", "天", "青", "米",
           "惠", "卡", "点", "趣", "牛", "金", "银", "月", "风", "火", "雷", "鲸", "鹿", "橙", "柚")
BRAND_B = ("卡", "辰", "宝", "购", "充", "玩", "鲸", "鱼", "享", "光", "电", "品", "启", "柠", "粒",
           "蜜", "点", "盟", "兔", "象", "果", "豆", "码", "券")
BIZ = ("网络", "信息", "科技", "数码", "电子商务", "网络科技", "信息技术", "文化传媒")
SHOP_SUFFIX = ("卡盟", "发卡网", "自助发卡平台", "数卡商城", "点卡商城", "卡密商城", "充值中心")

GOODS_BRANDS = (
    ("腾讯Q币", ("10个", "30个", "50个", "100个", "200个")),
    ("爱奇艺黄金会员", ("月卡", "季卡", "年卡", "7天体验")),
    ("腾讯视频VIP", ("月卡", "季卡", "年卡")),
    ("优酷VIP会员", ("月卡", "季卡", "年卡")),
    ("芒果TV会员", ("月卡", "年卡")),
    ("哔哩哔哩大会员", ("月卡", "季卡", "年卡")),
    ("网易云音乐黑胶VIP", ("月卡", "季卡", "年卡")),
    ("QQ音乐绿钻", ("月卡", "豪华版月卡", "年卡")),
    ("百度网盘超级会员", ("月卡", "季卡", "年卡")),
    ("迅雷白金会员", ("月卡", "年卡")),
    ("WPS超级会员", ("月卡", "年卡")),
    ("喜马拉雅VIP", ("月卡", "年卡")),
    ("Steam钱包充值卡", ("50元", "100元", "200元", "500元")),
    ("王者荣耀点券", ("60点", "300点", "680点", "1980点")),
    ("和平精英UC", ("60UC", "300UC", "680UC", "1800UC")),
    ("原神创世结晶", ("60个", "300个", "980个", "6480个")),
    ("京东E卡", ("50元", "100元", "200元")),
    ("中国移动话费", ("30元", "50元", "100元", "200元")),
    ("中国联通话费", ("30元", "50元", "100元")),
    ("中国电信话费", ("30元", "50元", "100元")),
    ("网易一卡通", ("15元", "30元", "50元")),
    ("盛大一卡通", ("30元", "50元")),
    ("骏网一卡通", ("50元", "100元")),
    ("美团外卖会员", ("月卡", "季卡")),
    ("饿了么超级会员", ("月卡",)),
    ("酷狗音乐豪华VIP", ("月卡", "年卡")),
)
DELIVERY = ("自动发货", "卡密", "直充", "人工处理", "官方直充", "秒到账")
CATEGORIES = ("游戏点卡", "视频会员", "音乐会员", "话费充值", "网盘工具", "生活服务", "一卡通", "Q币专区")
SURNAME_MASK = ("138", "139", "150", "158", "186", "187", "135", "177", "199", "133")

NOTICES = (
    "本站所有商品均为正规渠道采购，下单后系统自动发货，请在订单详情中查看卡密。",
    "近期有不法分子冒充本站客服，请认准官方客服QQ，客服不会以任何理由要求您提供账号密码。",
    "为保障您的权益，购买前请仔细阅读《用户服务协议》与商品说明，下单即视为同意相关条款。",
    "节假日期间人工处理类商品可能延迟发货，自动发货类商品不受影响，感谢您的理解与支持。",
    "本站支持支付宝、微信支付，付款成功后请勿关闭页面，系统将自动跳转至订单详情。",
    "如遇卡密无效、充值失败等问题，请保留截图并在24小时内联系在线客服处理。",
    "新用户注册即送5元优惠券，满50元可用，每位用户限领一次，活动时间以页面公示为准。",
    "部分商品库存紧张，下单前请确认库存数量，库存不足时订单将自动取消并原路退款。",
    "请妥善保管订单号与查询密码，凭订单号可随时在“订单查询”页面找回卡密。",
    "夜间（00:00-08:00）人工客服休息，期间的售后申请将在次日上午统一处理。",
)

CLAUSES = {
    "refund_unactivated": (
        "用户购买的卡密在未提取、未使用前，可在购买后{n}日内通过“我的订单”申请全额退款。",
        "订单支付成功但商品尚未发货或卡密尚未激活的，用户可随时申请取消订单，平台将全额退款。",
        "对于未兑换、未激活的虚拟商品，用户可在{n}天内提交退款申请，经核实后予以全额退还。",
    ),
    "refund_activated_fee": (
        "已激活但尚未使用的商品，经审核后可办理退款，平台将扣除订单金额{p}%的手续费。",
        "卡密已提取但未充值使用的，用户可申请退款，需扣除{p}%的服务费及已发放赠品的价值。",
    ),
    "no_refund_used": (
        "已使用、已兑换或已充值到账的商品不支持退款。",
        "因用户误操作、忘记使用或账号违规被封停造成的损失由用户自行承担，已到账商品不予退款。",
    ),
    "platform_fault": (
        "因平台系统错误导致重复扣款或发放错误的，平台将在核实后退还重复部分或予以补正。",
        "卡密无效或无法正常使用的，用户可选择补发、更换或退款，由平台承担相应责任。",
    ),
    "special_goods_exclusion": (
        "限时特价、秒杀活动及定制类等特殊商品，除法律另有规定外，不适用无理由退款。",
    ),
    "blanket_no_refund": (
        "本站所售商品均为虚拟商品，一经售出概不退换。",
        "虚拟商品具有特殊性，购买后不退不换，请谨慎下单。",
    ),
    "refund_channel": (
        "退款将按原支付方式原路退回；原支付渠道无法退回的，双方协商以人工转账方式退还。",
        "退款默认退至平台账户余额，账户余额可随时申请提现。",
    ),
    "refund_timeline": (
        "平台将在收到申请后{n}个工作日内完成审核，审核通过后款项于{m}个工作日内到账。",
        "退款申请一般在{h}小时内处理完毕，节假日顺延。",
    ),
    "evidence_required": (
        "申请售后时，用户应提供订单号、订单详情页截图以及充值失败的截图或录屏等相关证据。",
    ),
    "supplement_deadline": (
        "材料不完整的，用户应在{h}小时内补充提交，逾期未补充的视为放弃本次申请。",
    ),
    "complaint_channel": (
        "用户对处理结果有异议的，可通过工单系统或在线客服提出申诉，也可向12315平台投诉。",
        "如协商不成，用户可向当地消费者协会申请调解，或依法向人民法院提起诉讼。",
    ),
    "agreement_change": (
        "平台修改本协议的，将于修改内容生效前七日在网站首页公示，用户继续使用即视为接受修改后的协议。",
        "本协议修改后自公告之日起生效，用户继续使用本站服务即视为同意。",
    ),
    "final_interpretation": (
        "本平台保留对本协议及相关活动的最终解释权。",
    ),
}
CLAUSE_PROFILES = (   # which refund clauses a shop's agreement carries
    ("refund_unactivated", "refund_activated_fee", "no_refund_used", "platform_fault",
     "special_goods_exclusion", "refund_channel", "refund_timeline", "evidence_required",
     "supplement_deadline", "complaint_channel", "agreement_change"),
    ("refund_unactivated", "no_refund_used", "platform_fault", "refund_channel",
     "refund_timeline", "complaint_channel", "agreement_change"),
    ("blanket_no_refund", "final_interpretation", "agreement_change"),
    ("no_refund_used", "platform_fault", "refund_timeline", "evidence_required",
     "final_interpretation"),
)

AGREEMENT_CHAPTERS = (
    ("总则", (
        "本协议是您与{company}（以下简称“本平台”）之间关于使用{site}服务所订立的协议。",
        "您在注册、登录或使用本平台服务前，应当认真阅读并充分理解本协议各条款，特别是免除或限制责任的条款。",
        "本平台已对本协议中与您权益有重大关系的条款以加粗方式提示，请您重点阅读。",
        "您点击“同意”或实际使用本平台服务，即表示您已阅读并同意受本协议约束。",
        "未满十八周岁的用户应在监护人的陪同和指导下阅读本协议并使用本平台服务。",
    )),
    ("账户注册与安全", (
        "用户注册时应提供真实、准确、完整的手机号码等信息，并在信息变更时及时更新。",
        "用户应妥善保管账户名与密码，因用户保管不善导致的损失由用户自行承担。",
        "用户不得将账户出借、转让或出售给他人使用，发现账户被盗用应立即通知本平台。",
        "本平台有权对长期未登录的账户进行清理，清理前将通过站内信或短信提前{n}日通知。",
        "用户可随时通过“个人中心—账户设置”申请注销账户，注销后相关数据将依法删除。",
    )),
    ("商品与交易", (
        "本平台所售商品为游戏点卡、会员卡密、话费充值等虚拟商品，商品信息以商品详情页展示为准。",
        "用户下单并完成支付后，系统将自动发货或由人工在{h}小时内处理，具体以商品页标注为准。",
        "商品价格可能随上游渠道调整而变动，以用户提交订单时页面显示的价格为准。",
        "用户应在下单前确认充值账号、区服等信息准确无误，因信息填写错误造成的损失由用户承担。",
        "卡密发放后，用户可在“我的订单”或通过订单查询功能查看，请勿将卡密泄露给他人。",
        "本平台不向未成年人销售网络游戏虚拟货币，发现未成年人大额消费的，监护人可联系客服处理。",
    )),
    ("用户行为规范", (
        "用户不得利用本平台从事洗钱、套现、诈骗等违法犯罪活动。",
        "用户不得通过技术手段干扰本平台正常运营，不得批量注册账户或恶意刷单。",
        "用户不得发布侵犯他人知识产权、隐私权或其他合法权益的内容。",
        "用户违反本协议约定的，本平台有权视情节采取警告、限制功能、冻结账户等措施。",
    )),
    ("隐私与个人信息保护", (
        "本平台依照《个人信息保护法》等法律法规收集和使用用户个人信息，详见《隐私政策》。",
        "本平台仅在实现交易目的所必需的范围内收集手机号、订单信息和支付记录。",
        "未经用户同意，本平台不会向第三方提供用户个人信息，法律法规另有规定的除外。",
        "用户可通过“个人中心”查询、更正、删除个人信息，或联系客服{phone}提出请求。",
    )),
    ("知识产权", (
        "本平台页面设计、文字、图片、软件等内容的知识产权归{company}或相关权利人所有。",
        "未经书面许可，任何人不得复制、转载或以其他方式使用本平台内容。",
        "商品中涉及的第三方商标、游戏名称等权利归各自权利人所有，本平台仅作商品描述之用。",
    )),
    ("责任限制", (
        "因不可抗力、上游渠道故障、电信线路中断等原因导致服务中断的，本平台将及时告知并尽力恢复。",
        "本平台不对用户因第三方行为遭受的损失承担责任，但本平台存在过错的除外。",
        "本平台提供的服务可能因系统维护而暂停，维护前将在首页公告。",
    )),
    ("法律适用与争议解决", (
        "本协议的订立、执行和解释及争议的解决均适用中华人民共和国法律。",
        "因本协议引起的争议，双方应友好协商解决；协商不成的，任何一方可向{company}所在地人民法院提起诉讼。",
        "本协议任一条款被认定无效的，不影响其他条款的效力。",
    )),
)

HELP_QA = (
    ("如何购买商品？", "在首页或分类页选择商品，填写充值账号或联系方式，选择支付方式并完成付款，系统将自动发货。"
     "如遇支付页面无法打开，可尝试更换浏览器或切换网络后重新下单。"),
    ("卡密在哪里查看？", "支付成功后页面会自动跳转至订单详情，卡密显示在“订单详情—卡密信息”中；"
     "也可以在“订单查询”页面输入订单号与查询密码找回。"),
    ("支付成功但没有发货怎么办？", "自动发货类商品通常在1分钟内到账，若超过10分钟仍未发货，请保留支付截图并联系在线客服，"
     "客服核实后将为您补发或退款。"),
    ("如何申请退款？", "登录后进入“个人中心—我的订单”，打开对应订单的订单详情，点击“申请售后”并选择退款，"
     "按提示上传凭证。未提取卡密的订单审核通过后原路退回。"),
    ("忘记查询密码怎么办？", "查询密码用于保护游客订单的卡密，如忘记可通过下单邮箱或手机号联系客服，"
     "核实身份后客服将协助您找回订单。"),
    ("充值到账时间是多久？", "直充类商品一般在5分钟内到账，高峰期可能延迟至30分钟；话费类商品最长72小时到账，"
     "超时未到账的订单将自动退款。"),
    ("可以开具发票吗？", "本站支持开具电子普通发票，请在订单完成后30日内于“个人中心—发票管理”中提交申请。"),
    ("卡密显示无效怎么办？", "请先核对充值的平台与区服是否正确；确认无误仍提示无效的，请录屏并截图，"
     "通过工单提交，平台将在1-3个工作日内核实处理。"),
)

FOOTER_TEMPLATES = ("Powered by 独角数卡", "Powered by ZFAKA", "Powered by 异次元发卡")


# ---------------------------------------------------------------------------- data shapes

@dataclass(frozen=True)
class ShopPlan:
    """What a client needs to know about shop ``index`` (cheap: no pages built)."""
    index: int
    kind: str                    # static | js | login
    encoding: str                # utf-8 | gbk
    username: str | None = None  # login shops only
    password: str | None = None
    refund_entry: str = "none"   # login shops: direct | overflow | none


@dataclass
class Route:
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Site:
    plan: ShopPlan
    routes: dict[str, Route]                    # path (no query) → response
    user_routes: dict[str, Route] = field(default_factory=dict)   # behind the login cookie
    cookie: str = "PHPSESSID"
    robots: bytes = b""
    truth: dict = field(default_factory=dict)   # what the pages disclose (for sanity checks)

    @property
    def crawlable_pages(self) -> int:
        """Pages a static crawl fetches: every linked HTML route (user routes redirect)."""
        return self.truth.get("crawl_pages", 0)


def _rng(seed: int, index: int, salt: str = "") -> random.Random:
    return random.Random(f"cardshop-bench/{seed}/{index}/{salt}")


def plan_shop(seed: int, index: int) -> ShopPlan:
    rng = _rng(seed, index, "plan")
    kinds = [k for k, w in KIND_WEIGHTS for _ in range(w)]
    kind = kinds[index % len(kinds)] if index < len(kinds) else rng.choice(kinds)
    encoding = "gbk" if kind != "js" and rng.random() < 0.2 else "utf-8"
    if kind != "login":
        return ShopPlan(index, kind, encoding)
    entry = rng.choice(("direct", "direct", "overflow", "none"))
    return ShopPlan(index, kind, encoding, username=f"buyer{index:04d}",
                    password=f"Bench-{index:04d}-pw", refund_entry=entry)


# ---------------------------------------------------------------------------- the builder

class _Builder:
    def __init__(self, seed: int, index: int):
        self.plan = plan_shop(seed, index)
        self.rng = rng = _rng(seed, index, "pages")
        self.index = index
        prov, districts, city = rng.choice(PROVINCES)
        district = rng.choice(districts)
        brand = rng.choice(BRAND_A) + rng.choice(BRAND_B)
        self.site_name = brand + rng.choice(SHOP_SUFFIX)
        self.company = f"{city}{brand}{rng.choice(BIZ)}有限公司"
        self.domain = f"{''.join(rng.choice('abcdefghkmnpqrstuvwxyz') for _ in range(rng.randint(4, 8)))}.com"
        # what the footer discloses
        profile = rng.random()
        self.disclosure = ("full" if profile < 0.55 else "icp_only" if profile < 0.8
                           else "template" if profile < 0.92 else "fake")
        digits = str(rng.randint(2016, 2024)) + f"{rng.randint(0, 999999):06d}" if rng.random() < 0.6 \
            else f"{rng.randint(10000000, 99999999)}"
        self.icp = f"{prov}ICP备{digits}号-{rng.randint(1, 3)}"
        if self.disclosure == "fake":
            self.icp = f"{prov}ICP备12345678号"
        psb_district = district if rng.random() < 0.9 else rng.choice(rng.choice(PROVINCES)[1])
        self.psb = f"{prov}公网安备{psb_district}02{rng.randint(0, 999999):06d}号"
        self.uscc = make_uscc(rng, district, valid=rng.random() < 0.85)
        self.phone = f"400-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
        self.tel = f"0{rng.randint(10, 999)}-{rng.randint(10000000, 89999999)}"
        self.qq = str(rng.randint(10000000, 3999999999))
        self.email = f"kefu@{self.domain}"
        self.address = (f"{city}{DISTRICT_NAMES.get(district, '')}{rng.choice(('科技园', '软件园', '创业大厦', '金融中心'))}"
                        f"{rng.randint(1, 30)}栋{rng.randint(101, 2808)}室")
        self.icp_display = self.icp
        if rng.random() < 0.15:   # full-width digits
            self.icp_display = self.icp.translate(FULLWIDTH)
        elif rng.random() < 0.15:  # stray spaces
            self.icp_display = self.icp.replace("ICP备", " ICP 备 ")
        self.fee = rng.choice((5, 10, 15, 20))
        self.clauses = rng.choice(CLAUSE_PROFILES)
        self.goods = self._goods(rng.randint(60, 110))
        self.style = rng.choice(("unicorn", "hyper", "classic", "kamen"))
        self.truth = {"icp": self.icp if self.disclosure in ("full", "icp_only", "fake") else None,
                      "psb": self.psb if self.disclosure == "full" else None,
                      "uscc": self.uscc if self.disclosure == "full" else None,
                      "uscc_valid": uscc_valid(self.uscc),
                      "company": self.company if self.disclosure == "full" else None,
                      "clauses": list(self.clauses), "disclosure": self.disclosure}

    # -- pieces ---------------------------------------------------------------------------
    def _goods(self, n: int) -> list[dict]:
        rng = self.rng
        goods = []
        for gid in range(1, n + 1):
            brand, specs = rng.choice(GOODS_BRANDS)
            spec = rng.choice(specs)
            price = round(rng.uniform(1, 500), 2)
            goods.append({"id": 1000 + gid, "name": f"{brand} {spec}（{rng.choice(DELIVERY)}）",
                          "price": price, "orig": round(price * rng.uniform(1.02, 1.3), 2),
                          "stock": rng.randint(0, 9999), "sold": rng.randint(0, 99999),
                          "cat": rng.randrange(len(CATEGORIES)), "auto": rng.random() < 0.8})
        return goods

    def _fill(self, text: str) -> str:
        rng = self.rng
        return text.format(n=rng.choice((3, 7, 15)), m=rng.choice((1, 3, 5, 7)), h=rng.choice((12, 24, 48, 72)),
                           p=self.fee, company=self.company, site=self.site_name, phone=self.phone)

    def goods_card(self, g: dict, link: str | None) -> str:
        href = link or f"javascript:buy({g['id']})"
        badge = "自动发货" if g["auto"] else "人工处理"
        return (f'<div class="goods-item col-md-3 col-6"><div class="card goods-card" data-id="{g["id"]}">'
                f'<img class="goods-img lazy" data-src="/static/upload/goods/{g["id"]}.png" src="/static/img/loading.gif" '
                f'alt="{escape(g["name"])}"><div class="card-body"><span class="badge badge-{"success" if g["auto"] else "warning"}">'
                f'{badge}</span><h6 class="card-title"><a href="{href}" title="{escape(g["name"])}">{escape(g["name"])}</a></h6>'
                f'<p class="price">￥<em>{g["price"]:.2f}</em> <del>￥{g["orig"]:.2f}</del></p>'
                f'<p class="meta">库存：{g["stock"]} · 已售 {g["sold"]}</p>'
                f'<a class="btn btn-sm btn-buy" href="{href}">立即购买</a></div></div></div>\n')

    def ticker_rows(self, n: int) -> str:
        rng = self.rng
        rows = []
        for _ in range(n):
            g = rng.choice(self.goods)
            who = f"{rng.choice(SURNAME_MASK)}****{rng.randint(1000, 9999)}"
            rows.append(f'<li class="deal"><span class="who">用户 {who}</span> 购买了 <span class="what">【{escape(g["name"])}】</span>'
                        f' <span class="num">x{rng.randint(1, 5)}</span> <span class="when">{rng.randint(1, 59)}分钟前</span></li>\n')
        return "".join(rows)

    def head(self, title: str) -> str:
        charset = "gbk" if self.plan.encoding == "gbk" else "utf-8"
        meta = (f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if self.rng.random() < 0.5
                else f'<meta charset="{charset}">')
        return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n{meta}\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f'<title>{escape(title)} - {escape(self.site_name)}</title>\n'
                f'<meta name="keywords" content="{escape(self.site_name)},卡盟,发卡网,游戏点卡,Q币充值,视频会员,话费充值">\n'
                f'<meta name="description" content="{escape(self.site_name)}为您提供游戏点卡、视频会员、话费等虚拟商品自助购买服务，自动发货，安全快捷。">\n'
                f'<link rel="stylesheet" href="/static/css/{self.style}.css?v=2.{self.index % 9}">\n'
                f'<style>.goods-card{{border-radius:6px}}.notice{{background:#fffbe6}}.footer a{{color:#999}}</style>\n'
                f'</head>\n')

    def nav(self) -> str:
        cats = "".join(f'<a href="/category/{i}.html">{CATEGORIES[c]}</a>' for i, c in enumerate(self.cat_ids, 1))
        user = ('<a href="/user/">个人中心</a> | <a href="/user/orders">我的订单</a> | ' if self.plan.kind == "login" else "")
        return (f'<body class="theme-{self.style}">\n<div class="topbar"><div class="container">'
                f'<span>您好，欢迎来到{escape(self.site_name)}！</span><span class="right">'
                f'<a href="/login">请登录</a> | <a href="/register">免费注册</a> | {user}'
                f'<a href="/order/query">订单查询</a> | 客服QQ：{self.qq}</span></div></div>\n'
                f'<header class="header sticky-top"><div class="container"><a class="navbar-brand" href="/">'
                f'{escape(self.site_name)}</a><form class="search" action="/search" method="get">'
                f'<input type="text" name="q" placeholder="搜索商品，如：Q币、爱奇艺、Steam"><button>搜索</button></form></div></header>\n'
                f'<nav class="main-nav"><div class="container"><a href="/" class="active">首页</a>{cats}'
                f'<a href="/order/query">订单查询</a><a href="/help/">帮助中心</a>'
                + "".join(f'<a href="/notice/{i}.html">公告</a>' for i in range(1, min(2, self.n_notices) + 1))
                + '<a href="/about.html">关于我们</a><a href="/contact.html">联系我们</a></div></nav>\n')

    def footer(self) -> str:
        rng = self.rng
        links = ('<div class="footer-links"><a href="/agreement.html">用户服务协议</a> | <a href="/privacy.html">隐私政策</a>'
                 + (' | <a href="/refund.html">退款说明</a>' if self.has_refund_page else "")
                 + ' | <a href="/help/">帮助中心</a> | <a href="/about.html">关于我们</a> | <a href="/contact.html">联系我们</a>'
                 + ' | <a href="/admin/login">商户后台</a> | <a href="/logout">退出</a></div>\n')
        d = self.disclosure
        year = f"2019-2025 " if rng.random() < 0.5 else "2025 "
        if d == "template":
            body = f'<div class="author">{rng.choice(FOOTER_TEMPLATES)}</div><div class="custom"></div>'
        elif d == "icp_only":
            body = (f'<p>Copyright © {year}{escape(self.site_name)} All Rights Reserved.</p>'
                    f'<p><a href="https://beian.miit.gov.cn/" target="_blank" rel="nofollow">{self.icp_display}</a>'
                    f' &nbsp; 客服QQ：{self.qq}</p>')
        elif d == "fake":
            body = (f'<p>© {year}{escape(self.site_name)}</p><p>{self.icp_display} &nbsp; 客服QQ：{self.qq}</p>'
                    f'<p class="tip">本站不支持微信或QQ内访问，请复制网址到浏览器打开（防红）</p>')
        else:
            psb_digits = self.psb[self.psb.index("备") + 1:-1]
            body = (f'<p>Copyright © {year}{escape(self.site_name)} 版权所有 &nbsp; {escape(self.company)}</p>'
                    f'<p>统一社会信用代码：{self.uscc} &nbsp; 地址：{escape(self.address)}</p>'
                    f'<p><a href="https://beian.miit.gov.cn/" target="_blank">{self.icp_display}</a> &nbsp; '
                    f'<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={psb_digits}" target="_blank">'
                    f'<img src="/static/img/gongan.png" alt="">{self.psb}</a></p>'
                    f'<p>客服电话：{self.phone} &nbsp; 邮箱：{self.email} &nbsp; 客服QQ：{self.qq}</p>')
        return (f'<footer class="footer"><div class="container">{links}{body}</div></footer>\n'
                f'<script src="/static/js/jquery.min.js"></script>\n<script src="/static/js/main.js?v={self.index}"></script>\n'
                f'<script>var _hmt=_hmt||[];(function(){{var hm=document.createElement("script");'
                f'hm.src="/static/js/stat.js?{self.index:08x}";var s=document.getElementsByTagName("script")[0];'
                f's.parentNode.insertBefore(hm,s);}})();</script>\n</body>\n</html>\n')

    def sidebar(self, deals: int) -> str:
        top = sorted(self.rng.sample(self.goods, 10), key=lambda g: -g["sold"])
        rank = "".join(f'<li><i>{i}</i><a href="javascript:buy({g["id"]})">{escape(g["name"])}</a><span>￥{g["price"]:.2f}</span></li>'
                       for i, g in enumerate(top, 1))
        return (f'<aside class="sidebar"><div class="box"><h4>热销排行</h4><ol class="rank">{rank}</ol></div>'
                f'<div class="box"><h4>最新成交</h4><ul class="deals">\n{self.ticker_rows(deals)}</ul></div></aside>\n')

    def page(self, title: str, main: str, target_bytes: int) -> bytes:
        """Layout around ``main``, padded with the 最新成交 ticker up to ``target_bytes``."""
        if self.plan.kind == "js":      # static pages next to an app: their own small layout
            head = self.head(title)
            nav = (f'<body><header class="header"><a href="/">{escape(self.site_name)}</a> <a href="/agreement.html">用户协议</a>'
                   f' <a href="/help.html">帮助中心</a> <a href="/about.html">关于我们</a></header>\n')
            foot = self.app_footer() + "</body>\n</html>\n"
        else:
            head, nav, foot = self.head(title), self.nav(), self.footer()
        enc = self.plan.encoding
        base = len((head + nav + main + foot).encode(enc, "xmlcharrefreplace"))
        row = len(self.ticker_rows(1).encode(enc, "xmlcharrefreplace"))
        deals = max(5, (target_bytes - base - 1500) // max(row, 1))
        text = head + nav + f'<div class="container main-wrap"><main class="content">\n{main}</main>\n' \
            + self.sidebar(deals) + "</div>\n" + foot
        return text.encode(enc, "xmlcharrefreplace")

    # -- pages ----------------------------------------------------------------------------
    def home(self) -> str:
        rng = self.rng
        notices = "".join(f"<li>{n}</li>" for n in rng.sample(NOTICES, 4))
        refund_note = ""
        if "refund_unactivated" in self.clauses:
            refund_note = "<li>【售后】卡密未提取的订单可在“个人中心—我的订单”自助申请退款，详见《用户服务协议》。</li>"
        elif "blanket_no_refund" in self.clauses:
            refund_note = "<li>【重要】本站商品均为虚拟商品，一经售出概不退换，请确认后下单！</li>"
        floors = []
        for i, c in enumerate(self.cat_ids, 1):
            items = [g for g in self.goods if g["cat"] == c][:24] or self.goods[:12]
            cards = "".join(self.goods_card(g, self.detail_links.get(g["id"])) for g in items)
            floors.append(f'<section class="floor" id="cat{c}"><h2 class="floor-title">{CATEGORIES[c]}'
                          f' <a href="/category/{i}.html">查看全部 &gt;</a></h2><div class="row goods-grid">\n{cards}</div></section>\n')
        return (f'<div class="card notice"><h4>公告：</h4><ul class="lead">{notices}{refund_note}</ul></div>\n'
                + "".join(floors))

    def category(self, i: int, c: int) -> str:
        items = [g for g in self.goods if g["cat"] == c] or self.goods[:30]
        cards = "".join(self.goods_card(g, self.detail_links.get(g["id"])) for g in items)
        return (f'<div class="breadcrumb"><a href="/">首页</a> &gt; {CATEGORIES[c]}</div>'
                f'<h2>{CATEGORIES[c]}</h2><div class="row goods-grid">\n{cards}</div>\n')

    def detail(self, g: dict) -> str:
        rng = self.rng
        prompt = ""
        if rng.random() < 0.6:
            kinds = [k for k in self.clauses if k.startswith(("refund", "no_refund", "blanket", "special"))]
            prompt = "".join(f"<p>{self._fill(rng.choice(CLAUSES[k]))}</p>" for k in kinds[:3])
            prompt = f'<div class="modal" id="staticBackdrop"><h5>购买提示</h5>{prompt}</div>'
        desc = "".join(f"<p>{escape(x['name'])}：官方正规渠道，{rng.choice(DELIVERY)}，支持7×24小时自助购买。</p>"
                       for x in rng.sample(self.goods, 8))
        return (f'<div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/category/1.html">商品</a> &gt; {escape(g["name"])}</div>'
                f'<div class="goods-detail"><h3 class="card-title">{escape(g["name"])}</h3>'
                f'<p class="price">￥<em>{g["price"]:.2f}</em></p><p>库存：{g["stock"]} &nbsp; 每单限(5)</p>'
                f'<form action="/create-order" method="post"><label>充值账号/联系方式</label><input name="email">'
                f'<label>购买数量</label><input name="by_amount" value="1"><label>查询密码</label><input name="search_pwd">'
                f'<label>支付方式</label><label><input type="radio" name="payway" value="1" checked>支付宝</label>'
                f'<label><input type="radio" name="payway" value="2">微信支付</label><button id="submit">下单</button></form>'
                f'<div class="card"><h5>商品描述</h5>{desc}</div>{prompt}</div>\n')

    def agreement(self) -> str:
        rng = self.rng
        parts = [f'<div class="article"><h1>{escape(self.site_name)}用户服务协议</h1>'
                 f'<p class="date">更新日期：2025年{rng.randint(1, 12)}月{rng.randint(1, 28)}日 &nbsp; 生效日期：2025年{rng.randint(1, 12)}月{rng.randint(1, 28)}日</p>'
                 f'<p><b>【审慎阅读】</b>请您务必审慎阅读、充分理解各条款内容，特别是以粗体标识的退款与免责条款。</p>\n']
        article = 0
        chapters = list(AGREEMENT_CHAPTERS)
        chapters.insert(3, ("退款与售后", None))
        for no, (title, pool) in enumerate(chapters, 1):
            parts.append(f'<h2 id="ch{no}">第{no}章 {title}</h2>\n')
            sentences = ([self._fill(rng.choice(CLAUSES[k])) for k in self.clauses] if pool is None else
                         [self._fill(s) for s in rng.sample(pool, len(pool))])
            for i in range(0, len(sentences), 2):
                article += 1
                text = "".join(sentences[i:i + 2])
                strong = pool is None and rng.random() < 0.5
                parts.append(f'<p id="art{article}">第{article}条 ' + (f"<b>{text}</b>" if strong else text) + "</p>\n")
        parts.append(f'<p class="sign">{escape(self.company if self.disclosure == "full" else self.site_name)}</p></div>\n')
        return "".join(parts)

    def privacy(self) -> str:
        pool = AGREEMENT_CHAPTERS[4][1] + AGREEMENT_CHAPTERS[1][1]
        paras = "".join(f"<p>{i}. {self._fill(s)}</p>\n" for i, s in enumerate(pool, 1))
        return f'<div class="article"><h1>隐私政策</h1>\n{paras}</div>\n'

    def refund_page(self) -> str:
        rng = self.rng
        paras = "".join(f"<li>{self._fill(rng.choice(CLAUSES[k]))}</li>\n" for k in self.clauses)
        return (f'<div class="article"><h1>退款说明</h1><ol>\n{paras}</ol>'
                f'<p>退款申请入口：个人中心 → 我的订单 → 订单详情 → 申请售后。</p></div>\n')

    def about(self) -> str:
        who = escape(self.company) if self.disclosure == "full" else escape(self.site_name)
        return (f'<div class="article"><h1>关于我们</h1><p>{who}成立于{self.rng.randint(2012, 2022)}年，专注于游戏点卡、'
                f'视频会员、话费充值等虚拟商品的在线销售，与多家上游官方渠道建立了长期合作关系。</p>'
                f'<p>平台坚持“正品保障、极速发货、售后无忧”的服务理念，7×24小时自动发货。</p>'
                + (f'<p>公司地址：{escape(self.address)}</p>' if self.disclosure == "full" else "") + "</div>\n")

    def contact(self) -> str:
        rows = [f"<li>客服QQ：{self.qq}</li>"]
        if self.disclosure == "full":
            rows += [f"<li>客服电话：{self.phone}（工作日 9:00-21:00）</li>", f"<li>商务合作：{self.tel}</li>",
                     f"<li>电子邮箱：{self.email}</li>", f"<li>联系地址：{escape(self.address)}</li>"]
        return f'<div class="article"><h1>联系我们</h1><ul>{"".join(rows)}</ul></div>\n'

    def help_index(self) -> str:
        items = "".join(f'<li><a href="/help/{i}.html">{escape(q)}</a></li>' for i, (q, _) in enumerate(self.help, 1))
        return f'<div class="article"><h1>帮助中心</h1><ul class="faq">{items}</ul></div>\n'

    def help_page(self, i: int) -> str:
        q, a = self.help[i - 1]
        more = "".join(f"<h3>{escape(q2)}</h3><p>{a2}</p>" for q2, a2 in self.rng.sample(HELP_QA, 4))
        return (f'<div class="article"><h1>{escape(q)}</h1><p>{a}</p><hr><h2>相关问题</h2>{more}'
                f'<p><a href="/help/">返回帮助中心</a></p></div>\n')

    def notice(self, i: int) -> str:
        rng = self.rng
        paras = "".join(f"<p>{n}</p>" for n in rng.sample(NOTICES, 5))
        return (f'<div class="article"><h1>{escape(self.site_name)}公告（{i}）</h1>'
                f'<p class="date">发布时间：2025-0{rng.randint(1, 9)}-{rng.randint(10, 28)}</p>{paras}</div>\n')

    def order_query(self) -> str:
        return ('<div class="article"><h1>订单查询</h1><ul class="nav-tabs"><li id="order_search_by_sn">订单号查询</li>'
                '<li id="order_search_by_email">邮箱查询</li><li id="order_search_by_browser">浏览器缓存</li></ul>'
                '<form action="/order/search" method="post"><input id="orderSN" name="sn" placeholder="请输入订单号">'
                '<input id="searchPwd" name="pwd" placeholder="查询密码"><button>立即查询</button></form>'
                '<p>查询不到订单？请联系在线客服并提供支付凭证。</p></div>\n')

    def login_page(self) -> str:
        return ('<div class="login-box"><h2>用户登录</h2><form method="post" action="/login" id="login-form">'
                '<p><label for="username">账号</label><input id="username" name="username" placeholder="用户名/手机号"></p>'
                '<p><label for="password">密码</label><input id="password" type="password" name="password" placeholder="密码"></p>'
                '<input type="hidden" name="next" value="/user/"><p><button type="submit" class="btn">登 录</button></p>'
                '<p><a href="/register">免费注册</a> | <a href="/forget">忘记密码？</a></p></form></div>\n')

    def register_page(self) -> str:
        return ('<div class="login-box"><h2>注册账号</h2><form method="post" action="/register">'
                '<input name="mobile" placeholder="手机号"><input name="code" placeholder="短信验证码">'
                '<input type="password" name="password" placeholder="设置密码">'
                '<label><input type="checkbox" name="agree"> 我已阅读并同意<a href="/agreement.html">《用户服务协议》</a>'
                '和<a href="/privacy.html">《隐私政策》</a></label><button>注册</button></form></div>\n')

    # -- user centre (login shops) -------------------------------------------------------
    def orders(self) -> list[dict]:
        rng = _rng(0, self.index, "orders")
        return [{"sn": f"D{2025}{rng.randint(10**13, 10**14 - 1)}", "goods": rng.choice(self.goods),
                 "time": f"2025-0{rng.randint(1, 9)}-{rng.randint(10, 28)} {rng.randint(10, 23)}:{rng.randint(10, 59)}",
                 "status": rng.choice(("已完成", "待提取", "已提取"))} for _ in range(rng.randint(3, 8))]

    def user_pages(self) -> dict[str, str]:
        entry = self.plan.refund_entry
        orders = self.orders()
        menu = ('<div class="user-menu"><a href="/user/">账户概览</a><a href="/user/orders">我的订单</a>'
                '<a href="/user/recharge">余额充值</a><a href="/user/tickets">我的工单</a><a href="/logout">退出登录</a></div>')
        pages = {"/user/": (f'<h2>账户概览</h2>{menu}<p>账户：{self.plan.username} &nbsp; 余额：￥0.00</p>'
                            f'<p>您有 <b>{len(orders)}</b> 笔订单。<a href="/user/orders">查看我的订单</a></p>')}
        rows = "".join(f'<tr><td>{o["sn"]}</td><td>{escape(o["goods"]["name"])}</td><td>￥{o["goods"]["price"]:.2f}</td>'
                       f'<td>{o["time"]}</td><td>{o["status"]}</td><td><a href="/user/order/{o["sn"]}">订单详情</a></td></tr>'
                       for o in orders)
        pages["/user/orders"] = (f'<h2>我的订单</h2>{menu}<table class="orders"><thead><tr><th>订单号</th><th>商品</th>'
                                 f'<th>实付</th><th>下单时间</th><th>状态</th><th>操作</th></tr></thead><tbody>{rows}</tbody></table>')
        for o in orders:
            if entry == "direct":
                action = f'<p class="actions"><a class="btn" href="/user/aftersale?sn={o["sn"]}">申请售后</a></p>'
            elif entry == "overflow":
                action = ('<div class="dropdown actions"><button class="btn dropdown-toggle" type="button" '
                          'onclick="this.nextElementSibling.classList.toggle(\'show\')">更多</button>'
                          '<div class="dropdown-menu"><a href="javascript:copy()">复制卡密</a>'
                          f'<a href="/user/aftersale?sn={o["sn"]}">申请退款</a></div></div>'
                          '<style>.dropdown-menu{display:none}.dropdown-menu.show{display:block}</style>')
            else:
                action = '<p class="actions"><a href="javascript:copy()">复制卡密</a></p>'
            pages[f"/user/order/{o['sn']}"] = (
                f'<h2>订单详情</h2>{menu}<table><tr><th>订单号</th><td>{o["sn"]}</td></tr>'
                f'<tr><th>商品名称</th><td>{escape(o["goods"]["name"])}</td></tr><tr><th>实付金额</th>'
                f'<td>￥{o["goods"]["price"]:.2f}</td></tr><tr><th>订单状态</th><td>{o["status"]}</td></tr></table>{action}')
        if entry != "none":
            pages["/user/aftersale"] = ('<h2>申请售后</h2><form method="post"><label><input type="radio" name="type" value="refund" checked>'
                                        ' 退款</label><label><input type="radio" name="type" value="reissue"> 补发</label>'
                                        '<textarea name="desc" placeholder="请描述遇到的问题"></textarea>'
                                        '<input type="file" name="proof"><button type="submit">提交申请</button></form>')
        return pages

    # -- the JS app ---------------------------------------------------------------------
    def vendor_js(self, target: int) -> str:
        """An inlined 'vendor chunk': minified-looking JS with i18n strings, ~target bytes."""
        rng = self.rng
        chunks, size, i = [], 0, 0
        words = [g["name"] for g in self.goods] + list(NOTICES)
        while size < target:
            i += 1
            s = (f'function t{i:x}(e,n){{var r=n||{{}};return e&&e.length>{rng.randint(1, 9)}?'
                 f'r["k{i}"]={json.dumps(rng.choice(words), ensure_ascii=False)}:void 0}}'
                 f'var m{i:x}=[{",".join(str(rng.randint(0, 999)) for _ in range(12))}];')
            chunks.append(s)
            size += len(s.encode("utf-8"))
        return "".join(chunks)

    def app_footer(self) -> str:
        return (f'<div class="static-footer"><a href="/agreement.html">用户协议</a> | <a href="/privacy.html">隐私政策</a>'
                      f' | <a href="/help.html">帮助中心</a> | <a href="/about.html">关于我们</a>'
                      f' <a href="https://beian.miit.gov.cn/">{self.icp_display if self.disclosure != "template" else ""}</a></div>')

    def app_shell(self) -> str:
        footer = self.app_footer() if self.js_footer else ""
        return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" '
                f'content="width=device-width,initial-scale=1"><title>{escape(self.site_name)}</title>'
                f'<link href="/static/css/app.{self.index:06x}.css" rel="stylesheet"></head><body>'
                f'<noscript><strong>很抱歉，{escape(self.site_name)}需要启用 JavaScript 才能正常访问。</strong></noscript>'
                f'<div id="app"></div>{footer}<script>window.__SHOP__={{"api":"/api","id":{self.index}}};'
                f'{self.vendor_js(self.rng.randint(22_000, 45_000))}</script>'
                f'<script src="/static/js/app.js"></script></body></html>\n')

    def api(self) -> dict[str, object]:
        shop = {"name": self.site_name, "notice": self.rng.sample(NOTICES, 3), "qq": self.qq,
                "footer": {"icp": self.icp_display if self.disclosure != "template" else "",
                           "psb": self.psb if self.disclosure == "full" else "",
                           "company": self.company if self.disclosure == "full" else "",
                           "uscc": self.uscc if self.disclosure == "full" else "",
                           "phone": self.phone if self.disclosure == "full" else ""}}
        goods = [{"id": g["id"], "name": g["name"], "price": g["price"], "stock": g["stock"],
                  "category": CATEGORIES[g["cat"]]} for g in self.goods]
        return {"/api/shop.json": shop, "/api/goods.json": {"code": 0, "data": goods},
                "/api/agreement.json": {"title": "用户服务协议", "html": self.agreement()}}


APP_JS = """(function(){
function h(t){var d=document.createElement('div');d.textContent=t==null?'':String(t);return d.innerHTML}
function get(u){return fetch(u,{credentials:'same-origin'}).then(function(r){return r.json()})}
var app=document.getElementById('app');
function render(shop,goods){
 var f=shop.footer||{};
 var html='<header class="header"><a href="#/">'+h(shop.name)+'</a> <a href="#/agreement">用户协议</a> <a href="#/help">帮助中心</a></header>';
 html+='<div class="notice"><h4>公告</h4>'+shop.notice.map(function(n){return '<p>'+h(n)+'</p>'}).join('')+'</div>';
 html+='<div class="goods">'+goods.data.map(function(g){return '<div class="goods-item"><h6>'+h(g.name)+'</h6><p>￥'+g.price.toFixed(2)+'</p><p>库存：'+g.stock+'</p></div>'}).join('')+'</div>';
 html+='<footer class="footer"><p>'+h(f.company)+' '+h(f.uscc)+'</p><p><a href="https://beian.miit.gov.cn/">'+h(f.icp)+'</a> '+h(f.psb)+'</p><p>客服QQ：'+h(shop.qq)+' '+h(f.phone)+'</p></footer>';
 app.innerHTML=html;
}
function route(){
 if(location.hash==='#/agreement'){get('/api/agreement.json').then(function(a){app.innerHTML='<div class="article">'+a.html+'</div>'});return}
 Promise.all([get('/api/shop.json'),get('/api/goods.json')]).then(function(r){render(r[0],r[1])});
}
window.addEventListener('hashchange',route);route();
})();
"""


def _html_route(body: bytes, encoding: str, header_charset: bool, status: int = 200) -> Route:
    ctype = "text/html" + (f"; charset={'GBK' if encoding == 'gbk' else 'utf-8'}" if header_charset else "")
    return Route(status, ctype, body)


def build_shop(seed: int, index: int) -> Site:
    """Every page of shop ``index``, encoded as it is served."""
    b = _Builder(seed, index)
    rng, plan = b.rng, b.plan
    enc = plan.encoding
    header_charset = enc == "utf-8" or rng.random() < 0.5   # half the GBK shops: <meta> only
    b.help = rng.sample(HELP_QA, rng.randint(1, 3))
    b.n_notices = rng.randint(1, 2)
    b.has_refund_page = rng.random() < 0.5
    b.js_footer = rng.random() < 0.5
    n_cats = rng.randint(1, 3)
    b.cat_ids = rng.sample(range(len(CATEGORIES)), n_cats)
    fixed = 10 + n_cats + b.n_notices + len(b.help) + b.has_refund_page \
        + (2 if plan.kind == "login" else 0)     # /forget is a 404; /user/, /user/orders redirect to login
    n_details = max(0, min(4, rng.randint(10, 20) - fixed))
    shown = [g for c in b.cat_ids for g in [x for x in b.goods if x["cat"] == c][:24]] or b.goods[:12]
    b.detail_links = {g["id"]: f"/goods/{g['id']}.html" for g in rng.sample(shown, min(n_details, len(shown)))}

    routes: dict[str, Route] = {}

    def add(path: str, title: str, main: str, lo: int, hi: int) -> None:
        routes[path] = _html_route(b.page(title, main, rng.randint(lo, hi)), enc, header_charset)

    robots = b"User-agent: *\nDisallow: /admin/\nDisallow: /pay/\n"
    site = Site(plan=plan, routes=routes, robots=robots, cookie=rng.choice(("PHPSESSID", "laravel_session", "SESSID")))

    if plan.kind == "js":
        routes["/"] = Route(200, "text/html; charset=utf-8", b.app_shell().encode("utf-8"))
        routes["/static/js/app.js"] = Route(200, "application/javascript; charset=utf-8", APP_JS.encode("utf-8"))
        for path, data in b.api().items():
            routes[path] = Route(200, "application/json; charset=utf-8",
                                 json.dumps(data, ensure_ascii=False).encode("utf-8"))
        if b.js_footer:
            add("/agreement.html", "用户服务协议", b.agreement(), 30_000, 60_000)
            add("/privacy.html", "隐私政策", b.privacy(), 20_000, 30_000)
            add("/help.html", "帮助中心", "".join(f"<h3>{escape(q)}</h3><p>{a}</p>" for q, a in HELP_QA), 20_000, 35_000)
            add("/about.html", "关于我们", b.about(), 20_000, 30_000)
        b.truth.update(crawl_pages=crawlable(site), kind="js")
        site.truth = b.truth
        return site

    add("/", "首页", b.home(), 40_000, 60_000)
    for i, c in enumerate(b.cat_ids, 1):
        add(f"/category/{i}.html", CATEGORIES[c], b.category(i, c), 25_000, 50_000)
    for gid, path in b.detail_links.items():
        g = next(x for x in b.goods if x["id"] == gid)
        add(path, g["name"], b.detail(g), 20_000, 35_000)
    add("/agreement.html", "用户服务协议", b.agreement(), 30_000, 60_000)
    add("/privacy.html", "隐私政策", b.privacy(), 20_000, 30_000)
    if b.has_refund_page:
        add("/refund.html", "退款说明", b.refund_page(), 20_000, 30_000)
    add("/about.html", "关于我们", b.about(), 20_000, 30_000)
    add("/contact.html", "联系我们", b.contact(), 20_000, 30_000)
    add("/help/", "帮助中心", b.help_index(), 20_000, 30_000)
    for i in range(1, len(b.help) + 1):
        add(f"/help/{i}.html", b.help[i - 1][0], b.help_page(i), 20_000, 35_000)
    for i in range(1, b.n_notices + 1):
        add(f"/notice/{i}.html", "网站公告", b.notice(i), 20_000, 30_000)
    add("/order/query", "订单查询", b.order_query(), 20_000, 30_000)
    add("/login", "用户登录", b.login_page(), 20_000, 30_000)
    add("/register", "注册账号", b.register_page(), 20_000, 30_000)
    if plan.kind == "login":
        for path, main in b.user_pages().items():
            site.user_routes[path] = _html_route(b.page("用户中心", main, rng.randint(20_000, 30_000)), enc, header_charset)
    b.truth.update(crawl_pages=crawlable(site), kind=plan.kind)
    site.truth = b.truth
    return site


_HREF = re.compile(rb'<a\s[^>]*?href="([^"]*)"', re.I)


def crawlable(site: Site, max_depth: int = 3, max_pages: int = 40) -> int:
    """Pages a static crawl of ``site`` fetches (breadth first, same limits as the audit):
    every linked route, broken links (404) and user-centre links (redirected to login)
    included; robots-disallowed and log-out links excluded."""
    seen, queue = {"/": 0}, ["/"]
    for path in queue:
        route = site.routes.get(path)
        if route is None or seen[path] >= max_depth or not route.content_type.startswith("text/html"):
            continue
        for href in _HREF.findall(route.body):
            href = href.decode("latin-1")
            if not href.startswith("/") or href.startswith(("/admin/", "/pay/")) or "logout" in href:
                continue
            href = href.split("#")[0]
            if href not in seen and len(seen) < max_pages:
                seen[href] = seen[path] + 1
                queue.append(href)
    return len(seen)
