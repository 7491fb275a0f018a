"""A TOML batch file's defaults and per-shop options reach the engine's workers: each shop's
language, limits and order number travel in its task, its password only as the *name* of a
credential the worker resolves from its own --credentials file and environment.  Tasks are
still untrusted: a named credential is only typed into the sites the worker's file lists,
and a task that names a path, a variable or carries a password is dead-lettered with its
reason.  Real redis-server; workers run in this process with a recording audit."""
from __future__ import annotations

import json

import pytest

from engine_helpers import dead_letter_queue, emptied_redis_db

from cardshop_auditor.engine.broker import EngineSettings, chunk_message, make_broker
from cardshop_auditor.engine.worker import WorkerConfig, run_worker

pytestmark = pytest.mark.services

PASSWORD = "Yk#toml-pw-84d1 密"
USER = "buyer-7c21"
ORDER = "MM20250324213015778"


@pytest.fixture
def broker_url(redis_server):
    return emptied_redis_db(redis_server, 8)


class RecordingAudit:
    """Stands where pipeline.audit_shops is: records each call's targets and options."""

    def __init__(self):
        self.calls: list[tuple[list, object]] = []

    def __call__(self, targets, options, log=None, on_result=None):
        from batch_helpers_scale import fake_report
        from cardshop_auditor.pipeline import AuditResult
        self.calls.append((list(targets), options))
        for t in targets:
            t.out_dir.mkdir(parents=True, exist_ok=True)
            on_result(AuditResult(t, fake_report(t.url), {}))

    def by_url(self) -> dict[str, tuple]:
        return {t.url: (t, options) for targets, options in self.calls for t in targets}


def write_batch(tmp_path, extra_shop: str = "") -> object:
    path = tmp_path / "shops.toml"
    path.write_text(f'''
[defaults]
max_pages = 12
browser = "never"

[[shop]]
url = "http://127.0.0.1:9/"
label = "登录店"
username = "{USER}"
password_env = "SHOP_A_PW"
lang = "en"
time_budget = 30

[[shop]]
url = "http://127.0.0.1:10/"
label = "查单店"
order_no = "{ORDER}"
max_pages = 7
{extra_shop}''', "utf-8")
    return path


def write_credentials(tmp_path, sites=("127.0.0.1:9",)) -> object:
    path = tmp_path / "worker-credentials.toml"
    path.write_text(f'[SHOP_A_PW]\nusername = "{USER}"\nsites = {json.dumps(list(sites))}\n', "utf-8")
    path.chmod(0o600)
    return path


def work(broker_url, db, out, audit, **kw) -> list[str]:
    cfg = WorkerConfig(broker_url=broker_url, db=db, out_dir=out, worker_id="w-opts", threads=1, idle_exit=1.0,
                       settings=EngineSettings(min_backoff=0.1, max_backoff=0.5, heartbeat_timeout=5),
                       allow_networks=["127.0.0.1/32"], **kw)
    lines: list[str] = []
    run_worker(cfg, log=lines.append, audit=audit)
    return lines


def enqueue_file(broker_url, db, path, out) -> str:
    from cardshop_auditor.batch_input import read_batch_file
    from cardshop_auditor.engine.coordinator import run_distributed_batch
    from cardshop_auditor.options import AuditOptions
    shops = read_batch_file(path, resolve=False).shops
    run_distributed_batch(shops, out, AuditOptions(max_pages=20), broker_url=broker_url, db=db, wait=False,
                          progress=False)
    return json.loads((out / "batch.json").read_text("utf-8"))["batch_id"]


def test_per_shop_options_order_number_and_named_credentials_reach_the_workers_audit(broker_url, tmp_path,
                                                                                      monkeypatch):
    import redis
    db = f"sqlite:///{tmp_path / 'h.db'}"
    monkeypatch.delenv("SHOP_A_PW", raising=False)       # the coordinator's machine has no password
    batch_id = enqueue_file(broker_url, db, write_batch(tmp_path), tmp_path / "coordinator")
    blob = b"\n".join(redis.Redis.from_url(broker_url).dump(k) or b"" for k in redis.Redis.from_url(broker_url).keys("*"))
    for text in (PASSWORD, USER, str(tmp_path)):
        assert text.encode("utf-8") not in blob, text

    monkeypatch.setenv("SHOP_A_PW", PASSWORD)             # the worker's does
    audit = RecordingAudit()
    lines = work(broker_url, db, tmp_path / "out", audit, credentials=write_credentials(tmp_path))
    seen = audit.by_url()
    login, login_options = seen["http://127.0.0.1:9/"]
    order, order_options = seen["http://127.0.0.1:10/"]
    assert (login.username, login.password, login.order_no) == (USER, PASSWORD, None)
    assert (login_options.lang, login_options.max_pages, login_options.shop_time_budget) == ("en", 12, 30)
    assert (order.username, order.password, order.order_no) == (None, None, ORDER)
    assert (order_options.lang, order_options.max_pages, order_options.shop_time_budget) == ("zh", 7, 60.0)
    assert login_options.browser == order_options.browser == "never"
    assert len(audit.calls) == 2                          # different options: audited apart
    from cardshop_auditor.storage import open_store
    assert {s.shop_id for s in open_store(db).batch_scans(batch_id)} == \
        {json.loads((tmp_path / "coordinator" / "batch.json").read_text("utf-8"))["shops"][i]["id"] for i in (0, 1)}
    assert not any(PASSWORD in ln or USER in ln for ln in lines)


