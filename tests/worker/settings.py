"""Settings for a Celery worker started by tests/worker: the test database, its own queue.

The queue is unique per test run so that no other worker on the same Redis takes its
tasks. The visibility timeout is short, and swept for often, so that a task whose worker
was killed comes back within the test; the time limits stay below it, as in production.
"""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES

DATABASES["default"]["NAME"] = os.environ["CEASEFIRE_TEST_DATABASE"]
CELERY_TASK_DEFAULT_QUEUE = os.environ["CEASEFIRE_TEST_QUEUE"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 12,
    # Sweep for abandoned messages every second instead of every ~100 s.
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
CELERY_TASK_SOFT_TIME_LIMIT = 8
CELERY_TASK_TIME_LIMIT = 10
# Leases outlive the time limits and run out before the visibility timeout brings a killed
# task back, so the redelivered task may take over.
INGEST_POLL_TIME_LIMITS = INGEST_ARTICLE_TIME_LIMITS = (6, 8)
INGEST_FEED_LEASE_SECONDS = INGEST_ARTICLE_LEASE_SECONDS = 9
