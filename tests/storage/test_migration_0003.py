"""A history database kept from before migration 0003 (the manifest hash) is upgraded in
place by a newer version: its scans, evidence, diffs and dead letters are all there after
``Store(url)`` runs the migrations, the new ``scans.manifest_sha256`` column exists (empty
for the old scans), and new scans recorded with a hash link to the old ones.  On SQLite
(Alembic's batch mode rebuilds the table) and on a real PostgreSQL (conftest.py)."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import sqlalchemy as sa

from cardshop_auditor.storage import Store, close_stores, recorded_manifest_sha256
from cardshop_auditor.storage.store import current_revision, make_engine, upgrade

BEFORE = "0002_dead_letters"
TARGET = "0003_manifest_sha256"
SHOT = b"\x89PNG\r\n\x1a\n" + "退款入口截图".encode("utf-8") * 20      # the evidence bytes


def _columns(engine, table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns(table)}


def _head() -> str:
    from alembic.script import ScriptDirectory
    from cardshop_auditor.storage.store import alembic_config
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _fill_at_0002(engine, report_factory) -> dict:
    """Rows as a 0002 database holds them, written with its own tables (reflected: the
    current models already have the 0003 column)."""
    meta = sa.MetaData()
    meta.reflect(engine)
    t = meta.tables
    now = datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)
    old = report_factory(url="http://kamen.example.cn:8080/", scanned_at="2026-11-30T08:00:00+00:00",
                         score=71, evidence=("evidence/refund.png",))
    new = report_factory(url="http://kamen.example.cn:8080/", scanned_at="2026-12-01T08:00:00+00:00",
                         score=38, fee=False, flags=("blanket_no_refund",))
    digest = hashlib.sha256(SHOT).hexdigest()
    with engine.begin() as conn:
        conn.execute(t["batches"].insert().values(id="weekly-48", created_at=now, source="urls.txt", total=2,
                                                  options={"lang": "zh"}))
        conn.execute(t["evidence"].insert().values(sha256=digest, size=len(SHOT), media_type="image/png",
                                                   first_path="evidence/refund.png", created_at=now, content=SHOT))
        first = conn.execute(t["scans"].insert().values(
            host="kamen.example.cn:8080", url=old["target"], scanned_at=now, score=71, risk_level="low", flags=[],
            status="complete", tool_version="0.1.0", report=old, report_dir="/srv/audits/kamen-1",
            batch_id="weekly-48", shop_id="kamen", label="卡门小铺")).inserted_primary_key[0]
        second = conn.execute(t["scans"].insert().values(
            host="kamen.example.cn:8080", url=new["target"], scanned_at=datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc),
            score=38, risk_level="high", flags=["blanket_no_refund"], status="complete", tool_version="0.1.0",
            report=new, report_dir="/srv/audits/kamen-2", previous_scan_id=first, changes_count=1,
            diff={"schema_version": 1, "changes": [{"field": "score", "change": "changed", "old": 71, "new": 38}]},
        )).inserted_primary_key[0]
        conn.execute(t["scan_evidence"].insert().values(scan_id=first, path="evidence/refund.png", sha256=digest,
                                                        caption="申请退订"))
        conn.execute(t["dead_letters"].insert().values(batch_id="weekly-48", shop_id="gone", reason="timeout",
                                                       worker="w1", created_at=now))
    return {"first": first, "second": second, "old": old, "new": new, "digest": digest}


def test_a_0002_database_with_data_upgrades_to_head_and_keeps_it(db_url, report_factory, tmp_path):
    engine = make_engine(db_url)
    upgrade(engine, BEFORE)
    assert current_revision(engine) == BEFORE
    assert "manifest_sha256" not in _columns(engine, "scans")
    rows = _fill_at_0002(engine, report_factory)
    engine.dispose()

    store = Store(db_url)                       # what a newer cardshop-audit does on open
    assert current_revision(store.engine) == _head() == TARGET
    assert "manifest_sha256" in _columns(store.engine, "scans")

    history = store.history("kamen.example.cn:8080")
    assert [s.id for s in history] == [rows["second"], rows["first"]]
    newest, oldest = history
    assert store.get_report(rows["first"]) == rows["old"] and store.get_report(rows["second"]) == rows["new"]
    assert oldest.label == "卡门小铺" and oldest.batch_id == "weekly-48" and oldest.shop_id == "kamen"
    assert newest.flags == ["blanket_no_refund"] and newest.score == 38 and newest.previous_scan_id == rows["first"]
    assert newest.diff["changes"][0]["new"] == 38
    assert oldest.manifest_sha256 is None and newest.manifest_sha256 is None     # not known before 0003
    assert store.find_scan("weekly-48", "kamen") == rows["first"]
    shots = store.export_evidence(rows["first"], tmp_path / "exported")
    assert [p.read_bytes() for p in shots] == [SHOT]
    with store.engine.connect() as conn:
        letters = conn.execute(sa.text("SELECT batch_id, shop_id, reason FROM dead_letters")).all()
    assert [tuple(r) for r in letters] == [("weekly-48", "gone", "timeout")]

    # the upgraded database takes new scans with their manifest hash, after the old ones
    report_dir = tmp_path / "kamen-3"
    report_dir.mkdir()
    later = report_factory(url="http://kamen.example.cn:8080/", scanned_at="2026-12-07T08:00:00+00:00", score=40)
    recorded = store.record(later, report_dir=report_dir, manifest_sha256="ab" * 32)
    assert recorded.previous_scan_id == rows["second"] and recorded.scan_id not in (rows["first"], rows["second"])
    close_stores()
    store.close()
    assert recorded_manifest_sha256(db_url, report_dir) == "ab" * 32
    assert recorded_manifest_sha256(db_url, "/srv/audits/kamen-2") is None
    close_stores()


def test_0003_downgrades_to_0002_keeping_the_rows(db_url, report_factory):
    from alembic import command
    from cardshop_auditor.storage.store import alembic_config

    engine = make_engine(db_url)
    upgrade(engine, BEFORE)
    rows = _fill_at_0002(engine, report_factory)
    upgrade(engine, TARGET)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE scans SET manifest_sha256 = :h WHERE id = :i"), {"h": "cd" * 32, "i": rows["first"]})
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), BEFORE)
    assert current_revision(engine) == BEFORE
    assert "manifest_sha256" not in _columns(engine, "scans")
    with engine.connect() as conn:
        kept = conn.execute(sa.text("SELECT id, score, previous_scan_id FROM scans ORDER BY id")).all()
    assert [tuple(r) for r in kept] == [(rows["first"], 71, None), (rows["second"], 38, rows["first"])]
    upgrade(engine)                                  # and up again: the column is back, empty
    assert "manifest_sha256" in _columns(engine, "scans")
    engine.dispose()
