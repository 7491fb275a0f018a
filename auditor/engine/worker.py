"""`cardshop-audit worker`: a Dramatiq worker (threads in this process) auditing chunks of
shops from the broker and storing each result in the database, exactly once.

Each message is untrusted (queue_tasks, broker.check_message): every shop of a chunk is
checked — signature, payload schema, its batch registered in the database, its URL's
address — before anything reads it further; a shop that fails is dead-lettered alone
with its reason (a row in ``dead_letters``) and its chunk-mates go on.  Programs, local
files, credentials and the networks a task may reach come from this worker's own
configuration (``WorkerConfig``), never from a message.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import dramatiq.worker as dramatiq_worker
from dramatiq.middleware import CurrentMessage, Middleware

import cardshop_auditor.engine.events as events
from cardshop_auditor.engine.broker import (MAX_CHUNK, EngineSettings, Outage, ShopsFailed, TaskRejected,
                                            consumers_cut_off, declare_actor, make_broker, ping, reachable,
                                            valid_id, with_backoff)
from cardshop_auditor.netpolicy import RULES_ENV
from cardshop_auditor.queue_signing import DEFAULT_ENV, SIGNATURE_CHARS, verify
from cardshop_auditor import queue_tasks
from cardshop_auditor.queue_tasks import (MAX_PAYLOAD_BYTES, QueueTask, check_start_address, contained_dir,
                                          parse_batch_options, parse_task, resolve_credentials, scrub,
                                          service_endpoints)

# Dramatiq's consumers wait this long before reconnecting after a connection error: a worker
# whose broker came back is not idle before its consumers can be back too
CONSUMER_RESTART = dramatiq_worker.CONSUMER_RESTART_DELAY / 1000 + 1.0


@dataclass
class WorkerConfig:
    """A worker's own configuration (its command line): everything that names a program,
    a local file, a directory, a database or a credential comes from here."""
    broker_url: str
    db: str
    out_dir: Path
    worker_id: str = ""
    threads: int = 2                  # chunks audited at once
    prefetch: int = 0                 # chunks held from the broker at once (0: as many as threads)
    concurrency: int = 8              # shops of a chunk crawled at once (as batch --concurrency)
    idle_exit: float = 0.0            # exit after this long with nothing to do (0: never)
    startup_wait: float = 10.0        # how long the broker may be away when the worker starts
    settings: EngineSettings = field(default_factory=EngineSettings)
    browser_path: str | None = None
    storage_state: str | None = None
    icp_registry: str | None = None
    auth: Path | None = None          # credentials per site, for tasks with a credential_ref
    credentials: Path | None = None   # named credentials (engine.credentials), for credential_ref.name
    allow_networks: list = field(default_factory=list)
    insecure_login: bool = False
    queue_secret: str | None = field(default=None, repr=False)
    metrics_port: int | None = None   # Prometheus exposition on metrics_host:port
    metrics_host: str = "127.0.0.1"

    def __post_init__(self) -> None:
        self.worker_id = self.worker_id or f"{socket.gethostname()}-{os.getpid()}"
        self.out_dir = Path(self.out_dir)

    def local_options(self) -> dict:
        return {"browser_path": self.browser_path, "storage_state": self.storage_state,
                "icp_registry": self.icp_registry, "allow_networks": list(self.allow_networks),
                "insecure_login": self.insecure_login}


def _is_outage(exc: BaseException) -> bool:
    from sqlalchemy.exc import DBAPIError, OperationalError
    return isinstance(exc, OperationalError) or (isinstance(exc, DBAPIError) and exc.connection_invalidated)


class ChunkRunner:
    """The actor's body: one message = one chunk of one batch."""

    def __init__(self, cfg: WorkerConfig, store, audit, log):
        self.cfg, self.store, self.audit, self.log = cfg, store, audit, log
        self.options: dict[str, object] = {}          # batch id → AuditOptions, or the rejection
        self.lock = threading.Lock()                  # os.environ (crawl-child pins) is per process
        self.active: dict[str, tuple[tuple[str, ...], int]] = {}   # host → (pinned addresses, chunks)
        self.base_rules = os.environ.get(RULES_ENV)
        self.stored = 0
        self.endpoints = service_endpoints([cfg.broker_url, cfg.db])

    # ---- dead letters
    def note_dead(self, batch_id: str | None, shop_id: str | None, reason: str) -> None:
        """Every dead letter: logged, counted, and a database row when the batch is ours."""
        import cardshop_auditor.engine.metrics as metrics
        metrics.count_dead_letter(reason)
        where = f"{batch_id}:{shop_id}" if batch_id and shop_id else (batch_id or "message")
        self.log(f"warning: {where}: dead-lettered ({reason})")
        if batch_id and shop_id and valid_id(batch_id) and valid_id(shop_id):
            from cardshop_auditor.storage import deadletters
            try:
                deadletters.note(self.store, batch_id, shop_id, reason, worker=self.cfg.worker_id)
            except Exception as exc:       # the database away: the shop stays missing, said so
                self.log(f"{where}: dead letter not recorded ({type(exc).__name__})")

    # ---- the actor
    def handle(self, *args, **kwargs) -> None:
        if kwargs or len(args) != 2:
            raise self._reject(None, "message arguments are not [batch id, tasks]")
        batch_id, tasks = args
        if not valid_id(batch_id):
            raise self._reject(None, "batch id has characters outside [A-Za-z0-9._-] or is not text")
        if not isinstance(tasks, list) or not 1 <= len(tasks) <= MAX_CHUNK:
            raise self._reject(batch_id, f"tasks are not a list of 1 to {MAX_CHUNK} shops")
        jobs = self.admit(batch_id, tasks)
        if jobs:
            self.run_chunk(batch_id, jobs)

    def _reject(self, batch_id: str | None, reason: str) -> TaskRejected:
        events.dead_letter(batch_id, None, reason)
        return TaskRejected(reason)

    def admit(self, batch_id: str, tasks: list) -> list[QueueTask]:
        """The checked, not yet stored shops of a chunk; the others dead-lettered alone."""
        jobs: dict[str, QueueTask] = {}
        stored = self._stored_among(batch_id, tasks)
        for item in tasks:
            shop_id = item[0] if isinstance(item, list) and item and valid_id(item[0]) else None
            try:
                if not isinstance(item, list) or len(item) != 3 or shop_id is None:
                    raise queue_tasks.TaskRejected("task is not [shop id, payload, signature]")
                _, raw, sig = item
                if not isinstance(raw, str):
                    raise queue_tasks.TaskRejected("payload is not text")
                if len(raw) > MAX_PAYLOAD_BYTES:
                    raise queue_tasks.TaskRejected(f"payload too large (at most {MAX_PAYLOAD_BYTES} bytes)")
                if self.cfg.queue_secret:        # before anything else reads the payload
                    if sig is not None and (not isinstance(sig, str) or len(sig) > SIGNATURE_CHARS):
                        sig = "<not a signature>"
                    verify(self.cfg.queue_secret, batch_id, shop_id, raw, sig)
                job = parse_task(f"{batch_id}:{shop_id}", raw)
                self.batch_options(batch_id)
            except queue_tasks.TaskRejected as exc:
                events.dead_letter(batch_id, shop_id, str(exc))
                continue
            if shop_id in stored:
                self.log(f"{shop_id}: already stored (a retry after a crash, or a copy)")
                continue
            jobs.setdefault(shop_id, job)
        return list(jobs.values())

    def _stored_among(self, batch_id: str, tasks: list) -> set[str]:
        """Which of the chunk's shop ids are stored already: one query for the chunk."""
        ids = [item[0] for item in tasks if isinstance(item, list) and item and valid_id(item[0])]
        try:
            return self.store.stored_shops(batch_id, ids)
        except Exception as exc:
            if _is_outage(exc):
                raise Outage(f"database unreachable ({type(exc).__name__})") from None
            raise

    def batch_options(self, batch_id: str):
        """The batch's allow-listed options from the database row its coordinator wrote,
        plus this worker's own local ones."""
        if batch_id not in self.options:
            from cardshop_auditor.options import AuditOptions
            try:
                row = self.store.get_batch(batch_id)
            except Exception as exc:
                if _is_outage(exc):
                    raise Outage(f"database unreachable ({type(exc).__name__})") from None
                raise
            try:
                if row is None:
                    raise queue_tasks.TaskRejected("batch not registered in the database (no coordinator "
                                                   "started it)")
                allowed, notes = parse_batch_options(json.dumps(row.options or {}))
                for note in notes:
                    self.log(f"batch {batch_id}: {note}")
                opts = AuditOptions.from_json(allowed)
                for key, value in self.cfg.local_options().items():
                    setattr(opts, key, value)
                self.options[batch_id] = opts
            except queue_tasks.TaskRejected as exc:
                self.options[batch_id] = exc
        found = self.options[batch_id]
        if isinstance(found, queue_tasks.TaskRejected):
            raise found
        return found

    def target_for(self, job: QueueTask, pins: dict):
        """The pipeline target: its address checked, its directory inside out_dir (emptied
        first: leftovers of an earlier attempt), its credentials from this worker's --auth."""
        from cardshop_auditor.pipeline import Target
        host, ips = check_start_address(job.url, self.cfg.allow_networks, self.endpoints)
        if ips and host not in ips:
            pins[host] = ips
        shop_dir = contained_dir(self.cfg.out_dir, job.batch_id, job.shop_id)
        creds = resolve_credentials(job, self.cfg.auth, self.cfg.credentials)
        if shop_dir.exists():
            shutil.rmtree(shop_dir)
        username, password = creds or (None, None)
        return Target(url=job.url, out_dir=shop_dir, id=job.shop_id, label=job.label,
                      username=username, password=password,
                      order_no=job.order_no or self.batch_options(job.batch_id).order_no)

    def _audit(self, targets, options, on_result) -> str:
        """Audit ``targets`` together: "" when the audit ran, else the (scrubbed) error."""
        try:
            self.audit(targets, options, log=self._forward, on_result=on_result)
        except Outage:
            raise
        except Exception as exc:
            error = scrub(" ".join(f"{type(exc).__name__}: {exc}".split()))
            self.log(f"audit failed: {error}")
            return error
        return ""

    def _forward(self, message: str) -> None:
        """The audit's own progress lines (the crawl child's failures among them): debug
        records of this worker, in its log format, scrubbed like every record."""
        logging.getLogger("cardshop_auditor.engine.audit").debug(message, extra={"worker": self.cfg.worker_id})

    def run_chunk(self, batch_id: str, jobs: list[QueueTask]) -> None:
        import dataclasses
        options = self.batch_options(batch_id)
        targets, pins = [], {}
        groups: dict[tuple, list] = {}        # shops with the same own options are audited together
        for job in jobs:
            try:
                targets.append(self.target_for(job, pins))
                groups.setdefault(job.options, []).append(targets[-1])
            except queue_tasks.TaskRejected as exc:
                events.dead_letter(batch_id, job.shop_id, str(exc))
            except OSError as exc:         # this machine's disk: retried, maybe elsewhere
                raise ShopsFailed(f"worker could not prepare a task directory "
                                  f"({exc.strerror or type(exc).__name__})") from None
        if not targets:
            return
        finished: set[str] = set()
        outage: list[str] = []

        def on_result(result):
            from cardshop_auditor.storage import record_result
            shop_id = result.target.id
            notes: list[str] = []
            try:      # the shop's dead letter, if an earlier attempt left one, goes in the same transaction
                scan_id = record_result(self.cfg.db, result, batch_id=batch_id, shop_id=shop_id,
                                        worker=self.cfg.worker_id, log=notes.append)
            except Exception as exc:
                if _is_outage(exc):
                    outage.append(type(exc).__name__)
                    return
                raise
            finished.add(shop_id)
            if any("already stored" in note for note in notes):   # a copy finished first: one row
                self.log(f"{shop_id}: already stored as scan #{scan_id} by another attempt")
                return
            self.stored += 1
            print(f"stored {batch_id} {shop_id} {scan_id}", flush=True)   # one line per shop
            self.log(f"{result.target.url}: score {result.report.get('score')} → scan #{scan_id}")

        errors: dict[str, str] = {}
        self._pin(pins)
        try:
            for own, group in groups.items():
                if outage:
                    break
                group_options = dataclasses.replace(options, **dict(own),
                                                    shops_in_flight=min(len(group), self.cfg.concurrency))
                error = self._audit(group, group_options, on_result)
                alone = [t for t in group if t.id not in finished]
                if error and len(alone) > 1 and not outage:
                    # one shop that breaks the chunk's audit must not take its chunk-mates down
                    # with it: each is audited alone once, and only its own failure counts
                    for target in alone:
                        errors[target.id] = self._audit([target], group_options, on_result)
                for target in alone:
                    errors[target.id] = errors.get(target.id) or error
        finally:
            self._unpin(pins)
        if outage:
            raise Outage(f"database unreachable while storing ({outage[0]})")
        missing = [t.id for t in targets if t.id not in finished]
        if not missing:
            return
        why = {sid: errors.get(sid) or "no result" for sid in missing}
        if self._last_attempt():
            for sid in missing:
                events.dead_letter(batch_id, sid, f"failed {self.cfg.settings.max_attempts} time(s): {why[sid]}")
        else:
            self.log(f"{len(missing)} shop(s) of batch {batch_id} not stored; retried with backoff")
        raise ShopsFailed(f"{len(missing)} shop(s) not stored: {next(iter(why.values()))}"[:300])

    def _last_attempt(self) -> bool:
        message = CurrentMessage.get_current_message()
        retries = message.options.get("retries", 0) if message is not None else 0
        return retries >= self.cfg.settings.max_attempts - 1

    # The crawl child resolves names again: it is told the addresses checked here (through
    # the environment it inherits), so a DNS answer that changes after the check
    # (rebinding) changes nothing.  Chunks run in threads: the pins of every chunk in
    # flight are in force together, each kept until its chunk ends.
    def _pin(self, pins: dict) -> None:
        if pins:
            with self.lock:
                for host, ips in pins.items():
                    self.active[host] = (ips, self.active.get(host, ((), 0))[1] + 1)
                self._apply_pins()

    def _unpin(self, pins: dict) -> None:
        if pins:
            with self.lock:
                for host in pins:
                    ips, n = self.active.get(host, ((), 1))
                    if n <= 1:
                        self.active.pop(host, None)
                    else:
                        self.active[host] = (ips, n - 1)
                self._apply_pins()

    def _apply_pins(self) -> None:
        rules = ", ".join(filter(None, [self.base_rules, *(f"MAP {host} {ip}" for host, (ips, _) in
                                                           self.active.items() for ip in ips)]))
        if rules:
            os.environ[RULES_ENV] = rules
        else:
            os.environ.pop(RULES_ENV, None)


