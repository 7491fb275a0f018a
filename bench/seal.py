"""What sealing a scan costs: manifest.json (hashing every file), `verify` (re-hashing,
WARC re-derivation of every quote) and report.pdf (Chromium's print), per shop.

    seal_cost(shops)        → the ``seal`` section of results.json (bench/__main__.py)
    python -m bench.seal    the same alone; writes bench/results-seal.json

Measured over scans of the bundled fixture shops (realistic pages, GBK and UTF-8, WARC and
WACZ on), in process, CPU and wall time each; the PDF on up to three of them.
"""
from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

SHOPS = ["gbk_legacy_kameng", "dujiaoka_default", "acgfaka_default", "cardsystem_stock", "compliant_platform"]
ROOT = Path(__file__).resolve().parent


def _timed(fn, repeat: int = 1) -> tuple[float, float]:
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def seal_cost(shops: list[str] | None = None, pdfs: int = 3, repeat: int = 5) -> dict:
    from fixtures.server import FixtureServer
    from cardshop_auditor.evidence.manifest import write_manifest
    from cardshop_auditor.evidence.verify import verify_scan
    from cardshop_auditor.options import AuditOptions
    from cardshop_auditor.pipeline import Target, audit_shops
    names = list(shops or SHOPS)
    with tempfile.TemporaryDirectory(prefix="bench-seal-") as tmp, FixtureServer(names) as srv:
        targets = [Target(url=srv.url(n), out_dir=Path(tmp) / n, id=n) for n in names]
        results = audit_shops(targets, AuditOptions(browser="never", wacz=True), log=lambda m: None)
        rows = []
        for result in results:
            out, report = result.target.out_dir, result.report
            manifest = _timed(lambda: write_manifest(out, report, AuditOptions(), report["scanned_at"]), repeat)
            verify = _timed(lambda: verify_scan(out), repeat)
            size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
            rows.append({"shop": result.target.id, "dir_kb": round(size / 1024, 1),
                         "manifest_ms": round(manifest[0], 1), "manifest_cpu_ms": round(manifest[1], 1),
                         "verify_ms": round(verify[0], 1), "verify_cpu_ms": round(verify[1], 1),
                         "quotes": verify_scan(out).checked.get("warc", {}).get("quotes")})
        pdf = []
        try:
            from cardshop_auditor.browser.manager import close_browser
            from cardshop_auditor.report.pdf import write_pdf
            for result in results[:pdfs]:
                wall, _ = _timed(lambda: write_pdf(result.target.out_dir, result.report, "0" * 64, AuditOptions()))
                pdf.append({"shop": result.target.id, "pdf_ms": round(wall, 1),
                            "pdf_kb": round((result.target.out_dir / "report.pdf").stat().st_size / 1024, 1)})
            close_browser()
        except Exception as exc:  # noqa: BLE001 - no Chromium: the PDF figure is missing, the rest stands
            pdf = [{"error": f"{type(exc).__name__}: {exc}"[:200]}]
    med = lambda key: round(statistics.median(r[key] for r in rows), 1) if rows else None  # noqa: E731
    return {"shops": len(rows), "per_shop": rows, "pdf": pdf,
            "manifest_ms_median": med("manifest_ms"), "verify_ms_median": med("verify_ms"),
            "pdf_ms_median": round(statistics.median(p["pdf_ms"] for p in pdf if "pdf_ms" in p), 1)
            if any("pdf_ms" in p for p in pdf) else None,
            "note": "the first PDF includes Chromium's start"}


def rows(res: dict) -> list[tuple[str, str, str]]:
    s = res.get("seal")
    if not s or not s.get("shops"):
        return []
    return [("manifest.json per shop (hash every file)", f"{s['manifest_ms_median']} ms median over {s['shops']} shops", ""),
            ("  verify per shop (hashes, WARC quotes)", f"{s['verify_ms_median']} ms median", ""),
            ("  report.pdf per shop (Chromium print)", f"{s['pdf_ms_median']} ms median" if s["pdf_ms_median"]
             else "n/a", "")]


if __name__ == "__main__":
    result = seal_cost()
    (ROOT / "results-seal.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")
    for label, value, _ in rows({"seal": result}):
        print(f"{label:45} {value}")
