"""Every user-facing string of the report pages, in zh and en.

The renderer (auditor/report.py) knows nothing of wording: it looks strings up here.
Clause kinds and flag ids are DESIGN.md's stable ids; each gets a name, and flags also a
"what a buyer should do" advice.  To change the report's words or look, touch only
report_templates/.
"""
from __future__ import annotations

LANGS = ("zh", "en")

UI = {
    "zh": {
        "doc_title": "卡盟/发卡网合规检测报告",
        "colon": "：", "lparen": "（", "rparen": "）", "sep": "、",
        "report_for": "检测对象",
        "skip": "跳到正文",
        "toc": "目录",
        "verdict": "结论",
        "score": "透明度得分",
        "score_short": "透明度",
        "score_of": "满分 100",
        "score_none": "无法评分",
        "score_help": "按公开信息和退款规则的透明程度计算，不代表商品质量。",
        "risk": "风险等级",
        "top_problems": "最需要注意的问题",
        "no_problems": "未发现未通过的检查项。",
        "buyer_should": "买家应该怎么做",
        "evidence": "证据",
        "at_a_glance": "速览",
        "glance_icp": "ICP备案",
        "glance_business": "经营者",
        "glance_agreement": "用户协议",
        "glance_refund": "退款入口",
        "glance_contacts": "联系方式",
        "yes": "有",
        "is_yes": "是",
        "is_no": "否",
        "see_about": "详见检测信息",
        "no": "无",
        "unknown": "未知",
        "not_checked": "未能检查",
        "level_none": "无风险等级",
        "incomplete": "不完整",
        "caption_step": "第{i}步：点击「{label}」",
        "caption_footer": "页脚（ICP / 公安备案 / 公司信息）：",
        "caption_terms": "《{title}》中的退款条款：",
        "caption_buy_prompt": "商品页的购买提示：",
        "caption_entry": "退款入口「{label}」：共 {n} 次点击（已定位并标红框，未点击）",
        "technical_detail": "技术细节",
        "more_problems": "另有 {n} 个问题，见下方“风险信号”和“全部检查项”。",
        "agreement_untitled": "（无标题）",
        "agreement_scattered": "没有找到成文的用户协议；以下退款相关语句摘自店铺的其他页面。",
        "found": "已找到",
        "not_found": "未找到",
        "clicks_n": "{n} 次点击",
        "status_failed": "未能完成检测",
        "status_partial": "检测不完整",
        "status_partial_note": "部分页面未能获取，以下结果可能不完整。",
        "flags_note": "风险信号供人工复核，每条都附有证据；它们不是定论。",
        "no_flags": "未发现风险信号。",
        # sections
        "sec_identity": "备案与资质",
        "sec_agreement": "用户协议退款条款",
        "sec_refund": "退款入口",
        "sec_contacts": "联系方式",
        "sec_flags": "风险信号",
        "sec_checks": "全部检查项",
        "sec_about": "检测信息",
        # identity
        "icp": "ICP备案号",
        "icp_license": "经营许可证",
        "psb_filing": "公安联网备案号",
        "company_name": "经营者名称",
        "uscc": "统一社会信用代码",
        "platform": "建站系统",
        "platform_neutral": "中性信息，不是风险",
        "item": "项目",
        "value": "内容",
        "valid": "有效",
        "invalid": "无效",
        "format_ok": "格式正确",
        "format_bad": "格式异常",
        "placeholder": "疑似占位符",
        "in_footer": "位于页脚",
        "not_in_footer": "不在页脚",
        "consistent": "省份与编码一致",
        "inconsistent": "省份与编码不一致",
        "region_code": "行政区划码",
        "source": "来源页面",
        "where_found": "发现位置",
        # agreement
        "agreement_none": "未找到用户协议或退款规则。",
        "agreement_title": "协议",
        "no_clauses": "协议中没有识别出退款相关条款。",
        "fee_percent": "手续费 {n}%",
        "verbatim_note": "以下为协议原文（逐字摘录），按条款类型分组。",
        "tone_good": "对买家有利",
        "tone_info": "说明",
        "tone_caution": "需留意",
        "tone_bad": "可能无效的条款",
        # refund entry
        "refund_steps": "从首页到退款按钮的步骤",
        "start": "首页",
        "clicks": "点击次数",
        "requires_login": "需要登录",
        "in_overflow": "藏在“更多”菜单里",
        "refund_url": "退款页面",
        "refund_missing": "没有找到退款或售后入口。",
        "refund_not_evaluated": "未能检查退款入口",
        "screenshot": "截图",
        "screenshot_alt": "退款入口截图：{label}",
        "screenshot_invalid": "截图路径不安全，已忽略",
        "open_full": "点击查看原图",
        "gallery": "检测截图",
        # contacts
        "phones": "电话",
        "emails": "邮箱",
        "qq": "QQ",
        "wechat": "微信",
        "address": "地址",
        "none_listed": "未公示",
        # checks
        "check": "检查项",
        "basis": "法律依据",
        "reason": "原因",
        "no_evidence": "无",
        "weight": "权重",
        "severity": "严重程度",
        "checks_none": "没有运行任何检查。",
        "checks_counts": "{fail} 项未通过，{warn} 项需注意，{passed} 项通过，{na} 项不适用，{error} 项出错。",
        # footer
        "tool_version": "工具版本",
        "scanned_at": "检测时间",
        "target": "检测网址",
        "final_url": "最终网址",
        "pages_fetched": "已获取的页面",
        "page_url": "网址",
        "http_status": "状态码",
        "fetched_with": "获取方式",
        "encoding": "编码",
        "sha256": "SHA-256",
        "error": "错误",
        "via_http": "HTTP",
        "via_browser": "浏览器",
        "gather_errors": "采集问题",
        "robots_denied": "该网站的 robots.txt 不允许抓取，检测范围受限。",
        "no_pages": "没有获取到任何页面。",
        "json_note": "完整数据见同目录下的 report.json。",
        "disclaimer": "本报告由自动化工具根据网站公开页面生成，仅供参考，不构成法律意见。",
        # index
        "index_title": "检测汇总",
        "index_shop": "店铺",
        "index_report": "报告",
        "index_open": "查看报告",
        "index_flags": "风险信号",
        "index_empty": "没有检测结果。",
        "index_count": "共 {n} 家店铺",
    },
    "en": {
        "doc_title": "Card-shop compliance report",
        "colon": ": ", "lparen": " (", "rparen": ")", "sep": ", ",
        "report_for": "Shop",
        "skip": "Skip to content",
        "toc": "Contents",
        "verdict": "Verdict",
        "score": "Transparency score",
        "score_short": "Transparency",
        "score_of": "out of 100",
        "score_none": "No score",
        "score_help": "How openly the shop discloses who it is and how refunds work; not a rating of its goods.",
        "risk": "Risk level",
        "top_problems": "The most important problems",
        "no_problems": "No failed checks.",
        "buyer_should": "What a buyer should do",
        "evidence": "Evidence",
        "at_a_glance": "At a glance",
        "glance_icp": "ICP filing",
        "glance_business": "Operator",
        "glance_agreement": "User agreement",
        "glance_refund": "Refund entry",
        "glance_contacts": "Contacts",
        "yes": "Yes",
        "is_yes": "Yes",
        "is_no": "No",
        "see_about": "See “About this audit”",
        "no": "No",
        "unknown": "Unknown",
        "not_checked": "Not checked",
        "level_none": "No risk level",
        "incomplete": "Incomplete",
        "caption_step": "Step {i}: click “{label}”",
        "caption_footer": "Footer (ICP / public-security filing / company): ",
        "caption_terms": "Refund terms in “{title}” ({where}): ",
        "caption_buy_prompt": "Buy prompt on a goods page: ",
        "caption_entry": "Refund entry “{label}”: {n} clicks (located and outlined in red, not clicked)",
        "technical_detail": "technical detail",
        "more_problems": "{n} more problems: see “Risk signals” and “All checks” below.",
        "agreement_untitled": "(untitled)",
        "agreement_scattered": "No written user agreement was found; the refund statements below come from other pages of the shop.",
        "found": "Found",
        "not_found": "Not found",
        "clicks_n": "{n} clicks",
        "status_failed": "The audit could not be completed",
        "status_partial": "Incomplete audit",
        "status_partial_note": "Some pages could not be fetched; results may be incomplete.",
        "flags_note": "Risk signals are for human review, each with its evidence; they are not a verdict.",
        "no_flags": "No risk signals found.",
        "sec_identity": "Filings and licences",
        "sec_agreement": "Refund terms in the user agreement",
        "sec_refund": "Refund entry",
        "sec_contacts": "Contacts",
        "sec_flags": "Risk signals",
        "sec_checks": "All checks",
        "sec_about": "About this audit",
        "icp": "ICP filing number",
        "icp_license": "Operating licence",
        "psb_filing": "Public-security filing number",
        "company_name": "Operator name",
        "uscc": "Unified social credit code",
        "platform": "Shop system",
        "platform_neutral": "a neutral fact, not a risk",
        "item": "Item",
        "value": "Value",
        "valid": "valid",
        "invalid": "invalid",
        "format_ok": "well-formed",
        "format_bad": "malformed",
        "placeholder": "looks like a placeholder",
        "in_footer": "in the footer",
        "not_in_footer": "not in the footer",
        "consistent": "prefix matches the code",
        "inconsistent": "prefix does not match the code",
        "region_code": "region code",
        "source": "source page",
        "where_found": "Where found",
        "agreement_none": "No user agreement or refund policy was found.",
        "agreement_title": "Agreement",
        "no_clauses": "No refund-related clauses were recognised in the agreement.",
        "fee_percent": "fee {n}%",
        "verbatim_note": "Verbatim sentences from the agreement, grouped by kind.",
        "tone_good": "in the buyer's favour",
        "tone_info": "information",
        "tone_caution": "worth noting",
        "tone_bad": "likely void term",
        "refund_steps": "Steps from the home page to the refund control",
        "start": "Home page",
        "clicks": "Clicks",
        "requires_login": "Login required",
        "in_overflow": "hidden in a “more” menu",
        "refund_url": "Refund page",
        "refund_missing": "No refund or after-sales entry was found.",
        "refund_not_evaluated": "The refund entry could not be checked",
        "screenshot": "Screenshot",
        "screenshot_alt": "Screenshot of the refund entry: {label}",
        "screenshot_invalid": "unsafe screenshot path, ignored",
        "open_full": "open full size",
        "gallery": "Screenshots",
        "phones": "Phone",
        "emails": "Email",
        "qq": "QQ",
        "wechat": "WeChat",
        "address": "Address",
        "none_listed": "none listed",
        "check": "Check",
        "basis": "Legal basis",
        "reason": "Reason",
        "no_evidence": "none",
        "weight": "Weight",
        "severity": "Severity",
        "checks_none": "No checks were run.",
        "checks_counts": "{fail} failed, {warn} warnings, {passed} passed, {na} not applicable, {error} errors.",
        "tool_version": "Tool version",
        "scanned_at": "Scanned at",
        "target": "Target",
        "final_url": "Final URL",
        "pages_fetched": "Pages fetched",
        "page_url": "URL",
        "http_status": "Status",
        "fetched_with": "Fetched with",
        "encoding": "Encoding",
        "sha256": "SHA-256",
        "error": "Error",
        "via_http": "HTTP",
        "via_browser": "browser",
        "gather_errors": "Gathering problems",
        "robots_denied": "The site's robots.txt disallows crawling; the audit was limited.",
        "no_pages": "No page was fetched.",
        "json_note": "Full data: report.json in the same folder.",
        "disclaimer": "Generated automatically from the site's public pages; for information only, not legal advice.",
        "index_title": "Audit summary",
        "index_shop": "Shop",
        "index_report": "Report",
        "index_open": "Open report",
        "index_flags": "Risk signals",
        "index_empty": "No results.",
        "index_count": "{n} shops",
    },
}

