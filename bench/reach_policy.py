"""What reading buy prompts costs: the goods-page walk of the browser stage
(``auditor/browser/reach.py``, ``buy_click.py``) under two policies, interleaved in one run.

    python -m bench.reach_policy [--rounds R] [--shops a,b,…]

* ``before``: the walk as it was: the first goods pages in list order, at most
  ``MAX_GOODS_PAGES``, stopping once they repeat each other; no glances; the order button
  never clicked;
* ``after``: goods pages spread over the list, glances past the cap, peeks at the rest
  (their HTML fetched, nothing rendered), the order button clicked for the dialog behind it.

Per shop and policy: the median ``meta.browser.seconds`` (the whole stage, Chromium already
running), goods-page loads counted by the fixture server, and whether a blanket no-refund
clause was found (``extract_findings``); then the ratio of the medians after / before.
The shops are the fixture shops whose goods lists are built by script (fixtures/shops/
reach_*, buy_*).  Nothing is ordered: the run fails if a shop saw a non-GET request.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

SHOPS = ["reach_inline_json", "reach_ajax_list", "reach_layui_table", "reach_hash_spa", "reach_many_goods",
         "buy_popup_layer", "buy_confirm_native", "buy_prompt_late_goods", "buy_iframe_layer", "buy_term_one_goods"]
GOODS_PATH = re.compile(r"^/(?:buy|item|goods|product/detail|product)/")


class Policy:
    """Switch the goods walk between the two policies (the constants of reach.py and late_goods.py, and ``spread``)."""

    def __init__(self):
        import cardshop_auditor.browser.late_goods as late_goods
        import cardshop_auditor.browser.reach as reach
        self.module = {"MAX_GLANCES": late_goods, "MAX_PEEKS": late_goods, "MAX_ORDER_CLICKS": reach, "spread": reach}
        self.after = {"MAX_GLANCES": late_goods.MAX_GLANCES, "MAX_ORDER_CLICKS": reach.MAX_ORDER_CLICKS,
                      "MAX_PEEKS": late_goods.MAX_PEEKS, "spread": reach.spread}
        self.before = {"MAX_GLANCES": 0, "MAX_ORDER_CLICKS": 0, "MAX_PEEKS": 0, "spread": lambda n: list(range(n))}

    def use(self, name: str) -> None:
        for key, value in getattr(self, name).items():
            setattr(self.module[key], key, value)


def run_one(srv, name: str, out: Path) -> dict:
    from cardshop_auditor.browser.stage import run_browser_stage
    from cardshop_auditor.extract import extract_findings
    from cardshop_auditor.options import AuditOptions
    from cardshop_auditor.artifacts import Page, ShopArtifacts, ShopMeta

    srv.shops[name].state.clear()
    url = srv.url(name)
    with urllib.request.urlopen(url, timeout=10) as resp:          # the start page, as the crawl has it
        html = resp.read().decode("utf-8", "replace")
    artifacts = ShopArtifacts(meta=ShopMeta(target=url, final_url=url),
                              pages=[Page(url=url, final_url=url, status=200, html=html)])
    target = SimpleNamespace(url=url, out_dir=out, username=None, password=None)
    started = time.monotonic()
    run_browser_stage(artifacts, target, AuditOptions(), log=None)
    wall = time.monotonic() - started
    state = srv.shops[name].state
    clauses = (extract_findings(artifacts).get("agreement") or {}).get("clauses") or []
    return {"seconds": float(artifacts.meta.browser.get("seconds") or wall),
            "goods_loads": len([v for v in state.get("visits") or [] if GOODS_PATH.search(v)]),
            "blanket": any(c["kind"] == "blanket_no_refund" for c in clauses),
            "orders": len(state.get("hits") or [])}


def main(argv: list[str] | None = None) -> int:
    from cardshop_auditor.browser.manager import close_browser, get_browser
    from fixtures.server import FixtureServer

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--shops", default=",".join(SHOPS))
    args = ap.parse_args(argv)
    names = [n for n in args.shops.split(",") if n]
    policy = Policy()
    rows: dict[tuple[str, str], list[dict]] = {}
    with FixtureServer(names) as srv, tempfile.TemporaryDirectory() as tmp:
        get_browser()                                  # launched once, outside every figure
        for r in range(args.rounds):
            for name in names:
                for which in (("before", "after") if r % 2 == 0 else ("after", "before")):
                    policy.use(which)
                    rows.setdefault((name, which), []).append(run_one(srv, name, Path(tmp) / f"{name}-{which}-{r}"))
        policy.use("after")
    close_browser()
    print(f"browser stage per shop, median of {args.rounds} run(s) per policy (interleaved)")
    print(f"{'shop':24s} {'before s':>9s} {'after s':>8s} {'ratio':>6s}  {'goods loads':>11s}  blanket term before → after")
    ratios, orders = [], 0
    for name in names:
        b, a = rows[(name, "before")], rows[(name, "after")]
        mb, ma = statistics.median(x["seconds"] for x in b), statistics.median(x["seconds"] for x in a)
        ratios.append(ma / mb if mb else float("nan"))
        orders += sum(x["orders"] for x in a + b)
        loads = f"{statistics.median(x['goods_loads'] for x in b):.0f} → {statistics.median(x['goods_loads'] for x in a):.0f}"
        found = f"{'found' if all(x['blanket'] for x in b) else 'MISSED'} → {'found' if all(x['blanket'] for x in a) else 'MISSED'}"
        print(f"{name:24s} {mb:9.2f} {ma:8.2f} {ma / mb:6.2f}  {loads:>11s}  {found}")
    print(f"median ratio after / before: {statistics.median(ratios):.2f}; non-GET requests seen by the shops: {orders}")
    return 1 if orders else 0


if __name__ == "__main__":
    sys.exit(main())
