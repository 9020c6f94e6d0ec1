"""Starting and stopping a real Celery worker on the test database and a queue of its own.

Used by the worker tests and by the ingestion benchmark.
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.db import connection


def start_worker(queue: str, *, allowed_host: str, log=None, name: str = "") -> subprocess.Popen:
    """A worker (concurrency 1) on this process's database, consuming only `queue`; named
    `name@host` (by default after the queue)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker.settings",
        "CEASEFIRE_TEST_DATABASE": connection.settings_dict["NAME"],
        "CEASEFIRE_TEST_QUEUE": queue,
        "FETCH_ALLOWED_HOSTS": allowed_host,
        "REDIS_URL": settings.CELERY_BROKER_URL,
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--queues", queue]
    command += ["--concurrency", "1", "--hostname", f"{name or queue}@%h", "--loglevel", "INFO"]
    command += ["--without-gossip", "--without-mingle"]
    return subprocess.Popen(  # noqa: S603 - our own fixed argv
        command,
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
    )


def kill_worker(worker: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """Signal the worker and its pool (its own process group) and wait for it."""
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        worker.wait(30)


def drop_queue(queue: str) -> None:
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.client.delete(queue)
