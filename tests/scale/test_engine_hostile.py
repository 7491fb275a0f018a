"""The task engine's messages are untrusted input: crafted messages written straight into a
real redis-server (as anyone with access to it could) never touch a file outside the
worker's output directory, never choose a program, a local file or a network, never stop
the worker, and end as dead letters with a reason of our own (Dramatiq's dead-letter
queue, and a ``dead_letters`` row for a shop of a registered batch).  Workers here run in
this process (``run_worker`` with an injected audit) against a real broker."""
from __future__ import annotations

import json
import threading

import pytest

from engine_helpers import (dead_letter_queue, emptied_redis_db, plant_sentinels, push_raw, raw_message, scrape_metrics,
                            snapshot, stored_audit)

from cardshop_auditor.engine.broker import EngineSettings, chunk_message, make_broker
from cardshop_auditor.engine.worker import WorkerConfig, run_worker
from cardshop_auditor.queue_signing import sign
from cardshop_auditor.queue_tasks import MAX_CHUNK

pytestmark = pytest.mark.services

SECRET = "Yk#hunter2-秘密-7f3a9c"          # a password somebody put in a task payload
SECRET_USER = "ops-admin-5d1e"
GOOD = '{"url":"http://127.0.0.1:9/","label":"正常的店"}'


@pytest.fixture
def broker_url(redis_server):
    return emptied_redis_db(redis_server, 5)


@pytest.fixture
def db(tmp_path):
    from cardshop_auditor.storage import open_store
    url = f"sqlite:///{tmp_path / 'state' / 'history.db'}"
    (tmp_path / "state").mkdir()
    store = open_store(url)
    for batch_id in ("b1", "b2", "bsym"):                    # what coordinators registered
        store.ensure_batch(batch_id, options={"browser": "never", "max_pages": 5})
    return url


class RecordingAudit:
    """The pipeline's place: records what it was asked to do and writes a report into
    each target's directory (the worker's own write)."""

    def __init__(self, fail_first: int = 0, error: str = "boom"):
        self.targets, self.options, self.calls = [], [], 0
        self.fail_first, self.error = fail_first, error

    def __call__(self, targets, options, log=None, on_result=None):
        self.calls += 1
        self.options.append(options)
        if self.calls <= self.fail_first:
            raise RuntimeError(self.error.format(password=targets[0].password))
        targets = list(targets)
        self.targets.extend(targets)
        stored_audit(targets, options, on_result=on_result)


def work(broker_url, db, out, audit, *, idle=1.0, **kw) -> tuple[int, list[str]]:
    """Run a worker in this process until it has been idle for ``idle`` seconds."""
    kw.setdefault("allow_networks", ["127.0.0.1/32"])
    settings = kw.pop("settings", EngineSettings(min_backoff=0.1, max_backoff=0.5, heartbeat_timeout=5))
    cfg = WorkerConfig(broker_url=broker_url, db=db, out_dir=out, worker_id="w-test", threads=2, idle_exit=idle,
                       settings=settings, browser_path="/usr/bin/chromium", **kw)
    lines: list[str] = []
    stored = run_worker(cfg, log=lines.append, audit=audit)
    return stored, lines


def send(broker_url, batch_id, tasks) -> None:
    broker = make_broker(broker_url)
    broker.enqueue(chunk_message(batch_id, tasks))
    broker.close()


def dead(db, batch_id) -> dict[str, str]:
    from cardshop_auditor.storage import deadletters, open_store
    return deadletters.for_batch(open_store(db), batch_id)


