"""Browser-stage test helpers: the browser fixture shops served once, and a runner that
puts one shop through ``run_browser_stage`` (static start page fetched with urllib, no
Scrapy: these tests are about the browser)."""
from __future__ import annotations

import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from cardshop_auditor.artifacts import Page, ShopArtifacts, ShopMeta
from cardshop_auditor.options import AuditOptions

BROWSER_SHOPS = ["login_form_cookie", "login_more_dropdown", "login_json_token", "refund_in_order_list",
                 "order_query_public", "spa_footer_api", "spa_footer_api_twin", "agreement_modal_js",
                 "compliant_platform", "reach_inline_json", "reach_ajax_list", "reach_layui_table",
                 "reach_hash_spa", "reach_many_goods", "buy_popup_layer", "buy_confirm_native",
                 "buy_prompt_late_goods", "buy_iframe_layer", "buy_term_one_goods", "agreement_iframe_layer",
                 "reach_spa_late_goods", "notice_iframe_modal", "reach_spa_history_goods"]
def pytest_terminal_summary(terminalreporter):
    TIMINGS = getattr(terminalreporter.config, "_browser_timings", None)
    if not TIMINGS:
        return
    terminalreporter.section("browser stage timings (logged-in refund-entry search)")
    for name, search, stage, timings in TIMINGS:
        terminalreporter.write_line(f"{name:24s} login+search {search:5.2f}s   whole stage {stage:5.2f}s   {timings}")
    values = sorted(t[1] for t in TIMINGS)
    terminalreporter.write_line(f"median login+search {values[len(values) // 2]:.2f}s over {len(values)} shop(s)")


@pytest.fixture(scope="session")
def timings(pytestconfig) -> list:
    """(shop, login+search seconds, whole-stage seconds, per-phase timings) rows, printed
    at the end of the run."""
    if not hasattr(pytestconfig, "_browser_timings"):
        pytestconfig._browser_timings = []
    return pytestconfig._browser_timings


@pytest.fixture(scope="session")
def shops():
    from fixtures.server import FixtureServer
    with FixtureServer(BROWSER_SHOPS) as srv:
        yield srv
    from cardshop_auditor.browser.manager import close_browser
    close_browser()


def fetch_static(url: str) -> ShopArtifacts:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            body = resp.read().decode("utf-8", "replace")
            status = resp.status
    except Exception:  # noqa: BLE001
        body, status = "", 0
    return ShopArtifacts(meta=ShopMeta(target=url, final_url=url),
                         pages=[Page(url=url, final_url=url, status=status, html=body)])


# For tests about what the browser stage reaches, not about its time budget: on a machine loaded
# by a parallel suite, the default 45 s (half of it for the goods walk) ran out mid-walk.
LOADED_MACHINE_BUDGET = 240.0


@pytest.fixture(scope="session")
def run_stage(shops, tmp_path_factory):
    """run_stage(name, username=..., password=..., order_no=..., **options) -> (artifacts, target)."""
    from cardshop_auditor.browser.stage import run_browser_stage

    def run(name: str, *, username=None, password=None, order_no=None, tag="", **opts):
        url = shops.url(name)
        artifacts = fetch_static(url)
        out = tmp_path_factory.mktemp(f"{name}{tag}")
        target = SimpleNamespace(url=url, out_dir=Path(out), username=username, password=password)
        options = AuditOptions(order_no=order_no, **opts)
        lines: list[str] = []
        started = time.monotonic()
        run_browser_stage(artifacts, target, options, log=lines.append)
        artifacts.meta.browser["_wall"] = time.monotonic() - started
        artifacts.meta.browser["_log"] = lines
        return artifacts, target

    return run


def hits(shops, name: str) -> list[str]:
    return list(shops.shops[name].state.get("hits") or [])


PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def one_shot(browser: dict, out_dir, *, url: str, kind: str | None = None, words: tuple = ()) -> Path:
    """The single evidence screenshot of ``url`` (of ``kind`` when given): its caption names
    every one of ``words`` and its file is a PNG.  Returns the file's path."""
    shots = [e for e in browser["evidence"] if e["url"] == url and (kind is None or e["kind"] == kind)]
    assert len(shots) == 1, browser["evidence"]
    assert all(w in shots[0]["caption"] for w in words), (words, shots[0]["caption"])
    png = Path(out_dir) / shots[0]["path"]
    print(f"{kind or 'page'} evidence:", png)
    assert png.read_bytes()[:8] == PNG_MAGIC
    return png
