"""``python -m bench.engine_export RUN_DIR``: the coordinator's per-shop export, measured.

RUN_DIR is an engine run kept by ``BENCH_KEEP=1 python -m bench engine --only engine``
(its engine.db and the workers' directories w0/, w1/).  Every scan of the run is exported
again into a temporary directory, twice, in this one process: as the coordinator does it
(report.html taken from the worker when its hash chain holds), and with that switched off
(report.html rendered from the stored report, as before).  Prints CPU and wall ms per shop
and their ratio; the database reads and evidence export alone, for scale.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path


def measure(scans, export) -> dict:
    out = Path(tempfile.mkdtemp(prefix="export-"))
    try:
        wall0, cpu0 = time.monotonic(), time.process_time()
        for scan_id, shop_id in scans:
            export(scan_id, out / shop_id)
        cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {"cpu_ms_per_shop": round(1000 * cpu / len(scans), 2), "wall_ms_per_shop": round(1000 * wall / len(scans), 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.engine_export")
    ap.add_argument("run_dir", type=Path)
    args = ap.parse_args(argv)
    import cardshop_auditor.engine.coordinator as coordinator
    import cardshop_auditor.report  # noqa: F401 - imports outside the timing
    import cardshop_auditor.report.diff_page  # noqa: F401
    from cardshop_auditor.storage import open_store
    store = open_store(f"sqlite:///{args.run_dir.resolve() / 'engine.db'}")
    first = store.get_scan(1, with_report=False)
    if first is None:
        print("no scans in this run's engine.db", file=sys.stderr)
        return 2
    scans = store.batch_shop_scans(first.batch_id)
    results = {"shops": len(scans)}
    results["copy_worker_html"] = measure(scans, lambda sid, d: coordinator._export_scan(store, sid, d))
    taken = coordinator.worker_html
    coordinator.worker_html = lambda *_: None
    try:
        results["render_html"] = measure(scans, lambda sid, d: coordinator._export_scan(store, sid, d))
    finally:
        coordinator.worker_html = taken
    results["get_scan_only"] = measure(scans, lambda sid, d: store.get_scan(sid))
    results["export_evidence_only"] = measure(scans, lambda sid, d: store.export_evidence(sid, d))
    results["cpu_ratio_copy_over_render"] = round(results["copy_worker_html"]["cpu_ms_per_shop"]
                                                  / results["render_html"]["cpu_ms_per_shop"], 3)
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
