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


@pytest.mark.django_db
def test_healthz_is_unhealthy_without_a_worker_heartbeat(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["worker"]["ok"] is False


@pytest.mark.django_db
def test_healthz_is_healthy_after_the_heartbeat_task_ran(client):
    record_heartbeat()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_a_stale_heartbeat(client):
    Heartbeat.objects.create(name="worker", seen_at=timezone.now() - timezone.timedelta(hours=1))
    body = client.get("/healthz").json()
    assert body["checks"]["worker"]["ok"] is False
    assert "ago" in body["checks"]["worker"]["detail"]


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_broker(client, settings):
    from config.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        body = client.get("/healthz").json()
    finally:
        app.conf.broker_url = original
    assert body["checks"]["broker"]["ok"] is False


def test_favicon_requests_find_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
