"""A URL given with credentials in it (http://user:pass@shop/, the usual way to pass HTTP
basic-auth credentials around) must not have its password copied into the reports, the
artifacts, the history database or the terminal (red team): `scan` and a `batch` row."""
from __future__ import annotations

import os
import secrets as random_secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from redteam_net import RedShop, page

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("command", ["scan", "batch"])
def test_password_in_the_url_is_never_published(command, tmp_path):
    password = "Ui" + random_secrets.token_hex(6) + "!x"
    pages = {"/": lambda r: page("凌云卡铺 - 自动发卡", '<p>QQ会员 月卡 ¥10.00</p><a href="/agreement.html">用户协议</a>'),
             "/agreement.html": lambda r: page("用户协议", "<p>虚拟商品售出后不予退款。</p>")}
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
    db = tmp_path / "db" / "history.db"
    db.parent.mkdir()
    with RedShop(pages) as shop:
        url = f"http://ops-admin:{quote(password, safe='')}@127.0.0.1:{shop.port}/"
        common = ["--db", f"sqlite:///{db}", "--browser", "never", "--timeout", "3", "--time-budget", "10"]
        if command == "scan":
            args = ["scan", url, "--out", str(tmp_path / "out"), *common]
        else:
            (tmp_path / "shops.csv").write_text(f"url,label\n{url},凌云卡铺\n", "utf-8")
            args = ["batch", str(tmp_path / "shops.csv"), "--out", str(tmp_path / "out"), "--no-progress", *common]
        run = subprocess.run([sys.executable, "-m", "cardshop_auditor.cli", *args], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=120)
        hits = list(shop.hits)
    assert "Traceback" not in run.stderr and run.returncode in (0, 1), run.stderr[-2000:]
    assert ("GET", "/") in hits, "the shop was not audited at all"
    needles = {password.encode(), quote(password, safe="").encode()}
    leaks = [str(p) for p in [*(tmp_path / "out").rglob("*"), *db.parent.glob("*")]
             if p.is_file() and any(n in p.read_bytes() for n in needles)]
    leaks += [name for name, text in (("stdout", run.stdout), ("stderr", run.stderr))
              if any(n in text.encode() for n in needles)]
    assert leaks == [], leaks
