"""What keeps the task engine's throughput near the single-process batch (issue 14,
bench/README.md "Task engine"): a worker holds no chunk it is not running (another worker
takes it), chunks are sized from the live workers, and the coordinator takes each
report.html the worker already rendered — only when its bytes are provably the worker's
(hash listed in the manifest whose hash the database holds), else it renders again."""
from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from pathlib import Path

import pytest

from engine_helpers import emptied_redis_db

from cardshop_auditor.engine.coordinator import auto_chunk, worker_html
from cardshop_auditor.queue_tasks import MAX_CHUNK


def test_automatic_chunks_are_large_but_leave_every_worker_work_to_the_end():
    assert auto_chunk(1000, 2) == MAX_CHUNK == 100         # as the batch's crawl chunks: 10 crawl children
    assert auto_chunk(200, 2) == 50                         # two tasks per worker
    assert auto_chunk(100, 2) == 25
    assert auto_chunk(100, 0) == 50                         # no worker seen yet: counted as one
    assert auto_chunk(3, 8) == 4                            # never below the old default
    assert auto_chunk(10_000, 1) == MAX_CHUNK


def _worker_dir(tmp_path: Path, html: bytes = b"<!doctype html><title>\xe6\x8a\xa5\xe5\x91\x8a</title>") -> tuple[Path, str]:
    """A worker's shop directory as the pipeline leaves it: report.html, report.json and
    manifest.json; returns it with the manifest hash the worker stores in the database."""
    from cardshop_auditor.evidence.manifest import build_manifest, manifest_bytes
    from cardshop_auditor.options import AuditOptions
    shop = tmp_path / "worker-out" / "b1" / "s1"
    shop.mkdir(parents=True)
    (shop / "report.html").write_bytes(html)
    (shop / "report.json").write_text('{"target": "http://127.0.0.1:9/"}', "utf-8")
    raw = manifest_bytes(build_manifest(shop, {"target": "http://127.0.0.1:9/"}, AuditOptions(),
                                        started_at="2026-12-07T08:00:00+00:00"))
    (shop / "manifest.json").write_bytes(raw)
    return shop, hashlib.sha256(raw).hexdigest()


def test_the_workers_report_html_is_taken_when_its_hash_chain_holds(tmp_path):
    shop, digest = _worker_dir(tmp_path)
    assert worker_html(str(shop), digest) == (shop / "report.html").read_bytes()


@pytest.mark.parametrize("spoil", ["html changed", "manifest changed", "no manifest hash", "relative dir",
                                   "html symlinked", "html a fifo", "html gone", "html not listed"])
