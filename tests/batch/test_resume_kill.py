"""A batch killed with SIGKILL mid-run and rerun with --resume ends with every shop
audited exactly once: one journal line each, a complete report each, and the shops
finished before the kill are not fetched again."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import ExitStack

import pytest

from cardshop_auditor.batch import report_is_complete
from batch_helpers import ROOT, cli, wait_for
from fixtures.server import FixtureServer

pytestmark = pytest.mark.slow
SHOPS = ["changing_shop_v1", "changing_shop_v2"]
COPIES = 10                               # 20 shops, each on its own port


class Counting:
    """Count the requests each served shop receives (per server instance and shop)."""

    def __init__(self):
        self.hits: Counter = Counter()
        self.lock = threading.Lock()

    def wrap(self, server, base_url):
        for name, shop in server.shops.items():
            original = shop.respond
            key = server.base_url(name)

            def respond(request, original=original, key=key):
                with self.lock:
                    self.hits[key] += 1
                return original(request)

            shop.respond = respond


def test_sigkill_then_resume_audits_every_shop_once(tmp_path):
    out = tmp_path / "out"
    counting = Counting()
    with ExitStack() as stack:
        servers = [stack.enter_context(FixtureServer(SHOPS)) for _ in range(COPIES)]
        urls = []
        for server in servers:
            counting.wrap(server, None)
            urls += [server.url(n) for n in SHOPS]
        (tmp_path / "urls.txt").write_text("\n".join(urls) + "\n", "utf-8")
        args = ["batch", tmp_path / "urls.txt", "--out", out, "--concurrency", "4", "--browser", "never",
                "--max-pages", "8", "--no-progress"]
        proc = subprocess.Popen([sys.executable, "-m", "cardshop_auditor.cli", *map(str, args)], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        journal = out / "journal.log"

        def done_lines():
            try:
                return [ln for ln in journal.read_text("utf-8").splitlines() if ln.startswith("done ")]
            except OSError:
                return []

        try:
            assert wait_for(lambda: len(done_lines()) >= 5, timeout=120), "batch made no progress"
            os.kill(proc.pid, signal.SIGKILL)                       # kill -9, mid-run
            proc.wait(30)
        finally:
            try:                                                    # and whatever it left running
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.5)
        before = {ln.split()[1] for ln in done_lines()}
        assert 5 <= len(before) < len(urls), f"killed too late: {len(before)} done"
        mtimes = {sid: (out / sid / "report.json").stat().st_mtime_ns for sid in before}
        # a shop killed after its report was complete but before its journal line: --resume
        # rightly takes the report as done without fetching the shop again
        written = {d.name for d in out.iterdir() if d.is_dir() and report_is_complete(d / "report.json")}
        counting.hits.clear()

        resumed = cli(*args, "--resume")
        assert resumed.returncode == 0, resumed.stderr[-3000:]

    ids = json.loads((out / "batch.json").read_text("utf-8"))
    all_ids = [s["id"] for s in ids["shops"]]
    assert len(all_ids) == len(urls) == 2 * COPIES
    done = [ln.split()[1] for ln in done_lines()]
    assert sorted(done) == sorted(all_ids), "one journal line per shop, none twice, none missing"
    for sid in all_ids:
        assert report_is_complete(out / sid / "report.json"), sid
        assert (out / sid / "report.html").exists()
    # the shops finished before the kill were neither fetched nor rewritten by the resumed run
    by_url = {s["id"]: s["url"] for s in ids["shops"]}
    for sid in before:
        assert counting.hits[by_url[sid]] == 0, f"{sid} crawled again"
        assert (out / sid / "report.json").stat().st_mtime_ns == mtimes[sid]
    redone = [sid for sid in all_ids if sid not in before]
    assert all(counting.hits[by_url[sid]] > 0 for sid in redone if sid not in written)
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["total"] == 20 and summary["audited"] == 20 and summary["missing"] == 0
    assert f"{len(before)} already done" in resumed.stderr
