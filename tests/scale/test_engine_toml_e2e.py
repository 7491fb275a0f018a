"""End to end with the real commands (issue 14 item 2 on the engine): a TOML batch file whose
two shops need different options — one logs in with a password from an environment
variable, its report in English; the other needs an order number — audited by
`batch --broker` through two `worker` processes in real Chromium, gives the same findings as
the single-process `batch` of the same file.  The coordinator's machine has no password:
only the credential's name travels, and each worker resolves it from its own
--credentials file and environment.  The password is nowhere in Redis or any log."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from engine_helpers import ROOT, Proc
from fixtures.server import FixtureServer, load_labels

pytestmark = [pytest.mark.services, pytest.mark.browser, pytest.mark.slow]
LOGIN, ORDER = "login_form_cookie", "order_query_public"


def cli(*args, env, timeout=600):
    return subprocess.run([sys.executable, "-m", "cardshop_auditor", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def reports(out, batch_json) -> dict[str, dict]:
    shops = json.loads((out / "batch.json").read_text("utf-8"))["shops"]
    return {s["label"]: json.loads((out / s["id"] / "report.json").read_text("utf-8")) for s in shops}


def essentials(report: dict) -> dict:
    entry = report["findings"]["refund_entry"]
    return {"status": report["status"], "lang": report.get("lang"), "score": report["score"],
            "risk": report["risk"]["level"], "flags": sorted(report["risk"]["flags"]),
            "refund_entry": (entry["found"], entry.get("clicks"), entry.get("requires_login")),
            "icp": report["findings"].get("icp", {}).get("number"),
            "checks": sorted((c["id"], c["status"]) for c in report["checks"])}


def test_a_toml_batch_with_per_shop_options_gives_the_same_findings_on_two_workers(redis_server, tmp_path):
    import redis
    creds, order_no = load_labels(LOGIN)["credentials"], load_labels(ORDER)["order_no"]
    broker = redis_server.url.rsplit("/", 1)[0] + "/9"
    client = redis.Redis.from_url(broker)
    client.flushdb()
    base_env = {k: v for k, v in os.environ.items() if k != "YIKA_PW"}
    worker_env = dict(base_env, YIKA_PW=creds["password"])
    with FixtureServer([LOGIN, ORDER]) as shops:
        login_url, order_url = shops.url(LOGIN), shops.url(ORDER)
        batch = tmp_path / "shops.toml"
        batch.write_text(f'''[defaults]
browser = "always"
max_pages = 15

[[shop]]
url = "{login_url}"
label = "login"
username = "{creds['username']}"
password_env = "YIKA_PW"
lang = "en"

[[shop]]
url = "{order_url}"
label = "order"
order_no = "{order_no}"
''', "utf-8")
        host_port = login_url.split("//", 1)[1].split("/", 1)[0]
        (tmp_path / "worker-creds.toml").write_text(
            f'[YIKA_PW]\nusername = "{creds["username"]}"\nsites = ["{host_port}"]\n', "utf-8")
        (tmp_path / "worker-creds.toml").chmod(0o600)

        single = cli("batch", batch, "--out", tmp_path / "single", "--no-progress", "--allow-network",
                     "127.0.0.1/32", env=worker_env)
        assert single.returncode == 0, single.stderr[-3000:]

        db = f"sqlite:///{tmp_path / 'history.db'}"
        log_flags = ["--log-format", "json", "-v"]          # JSON lines, at debug
        workers = [Proc("worker", "--broker", broker, "--db", db, "--out", tmp_path / f"w{i}", "--credentials",
                        tmp_path / "worker-creds.toml", "--idle-exit", "20", "--threads", "1", "--prefetch", "1",
                        "--worker-id", f"w{i}", "--allow-network", "127.0.0.1/32", *log_flags,
                        stderr_path=tmp_path / f"w{i}.log", env=worker_env) for i in range(2)]
        try:
            dist = cli("batch", batch, "--out", tmp_path / "dist", "--broker", broker, "--db", db, "--chunk", "1",
                       "--no-progress", "--wait-timeout", "500", env=base_env)     # no YIKA_PW here
            assert dist.returncode == 0, dist.stderr[-3000:] + "".join(w.log()[-2000:] for w in workers)
            assert "credential name(s) go to the workers" in dist.stderr and "YIKA_PW" in dist.stderr
        finally:
            # the batch is stored: stop the workers as an operator does (SIGTERM), rather than
            # wait out their --idle-exit, which is there only for a coordinator slow to enqueue
            for w in workers:
                if w.p.poll() is None:
                    w.p.send_signal(signal.SIGTERM)
            for w in workers:
                w.p.wait(120)
                w.kill_group()

    one, two = reports(tmp_path / "single", None), reports(tmp_path / "dist", None)
    assert {k: essentials(v) for k, v in two.items()} == {k: essentials(v) for k, v in one.items()}
    # and the options did take effect on both sides
    assert two["login"]["lang"] == "en" and two["order"]["lang"] == "zh"
    assert essentials(two["login"])["refund_entry"] == (True, 3, True)          # logged in, by the worker
    assert essentials(two["order"])["refund_entry"][:2] == (True, 3)            # with the order number
    blob = b"\n".join(client.dump(k) or b"" for k in client.keys("*"))
    assert creds["password"].encode() not in blob and creds["username"].encode() not in blob
    for text in [dist.stderr, dist.stdout, *(w.log() for w in workers)]:
        assert creds["password"] not in text
    # workers that crawled, drove Chromium and logged in: still nothing but JSON lines
    for w in workers:
        assert all(json.loads(line)["logger"] for line in w.log().splitlines())
    assert [len(w.stored()) for w in workers] == [1, 1]     # --prefetch 1: one shop each
    assert [w.p.returncode for w in workers] == [0, 0]         # SIGTERM: a clean stop
