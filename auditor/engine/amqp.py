"""The RabbitMQ broker (``--broker amqp://user:password@host:5672/vhost``): Dramatiq's
``RabbitmqBroker`` (pika), with the same untrusted-message consumer as Redis's.

What the engine relies on, and how RabbitMQ gives it:

* a killed worker's chunk is re-run: a message stays unacknowledged until its chunk is
  stored; when the worker's connection goes (the process killed: at once; the machine
  gone or frozen: after ``heartbeat`` seconds of missed AMQP heartbeats, the worker's
  ``--heartbeat-timeout``) RabbitMQ gives it to another consumer.
* queues and messages outlive a broker restart: Dramatiq declares the queues durable and
  publishes persistently; a worker's consumer reconnects by itself, the coordinator's
  enqueue is retried with backoff (engine.broker.with_backoff).
* dead letters: a message nacked without requeue goes, by the queue's dead-letter routing,
  to ``cardshop-audit.XQ`` (kept ``dead_message_ttl``), as on Redis; that queue holds at
  most ``dead_message_cap`` messages (``x-max-length``: RabbitMQ drops the oldest, and
  does not count them).

Results, progress and the dead letters of shops live in the database either way.
"""
from __future__ import annotations

import logging
import uuid
from urllib.parse import parse_qs, urlsplit

import pika
import pika.exceptions
from dramatiq.brokers.rabbitmq import RabbitmqBroker, _RabbitmqConsumer, _RabbitmqMessage
from dramatiq.common import q_name, xq_name
from dramatiq.errors import BrokerConnectionError, ConnectionClosed

import cardshop_auditor.engine.events as events

BLOCKED_TIMEOUT = 60        # s a publish may wait while RabbitMQ blocks publishers (memory / disk alarm)
PRECONDITION_FAILED = 406   # a queue declared again with other arguments

log = logging.getLogger("cardshop_auditor.engine")


class _SafeRabbitmqConsumer(_RabbitmqConsumer):
    """Dramatiq's RabbitMQ consumer, except that every delivery is screened first (the
    broker's ``screen``, engine.broker.screen_message): one that does not decode or is not
    shaped like ours is nacked without requeue (to the ``.XQ`` queue) with a logged reason,
    and the consumer goes on with the next."""

    def __next__(self):
        while True:
            try:
                method, _properties, body = next(self.iterator)
            except (AssertionError, pika.exceptions.AMQPConnectionError, pika.exceptions.AMQPChannelError) as exc:
                if getattr(exc, "reply_code", None) == 404:       # the queue deleted: declared again
                    self.broker.queues_pending.add(q_name(self.queue_name))
                self.broker.cut_off_queues.add(self.queue_name)
                raise ConnectionClosed(exc) from None
            self.broker.cut_off_queues.discard(self.queue_name)     # fetching again
            if method is None:
                return None
            message, reason = self.broker.screen(body or b"", self.queue_name, "amqp")
            if not reason:
                self.known_tags.add(method.delivery_tag)
                return _RabbitmqMessage(method.redelivered, method.delivery_tag, message)
            self._nack(method.delivery_tag)
            events.dead_letter(None, None, reason)


class SafeRabbitmqBroker(RabbitmqBroker):
    """``screen(body, queue_name, "amqp") -> (message, reason)`` checks each delivery;
    ``heartbeat`` (s) is the AMQP heartbeat unless the URL sets one (``?heartbeat=``)."""

    def __init__(self, *, url: str, screen, heartbeat: int, dead_message_ttl: int, dead_message_cap: int = 10_000,
                 middleware=()):
        # confirm_delivery: an enqueue returns once RabbitMQ holds the message (persisted),
        # not when it left this process
        super().__init__(url=url, middleware=list(middleware), confirm_delivery=True)
        self.screen = screen
        self.dead_message_ttl = dead_message_ttl
        self.dead_message_cap = max(0, int(dead_message_cap))
        self.broker_id = str(uuid.uuid4())        # as Redis's: names this process in logs and connections
        # queues whose consumer lost its connection and has not fetched since (engine.broker.consumers_cut_off)
        self.cut_off_queues: set[str] = set()
        urls = url.split(";")
        params = self.parameters if isinstance(self.parameters, list) else [self.parameters]
        for one_url, one in zip(urls, params):
            given = parse_qs(urlsplit(one_url).query)
            if "heartbeat" not in given:
                one.heartbeat = heartbeat
            if "blocked_connection_timeout" not in given:
                one.blocked_connection_timeout = BLOCKED_TIMEOUT
            if "client_properties" not in given:
                one.client_properties = {"connection_name": f"cardshop-audit {self.broker_id}"}

    def reachable(self) -> bool:
        """Whether RabbitMQ answers now on this thread's connection, opened afresh when the
        old one was closed meanwhile (a restart, or heartbeats this thread never serviced)."""
        for _ in range(2):
            try:
                self.connection.process_data_events(0)
                return True
            except (pika.exceptions.AMQPError, OSError):
                del self.connection
        return False

    @property
    def consumer_class(self):
        return _SafeRabbitmqConsumer

    def consume(self, queue_name, prefetch=1, timeout=5000):
        """Dramatiq's, except that a consumer that could not connect counts as cut off."""
        try:
            return super().consume(queue_name, prefetch, timeout)
        except BrokerConnectionError:
            self.cut_off_queues.add(queue_name)
            raise

    def _declare_xq_queue(self, queue_name):
        """The dead-letter queue: expiring after ``dead_message_ttl``, at most
        ``dead_message_cap`` messages (over it RabbitMQ drops the oldest: x-overflow's
        default).  Declared before with other values, it is used as it is, and said so."""
        arguments = {"x-message-ttl": self.dead_message_ttl, "x-max-length": self.dead_message_cap}
        try:
            return self.channel.queue_declare(queue=xq_name(queue_name), durable=True, arguments=arguments)
        except pika.exceptions.ChannelClosedByBroker as exc:
            if exc.reply_code != PRECONDITION_FAILED:
                raise
            del self.channel                        # the broker closed it; a new one for the next call
            log.warning("%s exists with another expiry or cap: kept as it is (delete the queue, or set a "
                        "RabbitMQ policy, to change them)", xq_name(queue_name))
            return self.channel.queue_declare(queue=xq_name(queue_name), passive=True)

    def dead_letter_count(self, queue_name: str) -> int:
        """Messages in the dead-letter queue, on a connection of its own (a scrape thread's
        or the coordinator's last look, far apart: no connection left to miss heartbeats)."""
        try:
            connection = pika.BlockingConnection(self.parameters)
            try:
                return connection.channel().queue_declare(queue=xq_name(queue_name),
                                                          passive=True).method.message_count
            finally:
                if connection.is_open:
                    connection.close()
        except (pika.exceptions.AMQPError, OSError) as exc:
            raise ConnectionClosed(exc) from None
