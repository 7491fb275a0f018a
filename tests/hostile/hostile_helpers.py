"""Run the real `cardshop-audit` CLI as a subprocess with a wall-time bound, measuring
its wall time and peak memory.

Peak memory comes from ``os.wait4`` on the CLI's pid: on Linux the rusage of a reaped
child reports the largest resident set of that child *and of the descendants it waited
for* (the Scrapy crawler child, the browser driver) — per run, unlike
``getrusage(RUSAGE_CHILDREN)``, which mixes every child the test process ever had and
cannot tell concurrent runs apart.
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
    return [sys.executable, "-m", "auditor.cli"]      # not pip-installed: same code, same CLI


@dataclass
class Run:
    args: list[str]
    returncode: int
    wall: float                  # seconds
    max_rss_mb: float            # peak resident set of the CLI and the children it waited for
    stdout: str
    stderr: str
    killed: bool = False


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
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    return Run(args=args, returncode=proc.returncode, wall=wall, max_rss_mb=usage.ru_maxrss / 1024,
               stdout=out_path.read_text("utf-8", "replace"), stderr=err_path.read_text("utf-8", "replace"),
               killed=killed.is_set())
