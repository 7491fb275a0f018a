"""Screenshots of a logged-in page that shows the password back in ways a per-text-node
search misses (red team): inside a shadow root, one character per span, in an input's
placeholder, printed by a stylesheet from an attribute (::before content: attr()), and in
an iframe.  The password is drawn in pure green, a colour nothing else on the page uses:
every evidence PNG must have no green pixel left (the masking layer covers them)."""
from __future__ import annotations

import html
import os
import secrets as random_secrets
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from redteam_net import RedShop, page

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[2]
GREEN = "color:#00ff00;font-size:28px;font-weight:bold"


def green_pixels(png: bytes) -> int:
    """Pixels of pure-ish green in an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes)."""
    pos, idat, width, height, ctype = 8, b"", 0, 0, 2
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, _, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
    bpp = {2: 3, 6: 4}[ctype]
    raw, stride, prev, count, i = zlib.decompress(idat), width * bpp, bytearray(width * bpp), 0, 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        count += sum(1 for x in range(0, stride, bpp) if line[x] < 60 and line[x + 1] > 200 and line[x + 2] < 60)
        prev = line
    return count


def shown_back(password: str) -> str:
    e = html.escape(password)
    return (f'<div id="card"></div><script>document.getElementById("card").attachShadow({{mode:"open"}})'
            f'.innerHTML = \'<p style="{GREEN}">{e}</p>\';</script>'
            + "<p>" + "".join(f'<span style="{GREEN}">{html.escape(c)}</span>' for c in password) + "</p>"
            + f'<p><input style="{GREEN};width:520px" placeholder="{e}"></p>'
            + f'<style>.echo::before{{content:attr(data-echo);{GREEN}}}</style><p class="echo" data-echo="{e}"></p>'
            + f'<iframe width="560" height="70" style="border:0" srcdoc="&lt;p style=&quot;{GREEN}&quot;&gt;{e}&lt;/p&gt;"></iframe>')


def shop_pages(state: dict) -> dict:
    nav = '<nav><a href="/">首页</a> <a href="/login">登录</a> <a href="/user/orders">我的订单</a></nav>'
    form = ('<form method="post" action="/login"><label>账号</label><input name="account"><label>密码</label>'
            '<input name="pwd" type="password"><button type="submit">登录</button></form>')

    def login(request):
        if request["method"] == "POST":
            state["typed"] = request["form"].get("pwd", "")
            return 302, {"Location": "/user/orders", "Set-Cookie": "sid=c0ffee0123456789abcdef; Path=/"}, ""
        return page("会员登录", nav + form)

    def orders(request):
        if "sid=" not in (request["headers"].get("Cookie") or ""):
            return 302, {"Location": "/login"}, ""
        return page("我的订单", nav + "<p>请牢记您的登录密码：</p>" + shown_back(state.get("typed", ""))
                    + '<table><tr><td>订单 20251207001 爱奇艺黄金会员月卡</td><td><a href="/user/refund/1">申请退款</a></td></tr></table>')

    return {"/": lambda r: page("红叶卡铺 - 自动发卡", nav + "<p>爱奇艺黄金会员 月卡 ¥19.80</p><p>售后请登录后在我的订单中申请退款。</p>"),
            "/login": login, "/user/orders": orders,
            "/user/refund/1": lambda r: page("申请退款", nav + shown_back(state.get("typed", ""))
                                             + "<form><textarea name=why></textarea><button>提交退款申请</button></form>")}


def test_no_screenshot_shows_the_password_however_the_page_draws_it(tmp_path):
    password = "Pw" + random_secrets.token_hex(6)
    state: dict = {}
    env = dict(os.environ, PYTHONPATH=str(REPO), RT_MASK_PW=password)
    with RedShop(shop_pages(state)) as shop:
        run = subprocess.run([sys.executable, "-m", "cardshop_auditor.cli", "scan", shop.url("/"), "--out", str(tmp_path / "out"),
                              "--browser", "always", "--timeout", "5", "--time-budget", "25", "--max-pages", "6",
                              "--username", "member" + random_secrets.token_hex(3), "--password-env", "RT_MASK_PW"],
                             cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
    assert state.get("typed") == password, run.stderr[-2000:]
    shots = {p.name: green_pixels(p.read_bytes()) for p in (tmp_path / "out").rglob("*.png")}
    assert "refund-entry.png" in shots, (shots, run.stderr[-2000:])     # the logged-in page was shot
    assert all(n == 0 for n in shots.values()), shots
