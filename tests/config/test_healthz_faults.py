"""/healthz under faults: a frozen Redis or PostgreSQL (SIGSTOP) makes a check "down"
within the health timeout instead of hanging the request (31 s before). The frozen
servers are this test's own, never the shared ones."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.test import Client

PG_BIN = Path("/usr/lib/postgresql/15/bin")
# Several times the health timeout (1.5 s): the bound holds by construction, this only
# tells a bounded answer from a hang on a loaded machine.
PATIENCE = 10.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, *, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("the server did not start")


@pytest.fixture
def own_redis():
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    import redis

    wait_until(lambda: _answers(lambda: redis.Redis(port=port).ping()))
    yield proc, f"redis://127.0.0.1:{port}/0"
    os.kill(proc.pid, signal.SIGCONT)
    proc.kill()
    proc.wait(10)


def _answers(call) -> bool:
    try:
        return bool(call())
    except Exception:  # noqa: BLE001 - not up yet
        return False


@pytest.fixture
def own_postgres():
    """A throwaway PostgreSQL cluster: initdb into a temporary directory, a free port."""
    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL 15's binaries are needed in {PG_BIN}")
    directory = Path(tempfile.mkdtemp(prefix="healthz-pg-"))
    port = free_port()
    run_as = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]
    shutil.chown(directory, "postgres") if os.geteuid() == 0 else None
    data = directory / "data"
    subprocess.run(
        [*run_as, PG_BIN / "initdb", "-D", data, "-U", "postgres", "--auth=trust"],
        check=True,
        capture_output=True,
    )
    proc = subprocess.Popen(
        [
            *run_as,
            PG_BIN / "postgres",
            "-D",
            data,
            "-p",
            str(port),
            "-k",
            directory,
            "-h",
            "127.0.0.1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import psycopg

    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    wait_until(lambda: _answers(lambda: psycopg.connect(url, connect_timeout=1).close() or True))
    yield proc, port
    os.kill(proc.pid, signal.SIGCONT)
    proc.terminate()
    proc.wait(30)
    shutil.rmtree(directory, ignore_errors=True)


def health_while_frozen(proc, user) -> tuple[float, dict]:
    """/healthz as staff see it, timed, while `proc` is stopped."""
    client = Client()
    client.force_login(user)
    os.kill(proc.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        response = client.get("/healthz")
        return time.monotonic() - started, response.json()
    finally:
        os.kill(proc.pid, signal.SIGCONT)


@pytest.mark.django_db
def test_a_frozen_broker_is_down_within_the_bound(own_redis, settings, admin_user):
    proc, url = own_redis
    settings.CELERY_BROKER_URL = url
    elapsed, body = health_while_frozen(proc, admin_user)
    assert body["checks"]["broker"]["state"] == "down"
    assert body["checks"]["database"]["state"] == "ok"
    assert elapsed < PATIENCE


@pytest.mark.django_db
def test_a_frozen_database_is_down_within_the_bound(own_postgres, admin_user, monkeypatch):
    from django.db import connection, connections

    proc, port = own_postgres
    params = connection.get_connection_params()
    # The probe runs in a thread of its own, with a connection object of its own.
    monkeypatch.setattr(
        type(connections["default"]),
        "get_connection_params",
        lambda self: {**params, "host": "127.0.0.1", "port": port, "dbname": "postgres"},
    )
    elapsed, body = health_while_frozen(proc, admin_user)
    assert body["checks"]["database"]["state"] == "down"
    assert elapsed < PATIENCE
