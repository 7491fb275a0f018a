"""signals.template_default: an open-source card-shop install left with its default content.

The rule (issue 10 item 3): a "Powered by" credit only says which system the shop is built
on (findings.site.platform, shown in the report, never a risk).  The flag needs at least
TWO of these signals of an untouched install:

* ``default_title``: the title still carries the installer's shop name (独角数卡, 异次元店铺 -
  最适合你的个人店铺系统！, ZFAKA平台, KAMIFAKA, XX小店 …);
* ``default_notice``: the shipped notice / footer text (本程序为开源程序…与作者无关, 本系统商品均可
  正常购买, 公告信息可在后台设置 …) or the shipped placeholder footer (鲁ICP备1101XXXX号-10);
* ``demo_goods``: the demo products (DEMO / 该商品是演示商品, 测试商品, 普通商品演示 …);
* ``default_settings``: an install default still in force (ZFAKA: QQ as the required order field);
* an empty identity: neither an ICP number nor any operator (company name or USCC) anywhere.

At least one of the two must be default *content* (the first four): an empty identity alone
is the no_icp / no_business_identity flags' business, not a template's.
"""
from __future__ import annotations

from cardshop_auditor.checks._common import CONSUMER, ECOMMERCE, absence, art, say
from cardshop_auditor.checks.base import FAIL, PASS, Check, Flag, Result, ev

TITLE = {"zh": "没有发现未改动的开源发卡模板", "en": "No unchanged open-source shop template"}
FAILURE_TITLE = {"zh": "网站是未改动的开源发卡模板",
                 "en": "The site is an unchanged open-source shop template"}
DESCRIPTION = {
    "zh": "独角数卡、异次元、ZFAKA、kamiFaka 等开源发卡系统都没有协议或退款页面，独角数卡和 ZFAKA 连备案号字段也没有："
          "一切合规信息都要站长自己写进公告或页脚。页脚的“Powered by”只说明网站用什么系统搭建，本身不是风险；"
          "只有默认内容原封未动（默认标题、默认公告、演示商品、安装默认设置，以及没有任何备案和经营者信息）中至少两项同时出现，"
          "才说明站长什么都没改，通常也就没有公示《电子商务法》第十五条要求的营业执照信息或《消费者权益保护法》第二十一条要求的真实名称。"
          "这是供人工复核的风险信号，不计入透明度得分。",
    "en": "Open-source card-shop systems (dujiaoka, acg-faka 异次元, ZFAKA, kamiFaka) ship no agreement "
          "or refund page, and dujiaoka and ZFAKA have no field for a filing number either: every "
          "disclosure is whatever the operator writes into a notice or footer. A “Powered by” credit "
          "only says which system the shop is built on and is not a risk. Only when at least two marks "
          "of an untouched install appear together (default title, default notice, demo goods, install "
          "defaults, no filing number and no operator at all) has the operator changed nothing, and such "
          "a shop usually shows neither the licence information Article 15 of the E-Commerce Law nor "
          "the real name Article 21 of the Consumer Protection Law requires. A risk signal for human "
          "review; it does not enter the score.",
}
REASONS = {
    "clean": {"zh": "没有发现默认模板内容", "en": "no default template content found"},
    "customised": {"zh": "基于 {system} 搭建，默认内容已修改", "en": "built on {system_en}; its default content was changed"},
    "one_left": {"zh": "基于 {system} 搭建，只剩一项默认内容（{ids}），不足两项",
                 "en": "built on {system_en}; only one default left ({ids}), two are needed"},
    "found": {"zh": "默认内容未改动：{ids}", "en": "default content left unchanged: {ids}"},
}
EMPTY_IDENTITY = {"zh": "没有备案号，也没有公司名称或统一社会信用代码",
                  "en": "no filing number, no company name and no credit code"}

FLAG = Flag(
    "template_default", severity="high",
    name={"zh": "未修改的开源发卡模板", "en": "Unchanged open-source shop template"},
    advice={
        "zh": "店铺可能是临时搭建的：先小额试买，确认能正常发货再考虑更多。",
        "en": "The shop may be a quick, temporary setup: try a small purchase first.",
    },
)

REQUIRES = ("signals", "icp", "business")      # the identity counts as one more default
MIN_SIGNALS = 2


def empty_identity(findings: dict) -> bool:
    """Neither a real ICP number (a placeholder does not count) nor any operator identity."""
    icp = findings.get("icp") or {}
    business = findings.get("business") or {}
    has_icp = bool(icp.get("number")) and not icp.get("placeholder")
    return not has_icp and not (business.get("uscc") or business.get("company_name"))


def _evaluate(findings: dict) -> Result:
    signals = findings.get("signals") or {}
    defaults = signals.get("template") or []
    platform = (findings.get("site") or {}).get("platform") or {}
    ids = list(dict.fromkeys(h.get("id") or "?" for h in defaults))
    identity_missing = empty_identity(findings)
    count = len(ids) + (1 if identity_missing else 0)
    if defaults and count >= MIN_SIGNALS:
        evidence = [ev(h.get("url"), h.get("snippet")) for h in defaults]
        if identity_missing:
            ids.append("empty_identity")
            evidence.append(absence(findings, EMPTY_IDENTITY))
        return Result(FAIL, evidence, reason=say(REASONS["found"], ids=", ".join(ids)))
    system = platform.get("label") or platform.get("system")
    if system:
        credit = platform.get("evidence") or {}
        names = {"system": system, "system_en": platform.get("system") or "?"}
        reason = say(REASONS["one_left"], ids=", ".join(ids), **names) if ids else \
            say(REASONS["customised"], **names)
        return Result(PASS, [ev(credit.get("url"), credit.get("snippet"))], reason=reason)
    if ids:
        return Result(PASS, reason=say(REASONS["one_left"], system="?", system_en="?", ids=", ".join(ids)))
    return Result(PASS, reason=say(REASONS["clean"]))


CHECK = Check(
    id="signals.template_default",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(ECOMMERCE, "十五"), art(CONSUMER, "二十一")),
    requires=REQUIRES, evaluate=_evaluate, flag=FLAG,
)
