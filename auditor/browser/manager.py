"""One Chromium per thread, reused across shops; one fresh context per shop.

    browser = get_browser(options)        # launched on first use, then reused
    with shop_context(browser, url, options) as ctx:   # guarded, zh-CN, closed afterwards
        page = ctx.page
    close_browser()                        # explicit; also registered with atexit

Playwright's sync API belongs to the thread that started it, so the pool keeps one
browser per thread (the CLI uses one thread: one browser per process).  Batches that
judge shops in worker threads get a bounded pool: at most ``max_browsers`` Chromium
processes at once, each worker calling ``close_browser()`` when it ends.
"""
from __future__ import annotations

import atexit
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from auditor.browser.discover import find_chromium, launch_args


@dataclass
class _Slot:
    playwright: Any = None
    browser: Any = None
    executable: str = ""
    launches: int = 0
    driver_pid: int | None = None     # the Playwright driver: Chromium runs below it


class BrowserPool:
    """At most ``max_browsers`` live Chromium processes, one per thread that asks."""

    def __init__(self, max_browsers: int | None = None):
        self.max_browsers = max_browsers or max(1, min(8, os.cpu_count() or 2))
        self._slots = threading.BoundedSemaphore(self.max_browsers)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._live: dict[int, _Slot] = {}

    # -- per thread ------------------------------------------------------------------
    def _slot(self) -> _Slot | None:
        return getattr(self._local, "slot", None)

    def browser(self, explicit_path: str | None = None, headless: bool = True):
        """The calling thread's browser, launched (or relaunched after a crash) on demand.
        Raises ``BrowserNotFound`` with the fix when no Chromium is installed."""
        slot = self._slot()
        if slot is not None and slot.browser is not None:
            if explicit_path and explicit_path != slot.executable:
                self.close()                              # another binary asked for
            elif slot.browser.is_connected():
                return slot.browser
            else:
                self.close()                              # crashed: start over
        slot = self._slot()
        executable = find_chromium(explicit_path)
        self._slots.acquire()
        try:
            from playwright.sync_api import sync_playwright
            with _LAUNCH_LOCK:                # one launch at a time: the new child is ours
                before = set(child_pids(os.getpid()))
                pw = sync_playwright().start()
                driver = next(iter(sorted(set(child_pids(os.getpid())) - before)), None)
            try:
                browser = pw.chromium.launch(executable_path=executable, headless=headless,
                                             args=launch_args(), handle_sigint=False,
                                             handle_sigterm=False, handle_sighup=False)
            except BaseException:
                pw.stop()
                raise
        except BaseException:
            self._slots.release()
            raise
        slot = _Slot(playwright=pw, browser=browser, executable=executable,
                     launches=(slot.launches if slot else 0) + 1, driver_pid=driver)
        self._local.slot = slot
        with self._lock:
            self._live[threading.get_ident()] = slot
        return browser

    def close(self) -> None:
        """Close the calling thread's browser (and its Playwright driver).  Idempotent."""
        slot = self._slot()
        if slot is None or slot.playwright is None:
            return
        try:
            if slot.browser is not None:
                try:
                    slot.browser.close()
                except Exception:
                    pass
            try:
                slot.playwright.stop()
            except Exception:
                pass
        finally:
            slot.browser = slot.playwright = None
            self._local.slot = None
            with self._lock:
                self._live.pop(threading.get_ident(), None)
            self._slots.release()

    def renderer_pids(self) -> list[int]:
        """Renderer processes of the calling thread's browser (for the hang guard)."""
        slot = self._slot()
        if slot is None or not slot.driver_pid:
            return []
        return [pid for pid, cmd in descendants(slot.driver_pid) if "--type=renderer" in cmd]

    @property
    def live(self) -> int:
        with self._lock:
            return len(self._live)


_LAUNCH_LOCK = threading.Lock()
_POOL = BrowserPool()


def get_browser(options=None):
    """The reused browser of this thread (``options.browser_path`` picks the binary)."""
    return _POOL.browser(getattr(options, "browser_path", None) if options is not None else None)


def close_browser() -> None:
    """Close this thread's browser; the next ``get_browser`` launches a new one."""
    _POOL.close()


def pool() -> BrowserPool:
    return _POOL


def _close_at_exit() -> None:
    if threading.current_thread() is threading.main_thread():
        _POOL.close()


atexit.register(_close_at_exit)


# ---- processes (Linux /proc; elsewhere these find nothing and the guard is inert) ------

def _proc_table() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return children
    for name in entries:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(name))
    return children


def child_pids(pid: int) -> list[int]:
    return _proc_table().get(pid, [])


def descendants(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of every process below ``pid``."""
    table = _proc_table()
    out, todo = [], [pid]
    while todo:
        for child in table.get(todo.pop(), []):
            try:
                with open(f"/proc/{child}/cmdline", "rb") as fh:
                    cmd = fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                cmd = ""
            out.append((child, cmd))
            todo.append(child)
    return out


class HangGuard:
    """A page script stuck in an endless loop blocks every Playwright call on that page
    forever (evaluate has no timeout).  After the hard deadline this watchdog kills the
    renderer processes of the calling thread's browser: the pending call then fails with
    "Target crashed", the stage records it, and the browser itself lives on for the next
    shop (each shop has its own context, hence its own renderers)."""

    def __init__(self, hard_deadline: float, pool_: "BrowserPool | None" = None):
        self.hard_deadline = hard_deadline
        self.fired = False
        self._pool = pool_ or _POOL
        self._driver = None
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "HangGuard":
        slot = self._pool._slot()
        self._driver = slot.driver_pid if slot else None
        if self._driver:
            self._thread = threading.Thread(target=self._watch, name="cardshop-hang-guard", daemon=True)
            self._thread.start()
        return self

    def _watch(self) -> None:
        import signal
        while not self._done.wait(0.25):
            if time.monotonic() < self.hard_deadline:
                continue
            for pid, cmd in descendants(self._driver):
                if "--type=renderer" in cmd:
                    try:
                        os.kill(pid, signal.SIGKILL)
                        self.fired = True
                    except OSError:
                        pass
            return

    def __exit__(self, *exc) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join(timeout=2)


@dataclass
class Guard:
    """What the per-shop network guard let through and what it refused."""
    allowed_hosts: set[str]
    blocked: dict[str, int] = field(default_factory=dict)   # host -> refused requests
    dialogs: list[str] = field(default_factory=list)        # alert/confirm texts, dismissed
    popups: list[str] = field(default_factory=list)         # URLs of windows that were closed
    downloads: int = 0
