"""Judging alone, stage by stage: where the parent's time per shop goes.

    python -m bench.judge [--shops 30] [--repeat 3] [--profile]

Crawls the first N farm shops once (artifacts kept in bench/out/replay-N/), then judges
them again and again in this process, timing each stage with CPU time (``process_time``,
so other work on the machine disturbs the figures less than wall time):

    load       ShopArtifacts.load (pages.jsonl → Page objects)
    extract    cardshop_auditor.extract.extract_findings
    judge      cardshop_auditor.judge.judge (every check)
    build      cardshop_auditor.report.build_report
    validate   cardshop_auditor.report.validate_report (JSON schema)
    render     cardshop_auditor.report.render_html
    write      report.json + report.html (write_atomic)

``--profile`` runs one pass under pyinstrument and prints its tree.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("load", "extract", "judge", "build", "validate", "render", "write")


def prepare(shops: int, seed: int) -> list[Path]:
    from cardshop_auditor.gather import crawl_static
    from cardshop_auditor.options import AuditOptions
    from bench.server import FarmServer

    base = ROOT / "bench" / "out" / f"replay-{shops}-{seed}"
    dirs = [base / f"shop{i:04d}" for i in range(shops)]
    if all((d / "artifacts" / "meta.json").exists() for d in dirs):
        return dirs
    with FarmServer(shops, seed) as server:
        crawl_static([{"id": d.name, "url": server.url(i), "out_dir": str(d)} for i, d in enumerate(dirs)],
                     AuditOptions(browser="never"))
    return dirs


def judge_once(directory: Path, timings: dict[str, list[float]]) -> int:
    from cardshop_auditor import __version__
    from cardshop_auditor.artifacts import ShopArtifacts
    from cardshop_auditor.extract import extract_findings
    from cardshop_auditor.judge import judge
    from cardshop_auditor.report import build_report, render_html, validate_report
    from cardshop_auditor.artifacts import write_atomic

    clock = time.process_time
    t0 = clock()
    artifacts = ShopArtifacts.load(directory / "artifacts")
    t1 = clock()
    findings = extract_findings(artifacts)
    t2 = clock()
    judged = judge(findings)
    t3 = clock()
    report = build_report(artifacts, findings, judged, tool_version=__version__,
                          scanned_at="2025-01-01T00:00:00+00:00")
    t4 = clock()
    validate_report(report)
    t5 = clock()
    html = render_html(report)
    t6 = clock()
    write_atomic(directory / "report.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    write_atomic(directory / "report.html", html)
    t7 = clock()
    for name, a, b in zip(STAGES, (t0, t1, t2, t3, t4, t5, t6), (t1, t2, t3, t4, t5, t6, t7)):
        timings[name].append(b - a)
    return sum(1 for p in artifacts.pages if p.status)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.judge")
    parser.add_argument("--shops", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    dirs = prepare(args.shops, args.seed)
    timings: dict[str, list[float]] = {s: [] for s in STAGES}
    pages = sum(judge_once(d, timings) for d in dirs)       # warm-up: imports, caches, templates
    if args.profile:
        from pyinstrument import Profiler
        profiler = Profiler(interval=0.001)
        profiler.start()
        for d in dirs:
            judge_once(d, {s: [] for s in STAGES})
        profiler.stop()
        print(profiler.output_text(unicode=True, show_all=False))
    runs = []
    for _ in range(args.repeat):
        timings = {s: [] for s in STAGES}
        for d in dirs:
            judge_once(d, timings)
        runs.append({s: sum(v) for s, v in timings.items()})
    best = {s: min(r[s] for r in runs) for s in STAGES}
    total = sum(best.values())
    print(f"{len(dirs)} shops, {pages} pages; CPU ms per page (best of {args.repeat}):")
    for s in STAGES:
        print(f"  {s:<9} {1000 * best[s] / pages:7.2f} ms/page  {100 * best[s] / total:5.1f}%")
    print(f"  {'total':<9} {1000 * total / pages:7.2f} ms/page  ({1000 * total / len(dirs):.0f} ms/shop)")
    print(json.dumps({"ms_per_page": {s: round(1000 * best[s] / pages, 3) for s in STAGES},
                      "total_ms_per_page": round(1000 * total / pages, 3),
                      "spread": round(statistics.pstdev(sum(r.values()) for r in runs) / total, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