def test_anything_but_the_workers_own_file_is_rendered_again(tmp_path, monkeypatch, spoil):
    shop, digest = _worker_dir(tmp_path)
    report_dir = str(shop)
    html = shop / "report.html"
    if spoil == "html changed":
        html.write_bytes(html.read_bytes() + b"<!-- planted after the manifest -->")
    elif spoil == "manifest changed":          # a manifest that lists a planted file's hash
        html.write_bytes(b"<p>planted</p>")
        manifest = json.loads((shop / "manifest.json").read_text("utf-8"))
        for entry in manifest["files"]:
            if entry["path"] == "report.html":
                entry["sha256"] = hashlib.sha256(b"<p>planted</p>").hexdigest()
        (shop / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    elif spoil == "no manifest hash":          # --no-manifest on the worker's batch
        digest = None
    elif spoil == "relative dir":
        monkeypatch.chdir(shop.parent.parent.parent)
        report_dir = os.path.relpath(shop)
    elif spoil == "html symlinked":            # the same bytes, reached through a link
        real = tmp_path / "elsewhere.html"
        real.write_bytes(html.read_bytes())
        html.unlink()
        html.symlink_to(real)
    elif spoil == "html a fifo":               # must not block the coordinator
        html.unlink()
        os.mkfifo(html)
    elif spoil == "html gone":                 # another machine's directory
        html.unlink()
    elif spoil == "html not listed":
        manifest = json.loads((shop / "manifest.json").read_text("utf-8"))
        manifest["files"] = [e for e in manifest["files"] if e["path"] != "report.html"]
        raw = json.dumps(manifest).encode()
        (shop / "manifest.json").write_bytes(raw)
        digest = hashlib.sha256(raw).hexdigest()
    started = time.monotonic()
    assert worker_html(report_dir, digest) is None
    assert time.monotonic() - started < 5


def test_an_oversized_manifest_is_not_read(tmp_path, monkeypatch):
    import cardshop_auditor.engine.coordinator as coordinator
    shop, digest = _worker_dir(tmp_path)
    monkeypatch.setattr(coordinator, "MAX_MANIFEST_BYTES", 64)
    assert worker_html(str(shop), digest) is None


# --------------------------------------------------------------------------- with a broker


@pytest.fixture
def broker_url(redis_server):
    return emptied_redis_db(redis_server, 9)


class SlowAudit:
    """The pipeline's place: each chunk takes a while, as a real crawl does."""

    def __init__(self, seconds: float):
        self.seconds = seconds

    def __call__(self, targets, options, log=None, on_result=None):
        from batch_helpers_scale import fake_report
        from cardshop_auditor.pipeline import AuditResult
        time.sleep(self.seconds)
        for t in targets:
            t.out_dir.mkdir(parents=True, exist_ok=True)
            on_result(AuditResult(t, fake_report(t.url), {}))


@pytest.mark.services
def test_two_large_chunks_go_to_two_workers_not_one(broker_url, tmp_path):
    from cardshop_auditor.engine.broker import EngineSettings, chunk_message, live_workers, make_broker
    from cardshop_auditor.engine.worker import WorkerConfig, run_worker
    from cardshop_auditor.storage import open_store
    db = f"sqlite:///{tmp_path / 'h.db'}"
    store = open_store(db)
    store.ensure_batch("b1", options={"browser": "never"})
    broker = make_broker(broker_url)
    for part in range(2):                     # both queued before either worker looks
        broker.enqueue(chunk_message("b1", [(f"s{part}-{i}", json.dumps({"url": f"http://127.0.0.1:{9 + i}/"}),
                                             None) for i in range(3)]))
    settings = EngineSettings(min_backoff=0.1, max_backoff=0.5, heartbeat_timeout=5)
    runs = []
    for name in ("w-a", "w-b"):
        cfg = WorkerConfig(broker_url=broker_url, db=db, out_dir=tmp_path / name, worker_id=name, threads=1,
                           idle_exit=3.0, settings=settings, allow_networks=["127.0.0.1/32"])
        runs.append(threading.Thread(target=run_worker, args=(cfg,),
                                     kwargs={"log": lambda m: None, "audit": SlowAudit(2.0)}))
    for run in runs:
        run.start()
    time.sleep(1.0)
    assert live_workers(broker) >= 2          # both seen on the broker, for the chunk size
    for run in runs:
        run.join(60)
    broker.close()
    by_worker = {}
    for scan in store.batch_scans("b1"):
        by_worker.setdefault(scan.worker, set()).add(scan.shop_id.split("-")[0])
    # each worker ran one whole chunk: neither held the other's while it worked
    assert sorted(map(sorted, by_worker.values())) == [["s0"], ["s1"]], by_worker


@pytest.mark.services
def test_the_coordinator_copies_the_workers_report_html_and_renders_a_tampered_one_again(broker_url, tmp_path):
    from fixtures.server import FixtureServer
    from test_engine_hostile import work
    from cardshop_auditor.batch import BatchShop
    from cardshop_auditor.engine.coordinator import _export_scan, run_distributed_batch
    from cardshop_auditor.options import AuditOptions
    from cardshop_auditor.report import render_html
    from cardshop_auditor.storage import open_store
    db = f"sqlite:///{tmp_path / 'h.db'}"
    out = tmp_path / "out"
    options = AuditOptions(browser="never", max_pages=6)
    with FixtureServer(["changing_shop_v1"]) as shops:
        batch = [BatchShop(url=shops.url("changing_shop_v1"), id="shop1")]
        run_distributed_batch(batch, out, options, broker_url=broker_url, db=db, wait=False, progress=False)
        stored, _ = work(broker_url, db, tmp_path / "w", None, idle=2.0)
        assert stored == 1
        outcome = run_distributed_batch(batch, out, options, broker_url=broker_url, db=db, resume=True,
                                        progress=False, poll=0.2, wait_timeout=60)
    assert outcome.audited_now == ["shop1"]
    store = open_store(db)
    (scan,) = store.batch_scans(outcome.batch_id, with_report=True)
    theirs = Path(scan.report_dir) / "report.html"
    assert scan.manifest_sha256 and (out / "shop1" / "report.html").read_bytes() == theirs.read_bytes()
    assert json.loads((out / "shop1" / "report.json").read_text("utf-8"))["target"] == scan.report["target"]
    # the worker's file changed after its manifest: not taken, rendered from the database
    theirs.write_bytes(theirs.read_bytes().replace(b"</body>", b"<script>planted()</script></body>"))
    again = tmp_path / "again"
    assert _export_scan(store, scan.id, again) is False
    html = (again / "report.html").read_text("utf-8")
    assert "planted" not in html and html == render_html(scan.report, scan.report.get("lang") or "zh")
