import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.utils import timezone

from negotiations.models import Heartbeat
from negotiations.tasks import record_heartbeat


def run_production_check(**env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_ALLOWED_HOSTS": "ceasefire.example.org",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_refuse_a_missing_secret_key():
    result = run_production_check()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_production_check(
        DJANGO_SECRET_KEY="k" * 20 + "-production-secret-for-the-check-0123"
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_no_model_change_lacks_a_migration():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def worker_alive():
    from negotiations.health import WORKER_KEY_PREFIX, broker_client, worker_alive

    worker_alive("tests@here")
    yield
    broker_client().delete(f"{WORKER_KEY_PREFIX}tests@here")


@pytest.fixture
def no_worker():
    from negotiations.health import WORKER_KEY_PREFIX, broker_client

    client = broker_client()
    for key in client.scan_iter(f"{WORKER_KEY_PREFIX}*"):
        client.delete(key)


@pytest.fixture
def queue(settings):
    """The default queue, with what a test puts in it removed afterwards."""
    from negotiations.health import broker_client

    client = broker_client()
    settings.CELERY_TASK_DEFAULT_QUEUE = "healthz-test-queue"
    client.delete(settings.CELERY_TASK_DEFAULT_QUEUE)
    yield client, settings.CELERY_TASK_DEFAULT_QUEUE
    client.delete(settings.CELERY_TASK_DEFAULT_QUEUE)


@pytest.mark.django_db
def test_healthz_is_unhealthy_without_a_live_worker(client, no_worker):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unhealthy",
        "checks": {"database": "ok", "broker": "ok", "worker": "down"},
    }


# The health check reads through a connection of its own: the rows must be committed.
@pytest.mark.django_db(transaction=True)
def test_healthz_is_healthy_with_a_live_worker_and_a_fresh_heartbeat(client, worker_alive):
    record_heartbeat()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_a_stale_heartbeat_with_work_waiting_is_busy_not_down(client, worker_alive, queue):
    redis, name = queue
    Heartbeat.objects.create(name="worker", seen_at=timezone.now() - timezone.timedelta(hours=1))
    redis.rpush(name, *[b"{}"] * 3)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["worker"] == "busy"
    redis.delete(name)
    assert client.get("/healthz").json()["checks"]["worker"] == "down"


@pytest.mark.django_db
def test_details_are_for_staff_only(client, admin_client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    anonymous = client.get("/healthz").json()
    assert anonymous["checks"]["broker"] == "down"
    assert "127.0.0.1" not in str(anonymous)
    staff = admin_client.get("/healthz").json()
    assert staff["checks"]["broker"]["state"] == "down"
    assert "Error" in staff["checks"]["broker"]["detail"]


def test_favicon_requests_find_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
