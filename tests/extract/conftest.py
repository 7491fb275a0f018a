"""Helpers for the extractor tests: build pages and small artifact sets from HTML snippets."""
from __future__ import annotations

import pytest

from cardshop_auditor.artifacts import Page, ShopArtifacts, ShopMeta

BASE = "http://shop.test"


def page(path: str, html: str, depth: int = 1, link_text: str = "", status: int = 200,
         final: str | None = None, error: str | None = None) -> Page:
    url = BASE + path
    return Page(url=url, final_url=BASE + final if final else url, status=status, html=html,
                depth=depth, link_text=link_text, error=error)


def shop(*pages: Page, target: str = BASE + "/", errors: list[str] | None = None) -> ShopArtifacts:
    return ShopArtifacts(meta=ShopMeta(target=target, final_url=target, errors=errors or []),
                         pages=list(pages))


def html(body: str, title: str = "测试卡盟", head: str = "") -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
            f"<body>{body}</body></html>")


@pytest.fixture
def mk():
    """``mk.page``, ``mk.shop``, ``mk.html`` in one fixture."""
    class _Mk:
        pass
    m = _Mk()
    m.page, m.shop, m.html, m.BASE = page, shop, html, BASE
    return m
