"""The queue is untrusted input: crafted messages written straight into a real redis-server
(as anyone with access to it could) never touch a file outside the worker's output
directory, never choose a program or a local file, never crash the worker, end in the
dead-letter list with a reason of our own, and leave no secret anywhere in Redis."""
from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path

import pytest

from cardshop_auditor.queue import Queue, WorkerConfig, run_distributed_batch, run_worker
from cardshop_auditor.queue_tasks import TaskRejected, contained_dir, parse_batch_options, parse_task

pytestmark = pytest.mark.services

SECRET = "Yk#hunter2-秘密-7f3a9c"          # a password somebody put in a task payload
SECRET_USER = "ops-admin-5d1e"


@pytest.fixture
def queue(redis_server):
    return Queue(redis_server.url, prefix=f"h{uuid.uuid4().hex[:8]}:")


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
    """Directories a crafted id might reach from out = tmp/work/out: tmp/work/victim (../..
    from out/<batch>/<shop>), tmp/victim, an absolute path, and what a symlink points to."""
    sentinels = []
    for rel in ("work/victim", "victim", "abs-victim", "linked-victim", "work/out-sibling"):
        d = tmp_path / rel
        (d / "deep").mkdir(parents=True)
        (d / "keep.txt").write_text("不要删除 " + rel, "utf-8")
        (d / "deep" / "evidence.png").write_bytes(b"\x89PNG sentinel " + rel.encode())
        sentinels.append(d)
    return sentinels


def all_redis_text(queue: Queue) -> list[bytes]:
    """Every key of this test's prefix and every value in it, read by type, plus the DUMP
    of each key: what an attacker reading Redis would see."""
    import redis
    raw = redis.Redis.from_url(queue.url)
    out: list[bytes] = []
    for key in raw.scan_iter(match=queue.prefix.encode() + b"*", count=500):
        out.append(key)
        kind = raw.type(key).decode()
        if kind == "string":
            out.append(raw.get(key))
        elif kind == "hash":
            for k, v in raw.hgetall(key).items():
                out += [k, v]
        elif kind == "list":
            out += raw.lrange(key, 0, -1)
        elif kind == "set":
            out += list(raw.smembers(key))
        elif kind == "zset":
            out += raw.zrange(key, 0, -1)
        dumped = raw.dump(key)
        if dumped:
            out.append(dumped)
    return out


def craft(queue: Queue, task_id: str, payload, *, push: bool = True) -> None:
    """What an attacker does: a task record and its id on the pending list, raw."""
    batch, _, shop = task_id.partition(":")
    if payload is not None:
        queue.r.hset(queue.task_key(task_id), mapping={
            "payload": payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False),
            "batch": batch, "shop": shop, "attempts": 0, "claims": 0})
    if push:
        queue.r.rpush(queue.pending, task_id)


class RecordingAudit:
    """The pipeline's place: records what it was asked to do and writes a report into
    each target's directory (the worker's own write)."""

    def __init__(self):
        self.targets, self.options = [], []

    def __call__(self, targets, options, log=None, on_result=None):
        from cardshop_auditor.pipeline import AuditResult
        from batch_helpers_scale import fake_report
        self.options.append(options)
        for t in targets:
            self.targets.append(t)
            t.out_dir.mkdir(parents=True, exist_ok=True)
            (t.out_dir / "report.json").write_text(json.dumps(fake_report(t.url)), "utf-8")
            on_result(AuditResult(t, fake_report(t.url), {}))


