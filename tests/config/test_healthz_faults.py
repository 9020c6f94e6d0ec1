"""/healthz under faults: a frozen Redis or PostgreSQL (SIGSTOP) makes a check "down"
within the health timeout instead of hanging the request (31 s before). The frozen
servers are this test's own, never the shared ones."""

import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

import pytest
from django.test import Client

from tests.own_services import OwnPostgres, OwnRedis

# Several times the health timeout (1.5 s): the bound holds by construction, this only
# tells a bounded answer from a hang on a loaded machine.
PATIENCE = 10.0


@pytest.fixture
def own_redis():
    server = OwnRedis()
    server.start()
    yield server.proc.pid, server.url
    os.kill(server.proc.pid, signal.SIGCONT)
    server.stop()


@pytest.fixture
def own_postgres():
    root = Path(tempfile.mkdtemp(prefix="healthz-pg-"))
    server = OwnPostgres(root)
    server.pg_ctl("start")
    yield server.pid, server.port
    os.kill(server.pid, signal.SIGCONT)
    server.pg_ctl("stop", "-m", "immediate")
    shutil.rmtree(root, ignore_errors=True)


def health_while_frozen(pid: int, user) -> tuple[float, dict]:
    """/healthz as staff see it, timed, while process `pid` is stopped."""
    client = Client()
    client.force_login(user)
    os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
        print(f"\n/healthz with a frozen server: {elapsed:.3f} s")
        return elapsed, response.json()
    finally:
        os.kill(pid, signal.SIGCONT)


@pytest.mark.django_db
def test_a_frozen_broker_is_down_within_the_bound(own_redis, settings, admin_user):
    pid, url = own_redis
    settings.CELERY_BROKER_URL = url
    elapsed, body = health_while_frozen(pid, admin_user)
    assert body["checks"]["broker"]["state"] == "down"
    assert body["checks"]["database"]["state"] == "ok"
    assert elapsed < PATIENCE


@pytest.mark.django_db
def test_a_frozen_database_is_down_within_the_bound(own_postgres, admin_user, monkeypatch):
    from django.db import connection, connections

    pid, port = own_postgres
    params = connection.get_connection_params()
    # The probe runs in a thread of its own, with a connection object of its own.
    monkeypatch.setattr(
        type(connections["default"]),
        "get_connection_params",
        lambda self: {**params, "host": "127.0.0.1", "port": port, "dbname": "postgres"},
    )
    elapsed, body = health_while_frozen(pid, admin_user)
    assert body["checks"]["database"]["state"] == "down"
    assert elapsed < PATIENCE