def test_crafted_messages_are_dead_lettered_and_the_worker_goes_on(broker_url, db, tmp_path):
    import redis
    client = redis.Redis.from_url(broker_url)
    out = tmp_path / "work" / "out"
    out.mkdir(parents=True)
    sentinels = plant_sentinels(tmp_path)
    (tmp_path / "linked-victim").mkdir()
    (tmp_path / "linked-victim" / "keep.txt").write_text("链接目标", "utf-8")
    (out / "bsym").symlink_to(tmp_path / "linked-victim", target_is_directory=True)
    before = snapshot(tmp_path, out, tmp_path / "state")
    port = int(broker_url.rsplit(":", 1)[1].split("/")[0])

    shops = {                                                   # one chunk: each dies alone
        "../../victim": GOOD, "..": GOOD, ".": GOOD, "ok\x00../../victim": GOOD, "ok\n../victim": GOOD,
        str(tmp_path / "abs-victim"): GOOD, "a" * 300: GOOD,
        "bad-json": '{"url": "http://127.0.0.1:9/", ',
        "not-an-object": "[1, 2, 3]",
        "wrong-types": '{"url": 12345, "label": ["x"]}',
        "file-url": '{"url": "file:///etc/passwd"}',
        "javascript-url": '{"url": "javascript:alert(1)"}',
        "huge": json.dumps({"url": "http://127.0.0.1:9/", "label": "x" * (1024 * 1024)}),
        "plaintext-password": json.dumps({"url": "http://127.0.0.1:9/", "username": SECRET_USER,
                                          "password": SECRET}),
        "cred-elsewhere": '{"url": "http://127.0.0.1:9/", "credential_ref": "intranet.example:443"}',
        "at-the-broker": json.dumps({"url": f"http://127.0.0.1:{port}/"}),
        "lone-surrogate": '{"url": "http://127.0.0.1:9/", "label": "\\udc80 晨曦"}',
        "valid-1": GOOD,
    }
    messages = [
        raw_message(["b1", [[k, v, None] for k, v in shops.items()][:64]]),
        raw_message(["bsym", [["shop-via-symlink", GOOD, None]]]),      # valid ids, but out/bsym leaves out/
        raw_message(["bnone", [["s1", GOOD, None]]]),                    # no coordinator started it
        raw_message(["..", [["s1", GOOD, None]]]),
        raw_message(["b1"]), raw_message("b1"), raw_message(["b1", []]),
        raw_message(["b1", [["s", GOOD, None]] * (MAX_CHUNK + 1)]),
        raw_message(["b1", [["s1", GOOD, None]]], kwargs={"path": "/etc"}),
        raw_message(["b1", [["s1", GOOD, None]]], actor="eval"),
        raw_message(["b1", [["valid-2", GOOD, None]]],                  # Dramatiq options steer nothing
                    options={"pipe_target": {"actor_name": "eval"}, "max_retries": 10**9, "eta": 2**62,
                             "time_limit": 1, "retries": -5}),
        b"\xff\xfe garbage", b"[]", b'{"args": 1}', b"null",
    ]
    for data in messages:
        push_raw(client, data)
    client.rpush("cardshop:cardshop-audit", "no-such-message")          # an id with no message
    send(broker_url, "b2", [("valid-3", GOOD, None)])

    audit = RecordingAudit()
    stored, lines = work(broker_url, db, out, audit)
    print("\n".join(lines))
    assert stored == 3, lines                                 # no crash, every valid one
    assert sorted(t.id for t in audit.targets) == ["valid-1", "valid-2", "valid-3"]
    for t, opts in zip(audit.targets, audit.options):
        assert t.out_dir.resolve().is_relative_to(out.resolve()) and t.password is None
        assert opts.browser_path == "/usr/bin/chromium" and opts.max_pages == 5     # worker's, batch's
        assert opts.storage_state is None and opts.icp_registry is None

    # nothing outside out/ changed; the symlinked directory was not emptied
    assert snapshot(tmp_path, out, tmp_path / "state") == before
    assert all((d / "keep.txt").exists() for d in sentinels)
    assert (tmp_path / "linked-victim" / "keep.txt").exists()

    # shops of a registered batch with a valid id: a row with its reason
    reasons = dead(db, "b1")
    assert "not valid JSON" in reasons["bad-json"] and "wrong type" in reasons["wrong-types"]
    assert "too large" in reasons["huge"] and "credential field" in reasons["plaintext-password"]
    assert "another site" in reasons["cred-elsewhere"] and "not valid Unicode" in reasons["lone-surrogate"]
    assert "own broker or database" in reasons["at-the-broker"]
    assert "form not allowed" in reasons["file-url"] and "form not allowed" in reasons["javascript-url"]
    assert "leave the worker's output directory" in dead(db, "bsym")["shop-via-symlink"]
    assert all(len(r) <= 300 and SECRET not in r for r in reasons.values())
    # the others were logged with their reason, and the whole messages went to the DLQ
    text = "\n".join(lines)
    for why in ("not registered", "does not decode", "another actor", "keyword arguments",
                "not [batch id, tasks]", f"1 to {MAX_CHUNK} shops", "batch id has characters"):
        assert why in text, why
    assert len(dead_letter_queue(client)) >= 9
    assert not any(SECRET in ln or SECRET_USER in ln for ln in lines)
    assert not client.llen("cardshop:cardshop-audit") and not client.hlen("cardshop:cardshop-audit.msgs")
    assert SECRET.encode() not in b"".join(client.hvals("cardshop:cardshop-audit.msgs"))


