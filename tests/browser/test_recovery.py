"""A browser that stops answering must not stall a batch, and a browser driven from a
worker thread is closed (or, if its thread forgot, killed) without leaking processes.

The hang is simulated deterministically: the Playwright driver is SIGSTOPped just before
the context close, so the close waits forever exactly as it intermittently does on the
hostile "trap" page (dialog and popup floods)."""
from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from cardshop_auditor.artifacts import Page, ShopArtifacts, ShopMeta
from cardshop_auditor.browser import manager, stage
from cardshop_auditor.browser.manager import close_browser, get_browser, pool
from cardshop_auditor.browser.session import ShopSession
from cardshop_auditor.options import AuditOptions

pytestmark = pytest.mark.browser


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


def _tree(driver: int) -> list[int]:
    return [driver] + [pid for pid, _ in manager.descendants(driver)]


def _wait_gone(pids: list[int], seconds: float = 5.0) -> list[int]:
    end = time.monotonic() + seconds
    while any(_alive(p) for p in pids) and time.monotonic() < end:
        time.sleep(0.1)
    return [p for p in pids if _alive(p)]


def test_a_hung_context_close_is_bounded_and_the_next_shop_gets_a_new_browser(shops, tmp_path, monkeypatch):
    monkeypatch.setattr(stage, "CLOSE_GRACE", 1.0)
    monkeypatch.setattr(stage, "KILL_AFTER", 1.0)
    get_browser()
    driver = pool()._slot().driver_pid
    old = _tree(driver)
    assert len(old) > 2, old                                  # driver + Chromium processes
    real_close = ShopSession.close
    closing: list[float] = []

    def hung_close(self):
        os.kill(driver, signal.SIGSTOP)                       # the driver stops answering
        started = time.monotonic()
        real_close(self)                                      # blocks until the tree is killed
        closing.append(time.monotonic() - started)

    monkeypatch.setattr(ShopSession, "close", hung_close)
    url = shops.url("compliant_platform")
    artifacts = ShopArtifacts(meta=ShopMeta(target=url, final_url=url),
                              pages=[Page(url=url, final_url=url, status=200, html="<p>x</p>")])
    target = SimpleNamespace(url=url, out_dir=Path(tmp_path), username=None, password=None)
    stage.run_browser_stage(artifacts, target, AuditOptions(browser_time_budget=8, timeout=5), log=None)
    b = artifacts.meta.browser
    assert closing and closing[0] < 1.0 + 1.0 + 4.0, closing  # grace + kill delay + a loaded machine
    assert any("killed" in n for n in b["notes"]), b["notes"]
    assert b["seconds"] > 0 and "refund_entry" in b            # the stage still ended in a result
    assert _wait_gone(old) == [], "the hung browser's processes survived"

    monkeypatch.setattr(ShopSession, "close", real_close)
    fresh = get_browser()                                      # the next shop: a new browser
    assert pool()._slot().driver_pid != driver and not pool()._slot().dead
    session = ShopSession(fresh, url, AuditOptions())
    try:
        session.goto(url)
        assert session.page.evaluate("1 + 1") == 2
    finally:
        session.close()


def test_a_worker_thread_browser_is_closed_or_reaped(shops):
    """The batch's browser lane drives Chromium from one worker thread and calls
    close_browser() at its end; a thread that forgets is reaped (killed) by the pool."""
    url = shops.url("compliant_platform")
    trees: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def worker(name: str, close: bool) -> None:
        try:
            session = ShopSession(get_browser(), url, AuditOptions())
            session.goto(url)
            assert session.snapshot().controls
            session.close()
            trees[name] = _tree(pool()._slot().driver_pid)
            if close:
                close_browser()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    closer = threading.Thread(target=worker, args=("closer", True))
    closer.start()
    closer.join(60)
    assert not errors, errors
    assert _wait_gone(trees["closer"]) == [], "close_browser() in the worker left processes"
    assert closer.ident not in pool()._live

    forgetful = threading.Thread(target=worker, args=("forgetful", False))
    forgetful.start()
    forgetful.join(60)
    assert not errors, errors
    assert any(_alive(p) for p in trees["forgetful"])
    assert pool().reap() == 1                                  # its thread is gone: killed
    assert _wait_gone(trees["forgetful"]) == []
    assert forgetful.ident not in pool()._live
