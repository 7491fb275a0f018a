"""The history store behaves the same on SQLite and PostgreSQL (each test runs on both)."""
from __future__ import annotations

import json
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, inspect, select

from cardshop_auditor.storage import Store, open_store, record_result
from cardshop_auditor.storage.models import Base, Evidence, Scan, ScanEvidence
from cardshop_auditor.storage.store import current_revision, normalise_db_url
from cardshop_auditor.urls import host_key


def test_migrations_create_the_schema_and_match_the_models(db_url):
    store = Store(db_url)
    assert current_revision(store.engine) == "0003_manifest_sha256"
    names = set(inspect(store.engine).get_table_names())
    assert {"scans", "evidence", "scan_evidence", "batches", "alembic_version"} <= names
    # the models and the migrations describe the same schema
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []
    Store(db_url)  # opening again is a no-op upgrade


def test_record_diffs_against_the_previous_scan_of_the_same_host(db_url, report_factory):
    store = open_store(db_url)
    first = store.record(report_factory(scanned_at="2026-01-05T08:00:00+00:00"))
    assert first.previous_scan_id is None and first.diff is None
    other = store.record(report_factory(url="http://127.0.0.1:9090/", score=10))   # another shop
    second = store.record(report_factory(scanned_at="2026-01-12T08:00:00+00:00", icp=None, score=60,
                                         flags=["no_icp"]))
    assert second.previous_scan_id == first.scan_id
    fields = [(c["field"], c["change"]) for c in second.diff["changes"]]
    assert fields == [("icp", "removed"), ("score", "changed"), ("flags", "added")]
    assert second.diff["old"]["scan_id"] == first.scan_id and second.diff["new"]["scan_id"] == second.scan_id

    rows = store.history("127.0.0.1:8080")
    assert [r.id for r in rows] == [second.scan_id, first.scan_id]
    assert rows[0].changes_count == 3 and rows[1].changes_count is None
    assert rows[0].score == 60 and rows[0].risk_level == "high" and rows[0].flags == ["no_icp"]
    assert {r.id for r in store.history("127.0.0.1")} == {first.scan_id, second.scan_id, other.scan_id}
    assert [r.id for r in store.history("http://127.0.0.1:9090/x")] == [other.scan_id]
    stored = store.get_scan(second.scan_id)
    assert stored.report["findings"]["icp"] is None and stored.diff["changes"][0]["field"] == "icp"


def test_an_unchanged_rescan_stores_an_empty_diff(db_url, report_factory):
    store = open_store(db_url)
    store.record(report_factory(scanned_at="2026-01-05T08:00:00+00:00"))
    again = store.record(report_factory(scanned_at="2026-01-06T08:00:00+00:00"))
    assert again.diff["changes"] == []
    assert store.history("127.0.0.1:8080")[0].changes_count == 0


def test_a_failed_scan_is_not_the_baseline(db_url, report_factory):
    store = open_store(db_url)
    ok = store.record(report_factory(scanned_at="2026-01-05T08:00:00+00:00"))
    down = store.record(report_factory(scanned_at="2026-01-06T08:00:00+00:00", status="failed"))
    assert [(c["field"], c["old"], c["new"]) for c in down.diff["changes"]] == [("status", "complete", "failed")]
    back = store.record(report_factory(scanned_at="2026-01-07T08:00:00+00:00"))
    assert back.previous_scan_id == ok.scan_id and back.diff["changes"] == []


def test_batch_shop_is_stored_exactly_once(db_url, report_factory):
    store = open_store(db_url)
    store.ensure_batch("b-1", total=1)
    first = store.record(report_factory(), batch_id="b-1", shop_id="shop-a")
    again = store.record(report_factory(score=1), batch_id="b-1", shop_id="shop-a")
    assert again.duplicate and again.scan_id == first.scan_id
    assert store.count_batch("b-1") == 1
    assert store.get_scan(first.scan_id).score == 88


