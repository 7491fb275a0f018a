"""Red-team secret leaks (shops written independently of fixtures/hostile/login_leaks.py).

One real `cardshop-audit scan --browser always` against a shop whose failed login answers
with the typed password padded so that every place the auditor *cuts* a text (a dialog's
first 120 characters, a label, a title) ends inside the password; in the page title, an
``alert()``, two cookies (URL-encoded and base64), and a script that sends the browser on
to ``/login?e=`` + encodeURIComponent(password) + ``&raw=`` + password (pasted raw: Chromium
percent-encodes only what the URL standard says, a form no encoder function writes).  The password mixes regex metacharacters,
a backslash, a run of two spaces (a browser's innerText and our labels make it one), CJK
and an emoji.

Every byte under the output directory, the SQLite history (with -wal / -shm), stdout and
stderr is searched for the password, its encodings, its whitespace-collapsed form and its
first 12 characters (a cut text shows a secret's head)."""
from __future__ import annotations

import base64
import html
import json
import os
import secrets as random_secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from redteam_net import RedShop, page

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[2]
PAD = "尊敬的会员您好，" + "系统安全提示" * 16          # 104 characters before the password

NAV = '<nav><a href="/">首页</a> <a href="/agreement.html">用户协议</a> <a href="/login">登录</a></nav>'
FORM = ('<form method="post" action="/login"><label for="u">手机号/账号</label><input id="u" name="account" '
        'type="text"><label for="p">登录密码</label><input id="p" name="pwd" type="password">'
        '<button type="submit">立即登录</button></form>')


def shop_pages() -> dict:
    def login(request):
        if request["method"] != "POST":
            note = "<p class='tip'>账号或密码错误，请重试</p>" if request["query"].get("e") else ""
            return page("会员登录 - 晨光卡铺", NAV + note + FORM)
        typed = request["form"].get("pwd", "")
        shown = PAD + typed
        script = (f"<script>alert({json.dumps(shown, ensure_ascii=False)});"
                  f"var typed={json.dumps(typed, ensure_ascii=False)};"
                  # encoded once as it should be, once pasted raw (the browser canonicalises it)
                  "setTimeout(function(){location.href='/login?e='+encodeURIComponent(typed)+'&raw='+typed;}, 150);"
                  "</script>")
        status, headers, body = page(html.escape(shown), NAV + f'<p class="err">{html.escape(shown)}</p>' + FORM + script)
        cookies = [f"remember={quote(typed, safe='')}; Path=/",
                   f"last={base64.b64encode(typed.encode()).decode()}; Path=/"]
        return status, {"Set-Cookie": cookies}, body

    return {"/": lambda r: page("晨光卡铺 - 自动发卡", NAV + "<p>爱奇艺黄金会员 月卡 ¥19.80</p>"
                                "<p>售后问题请登录后在订单详情中申请。</p>"),
            "/agreement.html": lambda r: page("用户协议", NAV + "<p>虚拟商品卡密一经提取，概不退换。</p>"),
            "/login": login}


def forms_of(username: str, password: str) -> dict[str, bytes]:
    collapsed = " ".join(password.split())
    forms = {"password": password, "collapsed": collapsed, "head": password[:12],
             "url": quote(password, safe=""), "url+": quote_plus(password),
             "encodeURIComponent": quote(password, safe="!'()*-._~"),
             "html": html.escape(password), "json": json.dumps(password)[1:-1],
             "json-utf8": json.dumps(password, ensure_ascii=False)[1:-1],
             "b64": base64.b64encode(password.encode()).decode(), "username": username,
             # what Chromium makes of it pasted raw into a query: space " < > ' and non-ASCII escaped
             "query (URL standard)": quote(password, safe="!$%&()*+,-./:;=?@[\\]^_`{|}~")}
    return {k: v.encode("utf-8") for k, v in forms.items()}


def test_a_shop_that_cuts_and_reencodes_the_password_gets_none_of_it_published(tmp_path):
    username = "member" + random_secrets.token_hex(4)
    password = f"Mi{random_secrets.token_hex(5)}.*+?[(|^$\\  密钥🔑{random_secrets.token_hex(3)}"
    out, db = tmp_path / "out", tmp_path / "db" / "history.db"
    db.parent.mkdir()
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1", RT_SHOP_PW=password)
    env.pop("CARDSHOP_DEBUG", None)
    with RedShop(shop_pages()) as shop:
        run = subprocess.run(
            [sys.executable, "-m", "cardshop_auditor.cli", "scan", shop.url("/"), "--out", str(out), "--db", f"sqlite:///{db}",
             "--browser", "always", "--max-pages", "6", "--timeout", "5", "--time-budget", "25",
             "--username", username, "--password-env", "RT_SHOP_PW"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
        posts = [h for h in shop.hits if h[0] == "POST"]
    context = f"exit {run.returncode}\n{run.stderr[-2500:]}"
    assert run.returncode in (0, 1) and "Traceback" not in run.stderr, context
    assert posts, "the auditor never typed the password: nothing was tested\n" + context

    forms = forms_of(username, password)
    found = []
    files = [p for p in out.rglob("*") if p.is_file()] + list(db.parent.glob(db.name + "*"))
    assert any(p.name == "report.json" for p in files)
    for path in files:
        blob = path.read_bytes()
        found += [f"{name} in {path.name}" for name, needle in forms.items() if needle in blob]
    for name, stream in (("stdout", run.stdout), ("stderr", run.stderr)):
        found += [f"{k} in {name}" for k, needle in forms.items() if needle in stream.encode()]
    assert found == [], context
