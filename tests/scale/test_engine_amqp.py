"""The task engine on RabbitMQ (``--broker amqp://…``): a real RabbitMQ node started by this
module on free loopback ports (tests/scale/services.py), workers in this process
(``run_worker`` with an injected audit) and a coordinator as a subprocess.  Crafted
messages published straight to the queue (as anyone with write access to it could) are
dead-lettered to ``cardshop-audit.XQ`` or as a ``dead_letters`` row, with the worker going
on; a failed audit is retried through RabbitMQ's delay queue; the coordinator rides out a
broker outage with backoff; an unreachable broker is exit 4 and one line.  The end-to-end
run with worker processes (killed worker, broker restart) is test_engine_amqp_farm.py."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time

import pytest

from engine_helpers import (ROOT, broker_batch_summary, crafted_messages, raw_message, scrape_metrics, stored_audit,
                            wait_for, worker_thread)
from test_engine_hostile import GOOD, RecordingAudit, dead, send, work

from cardshop_auditor.engine.broker import MAX_MESSAGE_BYTES, QUEUE, make_broker, ping
from cardshop_auditor.queue_tasks import MAX_CHUNK
from cardshop_auditor.engine.worker import WorkerConfig, run_worker

pytestmark = pytest.mark.services


def channel(url: str):
    import pika
    connection = pika.BlockingConnection(pika.URLParameters(url))
    ch = connection.channel()
    ch.confirm_delivery()
    return connection, ch


def publish_raw(url: str, bodies) -> None:
    """Bodies published on the audit queue as any client with write access could."""
    import pika
    connection, ch = channel(url)
    try:
        for body in bodies:
            ch.basic_publish(exchange="", routing_key=QUEUE, body=body,
                             properties=pika.BasicProperties(delivery_mode=2), mandatory=True)
    finally:
        connection.close()


def counts(url: str) -> tuple[int, int, int]:
    """Messages ready on the queue, its delay queue and its dead-letter queue."""
    broker = make_broker(url)
    try:
        return broker.get_queue_message_counts(QUEUE)
    finally:
        broker.close()


@pytest.fixture
def amqp_url(rabbitmq_server):
    """The module's RabbitMQ with the audit queues deleted and declared afresh (empty, the
    dead-letter queue with the default cap)."""
    connection, ch = channel(rabbitmq_server.url)
    try:
        for name in (QUEUE, f"{QUEUE}.DQ", f"{QUEUE}.XQ"):
            ch.queue_delete(name)
    finally:
        connection.close()
    broker = make_broker(rabbitmq_server.url)
    try:
        ping(broker)
    finally:
        broker.close()
    return rabbitmq_server.url


@pytest.fixture
def db(tmp_path):
    from cardshop_auditor.storage import open_store
    (tmp_path / "state").mkdir()
    url = f"sqlite:///{tmp_path / 'state' / 'history.db'}"
    store = open_store(url)
    for batch_id in ("b1", "b2"):                              # what coordinators registered
        store.ensure_batch(batch_id, options={"browser": "never", "max_pages": 5})
    return url


def test_crafted_messages_are_dead_lettered_and_the_worker_goes_on(amqp_url, db, tmp_path):
    port = int(amqp_url.rsplit(":", 1)[1].split("/")[0])
    publish_raw(amqp_url, [
        b"\xff\xfe garbage", b"[]", b"null", b'{"args": 1}',                      # do not decode
        b"x" * (MAX_MESSAGE_BYTES + 1),
        raw_message(["b1", [["s1", GOOD, None]]], actor="eval"),
        raw_message(["b1", [["s1", GOOD, None]]], kwargs={"path": "/etc"}),
        raw_message(["..", [["s1", GOOD, None]]]),
        raw_message(["bnone", [["s1", GOOD, None]]]),                               # no coordinator
        raw_message(["b1", [["s", GOOD, None]] * (MAX_CHUNK + 1)]),
        raw_message(["b1", [["bad-json", '{"url": ', None], ["file-url", '{"url":"file:///etc/passwd"}', None],
                            ["at-the-broker", json.dumps({"url": f"http://127.0.0.1:{port}/"}), None],
                            ["../../victim", GOOD, None], ["valid-1", GOOD, None]]]),
        raw_message(["b1", [["valid-2", GOOD, None]]],                              # options steer nothing
                    options={"pipe_target": {"actor_name": "eval"}, "max_retries": 10**9, "eta": 2**62,
                             "time_limit": 1, "retries": -5}),
    ])
    send(amqp_url, "b2", [("valid-3", GOOD, None)])
    audit = RecordingAudit()
    stored, lines = work(amqp_url, db, tmp_path / "out", audit, idle=1.5)
    text = "\n".join(lines)
    assert stored == 3, text                                # every valid shop, the worker never stopped
    assert sorted(t.id for t in audit.targets) == ["valid-1", "valid-2", "valid-3"]
    assert all(t.out_dir.resolve().is_relative_to((tmp_path / "out").resolve()) for t in audit.targets)
    for why in ("does not decode", "message too large", "another actor", "keyword arguments",
                "batch id has characters", "not registered", f"1 to {MAX_CHUNK} shops"):
        assert why in text, why
    reasons = dead(db, "b1")                                # a shop of a registered batch: a row
    assert "not valid JSON" in reasons["bad-json"] and "form not allowed" in reasons["file-url"]
    assert "own broker or database" in reasons["at-the-broker"]
    assert set(reasons) == {"bad-json", "file-url", "at-the-broker"}
    # the nine whole messages refused (all but the unregistered batch's, whose shop is refused
    # alone) are in RabbitMQ's dead-letter queue; none is left queued
    ready, delayed, dead_lettered = counts(amqp_url)
    assert (ready, delayed, dead_lettered) == (0, 0, 9)


def test_a_failed_audit_is_retried_through_the_delay_queue_then_given_up(amqp_url, db, tmp_path):
    from cardshop_auditor.engine.broker import EngineSettings
    send(amqp_url, "b1", [("s1", GOOD, None)])
    audit = RecordingAudit(fail_first=99, error="net::ERR_CONNECTION_RESET")
    started = time.monotonic()
    stored, lines = work(amqp_url, db, tmp_path / "out", audit, idle=4.0,      # idle: longer than a backoff
                         settings=EngineSettings(max_attempts=3, min_backoff=0.5, max_backoff=1.0))
    assert stored == 0 and audit.calls == 3                 # three attempts, then given up
    assert time.monotonic() - started >= 1.0                # the retries waited their backoff
    assert dead(db, "b1")["s1"].startswith("failed 3 time(s)")
    assert counts(amqp_url) == (0, 0, 1)                    # the message itself ends in the XQ


def test_a_retry_after_a_failure_stores_each_shop_once(amqp_url, db, tmp_path):
    send(amqp_url, "b1", [("s1", GOOD, None), ("s2", '{"url":"http://127.0.0.1:10/"}', None)])
    audit = RecordingAudit(fail_first=1)
    stored, _ = work(amqp_url, db, tmp_path / "out", audit, idle=3.0)          # idle: longer than a backoff
    assert stored == 2 and sorted(t.id for t in audit.targets) == ["s1", "s2"] and dead(db, "b1") == {}
    assert counts(amqp_url) == (0, 0, 0)


def test_prometheus_metrics_count_amqp_dead_letters(amqp_url, db, tmp_path):
    send(amqp_url, "b1", [("s1", GOOD, None), ("bad", "[]", None)])
    found: dict[str, str] = {}
    audit = RecordingAudit()
    lines: list[str] = []

    def scrape_during_audit(targets, options, log=None, on_result=None):
        found["text"] = scrape_metrics(lines)
        return audit(targets, options, log=log, on_result=on_result)

    cfg = WorkerConfig(broker_url=amqp_url, db=db, out_dir=tmp_path / "out", threads=1, idle_exit=1.0,
                       allow_networks=["127.0.0.1/32"], metrics_port=0)
    assert run_worker(cfg, log=lines.append, audit=scrape_during_audit) == 1
    assert 'dramatiq_messages_inprogress{actor_name="audit_chunk",queue_name="cardshop-audit"} 1.0' in found["text"]
    assert 'cardshop_dead_letters_total{reason="payload field"} 1.0' in found["text"]


def test_the_distributed_engine_hands_jobs_to_amqp_workers(amqp_url, tmp_path):
    from cardshop_auditor.engine import DONE, QUEUED, open_engine
    from cardshop_auditor.options import AuditOptions
    db = f"sqlite:///{tmp_path / 'h.db'}"
    engine = open_engine(options=AuditOptions(browser="never"), broker_url=amqp_url, db=db)
    try:
        jobs = [engine.submit("http://127.0.0.1:9/"), engine.submit("http://127.0.0.1:10/")]
        assert [engine.status(j) for j in jobs] == [QUEUED, QUEUED]
        stored, _ = work(amqp_url, db, tmp_path / "w", RecordingAudit())
        assert stored == 2 and [engine.status(j) for j in jobs] == [DONE, DONE]
        assert engine.result(jobs[1])["target"] == "http://127.0.0.1:10/"
    finally:
        engine.close()


def test_a_worker_cut_off_from_the_broker_is_not_idle_and_reconnects(rabbitmq_server, amqp_url, db, tmp_path):
    import threading
    from cardshop_auditor.engine.broker import EngineSettings
    audit = RecordingAudit()
    lines: list[str] = []
    cfg = WorkerConfig(broker_url=amqp_url, db=db, out_dir=tmp_path / "out", worker_id="w-cut", threads=1,
                       idle_exit=3.0, allow_networks=["127.0.0.1/32"],
                       settings=EngineSettings(min_backoff=0.1, max_backoff=0.5, heartbeat_timeout=5))
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(run_worker(cfg, log=lines.append, audit=audit)))
    thread.start()
    try:
        assert wait_for(lambda: any("started: broker" in ln for ln in lines), 30), lines
        rabbitmq_server.stop_node()
        time.sleep(6)                                   # twice its idle time, the broker away
        assert thread.is_alive(), lines                 # waiting for the broker, not "idle"
    finally:
        rabbitmq_server.start_node()
    send(amqp_url, "b1", [("after-restart", GOOD, None)])
    thread.join(120)
    assert not thread.is_alive() and result == [1], lines      # reconnected, audited, then idle
    assert [t.id for t in audit.targets] == ["after-restart"]


def test_a_consumer_cut_off_from_rabbitmq_counts_as_cut_off_until_it_fetches_again(rabbitmq_server, amqp_url):
    """What keeps a worker from leaving as idle while RabbitMQ is back and its consumer still
    waits out Dramatiq's restart delay (engine.worker.idle_long_enough)."""
    import contextlib
    from dramatiq.errors import ConnectionClosed
    from cardshop_auditor.engine.broker import consumers_cut_off
    broker = make_broker(amqp_url)
    consumers = [broker.consume(QUEUE, timeout=100)]
    try:
        assert next(consumers[0]) is None and not consumers_cut_off(broker)    # an empty queue, fetched
        rabbitmq_server.stop_node()
        try:
            with pytest.raises(ConnectionClosed):                  # the broker's shutdown noticed
                for _ in range(100):
                    next(consumers[0])
            assert consumers_cut_off(broker)
            with pytest.raises(ConnectionClosed):                  # Dramatiq's restart, refused
                broker.consume(QUEUE, timeout=100)
            assert consumers_cut_off(broker)
        finally:
            rabbitmq_server.start_node()
        assert consumers_cut_off(broker)          # RabbitMQ answers; this consumer has not fetched yet
        consumers.append(broker.consume(QUEUE, timeout=100))
        assert next(consumers[-1]) is None and not consumers_cut_off(broker)
    finally:
        for consumer in consumers:
            with contextlib.suppress(ConnectionClosed):      # the first one's connection is gone
                consumer.close()
        broker.close()