def test_crafted_messages_are_dead_lettered_and_the_worker_goes_on(queue, tmp_path):
    out = tmp_path / "work" / "out"
    out.mkdir(parents=True)
    sentinels = plant_sentinels(tmp_path)
    (out / "bsym").symlink_to(tmp_path / "linked-victim", target_is_directory=True)
    state = tmp_path / "state"                               # the worker's database
    state.mkdir()
    before = snapshot(tmp_path, out, state)

    good = {"url": "http://127.0.0.1:9/", "label": "正常的店"}
    queue.put_batch("b1", {"browser": "never", "max_pages": 5}, 3, None)
    # the attacker's batch options: a program to run, local files, a database, credentials
    queue.r.hset(queue.prefix + "batch:b2", "options", json.dumps({
        "browser": "always", "browser_path": "/bin/sh", "storage_state": "/etc/shadow",
        "icp_registry": "/etc/passwd", "db": "sqlite:////tmp/evil.db", "out_dir": "/",
        "username": SECRET_USER, "password": SECRET, "max_pages": 3}))
    queue.r.hset(queue.prefix + "batch:bjunk", "options", '{"password": "%s", ' % SECRET)   # not JSON
    queue.r.hset(queue.prefix + "batch:bhuge", "options", json.dumps({"max_pages": 10 ** 9, "password": SECRET}))

    crafted = {
        "b1:../../victim": good,                            # traversal in the shop id
        "..:victim": good,                                  # traversal in the batch id
        "../../victim:s1": good,
        f"b1:{tmp_path / 'abs-victim'}": good,              # absolute path
        f"{tmp_path / 'abs-victim'}:s1": good,
        "b1:ok\x00../../victim": good,                      # NUL
        "b1:ok\n../victim": good,                           # newline
        "b1:.": good, "b1:..": good, "b1:": good, ":s1": good,
        "no-colon-at-all": good,
        "b1:" + "a" * 300: good,                            # too long for an id
        "bsym:shop-via-symlink": good,                      # valid ids, but out/bsym leaves out/
        "b1:bad-json": "{\"url\": \"http://127.0.0.1:9/\", ",
        "b1:not-an-object": "[1, 2, 3]",
        "b1:wrong-types": {"url": 12345, "label": ["x"]},
        "b1:file-url": {"url": "file:///etc/passwd"},
        "b1:javascript-url": {"url": "javascript:alert(1)"},
        "b1:huge": {"url": "http://127.0.0.1:9/", "label": "x" * (10 * 1024 * 1024)},
        "b1:plaintext-password": {"url": "http://127.0.0.1:9/", "username": SECRET_USER, "password": SECRET},
        "b1:cred-elsewhere": {"url": "http://127.0.0.1:9/", "credential_ref": "intranet.example:443"},
        "b1:ctrl-label": {"url": "http://127.0.0.1:9/", "label": "a\u202eb"},
        "bjunk:s1": good,                                   # its batch options are not JSON
        "bhuge:s1": good,                                   # its batch options out of bounds
        "bnone:s1": good,                                   # a batch no coordinator started
    }
    craft(queue, "b1:valid-1", good)
    for task_id, payload in crafted.items():
        craft(queue, task_id, payload)
    craft(queue, "b1:valid-2", good)
    craft(queue, "b2:valid-3", good)                        # runs, without the attacker's options
    queue.r.rpush(queue.pending, "b1:no-record")            # an id with no task record
    queue.r.rpush(queue.pending, "z" * (10 * 1024 * 1024))  # a 10 MB "id"
    queue.r.set(queue.task_key("b1:string-record"), SECRET)  # a record of the wrong type
    queue.r.rpush(queue.pending, "b1:string-record")

    from cardshop_auditor.storage import open_store
    db = f"sqlite:///{state / 'history.db'}"
    for batch_id in ("b1", "b2", "bjunk", "bhuge", "bsym"):   # what coordinators registered
        open_store(db).ensure_batch(batch_id)
    audit = RecordingAudit()
    cfg = WorkerConfig(redis_url=queue.url, db=db, out_dir=out,
                       worker_id="w-hostile", chunk=4, lease=30, idle_exit=0.5, poll=0.05,
                       browser_path="/usr/bin/chromium", allow_networks=["127.0.0.1/32"], prefix=queue.prefix)
    lines: list[str] = []
    stored = run_worker(cfg, log=lines.append, audit=audit)
    print("\n".join(lines))
    assert stored == 3                                       # no crash, every valid one

    # the valid tasks ran, each in its own directory under out/, with the worker's options
    assert sorted(t.id for t in audit.targets) == ["valid-1", "valid-2", "valid-3"]
    for t in audit.targets:
        assert t.out_dir.resolve().is_relative_to(out.resolve()) and t.password is None
    for opts in audit.options:
        assert opts.browser_path == "/usr/bin/chromium"
        assert opts.storage_state is None and opts.icp_registry is None
        assert opts.username is None and opts.password is None
    b2 = [o for o, t in zip(audit.options, audit.targets) if t.id == "valid-3"]
    assert b2 and b2[0].browser == "always" and b2[0].max_pages == 3    # allowed options still apply
    assert any("browser_path ignored" in ln for ln in lines)
    assert any("storage_state ignored" in ln for ln in lines)
    assert any("option db ignored" in ln for ln in lines)

    # nothing outside out/ changed; the symlinked directory was not emptied
    assert snapshot(tmp_path, out, state) == before
    for d in sentinels:
        assert (d / "keep.txt").exists() and (d / "deep" / "evidence.png").exists()

    # every crafted task is a dead letter with a reason; nothing is left in flight
    letters = queue.dead_letters(limit=1000)
    reasons = {d["task"]: d["reason"] for d in letters}
    assert all(d["status"] == "dead" and d["reason"] for d in letters)
    expected = [t for t in crafted if len(t) <= 257] + ["b1:no-record", "b1:string-record"]
    for task_id in expected:
        assert task_id in reasons, task_id
    assert "<10485760 bytes>" in reasons and reasons["<10485760 bytes>"] == "task id too long"
    assert "leave the worker's output directory" in reasons["bsym:shop-via-symlink"]
    assert "not valid JSON" in reasons["b1:bad-json"]
    assert "wrong type" in reasons["b1:wrong-types"]
    assert "too large" in reasons["b1:huge"]
    assert "credential field" in reasons["b1:plaintext-password"]
    assert "another site" in reasons["b1:cred-elsewhere"]
    assert "batch options is not valid JSON" in reasons["bjunk:s1"]
    assert "out of bounds" in reasons["bhuge:s1"]
    for refused in ("bjunk", "bhuge"):      # its text was replaced, and stays refused for every worker
        with pytest.raises(TaskRejected, match="not a JSON object"):
            parse_batch_options(queue.batch_options_raw(refused))
    assert "not registered" in reasons["bnone:s1"]
    assert all(len(r) <= 300 for r in reasons.values())
    assert queue.dead("b1")["plaintext-password"] == reasons["b1:plaintext-password"]
    assert not queue.r.llen(queue.pending) and not queue.r.llen(queue.processing("w-hostile"))
    assert queue.done("b1") == {"valid-1", "valid-2"} and queue.done("b2") == {"valid-3"}

    # ended tasks keep no payload: no task records at all are left
    assert not list(queue.r.scan_iter(match=queue.prefix + "task:*"))

    # the secrets the attacker's messages carried (a password and user in a payload and in
    # batch options, a password as a record) are gone from Redis
    blob = b"\n".join(all_redis_text(queue))
    for secret in (SECRET, SECRET_USER):
        assert secret.encode("utf-8") not in blob
    assert "秘密".encode("utf-8") not in blob
    assert not any(SECRET in ln or SECRET_USER in ln for ln in lines)


