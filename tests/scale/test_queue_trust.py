"""Who may steer a worker through the queue (issue 11 item 3, red-team follow-up):

* a task never points a worker at its own broker or database, whatever --allow-network says;
* with a shared queue secret, only tasks the coordinator signed are audited;
* a flood of bad tasks leaves a bounded dead-letter list and a count per kind of reason.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from cardshop_auditor.queue import Queue
from cardshop_auditor.queue_signing import sign
from cardshop_auditor.queue_tasks import TaskRejected, check_start_address, service_endpoints
from test_redteam_queue import enqueue, shop_pages

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hostile"))
from redteam_net import RedShop  # noqa: E402

pytestmark = [pytest.mark.services]


def http_attacks_logged(redis_server) -> int:
    """HTTP request lines redis-server saw: it logs each one as a possible attack."""
    return (Path(redis_server.dir) / "redis.log").read_text("utf-8", "replace").count("SECURITY ATTACK")


def fresh_queue(redis_server) -> Queue:
    queue = Queue(redis_server.url)               # the worker CLI's own prefix: cleared first
    for key in queue.r.scan_iter(match=queue.prefix + "*"):
        queue.r.delete(key)
    return queue


def workspace(redis_server, tmp_path):
    """The worker's --out, the coordinator's state dir, the emptied queue, a history db."""
    out, state = tmp_path / "w-out", tmp_path / "state"
    out.mkdir()
    state.mkdir()
    return out, state, fresh_queue(redis_server), f"sqlite:///{state / 'history.db'}"


def test_a_task_aimed_at_the_broker_is_dead_lettered_not_crawled(redis_server, tmp_path):
    out, state, queue, db = workspace(redis_server, tmp_path)
    port = redis_server.port
    attacks = http_attacks_logged(redis_server)
    with RedShop(shop_pages()) as shop:
        aimed = [f"http://127.0.0.1:{port}/", f"http://localhost:{port}/x", f"http://127.0.0.2:{port}/"]
        batch = enqueue(redis_server, queue, db, state, "broker", [shop.url("/"), *aimed])
        tasks = queue.r.lrange(queue.pending, 0, -1)
        worker = subprocess.run(
            [sys.executable, "-m", "cardshop_auditor.cli", "worker", "--broker", redis_server.url, "--db", db,
             "--out", str(out), "--chunk", "4", "--lease", "60", "--idle-exit", "2",
             "--worker-id", "w-broker", "--allow-network", "127.0.0.0/8"],
            capture_output=True, text=True, timeout=240)
        hits = list(shop.hits)
    log = worker.stderr[-4000:]
    assert worker.returncode == 0 and "Traceback" not in worker.stderr, log
    assert ("GET", "/") in hits, hits                       # the real shop was crawled
    assert len(queue.done(batch)) == 1, log
    letters = {d["task"]: d["reason"] for d in queue.dead_letters()}
    assert set(letters) == set(tasks[1:]) and len(letters) == 3, (letters, log)
    assert all("own broker or database" in reason for reason in letters.values()), letters
    assert http_attacks_logged(redis_server) == attacks, "the crawler sent HTTP to the broker"
    # the counter does count: one HTTP request of our own is seen
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
    except Exception:
        pass
    assert http_attacks_logged(redis_server) == attacks + 1


def test_the_database_endpoint_is_refused_whatever_allow_network_says():
    endpoints = service_endpoints(["redis://127.0.0.1:6390/0", "postgresql://u:p@127.0.0.1:5544/history",
                                   "sqlite:////tmp/x.db"])
    assert len(endpoints) == 2
    for url in ("http://127.0.0.1:5544/", "https://127.0.0.3:6390/", "http://[::1]:5544/"):
        with pytest.raises(TaskRejected, match="own broker or database"):
            check_start_address(url, ["127.0.0.0/8", "::1/128"], endpoints)
    # another port of the same machine stays a matter of --allow-network
    assert check_start_address("http://127.0.0.1:8080/", ["127.0.0.0/8"], endpoints)[1] == ("127.0.0.1",)


SECRET = "q-secret-7f3a9c1e5b2d8046"


def run_cli(args, secret=None, timeout=240):
    env = {k: v for k, v in os.environ.items() if k != "CARDSHOP_QUEUE_SECRET"}
    if secret:
        env["QSECRET"] = secret
        args = [*args, "--queue-secret-env", "QSECRET"]
    return subprocess.run([sys.executable, "-m", "cardshop_auditor.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_only_tasks_signed_by_the_coordinator_are_audited(redis_server, tmp_path):
    out, state, queue, db = workspace(redis_server, tmp_path)
    with RedShop(shop_pages()) as shop:
        (state / "shops.csv").write_text(f"url,label\n{shop.url('/')},晨曦\n{shop.url('/?b=2')},晨曦\n", "utf-8")
        coord = run_cli(["batch", str(state / "shops.csv"), "--out", str(state / "coord"), "--redis",
                         redis_server.url, "--db", db, "--browser", "never", "--max-pages", "3", "--timeout", "5",
                         "--no-wait", "--no-progress"], secret=SECRET, timeout=60)
        assert coord.returncode == 0, coord.stderr[-2000:]
        (batch_key,) = queue.r.scan_iter(match=queue.prefix + "batch:*")
        batch = batch_key.rsplit(":", 1)[1]
        signed = queue.r.lrange(queue.pending, 0, -1)
        assert len(signed) == 2 and all(len(queue.r.hget(queue.task_key(t), "sig")) == 64 for t in signed)

        def plant(shop_id, payload, sig):
            task = f"{batch}:{shop_id}"
            record = {"payload": json.dumps(payload, ensure_ascii=False), "batch": batch, "shop": shop_id}
            if sig is not None:
                record["sig"] = sig
            queue.r.hset(queue.task_key(task), mapping=record)
            queue.r.rpush(queue.pending, task)
            return task

        evil = {"url": shop.url("/?evil=1"), "label": "加塞"}
        forged = plant("forged", evil, sign("not-the-coordinators-secret", batch, "forged", evil))
        unsigned = plant("unsigned", evil, None)
        # a signed task's signature kept, its URL changed; and one copied under another shop id
        first = signed[0].split(":", 1)[1]
        good_payload = json.loads(queue.r.hget(queue.task_key(signed[0]), "payload"))
        good_sig = queue.r.hget(queue.task_key(signed[0]), "sig")
        tampered = plant("tampered", dict(good_payload, url=shop.url("/?evil=2")), good_sig)
        replayed = plant(f"{first}-copy", good_payload, good_sig)
        worker = run_cli(["worker", "--broker", redis_server.url, "--db", db, "--out", str(out), "--chunk", "4",
                          "--lease", "60", "--idle-exit", "2", "--worker-id", "w-sig",
                          "--allow-network", "127.0.0.1/32"], secret=SECRET)
        hits = list(shop.hits)
    log = worker.stderr
    assert worker.returncode == 0 and "Traceback" not in log, log[-4000:]
    assert SECRET not in log + worker.stdout and "no queue secret" not in log, log[-4000:]
    assert {f"{batch}:{s}" for s in queue.done(batch)} == set(signed), log[-4000:]
    assert not any("evil" in path for _, path in hits), hits
    letters = {d["task"]: d["reason"] for d in queue.dead_letters()}
    assert set(letters) == {forged, unsigned, tampered, replayed}, letters
    assert "unsigned task" in letters[unsigned]
    for task in (forged, tampered, replayed):
        assert "bad task signature" in letters[task], letters
    assert not list(queue.r.scan_iter(match=queue.prefix + "task:*"))


def test_without_a_secret_tasks_run_and_the_worker_warns_once(redis_server, tmp_path, monkeypatch):
    from cardshop_auditor.pipeline import AuditResult
    from cardshop_auditor.queue import WorkerConfig, run_worker
    from cardshop_auditor.storage import open_store
    from batch_helpers_scale import fake_report

    monkeypatch.delenv("CARDSHOP_QUEUE_SECRET", raising=False)
    queue = Queue(redis_server.url, prefix="nosig:")
    db = f"sqlite:///{tmp_path / 'history.db'}"
    open_store(db).ensure_batch("b1", total=2)
    queue.put_batch("b1", {"browser": "never"}, 2, None)
    queue.enqueue("b1", "a", {"url": "http://127.0.0.1:9/a"})
    queue.enqueue("b1", "b", {"url": "http://127.0.0.1:9/b"}, secret=SECRET)   # a signature is simply unused

    def audit(targets, options, log=None, on_result=None):
        for t in targets:
            t.out_dir.mkdir(parents=True, exist_ok=True)
            on_result(AuditResult(t, fake_report(t.url), {}))

    lines = []
    cfg = WorkerConfig(redis_url=queue.url, db=db, out_dir=tmp_path / "out", worker_id="w-nosig", lease=10,
                       idle_exit=0.5, poll=0.1, allow_networks=["127.0.0.1/32"], prefix=queue.prefix)
    assert run_worker(cfg, log=lines.append, audit=audit) == 2
    assert sum("no queue secret" in line for line in lines) == 1, lines
    assert queue.done("b1") == {"a", "b"}


def test_a_flood_of_bad_tasks_leaves_a_bounded_dead_letter_list(redis_server, tmp_path):
    """10,300 over-long ids (dead-lettered by the claim script), then bogus tasks through the
    worker (no record, forged shop ids of a real batch) and 250 distinct reasons: the list
    keeps the newest DEAD_LETTER_CAP entries, the counters keep every total, the reason
    kinds stay bounded, and the worker still audits the one real task behind the flood."""
    from cardshop_auditor.pipeline import AuditResult
    from cardshop_auditor.queue import DEAD_LETTER_CAP, REASON_KINDS_CAP, WorkerConfig, run_worker
    from cardshop_auditor.storage import open_store
    from batch_helpers_scale import fake_report

    queue = Queue(redis_server.url, prefix="flood:")
    for key in queue.r.scan_iter(match=queue.prefix + "*"):
        queue.r.delete(key)
    letters = queue.prefix + "deadletters"
    pipe = queue.r.pipeline(transaction=False)
    for i in range(DEAD_LETTER_CAP + 300):
        pipe.rpush(queue.pending, f"b1:{i:06d}" + "x" * 600)
    pipe.execute()
    assert queue.claim("w-flood", DEAD_LETTER_CAP + 1000, 10) == []
    assert queue.r.llen(letters) == DEAD_LETTER_CAP
    assert queue.dead_letter_counts() == {"task id too long": DEAD_LETTER_CAP + 300}

    for i in range(REASON_KINDS_CAP + 50):       # every distinct reason its own kind, up to the cap
        queue.reject("w-flood", f"zz:kind{i}", f"kind {i}: made up")
    counts = queue.dead_letter_counts()
    assert len(counts) == REASON_KINDS_CAP + 1 and counts["other"] == 51, len(counts)

    db = f"sqlite:///{tmp_path / 'history.db'}"
    open_store(db).ensure_batch("b1", total=1)
    queue.put_batch("b1", {"browser": "never"}, 1, None)
    pipe = queue.r.pipeline(transaction=False)
    for i in range(300):
        pipe.rpush(queue.pending, f"b1:forged{i}")                 # no record: never enqueued
    pipe.execute()
    queue.enqueue("b1", "real", {"url": "http://127.0.0.1:9/real"})
    stored = []

    def audit(targets, options, log=None, on_result=None):
        for t in targets:
            stored.append(t.id)
            t.out_dir.mkdir(parents=True, exist_ok=True)
            on_result(AuditResult(t, fake_report(t.url), {}))

    cfg = WorkerConfig(redis_url=queue.url, db=db, out_dir=tmp_path / "out", worker_id="w-flood", chunk=50,
                       lease=30, idle_exit=0.5, poll=0.1, allow_networks=["127.0.0.1/32"], prefix=queue.prefix)
    assert run_worker(cfg, log=lambda m: None, audit=audit) == 1 and stored == ["real"]
    assert queue.r.llen(letters) == DEAD_LETTER_CAP
    newest = queue.dead_letters(300)
    assert {d["task"] for d in newest} == {f"b1:forged{i}" for i in range(300)}
    counts = queue.dead_letter_counts()
    assert sum(counts.values()) == DEAD_LETTER_CAP + 300 + REASON_KINDS_CAP + 50 + 300, counts
    assert counts["task id too long"] == DEAD_LETTER_CAP + 300
    assert counts["other"] == 51 + 300       # "no task record" came after the kinds were full
    assert queue.done("b1") == {"real"}
