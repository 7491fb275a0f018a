"""Scale-out end to end: a real redis-server and PostgreSQL, `batch --redis --db` enqueueing
54 fixture shops, three `worker` processes, one of them SIGKILLed while it holds claimed
shops.  Every shop is audited and stored exactly once, the dead worker's shops are handed
out again when their leases expire, and the summary is complete."""
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

from cardshop_auditor.queue import Queue
from fixtures.server import FixtureServer

pytestmark = [pytest.mark.services, pytest.mark.slow]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHOPS = ["changing_shop_v1", "changing_shop_v2"]
COPIES = 27                     # 54 shops, each on its own port
LEASE = "4"


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


class Proc:
    """A CLI subprocess in its own session; stdout lines collected by a thread."""

    def __init__(self, *args, stderr_path):
        self.stderr = open(stderr_path, "w")
        self.p = subprocess.Popen([sys.executable, "-m", "cardshop_auditor.cli", *map(str, args)], cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=self.stderr, text=True, start_new_session=True)
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for line in self.p.stdout:
            self.lines.append(line.rstrip("\n"))

    def stored(self) -> list[str]:
        return [ln.split()[2] for ln in list(self.lines) if ln.startswith("stored ")]

    def kill_group(self):
        for target in (lambda: os.kill(self.p.pid, signal.SIGKILL), lambda: os.killpg(self.p.pid, signal.SIGKILL)):
            try:
                target()
            except (ProcessLookupError, PermissionError):
                pass
        try:
            self.p.wait(30)
        except subprocess.TimeoutExpired:
            pass
        self.thread.join(5)
        self.stderr.close()


def test_three_workers_one_killed_every_shop_stored_once(redis_server, postgres_server, tmp_path):
    db = postgres_server.create_database("scale")
    procs: list[Proc] = []
    with ExitStack() as stack:
        stack.callback(lambda: [p.kill_group() for p in procs])
        servers = [stack.enter_context(FixtureServer(SHOPS)) for _ in range(COPIES)]
        urls = [s.url(n) for s in servers for n in SHOPS]
        (tmp_path / "urls.txt").write_text("\n".join(urls) + "\n", "utf-8")

        coordinator = Proc("batch", tmp_path / "urls.txt", "--out", tmp_path / "out", "--redis", redis_server.url,
                           "--db", db, "--browser", "never", "--max-pages", "6", "--no-progress",
                           "--wait-timeout", "170", stderr_path=tmp_path / "batch.err")
        procs.append(coordinator)
        queue = Queue(redis_server.url)
        assert wait_for(lambda: queue.r.llen(queue.pending) == len(urls), 60), "nothing enqueued"
        workers = [Proc("worker", "--redis", redis_server.url, "--db", db, "--out", tmp_path / f"w{i}",
                        "--chunk", "4", "--lease", LEASE, "--idle-exit", "3", "--worker-id", f"w{i}",
                        "--allow-network", "127.0.0.1/32",        # the fixture shops are on loopback
                        stderr_path=tmp_path / f"w{i}.err") for i in range(3)]
        procs += workers

        victim = workers[0]
        deadline = time.monotonic() + 120
        held = []
        while time.monotonic() < deadline:        # kill w0 after it stored a shop, while it holds others
            held = queue.r.lrange(queue.processing("w0"), 0, -1)
            if victim.stored() and held:
                break
            time.sleep(0.05)
        assert victim.stored() and held, "worker w0 never held claimed shops"
        os.kill(victim.p.pid, signal.SIGKILL)
        victim.p.wait(30)
        killed_at = time.monotonic()
        held_at_kill = list(queue.r.lrange(queue.processing("w0"), 0, -1))

        coordinator.p.wait(200)
        coordinator.thread.join(5)
        batch_err = (tmp_path / "batch.err").read_text()
        assert coordinator.p.returncode == 0, batch_err[-3000:]
        for w in workers[1:]:
            w.p.wait(60)

    # every shop stored exactly once
    from cardshop_auditor.storage import open_store
    batch = json.loads((tmp_path / "out" / "batch.json").read_text("utf-8"))
    ids = {s["id"] for s in batch["shops"]}
    assert len(ids) == len(urls) == 2 * COPIES
    store = open_store(db)
    scans = store.batch_scans(batch["batch_id"], with_report=True)
    assert sorted(s.shop_id for s in scans) == sorted(ids)
    for scan in scans:
        assert scan.report["schema_version"] == 1 and scan.status == "complete" and scan.score is not None
        assert scan.report_dir and scan.worker in ("w0", "w1", "w2")

    # …and audited once: one "stored" line per shop over all workers, the killed one included
    stored = Counter(sid for w in workers for sid in w.stored())
    assert set(stored) == ids and set(stored.values()) == {1}, stored.most_common(3)

    # the shops the dead worker held were handed out again and finished by the others
    held_ids = {t.split(":", 1)[1] for t in held_at_kill}
    assert held_ids and all(s.worker != "w0" for s in scans if s.shop_id in held_ids)
    survivors_log = "".join((tmp_path / f"w{i}.err").read_text() for i in (1, 2))
    assert "requeued" in survivors_log and "lease expired" not in batch_err
    assert not queue.r.llen(queue.pending) and not queue.r.llen(queue.processing("w0"))
    assert queue.done(batch["batch_id"]) == ids

    # the coordinator wrote a report per shop and the summary from the database
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    assert summary["total"] == summary["audited"] == len(ids) and summary["missing"] == 0
    for sid in ids:
        assert (tmp_path / "out" / sid / "report.html").exists()
        assert json.loads((tmp_path / "out" / sid / "report.json").read_text("utf-8"))["schema_version"] == 1
    assert time.monotonic() - killed_at < 170