STATUS = {  # check status -> (icon, zh, en); the icon is decoration, the text carries meaning
    "pass": ("✓", "通过", "Pass"),
    "fail": ("✗", "未通过", "Fail"),
    "warn": ("!", "需注意", "Warning"),
    "not_applicable": ("–", "不适用", "Not applicable"),
    "error": ("?", "检测出错", "Error"),
}

RISK = {
    "low": ("低风险", "Low risk"),
    "medium": ("中风险", "Medium risk"),
    "high": ("高风险", "High risk"),
}

SEVERITY = {"low": ("低", "low"), "medium": ("中", "medium"), "high": ("高", "high")}

# kind -> (zh name, en name, tone)   tone for the buyer: good | neutral | bad (auditor.diff relies on these three)
CLAUSE_KINDS = {
    "refund_unactivated": ("未激活可退款", "Refund before activation", "good"),
    "refund_activated_fee": ("已激活扣手续费退款", "Refund after activation, minus a fee", "neutral"),
    "no_refund_used": ("已使用不退款", "No refund once used", "neutral"),
    "platform_fault": ("平台责任退款或补发", "Refund or reissue when the platform is at fault", "good"),
    "special_goods_exclusion": ("特殊商品不退", "Special goods excluded", "neutral"),
    "blanket_no_refund": ("一律不退款", "Blanket no-refund", "bad"),
    "refund_channel": ("退款去向", "Where the money goes", "neutral"),
    "refund_timeline": ("审核与到账时间", "Review and payout times", "neutral"),
    "evidence_required": ("需要提供的证据", "Evidence you must provide", "neutral"),
    "supplement_deadline": ("补充材料期限", "Deadline for more material", "neutral"),
    "complaint_channel": ("申诉与投诉渠道", "Appeal and complaint channels", "good"),
    "agreement_change": ("协议变更方式", "How the agreement changes", "neutral"),
    "final_interpretation": ("“最终解释权”声明", "“Final interpretation” claim", "bad"),
}

