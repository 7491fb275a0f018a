"""The Dramatiq side: the broker with our settings (Redis, ``redis://…``, or RabbitMQ,
``amqp://…``, engine.amqp), the one actor's message format, and consumers that treat
every message as untrusted input.

A message is one chunk of shops of one batch, audited together by one crawl (as the
single-process ``batch`` does)::

    actor  "audit_chunk"  on queue  "cardshop-audit"
    args   [batch_id, [[shop_id, payload_json, signature_or_null], ...]]

``payload_json`` is the task payload of ``queue_tasks`` (a URL, a label, at most a
credential reference), kept as the text the coordinator signed (``queue_signing``).

Anyone who can write to the broker can write a message.  Both brokers' consumers
(``SafeRedisBroker`` here, ``SafeRabbitmqBroker`` in engine.amqp) pass every message
through ``screen_message`` and dead-letter (Dramatiq's own ``.XQ`` dead-letter queue)
what it cannot decode or what is not shaped like our messages, and keep only the message
options Dramatiq itself writes (``retries``, ``eta`` on the delay queue…): an option such
as ``pipe_target``, ``max_retries`` or ``time_limit`` from a stranger steers nothing.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker, _RedisConsumer
from dramatiq.broker import MessageProxy
from dramatiq.common import compute_backoff, dq_name
from dramatiq.errors import BrokerConnectionError, ConnectionClosed
from dramatiq.message import Message

import cardshop_auditor.engine.events as events
from cardshop_auditor.errors import UsageError
from cardshop_auditor.queue_tasks import MAX_CHUNK, MAX_PAYLOAD_BYTES, MAX_REASON, ID_PATTERN

QUEUE = "cardshop-audit"
ACTOR = "audit_chunk"
NAMESPACE = "cardshop"
MAX_MESSAGE_BYTES = MAX_CHUNK * (MAX_PAYLOAD_BYTES + 512) + 4096
MAX_RETRIES_OPTION = 1000
# the options Dramatiq itself writes on each broker (Redis: its message id in the queue's hash)
_KEPT_OPTIONS = {"redis": {"redis_message_id": str, "retries": int, "eta": int, "requeue_timestamp": int},
                 "amqp": {"retries": int, "eta": int, "requeue_timestamp": int}}
REDIS_SCHEMES = ("redis", "rediss", "unix")
AMQP_SCHEMES = ("amqp", "amqps")

log = logging.getLogger("cardshop_auditor.engine")


@dataclass
class EngineSettings:
    """What an operator tunes (worker flags); the defaults give "a shop whose worker died is
    re-run by another worker within two minutes"."""
    heartbeat_timeout: float = 60.0     # s without a heartbeat before a worker counts as dead
    maintenance_chance: int = 50_000    # out of a million broker calls: requeue dead workers' messages
    max_attempts: int = 3               # audits of a chunk that fail before its shops are given up
    outage_retries: int = 30            # retries through a database outage (with backoff)
    min_backoff: float = 2.0            # s
    max_backoff: float = 60.0           # s
    dead_message_ttl: float = 7 * 86400.0
    dead_message_cap: int = 10_000      # messages kept in the dead-letter queue; the oldest go first


class TaskRejected(Exception):
    """The whole message is malformed: dead-lettered at once, never retried.  (Per-shop
    problems are queue_tasks.TaskRejected and dead-letter only that shop.)"""


class ShopsFailed(Exception):
    """Some shops of the chunk were not stored (the audit failed): retried with backoff;
    shops stored meanwhile are skipped on the retry."""


class Outage(Exception):
    """The database (or the broker) could not be reached: retried with backoff, longer."""


def broker_kind(url: str) -> str:
    """"redis" or "amqp" from the URL's scheme; anything else is a usage error."""
    scheme = (url or "").partition("://")[0].lower() if "://" in (url or "") else ""
    if scheme in REDIS_SCHEMES:
        return "redis"
    if scheme in AMQP_SCHEMES:
        return "amqp"
    raise UsageError("--broker takes redis://host:6379/0 (Redis) or amqp://user:password@host:5672/vhost "
                     "(RabbitMQ)")


