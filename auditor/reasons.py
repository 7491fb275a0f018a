"""Technical reasons in a reader's words.

Gathering records why something could not be done in short, stable English lines
("connection_refused: the server refused the connection", "login failed: still on the
login form ...", the browser stage's "the refund entry is behind a login and no
credentials were given ...").  They stay as they are in report.json's technical fields
(``reason``, ``gather.errors``, ``pages[].error``); wherever a person reads them — a check's
reason, the report page — ``explain`` gives the same fact in zh and en.

A reason that is not in the table keeps its original text: the report shows it as a
quoted technical detail (a ``<code>`` element), never as a sentence of the page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Explained:
    zh: str
    en: str
    raw: str
    known: bool          # False: no plain words for it; ``raw`` is the detail to quote

    def pick(self, lang: str | None) -> str:
        return self.en if lang == "en" else self.zh


# (pattern, zh, en).  ``{rest}`` is explained again (reasons nest: "login failed: <why>");
# other named groups are copied as they are (numbers, URLs, shop text in quotes).
_TABLE: tuple[tuple[str, str, str], ...] = (
    # the crawl: describe_failure codes (spiders/shop.py)
    (r"connection_refused(?::.*)?", "网站拒绝连接", "the site refused the connection"),
    (r"dns_error(?::.*)?", "域名无法解析", "the domain name does not resolve"),
    (r"timeout: no complete answer within (?P<s>[\d.]+) s", "{s} 秒内没有完整响应（超时）",
     "no complete answer within {s} s (timeout)"),
    (r"timeout(?::.*)?", "响应超时", "the site did not answer in time"),
    (r"tls_error(?::.*)?", "网站的安全证书（TLS）有问题", "the site's TLS certificate is broken"),
    # certificate verdicts (spiders/tlscheck.py, the browser's net::ERR_CERT_* codes)
    (r"certificate verify failed: (?P<rest>.+)", "证书验证失败：{rest}", "certificate verification failed: {rest}"),
    (r"certificate has expired", "证书已过期", "the certificate has expired"),
    (r"certificate is not yet valid", "证书尚未生效", "the certificate is not yet valid"),
    (r"self-signed certificate(?: in certificate chain)?", "自签名证书", "a self-signed certificate"),
    (r"unable to (?:get local issuer certificate|verify the first certificate|get issuer certificate)",
     "证书链不完整，无法验证签发机构", "the issuer could not be verified (incomplete chain)"),
    (r"certificate revoked", "证书已被吊销", "the certificate was revoked"),
    (r"hostname mismatch|certificate is not valid for (?P<host>\S+):.*", "证书与域名不符", "the certificate does not match the host name"),
    (r"(?:X509 error \d+|certificate signature failure|unsupported certificate purpose)", "证书无效", "the certificate is invalid"),
    (r"net::ERR_CERT_DATE_INVALID", "证书已过期或尚未生效", "the certificate has expired or is not yet valid"),
    (r"net::ERR_CERT_AUTHORITY_INVALID", "证书不是受信任机构签发的（可能是自签名）", "the certificate is not from a trusted authority (self-signed?)"),
    (r"net::ERR_CERT_COMMON_NAME_INVALID", "证书与域名不符", "the certificate does not match the host name"),
    (r"net::ERR_(?:CERT|SSL)_\w+", "证书或加密连接有问题", "the certificate or the encrypted connection is broken"),
    (r"connection_lost(?::.*)?", "连接中断", "the connection broke off"),
    (r"bad_http(?::.*)?", "网站返回了无法解析的 HTTP 响应", "the site sent an unreadable HTTP answer"),
    (r"headers_too_large(?::.*)?", "响应头过大", "the response headers are too large"),
    (r"too_large(?::.*)?", "页面超过大小上限", "the page exceeds the size limit"),
    (r"too_many_redirects(?::.*)?", "重定向次数过多（可能是循环重定向）", "too many redirects (a loop?)"),
    (r"robots_denied(?::.*)?", "robots.txt 禁止抓取该页面", "robots.txt disallows this page"),
    (r"not_html: (?P<t>[\w.+/-]+)(?: \(attachment or media: body not fetched\))?", "不是网页（{t}）",
     "not a web page ({t})"),
    (r"not_html: (?P<t>\w+) bytes served as .*", "不是网页（内容是 {t} 二进制数据）", "not a web page ({t} bytes)"),
    (r"not_html(?::.*)?", "不是网页", "not a web page"),
    (r"http_(?P<n>\d{3})", "HTTP {n} 错误", "HTTP error {n}"),
    (r"offsite_redirect: (?P<host>\S+)", "重定向到了其他网站（{host}），未跟随", "redirected off the site ({host}); not followed"),
    (r"refused_(?:redirect_)?scheme: (?P<s>\S+)", "拒绝访问非 http(s) 地址（{s}）", "refused a non-http(s) address ({s})"),
    (r"refused_address: (?P<where>\S+)(?: → (?P<ip>\S+))? \((?P<why>.*)\)",
     "出于安全拒绝连接 {where}（内网或本机地址；如确需检测，请用 --allow-network）",
     "refused to connect to {where} ({why}; use --allow-network if this is intended)"),
    (r"bad_redirect(?::.*)?", "网站的重定向地址无法解析", "the site sent an unreadable redirect"),
    (r"bad_encoding(?::.*)?", "页面压缩数据无法解开", "the page's compressed body could not be decoded"),
    (r"decompression_limit(?::.*)?", "页面解压后超过大小上限（疑似压缩炸弹）", "the page expands beyond the size limit (a zip bomb?)"),
    (r"start page redirected off-site: (?P<a>\S+) → (?P<b>\S+) .*", "首页重定向到了其他网站：{a} → {b}（检测的是最终到达的网站）",
     "the start page redirected to another site: {a} → {b} (the site it landed on was audited)"),
    (r"(?P<url>\S+): connection lost mid-body; kept the first (?P<n>\d+) bytes",
     "{url}：传输中断，只保留了前 {n} 字节", "{url}: the connection broke off; the first {n} bytes were kept"),
    (r"crawler process ended before this shop finished.*", "抓取进程在这家店完成前结束", "the crawler ended before this shop was finished"),
    (r"crawl stopped before this shop finished.*", "抓取在这家店完成前停止", "the crawl stopped before this shop was finished"),
    # the crawl, whole-shop (auditor/report/build.py scan_status, spiders/shop.py limit notes)
    (r"start page not fetched: (?P<rest>.+)", "首页无法获取：{rest}", "the start page was not fetched: {rest}"),
    (r"start page (?P<url>\S+): (?P<rest>.+)", "首页 {url}：{rest}", "start page {url}: {rest}"),
    (r"start page answered HTTP (?P<n>\d+)(?P<tail> in the browser)?", "首页返回 HTTP {n}",
     "the start page answered HTTP {n}"),
    (r"start page is not HTML \((?P<t>.*)\)", "首页不是网页（{t}）", "the start page is not HTML ({t})"),
    (r"robots\.txt disallows crawling this site", "网站的 robots.txt 不允许抓取",
     "the site's robots.txt disallows crawling"),
    (r"robots\.txt limited the crawl", "robots.txt 限制了抓取范围", "robots.txt limited the crawl"),
    (r"no page could be (?:fetched|read)", "没有获取到任何页面", "no page could be fetched"),
    (r"(?P<n>\d+) of (?P<m>\d+) pages could not be fetched", "{m} 个页面中有 {n} 个未能获取",
     "{n} of {m} pages could not be fetched"),
    (r"checks that could not run: (?P<ids>.+)", "未能运行的检查项：{ids}", "checks that could not run: {ids}"),
    (r"time budget of (?P<s>[\d.]+) s spent: .*", "已用完 {s} 秒的时间预算，部分页面未获取",
     "the {s}-second time budget ran out; some pages were not fetched"),
    (r"(?P<n>\d+) page\(s\) cut at the (?P<b>\d+)-byte limit.*", "{n} 个页面超过 {b} 字节上限被截断",
     "{n} page(s) cut at the {b}-byte limit"),
    (r"server asked to retry later than (?P<s>[\d.]+) s: not waited", "服务器要求 {s} 秒后重试，未等待",
     "the server asked to retry after more than {s} s; not waited"),
    (r"extraction failed on this site's pages: .*", "分析该网站页面时出错", "analysing this site's pages failed"),
    (r"extractor error.*", "分析部分页面内容时出错", "an extractor failed on some page content"),
    (r"audit stopped at its hard time limit: the (?P<stage>[\w ]+?) did not finish in time.*",
     "检测超过了时间上限（{stage_zh}未按时完成，可能是页面卡死）",
     "the audit hit its hard time limit: the {stage} did not finish in time (a hung page?)"),
    # notes of a diff between two scans (auditor/diff.py)
    (r"a scan that could not be audited is compared by status only", "有一次检测未能完成，只比较检测状态",
     "a scan that could not be audited is compared by status only"),
    (r"a partial scan \(some pages could not be fetched\) may show removals that are not real",
     "有一次检测不完整（部分页面未获取），列出的“移除”可能并非真实变化",
     "a partial scan (some pages could not be fetched) may show removals that are not real"),
    (r"refund entry not compared: (?P<which>either scan|the old scan|the new scan) could not look for it.*",
     "退款入口未比较：{which_zh}未能查找退款入口（需要登录或浏览器）",
     "refund entry not compared: {which} could not look for it (login or browser needed)"),
    # the refund entry (auditor/extract/refund_entry.py, auditor/browser/stage.py)
    (r"(?:the )?login page \S* ?is disallowed by robots\.txt.*",
     "登录页被 robots.txt 禁止：可用 --ignore-robots 或 --storage-state",
     "the login page is disallowed by robots.txt: use --ignore-robots or --storage-state"),
    (r"registration is closed.*", "该站已关闭注册，且没有提供账号：可用 --username/--password 或 --storage-state",
     "registration is closed and no account was given: use --username/--password or --storage-state"),
    (r"refund entry is behind a login.*|the refund entry is behind a login and no credentials were given.*",
     "退款入口需要登录，但没有提供账号：可用 --username/--password、--auth 或 --storage-state",
     "the refund entry is behind a login and no account was given: use --username/--password, --auth or --storage-state"),
    (r"no credentials given", "没有提供账号", "no credentials were given"),
    (r"login required(?:,? (?:and )?no credentials (?:were )?given)?", "需要登录，但没有提供账号",
     "login required and no credentials were given"),
    (r"no refund or after-sales control on any fetched page, and no account area",
     "所有已获取页面上都没有退款或售后入口，也没有会员区", "no refund or after-sales control on any fetched page, and no account area"),
    (r"no refund / after-sales control reached \((?P<why>[\w ]+), (?P<n>\d+) clicks explored\)",
     "点击探索 {n} 次后仍未到达退款或售后入口", "no refund or after-sales control reached after {n} exploratory clicks"),
    (r"(?P<why>time budget reached|search error) after (?P<n>\d+) click\(s\) without finding a refund control",
     "{why_zh}：点击 {n} 次后仍未找到退款入口，未能查完", "{why} after {n} click(s) without finding a refund control"),
    (r"located “(?P<label>.*)” \((?P<strength>\w+) match\) after (?P<n>\d+) exploratory click\(s\); not clicked",
     "已定位到「{label}」（未点击）", "located “{label}” (not clicked)"),
    (r"path: (?P<steps>.*)", "入口路径：{steps}", "path: {steps}"),
    (r"browser unavailable: .*", "没有可用的浏览器（Chromium），无法点击查找", "no browser (Chromium) was available to click through"),
    (r"browser stage failed.*", "浏览器检测出错", "the browser stage failed"),
    (r"the page stopped responding.*", "页面卡死（脚本不再响应），已在时间预算后停止", "the page stopped responding and was stopped after the time budget"),
    (r"the browser stopped answering.*", "浏览器失去响应，已被结束", "the browser stopped answering and was killed"),
    (r"order query with --order-no: (?P<rest>.+)", "用 --order-no 查询订单：{rest}", "order query with --order-no: {rest}"),
    # logging in (auditor/browser/login.py)
    (r"(?P<rest>.+) \(the form has a captcha, which the auditor does not solve\)",
     "{rest}（表单有验证码，本工具不破解验证码）", "{rest} (the form has a captcha, which the auditor does not solve)"),
    # auditor/secrets.py failure_reason already says "登录失败：…" / "login failed: …" in the scan's language
    (r"login failed: (?P<same>(?:登录失败|浏览器|页面内容).*)", "{same}", "{same}"),
    (r"login failed: (?P<rest>login failed: .*)", "{rest}", "{rest}"),
    (r"login failed: (?P<rest>.+)", "登录失败：{rest}", "login failed: {rest}"),
    (r"the shop said “(?P<msg>.*)”", "网站提示“{msg}”", "the shop said “{msg}”"),
    (r"still on the login form.*", "提交后仍停留在登录表单", "still on the login form"),
    (r"no login form found.*", "没有找到登录表单", "no login form was found"),
    (r"login form disappeared.*", "登录表单在填写前消失了", "the login form disappeared before it could be filled"),
    (r"login form has no username field", "登录表单没有用户名输入框", "the login form has no user-name field"),
    (r"login outcome unclear.*", "无法判断是否登录成功", "could not tell whether the login worked"),
    (r"login error: .*", "登录过程出错", "the login raised an error"),
    (r"saved session loaded but .*", "已载入保存的登录状态，但网站仍显示登录入口（可能已过期）",
     "the saved session was loaded but the shop shows a login form (expired?)"),
    (r"saved session loaded; could not tell.*", "已载入保存的登录状态，无法判断是否仍有效",
     "the saved session was loaded; could not tell whether it is still valid"),
)
_COMPILED = tuple((re.compile(p, re.S), zh, en) for p, zh, en in _TABLE)

# words for values a pattern copies that are themselves English
_VALUE_ZH = {"stage": {"judging": "分析", "browser stage": "浏览器检测", "crawl": "抓取"},
             "why": {"time budget reached": "时间预算已用完", "search error": "查找出错"},
             "which": {"either scan": "两次检测都", "the old scan": "旧的检测", "the new scan": "新的检测"}}


def explain(reason: str | None) -> Explained:
    """``reason`` in zh and en; parts joined with "; " are explained one by one."""
    raw = str(reason or "").strip()
    if not raw:
        return Explained("", "", "", True)
    whole = _one(raw)
    parts = [p for p in re.split(r";\s+", raw) if p]
    if whole.known or len(parts) < 2:
        return whole
    done = [_one(p) for p in parts]
    return Explained("；".join(d.zh for d in done), "; ".join(d.en for d in done), raw,
                     all(d.known for d in done))


def _one(raw: str) -> Explained:
    for pattern, zh, en in _COMPILED:
        m = pattern.fullmatch(raw)
        if not m:
            continue
        values = {k: v or "" for k, v in m.groupdict().items()}
        known = True
        zh_values = dict(values)
        for key, words in _VALUE_ZH.items():
            if key in values:
                zh_values[key + "_zh"] = words.get(values[key], values[key])
        if "rest" in values:
            inner = _one(values["rest"])
            zh_values["rest"], values["rest"], known = inner.zh, inner.en, inner.known
        return Explained(zh.format(**zh_values), en.format(**values), raw, known)
    # not in the table: already plain words (zh, a number, a URL), or a detail to quote
    return Explained(raw, raw, raw, not _has_latin_words(raw))


_LATIN_RUN = re.compile(r"[A-Za-z]{2,}(?:[\s,:;()'’-]+[A-Za-z]{2,}){2,}")


def _has_latin_words(text: str) -> bool:
    """Three or more English words in a row (a sentence, not a URL, a flag id or a brand)."""
    return bool(_LATIN_RUN.search(re.sub(r"\S*[/_.=]\S*", " ", text)))
