"""The webhook against real HTTP endpoints on 127.0.0.1: it never follows a redirect (the
listener it points to gets nothing), only 2xx counts as delivered, failures are retried
with exponential backoff within bounds, the body is capped and can be signed, and a
command whose alert failed exits 5 with one line on stderr and no secret in its output."""
from __future__ import annotations

import hmac
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from alert_endpoints import Endpoint
from cardshop_auditor.alerts import (MAX_BYTES, SIGNATURE_HEADER, TIMESTAMP_HEADER, AlertError, Webhook, cap_payload,
                            deliver, post, signature)

ROOT = Path(__file__).resolve().parents[2]
SECRET = "whsec-测试-4b9d0e7a11"


def diff_payload(n: int = 3, text: str = "本平台对已售出商品一经售出概不退款") -> dict:
    return {"schema_version": 1, "old": {"scanned_at": "2026-11-30T03:15:00+00:00", "score": 71},
            "new": {"scanned_at": "2026-12-07T03:15:00+00:00", "score": 38},
            "changes": [{"field": "clause", "change": "changed", "kind": "blanket_no_refund",
                         "old": f"第{i}条 激活后未使用可退，收取10%手续费", "new": f"第{i}条 {text}"} for i in range(n)]}


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_a_failure_and_never_followed(status):
    with Endpoint([204]) as elsewhere, Endpoint([("redirect", status, elsewhere.url)]) as hook:
        with pytest.raises(AlertError, match=f"HTTP {status}.*not followed"):
            post(Webhook(hook.url, retries=3, backoff=0.01), diff_payload())
        assert len(hook.received) == 1                    # a redirect is not retried either
    assert elsewhere.received == []                       # ZERO requests to the other listener


def test_a_500_is_retried_with_exponential_backoff_then_fails():
    # The pauses are recorded as asked and really slept; the bounds are on the pauses and on
    # the time outside them, so a loaded machine that oversleeps does not fail the test.
    pauses, slept = [], []

    def timed_sleep(seconds):
        pauses.append(seconds)
        before = time.monotonic()
        time.sleep(seconds)
        slept.append(time.monotonic() - before)

    with Endpoint([500]) as hook:
        started = time.monotonic()
        with pytest.raises(AlertError, match="HTTP 500 after 4 attempts"):
            post(Webhook(hook.url, retries=3, backoff=0.2), diff_payload(), sleep=timed_sleep)
        took = time.monotonic() - started
    gaps = [b["at"] - a["at"] for a, b in zip(hook.received, hook.received[1:])]
    assert len(hook.received) == 4 and all(r["method"] == "POST" for r in hook.received)
    assert pauses == pytest.approx([0.2, 0.4, 0.8])                  # doubled after each failure
    assert all(gap >= pause * 0.95 for gap, pause in zip(gaps, pauses)), (gaps, pauses)  # nothing sent while pausing
    assert took - sum(slept) < 1.5                                  # four attempts, no hidden waits


def test_the_time_bound_stops_retries_early():
    with Endpoint([503]) as hook:
        with pytest.raises(AlertError, match="HTTP 503 after 2 attempts"):
            post(Webhook(hook.url, retries=10, backoff=0.3, max_time=0.5), diff_payload())
    assert len(hook.received) == 2                        # 0.3 s pause fits, the next 0.6 s would not


def test_a_flaky_endpoint_succeeds_on_the_third_try():
    with Endpoint([503, 502, 204]) as hook:
        assert post(Webhook(hook.url, retries=3, backoff=0.05), diff_payload()) == 204
    assert len(hook.received) == 3
    bodies = {r["body"] for r in hook.received}
    assert len(bodies) == 1 and json.loads(bodies.pop())["new"]["score"] == 38


def test_a_client_error_is_not_retried():
    with Endpoint([404]) as hook:
        with pytest.raises(AlertError, match="HTTP 404 after 1 attempt$"):
            post(Webhook(hook.url, retries=3, backoff=0.01), diff_payload())
    assert len(hook.received) == 1


def test_a_slow_endpoint_times_out_within_the_bounds():
    with Endpoint([("slow", 3.0, 204)]) as hook:
        started = time.monotonic()
        with pytest.raises(AlertError, match="no answer in time after 2 attempts"):
            post(Webhook(hook.url, timeout=0.4, retries=1, backoff=0.1), diff_payload())
        assert time.monotonic() - started < 2.0
    assert len(hook.received) == 2


def test_a_closed_port_is_a_failure():
    with Endpoint([204]) as hook:
        url = hook.url
    with pytest.raises(AlertError, match="connection refused after 2 attempts"):
        post(Webhook(url, retries=1, backoff=0.01), diff_payload())


