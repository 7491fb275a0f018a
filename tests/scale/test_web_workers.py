"""`serve --broker`: the web page hands its scans to `cardshop-audit worker` processes (the
task engine of `batch --broker`), and shows their results like its own."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from engine_helpers import wait_for

from tests.web.webapp import WebServer

pytestmark = pytest.mark.services


def test_web_scans_run_on_the_workers(redis_server, tmp_path, fixture_server):
    import redis
    broker = redis_server.url.rsplit("/", 1)[0] + "/9"
    redis.Redis.from_url(broker).flushdb()
    with WebServer(tmp_path, slots=2, broker=broker) as web:
        shops = ["hidden_refund_menu", "refund_table"]
        tokens = []
        for shop in shops:
            status, body = web.call("POST", "/api/scans", {"url": fixture_server.url(shop)})
            assert status == 202, body
            tokens.append(body["id"])
        # nothing runs the scans in the app: they wait for a worker, once handed to the broker
        # (a worker started before the second is queued may finish the first and go idle)
        assert wait_for(lambda: all(web.call("GET", f"/api/scans/{t}")[1]["stages"]["fetch"] == "running"
                                    for t in tokens), 60), "the scans were not handed to the broker"
        assert all(web.call("GET", f"/api/scans/{t}")[1]["state"] != "done" for t in tokens)
        worker = subprocess.run(
            [sys.executable, "-m", "cardshop_auditor", "worker", "--broker", broker, "--db", web.config.db,
             "--out", str(tmp_path / "worker"), "--allow-network", "127.0.0.1/32", "--idle-exit", "8"],
            capture_output=True, text=True, timeout=600, env={**os.environ, "CARDSHOP_QUEUE_SECRET": ""})
        assert worker.returncode == 0, worker.stderr[-2000:]
        for token in tokens:
            try:
                assert web.wait_done(token, timeout=120)["state"] == "done"
            except TimeoutError as exc:       # say what the worker did (CI flake hunt)
                pytest.fail(f"{exc}; worker stdout: {worker.stdout[-1500:]}; stderr: {worker.stderr[-3000:]}")
        status, result = web.call("GET", f"/api/scans/{tokens[0]}/result")
        assert status == 200 and result["guide"]["where"]["kind"] == "entry"
        assert result["guide"]["where"]["clicks"] == 4
        home = web.get_text("/")
        assert all(f"/r/{t}/" in home for t in tokens)          # listed like the app's own scans
