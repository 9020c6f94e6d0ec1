"""/healthz: the database, the broker and the worker's heartbeat."""

import datetime

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is a health finding
        return False, f"{type(exc).__name__}: {exc}"


def _broker() -> tuple[bool, str]:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, "ok"
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}: {exc}"


def _worker() -> tuple[bool, str]:
    from .models import Heartbeat

    try:
        beat = Heartbeat.objects.filter(name="worker").first()
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}: {exc}"
    if beat is None:
        return False, "no heartbeat recorded yet"
    age = timezone.now() - beat.seen_at
    if age > datetime.timedelta(seconds=settings.HEARTBEAT_MAX_AGE_SECONDS):
        return False, f"last heartbeat {int(age.total_seconds())}s ago"
    return True, f"last heartbeat {int(age.total_seconds())}s ago"


@never_cache
@require_GET
def healthz(request):
    checks = {}
    for name, probe in (("database", _database), ("broker", _broker), ("worker", _worker)):
        ok, detail = probe()
        checks[name] = {"ok": ok, "detail": detail}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": checks},
        status=200 if healthy else 503,
    )
