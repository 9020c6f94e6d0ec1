"""/healthz: the database, the broker and the worker, answered within a bound whatever hangs.

Each probe runs in a thread of its own with short connect and read timeouts, and the view
waits for them at most HEALTH_TIMEOUT_SECONDS in all: a frozen Redis or PostgreSQL makes a
check "down", never the health check itself (or the web worker serving it) hang.

The worker is judged on two signals: its main process writes a liveness key to Redis every
few seconds (config/celery.py), whatever its pool is busy with; and beat's heartbeat task
goes through the queue like every other task. Alive with a stale heartbeat and work
waiting is "busy", not "down". Anonymous callers get the verdicts; staff get the details.
"""

import datetime
import threading
import time

import psycopg
import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

PROBE_TIMEOUT = 1.0
WORKER_KEY_PREFIX = "ceasefire:worker-alive:"
WORKER_ALIVE_EVERY = 15.0
WORKER_ALIVE_TTL = 60


def broker_client() -> redis.Redis:
    return redis.Redis.from_url(
        settings.CELERY_BROKER_URL,
        socket_timeout=PROBE_TIMEOUT,
        socket_connect_timeout=PROBE_TIMEOUT,
    )


def worker_alive(hostname: str) -> None:
    """Called by the worker's main process on a timer (config/celery.py)."""
    client = broker_client()
    try:
        client.set(f"{WORKER_KEY_PREFIX}{hostname}", str(time.time()), ex=WORKER_ALIVE_TTL)
    finally:
        client.close()


class Check:
    def __init__(self, state: str, detail: str):
        self.state, self.detail = state, detail  # state: ok, busy, down


def _database() -> tuple[Check, datetime.datetime | None]:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    timeout_ms = int(PROBE_TIMEOUT * 1000)
    with psycopg.connect(
        **params,
        connect_timeout=max(1, int(PROBE_TIMEOUT)),
        options=f"-c statement_timeout={timeout_ms}",
        autocommit=True,
    ) as conn:
        row = conn.execute(
            "SELECT seen_at FROM negotiations_heartbeat WHERE name = 'worker'"
        ).fetchone()
    return Check("ok", "ok"), (row[0] if row else None)


def _broker() -> tuple[Check, int, int]:
    client = broker_client()
    try:
        client.ping()
        queue = settings.CELERY_TASK_DEFAULT_QUEUE
        waiting = client.llen(queue)
        alive = sum(1 for _ in client.scan_iter(f"{WORKER_KEY_PREFIX}*", count=100))
    finally:
        client.close()
    return Check("ok", f"ok, {waiting} task(s) waiting"), waiting, alive


def _run(probe, results: dict, name: str) -> None:
    try:
        results[name] = probe()
    except Exception as exc:  # noqa: BLE001 - any failure is a health finding
        results[name] = exc


def _worker(beat: datetime.datetime | None, waiting: int, alive: int) -> Check:
    if not alive:
        return Check("down", "no worker process has reported in the last minute")
    if beat is None:
        return Check("busy", f"{alive} worker(s) alive; no heartbeat through the queue yet")
    age = int((timezone.now() - beat).total_seconds())
    if age <= settings.HEARTBEAT_MAX_AGE_SECONDS:
        return Check("ok", f"{alive} worker(s) alive; last heartbeat {age}s ago")
    if waiting:
        return Check("busy", f"{alive} worker(s) alive and working through {waiting} task(s)")
    return Check("down", f"{alive} worker(s) alive, but no heartbeat for {age}s (is beat up?)")


def health_report() -> dict[str, Check]:
    results: dict = {}
    threads = [
        threading.Thread(target=_run, args=(probe, results, name), daemon=True)
        for name, probe in (("database", _database), ("broker", _broker))
    ]
    deadline = time.monotonic() + settings.HEALTH_TIMEOUT_SECONDS
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    checks: dict[str, Check] = {}
    for name in ("database", "broker"):
        found = results.get(name)
        if found is None:
            checks[name] = Check("down", "did not answer in time")
        elif isinstance(found, Exception):
            checks[name] = Check("down", f"{type(found).__name__}: {found}")
        else:
            checks[name] = found[0]
    if checks["broker"].state != "ok":
        checks["worker"] = Check("down", "unknown: the broker is down")
    else:
        beat = results["database"][1] if checks["database"].state == "ok" else None
        checks["worker"] = _worker(beat, *results["broker"][1:])
    return checks


@never_cache
@require_GET
def healthz(request):
    checks = health_report()
    states = {check.state for check in checks.values()}
    status = "unhealthy" if "down" in states else ("busy" if "busy" in states else "ok")
    if request.user.is_staff:
        body = {name: {"state": c.state, "detail": c.detail} for name, c in checks.items()}
    else:
        # Connection errors name hosts, ports and users: for staff only.
        body = {name: c.state for name, c in checks.items()}
    return JsonResponse(
        {"status": status, "checks": body}, status=503 if status == "unhealthy" else 200
    )
