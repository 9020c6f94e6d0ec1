"""The tasks: thin, idempotent, retried only for transient errors, bounded for poison."""

from unittest.mock import Mock

import pytest
from django.conf import settings
from django.db import OperationalError

from config.celery import app
from negotiations import tasks
from negotiations.models import Article
from tests.ingest.pages import wire_copy
from tests.ingest.server import LocalServer, Route

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(settings):
    with LocalServer() as running:
        settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{running.port}"]
        yield running


def test_delivery_is_late_acknowledged_and_limits_fit_the_visibility_timeout():
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit < visibility
    schedule = settings.CELERY_BEAT_SCHEDULE["dispatch-due-feeds"]
    assert schedule["task"] == tasks.dispatch_due_feeds.name and schedule["schedule"] == 60


@pytest.mark.parametrize("attempt", range(8))
def test_retry_delays_grow_with_jitter_and_honour_retry_after(attempt):
    ceiling = min(3600, 30 * 2**attempt)
    delays = {tasks.retry_delay(attempt) for _ in range(20)}
    assert all(ceiling / 2 <= d <= ceiling for d in delays)
    assert len(delays) > 1
    assert tasks.retry_delay(0, retry_after=600) == 600


def test_a_transient_failure_is_retried_until_the_bound_then_marked_failed(server, settings):
    settings.INGEST_MAX_ATTEMPTS = 3
    server.routes["/busy"] = Route(b"", status=503)
    article = Article.objects.create(url=server.url("/busy"), canonical_url="x:busy")
    # Eager apply runs each retry at once, so the whole retry chain happens here.
    tasks.process_article.apply(args=[article.pk])
    article.refresh_from_db()
    assert article.fetch_status == "failed" and "HTTP 503" in article.fetch_error
    assert server.hits("/busy") == 3


def test_a_permanent_failure_is_not_retried(server):
    article = Article.objects.create(url=server.url("/missing"), canonical_url="x:missing")
    tasks.process_article.apply(args=[article.pk])
    article.refresh_from_db()
    assert article.fetch_status == "failed" and "404" in article.fetch_error
    assert server.hits("/missing") == 1


def test_a_poison_article_stops_after_the_bound_with_its_error(server, settings, monkeypatch):
    settings.INGEST_MAX_ATTEMPTS = 4
    server.routes["/poison"] = Route(wire_copy("Outlet"))
    monkeypatch.setattr(
        "negotiations.services.ingestion.statement_candidates_create",
        Mock(side_effect=RecursionError("the extractor recursed forever")),
    )
    article = Article.objects.create(url=server.url("/poison"), canonical_url="x:poison")
    tasks.process_article.apply(args=[article.pk])
    article.refresh_from_db()
    assert article.fetch_status == "failed"
    assert "gave up after 4 attempts" in article.fetch_error
    assert "the extractor recursed forever" in article.fetch_error
    assert article.statements.count() == 0


def test_polling_retries_database_errors_only(monkeypatch):
    poll = Mock(side_effect=[OperationalError("connection lost"), None])
    monkeypatch.setattr("negotiations.services.ingestion.feed_poll", poll)
    tasks.poll_feed.apply(args=[7])
    assert [c.kwargs for c in poll.call_args_list] == [{"feed_id": 7, "force": False}] * 2


def test_the_beat_task_dispatches_due_feeds(monkeypatch):
    monkeypatch.setattr("negotiations.services.ingestion.feeds_dispatch_due", lambda: [1, 2])
    assert tasks.dispatch_due_feeds.apply().get() == 2
