"""End to end with the real commands: `batch --redis --no-wait` enqueues a shop that needs a
login (its password in the batch CSV), somebody with access to Redis then rewrites the
batch's options to run their own program as the browser and adds a traversal task, and a
`worker` process with its own --auth file audits the shop in real Chromium.  The planted
program never runs, nothing outside the worker's output directory changes, the login works
with the worker's credentials, and the password is nowhere in Redis or the worker's logs."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cardshop_auditor.queue import Queue
from fixtures.server import FixtureServer, load_labels
from test_queue_hostile import all_redis_text, plant_sentinels, snapshot

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
    return subprocess.run([sys.executable, "-m", "cardshop_auditor.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout)


def test_worker_ignores_a_planted_browser_and_logs_in_with_its_own_credentials(redis_server, tmp_path):
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
    queue = Queue(redis_server.url)
    for key in queue.r.scan_iter(match=queue.prefix + "*"):     # a queue of our own
        queue.r.delete(key)

    with FixtureServer([SHOP]) as shops:
        url = shops.url(SHOP)
        (state / "urls.csv").write_text(f"url,username,password\n{url},{creds['username']},{creds['password']}\n",
                                        "utf-8")
        (state / "auth.json").write_text(json.dumps({url: creds}), "utf-8")
        enq = cli("batch", state / "urls.csv", "--out", state / "coordinator", "--redis", redis_server.url,
                  "--db", db, "--browser", "always", "--no-wait", "--no-progress")
        assert enq.returncode == 0, enq.stderr[-2000:]
        assert "not put on the queue" in enq.stderr
        assert creds["password"].encode() not in b"\n".join(all_redis_text(queue))

        (batch_key,) = queue.r.scan_iter(match=queue.prefix + "batch:*")
        batch_id = batch_key.split(":")[-1]
        options = json.loads(queue.r.hget(batch_key, "options"))
        options.update(browser_path=str(evil), storage_state="/etc/shadow", icp_registry="/etc/passwd")
        queue.r.hset(batch_key, "options", json.dumps(options))
        traversal = f"{batch_id}:../../victim"
        queue.r.hset(queue.task_key(traversal), mapping={"payload": json.dumps({"url": url}), "batch": batch_id,
                                                          "shop": "../../victim"})
        queue.r.lpush(queue.pending, traversal)
        with Listener("127.0.0.2") as other:      # "the other network": a task may not send us there
            inside = f"{batch_id}:internal-host"
            queue.r.hset(queue.task_key(inside), mapping={"payload": json.dumps({"url": other.url}),
                                                           "batch": batch_id, "shop": "internal-host"})
            queue.r.rpush(queue.pending, inside)
            before = snapshot(tmp_path, out, state)

            worker = cli("worker", "--broker", redis_server.url, "--db", db, "--out", out, "--auth",
                         state / "auth.json", "--lease", "60", "--idle-exit", "2", "--worker-id", "w-e2e",
                         "--allow-network", "127.0.0.1/32")
            assert worker.returncode == 0, worker.stderr[-3000:]
        assert other.connections == 0

    assert not marker.exists(), "the program named in the queue ran"
    assert "browser_path ignored" in worker.stderr and "storage_state ignored" in worker.stderr
    assert snapshot(tmp_path, out, state) == before
    for d in sentinels:
        assert (d / "keep.txt").exists()
    letters = {d["task"]: d["reason"] for d in queue.dead_letters()}
    assert set(letters) == {traversal, inside}
    assert "shop id" in letters[traversal] and "loopback" in letters[inside]

    from cardshop_auditor.storage import open_store
    (scan,) = open_store(db).batch_scans(batch_id, with_report=True)
    entry = scan.report["findings"]["refund_entry"]
    assert entry["found"] and entry["requires_login"]            # logged in with the worker's own --auth
    assert scan.report_dir and str(out.resolve()) in str(scan.report_dir)

    blob = b"\n".join(all_redis_text(queue))
    assert creds["password"].encode() not in blob
    assert not list(queue.r.scan_iter(match=queue.prefix + "task:*"))
    assert creds["password"] not in worker.stderr + worker.stdout
