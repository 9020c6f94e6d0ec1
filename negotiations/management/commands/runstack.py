"""Local development: the web server, a Celery worker and beat in one command.

Ctrl-C (or SIGTERM) stops all of them; if one exits, the others are stopped too.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


def stack_commands(*, port: int) -> dict[str, list[str]]:
    python = sys.executable
    var = settings.BASE_DIR / "var"
    var.mkdir(exist_ok=True)
    return {
        "web": [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        "worker": [
            python,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            "2",
            "--hostname",
            "worker@%h",
        ],
        "beat": [
            python,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(var / "celerybeat-schedule"),
        ],
    }


class Command(BaseCommand):
    help = "Run the web server, a Celery worker and Celery beat together (Ctrl-C stops all)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))

    def handle(self, *args, port: int, **options):
        processes: dict[str, subprocess.Popen] = {}
        stopping = False

        def stop(signum=None, frame=None):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        for name, command in stack_commands(port=port).items():
            # Own process groups, so that Ctrl-C reaches them only through us, in order.
            processes[name] = subprocess.Popen(  # noqa: S603 - our own fixed argv
                command, cwd=settings.BASE_DIR, start_new_session=True
            )
            self.stdout.write(f"started {name} (pid {processes[name].pid})")
        self.stdout.write(
            self.style.SUCCESS(f"Ceasefire Tracker on http://127.0.0.1:{port}/ — Ctrl-C stops it.")
        )
        try:
            while not stopping:
                exited = [name for name, proc in processes.items() if proc.poll() is not None]
                if exited:
                    self.stderr.write(f"{', '.join(exited)} exited; stopping the others.")
                    break
                time.sleep(0.5)
        finally:
            for proc in processes.values():
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for proc in processes.values():
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    proc.kill()
            self.stdout.write("stopped.")
