"""The broker's dead-letter queue is capped by count, not only by its 7-day expiry: a flood
of malformed messages written straight into a real redis-server keeps at most
``--max-dead-letters`` of them (the oldest dropped first), counts the ones dropped, and the
count shows in the workers' Prometheus metrics and on `batch --broker`'s summary line."""
from __future__ import annotations

import json

import pytest

from engine_helpers import (broker_batch_summary, emptied_redis_db, push_raw, raw_message, scrape_metrics,
                            stored_audit, wait_for, worker_thread)

from cardshop_auditor.engine.broker import EngineSettings, dead_letter_keys
from cardshop_auditor.engine.worker import WorkerConfig, run_worker

pytestmark = pytest.mark.services

CAP = 5


@pytest.fixture
def broker_url(redis_server):
    return emptied_redis_db(redis_server, 7)


def flood(client, tag: str, n: int) -> None:
    """``n`` messages for an actor that is not ours: each one a dead letter."""
    for i in range(n):
        push_raw(client, raw_message([f"{tag}-{i}", []], actor="not_our_actor"))


def held_tags(client) -> set[str]:
    _, messages, _ = dead_letter_keys()
    return {json.loads(data)["args"][0] for data in client.hvals(messages)}


def config(broker_url, db, out, **kw) -> WorkerConfig:
    settings = EngineSettings(min_backoff=0.1, max_backoff=0.5, heartbeat_timeout=5, dead_message_cap=CAP)
    return WorkerConfig(broker_url=broker_url, db=db, out_dir=out, worker_id="w-cap", threads=1,
                        settings=settings, allow_networks=["127.0.0.1/32"], **kw)


def test_a_flood_of_malformed_messages_keeps_the_newest_up_to_the_cap_and_counts_the_rest(broker_url, tmp_path):
    import redis
    client = redis.Redis.from_url(broker_url)
    db = f"sqlite:///{tmp_path / 'h.db'}"
    xq, messages, dropped_key = dead_letter_keys()

    flood(client, "old", 3)
    assert run_worker(config(broker_url, db, tmp_path / "out", idle_exit=0.8), log=lambda m: None,
                      audit=stored_audit) == 0
    assert client.zcard(xq) == 3 and client.get(dropped_key) is None

    flood(client, "new", 10)
    lines: list[str] = []
    with worker_thread(config(broker_url, db, tmp_path / "out", idle_exit=0, metrics_port=0), stored_audit,
                       log=lines.append):
        assert wait_for(lambda: int(client.get(dropped_key) or 0) == 8, 30), client.get(dropped_key)
        metrics = scrape_metrics(lines)
    assert client.zcard(xq) == CAP and client.hlen(messages) == CAP
    assert held_tags(client) <= {f"new-{i}" for i in range(10)}       # the three older ones went first
    assert int(client.get(dropped_key)) == 8
    assert "cardshop_dead_letter_queue_messages 5.0" in metrics
    assert "cardshop_dead_letter_queue_dropped_total 8.0" in metrics


def test_the_batch_summary_line_says_how_many_dead_letters_were_dropped(broker_url, tmp_path):
    import redis
    client = redis.Redis.from_url(broker_url)
    db = f"sqlite:///{tmp_path / 'h.db'}"
    flood(client, "flood", CAP + 4)
    with worker_thread(config(broker_url, db, tmp_path / "worker-out", idle_exit=0), stored_audit):
        line = broker_batch_summary(tmp_path, broker_url, db)
    assert f"broker dead-letter queue: {CAP} message(s), 4 dropped over its cap" in line, line
