"""Storage tests run twice: on SQLite (a file in tmp) and on a real PostgreSQL started
for the session (tests/scale/services.py)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from storage_reports import make_report


def services():
    name = "cardshop_test_services"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parents[1] / "scale" / "services.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def postgres_server():
    svc = services()
    try:
        server = svc.acquire("postgres")
    except svc.ServiceUnavailable as exc:
        pytest.skip(str(exc))
    yield server
    svc.release("postgres")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    from cardshop_auditor.storage import close_stores
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'history.db'}"
    else:
        url = request.getfixturevalue("postgres_server").create_database("st")
    yield url
    close_stores()


@pytest.fixture
def report_factory():
    return make_report
