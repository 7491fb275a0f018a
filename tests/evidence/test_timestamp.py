"""The RFC 3161 path against a time-stamping authority this test starts itself: a test CA
and a TSA certificate (critical EKU timeStamping) made here, OpenSSL's ``ts -reply`` behind
a small HTTP server on 127.0.0.1.  The TSA is reached only with ``--tsa`` and only where the
network policy allows it."""
from __future__ import annotations

import datetime
import hashlib
import http.server
import json
import shutil
import subprocess
import threading

import pytest

from cardshop_auditor import cli
from cardshop_auditor.evidence.manifest import MANIFEST, TIMESTAMP, write_manifest
from cardshop_auditor.evidence.timestamp import TimestampError, check_token, request_timestamp
from cardshop_auditor.evidence.verify import verify_scan
from cardshop_auditor.options import AuditOptions

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")


def _ca(root, name):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    now = datetime.datetime.now(datetime.timezone.utc)

    def cert(subject, issuer, key, signer, ca):
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if not ca:
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        return builder.sign(signer, hashes.SHA256())

    ca_key, tsa_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} 测试根证书")])
    tsa_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} 时间戳服务")])
    ca_cert = cert(ca_name, ca_name, ca_key, ca_key, True)
    tsa_cert = cert(tsa_name, ca_name, tsa_key, ca_key, False)
    pem = serialization.Encoding.PEM
    (root / "ca.pem").write_bytes(ca_cert.public_bytes(pem))
    (root / "tsa.pem").write_bytes(tsa_cert.public_bytes(pem))
    (root / "tsa.key").write_bytes(tsa_key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    return root / "ca.pem"


CONFIG = """[ tsa ]
default_tsa = test_tsa
[ test_tsa ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.55555.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


class _TSA(http.server.BaseHTTPRequestHandler):
    directory = None
    requests = 0

    def do_POST(self):  # noqa: N802 - http.server's name
        type(self).requests += 1
        query = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        (self.directory / "query.tsq").write_bytes(query)
        done = subprocess.run(["openssl", "ts", "-reply", "-config", str(self.directory / "tsa.cnf"),
                               "-queryfile", str(self.directory / "query.tsq"), "-out",
                               str(self.directory / "reply.tsr")], capture_output=True, timeout=30)
        if done.returncode:
            self.send_error(500)
            return
        body = (self.directory / "reply.tsr").read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def tsa(tmp_path_factory):
    root = tmp_path_factory.mktemp("tsa")
    ca = _ca(root, "卡盟审计")
    (root / "serial").write_text("01\n")
    (root / "tsa.cnf").write_text(CONFIG.format(dir=root))
    other = tmp_path_factory.mktemp("other-ca")
    handler = type("Handler", (_TSA,), {"directory": root})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_address[1]}/tsa", "ca": ca,
           "other_ca": _ca(other, "别家"), "handler": handler}
    server.shutdown()
    server.server_close()


def _sealed_copy(static_scan, tmp_path, tsa_url, allow):
    directory = tmp_path / "scan"
    shutil.copytree(static_scan["gbk_legacy_kameng"].target.out_dir, directory)
    report = json.loads((directory / "report.json").read_text("utf-8"))
    lines = []
    sealed = write_manifest(directory, report, AuditOptions(allow_networks=allow), started_at=report["scanned_at"],
                            tsa_url=tsa_url, log=lines.append)
    return directory, sealed, lines


def test_a_token_from_the_local_tsa_stamps_the_manifest_and_verifies(static_scan, tsa, tmp_path, capsys):
    directory, sealed, lines = _sealed_copy(static_scan, tmp_path, tsa["url"], ["127.0.0.1/32"])
    assert sealed["timestamped"], lines
    token = (directory / TIMESTAMP).read_bytes()
    digest = hashlib.sha256((directory / MANIFEST).read_bytes()).digest()
    info = check_token(token, digest, tsa["ca"])
    assert info["chain_checked"] and info["policy"] == "1.3.6.1.4.1.55555.1"
    assert abs(datetime.datetime.fromisoformat(info["time"]).timestamp()
               - datetime.datetime.now(datetime.timezone.utc).timestamp()) < 120

    code = cli.main(["verify", str(directory), "--tsa-ca", str(tsa["ca"])])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert f"timestamp: {info['time']}" in out

    code = cli.main(["verify", str(directory), "--tsa-ca", str(tsa["other_ca"])])
    _, err = capsys.readouterr()
    assert code == 1 and "MISMATCH manifest.tsr: the token does not verify against --tsa-ca" in err

    # The manifest changed after it was stamped: the token's imprint no longer matches.
    manifest = json.loads((directory / MANIFEST).read_text("utf-8"))
    manifest["finished_at"] = "2020-01-01T00:00:00+00:00"
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
    problems = verify_scan(directory, tsa_ca=tsa["ca"]).problems
    assert "manifest.tsr: the token's message imprint is not the sha256 of manifest.json" in problems


def test_the_tsa_is_reached_only_where_the_network_policy_allows(static_scan, tsa, tmp_path):
    before = tsa["handler"].requests
    directory, sealed, lines = _sealed_copy(static_scan, tmp_path, tsa["url"], [])
    assert not sealed["timestamped"] and not (directory / TIMESTAMP).exists()
    assert any("no RFC 3161 timestamp" in line and "loopback" in line for line in lines), lines
    assert tsa["handler"].requests == before, "a refused TSA was contacted"
    with pytest.raises(TimestampError, match="not an RFC 3161"):
        check_token(b"\x30\x03\x02\x01\x00", b"\0" * 32)
    with pytest.raises(TimestampError):
        request_timestamp("ftp://127.0.0.1/", b"x", allow_networks=["127.0.0.1/32"])


def test_no_tsa_is_contacted_unless_asked(static_scan, tsa):
    # The shared scan was made without --tsa: no token, and the TSA saw no request from it.
    for result in static_scan.values():
        assert not (result.target.out_dir / TIMESTAMP).exists()
    assert "tsa_url" in json.loads((result.target.out_dir / MANIFEST).read_text("utf-8"))["options"]


def test_rescore_stamps_the_new_manifest_and_keeps_the_scans_token(static_scan, tsa, tmp_path, capsys):
    directory, sealed, lines = _sealed_copy(static_scan, tmp_path, tsa["url"], ["127.0.0.1/32"])
    assert sealed["timestamped"], lines
    scanned_token = (directory / TIMESTAMP).read_bytes()
    # without --tsa: the new manifest is not stamped, the scan's token is kept with its seal
    assert cli.main(["rescore", str(directory)]) == 0
    capsys.readouterr()
    assert (directory / "superseded/1" / TIMESTAMP).read_bytes() == scanned_token
    assert verify_scan(directory).ok
    result = verify_scan(directory, tsa_ca=tsa["ca"])
    assert result.problems == ["manifest.tsr: missing (--tsa-ca given)"]
    assert result.checked["superseded"][0]["timestamp"] == check_token(
        scanned_token, hashlib.sha256((directory / "superseded/1" / MANIFEST).read_bytes()).digest(),
        tsa["ca"])["time"]
    # with --tsa (reached under the scan's own network policy): stamped again, both verify
    assert cli.main(["rescore", str(directory), "--tsa", tsa["url"]]) == 0
    capsys.readouterr()
    code = cli.main(["verify", str(directory), "--tsa-ca", str(tsa["ca"])])
    out, err = capsys.readouterr()
    assert code == 0, err
    seals = verify_scan(directory, tsa_ca=tsa["ca"]).checked["superseded"]
    assert [s["timestamp"] != "none" for s in seals] == [False, True]    # rescore 1 unstamped, the scan stamped