def make_broker(url: str, settings: EngineSettings | None = None, middleware=()) -> dramatiq.Broker:
    """The broker for coordinators and workers alike, with only the middleware we rely on
    (no Pipelines, Callbacks or TimeLimit: nothing a message's options could switch on)."""
    from dramatiq.middleware import Retries
    kind = broker_kind(url)
    settings = settings or EngineSettings()
    retries = Retries(min_backoff=int(settings.min_backoff * 1000), max_backoff=int(settings.max_backoff * 1000),
                      retry_when=_retry_when(settings))
    if kind == "amqp":
        from cardshop_auditor.engine.amqp import SafeRabbitmqBroker
        broker = SafeRabbitmqBroker(url=url, middleware=[retries, *middleware], screen=screen_message,
                                    heartbeat=max(1, round(settings.heartbeat_timeout)),
                                    dead_message_ttl=int(settings.dead_message_ttl * 1000),
                                    dead_message_cap=settings.dead_message_cap)
    else:
        broker = SafeRedisBroker(url=url, namespace=NAMESPACE, middleware=[retries, *middleware],
                                 heartbeat_timeout=int(settings.heartbeat_timeout * 1000),
                                 maintenance_chance=settings.maintenance_chance,
                                 dead_message_ttl=int(settings.dead_message_ttl * 1000),
                                 dead_message_cap=settings.dead_message_cap,
                                 socket_timeout=30, socket_connect_timeout=10, health_check_interval=30)
    broker.declare_queue(QUEUE)
    return broker


def reachable(broker) -> bool:
    """Whether the broker answers now (a worker about to exit as idle: not while cut off)."""
    if isinstance(broker, RedisBroker):
        try:
            broker.client.ping()
        except redis.RedisError:
            return False
        return True
    return broker.reachable()


def consumers_cut_off(broker) -> bool:
    """Whether one of this worker's consumers lost its broker connection and has not fetched
    since: Dramatiq reconnects it only after CONSUMER_RESTART_DELAY, so a broker that answers
    again does not mean the queue is being consumed again (a worker idle meanwhile is not)."""
    return bool(broker.cut_off_queues)


def ping(broker) -> None:
    """Reach the broker now (a worker starting): raises a connection error when it is away.
    RabbitMQ: connect and declare the queues (durable, with their dead-letter routing)."""
    if isinstance(broker, RedisBroker):
        broker.client.ping()
    else:
        broker.declare_queue(QUEUE, ensure=True)


def _retry_when(settings: EngineSettings):
    def retry_when(retries: int, exc: BaseException) -> bool:
        if isinstance(exc, ShopsFailed):
            return retries < settings.max_attempts - 1
        if isinstance(exc, Outage):
            return retries < settings.outage_retries
        return False                                    # TaskRejected, and anything unexpected
    return retry_when


def live_workers(broker, within: float = 15.0) -> int:
    """Brokers that called Redis in the last ``within`` seconds (Dramatiq's heartbeat set;
    a worker polls its queue every few seconds even when idle).  An estimate for sizing
    chunks, never for correctness: it may count a coordinator that just enqueued.
    RabbitMQ keeps no such set here: 0 (chunks sized as for one worker)."""
    if not isinstance(broker, RedisBroker):
        return 0
    key = f"{NAMESPACE}:__heartbeats__"
    try:
        return int(broker.client.zcount(key, int((time.time() - within) * 1000), "+inf"))
    except redis.RedisError:
        return 0


def declare_actor(broker: RedisBroker, fn) -> dramatiq.Actor:
    return dramatiq.actor(fn, broker=broker, actor_name=ACTOR, queue_name=QUEUE, max_retries=0)


def chunk_message(batch_id: str, tasks: list[tuple[str, str, str | None]]) -> Message:
    return Message(queue_name=QUEUE, actor_name=ACTOR, args=(batch_id, [list(t) for t in tasks]), kwargs={},
                   options={})


def enqueue(broker: dramatiq.Broker, message: Message) -> None:
    try:
        broker.enqueue(message)
    except (redis.ConnectionError, redis.TimeoutError, BrokerConnectionError) as exc:
        raise Outage(f"broker unreachable ({_failure_name(exc)})") from None


