"""Celery tasks: thin wrappers that take ids, call a service, and own retries."""

from celery import shared_task
from django.utils import timezone


@shared_task(ignore_result=True)
def record_heartbeat() -> None:
    """Scheduled by beat; proves a worker is consuming the queue (read by /healthz)."""
    from .models import Heartbeat

    Heartbeat.objects.update_or_create(name="worker", defaults={"seen_at": timezone.now()})