def test_the_dead_letter_queue_keeps_the_newest_up_to_the_cap(rabbitmq_server, amqp_url, tmp_path):
    from cardshop_auditor.engine.broker import EngineSettings, dead_letter_stats
    cap = 5
    connection, ch = channel(amqp_url)
    ch.queue_delete(f"{QUEUE}.XQ")                 # declared again by the worker, with its cap
    connection.close()
    db = f"sqlite:///{tmp_path / 'h.db'}"

    def config(**kw) -> WorkerConfig:
        return WorkerConfig(broker_url=amqp_url, db=db, out_dir=tmp_path / "w", worker_id="w-cap", threads=1,
                            allow_networks=["127.0.0.1/32"], settings=EngineSettings(
                                min_backoff=0.1, max_backoff=0.5, heartbeat_timeout=5, dead_message_cap=cap), **kw)

    def flood(tag: str, n: int) -> None:         # messages for an actor that is not ours
        publish_raw(amqp_url, [raw_message([f"{tag}-{i}", []], actor="not_our_actor") for i in range(n)])

    flood("old", 3)
    assert run_worker(config(idle_exit=0.8), log=lambda m: None, audit=stored_audit) == 0
    assert counts(amqp_url)[2] == 3
    flood("new", 10)
    lines: list[str] = []
    with worker_thread(config(idle_exit=0, metrics_port=0), stored_audit, log=lines.append):
        assert wait_for(lambda: counts(amqp_url)[0] == 0 and any("metrics on" in ln for ln in lines), 30), lines
        metrics = scrape_metrics(lines)
        # a coordinator meanwhile (its broker asks for the default cap: the queue is kept as it is)
        line = broker_batch_summary(tmp_path, amqp_url, db)
    assert f"broker dead-letter queue: {cap} message(s)" in line and "dropped" not in line, line
    assert "cardshop_dead_letter_queue_messages 5.0" in metrics
    assert "cardshop_dead_letter_queue_dropped" not in metrics    # RabbitMQ does not count them
    broker = make_broker(amqp_url)
    try:
        assert dead_letter_stats(broker) == (cap, None)
    finally:
        broker.close()
    connection, ch = channel(amqp_url)                # the oldest went first: the newest five are kept
    held = []
    while (got := ch.basic_get(f"{QUEUE}.XQ", auto_ack=True))[0] is not None:
        held.append(json.loads(got[2])["args"][0])
    connection.close()
    assert held == [f"new-{i}" for i in range(5, 10)], held