def test_concurrent_retries_store_once(db_url, report_factory):
    """Two workers finishing the same retried task at the same moment: one row."""
    store = open_store(db_url)
    store.ensure_batch("b-2", total=1)
    results, errors = [], []

    def go():
        try:
            results.append(Store(db_url, migrate=False).record(report_factory(), batch_id="b-2", shop_id="s"))
        except Exception as exc:  # pragma: no cover - shown on failure
            errors.append(exc)

    threads = [threading.Thread(target=go) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert store.count_batch("b-2") == 1
    assert len({r.scan_id for r in results}) == 1
    assert sum(not r.duplicate for r in results) == 1


def test_evidence_is_stored_once_by_sha256(db_url, report_factory, tmp_path):
    store = open_store(db_url)
    for name in ("a", "b"):
        (tmp_path / name / "evidence").mkdir(parents=True)
        (tmp_path / name / "evidence" / "refund.png").write_bytes(b"\x89PNG same screenshot")
    (tmp_path / "b" / "evidence" / "home.png").write_bytes(b"\x89PNG another one")
    one = store.record(report_factory(evidence=["evidence/refund.png"]), report_dir=tmp_path / "a")
    two = store.record(report_factory(scanned_at="2026-01-06T00:00:00+00:00",
                                      evidence=["evidence/refund.png", "../../etc/passwd"]),
                       report_dir=tmp_path / "b")
    with store.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Evidence)) == 2
        assert s.scalar(select(func.count()).select_from(ScanEvidence)) == 3
    assert [e.path for e in store.evidence_for(two.scan_id)] == ["evidence/home.png", "evidence/refund.png"]
    assert store.evidence_for(one.scan_id)[0].sha256 == store.evidence_for(two.scan_id)[1].sha256
    out = store.export_evidence(two.scan_id, tmp_path / "restored")
    assert sorted(p.name for p in out) == ["home.png", "refund.png"]
    assert (tmp_path / "restored" / "evidence" / "refund.png").read_bytes() == b"\x89PNG same screenshot"


def test_a_failing_write_leaves_nothing_half_written(db_url, report_factory, tmp_path, monkeypatch):
    store = open_store(db_url)
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "x.png").write_bytes(b"png")

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "_add_evidence", boom)
    with pytest.raises(RuntimeError):
        store.record(report_factory(evidence=["evidence/x.png"]), report_dir=tmp_path)
    with store.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Scan)) == 0


def test_record_result_writes_the_diff_next_to_the_report(db_url, report_factory, tmp_path, capsys):
    def result(report, name):
        out = tmp_path / name
        out.mkdir()
        return SimpleNamespace(report=report, target=SimpleNamespace(url=report["target"], out_dir=out, label=""))

    first = record_result(db_url, result(report_factory(), "v1"))
    second = record_result(db_url, result(report_factory(scanned_at="2026-02-01T00:00:00+00:00",
                                                         company="深圳市另一个名字有限公司", score=80), "v2"))
    assert second > first
    assert not (tmp_path / "v1" / "diff.json").exists()
    diff = json.loads((tmp_path / "v2" / "diff.json").read_text("utf-8"))
    assert [(c["field"], c.get("attr")) for c in diff["changes"]] == [("business", "company_name"), ("score", None)]
    assert "深圳市另一个名字有限公司" in (tmp_path / "v2" / "diff.html").read_text("utf-8")
    err = capsys.readouterr().err
    assert f"stored as scan #{second}" in err and "business company_name changed" in err


def test_urls_and_host_keys():
    assert normalise_db_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_db_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_db_url("sqlite:///x.db") == f"sqlite:///{Path.cwd() / 'x.db'}"   # the user's directory
    assert normalise_db_url("sqlite:////abs/x.db") == "sqlite:////abs/x.db"
    assert normalise_db_url("sqlite:///:memory:") == "sqlite:///:memory:"
    assert normalise_db_url("rel/h.db").startswith("sqlite:////")
    assert host_key("http://Shop.Example.cn/") == "shop.example.cn"
    assert host_key("https://shop.example.cn:443/a") == "shop.example.cn"
    assert host_key("http://127.0.0.1:8080/") == "127.0.0.1:8080"


def test_default_database_is_in_the_user_data_dir(monkeypatch, tmp_path):
    from cardshop_auditor.storage import default_db_url
    monkeypatch.delenv("CARDSHOP_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    url = default_db_url()
    assert url.startswith("sqlite:///") and url.endswith("cardshop-auditor/history.db")
    assert str(tmp_path) in url
    monkeypatch.setenv("CARDSHOP_DB", str(tmp_path / "elsewhere.db"))
    assert default_db_url() == f"sqlite:///{tmp_path / 'elsewhere.db'}"
