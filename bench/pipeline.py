"""The static audit pipeline over the farm, in a process of its own.

    python -m bench.pipeline JOB.json
        job: {"options": {...}, "shops": [{"id", "url", "out_dir"}], "profile": null | "pyinstrument"}
        runs cardshop_auditor.pipeline.audit_shops (crawl child + judging here: extract, check,
        report.json + report.html per shop) and prints one JSON line:
        {"pages", "shops", "audited", "wall_s", "judge_s", "first_done_s", "cpu_s", "rusage": {...}}

A process of its own, like ``cardshop-audit batch``: its RSS (and its crawl child's) is
the auditor's alone, not the harness's or the farm server's.
"""
from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path


def run(job: dict) -> dict:
    from cardshop_auditor.options import AuditOptions
    from cardshop_auditor.pipeline import Target, audit_shops

    options = AuditOptions.from_json(job["options"])
    targets = [Target(url=s["url"], out_dir=Path(s["out_dir"]), id=s["id"], username=s.get("username"),
                      password=s.get("password")) for s in job["shops"]]
    judged = {"n": 0, "seconds": 0.0, "first": None, "statuses": {}, "pages": 0}
    findings: dict[str, int] = {}
    browsed: list = []
    started = time.perf_counter()

    def on_result(result) -> None:
        # counted here, not from a returned list: audit_shops keeps no results
        # (collect=False), as a batch would not, so the RSS is the streaming pipeline's
        judged["n"] += 1
        judged["seconds"] += result.seconds
        if judged["first"] is None:
            judged["first"] = time.perf_counter() - started
        status = result.report.get("status") or "?"
        judged["statuses"][status] = judged["statuses"].get(status, 0) + 1
        judged["pages"] += sum(1 for p in result.report.get("pages") or [] if (p.get("status") or 0) > 0)
        _count_findings(result.report, findings)
        browsed.append(result.target)

    quiet = job.get("log") is None
    audit_shops(targets, options, log=(lambda message: None) if quiet else
                (lambda message: print(message, file=sys.stderr, flush=True)), on_result=on_result,
                collect=False)
    wall = time.perf_counter() - started
    extra = {"browser": _browser(job, browsed)} if job.get("browser") else {}
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"shops": len(targets), "audited": judged["n"], "pages": judged["pages"], "wall_s": round(wall, 3),
            "judge_s": round(judged["seconds"], 3), "first_done_s": round(judged["first"] or 0, 3),
            "statuses": judged["statuses"],
            "cpu_s": {"parent": round(me.ru_utime + me.ru_stime, 2), "crawl": round(kids.ru_utime + kids.ru_stime, 2)},
            "rusage": {"parent_maxrss_mb": round(me.ru_maxrss / 1024, 1),
                       "crawl_maxrss_mb": round(kids.ru_maxrss / 1024, 1)},
            "findings": findings, **extra}


def _browser(job: dict, targets) -> list[dict]:
    """Per shop: the browser stage's own record (meta.browser) of time and refund entry."""
    expect = {s["id"]: s.get("expect") for s in job["shops"]}
    rows = []
    for target in targets:
        try:
            meta = json.loads((target.out_dir / "artifacts" / "meta.json").read_text("utf-8"))
        except (OSError, ValueError):
            continue
        b = meta.get("browser") or {}
        entry = b.get("refund_entry") or {}
        rows.append({"id": target.id, "seconds": b.get("seconds"), "timings": b.get("timings") or {},
                     "found": bool(entry.get("found")), "clicks": entry.get("clicks"),
                     "steps": entry.get("steps"), "login_ok": (b.get("login") or {}).get("ok"),
                     "errors": (b.get("errors") or [])[:3], "expect": expect.get(target.id)})
    return rows


def _count_findings(report: dict, counts: dict[str, int]) -> None:
    """How many shops each finding was found in: proof that extraction really ran."""
    for key, value in (report.get("findings") or {}).items():
        if value and (not isinstance(value, dict) or any(value.values())):
            counts[key] = counts.get(key, 0) + 1


def main(argv: list[str]) -> int:
    job = json.loads(Path(argv[0]).read_text("utf-8"))
    profile = job.get("profile")
    if profile == "pyinstrument":
        from pyinstrument import Profiler
        profiler = Profiler(interval=0.002)
        profiler.start()
        out = run(job)
        profiler.stop()
        path = Path(job.get("profile_out") or "bench/out/pipeline-profile.txt")
        path.write_text(profiler.output_text(unicode=True, show_all=False), "utf-8")
        out["profile"] = str(path)
    else:
        out = run(job)
    print(json.dumps(out, ensure_ascii=False), flush=True)
    sys.stdout.flush()
    os._exit(0)   # skip interpreter teardown of a large heap: not part of the audit


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