# --------------------------------------------------------------------------- untrusted messages


def screen_message(data: bytes, queue_name: str, broker: str = "redis") -> tuple[Message | None, str]:
    """A message as fetched from the broker: (the message, "") when it is shaped like ours,
    else (the message or None when it does not decode, the reason to dead-letter it)."""
    if len(data) > MAX_MESSAGE_BYTES:
        return None, f"message too large ({len(data)} bytes)"
    try:
        message = Message.decode(data)
    except Exception:
        return None, "message is not a Dramatiq message (does not decode)"
    return message, check_message(message, queue_name, broker)[:MAX_REASON]


def check_message(message: Message, queue_name: str, broker: str = "redis") -> str:
    """"" when ``message`` has the shape of ours; else the reason to dead-letter it.
    Options Dramatiq does not write itself are removed in place."""
    if not isinstance(message.options, dict):
        return "message options are not an object"
    if broker == "redis":
        rid = message.options.get("redis_message_id")
        if not isinstance(rid, str) or not 0 < len(rid) <= 64:
            return "message has no broker id"
    kept = _KEPT_OPTIONS[broker]
    for key in list(message.options):
        kind = kept.get(key)
        value = message.options[key]
        if kind is None or not isinstance(value, kind) or isinstance(value, bool):
            del message.options[key]
    retries = message.options.get("retries")
    if retries is not None and not 0 <= retries <= MAX_RETRIES_OPTION:
        message.options["retries"] = MAX_RETRIES_OPTION
    if "eta" in message.options and queue_name != dq_name(QUEUE):
        del message.options["eta"]          # only a retry waits, and only on the delay queue
    if message.actor_name != ACTOR or not isinstance(message.actor_name, str):
        return "message for another actor than audit_chunk"
    if message.queue_name not in (QUEUE, dq_name(QUEUE)):
        return "message names another queue"
    if not isinstance(message.message_id, str) or len(message.message_id) > 64:
        return "message id is not a short string"
    if message.kwargs or not isinstance(message.kwargs, dict):
        return "message has keyword arguments"
    return ""


class _SafeConsumer(_RedisConsumer):
    """Dramatiq's Redis consumer, except that a message it cannot decode, or that is not
    shaped like ours, is moved to the dead-letter queue with a logged reason instead of
    stopping the consumer (whose other prefetched messages would wait for a restart)."""

    def __next__(self):
        try:
            while True:
                if not self.message_cache:           # fetch (and heartbeat) as Dramatiq does
                    messages = []
                    if self.outstanding_message_count < self.prefetch:
                        self.message_cache = messages = self.broker.do_fetch(
                            self.queue_name, self.prefetch - self.outstanding_message_count)
                        self.broker.cut_off_queues.discard(self.queue_name)     # fetching again
                    if not messages:
                        self.misses, backoff_ms = compute_backoff(self.misses, max_backoff=self.timeout)
                        time.sleep(backoff_ms / 1000)
                        return None
                data = self.message_cache.pop(0)
                if data is None:                     # an id pushed without a message: nothing to run
                    continue
                message, reason = screen_message(data, self.queue_name, "redis")
                if not reason:
                    self.misses = 0
                    self.queued_message_ids.add(message.message_id)
                    return MessageProxy(message)
                self._dead_letter(data, message, reason)
        except redis.ConnectionError as exc:
            self.broker.cut_off_queues.add(self.queue_name)
            raise ConnectionClosed(exc) from None

    def _dead_letter(self, data: bytes, message: Message | None, reason: str) -> None:
        """Find the broker id this worker fetched ``data`` under, and nack it (Dramatiq's
        dead-letter queue)."""
        rid = message.options.get("redis_message_id") if message and isinstance(message.options, dict) else None
        acks = f"{NAMESPACE}:__acks__.{self.broker.broker_id}.{self.queue_name}"
        msgs = f"{NAMESPACE}:{self.queue_name}.msgs"
        try:
            candidates = [rid] if isinstance(rid, str) else []
            if not candidates:
                candidates = [m.decode("utf-8", "replace") for m in self.broker.client.smembers(acks)]
            for candidate in candidates:
                if self.broker.client.hget(msgs, candidate) == data:
                    self.broker.do_nack(self.queue_name, candidate)
                    break
        except redis.RedisError:
            pass              # left in this worker's acks: requeued once it stops
        events.dead_letter(None, None, reason[:MAX_REASON])


