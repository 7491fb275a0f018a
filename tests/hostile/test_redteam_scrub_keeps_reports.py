"""Scrubbing must not destroy what it protects (red team).  A digits-only password is the
commonest kind; when it also occurs inside a number the report carries (the shop's port:
``"start_port": 51234`` with the password 1234), masking the raw bytes of report.json
turned the number into ``***5`` and the file into invalid JSON.  Secrets live in strings:
JSON files are masked inside their strings only."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from redteam_net import RedShop, page

REPO = Path(__file__).resolve().parents[2]


def test_a_digit_password_inside_the_shops_port_leaves_valid_reports(tmp_path):
    pages = {"/": lambda r: page("数字卡铺 - 自动发卡", '<p>Steam 充值卡 100元 ¥95.00</p><a href="/agreement.html">用户协议</a>'),
             "/agreement.html": lambda r: page("用户协议", "<p>充值类商品到账后不支持退款。</p>")}
    with RedShop(pages) as shop:
        password = str(shop.port)[-4:]           # "1234" for a shop on :51234
        if len(set(password)) == 1 or password in str(shop.port)[:-4]:
            password = str(shop.port)[-5:]       # still inside the port, still digits
        out = tmp_path / "out"
        env = dict(os.environ, PYTHONPATH=str(REPO), RT_PIN=password)
        run = subprocess.run([sys.executable, "-m", "cardshop_auditor.cli", "scan", shop.url("/"), "--out", str(out),
                              "--browser", "never", "--timeout", "3", "--time-budget", "10",
                              "--username", "digits-buyer", "--password-env", "RT_PIN"],
                             cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in run.stderr and run.returncode in (0, 1), run.stderr[-2000:]
    for path in [p for p in out.rglob("*") if p.suffix in (".json", ".jsonl")]:
        text = path.read_text("utf-8")
        lines = text.splitlines() if path.suffix == ".jsonl" else [text]
        for line in lines:
            json.loads(line)                      # valid JSON after masking
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["status"] != "failed", report.get("reason")
    assert str(shop.port) in json.dumps(report)   # the port is the shop's, not a secret: kept
