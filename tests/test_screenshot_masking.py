"""Screenshots cover the run's secrets (auditor/browser/masking.py): an account name a
logged-in page greets the user with, a password a hostile page repeats, a password box a
page turned into a text box.  Checked on pixels: the covered region of the shot is one
flat colour, byte for byte the same PNG as a flat #333 region of that size."""
from __future__ import annotations

import pytest

from cardshop_auditor import secrets
from cardshop_auditor.browser.masking import LAYER_ID, mask_secrets, unmask

pytestmark = pytest.mark.browser

PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
body{margin:0;font:20px sans-serif;background:#fff} p{margin:20px}</style></head><body>
<p>欢迎您，<span id="who">buyer7f3a9c</span> ｜ <a href="/logout">退出</a></p>
<p id="echo">用户 buyer7f3a9c 的密码 Kp1e2d3c!# 错误</p>
<input id="shown" type="text" value="Kp1e2d3c!#" style="margin:20px;width:200px">
<input id="hidden" type="password" value="Kp1e2d3c!#" style="margin:20px;width:200px">
</body></html>"""


def region(page, selector: str) -> dict:
    box = page.locator(selector).bounding_box()
    return {"x": box["x"] + 1, "y": box["y"] + 1, "width": box["width"] - 2, "height": box["height"] - 2}


def flat(page, clip: dict) -> bytes:
    """The PNG of a flat #333 region of that size, drawn by the same browser."""
    page.set_content('<body style="margin:0;background:#333"></body>')
    return page.screenshot(clip=clip)


def test_secrets_are_covered_in_screenshots_and_the_page_is_left_as_it_was(page):
    secrets.register_credentials("buyer7f3a9c", "Kp1e2d3c!#")
    page.set_viewport_size({"width": 800, "height": 400})
    page.set_content(PAGE)
    name, field = region(page, "#who"), region(page, "#shown")
    plain = page.screenshot(clip=name)
    html_before = page.content()        # (after a first shot: Playwright's own styling settles)
    assert mask_secrets(page) == 4                # the name twice, the echoed password, the text box
    covered_name, covered_field = page.screenshot(clip=name), page.screenshot(clip=field)
    assert page.locator("#who").inner_text() == "buyer7f3a9c"      # the text itself untouched
    unmask(page)
    assert page.locator(f"#{LAYER_ID}").count() == 0 and page.content() == html_before
    assert page.screenshot(clip=name) == plain
    assert covered_name != plain
    assert covered_name == flat(page, name)
    assert covered_field == flat(page, field)


def test_nothing_registered_nothing_drawn(page):
    page.set_content(PAGE)
    assert mask_secrets(page) == 0 and page.locator(f"#{LAYER_ID}").count() == 0


def test_element_shots_are_covered_too(page):
    from cardshop_auditor.browser.masking import element_screenshot
    page.set_content('<div id="m" style="padding:20px;width:300px">尊敬的 buyer7f3a9c，购买前请阅读退款规则</div>')
    plain = element_screenshot(page, "#m", 3000)
    secrets.register_credentials("buyer7f3a9c", "Kp1e2d3c!#")
    covered = element_screenshot(page, "#m", 3000)
    assert covered != plain and page.locator(f"#{LAYER_ID}").count() == 0