# Dramatiq expires dead letters after ``dead_message_ttl`` but never counts them: a flood
# of malformed messages would grow Redis for a week.  After each nack the dead-letter
# queue is cut back to the cap, oldest first, and the number dropped is kept (atomically).
_CAP_DEAD_LETTERS = """
local over = redis.call("zcard", KEYS[1]) - tonumber(ARGV[1])
if over <= 0 then return 0 end
local ids = redis.call("zrange", KEYS[1], 0, over - 1)
for _, id in ipairs(ids) do
    redis.call("zrem", KEYS[1], id)
    redis.call("hdel", KEYS[2], id)
end
redis.call("incrby", KEYS[3], #ids)
return #ids
"""


def dead_letter_keys(queue_name: str = QUEUE) -> tuple[str, str, str]:
    """Dramatiq's dead-letter queue (a sorted set by time), its messages, our dropped counter."""
    xq = f"{NAMESPACE}:{queue_name.removesuffix('.DQ')}.XQ"
    return xq, f"{xq}.msgs", f"{xq}.dropped"


class SafeRedisBroker(RedisBroker):
    def __init__(self, *args, dead_message_cap: int = 10_000, **kwargs):
        super().__init__(*args, **kwargs)
        self.dead_message_cap = max(0, int(dead_message_cap))
        self.cut_off_queues: set[str] = set()     # consumers_cut_off
        self._cap_script = self.client.register_script(_CAP_DEAD_LETTERS)

    @property
    def consumer_class(self):
        return _SafeConsumer

    def do_nack(self, queue_name: str, message_id: str):
        """Dramatiq's nack (into the dead-letter queue), then the queue cut to its cap."""
        result = self._dispatch("nack")(queue_name, message_id)
        dropped = self._cap_script(keys=list(dead_letter_keys(queue_name)), args=[self.dead_message_cap])
        if dropped:
            log.warning("dead-letter queue over its cap of %d: %d oldest message(s) dropped",
                        self.dead_message_cap, dropped)
        return result


def dead_letter_stats(broker) -> tuple[int, int | None]:
    """(messages in the dead-letter queue, messages dropped over its cap so far); RabbitMQ
    drops over the cap itself and counts nothing: None there."""
    if not isinstance(broker, RedisBroker):
        return broker.dead_letter_count(QUEUE), None
    xq, _, dropped = dead_letter_keys()
    held = broker.client.zcard(xq)
    return int(held or 0), int(broker.client.get(dropped) or 0)


def valid_id(value) -> bool:
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


def _failure_name(exc: BaseException) -> str:
    """The error's class name; for Dramatiq's wrapper of a pika error, pika's (refused
    connection, refused login…), which says more."""
    cause = getattr(exc, "message", None) if isinstance(exc, BrokerConnectionError) else None
    return type(cause).__name__ if isinstance(cause, BaseException) else type(exc).__name__


def with_backoff(what: str, fn, *, budget: float, say):
    """``fn()``, retried through a database or broker outage (after 1, 2, 4 … 30 s) for up
    to ``budget`` seconds; then the last error is raised (exit 4)."""
    from sqlalchemy.exc import OperationalError
    deadline = time.monotonic() + budget
    pause = 1.0
    while True:
        try:
            return fn()
        except (OperationalError, Outage, redis.ConnectionError, redis.TimeoutError, BrokerConnectionError) as exc:
            detail = str(exc) if isinstance(exc, Outage) else f"{what} unreachable ({_failure_name(exc)})"
            if time.monotonic() + pause > deadline:
                from cardshop_auditor.errors import BrokerUnavailable, DatabaseUnavailable
                error = DatabaseUnavailable if what == "database" else BrokerUnavailable
                raise error(f"{detail}; gave up after {budget:g}s") from None
            say(f"{detail}; retrying in {pause:g}s")
            time.sleep(pause)
            pause = min(30.0, pause * 2)
