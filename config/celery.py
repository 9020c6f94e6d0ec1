"""The Celery application. Settings are read from Django's, namespace CELERY."""

import logging
import os

from celery import Celery, bootsteps
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("ceasefire")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
logger = logging.getLogger(__name__)


class LivenessBeacon(bootsteps.StartStopStep):
    """The worker's main process says it is alive every few seconds, whatever its pool is
    busy with, so that /healthz tells a busy worker from a dead one."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None

    def start(self, worker):
        from negotiations.health import WORKER_ALIVE_EVERY

        self._beacon(worker.hostname)
        self.tref = worker.timer.call_repeatedly(
            WORKER_ALIVE_EVERY, self._beacon, (worker.hostname,), priority=10
        )

    def stop(self, worker):
        if self.tref is not None:
            self.tref.cancel()

    @staticmethod
    def _beacon(hostname: str) -> None:
        from negotiations.health import worker_alive

        try:
            worker_alive(hostname)
        except Exception:  # noqa: BLE001 - the broker is down: the next beacon tries again
            logger.warning("could not report the worker alive", exc_info=True)


app.steps["worker"].add(LivenessBeacon)


@task_prerun.connect
@task_postrun.connect
def close_old_connections(task=None, **kwargs) -> None:
    """Between tasks, as between requests: drop connections that broke or outlived CONN_MAX_AGE.

    Not for a task run eagerly (`apply()`), which shares its caller's connection and,
    in tests, its transaction.
    """
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