def batch(tmp_path, *args):
    """`batch --no-wait` over three shops (two a chunk), its stderr in tmp_path/batch.err."""
    urls = tmp_path / "urls.txt"
    urls.write_text("http://127.0.0.1:9/\nhttp://127.0.0.1:10/\nhttp://127.0.0.1:11/\n", "utf-8")
    command = [sys.executable, "-m", "cardshop_auditor", "batch", urls, "--out", tmp_path / "out",
               "--db", f"sqlite:///{tmp_path / 'h.db'}", "--no-progress", "--chunk", "2", "--no-wait", *args]
    with open(tmp_path / "batch.err", "w") as err:
        return subprocess.Popen([str(c) for c in command], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err,
                                text=True)


def test_the_coordinator_rides_out_a_broker_outage_with_backoff(rabbitmq_server, amqp_url, tmp_path):
    rabbitmq_server.stop_node()
    coordinator = None
    try:
        coordinator = batch(tmp_path, "--broker", amqp_url, "--outage-wait", "240")
        said = lambda: (tmp_path / "batch.err").read_text("utf-8", "replace")       # noqa: E731
        # two failed tries, the second after a longer pause, while the broker is down
        assert wait_for(lambda: "retrying in 2s" in said() or coordinator.poll() is not None, 90), said()
        assert coordinator.poll() is None, said()
    finally:
        rabbitmq_server.start_node()
    coordinator.wait(240)
    errors = said()
    assert coordinator.returncode == 0, errors
    assert "broker unreachable (AMQPConnectionError); retrying in 1s" in errors
    assert "3 shop(s) enqueued" in errors and "Traceback" not in errors
    assert counts(amqp_url) == (2, 0, 0)                       # 3 shops, 2 a chunk: 2 messages, once


