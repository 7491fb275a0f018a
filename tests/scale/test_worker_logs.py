"""`cardshop-audit worker --log-format json -v`: every line the worker writes on stderr is one
JSON object — its own lines, Dramatiq's loggers (debug records included at -v), the audit's
forwarded progress, a rejected message's error — and no line carries a credential value,
even when a crafted task puts the password on the queue (Dramatiq's debug line quotes the
message).  `-q` keeps only warnings and errors.  Real redis-server, a real audit (static
crawl child) of a loopback address nothing answers on."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from engine_helpers import ROOT, emptied_redis_db, push_raw, raw_message

from cardshop_auditor.engine.broker import chunk_message, make_broker

pytestmark = [pytest.mark.services, pytest.mark.slow]

PASSWORD = "Wk#log-secret-5e0b 密码"
USER = "ops-buyer-93fd"


@pytest.fixture
def broker_url(redis_server):
    return emptied_redis_db(redis_server, 10)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_worker_cli(tmp_path, broker_url, db, *flags) -> subprocess.CompletedProcess:
    creds = tmp_path / "creds.toml"
    creds.write_text(f'[SHOP_PW]\nusername = "{USER}"\nsites = ["127.0.0.1"]\n', "utf-8")
    creds.chmod(0o600)
    env = dict(os.environ, SHOP_PW=PASSWORD)
    env.pop("CARDSHOP_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "cardshop_auditor", "worker", "--broker", broker_url, "--db", db,
                           "--out", str(tmp_path / "out"), "--credentials", str(creds), "--idle-exit", "3",
                           "--threads", "1", "--worker-id", "w-logs", "--allow-network", "127.0.0.1/32", *flags],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def enqueue(broker_url, db, url: str) -> None:
    import redis
    from cardshop_auditor.storage import open_store
    open_store(db).ensure_batch("blogs", options={"browser": "never", "max_pages": 2, "timeout": 2,
                                                  "shop_time_budget": 10})
    broker = make_broker(broker_url)
    broker.enqueue(chunk_message("blogs", [
        ("good", json.dumps({"url": url, "label": "日志店", "credential_ref": {"name": "SHOP_PW"}}), None),
        ("leaky", json.dumps({"url": url, "password": PASSWORD}, ensure_ascii=False), None)]))
    broker.close()
    client = redis.Redis.from_url(broker_url)
    push_raw(client, raw_message(["blogs", []], actor="not_ours"))        # the consumer dead-letters it
    push_raw(client, raw_message("not a list"))                            # the actor rejects it


def test_every_worker_line_is_json_and_none_carries_a_credential(broker_url, tmp_path):
    db = f"sqlite:///{tmp_path / 'h.db'}"
    enqueue(broker_url, db, f"http://127.0.0.1:{closed_port()}/")
    done = run_worker_cli(tmp_path, broker_url, db, "--log-format", "json", "-v")
    assert done.returncode == 0, done.stderr[-3000:]
    records = []
    for line in done.stderr.splitlines():
        record = json.loads(line)                       # every line: one JSON object, nothing else
        assert {"time", "level", "logger", "message"} <= set(record), line
        records.append(record)
    loggers = {r["logger"] for r in records}
    assert any(name.startswith("dramatiq.") for name in loggers), loggers
    assert any(r["logger"].startswith("dramatiq.") and r["level"] == "debug" for r in records)
    assert any(r["logger"] == "cardshop_auditor.engine.audit" and "not audited" in r["message"]
               for r in records)                        # the audit's progress, forwarded
    assert any(r["logger"] == "cardshop_auditor.engine.worker" and r.get("worker") == "w-logs"
               and "started: broker" in r["message"] for r in records)
    assert any(r["level"] == "warning" and "dead-lettered" in r["message"] and "credential field" in r["message"]
               for r in records)
    assert any(r["logger"].startswith("dramatiq.") and "expected exception TaskRejected" in r["message"]
               for r in records)                        # "not a list", rejected by the actor
    # the crafted task put the password on the queue and Dramatiq's debug line quotes the
    # message: it is there, masked
    quoted = [r["message"] for r in records if "leaky" in r["message"] and r["logger"].startswith("dramatiq.")]
    assert quoted and all("***" in m for m in quoted), quoted[:2]
    for text in (done.stderr, done.stdout):
        for secret in (PASSWORD, USER, json.dumps(PASSWORD)[1:-1]):
            assert secret not in text, secret
    assert done.stdout.startswith("stored blogs good ")


def test_quiet_keeps_warnings_and_errors_only(broker_url, tmp_path):
    db = f"sqlite:///{tmp_path / 'h.db'}"
    enqueue(broker_url, db, f"http://127.0.0.1:{closed_port()}/")
    done = run_worker_cli(tmp_path, broker_url, db, "--log-format", "json", "-q")
    assert done.returncode == 0, done.stderr[-3000:]
    records = [json.loads(line) for line in done.stderr.splitlines()]
    assert {r["level"] for r in records} <= {"warning", "error"}, records[:5]
    assert any("dead-lettered" in r["message"] for r in records)       # what operations must see stays
    assert PASSWORD not in done.stderr
