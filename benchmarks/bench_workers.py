"""Workers scale on a fetch-latency-bound feed: `python -m benchmarks workers`.

A feed of 40 entries is served on 127.0.0.1, each article page answering after 200 ms (a
slow outlet; the pages are short news reports, so waiting, not parsing, dominates). The
feed is polled through Celery and its articles processed by one worker process, then by
two (each `--concurrency 1`, as two machines would run them), alternating for a few rounds
so that the machine's load weighs on both alike. Timed from the poll to the last article
saved; the figure to keep is two workers' throughput over one's, at least 1.7.

Everything happens in a database of its own (`<name>_bench`, created and dropped here).
Figures go to bench-results/workers.json.
"""

import json
import socket
import time
import uuid
from pathlib import Path

from django.conf import settings

from benchmarks import in_bench_database

BASE = Path(settings.BASE_DIR)
RESULTS = BASE / "bench-results" / "workers.json"
REPORTS = BASE / "tests" / "data" / "reports"
ARTICLES = 40
PAGE_DELAY = 0.2
ROUNDS = 2
TARGET_RATIO = 1.7


def pages() -> list[bytes]:
    from tests.ingest.pages import news_page

    texts = sorted(p.read_text() for p in REPORTS.glob("*/*.txt"))
    return [
        news_page(
            outlet=f"Outlet {index}",
            title=f"Report {index}",
            paragraphs=[f"Report {index}.", *text.split("\n")],
        )
        for index, text in enumerate((texts * 2)[:ARTICLES])
    ]


def serve(server, prefix: str, bodies: list[bytes]) -> str:
    """Routes for one run's feed and pages; the feed's URL."""
    from tests.ingest.server import Route

    class Slow(Route):
        def handle(self, handler):
            time.sleep(PAGE_DELAY)
            super().handle(handler)

    items = []
    for index, body in enumerate(bodies):
        path = f"/{prefix}/{index}.html"
        server.routes[path] = Slow(body, headers={"Content-Type": "text/html"})
        items.append(
            f"<item><title>{index}</title><link>{path}</link><guid>{prefix}-{index}</guid></item>"
        )
    feed = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench {prefix}</title>'
        f"{''.join(items)}</channel></rss>"
    )
    server.routes[f"/{prefix}/feed.xml"] = Route(
        feed.encode(), headers={"Content-Type": "application/rss+xml"}
    )
    return server.url(f"/{prefix}/feed.xml")


def run(server, bodies, *, queue: str, prefix: str) -> float:
    from negotiations.models import Article, Feed
    from negotiations.tasks import poll_feed

    feed = Feed.objects.create(url=serve(server, prefix, bodies), name=prefix)
    started = time.perf_counter()
    poll_feed.apply_async(args=[feed.pk], queue=queue)
    deadline = time.monotonic() + 600
    while True:
        done = Article.objects.filter(feed=feed).exclude(extracted_at__isnull=True).count()
        failed = Article.objects.filter(feed=feed, fetch_status="failed").count()
        if done + failed >= len(bodies):
            break
        if time.monotonic() > deadline:
            raise RuntimeError("the run did not finish within 10 minutes")
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if failed:
        raise RuntimeError(f"{failed} article(s) failed in {prefix}")
    return seconds


def reset() -> None:
    from negotiations.models import Article, Feed, Statement

    Statement.objects.all().delete()
    Article.objects.update(duplicate_of=None)
    Article.objects.all().delete()
    Feed.objects.all().delete()


def measure() -> dict:
    from config.celery import app
    from tests.ingest.server import LocalServer
    from tests.worker.launch import drop_queue, kill_worker, start_worker

    from .bench_ingest import wait_ready

    bodies = pages()
    seconds = {1: 0.0, 2: 0.0}
    with LocalServer() as server:
        settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{server.port}"]
        allowed = f"127.0.0.1:{server.port}"
        queue = f"bench-workers-{uuid.uuid4().hex[:10]}"
        workers = [start_worker(queue, allowed_host=allowed, name=f"{queue}-{n}") for n in (1, 2)]
        try:
            for n in (1, 2):
                wait_ready(app, f"{queue}-{n}@{socket.gethostname()}")
            run(server, bodies[:4], queue=queue, prefix="warm")  # imports, caches
            reset()
            for round_number in range(ROUNDS):
                for count in (1, 2):
                    # One worker: the second stops consuming; two: both consume.
                    if count == 1:
                        app.control.cancel_consumer(
                            queue, destination=[f"{queue}-2@{socket.gethostname()}"], reply=True
                        )
                    else:
                        app.control.add_consumer(
                            queue, destination=[f"{queue}-2@{socket.gethostname()}"], reply=True
                        )
                    seconds[count] += run(
                        server, bodies, queue=queue, prefix=f"r{round_number}-{count}"
                    )
                    reset()
        finally:
            for worker in workers:
                kill_worker(worker)
            drop_queue(queue)
    processed = ARTICLES * ROUNDS
    one, two = processed / seconds[1], processed / seconds[2]
    return {
        "articles": ARTICLES,
        "rounds": ROUNDS,
        "page_delay_s": PAGE_DELAY,
        "one_worker_articles_per_second": round(one, 2),
        "two_workers_articles_per_second": round(two, 2),
        "ratio": round(two / one, 3),
        "target_ratio": TARGET_RATIO,
    }


def main() -> None:
    figures = in_bench_database(measure)
    print(
        f"{ARTICLES} articles, pages delayed {PAGE_DELAY * 1000:.0f} ms, {ROUNDS} rounds each: "
        f"one worker {figures['one_worker_articles_per_second']} articles/s, "
        f"two {figures['two_workers_articles_per_second']} articles/s"
    )
    verdict = "ok" if figures["ratio"] >= TARGET_RATIO else "BELOW TARGET"
    print(f"two / one: {figures['ratio']:.2f}× (target ≥ {TARGET_RATIO}×) {verdict}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2))
    print(f"saved to {RESULTS.relative_to(BASE)}")
