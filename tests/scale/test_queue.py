"""The Redis queue on a real redis-server: claims with leases, heartbeats, reaping of a
dead worker's tasks, retries, dead letters, idempotent enqueue, exactly-once storage."""
from __future__ import annotations

import time
import uuid

import pytest

from cardshop_auditor.queue import Queue, WorkerConfig, run_worker

pytestmark = pytest.mark.services


@pytest.fixture
def queue(redis_server):
    return Queue(redis_server.url, prefix=f"t{uuid.uuid4().hex[:8]}:")


def test_enqueue_is_idempotent(queue):
    assert queue.enqueue("b1", "s1", {"url": "http://a/"})
    assert not queue.enqueue("b1", "s1", {"url": "http://a/"})
    assert queue.r.llen(queue.pending) == 1


def test_claim_sets_a_lease_and_ack_clears_everything(queue):
    for i in range(3):
        queue.enqueue("b1", f"s{i}", {"url": f"http://{i}/"})
    got = queue.claim("w1", 2, lease=30)
    assert got == ["b1:s0", "b1:s1"]
    assert queue.r.lrange(queue.processing("w1"), 0, -1) == got
    assert queue.r.get(queue.prefix + "lease:b1:s0") == "w1"
    assert 0 < queue.r.pttl(queue.prefix + "lease:b1:s0") <= 30_000
    queue.ack("w1", "b1:s0")
    assert queue.r.lrange(queue.processing("w1"), 0, -1) == ["b1:s1"]
    assert not queue.r.exists(queue.prefix + "lease:b1:s0") and not queue.r.exists(queue.task_key("b1:s0"))
    assert queue.done("b1") == {"s0"}
    assert not queue.enqueue("b1", "s0", {"url": "http://0/"})     # done: never queued again


def test_an_expired_lease_is_reaped_and_retried_then_dead_lettered(queue):
    queue.enqueue("b1", "s1", {"url": "http://a/"})
    queue.register("dead-worker", ttl=0.2)
    assert queue.claim("dead-worker", 1, lease=0.2) == ["b1:s1"]
    assert queue.reap(max_attempts=2) == 0                        # lease still valid
    time.sleep(0.3)
    assert queue.reap(max_attempts=2) == 1
    assert queue.r.lrange(queue.pending, 0, -1) == ["b1:s1"]        # handed out again
    assert queue.r.hget(queue.task_key("b1:s1"), "attempts") == "1"
    assert queue.claim("w2", 1, lease=0.2) == ["b1:s1"]
    time.sleep(0.3)
    queue.reap(max_attempts=2)
    assert queue.r.llen(queue.pending) == 0
    assert "lease expired" in queue.dead("b1")["s1"]
    assert "dead-worker" not in queue.r.smembers(queue.workers)     # forgotten once idle and gone


def test_heartbeat_keeps_a_slow_task_and_only_the_owner_renews(queue):
    queue.enqueue("b1", "s1", {"url": "http://a/"})
    queue.claim("w1", 1, lease=0.5)
    for _ in range(4):
        time.sleep(0.2)
        assert queue.renew("w1", ["b1:s1"], lease=0.5, alive_ttl=5) == 1
        assert queue.renew("intruder", ["b1:s1"], lease=0.5, alive_ttl=5) == 0
    assert queue.reap(max_attempts=3) == 0                        # 0.8 s > lease, still alive


def test_release_requeues_in_front_or_gives_up(queue):
    queue.enqueue("b1", "a", {"url": "http://a/"})
    queue.enqueue("b1", "b", {"url": "http://b/"})
    (task,) = queue.claim("w1", 1, lease=30)
    assert queue.release("w1", task, failed=False, max_attempts=1) == 1   # handed back, not counted
    assert queue.r.lrange(queue.pending, 0, -1) == ["b1:a", "b1:b"]
    (task,) = queue.claim("w1", 1, lease=30)
    assert queue.release("w1", task, failed=True, max_attempts=1, error="boom") == 2
    assert queue.dead("b1") == {"a": "boom"}
    assert queue.release("w1", task, failed=True, max_attempts=1) == 0    # not ours any more
    # enqueueing again (batch --resume) retries a dead-lettered shop from scratch, once
    assert queue.enqueue("b1", "a", {"url": "http://a/"})
    assert not queue.enqueue("b1", "a", {"url": "http://a/"})
    assert queue.dead("b1") == {} and queue.r.lrange(queue.pending, 0, -1) == ["b1:b", "b1:a"]
    assert queue.r.hget(queue.task_key("b1:a"), "attempts") == "0"


def test_a_task_stored_before_its_worker_died_is_acked_not_audited(queue, postgres_server, tmp_path):
    """Crash between the database commit and the ack: the retry finds the row and acks."""
    from cardshop_auditor.storage import open_store
    from batch_helpers_scale import fake_report

    db = postgres_server.create_database("q")
    store = open_store(db)
    store.ensure_batch("b1", total=2)
    queue.put_batch("b1", {"browser": "never"}, 2, None)
    queue.enqueue("b1", "stored", {"url": "http://127.0.0.1:1/"})
    queue.enqueue("b1", "fresh", {"url": "http://127.0.0.1:2/"})
    store.record(fake_report("http://127.0.0.1:1/"), batch_id="b1", shop_id="stored")
    audited = []

    def audit(targets, options, log=None, on_result=None):
        from cardshop_auditor.pipeline import AuditResult
        for t in targets:
            audited.append(t.id)
            t.out_dir.mkdir(parents=True, exist_ok=True)
            on_result(AuditResult(t, fake_report(t.url), {}))

    cfg = WorkerConfig(redis_url=queue.url, db=db, out_dir=tmp_path, worker_id="w-test", chunk=5, lease=5, idle_exit=0.5, poll=0.1,
                       allow_networks=["127.0.0.1/32"], prefix=queue.prefix)
    assert run_worker(cfg, log=lambda m: None, audit=audit) == 1
    assert audited == ["fresh"]
    assert store.count_batch("b1") == 2
    assert queue.done("b1") == {"stored", "fresh"}
