"""Which links a shop audit follows, and in what order.

Compliance facts live in a handful of places (footer, 关于我们, agreements, help centre,
after-sales, order query, user centre); those are fetched first so a page cap still
finds them.  Links that log out, delete, pay or submit are never followed.
"""
from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

PRIORITY_RULES: tuple[tuple[int, re.Pattern], ...] = tuple(
    (score, re.compile(pattern, re.I)) for score, pattern in (
        (100, r"协议|条款|政策|须知|规则|声明|agreement|terms|policy|tos|rule|notice"),
        (90, r"退款|退货|退换|退订|售后|after.?sale|refund"),
        (80, r"关于|联系|about|contact|资质|营业执照|license|licence"),
        (70, r"帮助|常见问题|faq|help|客服|support|service"),
        (60, r"订单查询|查询订单|订单|order|query|search"),
        (55, r"注册|register|signup|sign-up"),
        (50, r"个人中心|会员中心|用户中心|我的|登录|登陆|login|signin|user|member|account"),
    ))

NEVER_FOLLOW = re.compile(
    r"退出|注销|登出|logout|log-out|signout|sign-out|delete|remove|删除|取消订单|cancel|"
    r"pay(?:ment)?/|/pay\b|支付|充值提交|submit|unsubscribe", re.I)

SKIP_EXTENSIONS = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|bmp|css|js|mjs|map|json|xml|txt|pdf|docx?|xlsx?|pptx?|"
    r"zip|rar|7z|gz|tgz|apk|ipa|exe|msi|dmg|mp[34]|avi|mov|flv|woff2?|ttf|eot)$", re.I)


def link_priority(text: str, url: str, in_footer: bool = False) -> int:
    haystack = f"{text} {urlsplit(url).path}"
    score = max((s for s, pattern in PRIORITY_RULES if pattern.search(haystack)), default=10)
    return score + (5 if in_footer else 0)


def normalise_link(base: str, href: str) -> str | None:
    """Absolute http(s) URL without fragment, or None for links we never follow."""
    href = (href or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:", "about:")):
        return None
    try:
        url = urldefrag(urljoin(base, href))[0]
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if SKIP_EXTENSIONS.search(parts.path):
        return None
    return url


def should_follow(text: str, url: str) -> bool:
    return not NEVER_FOLLOW.search(f"{text} {url}")
