"""Settings for the fault suite's worker and beat: their own PostgreSQL and Redis (from
DATABASE_URL and REDIS_URL, set by the test), and short leases and sweeps so that recovery
happens within the test. The broker's visibility timeout stays at production's hour: the
sweep, not Redis, must bring lost work back."""

from config.settings.test import *  # noqa: F403

CELERY_TASK_DEFAULT_QUEUE = "faults"
INGEST_POLL_TIME_LIMITS = INGEST_ARTICLE_TIME_LIMITS = (6, 8)
INGEST_FEED_LEASE_SECONDS = INGEST_ARTICLE_LEASE_SECONDS = 10
INGEST_ORPHAN_AFTER_SECONDS = 5
CELERY_BEAT_SCHEDULE = {
    "ingestion-sweep": {"task": "negotiations.tasks.sweep_ingestion", "schedule": 2.0},
}