class _Activity(Middleware):
    """When this worker last had something to do (for --idle-exit)."""

    def __init__(self):
        self.busy = 0
        self.last = time.monotonic()
        self.lock = threading.Lock()

    def before_process_message(self, broker, message):
        with self.lock:
            self.busy += 1

    def after_process_message(self, broker, message, *, result=None, exception=None):
        with self.lock:
            self.busy -= 1
            self.last = time.monotonic()

    after_skip_message = after_process_message

    def before_delay_message(self, broker, message):
        self.touch()

    def touch(self, ahead: float = 0.0) -> None:
        self.last = time.monotonic() + ahead

    def idle_for(self) -> float:
        with self.lock:
            return 0.0 if self.busy else max(0.0, time.monotonic() - self.last)


def idle_long_enough(activity: _Activity, idle_exit: float, broker) -> bool:
    """--idle-exit: nothing to do for ``idle_exit`` s, the broker answering and every consumer
    fetching again.  Cut off is not idle (the queue may hold work: a restart), nor is a broker
    that answers again while a consumer still waits out Dramatiq's restart delay (a worker
    left so with shops queued: CI flake of the farm test); idle counts once they are back."""
    if not idle_exit or activity.idle_for() < idle_exit:
        return False
    if consumers_cut_off(broker) or not reachable(broker):
        activity.touch(CONSUMER_RESTART)
        return False
    return True


