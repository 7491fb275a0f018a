"""Scale-out: a reliable Redis queue of shops, audited by workers on any number of machines,
results in PostgreSQL.

    cardshop-audit batch urls.txt --redis redis://q:6379/0 --db postgresql://… --out DIR   # enqueue, wait, summary
    cardshop-audit worker --redis redis://q:6379/0 --db postgresql://…                     # on every machine

Design (the "reliable queue" pattern, every step an atomic Lua script):

* ``enqueue``: each shop becomes a task ``<batch id>:<shop id>`` (a hash with its payload)
  pushed on ``pending`` once: enqueueing again (``--resume``) skips tasks that are queued,
  in flight or done, and gives dead-lettered ones a fresh set of attempts.
* ``claim``: a worker moves up to N tasks ``pending`` → its own ``processing:<worker>``
  list and sets a lease key per task (``lease:<task>`` = worker, with a TTL: the visibility
  timeout) in the same script, so a task is never in flight without a lease.
* while auditing, a heartbeat thread renews the worker's leases (only those it still owns).
* ``ack``: after the result is committed to the database (one transaction, UNIQUE
  (batch_id, shop_id)), the task leaves ``processing`` and joins ``done:<batch>``.
* ``reap`` (every worker, every few seconds): a task in any ``processing`` list whose lease
  has expired belonged to a dead or stuck worker; it goes back to the front of ``pending``
  with ``attempts`` + 1, or after ``max_attempts`` to ``dead:<batch>`` with the last error.
* a retried task whose result is already in the database (the worker died between commit
  and ack) is acked without auditing; two copies finishing at once store one row (the
  unique constraint), so every shop is stored exactly once.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from cardshop_auditor.queue_tasks import (MAX_OPTIONS_BYTES, MAX_PAYLOAD_BYTES, MAX_REASON, MAX_TASK_ID, QueueTask,
                                 TaskRejected, clean_label, contained_dir, describe_task_id,
                                 parse_batch_options, parse_task, queue_options, resolve_credentials, scrub,
                                 split_task_id, check_start_address, service_endpoints,
                                 worker_only_options_set)
from cardshop_auditor.netpolicy import RULES_ENV
from cardshop_auditor.queue_signing import DEFAULT_ENV, SIGNATURE_CHARS, sign, verify

PREFIX = "cardshop:"
DEAD_LETTER_CAP = 10_000     # newest entries kept in ``deadletters`` (anyone may flood the queue)
DEAD_PER_BATCH_CAP = 100_000  # shops of one batch with their reason in ``dead:<batch>``
REASON_KINDS_CAP = 200       # distinct reasons counted in ``deadletter_reasons``; the rest: "other"

_NOTE_DEAD = """
local function note_dead(prefix, task, reason)
  -- the list keeps only the newest entries; a counter per kind of reason keeps the totals
  local list, counts = prefix .. 'deadletters', prefix .. 'deadletter_reasons'
  if redis.call('TYPE', list).ok ~= 'list' then redis.call('DEL', list) end     -- written by someone else
  if redis.call('TYPE', counts).ok ~= 'hash' then redis.call('DEL', counts) end
  redis.call('LPUSH', prefix .. 'deadletters', cjson.encode({task = task, reason = reason, status = 'dead'}))
  redis.call('LTRIM', prefix .. 'deadletters', 0, %d)
  local kind = string.sub(string.match(reason, '^[^%%(:]*') or '', 1, 80):gsub('%%s+$', '')
  if kind == '' then kind = 'other' end
  if redis.call('HEXISTS', counts, kind) == 0 and redis.call('HLEN', counts) >= %d then kind = 'other' end
  redis.call('HINCRBY', counts, kind, 1)
