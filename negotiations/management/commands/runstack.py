"""Local development: the web server, a Celery worker and beat in one command.

Ctrl-C (or SIGTERM) stops all of them. One that exits (a worker after a broker restart, a
crash) is started again, after a pause that grows while it keeps failing. It also
serves the demo feed in demo/feed/ on 127.0.0.1, names it in the fetch allow-list of the
processes it starts, and registers it as a feed, so the worker has something to poll.
"""

import functools
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

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


class Supervisor:
    """Keeps named child processes running: one that exits is started again, after a pause
    that doubles while it keeps exiting soon after starting (1 s up to a minute)."""

    FIRST_PAUSE = 1.0
    LONGEST_PAUSE = 60.0
    STABLE_AFTER = 30.0  # a child that ran this long starts again without delay growth

    def __init__(self, commands: dict[str, list[str]], *, cwd, env, report=print, output=None):
        self.commands = commands
        self.cwd, self.env, self.report, self.output = cwd, env, report, output
        self.processes: dict[str, subprocess.Popen] = {}
        self.started_at: dict[str, float] = {}
        self.pause: dict[str, float] = dict.fromkeys(commands, self.FIRST_PAUSE)
        self.due: dict[str, float] = {}

    def start(self, name: str) -> None:
        # Own process groups, so that Ctrl-C reaches them only through us, in order.
        self.processes[name] = subprocess.Popen(  # noqa: S603 - our own fixed argv
            self.commands[name],
            cwd=self.cwd,
            start_new_session=True,
            env=self.env,
            stdout=self.output,
            stderr=subprocess.STDOUT if self.output else None,
        )
        self.started_at[name] = time.monotonic()
        self.report(f"started {name} (pid {self.processes[name].pid})")

    def start_all(self) -> None:
        for name in self.commands:
            self.start(name)

    def tend(self) -> None:
        """Start again what exited, once its pause is over; call this every half second."""
        now = time.monotonic()
        for name, proc in self.processes.items():
            if name in self.due:
                if now >= self.due[name]:
                    del self.due[name]
                    self.start(name)
                continue
            if proc.poll() is None:
                continue
            if now - self.started_at[name] > self.STABLE_AFTER:
                self.pause[name] = self.FIRST_PAUSE
            self.report(
                f"{name} exited with {proc.returncode}; starting it again in "
                f"{self.pause[name]:.0f} s"
            )
            self.due[name] = now + self.pause[name]
            self.pause[name] = min(self.pause[name] * 2, self.LONGEST_PAUSE)

    def stop_all(self, *, timeout: float = 15) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for proc in self.processes.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()


class DemoFeedHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass  # the worker's log already says what it fetched


def serve_demo_feed(*, port: int) -> ThreadingHTTPServer:
    """Serve demo/feed/ on 127.0.0.1 (only) in a background thread."""
    handler = functools.partial(DemoFeedHandler, directory=str(settings.BASE_DIR / "demo" / "feed"))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, name="demo-feed", daemon=True).start()
    return server


def register_demo_feed(*, url: str) -> None:
    from django.utils import timezone

    from negotiations.models import Feed

    Feed.objects.update_or_create(
        url=url,
        defaults={
            "name": "Demo Wire (local demo feed)",
            "outlet": "Demo Wire",
            "enabled": True,
            "poll_interval_minutes": 1,
            "next_poll_at": timezone.now(),
        },
    )


class Command(BaseCommand):
    help = "Run the web server, a Celery worker and Celery beat together (Ctrl-C stops all)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument(
            "--demo-feed-port",
            type=int,
            default=int(os.environ.get("DEMO_FEED_PORT", 8001)),
            help="Where demo/feed/ is served on 127.0.0.1; 0 serves no demo feed.",
        )

    def handle(self, *args, port: int, demo_feed_port: int, **options):
        stopping = False

        def stop(signum=None, frame=None):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        child_env = dict(os.environ)
        demo_server = None
        if demo_feed_port:
            try:
                demo_server = serve_demo_feed(port=demo_feed_port)
            except OSError as exc:
                self.stderr.write(
                    f"demo feed not served: 127.0.0.1:{demo_feed_port}: {exc.strerror}; "
                    "set DEMO_FEED_PORT to a free port (0: no demo feed)."
                )
        if demo_server is not None:
            address = f"127.0.0.1:{demo_feed_port}"
            allowed = [h for h in child_env.get("FETCH_ALLOWED_HOSTS", "").split(",") if h]
            child_env["FETCH_ALLOWED_HOSTS"] = ",".join([*allowed, address])
            register_demo_feed(url=f"http://{address}/feed.xml")
            self.stdout.write(f"demo feed on http://{address}/feed.xml (allow-listed)")
        supervisor = Supervisor(
            stack_commands(port=port),
            cwd=settings.BASE_DIR,
            env=child_env,
            report=self.stdout.write,
        )
        supervisor.start_all()
        self.stdout.write(
            self.style.SUCCESS(f"Ceasefire Tracker on http://127.0.0.1:{port}/ — Ctrl-C stops it.")
        )
        try:
            while not stopping:
                supervisor.tend()
                time.sleep(0.5)
        finally:
            supervisor.stop_all()
            if demo_server is not None:
                demo_server.shutdown()
            self.stdout.write("stopped.")