class _QuietExpected(logging.Filter):
    """Dramatiq logs a traceback for every exception an actor raises; ours carry their
    reason in their message, so the traceback goes (it shows with --debug)."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, (ShopsFailed, Outage, TaskRejected)):
            record.msg = f"{record.getMessage()} ({type(exc).__name__}: {exc})"
            record.args, record.exc_info, record.exc_text = (), None, None
        return True


def _setup_logging(debug: bool) -> None:
    """Dramatiq's records: through the root logger's handler (`cardshop-audit worker` puts
    ours there: cardshop_auditor.logs.capture_everything), at the level the command chose
    (-v: debug), else warnings; a plain handler only for a Python caller that set none."""
    root = logging.getLogger("dramatiq")
    if not logging.getLogger().handlers and not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    if debug:
        root.setLevel(logging.DEBUG)
    elif root.level == logging.NOTSET:
        root.setLevel(logging.WARNING)
    if not debug:
        for handler in root.handlers + logging.getLogger().handlers:
            if not any(isinstance(f, _QuietExpected) for f in handler.filters):
                handler.addFilter(_QuietExpected())


def _worker_log(worker_id: str) -> Callable[[str], None]:
    """The worker's own lines, as log records (cardshop_auditor.logs: -v / -q, text or JSON)."""
    logger = logging.getLogger("cardshop_auditor.engine.worker")

    def log(message: str) -> None:
        if message.startswith("warning: "):
            logger.warning(message[len("warning: "):], extra={"worker": worker_id})
        else:
            logger.info(message, extra={"worker": worker_id})
    return log


