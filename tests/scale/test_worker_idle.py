"""When a worker may leave as idle (``--idle-exit``): nothing to do for that long, its broker
answering, and each of its consumers fetching again after a lost connection.  Dramatiq
reconnects a consumer only after its restart delay: a broker that answers again while the
consumer still waits is no sign that the queue is empty (a worker that left then kept the
farm test's queued shops from ever being audited)."""
from __future__ import annotations

import time

import pytest
from dramatiq.errors import ConnectionClosed

from cardshop_auditor.engine.broker import QUEUE, consumers_cut_off, make_broker
from cardshop_auditor.engine.worker import CONSUMER_RESTART, _Activity, idle_long_enough


class BrokerStub:
    """What idle_long_enough asks of a broker: whether it answers, and which consumers lost it."""

    def __init__(self):
        self.answers = True
        self.cut_off_queues: set[str] = set()

    def reachable(self) -> bool:
        return self.answers


def idle_since(seconds: float) -> _Activity:
    activity = _Activity()
    activity.last = time.monotonic() - seconds
    return activity


def test_idle_with_the_broker_answering_and_the_consumers_fetching_is_idle():
    assert idle_long_enough(idle_since(9), 8, BrokerStub())
    assert not idle_long_enough(idle_since(7), 8, BrokerStub())      # not yet
    assert not idle_long_enough(idle_since(99), 0, BrokerStub())     # --idle-exit 0: never


def test_a_broker_that_answers_again_before_the_consumer_fetches_is_not_idle():
    broker = BrokerStub()
    broker.cut_off_queues.add(QUEUE)          # its consumer waits out Dramatiq's restart delay
    activity = idle_since(60)
    assert not idle_long_enough(activity, 8, broker)
    assert activity.idle_for() == 0.0         # the idle clock starts once the consumer can be back
    assert activity.last >= time.monotonic() + CONSUMER_RESTART - 1
    broker.cut_off_queues.clear()             # fetching again: idle counts from there
    activity.last = time.monotonic() - 9
    assert idle_long_enough(activity, 8, broker)


def test_a_broker_that_does_not_answer_is_not_idle():
    broker = BrokerStub()
    broker.answers = False
    activity = idle_since(60)
    assert not idle_long_enough(activity, 8, broker) and activity.idle_for() == 0.0


@pytest.mark.services
def test_a_redis_consumer_counts_as_cut_off_until_it_fetches_again(persistent_redis):
    broker = make_broker(persistent_redis.url)
    try:
        consumer = broker.consume(QUEUE, timeout=100)
        assert next(consumer) is None and not consumers_cut_off(broker)      # an empty queue, fetched
        persistent_redis.stop_node()
        try:
            with pytest.raises(ConnectionClosed):
                next(consumer)
            assert consumers_cut_off(broker)
        finally:
            persistent_redis.start_node()
        assert consumers_cut_off(broker)          # Redis answers; this consumer has not fetched yet
        consumer = broker.consume(QUEUE, timeout=100)       # Dramatiq's restart
        assert next(consumer) is None and not consumers_cut_off(broker)
    finally:
        broker.close()
