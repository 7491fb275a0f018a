"""Process measurements from /proc: CPU time of a process, peak RSS of a process tree."""
from __future__ import annotations

import os
import resource
import threading

_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(pid: int) -> float:
    """user + system CPU seconds of ``pid`` (0.0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK
    except (OSError, IndexError, ValueError):
        return 0.0


def cpu_split(pid: int) -> tuple[float, float]:
    """(own, waited-for children's) user + system CPU seconds of ``pid`` ((0, 0) when gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK, (int(fields[13]) + int(fields[14])) / _TICK
    except (OSError, IndexError, ValueError):
        return 0.0, 0.0


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def pss_bytes(pid: int) -> int:
    """Proportional set size: shared pages divided among the processes sharing them (the
    fair figure for a tree of Chromium processes, whose RSS sum counts shared memory N times)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def children(pid: int) -> list[int]:
    """Children of every thread of ``pid`` (a process started from a worker thread, such as
    the browser lane's Playwright driver, is listed under that thread only)."""
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", "rb") as fh:
                out.extend(int(x) for x in fh.read().split())
        except OSError:
            continue
    return out


def tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children(p))
    return out


class TreeRSS:
    """Samples the summed RSS of a process tree (``pid`` and every descendant) every
    ``interval`` seconds in a thread; ``peak`` is the largest sum seen (``peak_pss`` the same
    with PSS).  Use as a context manager."""

    def __init__(self, pid: int | None = None, interval: float = 0.1, exclude: set[int] | None = None):
        self.pid = pid or os.getpid()
        self.interval = interval
        self.exclude = exclude or set()
        self.peak = 0
        self.peak_pss = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sample(self) -> int:
        pids = [p for p in tree(self.pid) if p not in self.exclude]
        total = sum(rss_bytes(p) for p in pids)
        self.peak = max(self.peak, total)
        if len(pids) > 2 or self.samples % 5 == 0:   # PSS costs more to read: less often for 2 processes
            self.peak_pss = max(self.peak_pss, sum(pss_bytes(p) for p in pids))
        self.samples += 1
        return total

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> "TreeRSS":
        self.sample()
        self._thread = threading.Thread(target=self._run, daemon=True, name="rss-sampler")
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
        self.sample()


def maxrss_mb() -> dict:
    """getrusage peaks: this process, and the largest waited-for child (Linux: KiB)."""
    return {"self_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "children_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}