def test_an_unreachable_amqp_broker_is_exit_4_and_one_line(tmp_path):
    with socket.socket() as s:                                 # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = batch(tmp_path, "--broker", f"amqp://guest:guest@127.0.0.1:{port}/%2F", "--outage-wait", "1.5")
    run.wait(120)
    errors = (tmp_path / "batch.err").read_text("utf-8")
    assert run.returncode == 4, errors
    lines = [ln for ln in errors.splitlines() if ln.startswith("cardshop-audit: error:")]
    assert len(lines) == 1 and "broker unreachable (AMQPConnectionError); gave up after 1.5s" in lines[0], errors
    assert "Traceback" not in errors and "guest:guest" not in errors


def test_a_worker_whose_amqp_broker_is_away_gives_up_with_one_reason(tmp_path):
    from cardshop_auditor.errors import BrokerUnavailable
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = WorkerConfig(broker_url=f"amqp://guest:guest@127.0.0.1:{port}/%2F", db=f"sqlite:///{tmp_path / 'h.db'}",
                       out_dir=tmp_path / "out", startup_wait=1.0)
    with pytest.raises(BrokerUnavailable, match=r"broker unreachable \(AMQPConnectionError\); gave up after 1s"):
        run_worker(cfg, log=lambda m: None)


def test_a_broker_url_of_another_kind_is_a_usage_error():
    from cardshop_auditor.errors import UsageError
    for url in ("kafka://127.0.0.1:9092", "127.0.0.1:5672", "http://127.0.0.1:15672/"):
        with pytest.raises(UsageError, match="amqp://"):
            make_broker(url)


