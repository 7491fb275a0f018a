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
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

PREFIX = "cardshop:"

_CLAIM = """
-- KEYS: pending, processing; ARGV: worker, lease_ms, n, prefix
redis.call('SADD', ARGV[4] .. 'workers', ARGV[1])      -- so the reaper always finds this list
local out = {}
for i = 1, tonumber(ARGV[3]) do
  local t = redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT')
  if not t then break end
  redis.call('SET', ARGV[4] .. 'lease:' .. t, ARGV[1], 'PX', ARGV[2])
  redis.call('HINCRBY', ARGV[4] .. 'task:' .. t, 'claims', 1)
  out[#out + 1] = t
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

_RELEASE = """
-- KEYS: processing list, pending; ARGV: prefix, task, worker, count_attempt (0|1), max_attempts, batch, shop, error
local removed = redis.call('LREM', KEYS[1], 0, ARGV[2])
if removed == 0 then return 0 end
local lease = ARGV[1] .. 'lease:' .. ARGV[2]
if redis.call('GET', lease) == ARGV[3] then redis.call('DEL', lease) end
local task = ARGV[1] .. 'task:' .. ARGV[2]
local attempts = tonumber(redis.call('HGET', task, 'attempts') or '0')
if ARGV[4] == '1' then
  attempts = redis.call('HINCRBY', task, 'attempts', 1)
  redis.call('HSET', task, 'error', ARGV[8])
end
if attempts >= tonumber(ARGV[5]) then
  redis.call('HSET', ARGV[1] .. 'dead:' .. ARGV[6], ARGV[7], ARGV[8])
  return 2
end
redis.call('LPUSH', KEYS[2], ARGV[2])
return 1
"""

_REAP = """
-- KEYS: processing list, pending; ARGV: prefix, max_attempts
local requeued = 0
local items = redis.call('LRANGE', KEYS[1], 0, -1)
for _, t in ipairs(items) do
  if redis.call('EXISTS', ARGV[1] .. 'lease:' .. t) == 0 then
    redis.call('LREM', KEYS[1], 0, t)
    local task = ARGV[1] .. 'task:' .. t
    local attempts = redis.call('HINCRBY', task, 'attempts', 1)
    redis.call('HSET', task, 'error', 'lease expired (worker died or hung)')
    if attempts >= tonumber(ARGV[2]) then
      local batch = redis.call('HGET', task, 'batch') or ''
      local shop = redis.call('HGET', task, 'shop') or t
      redis.call('HSET', ARGV[1] .. 'dead:' .. batch, shop, 'lease expired ' .. attempts .. ' times')
    else
      redis.call('LPUSH', KEYS[2], t)
    end
    requeued = requeued + 1
  end
end
return requeued
"""

_ENQUEUE = """
-- KEYS: pending; ARGV: prefix, task, batch, shop, payload
local task = ARGV[1] .. 'task:' .. ARGV[2]
if redis.call('EXISTS', task) == 1 then
  -- queued or in flight: leave it; given up earlier (dead letter): try again from scratch
  if redis.call('HDEL', ARGV[1] .. 'dead:' .. ARGV[3], ARGV[4]) == 0 then return 0 end
  redis.call('HSET', task, 'payload', ARGV[5], 'attempts', 0)
  redis.call('RPUSH', KEYS[1], ARGV[2])
  return 1