# finer tone for the report page: good | info | caution | bad (shown as text, not colour alone)
CLAUSE_TONES = {
    "refund_unactivated": "good",
    "refund_activated_fee": "caution",
    "no_refund_used": "info",
    "platform_fault": "good",
    "special_goods_exclusion": "caution",
    "blanket_no_refund": "bad",
    "refund_channel": "info",
    "refund_timeline": "info",
    "evidence_required": "caution",
    "supplement_deadline": "caution",
    "complaint_channel": "good",
    "agreement_change": "caution",
    "final_interpretation": "bad",
}

CLAUSE_NOTES = {  # a one-line legal note for the kinds a buyer should know about
    "blanket_no_refund": (
        "排除消费者权利的格式条款无效（消费者权益保护法 第二十六条）。",
        "Standard terms that exclude consumers' rights are void (Consumer Protection Law art. 26)."),
    "final_interpretation": (
        "经营者单方享有“最终解释权”的条款无效（法释〔2022〕8号 第一条）。",
        "A seller's unilateral “final interpretation” right is void (SPC interpretation 2022 No. 8, art. 1)."),
    "special_goods_exclusion": (
        "“特殊商品”标签不能扩大不退货的范围，需在购买时经你确认。",
        "A “special goods” label cannot widen the no-return scope unless you confirmed it at purchase."),
}

