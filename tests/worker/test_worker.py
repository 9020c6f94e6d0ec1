"""A real Celery worker against the real Redis and PostgreSQL.

The worker runs in a subprocess on the test database (committed rows: transactional_db),
polls a feed served on 127.0.0.1, and is killed in the middle of a task and started again.
"""

import time
import uuid

import pytest

from negotiations.ingest.extract import Gazetteers, extract_all
from negotiations.models import Article, Feed, Statement
from negotiations.services.scenario import scenario_load
from negotiations.tasks import poll_feed
from tests.ingest.conftest import FIXTURES
from tests.ingest.pages import wire_copy
from tests.ingest.server import LocalServer, Route

from .launch import drop_queue, kill_worker, start_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FEED = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Worker test wire</title>
<item><title>One</title><link>one.html</link><guid isPermaLink="false">one</guid></item>
<item><title>Slow</title><link>slow.html</link><guid isPermaLink="false">slow</guid></item>
<item><title>Floods</title><link>floods.html</link><guid isPermaLink="false">floods</guid></item>
</channel></rss>"""


class Slow(Route):
    """A page that takes a few seconds: long enough to kill the worker in the middle."""

    def handle(self, handler):
        time.sleep(4)
        super().handle(handler)


def wait_for(condition, *, timeout: float, what: str, log_path=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    tail = log_path.read_text()[-4000:] if log_path else ""
    raise AssertionError(f"timed out waiting for {what}\n--- worker log ---\n{tail}")


def test_a_killed_worker_loses_nothing_and_duplicates_nothing(tmp_path):
    scenario_load()
    log_path = tmp_path / "worker.log"
    log = log_path.open("a")
    queue = f"test-worker-{uuid.uuid4().hex[:12]}"
    with LocalServer() as server:
        server.routes["/feed.xml"] = Route(FEED)
        server.routes["/one.html"] = Route(wire_copy("Wire Agency"))
        server.routes["/slow.html"] = Slow(wire_copy("Slow Outlet", dateline="KYIV -"))
        server.routes["/floods.html"] = Route((FIXTURES / "floods.html").read_bytes())
        feed = Feed.objects.create(url=server.url("/feed.xml"), name="worker test")

        worker = start_worker(queue, allowed_host=f"127.0.0.1:{server.port}", log=log)
        try:
            poll_feed.apply_async(args=[feed.pk], queue=queue)
            wait_for(
                lambda: server.hits("/slow.html") >= 1,
                timeout=60,
                what="the slow page",
                log_path=log_path,
            )
            kill_worker(worker)  # in the middle of processing the slow article
            slow = Article.objects.get(feed_entry_id="slow")
            assert slow.extracted_at is None and slow.fetch_attempts == 1

            worker = start_worker(queue, allowed_host=f"127.0.0.1:{server.port}", log=log)
            wait_for(
                lambda: Article.objects.filter(extracted_at__isnull=False).count() == 3,
                timeout=90,
                what="all three articles to be processed after the restart",
                log_path=log_path,
            )
        finally:
            kill_worker(worker)
            drop_queue(queue)

    articles = {a.feed_entry_id: a for a in Article.objects.filter(feed=feed)}
    assert set(articles) == {"one", "slow", "floods"}
    assert all(a.fetch_status in ("fetched", "duplicate") for a in articles.values())
    assert articles["slow"].fetch_attempts == 2
    assert articles["slow"].duplicate_of == articles["one"]  # the same wire story
    expected = len(extract_all(articles["one"].text, Gazetteers.from_db()))
    assert expected > 0
    assert Statement.objects.filter(article=articles["one"]).count() == expected
    assert Statement.objects.filter(article__in=[articles["slow"], articles["floods"]]).count() == 0
