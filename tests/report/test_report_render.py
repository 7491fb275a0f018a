"""report.html / index.html without a browser: escaping, links, CSP, files written."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cardshop_auditor import report as rep
from cardshop_auditor.report import render
from cardshop_auditor.report import (index_entry, render_html, render_index, safe_href, safe_relpath, validate_report,
                            write_reports)
from report_factory import failed_report, make_report, payloads

BASE = "http://127.0.0.1:8000/"
PWN = "http://127.0.0.1:9/pwned"


class Tags(HTMLParser):
    """Every start tag with its attributes, plus the text of <style> and <title>."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.style = ""
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.style += data

    def of(self, name):
        return [a for t, a in self.tags if t == name]


@pytest.fixture(scope="module")
def hostile_html(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    report = make_report(BASE, hostile=True, pwn_url=PWN, report_dir=d)
    return render_html(report)


@pytest.fixture(scope="module")
def plain_html(tmp_path_factory):
    d = tmp_path_factory.mktemp("plain")
    return render_html(make_report(BASE, report_dir=d))


# ---------------------------------------------------------------- helpers

@pytest.mark.parametrize("url,expected", [
    ("http://shop.example/a?b=1", "http://shop.example/a?b=1"),
    ("HTTPS://Shop.Example/", "HTTPS://Shop.Example/"),
    ("  https://x.example/  ", "https://x.example/"),
    ("javascript:alert(1)", None),
    (" JaVaScRiPt:alert(1)", None),
    ("java\tscript:alert(1)", None),
    ("java\nscript:alert(1)", None),
    ("jav&#x09;ascript:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("vbscript:msgbox(1)", None),
    ("//evil.example/x", None),
    ("/relative/path", None),
    ("http://", None),
    ("http:///nohost", None),
    ("http://exa mple.com/", None),
    ("http://[::1", None),
    ("http://x.example:99999/", None),
    ("ftp://x.example/", None),
    ("mailto:a@b.c", None),
    (None, None), (42, None), ("", None),
])
def test_safe_href(url, expected):
    assert safe_href(url) == expected


@pytest.mark.parametrize("url,label", [
    ("http://shop.example/goods/3?x=1#top", "shop.example/goods/3?x=1"),
    ("http://shop.example/#/18/detail", "shop.example/#/18/detail"),      # an app's route is its page
    ("http://shop.example/#/", "shop.example/"), (None, "")])
def test_short_url_keeps_an_apps_route(url, label):
    assert rep.short_url(url) == label


@pytest.mark.parametrize("path,expected", [
    ("evidence/refund-entry.png", "evidence/refund-entry.png"),
    ("./evidence/a_1.PNG", "evidence/a_1.PNG"),
    ("../secret.png", None), ("evidence/../../x.png", None), ("evidence/..png", None),
    ("/etc/passwd", None), ("evidence//x.png", None), ("evidence\\x.png", None),
    ("javascript:alert(1)", None), ("http://x.example/a.png", None), ("C:/x.png", None),
    ("evidence/x y.png", None), ("evidence/%2e%2e/x.png", None), (".hidden.png", None),
    ("evidence/x.png?a=1", None), ("", None), (None, None),
])
def test_safe_relpath(path, expected):
    assert safe_relpath(path) == expected


def test_safe_relpath_extension_filter():
    assert safe_relpath("evidence/a.png", rep.IMAGE_EXTS) == "evidence/a.png"
    assert safe_relpath("evidence/a.svg", rep.IMAGE_EXTS) is None
    assert safe_relpath("evidence/a.html", rep.IMAGE_EXTS) is None


def test_autoescape_is_on_for_every_template_name():
    env = render.environment()
    assert env.autoescape is not False
    for name in ("report.html.j2", "index.html.j2", "anything.txt", "noext", None):
        assert env.autoescape(name) is True


# ---------------------------------------------------------------- hostile text

def test_hostile_text_is_escaped(hostile_html):
    p = payloads(PWN)
    assert "<script" not in hostile_html.lower()
    assert "&lt;script&gt;fetch(" in hostile_html
    parsed = Tags(hostile_html)
    for tag, attrs in parsed.tags:
        assert not [a for a in attrs if a.lower().startswith("on")], (tag, attrs)
        assert tag not in ("script", "iframe", "object", "embed", "form", "base", "meta-refresh"), tag
    # the only <svg> is the score ring, with no event handler and no script
    assert len(parsed.of("svg")) == 1
    assert "{{ 7*7 }}" in hostile_html  # template syntax in data is text, never evaluated
    assert "京ICP备&lt;b onmouseover=" in hostile_html
    assert p["long"][:50] in hostile_html


def test_only_http_links_are_clickable(hostile_html):
    parsed = Tags(hostile_html)
    hrefs = [a.get("href") for a in parsed.of("a")]
    assert hrefs, "expected links"
    for attrs in parsed.of("a"):
        href = attrs["href"]
        lowered = re.sub(r"\s", "", href).lower()
        assert not lowered.startswith(("javascript:", "data:", "vbscript:")), href
        if href.startswith("#"):
            continue
        if re.match(r"https?://", href):
            assert safe_href(href) == href
            assert set(attrs.get("rel", "").split()) >= {"noopener", "noreferrer"}, attrs
        else:
            assert safe_relpath(href) == href, href  # evidence images only
    # the javascript: URLs are still shown, as text
    assert "javascript:alert(1)" in hostile_html


def test_images_are_relative_evidence_paths_only(hostile_html):
    parsed = Tags(hostile_html)
    imgs = parsed.of("img")
    assert imgs
    for attrs in imgs:
        assert safe_relpath(attrs["src"], rep.IMAGE_EXTS) == attrs["src"]
        assert attrs["src"].startswith("evidence/")
        assert attrs.get("alt")
        assert attrs.get("loading") == "lazy"
    assert "passwd" not in " ".join(a["src"] for a in imgs)
    assert "secret.png" not in " ".join(a["src"] for a in imgs)


def test_unsafe_screenshot_path_renders_as_a_note_not_an_image():
    report = make_report(BASE)
    report["findings"]["refund_entry"]["screenshot"] = "../../etc/passwd.png"  # bypassing build_report
    report["evidence"] = [{"path": "/etc/shadow.png", "sha256": "", "kind": "screenshot", "caption": "x"},
                          {"path": "javascript:alert(1)//.png", "sha256": "", "kind": "screenshot", "caption": "y"}]
    html = render_html(report)
    assert "<img" not in html
    assert "截图路径不安全" in html


# ---------------------------------------------------------------- self-contained + CSP

def test_csp_pins_the_inlined_stylesheet(plain_html):
    parsed = Tags(plain_html)
    metas = [m for m in parsed.of("meta") if m.get("http-equiv", "").lower() == "content-security-policy"]
    assert len(metas) == 1
    csp = metas[0]["content"]
    digest = base64.b64encode(hashlib.sha256(parsed.style.encode("utf-8")).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in csp
    for directive in ("default-src 'none'", "img-src 'self' data:", "script-src 'none'", "base-uri 'none'",
                      "form-action 'none'"):
        assert directive in csp
    assert len(parsed.of("style")) == 1
    assert plain_html.index("Content-Security-Policy") < plain_html.index("<style>")


def test_no_external_resources(plain_html, hostile_html):
    for html in (plain_html, hostile_html):
        parsed = Tags(html)
        assert not parsed.of("script") and not parsed.of("iframe")
        for attrs in parsed.of("link"):
            assert attrs.get("href", "").startswith("data:"), attrs
        for tag, attrs in parsed.tags:
            assert "style" not in attrs, (tag, attrs)  # inline styles would need 'unsafe-inline'
            if tag != "a":
                for name in ("src", "href", "srcset", "action", "poster", "data"):
                    value = attrs.get(name)
                    assert value is None or not re.match(r"\s*(https?:)?//", value), (tag, attrs)
        assert "@import" not in parsed.style and "url(" not in parsed.style


def test_accessibility_basics_in_markup(plain_html):
    parsed = Tags(plain_html)
    html_tag = parsed.of("html")[0]
    assert html_tag["lang"] == "zh-CN"
    levels = [int(t[1]) for t, _ in parsed.tags if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    for landmark in ("header", "nav", "main", "footer"):
        assert parsed.of(landmark), landmark
    for attrs in parsed.of("th"):
        assert attrs.get("scope") in ("row", "col")
    assert parsed.of("meta") and any(m.get("name") == "viewport" for m in parsed.of("meta"))


# ---------------------------------------------------------------- content

def test_sections_and_verdict_render(plain_html):
    for text in ("透明度得分", "高风险", "高风险：不建议在这家店购买", "最需要注意的问题", "买家应该怎么做",
                 "备案与资质", "用户协议退款条款", "退款入口", "联系方式", "风险信号", "全部检查项", "检测信息",
                 "粤ICP备2021012345号-1", "✗ 无效", "一律不退款", "手续费 15%", "申请退订", "800012345",
                 "GB 32100-2015", "cardshop-auditor 0.1.0", "2025-03-14T09:26:53+08:00", "gbk"):
        assert text in plain_html, text
    assert '<span class="num">61</span>' in plain_html


def test_every_check_is_listed_with_status_text(tmp_path):
    report = make_report(BASE, report_dir=tmp_path)
    html = render_html(report)
    for check in report["checks"]:
        assert check["title"] in html and check["id"] in html
    for word in ("未通过", "需注意", "通过", "不适用", "检测出错"):
        assert word in html
    assert "check crashed" in html  # reason for the error row


def test_english_rendering(tmp_path):
    report = make_report(BASE, lang="en", report_dir=tmp_path)
    html = render_html(report, lang="en")
    assert '<html lang="en">' in html
    for text in ("Transparency score", "High risk", "What a buyer should do", "Filings and licences",
                 "Refund terms in the user agreement", "Blanket no-refund", "All checks"):
        assert text in html, text


def test_failed_report_renders_reason_without_findings_sections():
    html = render_html(failed_report())
    assert "无法完成检测" in html and "connection_refused" in html and "连接被拒绝" in html
    assert 'id="identity"' not in html and 'id="refund"' not in html
    assert 'id="about"' in html and "无法评分" in html


def test_write_reports_is_atomic_and_valid(tmp_path):
    report = make_report(BASE, report_dir=tmp_path)
    paths = write_reports(report, tmp_path)
    assert paths == {"json": tmp_path / "report.json", "html": tmp_path / "report.html"}
    validate_report(json.loads(paths["json"].read_text("utf-8")))
    assert paths["html"].read_text("utf-8").startswith("<!DOCTYPE html>")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_write_reports_refuses_an_invalid_report(tmp_path):
    report = make_report(BASE)
    report["risk"]["level"] = "catastrophic"
    with pytest.raises(rep.ReportValidationError):
        write_reports(report, tmp_path / "out")
    assert not (tmp_path / "out" / "report.json").exists()


def test_real_judge_report_renders(tmp_path):
    """Whatever checks exist right now, their rows render and validate."""
    report = make_report(BASE, real_checks=True, report_dir=tmp_path)
    write_reports(report, tmp_path)
    assert "全部检查项" in (tmp_path / "report.html").read_text("utf-8")


# ---------------------------------------------------------------- index

def test_render_index(tmp_path):
    high = make_report(BASE)
    hostile = make_report("http://127.0.0.1:8001/", hostile=True, pwn_url=PWN)
    entries = [index_entry(failed_report(), "down/report.html"), index_entry(high, "shop-a/report.html"),
               {**index_entry(hostile, "shop-b/report.html"), "name": payloads(PWN)["script"]},
               {"host": "evil", "href": "javascript:alert(1)", "risk": "low", "score": 99, "flags": []}]
    out = render_index(entries, tmp_path)
    assert out == tmp_path / "index.html"
    html = out.read_text("utf-8")
    parsed = Tags(html)
    hrefs = [a["href"] for a in parsed.of("a")]
    assert "shop-a/report.html" in hrefs and "shop-b/report.html" in hrefs and "down/report.html" in hrefs
    assert not any("javascript" in h for h in hrefs)
    assert "<script" not in html.lower()
    assert "高风险" in html and "61" in html and "含有" not in html
    assert "“一经售出概不退换”类条款" in html  # flag names
    assert "未能完成检测" in html
    # highest risk first
    assert html.index("shop-a/report.html") < html.index("evil")


def test_templates_load_through_the_package(monkeypatch, tmp_path):
    """No path is built from the working directory: rendering works from anywhere."""
    monkeypatch.chdir(tmp_path)
    render.environment.cache_clear()
    render.stylesheet.cache_clear()
    rep.load_schema.cache_clear()
    validate_report(make_report(BASE))
    assert "<!DOCTYPE html>" in render_html(make_report(BASE))
    assert Path.cwd() == tmp_path
