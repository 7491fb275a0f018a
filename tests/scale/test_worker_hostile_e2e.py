"""End to end with the real commands: `batch --broker --no-wait` enqueues a shop that needs a
login (its password in the batch CSV), somebody with access to Redis then adds messages of
their own — one whose Dramatiq options try to pipe into another actor and name a program,
a traversal shop id, a shop on "the other network" — and a `worker` process with its own
--auth file audits the shop in real Chromium.  The named program never runs, nothing
outside the worker's output directory changes, the login works with the worker's
credentials, and the password is nowhere in Redis or the worker's logs."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from engine_helpers import plant_sentinels, push_raw, raw_message, snapshot
from fixtures.server import FixtureServer, load_labels

pytestmark = [pytest.mark.services, pytest.mark.browser, pytest.mark.slow]
SHOP = "login_form_cookie"


class Listener:
    """A TCP listener on another loopback address that counts the connections it gets."""

    def __init__(self, host: str):
        import socket
        import threading
        self.sock = socket.socket()
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.url = f"http://{host}:{self.sock.getsockname()[1]}/"
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(2)
        self.sock.close()


def cli(*args, timeout=240):
    return subprocess.run([sys.executable, "-m", "cardshop_auditor", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout)


def redis_text(client) -> bytes:
    return b"\n".join(client.dump(k) or b"" for k in client.keys("*"))


def test_worker_ignores_a_planted_program_and_logs_in_with_its_own_credentials(redis_server, tmp_path):
    import redis
    creds = load_labels(SHOP)["credentials"]
    out, state = tmp_path / "work" / "w-out", tmp_path / "state"
    out.mkdir(parents=True)
    state.mkdir()
    sentinels = plant_sentinels(tmp_path)
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.sh"
    evil.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n", "utf-8")
    evil.chmod(0o755)
    db = f"sqlite:///{state / 'history.db'}"
    broker = redis_server.url.rsplit("/", 1)[0] + "/6"             # a database of our own
    client = redis.Redis.from_url(broker)
    client.flushdb()

    with FixtureServer([SHOP]) as shops:
        url = shops.url(SHOP)
        (state / "urls.csv").write_text(f"url,username,password\n{url},{creds['username']},{creds['password']}\n",
                                        "utf-8")
        (state / "auth.json").write_text(json.dumps({url: creds}), "utf-8")
        enq = cli("batch", state / "urls.csv", "--out", state / "coordinator", "--broker", broker,
                  "--db", db, "--browser", "always", "--no-wait", "--no-progress")
        assert enq.returncode == 0, enq.stderr[-2000:]
        assert "not put on the broker" in enq.stderr
        assert creds["password"].encode() not in redis_text(client)
        batch_id = json.loads((state / "coordinator" / "batch.json").read_text("utf-8"))["batch_id"]

        payload = json.dumps({"url": url})
        push_raw(client, raw_message([batch_id, [["../../victim", payload, None]]]), front=True)
        push_raw(client, raw_message([batch_id, [["piped", payload, None]]],
                                     options={"pipe_target": {"actor_name": "audit_chunk", "args": [str(evil)]},
                                              "browser_path": str(evil), "time_limit": 1}), front=True)
        with Listener("127.0.0.2") as other:      # "the other network": a task may not send us there
            push_raw(client, raw_message([batch_id, [["internal-host", json.dumps({"url": other.url}), None]]]))
            before = snapshot(tmp_path, out, state)
            worker = cli("worker", "--broker", broker, "--db", db, "--out", out, "--auth",
                         state / "auth.json", "--idle-exit", "2", "--worker-id", "w-e2e",
                         "--allow-network", "127.0.0.1/32")
            assert worker.returncode == 0, worker.stderr[-3000:]
        assert other.connections == 0

    assert not marker.exists(), "the program named in a message ran"
    assert snapshot(tmp_path, out, state) == before
    for d in sentinels:
        assert (d / "keep.txt").exists()
    from cardshop_auditor.storage import deadletters, open_store
    store = open_store(db)
    assert set(deadletters.for_batch(store, batch_id)) == {"internal-host"}
    assert "loopback" in deadletters.for_batch(store, batch_id)["internal-host"]
    assert "task is not [shop id, payload, signature]" in worker.stderr      # the traversal id

    scans = {s.shop_id: s for s in store.batch_scans(batch_id, with_report=True)}
    assert set(scans) - {"piped"} and len(scans) == 2       # the real shop, and the re-sent copy
    scan = next(s for sid, s in scans.items() if sid != "piped")
    entry = scan.report["findings"]["refund_entry"]
    assert entry["found"] and entry["requires_login"]            # logged in with the worker's own --auth
    assert scan.report_dir and str(out.resolve()) in str(scan.report_dir)
    assert creds["password"].encode() not in redis_text(client)
    assert creds["password"] not in worker.stderr + worker.stdout