def test_only_tasks_signed_by_the_coordinator_are_audited(broker_url, db, tmp_path):
    key = "q-secret-7f3a9c1e5b2d8046"
    raw = '{"url":"http://127.0.0.1:9/"}'
    payload = json.loads(raw)
    send(broker_url, "b1", [
        ("signed", raw, sign(key, "b1", "signed", payload)),
        ("unsigned", raw, None),
        ("forged", raw, sign("another-secret-0123456789", "b1", "forged", payload)),
        ("tampered", '{"url":"http://127.0.0.1:10/"}', sign(key, "b1", "tampered", payload)),
        ("replayed", raw, sign(key, "b2", "replayed", payload)),          # signed for another batch
        ("odd-signature", raw, ["not", "text"]),
    ])
    audit = RecordingAudit()
    stored, lines = work(broker_url, db, tmp_path / "out", audit, queue_secret=key)
    assert stored == 1 and [t.id for t in audit.targets] == ["signed"]
    reasons = dead(db, "b1")
    assert "unsigned task" in reasons["unsigned"]
    for shop in ("forged", "tampered", "replayed", "odd-signature"):
        assert "bad task signature" in reasons[shop], (shop, reasons[shop])


def test_without_a_secret_the_worker_warns_once(broker_url, db, tmp_path):
    stored, lines = work(broker_url, db, tmp_path / "out", RecordingAudit(), idle=0.3)
    assert stored == 0 and sum("no queue secret" in ln for ln in lines) == 1


def test_a_failed_audit_is_retried_with_backoff_then_dead_lettered_without_the_password(broker_url, db, tmp_path):
    auth = tmp_path / "auth.json"
    auth.write_text(json.dumps({"127.0.0.1:9": {"username": SECRET_USER, "password": SECRET}}), "utf-8")
    send(broker_url, "b1", [("s1", '{"url":"http://127.0.0.1:9/","credential_ref":"site"}', None)])
    audit = RecordingAudit(fail_first=99, error='fill("{password}") timed out')   # quotes the password
    stored, lines = work(broker_url, db, tmp_path / "out", audit, auth=auth,
                         settings=EngineSettings(max_attempts=3, min_backoff=0.1, max_backoff=0.3))
    assert stored == 0 and audit.calls == 3                       # three attempts, then given up
    reason = dead(db, "b1")["s1"]
    assert reason.startswith("failed 3 time(s)") and "timed out" in reason and SECRET not in reason
    assert not any(SECRET in ln for ln in lines)


def test_a_retry_after_a_failure_stores_the_shop_and_clears_nothing_else(broker_url, db, tmp_path):
    send(broker_url, "b1", [("s1", GOOD, None), ("s2", '{"url":"http://127.0.0.1:10/"}', None)])
    audit = RecordingAudit(fail_first=1)
    stored, _ = work(broker_url, db, tmp_path / "out", audit)
    # the chunk failed once as a whole, then each shop alone: each stored once, no dead letter
    assert stored == 2 and sorted(t.id for t in audit.targets) == ["s1", "s2"] and dead(db, "b1") == {}


def test_a_shop_stored_before_its_worker_died_is_not_audited_again(broker_url, db, tmp_path):
    from batch_helpers_scale import fake_report
    from cardshop_auditor.storage import open_store
    open_store(db).record(fake_report("http://127.0.0.1:9/"), batch_id="b1", shop_id="stored")
    send(broker_url, "b1", [("stored", GOOD, None), ("fresh", '{"url":"http://127.0.0.1:10/"}', None)])
    audit = RecordingAudit()
    stored, lines = work(broker_url, db, tmp_path / "out", audit)
    assert stored == 1 and [t.id for t in audit.targets] == ["fresh"]
    assert any("already stored" in ln for ln in lines)
    assert open_store(db).count_batch("b1") == 2


