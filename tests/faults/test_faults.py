"""Faults during a 50-article run: nothing lost, nothing done twice.

A real worker (supervised, as runstack and docker-compose supervise it) and beat run
against a PostgreSQL and a Redis that this suite starts for itself, never the shared ones.
During each run one of them is broken: the worker killed with SIGKILL, Redis restarted with
nothing kept (its queue lost), PostgreSQL restarted. Afterwards every article is processed
exactly once: none pending or failed, one original per story with every other copy
pointing at it, and no article completed twice in the worker's log.
"""

import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings

from negotiations.ingest.dedupe import hamming, simhash
from negotiations.management.commands.runstack import Supervisor
from tests.ingest.pages import news_page
from tests.ingest.server import LocalServer, Route
from tests.own_services import OwnPostgres, OwnRedis, wait_for

pytestmark = pytest.mark.faults

REPORTS = Path(settings.BASE_DIR) / "tests" / "data" / "reports"
STORIES, COPIES = 10, 5
DATELINES = ["", "KYIV (Reuters) -", "", "UPDATED: ", "From our correspondent."]
RUN_TIMEOUT = 150
PAGE_DELAY = 0.1


def stories() -> list[list[str]]:
    """Paragraphs of the longest reports of the corpus, pairwise far apart as texts."""
    texts = sorted(
        (p.read_text() for p in REPORTS.glob("*/*.txt")), key=lambda t: len(t.split()), reverse=True
    )
    chosen: list[str] = []
    for text in texts:
        if all(hamming(simhash(text), simhash(other)) > 20 for other in chosen):
            chosen.append(text)
        if len(chosen) == STORIES:
            break
    return [[p for p in text.split("\n") if p.strip()] for text in chosen]


class Delayed(Route):
    def handle(self, handler):
        time.sleep(PAGE_DELAY)
        super().handle(handler)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    root = tmp_path_factory.mktemp("faults")
    pg_root = Path(tempfile.mkdtemp(prefix="faults-pg-"))
    postgres, redis_server = OwnPostgres(pg_root), OwnRedis()
    postgres.pg_ctl("start")
    redis_server.start()
    server = LocalServer().__enter__()
    urls: dict[str, int] = {}
    for story, paragraphs in enumerate(stories()):
        for copy in range(COPIES):
            first = f"{DATELINES[copy]} {paragraphs[0]}".strip()
            page = news_page(
                outlet=f"Outlet {copy}", title=f"Story {story}", paragraphs=[first, *paragraphs[1:]]
            )
            path = f"/story-{story}/copy-{copy}.html"
            server.routes[path] = Delayed(page, headers={"Content-Type": "text/html"})
            urls[server.url(path)] = story
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
        "DATABASE_URL": postgres.url("ceasefire_faults"),
        "REDIS_URL": redis_server.url,
        "FETCH_ALLOWED_HOSTS": f"127.0.0.1:{server.port}",
    }
    for command in (["ensure_database"], ["migrate", "--noinput", "-v", "0"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=settings.BASE_DIR, env=env, check=True
        )
    log = root / "stack.log"
    output = log.open("a")
    celery = [sys.executable, "-m", "celery", "-A", "config"]
    supervisor = Supervisor(
        {
            "worker": [
                *celery,
                "worker",
                "-Q",
                "faults",
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                "faults@%h",
            ],
            "beat": [*celery, "beat", "--loglevel", "INFO", "--schedule", str(root / "beat")],
        },
        cwd=settings.BASE_DIR,
        env=env,
        report=lambda line: (output.write(f"SUPERVISOR {line}\n"), output.flush()),
        output=output,
    )
    supervisor.FIRST_PAUSE = 0.5
    supervisor.start_all()
    tending = threading.Event()

    def tend():
        while not tending.is_set():
            supervisor.tend()
            time.sleep(0.2)

    threading.Thread(target=tend, daemon=True).start()
    try:
        yield {
            "env": env,
            "urls": urls,
            "log": log,
            "supervisor": supervisor,
            "postgres": postgres,
            "redis": redis_server,
        }
    finally:
        tending.set()
        supervisor.stop_all(timeout=20)
        server.__exit__(None, None, None)
        redis_server.stop()
        postgres.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(pg_root, ignore_errors=True)


def helper(stack, *args: str) -> list:
    result = subprocess.run(
        [sys.executable, "-m", "tests.faults.helper", *args],
        cwd=settings.BASE_DIR,
        env=stack["env"],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout or "[]")


def processed(stack) -> int:
    return sum(1 for row in helper(stack, "report") if row[4] or row[2] == "failed")


def kill_worker(stack) -> None:
    worker = stack["supervisor"].processes["worker"]
    os.killpg(worker.pid, signal.SIGKILL)


def restart_redis(stack) -> None:
    stack["redis"].stop()
    time.sleep(1)
    stack["redis"].start()


def restart_postgres(stack) -> None:
    stack["postgres"].pg_ctl("restart", "-m", "fast")


@pytest.mark.parametrize("fault", [kill_worker, restart_redis, restart_postgres])
def test_a_fault_mid_run_loses_nothing_and_repeats_nothing(stack, fault):
    helper(stack, "reset")
    log = stack["log"]
    start_of_run = log.stat().st_size
    urls = list(stack["urls"])
    ids = helper(stack, "create", *urls)
    assert len(ids) == STORIES * COPIES
    wait_for(
        lambda: processed(stack) >= 10, timeout=RUN_TIMEOUT, what="a fifth of the run", log=log
    )
    fault(stack)
    wait_for(
        lambda: processed(stack) == len(ids), timeout=RUN_TIMEOUT, what="every article", log=log
    )

    rows = helper(stack, "report")
    assert all(row[2] in ("fetched", "duplicate") for row in rows), [
        r for r in rows if r[2] not in ("fetched", "duplicate")
    ]
    by_story: dict[int, list] = {}
    for pk, url, status, duplicate_of, _, _ in rows:
        by_story.setdefault(stack["urls"][url], []).append((pk, status, duplicate_of))
    for story, copies in by_story.items():
        originals = [pk for pk, status, _ in copies if status == "fetched"]
        assert len(originals) == 1, (story, copies)
        assert all(d == originals[0] for pk, status, d in copies if status == "duplicate")

    with log.open() as handle:
        handle.seek(start_of_run)
        completions = re.findall(r"article (\d+): (?:extracted|duplicate)", handle.read())
    repeated = {
        pk: n
        for pk, n in ((k, len(list(g))) for k, g in itertools.groupby(sorted(completions)))
        if n > 1
    }
    assert not repeated, repeated
