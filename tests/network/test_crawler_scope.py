"""The crawler never reaches the other network: start-page 302 and meta refresh to
127.0.0.2, and a same-site subdomain that resolves to 127.0.0.2, counted by real
listeners.  The real CLI runs (``--browser never``); ``--allow-network`` opens the door."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from netfixtures import OTHER_IP, SHOP_HOST, SUB_HOST, HostileShop, Listener, rules

CLI = [str(Path(sys.executable).with_name("cardshop-audit"))]
if not Path(CLI[0]).exists():
    CLI = [sys.executable, "-m", "cardshop_auditor.cli"]


@pytest.fixture(scope="module")
def net():
    """The shop on 127.0.0.1:P, listeners on 127.0.0.2:P and on 127.0.0.1:Q."""
    with Listener("127.0.0.1") as other_port:
        shop = HostileShop(other="", other_port_url=f"http://127.0.0.1:{other_port.port}/")
        with shop, Listener(OTHER_IP, shop.port) as other_ip:
            shop.other = f"http://{OTHER_IP}:{shop.port}/"
            yield shop, other_ip, other_port


def scan(url: str, out: Path, *extra: str) -> tuple[subprocess.CompletedProcess, dict]:
    env = dict(os.environ, CARDSHOP_HOST_RESOLVER_RULES=rules())
    run = subprocess.run(CLI + ["scan", url, "--out", str(out), "--browser", "never", "--timeout", "3",
                                *extra], env=env, capture_output=True, text=True, timeout=120)
    report = json.loads((out / "report.json").read_text("utf-8"))
    return run, report


@pytest.mark.parametrize("path", ["/redirect", "/refresh"])
def test_start_page_redirect_to_the_other_network_is_refused(net, tmp_path, path):
    shop, other_ip, other_port = net
    before = len(other_ip.hits)
    run, report = scan(shop.url(path), tmp_path / "out")
    assert len(other_ip.hits) == before, other_ip.hits
    assert run.returncode == 3, run.stderr
    assert "Traceback" not in run.stderr
    line = run.stderr.strip().splitlines()[-1]
    assert "could not be audited" in line and "refused_address" in line and "127.0.0.2" in line
    assert "redirected to" in line
    assert report["status"] == "failed" and report["score"] is None
    from cardshop_auditor.reasons import explain                    # the report page explains it in plain words
    assert explain(report["reason"]).known, report["reason"]
    refused = report["gather"]["network"]["refused"]
    assert refused and refused[0]["ip"] == OTHER_IP and refused[0]["redirect"] is True
    assert refused[0]["reason"] == "loopback address"
    assert report["pages"][0]["url"] == shop.url(path)        # the page asked for, not the hop


def test_same_site_subdomain_on_the_other_network_is_refused(net, tmp_path):
    shop, other_ip, other_port = net
    before = len(other_ip.hits)
    url = shop.url("/subdomain", host=SHOP_HOST)
    run, report = scan(url, tmp_path / "out")
    assert len(other_ip.hits) == before, other_ip.hits
    assert run.returncode == 0, run.stderr
    refused = report["gather"]["network"]["refused"]
    assert {r["host"] for r in refused} == {SUB_HOST}
    assert {r["ip"] for r in refused} == {OTHER_IP}
    assert report["gather"]["network"]["refused_count"] == 2
    fetched = {p["url"] for p in report["pages"]}
    assert not any(SUB_HOST in u for u in fetched)
    assert report["gather"]["network"]["policy"]["start_ips"] == ["127.0.0.1"]
    assert other_port.hits == []


def test_allow_network_lets_the_audit_reach_the_other_listener(net, tmp_path):
    shop, other_ip, other_port = net
    before = len(other_ip.hits)
    run, report = scan(shop.url("/redirect"), tmp_path / "out", "--allow-network", "127.0.0.0/8")
    assert run.returncode == 0, run.stderr
    reached = other_ip.hits[before:]
    assert "GET /start" in reached
    assert report["final_url"] == f"http://{OTHER_IP}:{shop.port}/start"
    assert report["gather"]["network"]["refused"] == []


def test_bad_allow_network_is_a_usage_error(tmp_path):
    run = subprocess.run(CLI + ["scan", "http://127.0.0.1:9/", "--out", str(tmp_path / "o"),
                                "--allow-network", "intranet"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "not a network" in run.stderr
