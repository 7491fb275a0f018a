"""Passwords that are short or look like JSON (red team): scrubbing must neither destroy a
report nor pretend to protect what it cannot.  1-3 characters are not registered (they
are everywhere in ordinary text) and the user is told so; 4+ character secrets that are
JSON words or digits are masked inside strings only, so the JSON stays valid."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from cardshop_auditor import credentials
from cardshop_auditor import secrets
from cardshop_auditor.artifacts import write_atomic


@pytest.fixture(autouse=True)
def clean_registry():
    secrets.reset()
    yield
    secrets.reset()


@pytest.mark.parametrize("password", ["7", "ab", "密码"])
def test_a_too_short_password_is_not_scrubbed_and_the_user_is_warned(password, capsys):
    args = SimpleNamespace(username="buyer-short", password=None, password_env="RT_SHORT", password_file=None)
    import os
    os.environ["RT_SHORT"] = password
    try:
        creds = credentials.credentials_from_args(args, prompt=False)
    finally:
        del os.environ["RT_SHORT"]
    assert creds.password == password
    assert "shorter than 4 characters" in capsys.readouterr().err
    text = "价格 17.80 元，ab 套餐，密码找回"
    assert secrets.scrub(text) == text            # the report is left readable


@pytest.mark.parametrize("password", ["true", "null", "1234", "2026", "false1"])
def test_json_words_and_digits_as_passwords_leave_valid_json(password, tmp_path):
    secrets.register(password)
    report = {"ok": True, "missing": None, "start_port": 51234, "year": 2026,
              "data": {"note": f"密码 {password} 错误", "url": "http://shop.cn:51234/"}}
    for name, payload in (("report.json", json.dumps(report, ensure_ascii=False, indent=2)),
                          ("pages.jsonl", json.dumps(report).encode() + b"\n" + json.dumps(report).encode())):
        path = tmp_path / name
        write_atomic(path, payload)
        text = path.read_text("utf-8")
        docs = [json.loads(line) for line in text.splitlines()] if name.endswith(".jsonl") else [json.loads(text)]
        for doc in docs:
            assert doc["ok"] is True and doc["missing"] is None
            assert doc["start_port"] == 51234 and doc["year"] == 2026
            assert password not in doc["data"]["note"]
