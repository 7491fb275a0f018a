"""What a worker accepts from a message, checked without a broker (auditor/queue_tasks.py):
directories that stay inside the output directory, credential references that name only
the task's own site, and the worker's own broker and database never a task's target."""
from __future__ import annotations

import json

import pytest

from cardshop_auditor.queue_tasks import (QueueTask, TaskRejected, check_start_address, contained_dir, parse_task,
                                          resolve_credentials, service_endpoints)

SECRET = "Yk#hunter2-秘密-7f3a9c"


def test_contained_dir_refuses_every_way_out(tmp_path):
    root = tmp_path / "out"
    root.mkdir()
    (root / "link").symlink_to(tmp_path, target_is_directory=True)
    assert contained_dir(root, "b1", "shop-1") == (root / "b1" / "shop-1").resolve()
    for parts in [("..",), ("b1", ".."), ("/etc",), ("b1", "a/b"), ("link", "x"), ("b1", "x\x00"), ("",)]:
        with pytest.raises(TaskRejected):
            contained_dir(root, *parts)


def test_credential_ref_forms(tmp_path):
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
    auth = tmp_path / "auth.json"          # the user a task names must be the worker's own entry's
    auth.write_text(json.dumps({"127.0.0.1:9": {"username": "u1", "password": SECRET}}), "utf-8")
    assert resolve_credentials(QueueTask("b1", "s1", url, "", "site", "u1"), auth) == ("u1", SECRET)
    with pytest.raises(TaskRejected, match="another user"):
        resolve_credentials(QueueTask("b1", "s1", url, "", "site", "someone-else"), auth)


def test_the_broker_and_database_endpoints_are_refused_whatever_allow_network_says():
    endpoints = service_endpoints(["redis://127.0.0.1:6390/0", "postgresql://u:p@127.0.0.1:5544/history",
                                   "sqlite:////tmp/x.db"])
    assert len(endpoints) == 2
    for url in ("http://127.0.0.1:5544/", "https://127.0.0.3:6390/", "http://[::1]:5544/"):
        with pytest.raises(TaskRejected, match="own broker or database"):
            check_start_address(url, ["127.0.0.0/8", "::1/128"], endpoints)
    # another port of the same machine stays a matter of --allow-network
    assert check_start_address("http://127.0.0.1:8080/", ["127.0.0.0/8"], endpoints)[1] == ("127.0.0.1",)


def test_a_worker_back_from_a_cut_off_is_not_idle_before_its_consumers_can_reconnect():
    """Dramatiq's consumers wait CONSUMER_RESTART_DELAY before reconnecting: a worker whose
    broker just came back must not count that wait as idle time (--idle-exit)."""
    import time
    from cardshop_auditor.engine.worker import CONSUMER_RESTART, _Activity
    activity = _Activity()
    activity.touch(CONSUMER_RESTART)             # what the main loop does while the broker is away
    assert activity.idle_for() == 0.0
    activity.last = time.monotonic() - 2.0       # two seconds after the last activity
    assert 1.9 < activity.idle_for() < 10.0
    assert CONSUMER_RESTART > 3.0                # Dramatiq's default restart delay is 3 s
