"""The cost of WARC capture (issue 15): the static pipeline with and without it, in
alternating pairs over the same farm, and the disk a shop's evidence takes.

    warc_cost(server, shops, pairs, child=…)   → the ``warc`` section of results.json

Per pair: one run with ``warc`` on (the default), one with it off (``--no-warc``), each a
fresh ``bench.pipeline`` process, in alternating order.  The overhead is the median over the pairs of
(time per page with WARC) / (time per page without) − 1, from wall time and from CPU time
(crawl child + judging parent; robust to other load on the machine).  Disk: the reports
of the last "on" run are measured before they are deleted — per shop, the WARC alone and
the whole report directory (report.json, report.html, artifacts/, evidence/).

``python -m bench.warc`` alone: the capture's own CPU per page, in process, over the farm's
pages (building and compressing the records, no crawl), for a figure that the machine's
load does not blur.
"""
from __future__ import annotations

import json
import shutil
import statistics
from pathlib import Path
from typing import Callable

TARGET_OVERHEAD_PCT = 15.0


def _job(server, shops: int, out_dir: Path, warc: bool) -> Path:
    from cardshop_auditor.options import AuditOptions

    jobs = [{"id": f"shop{i:04d}", "url": server.url(i), "out_dir": str(out_dir / f"shop{i:04d}")}
            for i in range(shops)]
    options = AuditOptions(browser="never", warc=warc).to_json()
    path = out_dir.parent / f"{out_dir.name}.job.json"
    out_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"options": options, "shops": jobs}, ensure_ascii=False), "utf-8")
    return path


def _disk(out_dir: Path) -> dict:
    shops = [d for d in out_dir.iterdir() if d.is_dir()]
    warc = [d / "evidence" / "scan.warc.gz" for d in shops]
    warc_bytes = [p.stat().st_size for p in warc if p.exists()]
    total = [sum(f.stat().st_size for f in d.rglob("*") if f.is_file()) for d in shops]
    return {"shops": len(shops), "shops_with_warc": len(warc_bytes),
            "warc_kb_per_shop_mean": round(statistics.mean(warc_bytes) / 1024, 1) if warc_bytes else 0,
            "warc_kb_per_shop_median": round(statistics.median(warc_bytes) / 1024, 1) if warc_bytes else 0,
            "warc_kb_per_shop_max": round(max(warc_bytes) / 1024, 1) if warc_bytes else 0,
            "report_dir_kb_per_shop_mean": round(statistics.mean(total) / 1024, 1) if total else 0,
            "warc_mb_total": round(sum(warc_bytes) / 2**20, 2)}


def _run(server, shops: int, out_root: Path, warc: bool, child: Callable) -> tuple[dict, Path]:
    import sys
    out_dir = out_root / f"warc-{'on' if warc else 'off'}-{shops}"
    shutil.rmtree(out_dir, ignore_errors=True)
    job = _job(server, shops, out_dir, warc)
    data, m = child([sys.executable, "-m", "bench.pipeline", str(job)], server, f"warc {'on' if warc else 'off'}")
    job.unlink(missing_ok=True)
    pages = max(1, data["pages"])
    cpu = data["cpu_s"]["parent"] + data["cpu_s"]["crawl"]
    return {"warc": warc, "pages": data["pages"], "wall_s": m["wall_s"], "cpu_s": round(cpu, 2),
            "crawl_cpu_s": data["cpu_s"]["crawl"], "parent_cpu_s": data["cpu_s"]["parent"],
            "wall_ms_per_page": round(1000 * m["wall_s"] / pages, 3),
            "cpu_ms_per_page": round(1000 * cpu / pages, 3),
            "peak_rss_mb": m["peak_rss_mb"]}, out_dir


