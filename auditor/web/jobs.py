"""The scans the web page has accepted: queued, running, finished; and who may submit.

``JobBoard`` is the waiting line in front of the engine's bounded pool of scan slots:
``submit`` queues a job or answers "busy" (the line is full), ``position`` is the number
a waiting buyer sees, ``take`` hands the next job to a free slot, and the engine reports
each stage (``stage``) and the end (``finish``).  Every change bumps the job's ``version``
so the progress stream sends only what changed.  Finished jobs are kept for a while (their
results live in the history database; the job only redirects there) and then forgotten,
so memory stays flat however many scans are run.

``RateLimiter`` gives each client a small bucket of submissions that refills over time.
"""
from __future__ import annotations

import secrets as _random
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field

STAGES = ("fetch", "browser", "refund", "judge")
KEEP_FINISHED = 2000          # finished jobs remembered (beyond: looked up in the database)


def new_token() -> str:
    """A result's permanent, unguessable address part (the scan's shop_id in the database).
    It is also the shop id of a task for the workers, which must start with a letter or a
    digit: one token in 32 began with - or _ and was dead-lettered (serve --broker)."""
    while not (token := _random.token_urlsafe(12))[0].isalnum():
        pass
    return token


@dataclass
class Job:
    token: str
    url: str
    lang: str = "zh"
    private: bool = False                # ran with the buyer's credentials: never listed or reused
    ips: tuple = ()                      # the addresses checked at submission: the scan is pinned to them
    credentials: tuple | None = field(default=None, repr=False)   # (user, password): dropped when taken
    state: str = "queued"                # queued | running | done | failed
    stages: dict = field(default_factory=lambda: {s: "waiting" for s in STAGES})
    submitted: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    error: str | None = None             # our side failed (the buyer sees a short sentence)
    version: int = 0

    def elapsed(self, now: float | None = None) -> float:
        end = self.finished or now or time.time()
        return max(0.0, end - (self.started or self.submitted))


class Busy(Exception):
    """The waiting line is full: come back later (the page says so, with the line's length)."""

    def __init__(self, waiting: int):
        super().__init__(f"{waiting} scans waiting")
        self.waiting = waiting


class JobBoard:
    def __init__(self, max_waiting: int = 200):
        self.max_waiting = max_waiting
        self._lock = threading.Condition()
        self._jobs: "OrderedDict[str, Job]" = OrderedDict()
        self._waiting: deque[str] = deque()
        self._closed = False
        self.running = 0

    # -- the web side ---------------------------------------------------------------
    def submit(self, job: Job) -> Job:
        with self._lock:
            if len(self._waiting) >= self.max_waiting:
                raise Busy(len(self._waiting))
            self._jobs[job.token] = job
            self._waiting.append(job.token)
            self._lock.notify()
            return job

    def get(self, token: str) -> Job | None:
        with self._lock:
            return self._jobs.get(token)

    def position(self, token: str) -> int:
        """1 = next to start; 0 = not waiting (running or finished)."""
        with self._lock:
            try:
                return self._waiting.index(token) + 1
            except ValueError:
                return 0

    def counts(self) -> dict:
        with self._lock:
            return {"waiting": len(self._waiting), "running": self.running, "known": len(self._jobs)}

    # -- the engine side --------------------------------------------------------------
    def take(self, timeout: float | None = None) -> Job | None:
        """The next waiting job, marked running (its credentials move to the caller); None
        when the board closes or ``timeout`` passes."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            while not self._waiting and not self._closed:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return None
                self._lock.wait(left)
            if self._closed:
                return None
            job = self._jobs[self._waiting.popleft()]
            job.state, job.started = "running", time.time()
            self.running += 1
            self._bump_all()
            return job

    def stage(self, job: Job, stage: str) -> None:
        """``stage`` starts: the ones before it are done (or were not needed)."""
        if stage not in STAGES:
            return
        with self._lock:
            index = STAGES.index(stage)
            if stage == "judge" and job.stages["refund"] == "waiting":
                # no browser stage: the refund entry is looked for in the fetched pages while judging
                job.stages["refund"] = "running"
                index = STAGES.index("browser") + 1
            for earlier in STAGES[:index]:
                if job.stages[earlier] == "running":
                    job.stages[earlier] = "done"
                elif job.stages[earlier] == "waiting":
                    job.stages[earlier] = "skipped"
            job.stages[stage] = "running"
            job.version += 1

    def finish(self, job: Job, error: str | None = None) -> None:
        with self._lock:
            for name, state in job.stages.items():
                job.stages[name] = ("done" if state == "running" else "skipped" if state == "waiting" else state)
            job.state = "failed" if error else "done"
            job.error, job.finished = error, time.time()
            job.credentials = None
            self.running -= 1
            job.version += 1
            self._forget_old()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._lock.notify_all()

    def _bump_all(self) -> None:
        """Queue positions moved: every waiting job's page has news."""
        for token in self._waiting:
            self._jobs[token].version += 1

    def _forget_old(self) -> None:
        finished = [t for t, j in self._jobs.items() if j.state in ("done", "failed")]
        for token in finished[:max(0, len(finished) - KEEP_FINISHED)]:
            del self._jobs[token]


class RateLimiter:
    """Per-client token buckets: ``burst`` submissions at once, refilled at ``per_minute``.
    Buckets of clients gone quiet are dropped (bounded memory under many addresses)."""

    def __init__(self, per_minute: float = 6.0, burst: int = 6, max_clients: int = 50_000):
        self.rate, self.burst, self.max_clients = per_minute / 60.0, burst, max_clients
        self._buckets: "OrderedDict[str, tuple[float, float]]" = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, client: str, now: float | None = None) -> tuple[bool, float]:
        """(allowed, seconds until the next submission would be allowed)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            wait = 0.0 if allowed else (1.0 - tokens) / self.rate if self.rate > 0 else float("inf")
            return allowed, wait
