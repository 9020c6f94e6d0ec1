"""Ingestion throughput: articles per second through the whole pipeline, in-process and
through Celery, with the share of time spent in each stage.

Corpus: the 196 pages in ../shared/data/web-pages and the demo articles in demo/feed/,
served from those local files by an HTTP server on 127.0.0.1 (allow-listed for the run),
each processed as a pending article: fetch, main-text extraction, dedupe, candidate
statements, save. The seed scenario is loaded, so the extractor runs with its gazetteer.

Both sides use one worker: the in-process run calls the service in a loop; the Celery run
has one worker process (concurrency 1) against Redis and the same database, gets one task
per article, and is timed from the first enqueue to the last article saved. The two
alternate for a few rounds, and their ratio, measured in the same run, is the figure to
keep at 0.9 or more.

Everything happens in a database of its own (`<name>_bench`, created and dropped here),
never in the development database.
"""

import json
import signal
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db.models import Count

from benchmarks import in_bench_database

BASE = Path(settings.BASE_DIR)
PAGES = BASE.parent / "shared" / "data" / "web-pages"
DEMO = BASE / "demo" / "feed" / "articles"
RESULTS = BASE / "bench-results" / "ingest.json"
TARGET_RATIO = 0.9
# Articles per second one worker processes through Celery, whatever else it does (leases,
# short transactions, the serializable dedupe step).
TARGET_RATE = 6.0
STAGES = ("fetch", "extract", "dedupe", "statements", "save")
ROUNDS = 2


def corpus() -> list[Path]:
    return [*sorted(PAGES.glob("*.html")), *sorted(DEMO.glob("*.html"))]


def create_articles(server, files: list[Path], prefix: str) -> list[int]:
    from negotiations.models import Article

    ids = []
    for index, path in enumerate(files):
        route = f"/{prefix}/{index}.html"
        server.routes[route] = _route(path.read_bytes())
        url = server.url(route)
        ids.append(Article.objects.create(url=url, canonical_url=url).pk)
    return ids


def _route(body: bytes):
    from tests.ingest.server import Route

    return Route(body, headers={"Content-Type": "text/html; charset=utf-8"})


def reset(ids: list[int]) -> None:
    """Forget a run's results so that the next run does the same work again."""
    from negotiations.models import Article, Statement

    Statement.objects.filter(article_id__in=ids).delete()
    Article.objects.filter(pk__in=ids).update(duplicate_of=None)
    Article.objects.filter(pk__in=ids).delete()


def run_in_process(ids: list[int]) -> tuple[float, dict]:
    from negotiations.services.ingestion import article_process

    timings: dict = {}
    started = time.perf_counter()
    for article_id in ids:
        article_process(article_id=article_id, timings=timings)
    return time.perf_counter() - started, timings