# --------------------------------------------------------------------------- end to end

FARM_SHOPS = ["changing_shop_v1", "changing_shop_v2"]
FARM_COPIES = 6                          # 12 shops, each on its own port
FARM_SECRET = "amqp-farm-secret-白兔-4e1b"     # shared by coordinator and workers: tasks are signed


@pytest.mark.slow
def test_two_workers_one_killed_broker_restarted_every_shop_stored_once(rabbitmq_server, amqp_url, postgres_server,
                                                                        tmp_path):
    import os
    import signal
    from collections import Counter
    from contextlib import ExitStack

    from engine_helpers import Proc, plant_sentinels, snapshot
    from fixtures.server import FixtureServer

    from cardshop_auditor.storage import deadletters, open_store
    db = postgres_server.create_database("amqp")
    env = dict(os.environ, CARDSHOP_QUEUE_SECRET=FARM_SECRET)
    logs = tmp_path / "logs"
    logs.mkdir()
    sentinels = plant_sentinels(tmp_path)
    outputs = [logs, tmp_path / "out", tmp_path / "w0", tmp_path / "w1"]
    before = snapshot(tmp_path, *outputs)
    procs: list[Proc] = []
    with ExitStack() as stack:
        stack.callback(lambda: [p.kill_group() for p in procs])
        servers = [stack.enter_context(FixtureServer(FARM_SHOPS)) for _ in range(FARM_COPIES)]
        urls = [s.url(n) for s in servers for n in FARM_SHOPS]
        (logs / "urls.txt").write_text("\n".join(urls) + "\n", "utf-8")
        coordinator = Proc("batch", logs / "urls.txt", "--out", tmp_path / "out", "--broker", amqp_url,
                           "--db", db, "--browser", "never", "--max-pages", "6", "--no-progress", "--chunk", "2",
                           "--wait-timeout", "300", stderr_path=logs / "batch.err", env=env)
        procs.append(coordinator)
        assert wait_for(lambda: "12 shop(s) enqueued" in coordinator.log(), 90), coordinator.log()[-2000:]
        assert counts(amqp_url)[0] == 6
        batch_id = json.loads((tmp_path / "out" / "batch.json").read_text("utf-8"))["batch_id"]
        workers = [Proc("worker", "--broker", amqp_url, "--db", db, "--out", tmp_path / f"w{i}",
                        "--threads", "1", "--heartbeat-timeout", "8", "--min-backoff", "0.5",
                        "--idle-exit", "8", "--worker-id", f"w{i}",
                        "--allow-network", "127.0.0.1/32",        # the fixture shops are on loopback
                        stderr_path=logs / f"w{i}.err", env=env) for i in range(2)]
        procs += workers
        assert wait_for(lambda: all(w.broker_id() for w in workers), 60), workers[0].log()[-2000:]
        crafted = crafted_messages(rabbitmq_server.port, batch_id)
        publish_raw(amqp_url, crafted[:5])                          # while the workers run

        victim = workers[0]
        held: list[str] = []

        def victim_mid_shop() -> bool:          # after a first chunk, a shop it started and did not store
            nonlocal held
            started = tmp_path / "w0" / batch_id
            names = {d.name for d in started.iterdir()} if started.is_dir() else set()
            held = sorted(names - set(victim.stored()))
            return bool(victim.stored()) and bool(held)
        assert wait_for(victim_mid_shop, 150, step=0.02), "worker w0 never held a shop after storing one"
        os.kill(victim.p.pid, signal.SIGKILL)
        victim.p.wait(30)
        killed_at = time.monotonic()
        time.sleep(0.5)                         # its last stdout lines read
        held = [s for s in held if s not in victim.stored()]

        stored_before_restart = len(open_store(db).batch_scans(batch_id))
        rabbitmq_server.restart(down_for=1.0)                      # the broker goes away mid-batch
        publish_raw(amqp_url, crafted[5:])

        store = open_store(db)
        assert wait_for(lambda: all(store.find_scan(batch_id, s) is not None for s in held), 120, step=0.5), \
            f"the killed worker's shops {held} not re-run within two minutes"
        recovered_in = time.monotonic() - killed_at
        coordinator.p.wait(300)
        coordinator.thread.join(5)
        assert coordinator.p.returncode == 0, coordinator.log()[-3000:]
        survivor = workers[1]
        survivor.p.wait(120)
        assert survivor.p.returncode == 0, survivor.log()[-3000:]     # reconnected, then idle: a clean exit

    # every shop stored exactly once, and audited to completion once: one "stored" line each
    ids = {s["id"] for s in json.loads((tmp_path / "out" / "batch.json").read_text("utf-8"))["shops"]}
    assert len(ids) == len(urls) == 12
    scans = store.batch_scans(batch_id, with_report=True)
    assert sorted(s.shop_id for s in scans) == sorted(ids)
    assert all(s.status == "complete" and s.report["schema_version"] == 1 for s in scans)
    stored = Counter(sid for w in workers for sid in w.stored())
    assert set(stored) == ids and set(stored.values()) == {1}, stored.most_common(3)
    assert 0 < stored_before_restart < len(ids)            # the restart did land mid-batch
    # the shops the killed worker had in hand were re-run by the other, within two minutes
    assert held and all(s.worker == "w1" for s in scans if s.shop_id in held), held
    assert recovered_in < 120, recovered_in
    print(f"killed worker's shops {held} stored by the other {recovered_in:.1f}s after the kill; "
          f"stored after the broker restart: {len(ids) - stored_before_restart}")

    # crafted messages: dead-lettered with a reason, in the .XQ queue or as a row of the batch
    text = survivor.log() + victim.log()
    assert "does not decode" in text and "another actor" in text and "unsigned task" in text, text[-4000:]
    assert counts(amqp_url)[2] >= 4
    assert set(deadletters.for_batch(store, batch_id)) == {"broker-shop", "pw", "opts"}
    assert snapshot(tmp_path, *outputs) == before and all((s / "keep.txt").exists() for s in sentinels)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    assert summary["total"] == summary["audited"] == 12 and summary["missing"] == 0
