"""cardshop_auditor.secrets: the registry and its scrubbing, the fixed reasons, the credential
sources (--password-env, --password-file, the prompt, --auth JSON/TOML/CSV) and the
references a queue task may carry."""
from __future__ import annotations

import base64
import json
import os
import sys
from pathlib import Path
from argparse import Namespace

import pytest

from cardshop_auditor import credentials
from cardshop_auditor.browser import credentials as site_credentials
from cardshop_auditor import secrets
from cardshop_auditor.artifacts import write_atomic
from cardshop_auditor.browser.credentials import credentials_for


def test_scrub_masks_the_secret_and_its_encodings():
    secrets.register_credentials("alice2025", "Ab1&c d\"e/f<g")
    pw = "Ab1&c d\"e/f<g"
    samples = [pw, "Ab1%26c%20d%22e%2Ff%3Cg", "Ab1%26c+d%22e%2Ff%3Cg", "Ab1&amp;c d&quot;e/f&lt;g",
               "Ab1&amp;c d&#34;e/f&lt;g", json.dumps(pw)[1:-1], "Ab1%26c%20d%22e%2ff%3cg",
               "Ab1&c%20d%22e/f%3Cg",                                           # encodeURI base64.b64encode(pw.encode()).decode(),
               base64.b64encode(b"alice2025:" + pw.encode()).decode(), "alice2025"]
    for sample in samples:
        text = f"before {sample} after"
        assert secrets.scrub(text) == "before *** after", sample
        assert secrets.scrub_bytes(text.encode()) == b"before *** after", sample
    assert secrets.scrub_obj({"k": [pw, {"alice2025": 1}], "n": 3}) == {"k": ["***", {"***": 1}], "n": 3}


def test_short_values_are_not_scrubbed_and_a_short_password_is_warned_about(capsys):
    secrets.register_credentials("bob", "pw1")
    assert secrets.scrub("bob pw1 low") == "bob pw1 low"
    assert "shorter than 4" in capsys.readouterr().err


def test_file_writer_and_streams_scrub(tmp_path, capsys):
    secrets.register("Zx9-secret-Q")
    write_atomic(tmp_path / "a.json", json.dumps({"reason": 'fill("Zx9-secret-Q")'}))
    assert "Zx9" not in (tmp_path / "a.json").read_text("utf-8")
    json.loads((tmp_path / "a.json").read_text("utf-8"))
    write_atomic(tmp_path / "b.bin", b"x Zx9-secret-Q y")
    assert (tmp_path / "b.bin").read_bytes() == b"x *** y"
    stream = secrets.ScrubbingStream(sys.stderr)
    stream.write("leak Zx9-secret-Q\n")
    assert capsys.readouterr().err == "leak ***\n"


def test_failure_reason_is_fixed_translated_and_never_the_exception_text(capsys, monkeypatch):
    exc = TimeoutError('Locator.fill: Timeout\nCall log:\n  - fill("Qw-very-secret")')
    zh = secrets.failure_reason("fill_password", exc, "zh")
    en = secrets.failure_reason("fill_password", exc, "en")
    assert zh == "登录失败：密码框不可填写（操作超时） [TimeoutError]"
    assert en == "login failed: the password box could not be filled (timed out) [TimeoutError]"
    assert capsys.readouterr().err == ""                     # raw text: --debug only
    monkeypatch.setenv("CARDSHOP_DEBUG", "1")
    secrets.register("Qw-very-secret")
    secrets.failure_reason("fill_password", exc, "zh")
    err = capsys.readouterr().err
    assert "Call log" in err and "Qw-very-secret" not in err and "***" in err


def _args(**kw) -> Namespace:
    base = {"username": None, "password": None, "password_env": None, "password_file": None}
    return Namespace(**{**base, **kw})


