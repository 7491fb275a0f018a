"""``python -m bench.engine``: the task engine against the single-process batch (issue 14).

The same farm of synthetic shops (bench/farm.py, served by bench/server.py) is audited
twice, alternately, at the same number of shops in flight:

  batch    `cardshop-audit batch FILE --concurrency C` (one process + its crawl children)
  engine   `cardshop-audit batch FILE --broker redis://… --chunk K` (the coordinator) and
           W `cardshop-audit worker --concurrency C/W` processes, on a redis-server started
           here on a free loopback port

Both with ``--browser never`` and a SQLite history database (the engine needs one; the batch
gets one too, so both store every scan).  Figures: wall time from start to the batch's
exit, shops per second, and each process tree's RSS sampled every 0.2 s — for the workers
the peak in each quarter of the run, so a leak shows as a rising series.

    python -m bench.engine [--shops 1000] [--concurrency 8] [--workers 2] [--chunk K] [--pairs 1] [--profile DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.procs import children, cpu_split, rss_bytes, tree
from bench.server import FarmServer

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "engine"


def log(message: str) -> None:
    print(f"[bench.engine] {message}", file=sys.stderr, flush=True)


class Sampler(threading.Thread):
    """(seconds since start, summed RSS of the process tree) every ``interval``."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.series: list[tuple[float, int]] = []
        self.stop_event = threading.Event()
        self.t0 = time.monotonic()
        self.reaped_children_cpu = 0.0     # CPU of the root's children it has waited for, last seen

    def run(self) -> None:
        while not self.stop_event.wait(self.interval):
            pids = tree(self.pid)
            if not pids:
                break
            self.series.append((time.monotonic() - self.t0, sum(rss_bytes(p) for p in pids)))
            self.reaped_children_cpu = max(self.reaped_children_cpu, cpu_split(self.pid)[1])

    def peak_mb(self) -> float:
        return round(max((r for _, r in self.series), default=0) / 2**20, 1)

    def quarters_mb(self, until: float) -> list[float]:
        """Peak RSS in each quarter of [0, until]."""
        out = []
        for q in range(4):
            lo, hi = until * q / 4, until * (q + 1) / 4
            vals = [r for t, r in self.series if lo <= t < hi]
            out.append(round(max(vals, default=0) / 2**20, 1))
        return out