def test_the_signature_verifies_and_binds_body_and_time():
    with Endpoint([200]) as hook:
        post(Webhook(hook.url, secret=SECRET.encode()), diff_payload())
    (got,) = hook.received
    stamp, sig = got["headers"][TIMESTAMP_HEADER], got["headers"][SIGNATURE_HEADER]
    assert abs(int(stamp) - time.time()) < 60
    # what a receiver does: recompute over "<timestamp>." + raw body, compare in constant time
    mac = hmac.new(SECRET.encode(), f"{stamp}.".encode() + got["body"], "sha256").hexdigest()
    assert hmac.compare_digest(sig, "sha256=" + mac)
    assert not hmac.compare_digest(sig, signature(SECRET.encode(), stamp, got["body"] + b" "))
    assert not hmac.compare_digest(sig, signature(SECRET.encode(), str(int(stamp) + 1), got["body"]))
    assert not hmac.compare_digest(sig, signature(b"another secret", stamp, got["body"]))
    assert SECRET.encode() not in got["body"] and all(SECRET not in v for v in got["headers"].values())


def test_an_unsigned_alert_has_no_signature_header():
    with Endpoint([200]) as hook:
        post(Webhook(hook.url), diff_payload())
    assert SIGNATURE_HEADER not in hook.received[0]["headers"]


def test_a_huge_payload_is_capped_with_a_note():
    payload = diff_payload(3000, text="概不退款" * 40)
    assert len(json.dumps(payload, ensure_ascii=False).encode()) > 4 * MAX_BYTES
    with Endpoint([204]) as hook:
        post(Webhook(hook.url), payload)
    body = hook.received[0]["body"]
    assert len(body) <= MAX_BYTES
    data = json.loads(body)
    kept = len(data["changes"])
    assert 0 < kept < 3000 and data["truncated"]["omitted"] == 3000 - kept and data["truncated"]["total"] == 3000
    assert data["changes"] == payload["changes"][:kept] and data["new"] == payload["new"]
    # the cut is as late as it can be: one more entry would not fit
    one_more = cap_payload({**payload, "changes": payload["changes"][:kept + 1]}, MAX_BYTES)
    assert "truncated" in json.loads(one_more)
    small = cap_payload(diff_payload(2), MAX_BYTES)
    assert "truncated" not in json.loads(small)


def test_deliver_prints_one_line_and_hides_url_credentials(capsys):
    with Endpoint([500]) as hook:
        url = hook.url.replace("http://", "http://bot:tok3n-xyz@") + "?token=q-secret-1"
        assert deliver(Webhook(url, retries=0), diff_payload()) is False
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "alert not delivered" in err and "HTTP 500" in err
    assert "tok3n-xyz" not in err and "q-secret-1" not in err
    assert hook.received[0]["path"] == "/hook?token=q-secret-1"


# --------------------------------------------------------------------------- the commands


def cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "cardshop_auditor.cli", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})


@pytest.fixture
def two_reports(tmp_path):
    from batch_helpers_alerts import report
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(report(score=71, icp="粤ICP备2021088316号-1")), "utf-8")
    new.write_text(json.dumps(report(score=38, icp=None)), "utf-8")
    return old, new


def test_diff_exits_5_when_the_alert_fails_and_never_prints_the_secret(two_reports, tmp_path):
    old, new = two_reports
    with Endpoint([204]) as elsewhere, Endpoint([("redirect", 302, elsewhere.url)]) as hook:
        proc = cli("diff", old, new, "--out", tmp_path / "d", "--webhook", hook.url, "--webhook-retries", "1",
                   "--webhook-secret-env", "HOOK_SECRET", "--fail-on-change", env={"HOOK_SECRET": SECRET})
    assert proc.returncode == 5, proc.stderr                # 5 beats --fail-on-change's 1
    assert elsewhere.received == [] and len(hook.received) == 1
    lines = [ln for ln in proc.stderr.splitlines() if "alert not delivered" in ln]
    assert len(lines) == 1 and "HTTP 302" in lines[0] and "Traceback" not in proc.stderr
    assert SECRET not in proc.stderr + proc.stdout
    assert (tmp_path / "d" / "diff.json").exists()          # the audit side still completed


def test_diff_exits_normally_when_the_alert_is_delivered_signed(two_reports, tmp_path):
    old, new = two_reports
    secret_file = tmp_path / "hook.secret"
    secret_file.write_text(SECRET + "\n", "utf-8")
    with Endpoint([503, 204]) as hook:
        proc = cli("diff", old, new, "--out", tmp_path / "d", "--webhook", hook.url,
                   "--webhook-secret-file", secret_file)
    assert proc.returncode == 0, proc.stderr
    assert len(hook.received) == 2
    got = hook.received[1]
    stamp = got["headers"][TIMESTAMP_HEADER]
    assert got["headers"][SIGNATURE_HEADER] == signature(SECRET.encode(), stamp, got["body"])
    assert json.loads(got["body"])["changes"]


def test_webhook_options_are_checked_before_any_work(two_reports, tmp_path):
    old, new = two_reports
    proc = cli("diff", old, new, "--out", tmp_path / "d", "--webhook", "http://127.0.0.1:9/",
               "--webhook-secret-env", "NOT_SET_ANYWHERE_42")
    assert proc.returncode == 2 and "NOT_SET_ANYWHERE_42" in proc.stderr
    assert not (tmp_path / "d").exists()
    proc = cli("diff", old, new, "--out", tmp_path / "d", "--webhook", "file:///etc/passwd")
    assert proc.returncode == 2 and "http(s)" in proc.stderr