# flag -> (zh name, en name, zh advice, en advice)
FLAGS = {
    "no_icp": (
        "未公示ICP备案号", "No ICP filing number shown",
        "到工信部备案系统（beian.miit.gov.cn）查询该域名；查不到备案的网站出了问题很难追责，不要大额充值。",
        "Look the domain up at beian.miit.gov.cn; an unfiled site is hard to hold to account — avoid large top-ups."),
    "icp_malformed": (
        "备案号格式异常或是占位符", "ICP number malformed or a placeholder",
        "备案号可能是编造或套用的：到 beian.miit.gov.cn 核对备案主体和域名是否与本站一致。",
        "The filing number may be made up or borrowed: check at beian.miit.gov.cn that it covers this domain."),
    "no_psb_filing": (
        "未公示公安联网备案号", "No public-security filing number",
        "到 beian.mps.gov.cn 查询；缺少公安备案不一定是骗局，但说明经营者信息不透明，请保留好付款凭证。",
        "Search beian.mps.gov.cn; a missing filing is not proof of fraud, but keep your payment records."),
    "psb_inconsistent": (
        "公安备案号省份与编码不一致", "Public-security number inconsistent",
        "备案号的省份简称和数字编码对不上，可能是伪造的：请到 beian.mps.gov.cn 核实后再付款。",
        "The province prefix does not match the digits — possibly forged: verify at beian.mps.gov.cn before paying."),
    "no_business_identity": (
        "未公示经营者身份", "No operator identity shown",
        "不知道卖家是谁，纠纷时难以投诉或起诉：付款前请客服提供营业执照信息，或换一家公示了经营主体的店铺。",
        "You cannot tell who the seller is: ask for the business licence before paying, or buy elsewhere."),
    "uscc_invalid": (
        "统一社会信用代码无效", "Invalid unified social credit code",
        "页面上的信用代码校验不通过，可能是编造的：在国家企业信用信息公示系统（gsxt.gov.cn）核实这家公司。",
        "The credit code fails its checksum and may be invented: look the company up at gsxt.gov.cn."),
    "no_agreement": (
        "没有用户协议", "No user agreement",
        "没有书面规则，退款全凭卖家一句话：付款前截图商品说明和客服承诺，保留聊天记录。",
        "No written rules: screenshot the product description and the seller's promises before paying."),
    "no_refund_policy": (
        "没有退款规则", "No refund policy",
        "付款前向客服确认退款规则并截图保存；未激活、未提取的卡密可以依法要求退款。",
        "Ask for the refund rules before paying and keep a screenshot; unused card keys can be refunded."),
    "blanket_no_refund": (
        "“一经售出概不退换”类条款", "Blanket no-refund clause",
        "这类条款排除消费者权利，依法可能无效：卡密无效或与描述不符时仍可要求退款，协商不成可拨打 12315 投诉。",
        "Such terms are likely void: you can still ask for a refund for invalid card keys; if refused, complain via 12315."),
    "final_interpretation_claim": (
        "声称拥有“最终解释权”", "Claims the “final interpretation” right",
        "“最终解释权归本站所有”依法无效，不影响你投诉、调解和起诉的权利。",
        "“Final interpretation rests with us” is void and does not limit your right to complain or sue."),
    "refund_entry_missing": (
        "找不到退款或售后入口", "No refund or after-sales entry",
        "需要退款时可能只能找客服：下单前确认客服联系方式有效，保存订单号和付款记录。",
        "You may have to go through customer service: check the contact works and keep your order number."),
    "refund_entry_hidden": (
        "退款入口藏得很深", "Refund entry hidden",
        "退款按钮需要多次点击或藏在“更多”菜单里：按本报告列出的步骤查找，操作时截图留证。",
        "The refund control takes many clicks or sits in a “more” menu: follow the steps in this report and keep screenshots."),
    "contact_qq_only": (
        "只有QQ联系方式", "QQ is the only contact",
        "只留QQ的卖家随时可能消失：保存聊天记录，避免大额或长期充值。",
        "A QQ-only seller can vanish at any time: keep chat records and avoid large or long-term top-ups."),
    "no_contact": (
        "没有任何联系方式", "No contact information",
        "出了问题找不到人：不建议购买。",
        "Nobody to contact if something goes wrong: we advise against buying."),
    "no_https": (
        "没有使用HTTPS加密", "No HTTPS",
        "不要在这个网站输入常用密码或银行卡信息，数据可能被窃听或篡改。",
        "Do not enter passwords or card details here: traffic can be read or changed."),
    "template_default": (
        "未修改的开源发卡模板", "Unchanged open-source shop template",
        "店铺可能是临时搭建的：先小额试买，确认能正常发货再考虑更多。",
        "The shop may be a quick, temporary setup: try a small purchase first."),
    "personal_payment": (
        "个人收款、免签或USDT支付", "Personal, unofficial or USDT payment",
        "个人收款码、免签支付或 USDT 付款几乎无法追回：尽量使用有平台担保、可以申诉的支付方式。",
        "Personal QR codes, “no-signup” gateways and USDT are almost impossible to recover: prefer payments you can dispute."),
    "anti_blocking": (
        "使用“防红”躲避拦截", "Uses anti-blocking (“防红”)",
        "“防红”用来躲避微信、QQ 的风险拦截，常见于被举报过的网站：请高度警惕。",
        "“Anti-blocking” dodges WeChat/QQ safety warnings and is common on reported sites: be very careful."),
    "identity_region_mismatch": (
        "备案号与信用代码的省份不一致", "Filings and credit code name different provinces",
        "ICP 备案、公安备案和统一社会信用代码指向不同省份，可能是套用别人的号码：到 beian.miit.gov.cn 和 beian.mps.gov.cn 核对备案主体。",
        "The ICP filing, 公安 filing and credit code point to different provinces and may be borrowed: check the filing holder at beian.miit.gov.cn and beian.mps.gov.cn."),
}