def test_a_coordinator_puts_neither_passwords_nor_local_paths_on_the_queue(queue, tmp_path, capsys):
    from cardshop_auditor.batch import BatchShop, shop_id_for
    from cardshop_auditor.options import AuditOptions
    shops = [BatchShop(url="http://127.0.0.1:9/", label="带\u202e控制符\n的店", username=SECRET_USER,
                       password=SECRET, id=shop_id_for("http://127.0.0.1:9/", SECRET_USER)),
             BatchShop(url="http://127.0.0.1:10/", id=shop_id_for("http://127.0.0.1:10/"))]
    options = AuditOptions(browser_path="/opt/my-chromium", storage_state=str(tmp_path / "state.json"),
                           icp_registry=str(tmp_path / "icp.csv"), username=SECRET_USER, password=SECRET,
                           max_pages=7, allow_networks=["10.0.0.0/8"])
    run_distributed_batch(shops, tmp_path / "out", options, redis_url=queue.url,
                          db=f"sqlite:///{tmp_path / 'h.db'}", wait=False, progress=False, prefix=queue.prefix)
    err = capsys.readouterr().err
    assert "not sent to workers (each worker sets its own): browser_path, storage_state, icp_registry, " \
           "allow_networks" in err and SECRET not in err
    blob = b"\n".join(all_redis_text(queue))
    for text in (SECRET, SECRET_USER, "/opt/my-chromium", str(tmp_path), "10.0.0.0/8"):
        assert text.encode("utf-8") not in blob, text
    (batch_key,) = queue.r.scan_iter(match=queue.prefix + "batch:*")
    assert json.loads(queue.r.hget(batch_key, "options"))["max_pages"] == 7
    # …and what it did put there is what a worker accepts
    batch_id = batch_key[len(queue.prefix + "batch:"):]
    assert parse_batch_options(queue.r.hget(batch_key, "options"))[1] == []
    for shop in shops:
        task = parse_task(f"{batch_id}:{shop.id}", queue.r.hget(queue.task_key(f"{batch_id}:{shop.id}"), "payload"))
        assert task.url == shop.url
    logged_in = parse_task(f"{batch_id}:{shops[0].id}",
                           queue.r.hget(queue.task_key(f"{batch_id}:{shops[0].id}"), "payload"))
    assert logged_in.credential_ref == "site" and "\u202e" not in logged_in.label


