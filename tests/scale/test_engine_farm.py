"""The task engine end to end (issue 14 item 1): a real redis-server as Dramatiq's broker
(append-only, as it should be run) and a real PostgreSQL, `batch --broker --db` enqueueing
60 fixture shops, three `worker` processes; one worker SIGKILLed while it holds a shop,
the broker restarted mid-batch, and crafted messages pushed straight into Redis.  Every
shop is stored exactly once, the killed worker's shops are re-run by the others within
two minutes, the workers keep running, and nothing outside the output directories is
touched."""
from __future__ import annotations

import json
import os
import signal
import time
from collections import Counter
from contextlib import ExitStack

import pytest

from engine_helpers import (Proc, crafted_messages, dead_letter_queue, held_by, plant_sentinels, push_raw, snapshot,
                            wait_for)
from fixtures.server import FixtureServer

pytestmark = [pytest.mark.services, pytest.mark.slow]
SHOPS = ["changing_shop_v1", "changing_shop_v2"]
COPIES = 30                      # 60 shops, each on its own port
HEARTBEAT = "8"                  # seconds: a killed worker's shops move after this
SECRET = "engine-farm-secret-松鼠-7d2c"   # shared by coordinator and workers: tasks are signed


def test_three_workers_one_killed_broker_restarted_every_shop_stored_once(persistent_redis, postgres_server,
                                                                          tmp_path):
    import redis
    broker = persistent_redis
    db = postgres_server.create_database("engine")
    env = dict(os.environ, CARDSHOP_QUEUE_SECRET=SECRET)
    logs = tmp_path / "logs"
    logs.mkdir()
    client = redis.Redis.from_url(broker.url)
    procs: list[Proc] = []
    sentinels = plant_sentinels(tmp_path)
    outputs = [logs, tmp_path / "out", *(tmp_path / f"w{i}" for i in range(3))]
    before = snapshot(tmp_path, *outputs)
    with ExitStack() as stack:
        stack.callback(lambda: [p.kill_group() for p in procs])
        servers = [stack.enter_context(FixtureServer(SHOPS)) for _ in range(COPIES)]
        urls = [s.url(n) for s in servers for n in SHOPS]
        (logs / "urls.txt").write_text("\n".join(urls) + "\n", "utf-8")

        coordinator = Proc("batch", logs / "urls.txt", "--out", tmp_path / "out", "--broker", broker.url,
                           "--db", db, "--browser", "never", "--max-pages", "6", "--no-progress", "--chunk", "3",
                           "--wait-timeout", "240", stderr_path=logs / "batch.err", env=env)
        procs.append(coordinator)
        assert wait_for(lambda: client.llen("cardshop:cardshop-audit") == len(urls) // 3, 90), "nothing enqueued"
        batch_id = json.loads((tmp_path / "out" / "batch.json").read_text("utf-8"))["batch_id"]
        for data in crafted_messages(broker.port, batch_id)[:5]:            # some ahead of the real work
            push_raw(client, data, front=True)
        workers = [Proc("worker", "--broker", broker.url, "--db", db, "--out", tmp_path / f"w{i}",
                        "--threads", "1", "--heartbeat-timeout", HEARTBEAT, "--min-backoff", "0.5",
                        "--idle-exit", "6", "--worker-id", f"w{i}",
                        "--allow-network", "127.0.0.1/32",        # the fixture shops are on loopback
                        stderr_path=logs / f"w{i}.err", env=env) for i in range(3)]
        procs += workers
        assert wait_for(lambda: all(w.broker_id() for w in workers), 60), workers[0].log()[-2000:]

        victim = workers[0]
        held: list[str] = []

        def victim_mid_shop() -> bool:
            nonlocal held
            held = held_by(client, victim.broker_id())
            return bool(victim.stored()) and bool(held)
        assert wait_for(victim_mid_shop, 150), "worker w0 never held a shop after storing one"
        os.kill(victim.p.pid, signal.SIGKILL)
        victim.p.wait(30)
        killed_at = time.monotonic()
        held = [s for s in held if s not in victim.stored()]

        for data in crafted_messages(broker.port, batch_id)[5:]:            # and some while the others work
            push_raw(client, data)
        broker.restart(down_for=1.0)                               # the broker goes away mid-batch
        client = redis.Redis.from_url(broker.url)

        from cardshop_auditor.storage import open_store
        store = open_store(db)
        assert wait_for(lambda: all(store.find_scan(batch_id, s) is not None for s in held), 120, step=0.5), \
            f"the killed worker's shops {held} not re-run within two minutes"
        recovered_in = time.monotonic() - killed_at
        coordinator.p.wait(260)
        coordinator.thread.join(5)
        batch_err = coordinator.log()
        assert coordinator.p.returncode == 0, batch_err[-3000:]
        for w in workers[1:]:
            w.p.wait(90)
            assert w.p.returncode == 0, w.log()[-3000:]       # still running until idle, then a clean exit

    # every shop stored exactly once…
    from cardshop_auditor.storage import deadletters
    ids = {s["id"] for s in json.loads((tmp_path / "out" / "batch.json").read_text("utf-8"))["shops"]}
    assert len(ids) == len(urls) == 2 * COPIES
    scans = store.batch_scans(batch_id, with_report=True)
    assert sorted(s.shop_id for s in scans) == sorted(ids)
    for scan in scans:
        assert scan.report["schema_version"] == 1 and scan.status == "complete" and scan.score is not None
    # …and audited once to completion: one "stored" line per shop over all workers
    stored = Counter(sid for w in workers for sid in w.stored())
    assert set(stored) == ids and set(stored.values()) == {1}, stored.most_common(3)

    # the shops the killed worker held were re-run by the others, within two minutes
    assert held and all(s.worker != "w0" for s in scans if s.shop_id in held), held
    assert recovered_in < 120, recovered_in

    # crafted messages: dead-lettered with a reason, in Dramatiq's dead-letter queue or as a
    # row of the batch; no file outside the output directories touched; no real shop given up
    text = "".join(w.log() for w in workers)
    assert text.count("dead-lettered") >= 10, text[-4000:]
    assert "does not decode" in text and "another actor" in text and "unsigned task" in text
    assert len(dead_letter_queue(client)) >= 4
    dead = deadletters.for_batch(store, batch_id)
    assert set(dead) == {"broker-shop", "pw", "opts"}, dead           # unsigned: never audited
    assert snapshot(tmp_path, *outputs) == before
    assert all((s / "keep.txt").exists() for s in sentinels)

    # the coordinator wrote a report per shop and the summary from the database
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    assert summary["total"] == summary["audited"] == len(ids) and summary["missing"] == 0
    for sid in ids:
        assert json.loads((tmp_path / "out" / sid / "report.json").read_text("utf-8"))["schema_version"] == 1