end
""" % (DEAD_LETTER_CAP - 1, REASON_KINDS_CAP)

_CLAIM = _NOTE_DEAD + """
-- KEYS: pending, processing; ARGV: worker, lease_ms, n, prefix, max_id_len
redis.call('SADD', ARGV[4] .. 'workers', ARGV[1])      -- so the reaper always finds this list
local out = {}
local taken = 0
while taken < tonumber(ARGV[3]) do
  local t = redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT')
  if not t then break end
  if #t > tonumber(ARGV[5]) then
    -- not a task id of ours (anyone may push on the list): dead-lettered without reading it
    redis.call('LREM', KEYS[2], 1, t)
    redis.call('DEL', ARGV[4] .. 'task:' .. t)
    note_dead(ARGV[4], '<' .. #t .. ' bytes>', 'task id too long')
  else
    redis.call('SET', ARGV[4] .. 'lease:' .. t, ARGV[1], 'PX', ARGV[2])
    redis.pcall('HINCRBY', ARGV[4] .. 'task:' .. t, 'claims', 1)   -- a malformed record is judged later
    out[#out + 1] = t
    taken = taken + 1
  end
end
return out
"""

_RENEW = """
-- KEYS: prefix; ARGV: worker, ttl_ms, task...  (only leases this worker still owns)
local n = 0
for i = 3, #ARGV do
  local key = KEYS[1] .. 'lease:' .. ARGV[i]
  if redis.call('GET', key) == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
    n = n + 1
  end
end
return n
"""

_ACK = """
-- KEYS: processing list; ARGV: prefix, task, batch, shop, worker
redis.call('LREM', KEYS[1], 0, ARGV[2])
local lease = ARGV[1] .. 'lease:' .. ARGV[2]
if redis.call('GET', lease) == ARGV[5] then redis.call('DEL', lease) end
redis.call('SADD', ARGV[1] .. 'done:' .. ARGV[3], ARGV[4])
redis.call('HDEL', ARGV[1] .. 'dead:' .. ARGV[3], ARGV[4])
redis.call('DEL', ARGV[1] .. 'task:' .. ARGV[2])
return 1
"""

_DEAD_LETTER = _NOTE_DEAD + ("""
local function dead_letter(prefix, task, batch, shop, reason)
  -- the task ends: its payload goes, only its id, reason and status stay
  redis.call('DEL', prefix .. 'task:' .. task)
  local dead = prefix .. 'dead:' .. batch       -- bounded too: forged shop ids of a batch can flood it
  if batch ~= '' and redis.call('TYPE', dead).ok ~= 'hash' then redis.call('DEL', dead) end
  if batch ~= '' and (redis.call('HEXISTS', dead, shop) == 1 or redis.call('HLEN', dead) < %d) then
    redis.call('HSET', dead, shop, reason)
  end
  note_dead(prefix, task, reason)
end
local function attempts_of(task)
  local ok, value = pcall(redis.call, 'HGET', task, 'attempts')
  return ok and tonumber(value) or 0
end
""" % DEAD_PER_BATCH_CAP)

_RELEASE = _DEAD_LETTER + """
-- KEYS: processing list, pending; ARGV: prefix, task, worker, count_attempt (0|1), max_attempts, batch, shop, error
local removed = redis.call('LREM', KEYS[1], 0, ARGV[2])
if removed == 0 then return 0 end
local lease = ARGV[1] .. 'lease:' .. ARGV[2]
if redis.call('GET', lease) == ARGV[3] then redis.call('DEL', lease) end
local task = ARGV[1] .. 'task:' .. ARGV[2]
local attempts = attempts_of(task)
if ARGV[4] == '1' then
  attempts = attempts + 1
  redis.pcall('HSET', task, 'attempts', attempts, 'error', ARGV[8])
end
if attempts >= tonumber(ARGV[5]) then
  dead_letter(ARGV[1], ARGV[2], ARGV[6], ARGV[7], ARGV[8])
  return 2
end
redis.call('LPUSH', KEYS[2], ARGV[2])
return 1
"""

_REJECT = _DEAD_LETTER + """
-- KEYS: processing list; ARGV: prefix, task, worker, batch ('' when the id is not valid), shop, reason
redis.call('LREM', KEYS[1], 0, ARGV[2])
local lease = ARGV[1] .. 'lease:' .. ARGV[2]
if redis.call('GET', lease) == ARGV[3] then redis.call('DEL', lease) end
dead_letter(ARGV[1], ARGV[2], ARGV[4], ARGV[5], ARGV[6])
return 1
"""

_REAP = _DEAD_LETTER + """
-- KEYS: processing list, pending; ARGV: prefix, max_attempts
if redis.call('TYPE', KEYS[1]).ok ~= 'list' then
  redis.call('DEL', KEYS[1])             -- not a list of ours: written by someone else
  return 0
end
local requeued = 0
local items = redis.call('LRANGE', KEYS[1], 0, -1)
for _, t in ipairs(items) do
  if redis.call('EXISTS', ARGV[1] .. 'lease:' .. t) == 0 then
    redis.call('LREM', KEYS[1], 0, t)
    local task = ARGV[1] .. 'task:' .. t
    local attempts = attempts_of(task) + 1
    if attempts >= tonumber(ARGV[2]) then
      local ok, batch = pcall(redis.call, 'HGET', task, 'batch')
      local ok2, shop = pcall(redis.call, 'HGET', task, 'shop')
      dead_letter(ARGV[1], t, (ok and batch) or '', (ok2 and shop) or t, 'lease expired ' .. attempts .. ' times')
    else
      redis.pcall('HSET', task, 'attempts', attempts, 'error', 'lease expired (worker died or hung)')
      redis.call('LPUSH', KEYS[2], t)
    end
    requeued = requeued + 1
  end
end
return requeued
"""

_ENQUEUE = """
-- KEYS: pending; ARGV: prefix, task, batch, shop, payload, signature ('' when unsigned)
local task = ARGV[1] .. 'task:' .. ARGV[2]
if redis.call('EXISTS', task) == 1 then
  -- queued or in flight: leave it; given up earlier (dead letter): try again from scratch
  if redis.call('HDEL', ARGV[1] .. 'dead:' .. ARGV[3], ARGV[4]) == 0 then return 0 end
  redis.call('HSET', task, 'payload', ARGV[5], 'attempts', 0, 'sig', ARGV[6])
  redis.call('RPUSH', KEYS[1], ARGV[2])
  return 1
end
if redis.call('SISMEMBER', ARGV[1] .. 'done:' .. ARGV[3], ARGV[4]) == 1 then return 0 end
redis.call('HSET', task, 'payload', ARGV[5], 'batch', ARGV[3], 'shop', ARGV[4], 'attempts', 0, 'claims', 0,
  'sig', ARGV[6])
redis.call('HDEL', ARGV[1] .. 'dead:' .. ARGV[3], ARGV[4])
redis.call('RPUSH', KEYS[1], ARGV[2])
return 1
"""


def _batch_and_shop(task: str) -> tuple[str, str]:
    """(batch id, shop id) of a valid task id; ("", "") for any other string."""
    try:
        return split_task_id(task)
    except TaskRejected:
        return "", ""


class Queue:
    """The Redis side: keys under ``prefix``; every state change one Lua script."""

    def __init__(self, url: str, prefix: str = PREFIX):
        import redis
        self.url = url
        self.r = redis.Redis.from_url(url, decode_responses=True, socket_timeout=30,
                                      socket_connect_timeout=10, health_check_interval=30)
        self.prefix = prefix
        self.pending = prefix + "pending"
        self.workers = prefix + "workers"
        self._claim = self.r.register_script(_CLAIM)
        self._renew = self.r.register_script(_RENEW)
        self._ack = self.r.register_script(_ACK)
        self._release = self.r.register_script(_RELEASE)
        self._reject = self.r.register_script(_REJECT)
        self._reap = self.r.register_script(_REAP)
        self._enqueue = self.r.register_script(_ENQUEUE)

    # ---- keys
    def processing(self, worker: str) -> str:
        return f"{self.prefix}processing:{worker}"

    def task_key(self, task: str) -> str:
        return f"{self.prefix}task:{task}"

    # ---- batches
    def put_batch(self, batch_id: str, options: dict, total: int, source: str | None) -> None:
        """The batch's options for its workers: only the allow-listed audit limits
        (queue_tasks.queue_options); programs, files and credentials stay with each worker."""
        self.r.hset(f"{self.prefix}batch:{batch_id}", mapping={
            "options": json.dumps(queue_options(options), ensure_ascii=False), "total": total,
            "source": source or "", "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})

    def batch_options_raw(self, batch_id: str) -> str | None:
        """The stored options text, unparsed (None when the batch has none); bounded."""
        key = f"{self.prefix}batch:{batch_id}"
        if self.r.type(key) != "hash":
            return None if not self.r.exists(key) else "<not a hash>"
        if self.r.hstrlen(key, "options") > MAX_OPTIONS_BYTES:
            raise TaskRejected(f"batch options too large (at most {MAX_OPTIONS_BYTES} bytes)")
        return self.r.hget(key, "options")

    def replace_batch_options(self, batch_id: str, text: str) -> None:
        key = f"{self.prefix}batch:{batch_id}"
        if self.r.type(key) == "hash":
            self.r.hset(key, "options", text)

    def enqueue(self, batch_id: str, shop_id: str, payload: dict, secret: str | None = None) -> bool:
        """Queue a task once; signed (queue_signing) when the coordinator has a secret."""
        task = f"{batch_id}:{shop_id}"
        signature = sign(secret, batch_id, shop_id, payload) if secret else ""
        return bool(self._enqueue(keys=[self.pending], args=[self.prefix, task, batch_id, shop_id,
                                                              json.dumps(payload, ensure_ascii=False), signature]))

    def done(self, batch_id: str) -> set[str]:
        return set(self.r.smembers(f"{self.prefix}done:{batch_id}"))

    def dead(self, batch_id: str) -> dict[str, str]:
        """shop id → reason; reasons cut to MAX_REASON (anyone may write here)."""
        key = f"{self.prefix}dead:{batch_id}"
        if self.r.type(key) != "hash":
            return {}
        return {shop: reason[:MAX_REASON] for shop, reason in self.r.hscan_iter(key, count=500)}

    # ---- workers
    def register(self, worker: str, ttl: float) -> None:
        self.r.sadd(self.workers, worker)
        self.r.set(f"{self.prefix}worker:{worker}", str(os.getpid()), px=int(ttl * 1000))

    def claim(self, worker: str, n: int, lease: float) -> list[str]:
        return list(self._claim(keys=[self.pending, self.processing(worker)],
                                args=[worker, int(lease * 1000), n, self.prefix, MAX_TASK_ID]))

    def payload_raw(self, task: str) -> str | None:
        """The task's payload text, unparsed; None when the task has no record (acked
        meanwhile).  Raises TaskRejected for a record that is not ours or too large,
        without reading it."""
        key = self.task_key(task)
        kind = self.r.type(key)
        if kind == "none":
            return None
        if kind != "hash":
            raise TaskRejected(f"task record is a redis {kind[:10]}, not a hash")
        size = self.r.hstrlen(key, "payload")
        if size > MAX_PAYLOAD_BYTES:
            raise TaskRejected(f"payload too large ({size} bytes; at most {MAX_PAYLOAD_BYTES})")
        raw = self.r.hget(key, "payload")
        if raw is None:
            raise TaskRejected("task record has no payload")
        return raw

    def signature(self, task: str) -> str | None:
        """The task's coordinator signature, unread when longer than one could be."""
        key = self.task_key(task)
        if self.r.hstrlen(key, "sig") > SIGNATURE_CHARS:
            return "<too long>"
        return self.r.hget(key, "sig")

    def is_done(self, batch_id: str, shop_id: str) -> bool:
        return bool(self.r.sismember(f"{self.prefix}done:{batch_id}", shop_id))

    def renew(self, worker: str, tasks: list[str], lease: float, alive_ttl: float) -> int:
        self.r.set(f"{self.prefix}worker:{worker}", str(os.getpid()), px=int(alive_ttl * 1000))
        if not tasks:
            return 0
        return int(self._renew(keys=[self.prefix], args=[worker, int(lease * 1000), *tasks]))

    def ack(self, worker: str, task: str) -> None:
        batch, shop = split_task_id(task)
        self._ack(keys=[self.processing(worker)], args=[self.prefix, task, batch, shop, worker])

    def release(self, worker: str, task: str, *, failed: bool, max_attempts: int, error: str = "") -> int:
        """Give a task back: 1 requeued, 2 dead-lettered (its payload deleted), 0 not ours
        any more."""
        batch, shop = _batch_and_shop(task)
        return int(self._release(keys=[self.processing(worker), self.pending],
                                 args=[self.prefix, task, worker, "1" if failed else "0", max_attempts,
                                       batch, shop, error[:MAX_REASON]]))

    def reject(self, worker: str, task: str, reason: str) -> None:
        """Dead-letter a malformed task at once: out of processing, payload deleted, the id
        and ``reason`` kept (in ``dead:<batch>`` when the id is valid, and in ``deadletters``)."""
        batch, shop = _batch_and_shop(task)
        self._reject(keys=[self.processing(worker)], args=[self.prefix, task, worker, batch, shop,
                                                           reason[:MAX_REASON]])

    def dead_letters(self, limit: int = 100) -> list[dict]:
        """The latest dead letters, newest first: {"task", "reason", "status"}."""
        return [json.loads(x) for x in self.r.lrange(f"{self.prefix}deadletters", 0, limit - 1)]

    def dead_letter_counts(self) -> dict[str, int]:
        """Dead letters ever counted, per kind of reason (the text before its first "(" or ":")."""
        key = f"{self.prefix}deadletter_reasons"
        if self.r.type(key) != "hash":
            return {}
        return {kind[:80]: int(n) for kind, n in self.r.hscan_iter(key, count=500) if n.isdigit()}

    def reap(self, max_attempts: int) -> int:
        """Requeue the tasks of every worker whose lease expired; forget idle dead workers."""
        total = 0
        for worker in list(self.r.sscan_iter(self.workers, count=500)):
            key = self.processing(worker)
            total += int(self._reap(keys=[key, self.pending], args=[self.prefix, max_attempts]))
            if not self.r.exists(f"{self.prefix}worker:{worker}") and not self.r.exists(key):
                self.r.srem(self.workers, worker)
        return total

    def stats(self) -> dict:
        workers = list(self.r.smembers(self.workers))
        return {"pending": self._length(self.pending),
                "processing": sum(self._length(self.processing(w)) for w in workers),
                "workers": sum(bool(self.r.exists(f"{self.prefix}worker:{w}")) for w in workers)}

    def _length(self, key: str) -> int:
        """A list's length; 0 for a key that is not a list (someone else wrote it)."""
        return self.r.llen(key) if self.r.type(key) == "list" else 0


# --------------------------------------------------------------------------- worker


@dataclass
class WorkerConfig:
    """A worker's own configuration (its command line): everything that names a program,
    a local file, a directory, a database or a credential comes from here, never from the
    queue (queue_tasks)."""
    redis_url: str
    db: str
    out_dir: Path
    worker_id: str = ""
    chunk: int = 4
    lease: float = 120.0           # visibility timeout, seconds
    max_attempts: int = 3
    idle_exit: float = 0.0         # exit after this long with nothing to do (0: never)
    poll: float = 1.0
    browser_path: str | None = None
    storage_state: str | None = None
    icp_registry: str | None = None
    auth: Path | None = None       # credentials per site, for tasks with a credential_ref
    allow_networks: list = field(default_factory=list)   # non-public networks tasks may reach
    insecure_login: bool = False
    prefix: str = PREFIX
    queue_secret: str | None = field(default=None, repr=False)   # verify coordinator signatures

    def __post_init__(self) -> None:
        self.worker_id = self.worker_id or f"{socket.gethostname()}-{os.getpid()}"
        self.out_dir = Path(self.out_dir)

    def local_options(self) -> dict:
        return {"browser_path": self.browser_path, "storage_state": self.storage_state,
                "icp_registry": self.icp_registry, "allow_networks": list(self.allow_networks),
                "insecure_login": self.insecure_login}


class _Heartbeat(threading.Thread):
    """Renews this worker's leases every lease/3 while it audits."""

    def __init__(self, queue: Queue, cfg: WorkerConfig):
        super().__init__(daemon=True, name="lease-heartbeat")
        self.queue, self.cfg = queue, cfg
        self.tasks: list[str] = []
        self.lock = threading.Lock()
        self.stop_event = threading.Event()

    def set_tasks(self, tasks: list[str]) -> None:
        with self.lock:
            self.tasks = list(tasks)

    def drop(self, task: str) -> None:
        with self.lock:
            if task in self.tasks:
                self.tasks.remove(task)

    def beat(self) -> None:
        with self.lock:
            tasks = list(self.tasks)
        try:
            self.queue.renew(self.cfg.worker_id, tasks, self.cfg.lease, alive_ttl=max(10.0, self.cfg.lease))
        except Exception as exc:  # Redis blip: the next beat tries again
            print(f"[worker {self.cfg.worker_id}] heartbeat failed: {exc}", file=sys.stderr, flush=True)

    def run(self) -> None:
        while not self.stop_event.wait(max(0.5, self.cfg.lease / 3)):
            self.beat()


def run_worker(cfg: WorkerConfig, log: Callable[[str], None] | None = None,
               audit: Callable | None = None) -> int:
    """Claim, audit, store, ack; until stopped (SIGTERM / Ctrl-C) or idle for ``idle_exit``.
    A malformed task is dead-lettered with its reason and the worker goes on; a failing
    Redis or database is retried after a pause.  Returns the number of shops stored."""
    from cardshop_auditor.pipeline import audit_shops
    from cardshop_auditor.storage import open_store

    audit = audit or audit_shops
    log = log or (lambda m: print(f"{datetime.now().isoformat(timespec='seconds')} [worker {cfg.worker_id}] {m}",
                                  file=sys.stderr, flush=True))
    queue = Queue(cfg.redis_url, cfg.prefix)
    store = open_store(cfg.db)
    queue.register(cfg.worker_id, ttl=max(10.0, cfg.lease))
    heart = _Heartbeat(queue, cfg)
    heart.start()
    work = _ChunkRunner(queue, store, cfg, heart, audit, log)
    idle_since = time.monotonic()
    last_reap = 0.0
    pause = 0.0

    def on_term(signum, frame):  # finish nothing more: give the claimed tasks back
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_term) if threading.current_thread() is threading.main_thread() else None
    log(f"started: queue {cfg.redis_url.split('@')[-1]}, lease {cfg.lease:g}s, chunk {cfg.chunk}")
    if not cfg.queue_secret:
        log(f"warning: no queue secret (--queue-secret-env or ${DEFAULT_ENV}): tasks are not signed, so "
            "anyone who can write to this Redis can add shops to any registered batch")
    claimed: list[str] = []
    try:
        while True:
            try:
                now = time.monotonic()
                if now - last_reap >= min(5.0, max(1.0, cfg.lease / 2)):
                    last_reap = now
                    n = queue.reap(cfg.max_attempts)
                    if n:
                        log(f"requeued {n} task(s) whose lease expired")
                claimed = queue.claim(cfg.worker_id, cfg.chunk, cfg.lease)
                pause = 0.0
                if not claimed:
                    heart.beat()
                    if cfg.idle_exit and time.monotonic() - idle_since >= cfg.idle_exit:
                        log(f"idle for {cfg.idle_exit:g}s; exiting")
                        break
                    time.sleep(cfg.poll)
                    continue
                heart.set_tasks(claimed)
                work.run(claimed)
                claimed = []
                heart.set_tasks([])
                idle_since = time.monotonic()
            except KeyboardInterrupt:
                raise
            except Exception as exc:     # Redis or the database away, or a bug: pause, go on
                heart.set_tasks([])
                for task in claimed:     # counted as a failed attempt; if Redis is away, the
                    try:                 # lease expires and another worker's reaper requeues it
                        queue.release(cfg.worker_id, task, failed=True, max_attempts=cfg.max_attempts,
                                      error=f"worker error ({type(exc).__name__})")
                    except Exception:
                        pass
                claimed = []
                pause = min(30.0, max(1.0, pause * 2))
                log(f"error ({type(exc).__name__}); retrying in {pause:g}s")
                time.sleep(pause)
    except KeyboardInterrupt:
        for task in claimed:           # not done: back to the queue, no attempt counted
            try:
                queue.release(cfg.worker_id, task, failed=False, max_attempts=cfg.max_attempts)
            except Exception:
                pass
        log(f"stopped; {len(claimed)} claimed task(s) handed back")
    finally:
        heart.stop_event.set()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    log(f"stored {work.stored} shop(s)")
    return work.stored


