"""site.https: the shop is served over HTTPS."""
from __future__ import annotations

from cardshop_auditor.checks._common import CONSUMER, art, home_url, not_applicable, say
from cardshop_auditor.checks.base import FAIL, PASS, Check, Flag, Result, ev

TITLE = {"zh": "网站使用 HTTPS", "en": "The site uses HTTPS"}
FAILURE_TITLE = {"zh": "网站没有使用 HTTPS", "en": "The site does not use HTTPS"}
DESCRIPTION = {
    "zh": "卡盟要收集手机号、邮箱、查询密码，有时还有账号密码。《消费者权益保护法》第二十九条要求经营者采取技术措施，"
          "确保消费者个人信息安全、防止泄露；明文 HTTP 传输做不到这一点。"
          "小店用 HTTP 很常见，所以这只是一个低风险提示，不计入风险等级的累计规则。",
    "en": "Card shops collect phone numbers, emails, order passwords and sometimes account "
          "passwords. Article 29 of the Consumer Protection Law requires technical measures to keep "
          "consumers' personal information from leaking; plain HTTP cannot. Plain HTTP is common on "
          "small shops, so this is a low-severity note that does not count towards the risk level.",
}
REASONS = {
    "unknown": {"zh": "不知道网站是否使用 HTTPS", "en": "whether the site uses HTTPS is unknown"},
    "https": {"zh": "网站通过 HTTPS 提供", "en": "served over HTTPS"},
    "http": {"zh": "网站通过明文 HTTP 提供", "en": "served over plain HTTP"},
}

FLAG = Flag(
    "no_https", severity="low",
    name={"zh": "没有使用HTTPS加密", "en": "No HTTPS"},
    advice={
        "zh": "不要在这个网站输入常用密码或银行卡信息，数据可能被窃听或篡改。",
        "en": "Do not enter passwords or card details here: traffic can be read or changed.",
    },
)

REQUIRES = ("site",)


def _evaluate(findings: dict) -> Result:
    https = (findings["site"] or {}).get("https")
    if https is None:
        return not_applicable(REASONS["unknown"])
    url = home_url(findings)
    if https:
        return Result(PASS, [ev(url, url)], reason=say(REASONS["https"]))
    return Result(FAIL, [ev(url, url)], reason=say(REASONS["http"]))


CHECK = Check(
    id="site.https",
    title=TITLE, failure_title=FAILURE_TITLE, description=DESCRIPTION,
    basis=(art(CONSUMER, "二十九"),),
    requires=REQUIRES, evaluate=_evaluate, flag=FLAG,
)
