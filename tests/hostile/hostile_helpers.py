"""Run the real `cardshop-audit` CLI as a subprocess with a wall-time bound, measuring
its wall time and peak memory.

Peak memory is measured two ways, and the larger is the run's figure:

* ``os.wait4`` on the CLI's pid: on Linux the rusage of a reaped child reports the largest
  resident set of that child *and of the descendants it waited for* (the Scrapy crawler
  child) — per run, unlike ``getrusage(RUSAGE_CHILDREN)``, which mixes every child the
  test process ever had and cannot tell concurrent runs apart;
* a sampler (every 0.25 s) summing the proportional set size (PSS, shared pages split
  between their users) of the whole process tree under the CLI: Chromium's processes sit
  in their own session under Playwright's driver and are not all reaped through the CLI,
  so rusage alone under-counts a browser audit.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MEASURED: dict[str, dict] = {}   # case -> wall/rss/exit/status/reason/bound, for the summary table
HARD_KILL = 150.0      # a run still alive after this is killed (and fails its bound)


def cli_command() -> list[str]:
    script = Path(sys.executable).with_name("cardshop-audit")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "cardshop_auditor.cli"]      # not pip-installed: same code, same CLI


@dataclass
class Run:
    args: list[str]
    returncode: int
    wall: float                  # seconds
    max_rss_mb: float            # max(peak RSS via wait4, peak PSS of the process tree)
    stdout: str
    stderr: str
    killed: bool = False
    rusage_mb: float = 0.0       # ru_maxrss of the CLI and the children it waited for
    tree_pss_mb: float = 0.0     # sampled peak PSS sum of the CLI's whole process tree


def run_cli(args: list[str], cwd: Path, hard_kill: float = HARD_KILL) -> Run:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               PYTHONUNBUFFERED="1")
    out_path, err_path = cwd / ".stdout", cwd / ".stderr"
    cwd.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(cli_command() + args, stdout=out, stderr=err, cwd=cwd, env=env,
                                start_new_session=True)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)      # our own session: the CLI and its children
            except ProcessLookupError:
                pass
        timer = threading.Timer(hard_kill, kill)
        timer.start()
        done = threading.Event()
        peak = [0.0]
        sampler = threading.Thread(target=_sample_tree, args=(proc.pid, done, peak), daemon=True)
        sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            done.set()
            sampler.join(2)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    rusage = usage.ru_maxrss / 1024
    return Run(args=args, returncode=proc.returncode, wall=wall, max_rss_mb=max(rusage, peak[0]),
               rusage_mb=rusage, tree_pss_mb=peak[0],
               stdout=out_path.read_text("utf-8", "replace"), stderr=err_path.read_text("utf-8", "replace"),
               killed=killed.is_set())


def _tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                ppid = int(fh.read().rsplit(b") ", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(parents.get(pid, []))
    return out


def _pss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _sample_tree(root: int, done: threading.Event, peak: list) -> None:
    while not done.wait(0.25):
        try:
            total = sum(_pss_mb(pid) for pid in _tree(root))
        except Exception:  # noqa: BLE001 - a measurement, never a failure
            continue
        peak[0] = max(peak[0], total)
