"""Running audits: in this process (the default, no extra dependency), or spread over any
number of machines by an established task engine, Dramatiq with Redis or RabbitMQ as its
broker (engine.amqp says how RabbitMQ gives what follows).

Why Dramatiq (and not Celery): its Redis broker keeps each worker's fetched-but-unacked
messages under that worker's heartbeat and hands them to another worker once the
heartbeat is older than ``heartbeat_timeout`` (60 s here), so a shop whose worker was
killed is re-run within two minutes without a visibility timeout to tune against the
longest audit; retries with exponential backoff and a dead-letter queue are built in; its
Prometheus middleware is the standard way to monitor it; and it is small enough to read
(the consumer is wrapped, ``engine.broker``, to treat every message as untrusted).

    engine.broker        the broker, message format, untrusted-message checks
    engine.amqp          the RabbitMQ broker (``--broker amqp://…``) with the same checks
    engine.worker        `cardshop-audit worker`: the actor, chunk by chunk, exactly once
    engine.coordinator   `cardshop-audit batch --broker`: enqueue, wait, summary
    engine.metrics       Prometheus exposition (`worker --metrics-port`)

For other parts of the tool (the web app) a small interface, whatever runs the audits::

    engine = open_engine(broker_url=None, db=None, options=AuditOptions(...), out_dir=DIR)
    job = engine.submit("https://shop.example/")     # or a pipeline.Target
    engine.status(job)     # "queued" | "running" | "done" | "failed"
    engine.result(job)     # the report (dict) once done, else None
"""
from __future__ import annotations

import re
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


class InProcessEngine:
    """Audits in threads of this process (pipeline.audit_shops), ``concurrency`` at once;
    results in ``db`` too when given.  No broker, no extra dependency."""

    def __init__(self, options, out_dir: Path, db: str | None = None, concurrency: int = 2):
        self.options, self.out_dir, self.db = options, Path(out_dir), db
        self.pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="audit")
        self.jobs: dict[str, Future] = {}
        self.running: set[str] = set()
        self.lock = threading.Lock()
        self.n = 0

    def submit(self, target) -> str:
        from cardshop_auditor.pipeline import Target
        with self.lock:
            self.n += 1
            job = f"job{self.n}"
        if not isinstance(target, Target):
            target = Target(url=str(target), out_dir=self.out_dir / job, id=job)
        self.jobs[job] = self.pool.submit(self._run, job, target)
        return job

    def _run(self, job: str, target) -> dict | None:
        from cardshop_auditor.pipeline import audit_shops
        self.running.add(job)
        found: list = []
        try:
            audit_shops([target], self.options, log=lambda m: None, on_result=found.append)
            if not found:
                return None
            if self.db:
                from cardshop_auditor.storage import record_result
                record_result(self.db, found[0], log=lambda m: None)
            return found[0].report
        finally:
            self.running.discard(job)

    def status(self, job: str) -> str:
        future = self.jobs.get(job)
        if future is None:
            raise KeyError(job)
        if not future.done():
            return RUNNING if job in self.running else QUEUED
        return DONE if future.exception() is None and future.result() is not None else FAILED

    def result(self, job: str, timeout: float | None = 0) -> dict | None:
        future = self.jobs[job]
        try:
            return future.result(timeout=timeout)
        except Exception:
            return None

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class DistributedEngine:
    """Submits each target as a one-shop chunk of batch ``batch_id`` (registered in ``db``)
    for `cardshop-audit worker` processes; status and result come from the database."""

    def __init__(self, broker_url: str, db: str, options, batch_id: str | None = None,
                 queue_secret: str | None = None):
        from cardshop_auditor.batch import new_batch_id
        from cardshop_auditor.engine.broker import make_broker
        from cardshop_auditor.queue_tasks import queue_options
        from cardshop_auditor.storage import open_store
        self.store = open_store(db)
        self.batch_id = batch_id or new_batch_id()
        self.store.ensure_batch(self.batch_id, source="engine", options=queue_options(options.to_json()))
        self.broker = make_broker(broker_url)
        self.secret = queue_secret
        self.lock = threading.Lock()
        self.n = 0

    def submit(self, target) -> str:
        from cardshop_auditor.batch import BatchShop, shop_id_for
        from cardshop_auditor.engine.coordinator import enqueue_shops
        url = getattr(target, "url", None) or str(target)
        with self.lock:
            self.n += 1
            shop_id = f"{self.n}-{shop_id_for(url)}"[:120]
        shop_id = re.sub(r"[^A-Za-z0-9._-]", "-", shop_id)
        enqueue_shops(self.broker, self.store, self.batch_id, [BatchShop(url=url, id=shop_id)],
                      queue_secret=self.secret)
        return f"{self.batch_id}:{shop_id}"

    def status(self, job: str) -> str:
        from cardshop_auditor.storage import deadletters
        batch_id, _, shop_id = job.partition(":")
        if self.store.find_scan(batch_id, shop_id) is not None:
            return DONE
        if shop_id in deadletters.for_batch(self.store, batch_id):
            return FAILED
        return QUEUED

    def result(self, job: str, timeout: float | None = 0) -> dict | None:
        batch_id, _, shop_id = job.partition(":")
        scan_id = self.store.find_scan(batch_id, shop_id)
        return self.store.get_report(scan_id) if scan_id is not None else None

    def close(self) -> None:
        self.broker.close()


def open_engine(*, options, out_dir: Path | None = None, broker_url: str | None = None, db: str | None = None,
                concurrency: int = 2, queue_secret: str | None = None):
    """The in-process engine, or with ``broker_url`` (and ``db``, required then) the
    distributed one."""
    if broker_url:
        if not db:
            raise ValueError("a broker needs a database: workers store their results there")
        return DistributedEngine(broker_url, db, options, queue_secret=queue_secret)
    if out_dir is None:
        raise ValueError("the in-process engine writes reports to out_dir")
    return InProcessEngine(options, out_dir, db=db, concurrency=concurrency)