def test_credentials_come_from_the_workers_own_auth_file_for_the_tasks_site_only(broker_url, db, tmp_path):
    auth = tmp_path / "auth.json"
    auth.write_text(json.dumps({"127.0.0.1:9": {"username": SECRET_USER, "password": SECRET}}), "utf-8")
    send(broker_url, "b1", [("mine", '{"url":"http://127.0.0.1:9/","credential_ref":"site"}', None),
                            ("other-port", '{"url":"http://127.0.0.1:10/","credential_ref":"site"}', None)])
    audit = RecordingAudit()
    stored, _ = work(broker_url, db, tmp_path / "out", audit, auth=auth)
    assert stored == 1
    (target,) = audit.targets
    assert (target.id, target.username, target.password) == ("mine", SECRET_USER, SECRET)
    assert "no entry for its site" in dead(db, "b1")["other-port"]


def test_a_task_cannot_point_a_worker_at_another_network(broker_url, db, tmp_path, monkeypatch):
    """A queued URL's own address earns no exception: loopback beyond the worker's
    --allow-network, private, link-local, metadata and IPv6 local addresses, directly or
    through a name, are dead-lettered before anything connects."""
    from cardshop_auditor import netpolicy
    monkeypatch.setenv(netpolicy.RULES_ENV, "MAP shop.internal.test 127.0.0.2, MAP meta.test 169.254.169.254")
    netpolicy.reset_resolver()
    urls = {"loopback-other": "http://127.0.0.2:8080/", "metadata": "http://169.254.169.254/latest/meta-data/",
            "lan": "http://10.0.0.1/", "rfc1918": "http://192.168.1.1/", "ipv6-loopback": "http://[::1]:8080/",
            "mapped": "http://[::ffff:127.0.0.2]/", "by-name": "http://shop.internal.test:8080/",
            "metadata-by-name": "http://meta.test/", "allowed": "http://127.0.0.1:9/"}
    try:
        send(broker_url, "b1", [(shop, json.dumps({"url": url}), None) for shop, url in urls.items()])
        audit = RecordingAudit()
        stored, _ = work(broker_url, db, tmp_path / "out", audit)
    finally:
        netpolicy.reset_resolver()
    assert stored == 1 and [t.id for t in audit.targets] == ["allowed"]
    reasons = dead(db, "b1")
    assert set(reasons) == set(urls) - {"allowed"}
    assert all("workers audit only public addresses" in r for r in reasons.values()), reasons
    assert audit.options[0].allow_networks == ["127.0.0.1/32"] and audit.options[0].insecure_login is False


def test_a_coordinator_puts_neither_passwords_nor_local_paths_on_the_broker(broker_url, tmp_path, capsys):
    import redis

    from cardshop_auditor.batch import BatchShop, shop_id_for
    from cardshop_auditor.engine.coordinator import run_distributed_batch
    from cardshop_auditor.options import AuditOptions
    from cardshop_auditor.queue_tasks import parse_task
    shops = [BatchShop(url="http://127.0.0.1:9/", label="带\u202e控制符\n的店", username=SECRET_USER,
                       password=SECRET, id=shop_id_for("http://127.0.0.1:9/", SECRET_USER)),
             BatchShop(url="http://127.0.0.1:10/", id=shop_id_for("http://127.0.0.1:10/"))]
    options = AuditOptions(browser_path="/opt/my-chromium", storage_state=str(tmp_path / "state.json"),
                           icp_registry=str(tmp_path / "icp.csv"), username=SECRET_USER, password=SECRET,
                           max_pages=7, allow_networks=["10.0.0.0/8"])
    run_distributed_batch(shops, tmp_path / "out", options, broker_url=broker_url,
                          db=f"sqlite:///{tmp_path / 'h.db'}", wait=False, progress=False)
    err = capsys.readouterr().err
    assert "not sent to workers (each worker sets its own): browser_path, storage_state, icp_registry, " \
           "allow_networks" in err and SECRET not in err
    client = redis.Redis.from_url(broker_url)
    blob = b"\n".join(client.dump(k) or b"" for k in client.keys("*"))
    for text in (SECRET, SECRET_USER, "/opt/my-chromium", str(tmp_path), "10.0.0.0/8"):
        assert text.encode("utf-8") not in blob, text
    (data,) = client.hvals("cardshop:cardshop-audit.msgs")
    batch_id, tasks = json.loads(data)["args"]
    for shop_id, raw, _sig in tasks:                      # what it put there is what a worker accepts
        task = parse_task(f"{batch_id}:{shop_id}", raw)
        assert task.url in (shops[0].url, shops[1].url) and "\u202e" not in task.label
    assert parse_task(f"{batch_id}:{tasks[0][0]}", tasks[0][1]).credential_ref == "site"