def run_worker(cfg: WorkerConfig, log: Callable[[str], None] | None = None, audit: Callable | None = None,
               stop: threading.Event | None = None) -> int:
    """Consume until SIGTERM / Ctrl-C (or ``stop``), or idle for ``idle_exit``.  A malformed
    task is dead-lettered with its reason and the worker goes on; the broker away, the
    consumer reconnects; the database away, the chunk is retried with backoff.  Returns the
    number of shops stored."""
    import dramatiq

    import cardshop_auditor.engine.metrics as metrics
    from cardshop_auditor.pipeline import audit_shops
    from cardshop_auditor.secrets import debug_enabled
    from cardshop_auditor.storage import open_store

    log = log or _worker_log(cfg.worker_id)
    _setup_logging(debug_enabled())
    store = open_store(cfg.db)
    runner = ChunkRunner(cfg, store, audit or audit_shops, log)
    activity = _Activity()
    extra = [CurrentMessage(), activity]
    if cfg.metrics_port is not None:
        extra.append(metrics.middleware())
    broker = make_broker(cfg.broker_url, cfg.settings, middleware=extra)
    # a broker that is not there at start is our side's failure (exit 4), not an idle worker
    with_backoff("broker", lambda: ping(broker), budget=cfg.startup_wait, say=lambda _: None)   # one line: the error
    declare_actor(broker, runner.handle).options["throws"] = (TaskRejected,)
    events.set_handler(runner.note_dead)
    stop = stop or threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())
    exposition = None
    if cfg.metrics_port is not None:
        exposition = metrics.serve(broker, cfg.metrics_host, cfg.metrics_port)
        log(f"metrics on http://{cfg.metrics_host}:{exposition.server_port}/metrics")
    worker = dramatiq.Worker(broker, worker_threads=cfg.threads, worker_timeout=500)
    # No chunk held beyond the threads that run them: a chunk waiting in this worker's
    # prefetch is one an idle worker cannot take (with a few large chunks, one worker held
    # them all while the other idled: bench/README.md "Task engine").
    worker.queue_prefetch = cfg.prefetch or cfg.threads
    s = cfg.settings
    log(f"started: broker {cfg.broker_url.split('@')[-1]} (as {broker.broker_id}), {cfg.threads} thread(s) "
        f"× {cfg.concurrency} shop(s) at once, "
        "heartbeat timeout "
        f"{s.heartbeat_timeout:g}s, {s.max_attempts} attempt(s)")
    if not cfg.queue_secret:
        log(f"warning: no queue secret (--queue-secret-env or ${DEFAULT_ENV}): tasks are not signed, so "
            "anyone who can write to the broker can add shops to any registered batch")
    worker.start()
    try:
        while not stop.wait(0.25):
            if idle_long_enough(activity, cfg.idle_exit, broker):
                log(f"idle for {cfg.idle_exit:g}s; exiting")
                break
    finally:
        worker.stop(timeout=30_000)
        broker.close()
        events.set_handler(None)
        if exposition is not None:
            exposition.shutdown()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log(f"stored {runner.stored} shop(s)")
    return runner.stored
