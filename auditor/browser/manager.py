"""One Chromium per thread, reused across shops; one fresh context per shop.

    browser = get_browser(options)        # launched on first use, then reused
    with shop_context(browser, url, options) as ctx:   # guarded, zh-CN, closed afterwards
        page = ctx.page
    close_browser()                        # explicit; also registered with atexit

Playwright's sync API belongs to the thread that started it, so the pool keeps one
browser per thread (the CLI uses one thread: one browser per process).  Batches that
judge shops in worker threads get a bounded pool: at most ``max_browsers`` Chromium
processes at once, each worker calling ``close_browser()`` when it ends.  Nothing here
needs the main thread (no signal handlers: Playwright's are off); a thread that ends
without ``close_browser()`` has its browser killed when another thread needs the slot,
and at exit.

A sync Playwright call can hang for good (a renderer in ``while (true)``, or
``context.close()`` on a page flooding popups).  ``HangGuard`` kills the renderers past
a deadline, and past a second one the slot's whole process tree (Playwright driver +
Chromium): the hung call then raises, the slot is marked dead, and the next
``get_browser()`` starts a new browser.
"""
from __future__ import annotations

import atexit
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from cardshop_auditor.browser.discover import find_chromium, launch_plan


@dataclass
class _Slot:
    playwright: Any = None
    browser: Any = None
    executable: str = ""
    launches: int = 0
    driver_pid: int | None = None     # the Playwright driver: Chromium runs below it
    thread: Any = None                # the thread that owns it
    dead: bool = False                # its processes were killed: relaunch on next use


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
            elif not slot.dead and slot.browser.is_connected():
                return slot.browser
            else:
                self.close()                              # crashed or killed: start over
        slot = self._slot()
        executable = find_chromium(explicit_path)
        self._acquire()
        try:
            from playwright.sync_api import sync_playwright
            with _LAUNCH_LOCK:                # one launch at a time: the new child is ours
                before = set(child_pids(os.getpid()))
                manager = sync_playwright()
                pw = manager.start()
                driver = _driver_pid(manager, before)
            _quiet_driver_loss(manager)
            try:
                program, args = launch_plan(executable)    # sandboxed, guarded network
                try:
                    browser = _launch(pw, program, args, headless)
                except Exception as exc:
                    if program == executable:
                        raise
                    # the sandboxed launch failed after its probe passed: the fallback is
                    # explicit and reported (sandbox.status())
                    from cardshop_auditor.browser import sandbox
                    sandbox.launch_failed(executable, f"{type(exc).__name__}: {str(exc)[:200]}")
                    browser = _launch(pw, executable, args + ["--no-sandbox"], headless)
            except BaseException:
                pw.stop()
                raise
        except BaseException:
            self._slots.release()
            raise
        slot = _Slot(playwright=pw, browser=browser, executable=executable,
                     launches=(slot.launches if slot else 0) + 1, driver_pid=driver,
                     thread=threading.current_thread())
        self._local.slot = slot
        with self._lock:
            self._live[threading.get_ident()] = slot
        return browser

    def _acquire(self) -> None:
        """A permit for one more browser; slots of threads that ended without
        ``close_browser()`` are killed and given back first."""
        while not self._slots.acquire(timeout=0.5):
            self.reap()

    def reap(self) -> int:
        """Kill the browsers of threads that are gone (they can no longer close them)."""
        with self._lock:
            orphans = [(ident, slot) for ident, slot in self._live.items()
                       if slot.thread is not None and not slot.thread.is_alive()]
            for ident, _ in orphans:
                self._live.pop(ident, None)
        for _, slot in orphans:
            kill_slot(slot)
            self._slots.release()
        return len(orphans)

    def close(self) -> None:
        """Close the calling thread's browser (and its Playwright driver).  Idempotent.
        Bounded: a close that hangs (see HangGuard) ends with the processes killed."""
        slot = self._slot()
        if slot is None or slot.playwright is None:
            return
        try:
            with HangGuard(time.monotonic() + BROWSER_CLOSE_GRACE, self, kill_tree_after=KILL_AFTER):
                if slot.browser is not None and not slot.dead:
                    try:
                        slot.browser.close()
                    except Exception:
                        pass
                try:
                    slot.playwright.stop()        # returns at once once the driver is gone
                except Exception:
                    pass
        finally:
            slot.browser = slot.playwright = None
            self._local.slot = None
            with self._lock:
                self._live.pop(threading.get_ident(), None)
            self._slots.release()

    def kill_current(self) -> None:
        """SIGKILL the calling thread's browser processes and forget them (for a browser
        whose state cannot be trusted; ``close`` would wait on it)."""
        slot = self._slot()
        if slot is not None and slot.playwright is not None:
            kill_slot(slot)
            self.close()

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


def _launch(pw, program: str, args: list[str], headless: bool):
    # chromium_sandbox: Playwright adds --no-sandbox unless asked not to
    from cardshop_auditor.secrets import child_env
    return pw.chromium.launch(executable_path=program, headless=headless, args=args, env=child_env(),
                              chromium_sandbox="--no-sandbox" not in args,
                              handle_sigint=False, handle_sigterm=False, handle_sighup=False)


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


