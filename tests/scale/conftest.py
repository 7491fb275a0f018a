"""A real redis-server, RabbitMQ and PostgreSQL for the scale-out tests, started by the
session (RabbitMQ: by the module that asks for it) and stopped after it
(tests/scale/services.py)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest


def services():
    name = "cardshop_test_services"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parent / "services.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _server(kind):
    svc = services()
    try:
        server = svc.acquire(kind)
    except svc.ServiceUnavailable as exc:
        pytest.skip(str(exc))
    return svc, server


@pytest.fixture(scope="session")
def redis_server():
    svc, server = _server("redis")
    yield server
    svc.release("redis")


@pytest.fixture(scope="module")
def rabbitmq_server():
    """A RabbitMQ node for the module's tests (it boots in 5-30 s: once per module)."""
    svc, server = _server("rabbitmq")
    yield server
    svc.release("rabbitmq")


@pytest.fixture(scope="session")
def postgres_server():
    svc, server = _server("postgres")
    yield server
    svc.release("postgres")


@pytest.fixture
def persistent_redis():
    """A redis-server of this test's own, with an append-only file, that the test may restart."""
    svc = services()
    try:
        server = svc.RedisServer(persistent=True)
    except svc.ServiceUnavailable as exc:
        pytest.skip(str(exc))
    yield server
    server.stop()