def test_credentials_come_from_the_workers_own_auth_file_for_the_tasks_site_only(queue, tmp_path):
    auth = tmp_path / "auth.json"
    auth.write_text(json.dumps({"127.0.0.1:9": {"username": SECRET_USER, "password": SECRET}}), "utf-8")
    queue.put_batch("b1", {"browser": "never"}, 2, None)
    craft(queue, "b1:mine", {"url": "http://127.0.0.1:9/", "credential_ref": "site"})
    craft(queue, "b1:other-port", {"url": "http://127.0.0.1:10/", "credential_ref": "site"})
    from cardshop_auditor.storage import open_store
    open_store(f"sqlite:///{tmp_path / 'h.db'}").ensure_batch("b1")
    audit = RecordingAudit()
    cfg = WorkerConfig(redis_url=queue.url, db=f"sqlite:///{tmp_path / 'h.db'}", out_dir=tmp_path / "out",
                       worker_id="w-auth", idle_exit=0.5, poll=0.05, auth=auth, allow_networks=["127.0.0.1/32"],
                       prefix=queue.prefix)
    assert run_worker(cfg, log=lambda m: None, audit=audit) == 1
    (target,) = audit.targets
    assert (target.id, target.username, target.password) == ("mine", SECRET_USER, SECRET)
    assert "no entry for its site" in queue.dead("b1")["other-port"]
    blob = b"\n".join(all_redis_text(queue))
    assert SECRET.encode() not in blob and SECRET_USER.encode() not in blob