def start_redis(directory: Path) -> tuple[subprocess.Popen, str]:
    import socket
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                             "no", "--dir", str(directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("redis-server did not start")


def cli(*args) -> list[str]:
    return [sys.executable, "-m", "cardshop_auditor", *map(str, args)]


PROFILE_DIR: Path | None = None      # --profile: each process recorded by py-spy into this directory


def maybe_profiled(cmd: list[str], name: str) -> list[str]:
    if PROFILE_DIR is None:
        return cmd
    from bench.profile import wrap
    return wrap(cmd, PROFILE_DIR / f"{name}.raw.txt")


def python_pid(pid: int) -> int:
    """The audited process itself: under --profile ``pid`` is py-spy, its child is ours."""
    if PROFILE_DIR is None:
        return pid
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        kids = children(pid)
        if kids:
            return kids[0]
        time.sleep(0.05)
    return pid


def children_cpu() -> float:
    """CPU seconds of every waited-for descendant (their crawl children included)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def load_average() -> float:
    """The 1-minute load average: the machine is shared, so wall times are read beside it."""
    return round(os.getloadavg()[0], 1)


def run_batch(urls: Path, work: Path, shops: int, concurrency: int) -> dict:
    out, db = work / "batch-out", f"sqlite:///{work / 'batch.db'}"
    load0 = load_average()
    cpu0 = children_cpu()
    started = time.monotonic()
    proc = subprocess.Popen(maybe_profiled(cli("batch", urls, "--out", out, "--db", db, "--concurrency",
                                               concurrency, "--browser", "never", "--no-progress"), "batch"),
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(work / "batch.err", "w"))
    sampler = Sampler(proc.pid)
    sampler.start()
    code = proc.wait()
    wall = time.monotonic() - started
    sampler.stop_event.set()
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    cpu = children_cpu() - cpu0
    row = {"mode": "batch", "exit": code, "wall_s": round(wall, 1), "shops_per_s": round(shops / wall, 2),
           "cpu_s": round(cpu, 1), "cpu_ms_per_shop": round(1000 * cpu / shops),
           # its crawl children as last seen reaped (every 0.2 s; the last one ends before the summary)
           "cpu_s_by_role": {"batch": round(cpu - sampler.reaped_children_cpu, 1),
                             "crawl_children": round(sampler.reaped_children_cpu, 1)},
           "audited": summary["audited"], "missing": summary["missing"], "peak_rss_mb": sampler.peak_mb(),
           "load_average_start_end": [load0, load_average()]}
    log(f"batch: {row}")
    shutil.rmtree(out, ignore_errors=True)
    return row


def run_engine(urls: Path, work: Path, shops: int, concurrency: int, workers: int, chunk: int,
               redis_url: str) -> dict:
    out, db = work / "engine-out", f"sqlite:///{work / 'engine.db'}"
    per_worker = max(1, concurrency // workers)
    procs, samplers = [], []
    load0 = load_average()
    cpu0 = children_cpu()
    for i in range(workers):                      # running before the batch starts, as in service
        p = subprocess.Popen(maybe_profiled(cli("worker", "--broker", redis_url, "--db", db, "--out", work / f"w{i}",
                                                "--threads", 1, "--concurrency", per_worker, "--allow-network",
                                                "127.0.0.1/32"), f"worker{i}"),
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(work / f"w{i}.err", "w"))
        procs.append(p)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not all("started: broker" in (work / f"w{i}.err").read_text()
                                                  for i in range(workers)):
        dead = [i for i, p in enumerate(procs) if p.poll() is not None]
        if dead:                                  # a run on fewer workers would measure something else
            raise SystemExit(f"worker {dead[0]} exited at start: {(work / f'w{dead[0]}.err').read_text()[-500:]}")
        time.sleep(0.5)
    started = time.monotonic()
    coordinator = subprocess.Popen(maybe_profiled(cli("batch", urls, "--out", out, "--db", db, "--broker", redis_url,
                                                      *(["--chunk", chunk] if chunk else []), "--browser", "never",
                                                      "--no-progress"),
                                                  "coordinator"),
                                   cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(work / "coordinator.err", "w"))
    samplers = [Sampler(p.pid) for p in procs]
    coord_sampler = Sampler(coordinator.pid)
    for s in [*samplers, coord_sampler]:
        s.t0 = started
        s.start()
    code = coordinator.wait()
    wall = time.monotonic() - started
    coordinator_cpu = children_cpu() - cpu0
    # each worker's own CPU (start-up included) and its crawl children's, read before it stops
    pids = [python_pid(p.pid) for p in procs]
    splits = [cpu_split(pid) for pid in pids]
    for pid in pids:
        os.kill(pid, 15)                 # the worker itself (under --profile, py-spy then writes its file)
    for p in procs:
        p.wait(120)
    for s in [*samplers, coord_sampler]:
        s.stop_event.set()
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    cpu = children_cpu() - cpu0
    said = re.search(r"(\d+) shop\(s\) per task", (work / "coordinator.err").read_text("utf-8", "replace"))
    chunk = chunk or (int(said.group(1)) if said else None)
    rendered = re.search(r"report\.html of (\d+) shop\(s\) rendered again", (work / "coordinator.err").read_text(
        "utf-8", "replace"))
    row = {"mode": "engine", "exit": code, "wall_s": round(wall, 1), "shops_per_s": round(shops / wall, 2),
           "cpu_s": round(cpu, 1), "cpu_ms_per_shop": round(1000 * cpu / shops),
           "cpu_s_by_role": {"coordinator": round(coordinator_cpu, 1),
                             "workers": round(sum(own for own, _ in splits), 1),
                             "crawl_children": round(sum(kids for _, kids in splits), 1)},
           "audited": summary["audited"], "missing": summary["missing"], "workers": workers,
           "worker_concurrency": per_worker, "chunk": chunk,
           "html_rendered_by_coordinator": int(rendered.group(1)) if rendered else 0,
           "worker_peak_rss_mb": [s.peak_mb() for s in samplers],
           "worker_peak_rss_by_quarter_mb": [s.quarters_mb(wall) for s in samplers],
           "coordinator_peak_rss_mb": coord_sampler.peak_mb(), "load_average_start_end": [load0, load_average()]}
    log(f"engine: {row}")
    if not os.environ.get("BENCH_KEEP"):
        for d in [out, *(work / f"w{i}" for i in range(workers))]:
            shutil.rmtree(d, ignore_errors=True)
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.engine")
    ap.add_argument("--shops", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=8, help="shops in flight in both modes")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=0, help="shops per engine task (default: the coordinator's "
                                                          "automatic size)")
    ap.add_argument("--pairs", type=int, default=1, help="batch/engine pairs, run alternately")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", choices=("batch", "engine"), help="run one mode only")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results-engine.json")
    ap.add_argument("--profile", type=Path, metavar="DIR",
                    help="record every process with py-spy into DIR (<role>.raw.txt, summarised in <role>.txt)")
    args = ap.parse_args(argv)
    global PROFILE_DIR
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
        PROFILE_DIR = args.profile.resolve()
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="run-", dir=OUT))
    redis_proc, redis_url = start_redis(work)
    rows = []
    try:
        with FarmServer(args.shops, args.seed) as server:
            urls = work / "urls.txt"
            urls.write_text("".join(server.url(i) + "\n" for i in range(args.shops)), "utf-8")
            for pair in range(args.pairs):
                for db in ("batch.db", "engine.db"):
                    for suffix in ("", "-wal", "-shm"):   # a stale WAL beside a new file: "database is locked"
                        (work / f"{db}{suffix}").unlink(missing_ok=True)
                if args.only != "engine":
                    rows.append(run_batch(urls, work, args.shops, args.concurrency))
                if args.only != "batch":
                    rows.append(run_engine(urls, work, args.shops, args.concurrency, args.workers, args.chunk,
                                           redis_url))
    finally:
        redis_proc.terminate()
        redis_proc.wait(10)
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
    batches = [r for r in rows if r["mode"] == "batch"]
    engines = [r for r in rows if r["mode"] == "engine"]
    ratios = [e["shops_per_s"] / b["shops_per_s"] for b, e in zip(batches, engines)]
    result = {"shops": args.shops, "concurrency": args.concurrency, "workers": args.workers, "chunk": args.chunk,
              "cpus": os.cpu_count(), "loadavg_1m_after": round(os.getloadavg()[0], 2),
              "throughput_ratio_engine_over_batch": round(statistics.median(ratios), 3) if ratios else None,
              "ratios": [round(r, 3) for r in ratios],
              "cpu_ratio_batch_over_engine": [round(b["cpu_s"] / e["cpu_s"], 3) for b, e in zip(batches, engines)],
              "runs": rows}
    if PROFILE_DIR is not None:
        from bench.profile import render, summarise
        for raw in sorted(PROFILE_DIR.glob("*.raw.txt")):
            raw.with_name(raw.name.replace(".raw.txt", ".txt")).write_text(render(summarise(raw, 30)), "utf-8")
        log(f"profiles in {PROFILE_DIR}")
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
