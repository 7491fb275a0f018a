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
