"""Red-team queue messages (written independently of test_queue_hostile.py): tasks that
parse as JSON but poison what comes after, put beside innocent tasks of the same batch
and chunk, and batch options whose numbers no bound can hold.

A real redis-server and a real `cardshop-audit worker` against a small shop on 127.0.0.1:
the innocent shops are audited and stored, each poisoned task is dead-lettered alone with
our own reason, the NaN batch audits nothing, nothing outside --out changes and no payload
is left in Redis."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cardshop_auditor.queue import Queue
from test_queue_hostile import all_redis_text, plant_sentinels, snapshot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hostile"))
from redteam_net import RedShop, page  # noqa: E402

pytestmark = [pytest.mark.services]


def shop_pages() -> dict:
    return {"/": lambda r: page("晨曦卡铺 - 自动发卡", '<p>腾讯视频VIP 月卡 ¥19.90</p><a href="/agreement.html">用户协议</a>'),
            "/agreement.html": lambda r: page("用户协议", "<p>虚拟商品一经售出，卡密提取后不予退款。</p>")}


def enqueue(redis_server, queue, db, state, name, urls) -> str:
    """`batch --redis --no-wait` (the real coordinator): the new batch's id."""
    before = set(queue.r.scan_iter(match=queue.prefix + "batch:*"))
    (state / f"{name}.csv").write_text("url,label\n" + "".join(f"{u},{name}\n" for u in urls), "utf-8")
    run = subprocess.run([sys.executable, "-m", "cardshop_auditor.cli", "batch", str(state / f"{name}.csv"), "--out",
                          str(state / f"coord-{name}"), "--redis", redis_server.url, "--db", db,
                          "--browser", "never", "--max-pages", "3", "--timeout", "5", "--no-wait",
                          "--no-progress"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]
    (key,) = set(queue.r.scan_iter(match=queue.prefix + "batch:*")) - before
    return key.rsplit(":", 1)[1]


def test_poisoned_tasks_die_alone_and_nan_budgets_are_refused(redis_server, tmp_path):
    out, state = tmp_path / "work" / "w-out", tmp_path / "state"
    out.mkdir(parents=True)
    state.mkdir()
    sentinels = plant_sentinels(tmp_path)
    queue = Queue(redis_server.url)               # the worker CLI's own prefix: cleared first
    for key in queue.r.scan_iter(match=queue.prefix + "*"):
        queue.r.delete(key)
    db = f"sqlite:///{state / 'history.db'}"
    with RedShop(shop_pages()) as shop:
        batch = enqueue(redis_server, queue, db, state, "good", [shop.url("/"), shop.url("/?from=list")])
        good = queue.r.lrange(queue.pending, 0, -1)
        # raw payloads: valid JSON, each with a lone surrogate escape somewhere; pushed to
        # the front so they share the innocent tasks' chunk
        poison = {f"{batch}:poison-label": '{"url": "%s", "label": "\\udc80 晨曦"}' % shop.url("/"),
                  f"{batch}:poison-url": '{"url": "%s?q=\\ud83d"}' % shop.url("/")}
        for task, raw in poison.items():
            queue.r.hset(queue.task_key(task), mapping={"payload": raw, "batch": batch,
                                                        "shop": task.split(":")[1]})
            queue.r.lpush(queue.pending, task)
        # a second batch whose options are rewritten to NaN / 1e999 (both pass json.loads)
        nan_batch = enqueue(redis_server, queue, db, state, "nan", [shop.url("/?nan")])
        queue.r.hset(f"{queue.prefix}batch:{nan_batch}", "options",
                     '{"shop_time_budget": NaN, "timeout": 1e999, "max_pages": 3}')
        nan_tasks = [t for t in queue.r.lrange(queue.pending, 0, -1) if t.startswith(nan_batch)]
        before = snapshot(tmp_path, out, state)
        worker = subprocess.run(
            [sys.executable, "-m", "cardshop_auditor.cli", "worker", "--broker", redis_server.url, "--db",
             db, "--out", str(out), "--chunk", "4", "--lease", "60",
             "--idle-exit", "2", "--worker-id", "w-redteam", "--allow-network", "127.0.0.1/32"],
            capture_output=True, text=True, timeout=240)
        hits = list(shop.hits)
    log = worker.stderr[-4000:]
    assert worker.returncode == 0, log
    assert "Traceback" not in worker.stderr, log
    assert ("GET", "/") in hits and not any("nan" in p for _, p in hits), hits

    letters = {d["task"]: d["reason"] for d in queue.dead_letters()}
    assert set(letters) == {*poison, *nan_tasks}, (letters, log)
    for task in poison:
        assert "not valid Unicode" in letters[task], letters
    for task in nan_tasks:
        assert "NaN or Infinity" in letters[task], letters
    assert {f"{batch}:{shop_id}" for shop_id in queue.done(batch)} == set(good), log

    assert snapshot(tmp_path, out, state) == before
    for d in sentinels:
        assert (d / "keep.txt").exists()
    assert not list(queue.r.scan_iter(match=queue.prefix + "task:*"))
    assert all(b"udc80" not in blob and b"\\ud83d" not in blob for blob in all_redis_text(queue))


def test_a_task_that_breaks_its_chunks_audit_is_charged_alone(redis_server, tmp_path):
    """Whatever poison the parser does not know yet: when the audit of a chunk raises, each
    task is audited alone once, the innocent ones are stored and only the poisoned one is
    charged (dead-lettered here, max_attempts 1) instead of all four."""
    import uuid

    from cardshop_auditor.pipeline import AuditResult
    from cardshop_auditor.queue import WorkerConfig, run_worker
    from cardshop_auditor.storage import open_store
    from batch_helpers_scale import fake_report

    queue = Queue(redis_server.url, prefix=f"rt{uuid.uuid4().hex[:6]}:")
    db = f"sqlite:///{tmp_path / 'history.db'}"
    open_store(db).ensure_batch("b1", total=4)
    queue.put_batch("b1", {"browser": "never"}, 4, None)
    for name in ("a", "poison", "b", "c"):
        queue.enqueue("b1", name, {"url": f"http://127.0.0.1:9/{name}"})
    calls = []

    def audit(targets, options, log=None, on_result=None):
        calls.append([t.id for t in targets])
        if any(t.id == "poison" for t in targets):
            raise RuntimeError("a shop the pipeline chokes on")
        for t in targets:
            t.out_dir.mkdir(parents=True, exist_ok=True)
            on_result(AuditResult(t, fake_report(t.url), {}))

    cfg = WorkerConfig(redis_url=queue.url, db=db, out_dir=tmp_path / "out", worker_id="w-iso", chunk=4, lease=10,
                       idle_exit=0.5, poll=0.1, max_attempts=1, allow_networks=["127.0.0.1/32"], prefix=queue.prefix)
    assert run_worker(cfg, log=lambda m: None, audit=audit) == 3
    assert sorted(calls[0]) == ["a", "b", "c", "poison"] and all(len(c) == 1 for c in calls[1:]), calls
    assert queue.done("b1") == {"a", "b", "c"}
    assert set(queue.dead("b1")) == {"poison"} and "chokes" in queue.dead("b1")["poison"]
