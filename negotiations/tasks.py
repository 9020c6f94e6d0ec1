"""Celery tasks: thin wrappers that take ids, call a service, and own retries.

Every task is safe to run twice (late acknowledgement redelivers a task whose worker
died): the services lock rows, skip what is done, and insert with ON CONFLICT DO NOTHING.
"""

import datetime
import logging
import random

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

logger = logging.getLogger(__name__)

# Database hiccups are worth a retry; anything else in polling is recorded on the feed.
DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 3600


def retry_delay(attempt: int, *, retry_after: float | None = None) -> float:
    """Exponential backoff with full jitter; a server's Retry-After is a floor."""
    ceiling = min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2**attempt)
    delay = random.uniform(ceiling / 2, ceiling)
    return max(delay, min(retry_after or 0, RETRY_MAX_SECONDS))


@shared_task(ignore_result=True)
def record_heartbeat() -> None:
    """Scheduled by beat; proves a worker is consuming the queue (read by /healthz)."""
    from .models import Heartbeat

    Heartbeat.objects.update_or_create(name="worker", defaults={"seen_at": timezone.now()})


@shared_task(ignore_result=True)
def dispatch_due_feeds() -> int:
    """Scheduled by beat every minute: enqueue a poll of each feed that is due."""
    from .services.ingestion import feeds_dispatch_due

    return len(feeds_dispatch_due())


@shared_task(
    bind=True,
    ignore_result=True,
    max_retries=5,
    soft_time_limit=settings.INGEST_POLL_TIME_LIMITS[0],
    time_limit=settings.INGEST_POLL_TIME_LIMITS[1],
)
def poll_feed(self, feed_id: int, force: bool = False) -> None:
    """Poll one feed. Its own failures are recorded on the feed and set its next poll."""
    from .services.ingestion import feed_poll, feed_record_failure

    try:
        result = feed_poll(feed_id=feed_id, force=force)
    except DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries)) from exc
    except SoftTimeLimitExceeded:
        limit = settings.INGEST_POLL_TIME_LIMITS[0]
        feed_record_failure(feed_id=feed_id, error=f"the poll took longer than {limit} s")
        return
    # A bug or a hostile feed that breaks something below the parser: on the feed, not lost.
    except Exception as exc:  # noqa: BLE001
        feed_record_failure(feed_id=feed_id, error=f"{type(exc).__name__}: {exc}")
        logger.exception("feed %s: poll failed", feed_id)
        return
    logger.info("feed %s: %s, %d new article(s)", feed_id, result.outcome, len(result.article_ids))


@shared_task(
    bind=True,
    ignore_result=True,
    max_retries=None,
    soft_time_limit=settings.INGEST_ARTICLE_TIME_LIMITS[0],
    time_limit=settings.INGEST_ARTICLE_TIME_LIMITS[1],
)
def process_article(self, article_id: int) -> None:
    """Fetch, extract, dedupe and extract candidates for one article.

    Retried with backoff for transient failures. The number of attempts is bounded by the
    service (`INGEST_MAX_ATTEMPTS`, counted even when an attempt kills the worker), which
    then marks the article failed with its last error.
    """
    from .services.ingestion import (
        TransientIngestError,
        article_mark_failed,
        article_process,
        article_release,
    )

    def retry(exc, *, error: str = "", retry_after: float | None = None):
        countdown = retry_delay(self.request.retries, retry_after=retry_after)
        # Tells the sweep that this article has a task to come, not a lost one.
        due = timezone.now() + datetime.timedelta(seconds=countdown)
        article_release(article_id=article_id, error=error, due_at=due)
        return self.retry(exc=exc, countdown=countdown)

    try:
        result = article_process(article_id=article_id)
    except TransientIngestError as exc:
        if self.request.retries + 1 >= settings.INGEST_MAX_ATTEMPTS:
            article_mark_failed(article_id=article_id, error=f"gave up after retries: {exc}")
            return
        raise retry(exc, retry_after=exc.retry_after) from exc
    except DATABASE_ERRORS as exc:
        raise retry(exc) from exc
    except SoftTimeLimitExceeded as exc:
        limit = settings.INGEST_ARTICLE_TIME_LIMITS[0]
        raise retry(exc, error=f"processing took longer than {limit} s") from exc
    # A bug or a hostile input that breaks a parser: keep the error on the article and try
    # again later; the attempt bound turns a poison article into a failed one.
    except Exception as exc:  # noqa: BLE001
        raise retry(exc, error=f"{type(exc).__name__}: {exc}") from exc
    logger.info("article %s: %s %s", article_id, result.outcome, result.error)


@shared_task(ignore_result=True)
def sweep_ingestion() -> int:
    """Scheduled by beat: enqueue again the articles whose task died or was lost."""
    from .services.ingestion import ingestion_sweep

    return len(ingestion_sweep())


@shared_task(bind=True, ignore_result=True, max_retries=None)
def reextract_articles(self, run_id: int) -> None:
    """Extract a run's articles again, a batch at a time; re-enqueued until none waits."""
    from .services.gazetteer import reextraction_process

    try:
        remaining = reextraction_process(run_id=run_id)
    except DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=retry_delay(min(self.request.retries, 6))) from exc
    if remaining:
        reextract_articles.delay(run_id)


@shared_task(ignore_result=True)
def reextract_sweep() -> int:
    """Scheduled by beat: re-enqueue stalled re-extractions; re-extract articles whose
    extractor version is out of date."""
    from .services.gazetteer import reextraction_sweep

    return len(reextraction_sweep())


@shared_task(bind=True, ignore_result=True, max_retries=3)
def fill_statement_source(self, statement_id: int) -> None:
    """Fill in a hand-entered statement's source outlet and title from the page."""
    from .services.sources import statement_source_fill

    try:
        statement_source_fill(statement_id=statement_id)
    except DATABASE_ERRORS as exc:
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries)) from exc