def test_password_sources(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SHOP_PW", "from-env-123")
    creds = credentials.credentials_from_args(_args(username="u1234", password_env="SHOP_PW"))
    assert tuple(creds) == ("u1234", "from-env-123") and "from-env" not in repr(creds)
    f = tmp_path / "pw.txt"
    f.write_text("from-file-456\nsecond line\n", "utf-8")
    f.chmod(0o644)
    creds = credentials.credentials_from_args(_args(username="u1234", password_file=f))
    assert creds.password == "from-file-456"
    assert "can be read by other users" in capsys.readouterr().err
    f.chmod(0o600)
    credentials.credentials_from_args(_args(username="u1234", password_file=f))
    assert capsys.readouterr().err == ""
    credentials.credentials_from_args(_args(username="u1234", password="argv-pass-789"))
    assert "process list" in capsys.readouterr().err
    with pytest.raises(credentials.CredentialError, match="not set"):
        credentials.credentials_from_args(_args(username="u1234", password_env="NOPE_UNSET_VAR"))
    with pytest.raises(credentials.CredentialError, match="one of"):
        credentials.credentials_from_args(_args(username="u", password="x", password_env="SHOP_PW"))
    with pytest.raises(credentials.CredentialError, match="needs --username"):
        credentials.credentials_from_args(_args(password_env="SHOP_PW"))
    # --username alone: asked on a terminal, a usage error otherwise
    monkeypatch.setattr(sys, "stdin", open(os.devnull))
    with pytest.raises(credentials.CredentialError, match="needs a password"):
        credentials.credentials_from_args(_args(username="u1234"))


def test_prompt_on_a_terminal(monkeypatch):
    class TTY:
        def isatty(self):
            return True
    import getpass
    monkeypatch.setattr(sys, "stdin", TTY())
    monkeypatch.setattr(getpass, "getpass", lambda prompt: "typed-secret-1")
    creds = credentials.credentials_from_args(_args(username="u1234"))
    assert creds.password == "typed-secret-1" and creds.source == "prompt"
    assert secrets.scrub("typed-secret-1") == "***"


def test_auth_file_json_toml_references(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PW_A", "env-pass-A1")
    (tmp_path / "b.txt").write_text("file-pass-B2\n", "utf-8")
    (tmp_path / "b.txt").chmod(0o600)
    auth = tmp_path / "auth.json"
    auth.write_text(json.dumps({"a.example.cn": {"username": "ua", "password_env": "PW_A"},
                                "127.0.0.1:8080": {"username": "ub", "password_file": "b.txt"},
                                "*.kameng.cn": {"username": "uc", "password": "plain-pass-C3"}}), "utf-8")
    auth.chmod(0o600)
    assert credentials_for(auth, "http://a.example.cn/") == ("ua", "env-pass-A1")
    assert credentials_for(auth, "http://127.0.0.1:8080/x") == ("ub", "file-pass-B2")
    assert credentials_for(auth, "http://vip.kameng.cn/") == ("uc", "plain-pass-C3")
    assert secrets.scrub("plain-pass-C3") == "***"          # read = registered, even unused
    assert capsys.readouterr().err == ""
    toml = tmp_path / "auth.toml"
    toml.write_text('["a.example.cn"]\nusername = "ua"\npassword_env = "PW_A"\n', "utf-8")
    toml.chmod(0o644)
    assert credentials_for(toml, "https://a.example.cn/") == ("ua", "env-pass-A1")
    assert "can be read by other users" in capsys.readouterr().err
    from cardshop_auditor.errors import UsageError
    toml.write_text('["a.example.cn"]\nusername = "ua"\npassword = "x1234" \n password_env = "PW_A"\n', "utf-8")
    with pytest.raises(UsageError, match="one of"):
        credentials_for(toml, "https://a.example.cn/")
    bad = tmp_path / "bad.json"
    bad.write_text('{"a.cn": {"username": "u", "password": "leaky-pass-9"', "utf-8")
    with pytest.raises(UsageError) as err:
        credentials_for(bad, "http://a.cn/")
    assert "leaky-pass-9" not in str(err.value)
    missing = tmp_path / "m.json"
    missing.write_text(json.dumps({"a.cn": {"username": "u", "password_env": "UNSET_VAR_X"}}), "utf-8")
    with pytest.raises(UsageError, match="not set"):
        credentials_for(missing, "http://a.cn/")


def test_resolve_credentials_refuses_untrusted_references(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKER_SECRET", "do-not-type-me")
    auth = tmp_path / "auth.json"
    auth.write_text(json.dumps({"shop.cn": {"username": "ua", "password": "worker-own-1"}}), "utf-8")
    url = "http://shop.cn/"
    for ref in ({"username": "ua", "password_env": "WORKER_SECRET"},
                {"username": "ua", "password_file": "/etc/shadow"},
                {"username": "ua", "password": "plain"}):
        with pytest.raises(credentials.CredentialError):
            site_credentials.resolve_credentials(ref, url=url, auth_file=auth)
    assert site_credentials.resolve_credentials({"auth": True}, url=url, auth_file=auth) == ("ua", "worker-own-1")
    assert site_credentials.resolve_credentials({"username": "other"}, url=url, auth_file=auth) is None
    assert site_credentials.resolve_credentials({"auth": True}, url="http://elsewhere.cn/", auth_file=auth) is None
    assert site_credentials.resolve_credentials(None, url=url) is None
    trusted = site_credentials.resolve_credentials({"username": "ua", "password_env": "WORKER_SECRET"}, url=url,
                                          trusted=True)
    assert trusted.password == "do-not-type-me"
    ref = credentials.credential_ref(username="ua", password_env="WORKER_SECRET")
    assert json.loads(json.dumps(ref)) == ref and "do-not-type-me" not in json.dumps(ref)


def test_batch_rows_carry_references(monkeypatch, capsys):
    from cardshop_auditor.batch import parse_targets
    monkeypatch.setenv("ROW_PW", "row-pass-777")
    shops = parse_targets("url,username,password_env,label\nhttp://a.cn/,ua,ROW_PW,A\nhttp://b.cn/\n")
    assert shops[0].password == "row-pass-777" and shops[0].credential_ref == {"username": "ua",
                                                                                 "password_env": "ROW_PW"}
    assert not shops[0].plaintext_password and "row-pass" not in repr(shops[0])
    assert "row-pass" not in json.dumps(shops[0].public())
    plain = parse_targets("url,username,password\nhttp://a.cn/,ua,plain-777\n")
    assert plain[0].plaintext_password
    with pytest.raises(ValueError, match="line 2"):     # the file's line (the header is line 1)
        parse_targets("url,username,password_env\nhttp://a.cn/,ua,UNSET_ROW_VAR\n")


def test_storage_state_values_are_registered(tmp_path):
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"cookies": [{"name": "sid", "value": "c0ffee-session-token-1"},
                                             {"name": "lang", "value": "zh-CN"}],
                                 "origins": [{"origin": "http://a.cn", "localStorage": [
                                     {"name": "token", "value": "eyJhbGciOi.jwt-token-value"}]}]}), "utf-8")
    secrets.register_storage_state(state)
    assert secrets.scrub("c0ffee-session-token-1 eyJhbGciOi.jwt-token-value zh-CN") == "*** *** zh-CN"