def test_a_coordinator_refuses_options_its_workers_would_refuse(broker_url, tmp_path):
    import redis

    from cardshop_auditor.batch import BatchShop
    from cardshop_auditor.cli import UsageError
    from cardshop_auditor.engine.coordinator import run_distributed_batch
    from cardshop_auditor.options import AuditOptions
    with pytest.raises(UsageError, match="max_pages: out of bounds"):
        run_distributed_batch([BatchShop(url="http://127.0.0.1:9/", id="s1")], tmp_path / "out",
                              AuditOptions(max_pages=100_000), broker_url=broker_url,
                              db=f"sqlite:///{tmp_path / 'h.db'}", wait=False, progress=False)
    assert not redis.Redis.from_url(broker_url).keys("*")


def test_prometheus_metrics_answer_on_loopback(broker_url, db, tmp_path):
    send(broker_url, "b1", [("s1", GOOD, None), ("bad", "[]", None)])
    found: dict[str, str] = {}
    audit = RecordingAudit()

    def scrape_during_audit(targets, options, log=None, on_result=None):
        found["before"] = scrape_metrics(lines)
        return audit(targets, options, log=log, on_result=on_result)

    lines: list[str] = []
    cfg = WorkerConfig(broker_url=broker_url, db=db, out_dir=tmp_path / "out", threads=1, idle_exit=1.0,
                       allow_networks=["127.0.0.1/32"], metrics_port=0)
    assert run_worker(cfg, log=lines.append, audit=scrape_during_audit) == 1
    text = found["before"]                     # scraped while the chunk's good shop was audited
    assert 'dramatiq_messages_inprogress{actor_name="audit_chunk",queue_name="cardshop-audit"} 1.0' in text
    assert 'cardshop_dead_letters_total{reason="payload field"} 1.0' in text     # its bad chunk-mate


def test_a_shop_that_breaks_its_chunks_audit_is_charged_alone(broker_url, db, tmp_path):
    def audit(targets, options, log=None, on_result=None):
        if any(t.id == "poison" for t in targets):
            raise ValueError("choked on a shop")
        RecordingAudit()(targets, options, on_result=on_result)

    send(broker_url, "b1", [("innocent-1", GOOD, None), ("poison", GOOD, None),
                            ("innocent-2", '{"url":"http://127.0.0.1:10/"}', None)])
    stored, _ = work(broker_url, db, tmp_path / "out", audit)
    assert stored == 2
    assert set(dead(db, "b1")) == {"poison"} and "choked on a shop" in dead(db, "b1")["poison"]


def test_a_database_outage_is_retried_with_backoff_and_the_shop_stored(broker_url, postgres_server, tmp_path):
    """The database refuses every connection (ALLOW_CONNECTIONS false, its sessions ended)
    while a chunk is being stored; the chunk is retried with backoff and stored once it is
    back."""
    import psycopg
    db = postgres_server.create_database("outage")
    name = db.rsplit("/", 1)[1]
    from cardshop_auditor.storage import open_store
    open_store(db).ensure_batch("b1", options={"browser": "never"})
    admin = f"host=127.0.0.1 port={postgres_server.port} user={postgres_server.SUPERUSER} dbname=postgres"

    def set_allowed(allowed: bool) -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}')
            if not allowed:
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))

    recording = RecordingAudit()

    def audit(targets, options, log=None, on_result=None):
        if recording.calls == 0:                       # the database goes away mid-chunk…
            set_allowed(False)
            threading.Timer(2.0, set_allowed, (True,)).start()     # …and comes back 2 s later
        recording(targets, options, on_result=on_result)

    send(broker_url, "b1", [("s1", GOOD, None)])
    try:
        stored, lines = work(broker_url, db, tmp_path / "out", audit, idle=2.0,
                             settings=EngineSettings(min_backoff=0.2, max_backoff=1.0))
    finally:
        set_allowed(True)
    assert stored == 1 and open_store(db).count_batch("b1") == 1, lines
    assert recording.calls >= 2 and dead(db, "b1") == {}
