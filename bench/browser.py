"""The browser-stage sample of ``make bench`` on its own (finding F5).

    python -m bench.browser [--shops N] [--sample K] [--runs R] [--seed S]

Builds and serves the farm exactly as ``python -m bench`` does (``FarmServer(N, seed)``),
then runs ``bench.__main__.run_browser``: the audit pipeline (``audit_options()`` with
``browser="auto"``) over the first K logged-in shops of the farm, with their credentials,
in a child process.  Per shop it prints ``meta.browser.seconds`` (the WHOLE browser stage:
Chromium launch on the first shop, context, render, login, search, evidence, context close)
and its phase split ``meta.browser.timings``; then the median and nearest-rank p95, as the
bench reports them, and the same without the shop that launched Chromium.  With ``--runs R`` the sample is run R times (a fresh child process,
hence a fresh Chromium, each time) and the medians of the per-run figures are printed too.

Defaults are those of ``make bench``: 300 shops (the sample is the same whatever the farm
size: shop i is built from (seed, i) alone), 10 logged-in shops.  Reports go to a directory
of this run's own (``bench/out/browser-only-PID/browser/``; ``make bench`` in the same
checkout cleans ``bench/out/browser/``), deleted at the end unless ``BENCH_KEEP=1``.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys

import shutil

import bench.__main__ as bench_main
from bench.__main__ import _pct, log, run_browser
from bench.server import FarmServer


def _row(s: dict) -> str:
    t = s.get("timings") or {}
    phases = " ".join(f"{k} {v:.2f}" for k, v in sorted(t.items(), key=lambda kv: -kv[1]))
    ok = "ok" if s.get("found") == (s.get("expect") != "none") else "WRONG"
    found = f"found in {s.get('clicks')} ({' → '.join(s.get('steps') or [])})" if s.get("found") else "not found"
    errors = f"  errors: {s['errors']}" if s.get("errors") else ""
    return (f"  {s['id']}  {s['seconds']:6.2f} s  expect {s.get('expect'):8s} {found:48s} {ok:5s} "
            f"[{phases}]{errors}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.browser", description=__doc__.split("\n\n")[0])
    ap.add_argument("--shops", type=int, default=300, help="farm size (default 300, as make bench)")
    ap.add_argument("--sample", type=int, default=10, help="logged-in shops timed (default 10)")
    ap.add_argument("--runs", type=int, default=1, help="repeat the sample R times (default 1)")
    ap.add_argument("--seed", type=int, default=int(os.environ.get("BENCH_SEED") or 1))
    ap.add_argument("--json", help="also write every run's rows to this file")
    args = ap.parse_args(argv)

    log(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    # an output directory of its own: `make bench` run meanwhile in the same checkout
    # cleans bench/out/browser, which would delete this run's reports under it
    shared = bench_main.OUT
    bench_main.OUT = shared / f"browser-only-{os.getpid()}"
    runs = []
    try:
        _sample(args, runs)
    finally:
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(bench_main.OUT, ignore_errors=True)
        bench_main.OUT = shared
    if not runs or not runs[-1].get("available"):
        return 1
    if args.runs > 1:
        med = lambda key: statistics.median(r[key] for r in runs)  # noqa: E731
        phases = sorted({p for r in runs for p in r["phase_median_s"]})
        print(f"over {args.runs} runs: median of medians {med('median_s'):.2f} s, median p95 {med('p95_s'):.2f} s, "
              f"worst p95 {max(r['p95_s'] for r in runs):.2f} s; phase medians "
              + ", ".join(f"{p} {statistics.median(r['phase_median_s'].get(p, 0) for r in runs):.2f}" for p in phases)
              + f"; correct {sum(r['correct'] for r in runs)}/{sum(r['shops'] for r in runs)}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(runs, fh, ensure_ascii=False, indent=1)
    return 0


def _sample(args, runs: list) -> None:
    with FarmServer(args.shops, args.seed) as server:
        for r in range(args.runs):
            row = run_browser(server, args.shops, args.sample)
            row["loadavg"] = [round(x, 2) for x in os.getloadavg()]
            runs.append(row)
            if not row.get("available"):
                print(f"browser stage not available: {row.get('reason')}")
                return
            if row["shops"] < args.sample:
                print(f"warning: only {row['shops']} of {args.sample} shops reported a browser stage")
            per = [s for s in row["per_shop"] if s.get("seconds") is not None]
            print(f"run {r + 1}/{args.runs}: {row['shops']} logged-in shops, load {row['loadavg'][0]}")
            for s in per:
                print(_row(s))
            # the shop that launched Chromium (the first one the browser lane took)
            rest = sorted(s["seconds"] for s in per if (s.get("timings") or {}).get("launch", 0) < 0.05)
            print(f"  median {row['median_s']:.2f} s  p95 {row['p95_s']:.2f} s  min {row['min_s']:.2f}  "
                  f"max {row['max_s']:.2f}  (without the shop that launched Chromium: median "
                  f"{statistics.median(rest) if rest else 0:.2f} s, p95 {_pct(rest, 95):.2f} s)")
            print("  phase medians: " + ", ".join(f"{k} {v:.2f}" for k, v in
                                                 sorted(row["phase_median_s"].items(), key=lambda kv: -kv[1])))
            print(f"  refund entry right in {row['correct']}/{row['shops']} shops; peak PSS {row['peak_pss_mb']} MB, "
                  f"child wall {row['wall_s']:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
