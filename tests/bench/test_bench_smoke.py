"""Smoke test of the benchmark harness (``make bench``): a tiny farm, every key written.

No timing is asserted here: figures depend on the machine; bench/README.md has them."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.farm import USCC_CHARSET, build_shop, crawlable, plan_shop, uscc_valid

ROOT = Path(__file__).resolve().parents[2]
KEYS = ("shops", "pages", "baseline_pages_per_s", "pipeline_pages_per_s", "ratio", "browser_median_s",
        "browser_p95_s", "peak_rss_mb", "wall_s_by_shops", "server_capacity_rps", "machine", "git")


def test_uscc_check_digit_follows_gb32100():
    assert uscc_valid("91440300708461136T")     # DOMAIN.md worked example
    assert uscc_valid("91110000600037341L")
    assert not uscc_valid("91440300708461136A")
    codes = [build_shop(7, i).truth for i in range(40)]
    assert all(set(t["uscc"] or "") <= set(USCC_CHARSET) for t in codes)
    assert any(t["uscc_valid"] for t in codes) and not all(t["uscc_valid"] for t in codes)


def test_farm_is_deterministic_and_realistic():
    a, b = build_shop(3, 11), build_shop(3, 11)
    assert {p: r.body for p, r in a.routes.items()} == {p: r.body for p, r in b.routes.items()}
    kinds = {plan_shop(3, i).kind for i in range(30)}
    assert kinds == {"static", "js", "login"}
    assert any(plan_shop(3, i).encoding == "gbk" for i in range(30))
    for i in range(12):
        site = build_shop(3, i)
        html = [r.body for r in site.routes.values() if r.content_type.startswith("text/html")]
        assert all(18_000 <= len(body) <= 64_000 for body in html), [len(x) for x in html]
        if site.plan.kind != "js":
            assert 10 <= crawlable(site) <= 21
            home = site.routes["/"].body.decode(site.plan.encoding)
            assert "公告" in home and "/agreement.html" in home


@pytest.mark.slow
def test_bench_writes_every_key(tmp_path):
    out = tmp_path / "results.json"
    env = dict(os.environ, BENCH_SHOPS="3", BENCH_SIZES="2,3", BENCH_BROWSER="0", BENCH_PAIRS="2", BENCH_WARC_PAIRS="1",
               BENCH_SMOKE="1", BENCH_OUT=str(out),
               PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "bench"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    res = json.loads(out.read_text("utf-8"))
    for key in KEYS:
        assert key in res, key
    assert res["shops"] == 3 and res["pages"] > 10
    assert set(res["wall_s_by_shops"]) == {"2", "3"}
    assert res["baseline_pages_per_s"] > 0 and res["pipeline_pages_per_s"] > 0
    assert res["browser_median_s"] is None                 # BENCH_BROWSER=0: not measured
    assert "ratio pipeline / baseline" in proc.stdout      # the table was printed
    assert len(res["ratio_pairs"]) == 2 and res["ratio"] in res["ratio_pairs"]
    warc = res["warc"]                                      # the capture's cost, one on/off pair
    assert warc["pairs"] == 1 and {"overhead_wall_pct", "overhead_cpu_pct"} <= set(warc)
    assert warc["disk"]["shops_with_warc"] == 3 and warc["disk"]["warc_kb_per_shop_mean"] > 0
    assert "WARC capture, time per page" in proc.stdout
    assert res["smoke"] is True and res["seal"]["shops"] == 1 and res["seal"]["pdf_ms_median"]   # sealed, PDF too