def wait_ready(app, name: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.ping(destination=[name], timeout=1.0):
            return
    raise RuntimeError("the benchmark's Celery worker did not start")


def run_through_celery(ids: list[int], *, queue: str) -> float:
    from negotiations.models import Article
    from negotiations.tasks import process_article

    started = time.perf_counter()
    for article_id in ids:
        process_article.apply_async(args=[article_id], queue=queue)
    pending = Article.objects.filter(pk__in=ids, extracted_at__isnull=True)
    deadline = time.monotonic() + 600
    while pending.exclude(fetch_status="failed").exists():
        if time.monotonic() > deadline:
            raise RuntimeError("the Celery run did not finish within 10 minutes")
        time.sleep(0.1)
    return time.perf_counter() - started


def count_outcomes(ids: list[int]) -> dict:
    from negotiations.models import Article

    rows = Article.objects.filter(pk__in=ids).values_list("fetch_status").annotate(n=Count("pk"))
    return dict(rows)


def measure(*, rounds: int = ROUNDS) -> dict:
    """Alternate in-process and Celery runs, so that a change in the machine's load during
    the benchmark weighs on both sides alike."""
    import socket

    from config.celery import app
    from negotiations.models import Statement
    from negotiations.services.scenario import scenario_load
    from tests.ingest.server import LocalServer
    from tests.worker.launch import drop_queue, kill_worker, start_worker

    files = corpus()
    scenario_load()
    in_process_seconds = celery_seconds = 0.0
    timings: dict = {}
    with LocalServer() as server:
        settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{server.port}"]
        queue = f"bench-ingest-{uuid.uuid4().hex[:10]}"
        worker = start_worker(queue, allowed_host=f"127.0.0.1:{server.port}")
        try:
            wait_ready(app, f"{queue}@{socket.gethostname()}")
            # Warm up imports and caches (trafilatura, the extractor) on both sides.
            warm = create_articles(server, files[:3], "warm")
            run_in_process(warm)
            reset(warm)
            warm = create_articles(server, files[:3], "warm-celery")
            run_through_celery(warm, queue=queue)
            reset(warm)
            for round_number in range(rounds):
                ids = create_articles(server, files, f"in-process-{round_number}")
                seconds, round_timings = run_in_process(ids)
                in_process_seconds += seconds
                for stage, value in round_timings.items():
                    timings[stage] = timings.get(stage, 0.0) + value
                outcomes = count_outcomes(ids)
                candidates = Statement.objects.filter(article_id__in=ids).count()
                reset(ids)

                ids = create_articles(server, files, f"celery-{round_number}")
                celery_seconds += run_through_celery(ids, queue=queue)
                celery_outcomes = count_outcomes(ids)
                reset(ids)
        finally:
            kill_worker(worker, signal.SIGTERM)
            drop_queue(queue)
    total = sum(timings.get(stage, 0.0) for stage in STAGES)
    processed = len(files) * rounds
    in_process_rate = processed / in_process_seconds
    celery_rate = processed / celery_seconds
    return {
        "articles": len(files),
        "rounds": rounds,
        "outcomes_in_process": outcomes,
        "outcomes_celery": celery_outcomes,
        "candidates": candidates,
        "in_process_seconds": round(in_process_seconds, 2),
        "in_process_articles_per_second": round(in_process_rate, 2),
        "celery_seconds": round(celery_seconds, 2),
        "celery_articles_per_second": round(celery_rate, 2),
        "celery_to_in_process_ratio": round(celery_rate / in_process_rate, 3),
        "target_ratio": TARGET_RATIO,
        "target_articles_per_second": TARGET_RATE,
        "stage_share": {s: round(timings.get(s, 0.0) / total, 3) for s in STAGES},
        "stage_seconds": {s: round(timings.get(s, 0.0), 2) for s in STAGES},
    }


def main() -> None:
    figures = in_bench_database(measure)
    print(
        f"articles: {figures['articles']} per run, {figures['rounds']} runs each way "
        f"(outcomes {figures['outcomes_in_process']}, {figures['candidates']} candidates)"
    )
    print(
        f"in-process: {figures['in_process_articles_per_second']} articles/s "
        f"({figures['in_process_seconds']} s)"
    )
    rate_verdict = "ok" if figures["celery_articles_per_second"] >= TARGET_RATE else "BELOW TARGET"
    print(
        f"through Celery, one worker: {figures['celery_articles_per_second']} articles/s "
        f"({figures['celery_seconds']} s; target ≥ {TARGET_RATE}) {rate_verdict}"
    )
    verdict = "ok" if figures["celery_to_in_process_ratio"] >= TARGET_RATIO else "BELOW TARGET"
    print(
        f"Celery / in-process: {figures['celery_to_in_process_ratio']:.3f} "
        f"(target ≥ {TARGET_RATIO}) {verdict}"
    )
    print(
        "share of time per stage: "
        + ", ".join(f"{s} {v:.1%}" for s, v in figures["stage_share"].items())
    )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2))
    print(f"saved to {RESULTS.relative_to(BASE)}")