class _ChunkRunner:
    """Audits the tasks of one claim: each checked first (queue_tasks), the bad ones
    dead-lettered, the rest audited per batch with that batch's allowed options plus this
    worker's own local ones."""

    def __init__(self, queue: Queue, store, cfg: WorkerConfig, heart: _Heartbeat, audit, log):
        self.queue, self.store, self.cfg, self.heart, self.audit, self.log = queue, store, cfg, heart, audit, log
        self.options: dict[str, object] = {}       # batch id → AuditOptions, or TaskRejected
        self.pins: dict[str, tuple[str, ...]] = {}  # host → the addresses checked, for the crawl child
        self.base_rules = os.environ.get(RULES_ENV)
        self.stored = 0
        # the broker and the database are never a task's target, whatever --allow-network says
        self.endpoints = service_endpoints([cfg.redis_url, cfg.db])

    def reject(self, task: str, reason: str) -> None:
        self.queue.reject(self.cfg.worker_id, task, reason)
        self.heart.drop(task)
        self.log(f"{describe_task_id(task)}: dead-lettered ({reason})")

    def batch_options(self, batch_id: str):
        if batch_id not in self.options:
            from cardshop_auditor.options import AuditOptions
            try:
                if self.store.get_batch(batch_id) is None:
                    raise TaskRejected("batch not registered in the database (no coordinator started it)")
                try:
                    allowed, notes = parse_batch_options(self.queue.batch_options_raw(batch_id))
                except TaskRejected as exc:   # its text may hold a credential: replaced, still refused
                    self.queue.replace_batch_options(batch_id, json.dumps(f"refused: {exc}"))
                    raise
                for note in notes:
                    self.log(f"batch {batch_id}: {note}")
                if notes:          # what we ignore may carry credentials: off the queue too
                    self.queue.replace_batch_options(batch_id, json.dumps(allowed, ensure_ascii=False))
                opts = AuditOptions.from_json(allowed)
                for key, value in self.cfg.local_options().items():
                    setattr(opts, key, value)
                self.options[batch_id] = opts
            except TaskRejected as exc:
                self.options[batch_id] = exc
        found = self.options[batch_id]
        if isinstance(found, TaskRejected):
            raise found
        return found

    def admit(self, task: str) -> QueueTask | None:
        """The checked task, or None when it was dealt with (rejected, or already done)."""
        try:
            batch_id, shop_id = split_task_id(task)
            raw = self.queue.payload_raw(task)
            if raw is None:                      # acked meanwhile by a retried copy, or never ours
                if self.queue.is_done(batch_id, shop_id):
                    self.queue.ack(self.cfg.worker_id, task)
                    self.heart.drop(task)
                    return None
                raise TaskRejected("no task record (not enqueued by a coordinator)")
            if self.cfg.queue_secret:          # before anything else reads the payload
                verify(self.cfg.queue_secret, batch_id, shop_id, raw, self.queue.signature(task))
            job = parse_task(task, raw)
            self.batch_options(batch_id)
        except TaskRejected as exc:
            self.reject(task, str(exc))
            return None
        if self.store.find_scan(job.batch_id, job.shop_id) is not None:
            self.log(f"{job.shop_id}: already stored (retry after a crash between commit and ack)")
            self.queue.ack(self.cfg.worker_id, task)
            self.heart.drop(task)
            return None
        return job

    def run(self, claimed: list[str]) -> None:
        by_batch: dict[str, list[tuple[str, QueueTask]]] = {}
        for task in claimed:
            job = self.admit(task)
            if job is not None:
                by_batch.setdefault(job.batch_id, []).append((task, job))
        for batch_id, items in by_batch.items():
            self.run_batch(batch_id, items)

    def target_for(self, task: str, job: QueueTask):
        """The pipeline target: its address checked, its directory resolved inside out_dir
        (emptied first: leftovers of an earlier attempt), its credentials from this
        worker's own --auth file."""
        from cardshop_auditor.pipeline import Target
        host, ips = check_start_address(job.url, self.cfg.allow_networks, self.endpoints)
        if ips and host not in ips:
            self.pins[host] = ips
        shop_dir = contained_dir(self.cfg.out_dir, job.batch_id, job.shop_id)
        creds = resolve_credentials(job, self.cfg.auth)
        if shop_dir.exists():
            shutil.rmtree(shop_dir)
        username, password = creds or (None, None)
        return Target(url=job.url, out_dir=shop_dir, id=job.shop_id, label=job.label,
                      username=username, password=password)

    def _audit(self, targets, batch_id: str, on_result) -> str:
        """Audit ``targets`` together: "" when the audit ran, else the (scrubbed) error."""
        try:
            self.audit(targets, self.batch_options(batch_id), log=lambda m: None, on_result=on_result)
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            error = scrub(" ".join(f"{type(exc).__name__}: {exc}".split()))
            self.log(f"audit failed: {error}")
            return error
        return ""

    def run_batch(self, batch_id: str, items: list[tuple[str, QueueTask]]) -> None:
        cfg, queue, heart = self.cfg, self.queue, self.heart
        targets, tasks_by_id = [], {}
        self.pins = {}
        for task, job in items:
            try:
                target = self.target_for(task, job)
            except TaskRejected as exc:
                self.reject(task, str(exc))
                continue
            except OSError as exc:           # this machine's disk: another worker may do better
                reason = f"worker could not prepare the task directory ({exc.strerror or type(exc).__name__})"
                queue.release(cfg.worker_id, task, failed=True, max_attempts=cfg.max_attempts, error=reason)
                heart.drop(task)
                self.log(f"{job.shop_id}: {reason}")
                continue
            targets.append(target)
            tasks_by_id[job.shop_id] = task
        if not targets:
            return
        finished: set[str] = set()

        def on_result(result):
            from cardshop_auditor.storage import record_result
            shop_id = result.target.id
            scan_id = record_result(cfg.db, result, batch_id=batch_id, shop_id=shop_id, worker=cfg.worker_id,
                                    log=lambda m: None)
            queue.ack(cfg.worker_id, tasks_by_id[shop_id])
            heart.drop(tasks_by_id[shop_id])
            finished.add(shop_id)
            self.stored += 1
            print(f"stored {batch_id} {shop_id} {scan_id}", flush=True)   # one line per shop, for tests/logs
            self.log(f"{result.target.url}: score {result.report.get('score')} → scan #{scan_id}")

        error = ""
        # the crawl child resolves names again: it is told the addresses checked here, so a
        # DNS answer that changes after the check (rebinding) changes nothing
        rules = [f"MAP {host} {ip}" for host, ips in self.pins.items() for ip in ips]
        rules = ", ".join(filter(None, [self.base_rules, *rules]))
        if rules:
            os.environ[RULES_ENV] = rules
        errors: dict[str, str] = {}
        try:
            error = self._audit(targets, batch_id, on_result)
            alone = [t for t in targets if t.id not in finished]
            if error and len(alone) > 1:
                # one task that breaks the chunk's audit must not take its chunk-mates down
                # with it: each is audited alone once, and only a failure of its own counts
                for target in alone:
                    errors[target.id] = self._audit([target], batch_id, on_result)
        finally:
            if rules and self.base_rules is None:
                os.environ.pop(RULES_ENV, None)
            elif rules:
                os.environ[RULES_ENV] = self.base_rules
        for shop_id, task in tasks_by_id.items():
            if shop_id not in finished:
                why = errors.get(shop_id, error) or "no result"
                outcome = queue.release(cfg.worker_id, task, failed=True, max_attempts=cfg.max_attempts,
                                        error=why)
                heart.drop(task)
                self.log(f"{shop_id}: {'dead-lettered' if outcome == 2 else 'requeued'} ({why})")


