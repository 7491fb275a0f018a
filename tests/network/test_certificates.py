"""TLS certificates are checked: a shop whose certificate fails is recorded as such, its
public pages are still read, and no credential is typed into it unless --insecure-login."""
from __future__ import annotations

import datetime
import ipaddress
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cardshop_auditor.browser.login import login
from cardshop_auditor.browser.manager import close_browser, get_browser
from cardshop_auditor.browser.session import ShopSession
from cardshop_auditor.options import AuditOptions

pytestmark = pytest.mark.browser

PASSWORD = "Zx-secret-7731"
LOGIN_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>会员登录 - 云卡小铺</title></head>
<body><h1>会员登录</h1><form method="post" action="/login">
<label>账号 <input name="username" placeholder="请输入账号"></label>
<label>密码 <input type="password" name="password" placeholder="请输入密码"></label>
<button type="submit">登录</button></form>
<div class="footer">云卡小铺 · 京ICP备12345678号-1</div></body></html>""".encode()


def self_signed(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


_CERT: dict = {}


def tls_shop_cert_path():
    return _CERT["path"]


@pytest.fixture(scope="module")
def tls_shop(tmp_path_factory):
    posts: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(LOGIN_PAGE)))
            self.end_headers()
            self.wfile.write(LOGIN_PAGE)

        def do_POST(self):  # noqa: N802
            posts.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            self.send_response(302)
            self.send_header("Location", "/")
            self.end_headers()

    cert, key = self_signed(tmp_path_factory.mktemp("tls"))
    _CERT["path"] = cert
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_address[1]}/", posts
    server.shutdown()
    server.server_close()
    close_browser()


def test_a_failed_certificate_is_recorded_and_no_credential_is_typed(tls_shop):
    url, posts = tls_shop
    before = len(posts)
    session = ShopSession(get_browser(), url, AuditOptions())
    try:
        session.goto(url)
        assert session.certificate_ok is False
        cert = session.network_report()["certificate"]
        assert cert["ok"] is False and cert["error"].startswith("net::ERR_CERT_") and cert["url"] == url
        assert "会员登录" in session.visible_text()          # public pages are still read
        refusal = session.credential_refusal()
        assert refusal and "certificate" in refusal and "--insecure-login" in refusal
        result = login(session, "buyer01", PASSWORD, time.monotonic() + 20)
        assert result.ok is False and "certificate" in result.reason
        value = session.page.evaluate("() => document.querySelector('input[type=password]').value")
        assert value == ""
        assert len(posts) == before
    finally:
        session.close()


def test_insecure_login_is_the_users_explicit_choice(tls_shop):
    url, posts = tls_shop
    before = len(posts)
    session = ShopSession(get_browser(), url, AuditOptions(insecure_login=True))
    try:
        session.goto(url)
        assert session.certificate_ok is False and session.credential_refusal() is None
        login(session, "buyer01", PASSWORD, time.monotonic() + 20)
        assert any(PASSWORD.encode() in body for body in posts[before:])
    finally:
        session.close()


def _crawl(url: str, out, env_extra: dict | None = None) -> dict:
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path
    cli = Path(sys.executable).with_name("cardshop-audit")
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "cardshop_auditor.cli"]
    run = subprocess.run(command + ["scan", url, "--out", str(out), "--browser", "never", "--timeout", "5"],
                         env=dict(os.environ, **(env_extra or {})), capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-1500:]
    return json.loads((out / "report.json").read_text("utf-8"))


def test_the_crawler_reads_on_and_records_the_failed_certificate(tls_shop, tmp_path):
    url, posts = tls_shop
    report = _crawl(url, tmp_path / "out")
    cert = report["gather"]["network"]["certificate"]
    assert cert == {"ok": False, "error": "certificate verify failed: self-signed certificate",
                    "url": url, "by": "crawler"}
    assert report["pages"][0]["status"] == 200              # the public page was still read
    html = (tmp_path / "out" / "report.html").read_text("utf-8")
    assert "HTTPS 证书未通过验证" in html and url in html      # the banner (its words: auditor/reasons.py)


def test_the_crawler_accepts_a_certificate_it_can_verify(tls_shop, tmp_path):
    """The same server, its certificate made a trust anchor (SSL_CERT_FILE): verified."""
    url, _ = tls_shop
    report = _crawl(url, tmp_path / "out", {"SSL_CERT_FILE": str(tls_shop_cert_path())})
    cert = report["gather"]["network"]["certificate"]
    assert cert["ok"] is True and cert["error"] is None
    assert "HTTPS 证书未通过验证" not in (tmp_path / "out" / "report.html").read_text("utf-8")
