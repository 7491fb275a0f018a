"""Every sentence of the web pages, in zh (default) and en."""
from __future__ import annotations

LANGS = ("zh", "en")

UI = {
    "zh": {
        "html_lang": "zh-CN", "colon": "：",
        "site_name": "发卡网 / 卡盟检测",
        "tagline": "付款前，先查一查这家店：有没有备案和经营者信息、退款规则写了什么、退款入口藏在哪里。",
        "input_label": "店铺网址",
        "input_hint": "粘贴网址或聊天里的链接，例如 shop.example.cn 或 https://shop.example.cn/goods/12",
        "button": "开始检测",
        "login_summary": "可选：用我的账号登录后查找退款入口",
        "login_help": "有些店铺的退款按钮在登录之后才看得到。账号只用于这一次检测，不会保存，也不会显示在结果里；带账号的结果不会出现在“最近检测”中。",
        "username": "用户名", "password": "密码",
        "recent_h": "最近检测的店铺",
        "recent_none": "还没有检测记录。",
        "ago": "{age}前",
        "lang_switch": "English", "lang_switch_code": "en",
        "nav_api": "JSON 接口",
        "about": "本工具只读取店铺公开的网页（以及你提供账号时的登录后页面），不下单、不付款。结果按页面内容自动生成，仅供参考。",
        "risk": {"low": "低风险", "medium": "中风险", "high": "高风险", None: "未能检测"},
        "score": "透明度 {n} 分",
        # progress
        "progress_title": "正在检测",
        "progress_h": "正在检测 {host}",
        "queued": "排队中：前面还有 {n} 个检测，你是第 {pos} 位。",
        "queued_next": "排队中：下一个就是你。",
        "elapsed": "已用时间",
        "seconds": "{n} 秒",
        "stage": {"fetch": "抓取网页", "browser": "打开浏览器", "refund": "查找退款入口", "judge": "逐项判断"},
        "stage_state": {"waiting": "等待", "running": "进行中", "done": "完成", "skipped": "不需要"},
        "noscript": "页面每隔几秒自动刷新；检测完成后会显示结果。",
        "progress_failed": "检测没能完成：我们这边出了问题（{error}）。请稍后再试。",
        "try_again": "重新检测",
        # result
        "result_title": "检测结果",
        "checked_ago": "这是{age}前的检测结果。",
        "check_again": "重新检测",
        "share": "本结果的固定网址，可以分享：",
        "full_report": "完整报告（单独页面）",
        "report_json": "report.json",
        "back_home": "检测另一家店",
        "age": {"s": "{n} 秒", "m": "{n} 分钟", "h": "{n} 小时", "d": "{n} 天"},
        # errors
        "error_title": "无法检测这个地址",
        "errors": {
            "empty": "请先粘贴店铺的网址。",
            "not_url": "这看起来不是一个网址。请粘贴店铺的网址，例如 shop.example.cn。",
            "javascript": "这是一段脚本（javascript:），不是网址，不会被执行。请粘贴店铺的网址。",
            "scheme": "只能检测以 http:// 或 https:// 开头的网页地址（收到的是 {detail}:）。",
            "binary": "这个地址指向一个文件（{detail}），不是店铺网页。请粘贴店铺首页或商品页的网址。",
            "outside": "这个地址不在允许检测的范围内：本服务只检测公网上的网站（{detail}）。",
            "unresolvable": "找不到这个网站：域名 {detail} 无法解析。请检查拼写。",
            "unreachable": "连接不上这个网站（{detail}）。网站可能已经关闭，或地址有误。",
            "rate": "提交太频繁了，请在 {n} 秒后再试。",
            "busy": "现在检测的人太多，排队已满（{n} 个在等待）。请过几分钟再试。",
            "not_found": "没有找到这个检测结果。",
            "credentials": "用户名和密码需要一起填写。",
        },
        "busy_title": "排队已满",
    },
    "en": {
        "html_lang": "en", "colon": ": ",
        "site_name": "Card shop checker",
        "tagline": "Before you pay, check the shop: is it filed and does it name its operator, what its refund rules say, and where its refund button hides.",
        "input_label": "Shop address",
        "input_hint": "Paste the address or the link from a chat, e.g. shop.example.cn or https://shop.example.cn/goods/12",
        "button": "Check this shop",
        "login_summary": "Optional: log in with my account to find the refund entry",
        "login_help": "Some shops show their refund button only after login. Your account is used for this one check, never stored and never shown in the result; results with an account are not listed under recent checks.",
        "username": "User name", "password": "Password",
        "recent_h": "Recently checked shops",
        "recent_none": "Nothing checked yet.",
        "ago": "{age} ago",
        "lang_switch": "中文", "lang_switch_code": "zh",
        "nav_api": "JSON API",
        "about": "This tool reads only the shop's public pages (and the pages after login when you give an account); it never orders or pays. Results are generated from the pages and are for guidance only.",
        "risk": {"low": "Low risk", "medium": "Medium risk", "high": "High risk", None: "Not audited"},
        "score": "transparency {n}",
        "progress_title": "Checking",
        "progress_h": "Checking {host}",
        "queued": "Waiting: {n} checks ahead of you, you are number {pos}.",
        "queued_next": "Waiting: you are next.",
        "elapsed": "Elapsed",
        "seconds": "{n} s",
        "stage": {"fetch": "Fetching pages", "browser": "Opening the browser", "refund": "Looking for the refund entry",
                  "judge": "Judging"},
        "stage_state": {"waiting": "waiting", "running": "running", "done": "done", "skipped": "not needed"},
        "noscript": "This page refreshes itself every few seconds and shows the result when the check is done.",
        "progress_failed": "The check could not be completed: something failed on our side ({error}). Please try again later.",
        "try_again": "Check again",
        "result_title": "Result",
        "checked_ago": "This result is from {age} ago.",
        "check_again": "Check again now",
        "share": "The permanent address of this result, to share:",
        "full_report": "Full report (separate page)",
        "report_json": "report.json",
        "back_home": "Check another shop",
        "age": {"s": "{n} s", "m": "{n} min", "h": "{n} h", "d": "{n} days"},
        "error_title": "This address cannot be checked",
        "errors": {
            "empty": "Paste the shop's address first.",
            "not_url": "This does not look like a web address. Paste the shop's address, e.g. shop.example.cn.",
            "javascript": "This is a script (javascript:), not a web address; it is never run. Paste the shop's address.",
            "scheme": "Only web addresses starting with http:// or https:// can be checked (got {detail}:).",
            "binary": "This address leads to a file ({detail}), not a shop page. Paste the address of the shop's home or goods page.",
            "outside": "This address is outside what this service may check: only sites on the public internet ({detail}).",
            "unresolvable": "This site cannot be found: the name {detail} does not resolve. Check the spelling.",
            "unreachable": "The site does not answer ({detail}). It may be down, or the address is wrong.",
            "rate": "Too many submissions; try again in {n} seconds.",
            "busy": "Too many checks right now: the waiting line is full ({n} waiting). Try again in a few minutes.",
            "not_found": "No such result.",
            "credentials": "Give both the user name and the password.",
        },
        "busy_title": "The waiting line is full",
    },
}


def ui(lang: str) -> dict:
    return UI["en" if lang == "en" else "zh"]


def age_text(seconds: float, lang: str) -> str:
    t = ui(lang)["age"]
    seconds = max(0, int(seconds))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return t[unit].format(n=seconds // size)
    return t["s"].format(n=seconds)
