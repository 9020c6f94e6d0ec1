"""The local demo feed that `make run` serves and registers."""

import pytest

from negotiations.management.commands.runstack import register_demo_feed, serve_demo_feed
from negotiations.models import Article, Feed
from negotiations.services.ingestion import article_process, feed_poll

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_server():
    server = serve_demo_feed(port=0)
    yield server
    server.shutdown()
    server.server_close()


def test_the_demo_feed_is_served_polled_and_yields_candidates(demo_server, settings, scenario):
    port = demo_server.server_address[1]
    settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{port}"]
    url = f"http://127.0.0.1:{port}/feed.xml"
    register_demo_feed(url=url)
    register_demo_feed(url=url)
    feed = Feed.objects.get(url=url)
    assert feed.enabled and feed.poll_interval_minutes == 1

    result = feed_poll(feed_id=feed.pk, enqueue=False)
    assert result.outcome == "polled" and len(result.article_ids) == 3
    for article_id in result.article_ids:
        assert article_process(article_id=article_id).outcome == "extracted"
    counts = {a.title: a.statements.count() for a in Article.objects.filter(feed=feed)}
    assert counts["Spring floods close three rural roads"] == 0
    assert counts["Kyiv asks for monitors as the energy truce takes hold"] > 0
    assert counts["Washington presses Moscow on the full ceasefire"] > 0
    # The second poll is answered 304 by the file server: nothing changes.
    assert feed_poll(feed_id=feed.pk, enqueue=False).outcome == "not_modified"
