"""One static scan of two fixture shops — the GBK 卡盟 and a UTF-8 dujiaoka — with WARC and
WACZ, shared by the evidence tests."""
from __future__ import annotations

import pytest

from cardshop_auditor.options import AuditOptions

STATIC_SHOPS = ["gbk_legacy_kameng", "dujiaoka_default"]


@pytest.fixture(scope="package")
def static_scan(tmp_path_factory):
    from fixtures.server import FixtureServer
    from cardshop_auditor.pipeline import Target, audit_shops

    root = tmp_path_factory.mktemp("evidence-scan")
    with FixtureServer(STATIC_SHOPS) as srv:
        targets = [Target(url=srv.url(name), out_dir=root / name, id=name) for name in STATIC_SHOPS]
        results = audit_shops(targets, AuditOptions(browser="never", wacz=True), log=lambda m: None)
    return {r.target.id: r for r in results}


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    """An operator's Ed25519 key pair and a forger's: (private PEM, public PEM) paths by name."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    root = tmp_path_factory.mktemp("keys")
    out = {}
    for name in ("operator", "forger"):
        key = Ed25519PrivateKey.generate()
        (root / f"{name}.pem").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        (root / f"{name}.pub").write_bytes(key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
        out[name] = (root / f"{name}.pem", root / f"{name}.pub")
    return out