end
if redis.call('SISMEMBER', ARGV[1] .. 'done:' .. ARGV[3], ARGV[4]) == 1 then return 0 end
redis.call('HSET', task, 'payload', ARGV[5], 'batch', ARGV[3], 'shop', ARGV[4], 'attempts', 0, 'claims', 0)
redis.call('HDEL', ARGV[1] .. 'dead:' .. ARGV[3], ARGV[4])
redis.call('RPUSH', KEYS[1], ARGV[2])
return 1
"""


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
        self._reap = self.r.register_script(_REAP)
        self._enqueue = self.r.register_script(_ENQUEUE)

    # ---- keys
    def processing(self, worker: str) -> str:
        return f"{self.prefix}processing:{worker}"

    def task_key(self, task: str) -> str:
        return f"{self.prefix}task:{task}"

    # ---- batches
    def put_batch(self, batch_id: str, options: dict, total: int, source: str | None) -> None:
        self.r.hset(f"{self.prefix}batch:{batch_id}", mapping={
            "options": json.dumps(options, ensure_ascii=False), "total": total, "source": source or "",
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})

    def batch_options(self, batch_id: str) -> dict:
        raw = self.r.hget(f"{self.prefix}batch:{batch_id}", "options")
        return json.loads(raw) if raw else {}

    def enqueue(self, batch_id: str, shop_id: str, payload: dict) -> bool:
        task = f"{batch_id}:{shop_id}"
        return bool(self._enqueue(keys=[self.pending], args=[self.prefix, task, batch_id, shop_id,
                                                              json.dumps(payload, ensure_ascii=False)]))

    def done(self, batch_id: str) -> set[str]:
        return set(self.r.smembers(f"{self.prefix}done:{batch_id}"))

    def dead(self, batch_id: str) -> dict[str, str]:
        return dict(self.r.hgetall(f"{self.prefix}dead:{batch_id}"))

    # ---- workers
    def register(self, worker: str, ttl: float) -> None:
        self.r.sadd(self.workers, worker)
        self.r.set(f"{self.prefix}worker:{worker}", str(os.getpid()), px=int(ttl * 1000))

    def claim(self, worker: str, n: int, lease: float) -> list[str]:
        return list(self._claim(keys=[self.pending, self.processing(worker)],
                                args=[worker, int(lease * 1000), n, self.prefix]))

    def payload(self, task: str) -> dict | None:
        raw = self.r.hget(self.task_key(task), "payload")
        return json.loads(raw) if raw else None

    def renew(self, worker: str, tasks: list[str], lease: float, alive_ttl: float) -> int:
        self.r.set(f"{self.prefix}worker:{worker}", str(os.getpid()), px=int(alive_ttl * 1000))
        if not tasks:
            return 0
        return int(self._renew(keys=[self.prefix], args=[worker, int(lease * 1000), *tasks]))

    def ack(self, worker: str, task: str) -> None:
        batch, shop = task.split(":", 1)
        self._ack(keys=[self.processing(worker)], args=[self.prefix, task, batch, shop, worker])

    def release(self, worker: str, task: str, *, failed: bool, max_attempts: int, error: str = "") -> int:
        """Give a task back: 1 requeued, 2 dead-lettered, 0 not ours any more."""
        batch, shop = task.split(":", 1)
        return int(self._release(keys=[self.processing(worker), self.pending],
                                 args=[self.prefix, task, worker, "1" if failed else "0", max_attempts,
                                       batch, shop, error[:500]]))

    def reap(self, max_attempts: int) -> int:
        """Requeue the tasks of every worker whose lease expired; forget idle dead workers."""
        total = 0
        for worker in list(self.r.smembers(self.workers)):
            key = self.processing(worker)
            total += int(self._reap(keys=[key, self.pending], args=[self.prefix, max_attempts]))
            if not self.r.exists(f"{self.prefix}worker:{worker}") and not self.r.llen(key):
                self.r.srem(self.workers, worker)
        return total

    def stats(self) -> dict:
        workers = list(self.r.smembers(self.workers))
        return {"pending": self.r.llen(self.pending),
                "processing": sum(self.r.llen(self.processing(w)) for w in workers),
                "workers": sum(bool(self.r.exists(f"{self.prefix}worker:{w}")) for w in workers)}


# --------------------------------------------------------------------------- worker


@dataclass
class WorkerConfig:
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
    prefix: str = PREFIX

    def __post_init__(self) -> None:
        self.worker_id = self.worker_id or f"{socket.gethostname()}-{os.getpid()}"
        self.out_dir = Path(self.out_dir)


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
    Returns the number of shops this worker stored."""
    from auditor.options import AuditOptions
    from auditor.pipeline import Target, audit_shops
    from auditor.storage import open_store, record_result

    audit = audit or audit_shops
    log = log or (lambda m: print(f"{datetime.now().isoformat(timespec='seconds')} [worker {cfg.worker_id}] {m}",
                                  file=sys.stderr, flush=True))
    queue = Queue(cfg.redis_url, cfg.prefix)
    store = open_store(cfg.db)
    queue.register(cfg.worker_id, ttl=max(10.0, cfg.lease))
    heart = _Heartbeat(queue, cfg)
    heart.start()
    stored = 0
    idle_since = time.monotonic()
    last_reap = 0.0
    options_cache: dict[str, AuditOptions] = {}
    def on_term(signum, frame):  # finish nothing more: give the claimed tasks back
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_term) if threading.current_thread() is threading.main_thread() else None
    log(f"started: queue {cfg.redis_url.split('@')[-1]}, lease {cfg.lease:g}s, chunk {cfg.chunk}")
    claimed: list[str] = []
    try:
        while True:
            now = time.monotonic()
            if now - last_reap >= min(5.0, max(1.0, cfg.lease / 2)):
                last_reap = now
                n = queue.reap(cfg.max_attempts)
                if n:
                    log(f"requeued {n} task(s) whose lease expired")
            claimed = queue.claim(cfg.worker_id, cfg.chunk, cfg.lease)
            if not claimed:
                heart.beat()
                if cfg.idle_exit and time.monotonic() - idle_since >= cfg.idle_exit:
                    log(f"idle for {cfg.idle_exit:g}s; exiting")
                    break
                time.sleep(cfg.poll)
                continue
            heart.set_tasks(claimed)
            stored += _audit_chunk(claimed, queue, store, cfg, options_cache, heart, audit, log,
                                   record_result, Target, AuditOptions)
            claimed = []
            heart.set_tasks([])
            idle_since = time.monotonic()
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
    log(f"stored {stored} shop(s)")
    return stored