def warc_cost(server, shops: int, pairs: int, child: Callable, out_root: Path, log: Callable,
              capture_shops: int = 10) -> dict:
    runs, disk = [], {}
    for i in range(max(1, pairs)):
        # the order alternates (on/off, off/on, …): a load that rises or falls during the
        # phase does not always favour the same side
        done = {}
        for warc in ((True, False) if i % 2 == 0 else (False, True)):
            done[warc], out_dir = _run(server, shops, out_root, warc, child)
            if warc and not disk:
                disk = _disk(out_dir)
            shutil.rmtree(out_dir, ignore_errors=True)
        on, off = done[True], done[False]
        runs.append((on, off))
        log(f"warc pair {i + 1}: {on['wall_ms_per_page']} vs {off['wall_ms_per_page']} ms/page wall, "
            f"{on['cpu_ms_per_page']} vs {off['cpu_ms_per_page']} ms/page CPU")
    wall = [round(100 * (on["wall_ms_per_page"] / off["wall_ms_per_page"] - 1), 1) for on, off in runs]
    cpu = [round(100 * (on["cpu_ms_per_page"] / off["cpu_ms_per_page"] - 1), 1) for on, off in runs]
    crawl = [round(100 * (on["crawl_cpu_s"] / max(on["pages"], 1)) / (off["crawl_cpu_s"] / max(off["pages"], 1)) - 100, 1)
             for on, off in runs]
    pages = runs[-1][0]["pages"]
    alone = capture_cpu_ms_per_page(capture_shops)
    result = {"capture_alone": alone,"shops": shops, "pairs": len(runs), "pages": pages,
              "overhead_wall_pct": statistics.median(wall), "overhead_wall_pct_pairs": wall,
              "overhead_cpu_pct": statistics.median(cpu), "overhead_cpu_pct_pairs": cpu,
              "overhead_crawl_cpu_pct": statistics.median(crawl), "overhead_crawl_cpu_pct_pairs": crawl,
              "target_overhead_pct": TARGET_OVERHEAD_PCT,
              "disk": {**disk, "warc_kb_per_page": round(disk.get("warc_mb_total", 0) * 1024 / max(pages, 1), 2)},
              "runs": [{"on": on, "off": off} for on, off in runs]}
    log(f"warc: +{result['overhead_wall_pct']}% wall, +{result['overhead_cpu_pct']}% CPU per page "
        f"(median of {len(runs)} pairs); {disk.get('warc_kb_per_shop_mean')} KB WARC per shop")
    return result


def rows(res: dict) -> list[tuple[str, str, str]]:
    """Lines of the bench table."""
    w = res.get("warc")
    if not w:
        return []
    ok = "ok" if w["overhead_wall_pct"] <= TARGET_OVERHEAD_PCT else "MISSED"
    ok_cpu = "ok" if w["overhead_cpu_pct"] <= TARGET_OVERHEAD_PCT else "MISSED"
    d = w["disk"]
    return [
        (f"WARC capture, time per page ({w['shops']} shops)",
         f"+{w['overhead_wall_pct']}% wall (pairs: {', '.join(map(str, w['overhead_wall_pct_pairs']))})",
         f"≤ {TARGET_OVERHEAD_PCT:g}%  {ok}"),
        ("  same, CPU (crawl child + parent)",
         f"+{w['overhead_cpu_pct']}% (crawl child alone +{w['overhead_crawl_cpu_pct']}%)",
         f"≤ {TARGET_OVERHEAD_PCT:g}%  {ok_cpu}"),
        ("  capture alone, in process", f"{w['capture_alone']['cpu_ms_per_page']} CPU ms per page "
                                        f"(pipeline without WARC: {w['runs'][0]['off']['cpu_ms_per_page']} ms)", ""),
        ("  disk per shop", f"WARC {d.get('warc_kb_per_shop_mean')} KB mean / {d.get('warc_kb_per_shop_median')} KB "
                            f"median ({d.get('warc_kb_per_page')} KB per page); whole report dir "
                            f"{d.get('report_dir_kb_per_shop_mean')} KB", ""),
    ]


def capture_cpu_ms_per_page(shops: int = 10, seed: int = 1) -> dict:
    """CPU ms to archive one farm page (response + request records, gzip), in process."""
    import time

    from bench.farm import build_shop
    from cardshop_auditor.evidence.warc import Exchange, exchange_records, serialise

    pages = [(path, route) for i in range(shops) for path, route in build_shop(seed, i).routes.items()
             if route.content_type.startswith("text/html")]
    headers = [("User-Agent", "cardshop-auditor/0.1"), ("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"),
               ("Accept-Encoding", "gzip, deflate, br, zstd"), ("Referer", "http://127.0.0.1:8000/")]
    started, written = time.process_time(), 0
    for path, route in pages:
        _, records = exchange_records(Exchange(
            url=f"http://127.0.0.1:8000{path}", method="GET", request_headers=headers, request_body=b"",
            status=200, response_headers=[("Content-Type", route.content_type), ("Server", "farm")],
            body=route.body, ip="127.0.0.1"))
        written += len(serialise(records))
    seconds = time.process_time() - started
    return {"pages": len(pages), "cpu_ms_per_page": round(1000 * seconds / len(pages), 3),
            "kb_per_page": round(written / len(pages) / 1024, 2)}


if __name__ == "__main__":
    print(json.dumps(capture_cpu_ms_per_page()))
