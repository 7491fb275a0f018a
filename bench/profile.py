"""Profiles: run a command under py-spy (sampling, every process), summarise per process.

    python -m bench.profile RAW.txt [--top 25]      summarise a py-spy ``--format raw`` file

``python -m bench`` with ``BENCH_PROFILE=1`` records the static pipeline run under py-spy
(``--subprocesses``, so the crawl child too) and writes ``bench/out/profile-*.txt``:
the top functions by self time and by inclusive time, separately for the judging parent
and the crawl child.  Idle thread-pool waits are left out.
"""
from __future__ import annotations

import argparse
import collections
import shutil
import sys
from pathlib import Path

# A sample is idle when the frame it stopped in is one of these waits (matching on the leaf,
# not the whole stack: a worker thread's real work runs under Thread._bootstrap too).
IDLE = ("Condition.wait", "Event.wait", "Queue.get (queue.py", "select (selectors.py", "sleep (",
        "EpollSelector.select", "BaseSelector.select", "poll (selectors.py")


def py_spy() -> str | None:
    here = Path(sys.executable).parent / "py-spy"
    return str(here) if here.exists() else shutil.which("py-spy")


def wrap(cmd: list[str], raw_out: Path, rate: int = 199) -> list[str]:
    """``cmd`` run under py-spy record (raw collapsed stacks), or unchanged without py-spy."""
    tool = py_spy()
    if tool is None:
        return cmd
    return [tool, "record", "--subprocesses", "--nonblocking", "-r", str(rate), "-f", "raw",
            "-o", str(raw_out), "--", *cmd]


def _role(frames: list[str]) -> str:
    procs = [f for f in frames if f.startswith("process ")]
    last = procs[-1] if procs else ""
    if "cardshop_auditor.spiders.run" in last or "bench.baseline" in last:
        return "crawl"
    return "parent"


def summarise(raw: Path, top: int = 25) -> dict[str, dict]:
    """{"parent"|"crawl": {"samples": n, "self": [(pct, frame)], "inclusive": [(pct, frame)]}}"""
    selfs: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    incl: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    totals: collections.Counter = collections.Counter()
    for line in raw.read_text("utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = stack.split(";")
        if frames and any(marker in frames[-1] for marker in IDLE):
            continue
        role = _role(frames)
        frames = [f for f in frames if not f.startswith("process ")]
        if not frames:
            continue
        n = int(count)
        totals[role] += n
        selfs[role][frames[-1]] += n
        for frame in set(frames):
            incl[role][frame] += n
    out = {}
    for role, total in totals.items():
        out[role] = {"samples": total,
                     "self": [(round(100 * n / total, 1), f) for f, n in selfs[role].most_common(top)],
                     "inclusive": [(round(100 * n / total, 1), f) for f, n in incl[role].most_common(top + 15)
                                   if not f.startswith(("_run_module_as_main", "_run_code", "<module>"))][:top]}
    return out


def render(summary: dict[str, dict]) -> str:
    lines = []
    for role in ("parent", "crawl"):
        if role not in summary:
            continue
        s = summary[role]
        lines.append(f"== {role}: {s['samples']} samples (busy, idle waits excluded)")
        lines.append("-- self time")
        lines += [f"{pct:5.1f}%  {frame}" for pct, frame in s["self"]]
        lines.append("-- inclusive time")
        lines += [f"{pct:5.1f}%  {frame}" for pct, frame in s["inclusive"]]
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("raw", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    print(render(summarise(args.raw, args.top)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