def test_url_credentials_are_registered():
    secrets.register_url_credentials("postgresql://audit:db-pass-42@127.0.0.1:5432/h")
    secrets.register_url_credentials("http://127.0.0.1:9/hook?access_token=tok0123456789abc&x=1")
    assert secrets.scrub("db-pass-42 tok0123456789abc x=1") == "*** *** x=1"


def test_child_processes_get_no_password_variable(monkeypatch):
    monkeypatch.setenv("SHOP_PW", "child-env-pass-1")
    credentials.credentials_from_args(_args(username="u1234", password_env="SHOP_PW"))
    env = secrets.child_env()
    assert "SHOP_PW" not in env and env.get("PATH") == os.environ.get("PATH")


def test_account_names_are_masked_as_words_only():
    """The account "kameng" is masked in 账号 kameng 不存在, never in http://kameng.cn/ (the
    target, the key of the shop's history)."""
    secrets.register_credentials("kameng", "Pw-secret-1")
    assert secrets.scrub("http://kameng.cn/ 账号 kameng 不存在 欢迎您，kameng user=kameng&x") == \
        "http://kameng.cn/ 账号 *** 不存在 欢迎您，*** user=***&x"
    assert secrets.scrub_bytes("账号kameng不存在 kameng.cn".encode()) == "账号***不存在 kameng.cn".encode()
    assert secrets.scrub("xPw-secret-1y") == "x***y"            # a password: everywhere


def test_big_texts_are_masked_line_by_line_and_clean_ones_pass_untouched():
    secrets.register_credentials("buyer7f3a9c", "Kp1e2d3c!#x9")
    clean = "用户服务协议：未提取卡密的订单可申请退款。\n" * 20000
    assert secrets.scrub(clean) is clean and secrets.scrub_bytes(clean.encode()) == clean.encode()
    dirty = clean + "用户 buyer7f3a9c 的密码 Kp1e2d3c!#x9 错误\n" + clean
    assert secrets.scrub(dirty) == clean + "用户 *** 的密码 *** 错误\n" + clean
    assert secrets.scrub_bytes(dirty.encode()) == (clean + "用户 *** 的密码 *** 错误\n" + clean).encode()


def test_the_prompt_on_a_real_terminal(tmp_path):
    """`scan --username U` on a terminal asks (no echo) and uses the answer; the answer is
    nowhere in the output directory or on the terminal."""
    import pty
    import select
    import time
    repo = Path(__file__).resolve().parents[1]
    out = tmp_path / "out"
    pid, fd = pty.fork()
    if pid == 0:                                   # the child: the CLI on the terminal
        os.chdir(tmp_path)
        os.environ["PYTHONPATH"] = str(repo)
        os.execv(sys.executable, [sys.executable, "-m", "cardshop_auditor.cli", "scan", "http://127.0.0.1:1/",
                                  "--username", "prompted-user", "--browser", "never", "--out", str(out)])
    seen, sent, deadline = b"", False, time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        if not sent and b"password for prompted-user" in seen:
            os.write(fd, b"typed-at-prompt-42\n")
            sent = True
    _, status = os.waitpid(pid, 0)
    assert sent, seen.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 3, seen.decode("utf-8", "replace")   # nothing listens on :1
    assert b"typed-at-prompt-42" not in seen
    for path in out.rglob("*"):
        if path.is_file():
            assert b"typed-at-prompt-42" not in path.read_bytes(), path
