"""The interface other parts of the tool (the web app) submit audits through:
``open_engine(...).submit(target) / status(job) / result(job)`` — in this process by
default, through the broker and workers when given one."""
from __future__ import annotations

import pytest

from fixtures.server import FixtureServer

from cardshop_auditor.engine import DONE, QUEUED, open_engine
from cardshop_auditor.options import AuditOptions


def test_the_in_process_engine_audits_a_real_shop(tmp_path):
    with FixtureServer(["changing_shop_v1"]) as shops:
        engine = open_engine(options=AuditOptions(browser="never", max_pages=6), out_dir=tmp_path / "out",
                             db=f"sqlite:///{tmp_path / 'h.db'}")
        try:
            job = engine.submit(shops.url("changing_shop_v1"))
            report = engine.result(job, timeout=240)
            assert engine.status(job) == DONE
        finally:
            engine.close()
    assert report["schema_version"] == 1 and report["score"] is not None
    assert (tmp_path / "out" / job / "report.json").exists()
    from cardshop_auditor.storage import open_store
    assert open_store(f"sqlite:///{tmp_path / 'h.db'}").history("127.0.0.1")


@pytest.mark.services
def test_the_distributed_engine_hands_jobs_to_workers(redis_server, tmp_path):
    from engine_helpers import emptied_redis_db
    from test_engine_hostile import RecordingAudit, work
    url = emptied_redis_db(redis_server, 8)
    db = f"sqlite:///{tmp_path / 'h.db'}"
    engine = open_engine(options=AuditOptions(browser="never"), broker_url=url, db=db)
    try:
        jobs = [engine.submit("http://127.0.0.1:9/"), engine.submit("http://127.0.0.1:10/")]
        assert [engine.status(j) for j in jobs] == [QUEUED, QUEUED] and engine.result(jobs[0]) is None
        stored, _ = work(url, db, tmp_path / "w", RecordingAudit())
        assert stored == 2
        assert [engine.status(j) for j in jobs] == [DONE, DONE]
        assert engine.result(jobs[1])["target"] == "http://127.0.0.1:10/"
    finally:
        engine.close()