def _audit_chunk(claimed, queue, store, cfg, options_cache, heart, audit, log, record_result, Target,
                 AuditOptions) -> int:
    stored = 0
    by_batch: dict[str, list] = {}
    for task in claimed:
        batch_id, shop_id = task.split(":", 1)
        payload = queue.payload(task)
        if payload is None:                          # acked meanwhile by a retried copy
            queue.ack(cfg.worker_id, task)
            heart.drop(task)
            continue
        if store.find_scan(batch_id, shop_id) is not None:
            log(f"{shop_id}: already stored (retry after a crash between commit and ack)")
            queue.ack(cfg.worker_id, task)
            heart.drop(task)
            continue
        if batch_id not in options_cache:
            opts = AuditOptions.from_json(queue.batch_options(batch_id))
            if cfg.browser_path:
                opts.browser_path = cfg.browser_path
            options_cache[batch_id] = opts
        by_batch.setdefault(batch_id, []).append((task, shop_id, payload))
    for batch_id, items in by_batch.items():
        targets, tasks_by_id = [], {}
        for task, shop_id, payload in items:
            shop_dir = cfg.out_dir / batch_id / shop_id
            if shop_dir.exists():
                shutil.rmtree(shop_dir, ignore_errors=True)
            targets.append(Target(url=payload["url"], out_dir=shop_dir, id=shop_id, label=payload.get("label") or "",
                                  username=payload.get("username"), password=payload.get("password")))
            tasks_by_id[shop_id] = task
        finished: set[str] = set()

        def on_result(result, batch_id=batch_id, tasks_by_id=tasks_by_id, finished=finished):
            nonlocal stored
            shop_id = result.target.id
            scan_id = record_result(cfg.db, result, batch_id=batch_id, shop_id=shop_id, worker=cfg.worker_id,
                                    log=lambda m: None)
            queue.ack(cfg.worker_id, tasks_by_id[shop_id])
            heart.drop(tasks_by_id[shop_id])
            finished.add(shop_id)
            stored += 1
            print(f"stored {batch_id} {shop_id} {scan_id}", flush=True)   # one line per shop, for tests/logs
            log(f"{result.target.url}: score {result.report.get('score')} → scan #{scan_id}")

        error = ""
        try:
            audit(targets, options_cache[batch_id], log=lambda m: None, on_result=on_result)
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            log(f"audit failed: {error}")
        for shop_id, task in tasks_by_id.items():
            if shop_id not in finished:
                outcome = queue.release(cfg.worker_id, task, failed=True, max_attempts=cfg.max_attempts,
                                        error=error or "no result")
                heart.drop(task)
                log(f"{shop_id}: {'dead-lettered' if outcome == 2 else 'requeued'} ({error or 'no result'})")
    return stored


# --------------------------------------------------------------------------- coordinator


def run_distributed_batch(shops, out_dir: Path, options, *, redis_url: str, db: str, resume: bool = False,
                          source: str | None = None, wait: bool = True, wait_timeout: float | None = None,
                          progress: bool = True, poll: float = 1.0, prefix: str = PREFIX):
    """Enqueue the shops for workers; then (``wait``) follow their progress in the database
    and write DIR/<shop>/report.* and the summary from it."""
    from auditor.batch import BatchOutcome, Progress, prepare_batch, summary_rows, write_summary
    from auditor.storage import open_store

    out_dir = Path(out_dir)
    batch_id, started, journal = prepare_batch(shops, out_dir, resume=resume, source=source,
                                               options_json=options.to_json())
    store = open_store(db)
    store.ensure_batch(batch_id, source=source, total=len(shops), options=options.to_json())
    queue = Queue(redis_url, prefix)
    queue.put_batch(batch_id, options.to_json(), len(shops), source)
    enqueued = 0
    for shop in shops:
        if store.find_scan(batch_id, shop.id) is not None:
            continue
        payload = {"url": shop.url, "label": shop.label, "username": shop.username, "password": shop.password}
        enqueued += queue.enqueue(batch_id, shop.id, payload)
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
    from auditor.artifacts import write_atomic
    from auditor.diff import write_diff
    from auditor.report import render_html
    scan = store.get_scan(scan_id)
    shop_dir.mkdir(parents=True, exist_ok=True)
    store.export_evidence(scan_id, shop_dir)
    report = scan.report
    write_atomic(shop_dir / "report.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    write_atomic(shop_dir / "report.html", render_html(report, report.get("lang") or "zh"))
    if scan.diff:
        write_diff(scan.diff, shop_dir, lang=report.get("lang") or "zh")