def test_a_failed_audit_dead_letters_without_the_password_in_its_reason(queue, tmp_path):
    auth = tmp_path / "auth.json"
    auth.write_text(json.dumps({"127.0.0.1": {"username": "u", "password": SECRET}}), "utf-8")
    queue.put_batch("b1", {}, 1, None)
    craft(queue, "b1:s1", {"url": "http://127.0.0.1:9/", "credential_ref": "site"})

    def audit(targets, options, log=None, on_result=None):     # a library error quoting the password
        raise RuntimeError(f'fill("{targets[0].password}") timed out')

    from cardshop_auditor.storage import open_store
    open_store(f"sqlite:///{tmp_path / 'h.db'}").ensure_batch("b1")

    cfg = WorkerConfig(redis_url=queue.url, db=f"sqlite:///{tmp_path / 'h.db'}", out_dir=tmp_path / "out",
                       worker_id="w-fail", idle_exit=0.5, poll=0.05, max_attempts=1, auth=auth,
                       allow_networks=["127.0.0.1/32"], prefix=queue.prefix)
    lines: list[str] = []
    assert run_worker(cfg, log=lines.append, audit=audit) == 0
    assert "timed out" in queue.dead("b1")["s1"]
    assert SECRET.encode() not in b"\n".join(all_redis_text(queue))
    assert not any(SECRET in ln for ln in lines)


def test_contained_dir_refuses_every_way_out(tmp_path):
    root = tmp_path / "out"
    root.mkdir()
    (root / "link").symlink_to(tmp_path, target_is_directory=True)
    assert contained_dir(root, "b1", "shop-1") == (root / "b1" / "shop-1").resolve()
    for parts in [("..",), ("b1", ".."), ("/etc",), ("b1", "a/b"), ("link", "x"), ("b1", "x\x00"), ("",)]:
        with pytest.raises(TaskRejected):
            contained_dir(root, *parts)


def test_credential_ref_forms(tmp_path):
    from cardshop_auditor.queue_tasks import QueueTask, resolve_credentials
    url = "http://127.0.0.1:9/"
    for ref in ("site", "127.0.0.1", "127.0.0.1:9", {"auth": True}, {"auth": True, "username": "u1"}):
        task = parse_task("b1:s1", json.dumps({"url": url, "credential_ref": ref}))
        assert task.credential_ref == "site" or task.credential_ref in ("127.0.0.1", "127.0.0.1:9")
    refused = {"other-host.example": "another site", "127.0.0.1:10": "another site",
               json.dumps({"auth": True, "password_env": "HOME"}): "credential field",
               json.dumps({"auth": True, "password": SECRET}): "credential field",
               json.dumps({"auth": False}): "not the allowed value", "../etc/passwd": "form not allowed",
               "5": "not one of the allowed forms"}
    for ref, why in refused.items():
        value = json.loads(ref) if ref[0] in "{5" else ref
        with pytest.raises(TaskRejected, match=why) as caught:
            parse_task("b1:s1", json.dumps({"url": url, "credential_ref": value}))
        assert SECRET not in str(caught.value)
    # the user a task names must be the one the worker's own entry has
    auth = tmp_path / "auth.json"
    auth.write_text(json.dumps({"127.0.0.1:9": {"username": "u1", "password": SECRET}}), "utf-8")
    assert resolve_credentials(QueueTask("b1", "s1", url, "", "site", "u1"), auth) == ("u1", SECRET)
    with pytest.raises(TaskRejected, match="another user"):
        resolve_credentials(QueueTask("b1", "s1", url, "", "site", "someone-else"), auth)


