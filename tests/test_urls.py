"""One URL identity (cardshop_auditor.urls): what each key calls the same, that the fast
path resolves as urljoin does, and that no other module decides URL identity again."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cardshop_auditor import urls

ROOT = Path(__file__).resolve().parents[1]
BASE = "http://127.0.0.1:8000/goods/list.html?cat=2"


def test_normalise():
    assert urls.normalise("HTTPS://Shop.Example.cn:443/a?b=1#c") == "https://shop.example.cn/a?b=1"
    assert urls.normalise("http://shop.example.cn") == "http://shop.example.cn/"
    assert urls.normalise("http://shop.example.cn:8080/x") == "http://shop.example.cn:8080/x"
    assert urls.normalise("http://shop.example.cn:99999/") == "http://shop.example.cn/"    # a port that cannot be
    for not_a_page in ("ftp://x/", "", None, "mailto:kf@shop.cn", "/relative"):
        assert urls.normalise(not_a_page) is None


@pytest.mark.parametrize("href", [
    "/buy/1", "/buy/1#pay", "/help/../refund.html", "/a/./b", "/a b", "/a\tb", "/q?", "/q?x=1&y=2",
    "//cdn.example.cn/x", "/\\evil", "refund.html", "../up", "?page=2", "#top", "", "  /trim  ",
    "javascript:void(0)", "tencent://message/?uin=800012345", "HTTP://127.0.0.1:8000/Caps",
    "https://other.example.cn:443/", "http://127.0.0.1:8000"])
def test_the_fast_path_resolves_as_urljoin_does(href):
    """``resolve`` with the page's origin (the crawler's and the parser's hot path) gives what
    ``absolute`` (urljoin, then normalise) gives, for every shape of href."""
    expected = urls.absolute(BASE, href)
    assert urls.resolve(BASE, href.strip(), urls.origin(BASE)) == expected
    assert urls.resolve(BASE, href.strip()) == expected


def test_origin_and_the_crawlers_links():
    from cardshop_auditor.spiders.links import normalise_link

    assert urls.origin("HTTP://Shop.Example.cn:80/a/b?c") == "http://shop.example.cn"
    assert urls.origin("mailto:x") is None
    assert normalise_link(BASE, "/about.html#team") == "http://127.0.0.1:8000/about.html"
    assert normalise_link(BASE, "/logo.png") is None                    # not a page
    assert normalise_link(BASE, "javascript:;") is None


def test_visit_key_page_key_path_key():
    assert urls.visit_key("http://Shop.cn/user/orders/#top") == urls.visit_key("http://shop.cn/user/orders")
    assert urls.visit_key("http://shop.cn/#/goods/3") != urls.visit_key("http://shop.cn/#/goods/4")
    assert urls.page_key("http://shop.cn/index.php") == urls.page_key("http://SHOP.cn/")
    assert urls.path_key("http://127.0.0.1:8000/terms?v=2") == urls.path_key("http://127.0.0.1:9000/terms?v=2")
    assert urls.path_key(None) == ""


def test_hosts_and_sites():
    assert urls.host_key("http://Shop.Example.cn/") == "shop.example.cn"
    assert urls.host_key("https://shop.example.cn:443/a") == "shop.example.cn"
    assert urls.host_key("http://127.0.0.1:8080/") == "127.0.0.1:8080"
    assert urls.same_host("http://shop.cn/a", "http://SHOP.cn:80/b")
    assert not urls.same_host("http://shop.cn/", "http://shop.cn:8080/")
    assert not urls.same_host("http://shop.cn/", None)
    assert urls.same_site("http://www.shop.cn/", "https://m.shop.cn/")
    assert not urls.same_site("http://a.github.io/", "http://b.github.io/")
    assert not urls.same_site("http://127.0.0.1:8000/", "http://127.0.0.1:8001/")


def test_target_url():
    assert urls.target_url("shop.example.cn") == "http://shop.example.cn/"
    assert urls.target_url(" https://shop.example.cn/m/ ") == "https://shop.example.cn/m/"
    for bad in ("ftp://shop.example.cn/", "http://", "http://shop\u202e.cn/"):
        with pytest.raises(ValueError):
            urls.target_url(bad)


# functions that decided URL identity in their own modules before; only urls.py may define them
IDENTITY_NAMES = {"normalise_url", "normalise_target_url", "canonical_url", "site_key", "same_site", "same_host",
                  "host_key", "page_key", "_page_key", "visit_key", "absolute_url", "origin_of", "_origin"}


def test_no_other_module_decides_url_identity():
    defined = []
    for folder in ("auditor", "spiders", "checks"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == ROOT / "auditor" / "urls.py":
                continue
            tree = ast.parse(path.read_text("utf-8"))
            defined += [f"{path.relative_to(ROOT)}:{node.name}" for node in ast.walk(tree)
                        if isinstance(node, ast.FunctionDef) and node.name in IDENTITY_NAMES]
    assert defined == []