# advice for checks that raise no flag, by check id (zh, en); others get GENERIC_ADVICE
CHECK_ADVICE = {
    "agreement.change_notice": (
        "协议可能随时被修改而不提前通知：下单前截图保存当时的协议和商品说明，发生纠纷时以下单时的版本为准。",
        "The terms can change without notice: screenshot the agreement and product page when you buy."),
    "agreement.reachable": (
        "用户协议不容易找到：下单前找到并保存一份，先看清退款条件。",
        "The agreement is hard to find: locate it and save a copy before buying."),
    "complaint.channel": (
        "店铺没有写明投诉渠道：与卖家协商不成时，可拨打 12315 或在全国 12315 平台投诉。",
        "No complaint route is stated: if the seller will not help, complain via 12315."),
    "icp.in_footer": (
        "备案号没有放在首页底部：到 beian.miit.gov.cn 核实这个备案号是否属于本网站。",
        "The filing number is not in the home-page footer: check at beian.miit.gov.cn that it belongs to this site."),
    "icp.license": (
        "多商户平台通常需要增值电信经营许可证（ICP证/B2）：大额交易前确认平台资质。",
        "Multi-seller platforms usually need an operating licence (ICP/B2): check before large purchases."),
    "refund.channel": (
        "退款可能只退到不能提现的平台余额：付款前问清退款去向，尽量选择原路退回的店铺。",
        "Refunds may only go to a balance you cannot withdraw: ask first and prefer refunds to your original payment."),
    "refund.digital_goods_exemption": (
        "店铺把虚拟商品一律当作不退货商品：未激活、未提取的卡密仍可依法申请退款。",
        "The shop treats all digital goods as non-returnable: unused, unrevealed card keys can still be refunded."),
    "refund.timeline": (
        "退款没有写明处理时限：申请后保留记录，超过合理时间没有处理可以投诉。",
        "No refund time limit is stated: keep records of your request and complain if it drags on."),
}
GENERIC_ADVICE = (
    "保留订单号、付款记录和聊天截图；遇到纠纷先找客服协商，协商不成可拨打 12315 或在全国 12315 平台投诉。",
    "Keep your order number, payment record and chat screenshots; if the seller will not help, complain via 12315.")

