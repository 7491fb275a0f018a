"""Shared by every test: which Chromium pytest-playwright drives, and the fixture shops.

Keep this file small and general; feature-specific fixtures live next to their tests.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the repo-local fixtures/ package (cardshop_auditor itself is installed)
    sys.path.insert(0, str(ROOT))

# `make test` runs three workers (pytest-xdist, one file per unit of work): the longest files go
# first, so that no long file starts last and runs alone at the end.
LONG_FILES_FIRST = ("tests/test_packaging.py", "tests/test_real_templates.py", "tests/hostile/test_browser_cases.py",
                    "tests/holdout/test_holdout.py", "tests/scale/test_workers.py", "tests/hostile/test_cases.py")


def pytest_collection_modifyitems(session, config, items):
    rank = {name: i for i, name in enumerate(LONG_FILES_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches the same Chromium the auditor uses (system one by default).
    No Chromium is a broken setup, not a reason to skip: fail with the fix."""
    from cardshop_auditor.browser.discover import BrowserNotFound, find_chromium, launch_args

    try:
        executable = find_chromium()
    except BrowserNotFound as exc:
        pytest.fail(f"browser tests need Chromium: {exc}", pytrace=False)
    args = [*browser_type_launch_args.get("args", []), *launch_args()]
    return {**browser_type_launch_args, "executable_path": executable, "args": args}


@pytest.fixture(scope="session")
def fixture_server():
    """The bundled fixture shops on 127.0.0.1: ``fixture_server.url(name)``."""
    from fixtures.server import FixtureServer  # lazy: only tests that crawl the shops need it

    with FixtureServer() as srv:
        yield srv


@pytest.fixture(scope="session")
def project_wheel(tmp_path_factory, worker_id):
    """The project's wheel, built once per session for every xdist worker (tests/wheel_cache.py)."""
    from tests.wheel_cache import shared_wheel
    return shared_wheel(tmp_path_factory, worker_id)


PLAYWRIGHT_FIXTURES = {"page", "context", "browser", "browser_type", "playwright", "new_context", "launch_browser"}


@pytest.fixture(autouse=True, scope="module")
def _close_audit_browser(request):
    """The browser stage keeps one Chromium per process (sync Playwright).  Close it after
    each module so it never shares the thread with pytest-playwright's own instance.

    pytest-playwright's instance lives for the whole session and, once started, leaves its
    asyncio loop marked running in the main thread, where a second sync Playwright (the
    audit's) refuses to start.  A module that uses none of its fixtures runs with that mark
    cleared; it is put back when the module ends and the audit's browser is closed."""
    import asyncio
    uses_playwright = any(PLAYWRIGHT_FIXTURES & set(getattr(item, "fixturenames", ()))
                          for item in request.session.items if getattr(item, "module", None) is request.module)
    parked = None if uses_playwright else asyncio._get_running_loop()
    if parked is not None:
        asyncio._set_running_loop(None)
    try:
        yield
    finally:
        manager = sys.modules.get("cardshop_auditor.browser.manager")
        if manager is not None:
            manager.close_browser()
        if parked is not None:
            asyncio._set_running_loop(parked)


@pytest.fixture(autouse=True)
def _forget_secrets():
    """cardshop_auditor.secrets keeps a run's secrets for the whole process; a test's passwords must
    not mask another test's output."""
    yield
    secrets = sys.modules.get("cardshop_auditor.secrets")
    if secrets is not None:
        secrets.reset()
