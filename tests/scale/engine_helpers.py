"""Helpers of the task-engine tests: CLI subprocesses, and what Dramatiq keeps in Redis."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NS, QUEUE = "cardshop", "cardshop-audit"


def wait_for(predicate, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def emptied_redis_db(redis_server, number: int) -> str:
    """Database ``number`` of the session's redis-server, flushed: a module's own, so a worker
    another module left behind never reads its queue."""
    import redis
    url = redis_server.url.rsplit("/", 1)[0] + f"/{number}"
    redis.Redis.from_url(url).flushdb()
    return url


def stored_audit(targets, options, log=None, on_result=None) -> None:
    """In pipeline.audit_shops' place: a fake report written into each target's directory (the
    worker's own write) and handed on."""
    from batch_helpers_scale import fake_report
    from cardshop_auditor.pipeline import AuditResult
    for t in targets:
        t.out_dir.mkdir(parents=True, exist_ok=True)
        report = fake_report(t.url)
        (t.out_dir / "report.json").write_text(json.dumps(report), "utf-8")
        on_result(AuditResult(t, report, {}))


@contextmanager
def worker_thread(cfg, audit, log=lambda m: None):
    """``run_worker(cfg)`` in a thread of this process for the block, stopped and joined after it."""
    from cardshop_auditor.engine.worker import run_worker
    stop = threading.Event()
    thread = threading.Thread(target=lambda: run_worker(cfg, log=log, audit=audit, stop=stop))
    thread.start()
    try:
        yield thread
    finally:
        stop.set()
        thread.join(60)


def scrape_metrics(lines: list[str]) -> str:
    """The worker's Prometheus page, on the port its "metrics on" log line names."""
    port = int(next(ln for ln in lines if "metrics on" in ln).rsplit(":", 1)[1].split("/")[0])
    return urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()


def broker_batch_summary(tmp_path: Path, broker_url: str, db: str) -> str:
    """A coordinator (`batch --broker`, one unreachable shop) run to its end: its summary line."""
    (tmp_path / "urls.txt").write_text("http://127.0.0.1:9/ 一号店\n", "utf-8")
    done = subprocess.run([sys.executable, "-m", "cardshop_auditor", "batch", str(tmp_path / "urls.txt"),
                           "--out", str(tmp_path / "out"), "--broker", broker_url, "--db", db,
                           "--no-progress", "--wait-timeout", "90"],
                          cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return next(ln for ln in done.stderr.splitlines() if "shop(s) audited" in ln)


class Proc:
    """A CLI subprocess in its own session; stdout lines collected by a thread."""

    def __init__(self, *args, stderr_path, env=None):
        self.stderr_path = stderr_path
        self.stderr = open(stderr_path, "w")
        self.p = subprocess.Popen([sys.executable, "-m", "cardshop_auditor", *map(str, args)], cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=self.stderr, text=True, start_new_session=True,
                                  env=env)
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for line in self.p.stdout:
            self.lines.append(line.rstrip("\n"))

    def stored(self) -> list[str]:
        return [ln.split()[2] for ln in list(self.lines) if ln.startswith("stored ")]

    def log(self) -> str:
        if not self.stderr.closed:
            self.stderr.flush()
        with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def broker_id(self) -> str | None:
        for line in self.log().splitlines():
            if "started: broker" in line and "(as " in line:
                return line.split("(as ", 1)[1].split(")", 1)[0]
        return None

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


def held_by(client, broker_id: str) -> list[str]:
    """Shop ids of the messages a worker fetched and has not acked yet."""
    rids = client.smembers(f"{NS}:__acks__.{broker_id}.{QUEUE}")
    shops = []
    for data in client.hmget(f"{NS}:{QUEUE}.msgs", list(rids)) if rids else []:
        # a crafted message an earlier test left in the queue (crafted_messages) is held too,
        # and names no shop
        try:
            message = json.loads(data) if data else None
        except ValueError:
            continue
        args = message.get("args") if isinstance(message, dict) else None
        if isinstance(args, list) and len(args) > 1 and isinstance(args[1], list):
            shops += [t[0] for t in args[1] if isinstance(t, list) and t]
    return shops


def raw_message(args, *, actor: str = "audit_chunk", options: dict | None = None, kwargs=None) -> bytes:
    """A message as anyone with access to Redis could write it."""
    return json.dumps({"queue_name": QUEUE, "actor_name": actor, "args": args, "kwargs": kwargs or {},
                       "options": options or {}, "message_id": str(uuid.uuid4()),
                       "message_timestamp": int(time.time() * 1000)}).encode()


def push_raw(client, data: bytes, rid: str | None = None, front: bool = False) -> str:
    """Put ``data`` on the queue the way Dramatiq's enqueue does (hash + list)."""
    rid = rid or str(uuid.uuid4())
    try:                                      # give it a broker id, as Dramatiq's enqueue does
        fields = json.loads(data)
        fields["options"].setdefault("redis_message_id", rid)
        data = json.dumps(fields).encode()
    except (ValueError, KeyError, TypeError, AttributeError):
        pass
    client.hset(f"{NS}:{QUEUE}.msgs", rid, data)
    (client.lpush if front else client.rpush)(f"{NS}:{QUEUE}", rid)
    return rid


def dead_letter_queue(client) -> list[bytes]:
    return [v for v in client.hvals(f"{NS}:{QUEUE}.XQ.msgs")]


def snapshot(root: Path, *skip: Path) -> dict[str, str]:
    """Every file and directory under root except those under skip: path → content hash."""
    seen = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if any(here == s or s in here.parents for s in skip):
            dirnames[:] = []
            continue
        seen[str(here)] = "dir"
        for name in filenames:
            path = here / name
            seen[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return seen


def plant_sentinels(tmp_path: Path) -> list[Path]:
    """Directories a crafted id might reach from an output dir under tmp_path: tmp/victim
    (../.. from out/<batch>/<shop>), tmp/work/victim, an absolute-looking name, a sibling."""
    sentinels = []
    for rel in ("work/victim", "victim", "abs-victim", "work/out-sibling"):
        d = tmp_path / rel
        (d / "deep").mkdir(parents=True)
        (d / "keep.txt").write_text("不要删除 " + rel, "utf-8")
        (d / "deep" / "evidence.png").write_bytes(b"\x89PNG sentinel " + rel.encode())
        sentinels.append(d)
    return sentinels


def crafted_messages(broker_port: int, batch_id: str) -> list[bytes]:
    """Messages an intruder with write access to the broker (Redis or RabbitMQ) might put there."""
    aimed = f'{{"url":"http://127.0.0.1:{broker_port}/"}}'
    return [
        b"\x00not a message at all {{{",
        b'{"queue_name": "cardshop-audit", "actor_name": "audit_chunk"}',
        raw_message([batch_id, [["ok", aimed, None]]], actor="os_system"),
        raw_message([batch_id, [["../../victim", '{"url":"http://127.0.0.1:1/"}', None]]]),
        raw_message([batch_id, [["/abs-victim", '{"url":"http://127.0.0.1:1/"}', None]]]),
        raw_message([batch_id, [["broker-shop", aimed, None]]]),                     # at the broker
        raw_message([batch_id, [["pw", '{"url":"http://127.0.0.1:1/","password":"hunter2"}', None]]]),
        raw_message([batch_id, [["opts", '{"url":"http://127.0.0.1:1/"}', None]]],
                    options={"pipe_target": {"actor_name": "x"}, "max_retries": 10**9, "eta": 2**62}),
        raw_message(["b-forged-batch", [["s1", '{"url":"http://127.0.0.1:1/"}', None]]]),
        raw_message("not a list"),
    ]