def discard_browser() -> None:
    """Kill this thread's browser outright (processes first, no graceful close) and
    forget it; the next ``get_browser`` launches a new one."""
    _POOL.kill_current()


def _close_at_exit() -> None:
    """The main thread closes its own browser; browsers of other threads (daemon workers
    still running, or ended without ``close_browser()``) cannot be driven from here:
    their process trees are killed, so no Chromium outlives the process."""
    if threading.current_thread() is threading.main_thread():
        try:
            _POOL.close()
        except Exception:
            pass
    with _POOL._lock:
        others = list(_POOL._live.values())
    for slot in others:
        if slot is not _POOL._slot():
            kill_slot(slot)


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


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _driver_pid(manager, before: set[int]) -> int | None:
    """The pid of the Playwright driver just started: from its transport, else the new
    child of this process that looks like the driver (other threads may start children
    meanwhile, e.g. the crawl: a wrong pid here would be killed by the hang guard)."""
    try:
        pid = int(manager._client._transport._proc.pid)
        if pid in child_pids(os.getpid()):
            return pid
    except Exception:
        pass
    for pid in sorted(set(child_pids(os.getpid())) - before):
        if "playwright" in _cmdline(pid) or "run-driver" in _cmdline(pid):
            return pid
    return None


def _quiet_driver_loss(manager) -> None:
    """When the driver dies (killed by the hang guard), Playwright leaves a future with
    "Connection closed while reading from the driver" that nobody reads; asyncio would
    print it at exit ("Future exception was never retrieved").  Mark it read."""
    try:
        future = manager._client._transport.on_error_future
        future.add_done_callback(lambda f: f.cancelled() or f.exception())
    except Exception:
        pass


def kill_slot(slot: "_Slot") -> bool:
    """SIGKILL a slot's Playwright driver and every process below it (Chromium); mark the
    slot dead.  Any thread may call it: a sync call of the owning thread that waits on the
    driver then fails at once ("connection closed").  True when something was killed."""
    driver = slot.driver_pid
    slot.dead = True
    if not driver:
        return False
    pids = [pid for pid, _ in descendants(driver)]
    killed = False
    for pid in reversed(pids):                # the deepest first, the driver last
        try:
            os.kill(pid, signal.SIGKILL)
            killed = True
        except OSError:
            pass
    if "playwright" in _cmdline(driver) or "run-driver" in _cmdline(driver) or not _cmdline(driver):
        try:
            os.kill(driver, signal.SIGKILL)
            killed = True
        except OSError:
            pass
    return killed


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


BROWSER_CLOSE_GRACE = 5.0   # closing a whole browser: renderers killed after this …
KILL_AFTER = 3.0            # … and the driver + Chromium this much later


class HangGuard:
    """A page script stuck in an endless loop blocks every Playwright call on that page
    forever (evaluate has no timeout).  After the hard deadline this watchdog kills the
    renderer processes of the calling thread's browser: the pending call then fails with
    "Target crashed", the stage records it, and the browser itself lives on for the next
    shop (each shop has its own context, hence its own renderers).

    With ``kill_tree_after``: if the guarded block still runs that many seconds after the
    renderers were killed (a hang that is not a renderer's: ``context.close()`` on a
    popup flood), the slot's whole process tree is killed (``kill_slot``); the hung call
    raises, ``browser_killed`` is set and the slot is dead (relaunched on next use)."""

    def __init__(self, hard_deadline: float, pool_: "BrowserPool | None" = None,
                 kill_tree_after: float | None = None):
        self.hard_deadline = hard_deadline
        self.kill_tree_after = kill_tree_after
        self.fired = False
        self.browser_killed = False
        self._pool = pool_ or _POOL
        self._slot: _Slot | None = None
        self._driver = None
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "HangGuard":
        slot = self._pool._slot()            # the calling thread's: the watcher has none
        self._slot = slot
        self._driver = slot.driver_pid if slot and not slot.dead else None
        if self._driver:
            thread = threading.Thread(target=self._watch, name="cardshop-hang-guard", daemon=True)
            try:
                thread.start()
                self._thread = thread
            except RuntimeError:              # interpreter shutting down: no new threads
                pass
        return self

    def _watch(self) -> None:
        while not self._done.wait(0.1):
            if time.monotonic() < self.hard_deadline:
                continue
            for pid, cmd in descendants(self._driver):
                if "--type=renderer" in cmd:
                    try:
                        os.kill(pid, signal.SIGKILL)
                        self.fired = True
                    except OSError:
                        pass
            break
        if self.kill_tree_after is None:
            return
        if not self._done.wait(self.kill_tree_after) and self._slot is not None:
            self.browser_killed = kill_slot(self._slot) or self._slot.dead

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
    dialog_messages: list[str] = field(default_factory=list)  # the same, verbatim (a buy prompt's full text)
    popups: list[str] = field(default_factory=list)         # URLs of windows that were closed
    downloads: int = 0