def test_a_task_cannot_point_a_worker_at_another_network(queue, tmp_path, monkeypatch):
    """Unlike `scan URL`, a queued URL's own address earns no exception: loopback beyond
    the worker's --allow-network, private, link-local, metadata and IPv6 local addresses,
    directly or through a name, are dead-lettered before anything connects."""
    from cardshop_auditor import netpolicy
    from cardshop_auditor.storage import open_store
    monkeypatch.setenv(netpolicy.RULES_ENV, "MAP shop.internal.test 127.0.0.2, MAP meta.test 169.254.169.254")
    netpolicy.reset_resolver()
    try:
        db = f"sqlite:///{tmp_path / 'h.db'}"
        open_store(db).ensure_batch("b1")
        queue.r.hset(queue.prefix + "batch:b1", "options", json.dumps(   # written by an attacker
            {"browser": "never", "allow_networks": ["0.0.0.0/0"], "insecure_login": True}))
        urls = {"loopback-other": "http://127.0.0.2:8080/", "redis": "http://127.0.0.1:6379/",
                "metadata": "http://169.254.169.254/latest/meta-data/", "lan": "http://10.0.0.1/",
                "rfc1918": "http://192.168.1.1/", "ipv6-loopback": "http://[::1]:8080/",
                "mapped": "http://[::ffff:127.0.0.2]/", "by-name": "http://shop.internal.test:8080/",
                "metadata-by-name": "http://meta.test/", "allowed": "http://127.0.0.1:9/"}
        for shop, url in urls.items():
            craft(queue, f"b1:{shop}", {"url": url})
        audit = RecordingAudit()
        cfg = WorkerConfig(redis_url=queue.url, db=db, out_dir=tmp_path / "out", worker_id="w-net", idle_exit=0.5,
                           poll=0.05, allow_networks=["127.0.0.1/32"], prefix=queue.prefix)
        lines: list[str] = []
        assert run_worker(cfg, log=lines.append, audit=audit) == 2
    finally:
        netpolicy.reset_resolver()
    # 127.0.0.1 is the worker's own --allow-network (any port: the operator's choice)
    assert sorted(t.id for t in audit.targets) == ["allowed", "redis"]
    dead = queue.dead("b1")
    assert set(dead) == set(urls) - {"allowed", "redis"}
    assert all("workers audit only public addresses" in r for r in dead.values()), dead
    assert "metadata" in dead["metadata-by-name"] and "loopback" in dead["by-name"]
    # the batch's attempt to widen the network scope was ignored, and logged
    assert audit.options[0].allow_networks == ["127.0.0.1/32"] and audit.options[0].insecure_login is False
    assert any("allow_networks ignored" in ln for ln in lines) and any("insecure_login ignored" in ln for ln in lines)


def test_garbage_in_the_queue_keys_stops_neither_workers_nor_the_coordinator(queue, tmp_path):
    """Keys of the wrong type where the reaper, the stats and the summary look."""
    from cardshop_auditor.storage import open_store
    db = f"sqlite:///{tmp_path / 'h.db'}"
    open_store(db).ensure_batch("b1")
    queue.put_batch("b1", {"browser": "never"}, 1, None)
    queue.r.sadd(queue.workers, "ghost", "ghost2\n../x")
    queue.r.set(queue.processing("ghost"), "not a list")              # the reaper reads this
    queue.r.hset(queue.processing("ghost2\n../x"), "a", "b")
    queue.r.hset(queue.prefix + "dead:b1", "old-shop", "x" * 100_000)  # a huge "reason"
    craft(queue, "b1:valid", {"url": "http://127.0.0.1:9/"})
    audit = RecordingAudit()
    cfg = WorkerConfig(redis_url=queue.url, db=db, out_dir=tmp_path / "out", worker_id="w-g", idle_exit=0.5,
                       poll=0.05, allow_networks=["127.0.0.1/32"], prefix=queue.prefix)
    lines: list[str] = []
    assert run_worker(cfg, log=lines.append, audit=audit) == 1
    assert not any(ln.startswith("error") for ln in lines), lines
    assert queue.stats()["processing"] == 0 and len(queue.dead("b1")["old-shop"]) == 300
    queue.r.set(queue.prefix + "dead:b2", "not a hash")
    assert queue.dead("b2") == {}


def test_a_coordinator_refuses_options_its_workers_would_refuse(queue, tmp_path):
    from cardshop_auditor.batch import BatchShop
    from cardshop_auditor.errors import UsageError
    from cardshop_auditor.options import AuditOptions
    with pytest.raises(UsageError, match="max_pages: out of bounds"):
        run_distributed_batch([BatchShop(url="http://127.0.0.1:9/", id="s1")], tmp_path / "out",
                              AuditOptions(max_pages=100_000), redis_url=queue.url,
                              db=f"sqlite:///{tmp_path / 'h.db'}", wait=False, progress=False, prefix=queue.prefix)
    assert not list(queue.r.scan_iter(match=queue.prefix + "*"))