def test_a_named_credential_is_typed_only_into_the_sites_the_workers_file_lists(broker_url, tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path / 'h.db'}"
    batch_id = enqueue_file(broker_url, db, write_batch(tmp_path), tmp_path / "coordinator")
    monkeypatch.setenv("SHOP_A_PW", PASSWORD)
    audit = RecordingAudit()
    work(broker_url, db, tmp_path / "out", audit, credentials=write_credentials(tmp_path, sites=["shop.example.cn"]))
    assert list(audit.by_url()) == ["http://127.0.0.1:10/"]
    from cardshop_auditor.storage import deadletters, open_store
    (reason,) = deadletters.for_batch(open_store(db), batch_id).values()
    assert "does not allow on the task's site" in reason and PASSWORD not in reason


def test_the_coordinator_refuses_per_shop_options_its_workers_would_refuse(broker_url, tmp_path):
    import redis
    from cardshop_auditor.errors import UsageError
    path = write_batch(tmp_path, extra_shop='\n[[shop]]\nurl = "http://127.0.0.1:11/"\nmax_pages = 100000\n')
    with pytest.raises(UsageError, match=r"shop http://127.0.0.1:11/: payload field options.max_pages: out of bounds"):
        enqueue_file(broker_url, f"sqlite:///{tmp_path / 'h.db'}", path, tmp_path / "coordinator")
    assert not redis.Redis.from_url(broker_url).keys("*")


CRAFTED = {
    "path-in-options": {"url": "http://127.0.0.1:9/", "options": {"storage_state": "/etc/cardshop/state.json"}},
    "program-in-options": {"url": "http://127.0.0.1:9/", "options": {"browser_path": "/tmp/evil.sh"}},
    "password-field": {"url": "http://127.0.0.1:9/", "password": PASSWORD},
    "password-in-ref": {"url": "http://127.0.0.1:9/", "credential_ref": {"name": "SHOP_A_PW", "password": PASSWORD}},
    "variable-in-ref": {"url": "http://127.0.0.1:9/", "credential_ref": {"password_env": "CARDSHOP_QUEUE_SECRET"}},
    "file-in-ref": {"url": "http://127.0.0.1:9/", "credential_ref": {"password_file": "/etc/shadow"}},
    "path-as-name": {"url": "http://127.0.0.1:9/", "credential_ref": {"name": "../../etc/shadow"}},
    "unknown-name": {"url": "http://127.0.0.1:9/", "credential_ref": {"name": "HOME"}},
    "path-as-order": {"url": "http://127.0.0.1:9/", "order_no": "../../etc/passwd"},
    "bad-lang": {"url": "http://127.0.0.1:9/", "options": {"lang": "fr"}},
    "unbounded": {"url": "http://127.0.0.1:9/", "options": {"timeout": 1e9}},
}


def test_tasks_that_name_a_path_or_carry_a_password_are_dead_lettered_and_the_worker_goes_on(broker_url, tmp_path,
                                                                                            monkeypatch):
    from cardshop_auditor.storage import deadletters, open_store
    db = f"sqlite:///{tmp_path / 'h.db'}"
    open_store(db).ensure_batch("b1", options={"browser": "never"})
    monkeypatch.setenv("SHOP_A_PW", PASSWORD)
    tasks = [(shop, json.dumps(payload, ensure_ascii=False), None) for shop, payload in CRAFTED.items()]
    tasks.append(("good", json.dumps({"url": "http://127.0.0.1:9/", "credential_ref": {"name": "SHOP_A_PW"},
                                      "options": {"lang": "en"}}), None))
    broker = make_broker(broker_url)
    broker.enqueue(chunk_message("b1", tasks))
    broker.close()
    audit = RecordingAudit()
    lines = work(broker_url, db, tmp_path / "out", audit, credentials=write_credentials(tmp_path))
    ((target,), options), = audit.calls
    assert (target.id, target.password, options.lang) == ("good", PASSWORD, "en")
    reasons = deadletters.for_batch(open_store(db), "b1")
    assert set(reasons) == set(CRAFTED)
    assert "fields outside the schema: storage_state" in reasons["path-in-options"]
    assert "carries a credential field (password)" in reasons["password-field"]
    assert "does not have" in reasons["unknown-name"]
    assert "out of bounds" in reasons["unbounded"]
    text = "\n".join(lines + list(reasons.values()))
    for secret in (PASSWORD, "/etc/shadow", "/etc/cardshop", "../../etc"):
        assert secret not in text, secret
    assert not dead_letter_queue(__import__("redis").Redis.from_url(broker_url))   # the message itself was ours
