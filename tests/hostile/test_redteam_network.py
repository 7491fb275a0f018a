"""Red-team network steering (written independently of tests/network/): a shop on
127.0.0.1 that points the crawler and the browser at "the other network" — a listener on
127.0.0.2 — and at another port of its own address, in every spelling a URL parser might
let through: decimal / hex / octal / short IPv4, IPv4-mapped IPv6, a trailing dot, a
user-info prefix naming the shop, ``localhost`` and ``0`` / ``0.0.0.0``.

Vectors: links, a 302, a 307 to a protocol-relative URL, a meta refresh and a Refresh
header, Link preload/preconnect headers, robots.txt Sitemap lines, ``<base href>``, images, iframes, stylesheets and CSS ``@import`` /
``url()``, ``<link rel=preconnect/prefetch/dns-prefetch>``, fetch, WebSocket, sendBeacon,
EventSource, window.open, a service worker, an auto-submitted cross-origin form.  The
listeners count TCP connections (accepted sockets, before any byte is read): zero in the
crawler and in the browser stage."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from redteam_net import OTHER_IP, RedShop, Trap, other_loopback_usable, page

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not other_loopback_usable(), reason="127.0.0.2 cannot be bound here")


def spellings(p: int, q: int) -> list[str]:
    """URLs meaning 127.0.0.2:p (the other network) or 127.0.0.1:q (another port of the shop's address)."""
    return [f"http://{OTHER_IP}:{p}/a", f"http://2130706434:{p}/b", f"http://0x7f000002:{p}/c",
            f"http://0177.0.0.2:{p}/d", f"http://127.2:{p}/e", f"http://[::ffff:127.0.0.2]:{p}/f",
            f"http://[::ffff:7f00:2]:{p}/g", f"http://127.0.0.2.:{p}/h", f"http://127.0.0.1:{q}@127.0.0.2:{p}/i",
            f"http://127.0.0.1:{q}/j", f"http://localhost:{q}/k", f"http://0:{q}/l", f"http://0.0.0.0:{q}/m"]


def hostile_pages(targets: list[str]) -> dict:
    links = " ".join(f'<a href="{t}">商品 {i}</a>' for i, t in enumerate(targets))
    embeds = "".join(f'<img src="{t}i.png" alt=""><iframe src="{t}f" width="20" height="20"></iframe>' for t in targets)
    head = "".join(f'<link rel="preconnect" href="{t}"><link rel="prefetch" href="{t}pf">'
                   f'<link rel="dns-prefetch" href="{t}"><link rel="stylesheet" href="{t}s.css">' for t in targets)
    css = ("<style>" + "".join(f"@import url('{t}imp.css');" for t in targets[:3])
           + "".join(f".bg{i}{{background:url('{t}bg.png')}}" for i, t in enumerate(targets)) + "</style>"
           + "".join(f'<div class="bg{i}">·</div>' for i in range(len(targets))))
    calls = "".join(
        f"try{{fetch({json.dumps(t + 'x')},{{mode:'no-cors'}}).catch(function(){{}});}}catch(e){{}}"
        f"try{{new WebSocket({json.dumps(t.replace('http', 'ws', 1) + 'ws')});}}catch(e){{}}"
        f"try{{navigator.sendBeacon({json.dumps(t + 'b')},'x');}}catch(e){{}}"
        f"try{{new EventSource({json.dumps(t + 'es')});}}catch(e){{}}"
        f"try{{window.open({json.dumps(t + 'pop')});}}catch(e){{}}" for t in targets)
    script = (f"<script>{calls}try{{navigator.serviceWorker.register('/sw.js');}}catch(e){{}}"
              "setTimeout(function(){document.getElementById('f').submit();},300);</script>")
    form = f'<form id="f" action="{targets[0]}post" method="post"><input name="q" value="查询"></form>'
    body = ("<h1>星河卡铺</h1><p>网易一卡通 50元 ¥48.50</p>" + links + embeds + css + form
            + '<a href="/more">更多商品</a> <a href="/agreement.html">用户协议</a>' + script)
    other = targets[0].rsplit("/", 1)[0]          # http://127.0.0.2:P
    headers = {"Link": f"<{other}/pre.css>; rel=preload; as=style, <{other}/>; rel=preconnect",
               "Refresh": f"3;url=//{other.split('//', 1)[1]}/hdr"}
    body += ('<a href="/hop307">活动</a> <a href="/refresh-header">公告</a> <a href="/based">帮助</a>'
             f'<a href="//{other.split("//", 1)[1]}/proto">合作</a>')

    def home(request):
        status, _, html = page("星河卡铺 - 自动发卡", body, head)
        return status, headers, html

    return {
        "/": home,
        "/robots.txt": lambda r: (200, {"Content-Type": "text/plain"},
                                  f"User-agent: *\nAllow: /\nSitemap: {other}/sitemap.xml\nSitemap: {targets[9]}sm.xml\n"),
        "/hop307": lambda r: (307, {"Location": f"//{other.split('//', 1)[1]}/a307"}, ""),
        "/refresh-header": lambda r: (200, {"Refresh": f"0;url={targets[3]}rf"}, page("公告", "<p>系统维护</p>")[2]),
        "/based": lambda r: page("帮助", '<a href="rel-link">常见问题</a><img src="rel.png" alt="">', f'<base href="{other}/">'),
        "/more": lambda r: (302, {"Location": targets[1]}, ""),
        "/agreement.html": lambda r: page("用户协议", "<p>卡密一经售出不退不换。</p>",
                                          f'<meta http-equiv="refresh" content="0;url={targets[2]}">'),
        "/sw.js": lambda r: (200, {"Content-Type": "application/javascript"},
                             f"self.addEventListener('install',function(){{fetch({json.dumps(targets[0])});}});"),
    }


def scan(url: str, out: Path, browser: str) -> tuple[subprocess.CompletedProcess, dict | None]:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
    run = subprocess.run([sys.executable, "-m", "cardshop_auditor.cli", "scan", url, "--out", str(out), "--browser", browser,
                          "--timeout", "3", "--time-budget", "25", "--max-pages", "20"],
                         cwd=out.parent, env=env, capture_output=True, text=True, timeout=180)
    path = out / "report.json"
    return run, (json.loads(path.read_text("utf-8")) if path.exists() else None)


@pytest.mark.parametrize("browser", ["never", pytest.param("always", marks=pytest.mark.browser)])
def test_no_spelling_of_the_other_network_gets_a_connection(browser, tmp_path):
    with Trap(OTHER_IP) as other, Trap("127.0.0.1") as side:
        targets = spellings(other.port, side.port)
        with RedShop(hostile_pages(targets)) as shop:
            run, report = scan(shop.url("/"), tmp_path / "out", browser)
            time.sleep(0.5)                # a late connection still counts
            hits = list(shop.hits)
        counts = (other.connections, other.first_lines, side.connections, side.first_lines)
    context = f"exit {run.returncode}\n{run.stderr[-2000:]}"
    assert report is not None and "Traceback" not in run.stderr, context
    assert ("GET", "/") in hits and ("GET", "/agreement.html") in hits, hits
    if browser == "always":
        assert report["status"] != "failed" and hits.count(("GET", "/")) >= 2, (hits, context)
    assert counts == (0, [], 0, []), counts


@pytest.mark.parametrize("target", [1, 5, 8, 10])
def test_start_page_redirect_in_any_spelling_is_refused(target, tmp_path):
    """The start page itself answers 302 to the other network (decimal, mapped IPv6,
    user-info, another port of its own address): refused and reported, nothing connects."""
    with Trap(OTHER_IP) as other, Trap("127.0.0.1") as side:
        location = spellings(other.port, side.port)[target]
        with RedShop({"/": lambda r: (302, {"Location": location}, "")}) as shop:
            run, report = scan(shop.url("/"), tmp_path / "out", "never")
        counts = (other.connections, side.connections)
    assert report is not None and "Traceback" not in run.stderr, run.stderr[-2000:]
    assert run.returncode == 3 and report["status"] == "failed", (run.returncode, report.get("reason"))
    assert "refused" in (report.get("reason") or "") or "redirect" in (report.get("reason") or ""), report.get("reason")
    assert counts == (0, 0), (location, counts)
