"""Where the web page's scans run: the same engine as batches.

An engine takes jobs from the ``JobBoard`` as it has room, reports each job's stages
(``board.stage``) and its end (``board.finish``), and stores the result in the history
database under the job's token (``ResultStore.record``).  The web app knows nothing else
about it, so a deployment grows by giving it another engine:

* ``InProcessEngine`` (default): ``slots`` threads in the app's process, each auditing one
  shop at a time with the batch code path (``pipeline.audit_shops``: the Scrapy crawl in a
  child process, the browser stage on the thread's own Chromium, the checks, the report);
  the scan's files go to a scratch directory that is removed once the result (with its
  evidence) is in the database.
* a distributed engine (workers on other machines) implements the same two methods,
  ``start(board, results)`` and ``stop()``: it hands each taken job to the workers and
  reports its end when the result row appears in the shared database.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Protocol

from cardshop_auditor.netpolicy import RULES_ENV, parse_ip, resolver, url_host_port

from cardshop_auditor.web.jobs import Job, JobBoard
from cardshop_auditor.web.results import ResultStore


class ScanEngine(Protocol):
    slots: int

    def start(self, board: JobBoard, results: ResultStore) -> None: ...

    def stop(self) -> None: ...


class StageLog:
    """The pipeline's log for one job: stage changes go to the board (``report_stage``); the
    log lines themselves are kept back (they may hold the buyer's user name)."""

    def __init__(self, board: JobBoard, job: Job):
        self.board, self.job = board, job

    def __call__(self, message: str) -> None:
        pass

    def stage(self, name: str) -> None:
        self.board.stage(self.job, name)


class AddressPins:
    """The addresses each running scan's host was checked at, handed to the crawl child
    (``CARDSHOP_HOST_RESOLVER_RULES``, read when it starts) and to this process's resolver
    (the browser stage): a DNS answer that changes after the check (rebinding to 127.0.0.1,
    the LAN) changes nothing.  Scans run in threads, so the variable holds the pins of every
    running scan (the operator's own rules first)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._active: dict[str, list[str]] = {}
        self._base = os.environ.get(RULES_ENV)

    @contextmanager
    def pinned(self, token: str, url: str, ips) -> Iterator[None]:
        host = (url_host_port(url) or ("", 0))[0]
        rules = [f"MAP {host} {ip}" for ip in ips or () if host and parse_ip(host) is None]
        if rules:
            resolver().seed(host, ips)
        with self._lock:
            self._active[token] = rules
            self._publish()
        try:
            yield
        finally:
            with self._lock:
                self._active.pop(token, None)
                self._publish()

    def _publish(self) -> None:
        rules = ", ".join(filter(None, [self._base, *(r for rs in self._active.values() for r in rs)]))
        if rules:
            os.environ[RULES_ENV] = rules
        else:
            os.environ.pop(RULES_ENV, None)


class InProcessEngine:
    def __init__(self, options, work_dir: Path, slots: int = 2, log=None):
        self.options, self.work_dir, self.slots = options, Path(work_dir), max(1, int(slots))
        self.log = log or (lambda message: None)
        self._threads: list[threading.Thread] = []
        self.pins = AddressPins()
        self.board: JobBoard | None = None
        self.results: ResultStore | None = None

    def start(self, board: JobBoard, results: ResultStore) -> None:
        self.board, self.results = board, results
        self.work_dir.mkdir(parents=True, exist_ok=True)
        for n in range(self.slots):
            thread = threading.Thread(target=self._slot, name=f"cardshop-web-scan-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        if self.board is not None:
            self.board.close()
        for thread in self._threads:
            thread.join(10)

    def _slot(self) -> None:
        try:
            while (job := self.board.take()) is not None:
                self.run(job)
        finally:
            from cardshop_auditor.browser.manager import close_browser
            close_browser()

    def run(self, job: Job) -> None:
        from cardshop_auditor.pipeline import Target, audit_shops
        from cardshop_auditor.secrets import failure_reason
        user, password = job.credentials or (None, None)
        job.credentials = None
        options = dataclasses.replace(self.options, lang=job.lang, username=user, password=password)
        out_dir = self.work_dir / job.token
        error = None
        try:
            target = Target(url=job.url, out_dir=out_dir, id=job.token, username=user, password=password)
            with self.pins.pinned(job.token, job.url, job.ips):
                results = audit_shops([target], options, log=StageLog(self.board, job))
            if not results:
                raise RuntimeError("the audit ended without a report")
            self.results.record(job.token, results[0], private=job.private)
        except Exception as exc:  # noqa: BLE001 - our side failed: the page says so, the server goes on
            error = failure_reason("audit", exc, "en")
            self.log(f"web scan {job.token}: {error}")
        finally:
            shutil.rmtree(out_dir, ignore_errors=True)
            self.board.finish(job, error)


class WorkerEngine:
    """Scans handed to `cardshop-audit worker` processes through the broker (the task engine
    of `batch --broker`): each job becomes a one-shop task of the batch ``web`` whose shop id
    is the job's token and label ``web``, so the worker's stored result is the page's result.
    ``slots`` jobs are in flight on the workers at once (the rest wait in the line, with
    their place).  A job with the buyer's account runs here instead (``local``): passwords
    never travel on the broker."""

    POLL_SECONDS = 1.0

    def __init__(self, broker_url: str, options, local: InProcessEngine, slots: int = 8,
                 queue_secret: str | None = None, timeout: float = 900.0, log=None):
        self.broker_url, self.options, self.local = broker_url, options, local
        self.slots, self.queue_secret, self.timeout = max(1, int(slots)), queue_secret, timeout
        self.log = log or (lambda message: None)
        self._threads: list[threading.Thread] = []
        self.board: JobBoard | None = None
        self.results: ResultStore | None = None
        self.broker = None

    def start(self, board: JobBoard, results: ResultStore) -> None:
        from cardshop_auditor.engine.broker import make_broker
        self.board, self.results = board, results
        self.local.board, self.local.results = board, results
        self.local.work_dir.mkdir(parents=True, exist_ok=True)
        self.broker = make_broker(self.broker_url)
        self._register_batch(results)
        for n in range(self.slots):
            thread = threading.Thread(target=self._slot, name=f"cardshop-web-remote-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _register_batch(self, results: ResultStore) -> None:
        """Workers audit a batch only with the options its coordinator registered: the web
        batch's are this server's audit limits (never a path, a program or a password)."""
        from cardshop_auditor.queue_tasks import queue_options
        from cardshop_auditor.storage.models import Batch
        from cardshop_auditor.web.results import WEB_BATCH
        with results.store.transaction() as s:
            row = s.get(Batch, WEB_BATCH)
            if row is not None:
                row.options = queue_options(self.options.to_json())

    def stop(self) -> None:
        if self.board is not None:
            self.board.close()
        for thread in self._threads:
            thread.join(10)
        if self.broker is not None:
            self.broker.close()

    def _slot(self) -> None:
        while (job := self.board.take()) is not None:
            if job.private:
                self.local.run(job)
            else:
                self.run(job)

    def run(self, job: Job) -> None:
        import time

        from cardshop_auditor.batch_input import BatchShop
        from cardshop_auditor.engine.coordinator import enqueue_shops
        from cardshop_auditor.storage import deadletters
        from cardshop_auditor.web.results import PUBLIC, WEB_BATCH
        store = self.results.store
        error = None
        try:
            enqueue_shops(self.broker, store, WEB_BATCH, [BatchShop(url=job.url, id=job.token, label=PUBLIC)],
                          queue_secret=self.queue_secret)
            self.board.stage(job, "fetch")            # on its way to a worker
            deadline = time.monotonic() + self.timeout
            while store.find_scan(WEB_BATCH, job.token) is None:
                reason = deadletters.for_batch(store, WEB_BATCH).get(job.token)
                if reason is not None:
                    raise RuntimeError(f"a worker gave the scan up: {reason}")
                if time.monotonic() > deadline:
                    raise TimeoutError("no worker finished the scan in time")
                time.sleep(self.POLL_SECONDS)
        except Exception as exc:  # noqa: BLE001 - the page says so, the server goes on
            from cardshop_auditor.secrets import failure_reason
            error = failure_reason("audit", exc, "en")
            self.log(f"web scan {job.token}: {type(exc).__name__}: {exc}")
        finally:
            self.board.finish(job, error)
