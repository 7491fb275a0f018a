"""Login outcomes are reported clearly; a failed login never turns into a refund verdict."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from fixtures.server import load_labels
from tests.browser.conftest import hits

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", ["login_form_cookie", "login_more_dropdown", "login_json_token",
                                  "refund_in_order_list"])
def test_wrong_password_is_reported(run_stage, shops, name):
    user = load_labels(name)["credentials"]["username"]
    artifacts, _ = run_stage(name, username=user, password="not-the-password", tag="-wrong")
    b = artifacts.meta.browser
    assert b["login"]["attempted"] is True and b["login"]["ok"] is False
    assert b["login"]["reason"].startswith("login failed")
    assert any(w in b["login"]["reason"] for w in ("错误", "不正确"))
    entry = b["refund_entry"]
    assert entry["evaluated"] is False and entry["found"] is False
    assert "login failed" in entry["reason"]
    assert any("login failed" in e for e in b["errors"])
    assert hits(shops, name) == []


def test_storage_state_from_login_command(shops, run_stage, tmp_path):
    labels = load_labels("login_json_token")
    state = tmp_path / "state.json"
    proc = subprocess.run([sys.executable, "-m", "cardshop_auditor.cli", "login", shops.url("login_json_token"),
                           "--save-state", str(state), "--username", labels["credentials"]["username"],
                           "--password", labels["credentials"]["password"]],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    saved = json.loads(state.read_text("utf-8"))
    assert any(i["name"] == "xh_token" for o in saved["origins"] for i in o["localStorage"])
    artifacts, _ = run_stage("login_json_token", storage_state=str(state), tag="-state")
    b = artifacts.meta.browser
    assert b["login"]["method"] == "storage_state" and b["login"]["ok"] is True
    assert b["refund_entry"]["found"] and b["refund_entry"]["clicks"] == 3


def test_login_command_without_display_exits_2(shops):
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    proc = subprocess.run([sys.executable, "-m", "cardshop_auditor.cli", "login", shops.url("login_form_cookie"),
                           "--save-state", "/tmp/never-written.json"], capture_output=True, text=True,
                          timeout=60, env=env)
    assert proc.returncode == 2
    assert "no display" in proc.stderr and "--username" in proc.stderr
