"""Who may steer a worker through the queue (issue 11 item 3, red-team follow-up):

* a task never points a worker at its own broker or database, whatever --allow-network says;
"""
from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from auditor.queue import Queue
from auditor.queue_tasks import TaskRejected, check_start_address, service_endpoints
from test_redteam_queue import enqueue, shop_pages

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hostile"))
from redteam_net import RedShop  # noqa: E402

pytestmark = [pytest.mark.services]


def http_attacks_logged(redis_server) -> int:
    """HTTP request lines redis-server saw: it logs each one as a possible attack."""
    return (Path(redis_server.dir) / "redis.log").read_text("utf-8", "replace").count("SECURITY ATTACK")


def fresh_queue(redis_server) -> Queue:
    queue = Queue(redis_server.url)               # the worker CLI's own prefix: cleared first
    for key in queue.r.scan_iter(match=queue.prefix + "*"):
        queue.r.delete(key)
    return queue


def test_a_task_aimed_at_the_broker_is_dead_lettered_not_crawled(redis_server, tmp_path):
    out, state = tmp_path / "w-out", tmp_path / "state"
    out.mkdir()
    state.mkdir()
    queue = fresh_queue(redis_server)
    db = f"sqlite:///{state / 'history.db'}"
    port = redis_server.port
    attacks = http_attacks_logged(redis_server)
    with RedShop(shop_pages()) as shop:
        aimed = [f"http://127.0.0.1:{port}/", f"http://localhost:{port}/x", f"http://127.0.0.2:{port}/"]
        batch = enqueue(redis_server, queue, db, state, "broker", [shop.url("/"), *aimed])
        tasks = queue.r.lrange(queue.pending, 0, -1)
        worker = subprocess.run(
            [sys.executable, "-m", "auditor.cli", "worker", "--broker", redis_server.url, "--db", db,
             "--out", str(out), "--chunk", "4", "--lease", "60", "--idle-exit", "2",
             "--worker-id", "w-broker", "--allow-network", "127.0.0.0/8"],
            capture_output=True, text=True, timeout=240)
        hits = list(shop.hits)
    log = worker.stderr[-4000:]
    assert worker.returncode == 0 and "Traceback" not in worker.stderr, log
    assert ("GET", "/") in hits, hits                       # the real shop was crawled
    assert len(queue.done(batch)) == 1, log
    letters = {d["task"]: d["reason"] for d in queue.dead_letters()}
    assert set(letters) == set(tasks[1:]) and len(letters) == 3, (letters, log)
    assert all("own broker or database" in reason for reason in letters.values()), letters
    assert http_attacks_logged(redis_server) == attacks, "the crawler sent HTTP to the broker"
    # the counter does count: one HTTP request of our own is seen
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
    except Exception:
        pass
    assert http_attacks_logged(redis_server) == attacks + 1


def test_the_database_endpoint_is_refused_whatever_allow_network_says():
    endpoints = service_endpoints(["redis://127.0.0.1:6390/0", "postgresql://u:p@127.0.0.1:5544/history",
                                   "sqlite:////tmp/x.db"])
    assert len(endpoints) == 2
    for url in ("http://127.0.0.1:5544/", "https://127.0.0.3:6390/", "http://[::1]:5544/"):
        with pytest.raises(TaskRejected, match="own broker or database"):
            check_start_address(url, ["127.0.0.0/8", "::1/128"], endpoints)
    # another port of the same machine stays a matter of --allow-network
    assert check_start_address("http://127.0.0.1:8080/", ["127.0.0.0/8"], endpoints)[1] == ("127.0.0.1",)