# --------------------------------------------------------------------------- coordinator


def run_distributed_batch(shops, out_dir: Path, options, *, redis_url: str, db: str, resume: bool = False,
                          source: str | None = None, wait: bool = True, wait_timeout: float | None = None,
                          progress: bool = True, poll: float = 1.0, prefix: str = PREFIX,
                          queue_secret: str | None = None):
    """Enqueue the shops for workers; then (``wait``) follow their progress in the database
    and write DIR/<shop>/report.* and the summary from it."""
    from cardshop_auditor.batch import BatchOutcome, Progress, prepare_batch, summary_rows, write_summary
    from cardshop_auditor.storage import open_store

    out_dir = Path(out_dir)
    try:                         # what workers would refuse is refused here, before anything is queued
        parse_batch_options(json.dumps(queue_options(options.to_json())))
    except TaskRejected as exc:
        from cardshop_auditor.errors import UsageError
        raise UsageError(f"with --redis, {exc}: workers accept only bounded audit limits") from None
    batch_id, started, journal = prepare_batch(shops, out_dir, resume=resume, source=source,
                                               options_json=options.to_json())
    store = open_store(db)
    store.ensure_batch(batch_id, source=source, total=len(shops), options=options.to_json())
    queue = Queue(redis_url, prefix)
    queue.put_batch(batch_id, options.to_json(), len(shops), source)
    enqueued = 0
    with_login = 0
    local = worker_only_options_set(options.to_json())
    if local:
        print(f"[cardshop-audit] not sent to workers (each worker sets its own): {', '.join(local)}",
              file=sys.stderr, flush=True)
    for shop in shops:
        if store.find_scan(batch_id, shop.id) is not None:
            continue
        # no credentials on the queue: a shop that logs in asks its worker for its own
        payload = {"url": shop.url, "label": clean_label(shop.label)}
        if shop.username or shop.password:      # the worker's own --auth entry for the site (the
            payload["credential_ref"] = "site"  # user name is personal data: not on the queue either)
            with_login += 1
        enqueued += queue.enqueue(batch_id, shop.id, payload, queue_secret)
    if with_login:
        print(f"[cardshop-audit] {with_login} shop(s) log in: their passwords are not put on the queue; "
              "each worker needs them in its own --auth FILE", file=sys.stderr, flush=True)
    print(f"[cardshop-audit] batch {batch_id}: {enqueued} shop(s) enqueued on {redis_url.split('@')[-1]} "
          f"({len(shops) - enqueued} already queued or stored)", file=sys.stderr, flush=True)
    if not wait:
        return None

    outcome = BatchOutcome(batch_id, out_dir, len(shops))
    exported: set[str] = set(journal.done)
    wanted = {s.id for s in shops}
    bar = Progress(len(shops), already=0, enabled=progress)
    deadline = time.monotonic() + wait_timeout if wait_timeout else None
    try:
        while True:
            scans = [s for s in store.batch_scans(batch_id) if s.shop_id in wanted]
            fresh = [s for s in scans if s.shop_id not in exported]
            for scan in fresh:
                _export_scan(store, scan.id, out_dir / scan.shop_id)
                journal.append("done", scan.shop_id, f"{scan.shop_id}/report.json")
                exported.add(scan.shop_id)
                outcome.audited_now.append(scan.shop_id)
            dead = {k: v for k, v in queue.dead(batch_id).items() if k in wanted and k not in exported}
            bar.done = len(exported)
            stats = queue.stats()
            bar.show(f"{stats['workers']} worker(s), {stats['pending']} pending, {len(dead)} given up")
            if len(exported) + len(dead) >= len(wanted):
                break
            if deadline and time.monotonic() > deadline:
                print(f"\n[cardshop-audit] stopped waiting after {wait_timeout:g}s; workers go on — rerun "
                      "with --resume to collect the rest", file=sys.stderr)
                break
            time.sleep(poll)
    finally:
        bar.close()
    outcome.rows = summary_rows(shops, out_dir, batch_id=batch_id)
    dead = queue.dead(batch_id)
    for row in outcome.rows:
        if row["status"] == "missing" and row["id"] in dead:
            row["reason"] = f"given up: {dead[row['id']]}"
    outcome.missing = [r["id"] for r in outcome.rows if r["status"] == "missing"]
    outcome.paths = write_summary(outcome.rows, out_dir, batch_id=batch_id, started_at=started, lang=options.lang)
    return outcome


def _export_scan(store, scan_id: int, shop_dir: Path) -> None:
    """A stored scan back on disk: report.json + report.html, its evidence, its diff."""
    from cardshop_auditor.artifacts import write_atomic
    from cardshop_auditor.report.diff_page import write_diff
    from cardshop_auditor.report import render_html
    scan = store.get_scan(scan_id)
    shop_dir.mkdir(parents=True, exist_ok=True)
    store.export_evidence(scan_id, shop_dir)
    report = scan.report
    write_atomic(shop_dir / "report.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    write_atomic(shop_dir / "report.html", render_html(report, report.get("lang") or "zh"))
    if scan.diff:
        write_diff(scan.diff, shop_dir, lang=report.get("lang") or "zh")