VERDICT = {  # (headline, detail) per outcome; {n} = number of problems
    "zh": {
        "high": ("高风险：不建议在这家店购买",
                 "发现 {n} 个问题，其中有严重的风险信号。如果已经付款，请保存订单号、付款记录和聊天截图，尽快申请退款；协商不成可拨打 12315 投诉。"),
        "medium": ("中风险：购买前请先核实下面的问题",
                   "发现 {n} 个需要注意的问题。建议先小额试买，并保存订单凭证。"),
        "low": ("低风险：未发现明显问题",
                "没有发现明显的风险信号，但这不等于担保。请保存订单凭证。"),
        "failed": ("无法完成检测", "{cause}。本次没有检查任何内容，这既不说明网站安全，也不说明网站有问题；请确认网址后重试。"),
        "unknown": ("没有风险等级", "发现 {n} 个问题，但本次检测没有给出风险等级，请查看下面的检查项。"),
    },
    "en": {
        "high": ("High risk: we advise against buying here",
                 "{n} problems found, including serious risk signals. If you already paid, keep your order number, payment record and chats, and ask for a refund now; if refused, complain via 12315."),
        "medium": ("Medium risk: check the problems below before buying",
                   "{n} problems worth checking. Try a small purchase first and keep your receipts."),
        "low": ("Low risk: no obvious problems found",
                "No obvious risk signals, which is not a guarantee. Keep your receipts."),
        "failed": ("The audit could not be completed",
                   "{cause}. Nothing was checked, so this says neither that the site is safe nor that it is not; check the address and try again."),
        "unknown": ("No risk level", "{n} problems found, but this audit gave no risk level; see the checks below."),
    },
}

# why a target could not be audited: fetch error code (substring) -> (zh, en)
FETCH_ERRORS = {
    "refused_address": ("网站把检测引向了内部网络或本机地址，已拒绝访问",
                        "The site sent the audit to an internal or local network address: refused"),
    "refused": ("无法连接到网站（连接被拒绝）", "The site refused the connection"),
    "timeout": ("网站长时间没有响应（超时）", "The site did not answer in time"),
    "dns": ("域名无法解析，网站可能已经关闭", "The domain does not resolve; the site may be gone"),
    "too_many_redirects": ("网站重定向次数过多", "The site redirects in a loop"),
    "tls": ("网站的安全证书有问题", "The site's TLS certificate is broken"),
    "ssl": ("网站的安全证书有问题", "The site's TLS certificate is broken"),
    "robots": ("网站的 robots.txt 不允许检测", "The site's robots.txt disallows the audit"),
}
FAILED_HTTP = ("网站返回了错误（HTTP {status}）", "The site answered with an error (HTTP {status})")
FAILED_NOT_HTML = ("网址打开的不是网页", "The address does not lead to a web page")
FAILED_GENERIC = ("无法获取网站的页面", "No page of the site could be fetched")
# the reason every check carries when the target could not be audited ({cause}: as above)
NOT_AUDITED = ("未检测：{cause}", "not audited: {cause}")


def ui(lang: str) -> dict:
    return UI.get(lang) or UI["zh"]


def pick(pair: tuple, lang: str) -> str:
    """(zh, en) -> the string for lang."""
    return pair[1] if lang == "en" else pair[0]
