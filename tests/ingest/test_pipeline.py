"""Polling feeds and processing articles: idempotence, backoff, dedupe, failures."""

import datetime
import threading
from unittest.mock import Mock

import pytest
from django.db import connection, transaction
from django.utils import timezone

from negotiations.models import Article, Feed, Statement
from negotiations.services.ingestion import (
    TransientIngestError,
    article_process,
    feed_poll,
    feeds_dispatch_due,
)
from tests.factories import FeedFactory

from .conftest import FIXTURES
from .pages import news_page, seed_report, wire_copy
from .server import ConditionalRoute, Route

pytestmark = pytest.mark.django_db


@pytest.fixture
def wire(allow_server):
    """The test feed and its three pages, served on 127.0.0.1."""
    allow_server.routes["/wire/feed.xml"] = Route((FIXTURES / "feed-rss.xml").read_bytes())
    allow_server.routes["/wire/articles/wire.html?utm_source=rss&utm_medium=feed"] = Route(
        wire_copy("Wire Agency")
    )
    allow_server.routes["/wire/articles/republished.html"] = Route(
        wire_copy("Daily Example", dateline="MOSCOW (AFP) -")
    )
    allow_server.routes["/wire/articles/floods.html"] = Route(
        (FIXTURES / "floods.html").read_bytes()
    )
    return allow_server


def poll_and_process(feed: Feed) -> list[int]:
    result = feed_poll(feed_id=feed.pk, enqueue=False)
    for article_id in result.article_ids:
        article_process(article_id=article_id)
    return result.article_ids


def test_a_poll_records_each_new_entry_once_and_enqueues_it_on_commit(
    wire, django_capture_on_commit_callbacks, monkeypatch
):
    delay = Mock()
    monkeypatch.setattr("negotiations.tasks.process_article.delay", delay)
    feed = Feed.objects.create(url=wire.url("/wire/feed.xml"), outlet="Wire")
    with django_capture_on_commit_callbacks(execute=True):
        first = feed_poll(feed_id=feed.pk)
    assert first.outcome == "polled" and len(first.article_ids) == 3
    assert sorted(c.args[0] for c in delay.call_args_list) == sorted(first.article_ids)
    urls = set(Article.objects.values_list("canonical_url", flat=True))
    assert wire.url("/wire/articles/wire.html") in urls  # tracking and fragment dropped

    wire.routes["/wire/feed.xml"].headers = {}  # no validators: a full response again
    with django_capture_on_commit_callbacks(execute=True):
        second = feed_poll(feed_id=feed.pk)
    assert second.article_ids == []
    assert Article.objects.count() == 3
    assert delay.call_count == 3


def test_conditional_get_and_304_changes_nothing(allow_server):
    allow_server.routes["/feed.xml"] = ConditionalRoute(
        (FIXTURES / "feed-rss.xml").read_bytes(),
        headers={"ETag": '"v1"', "Last-Modified": "Tue, 18 Mar 2025 21:00:00 GMT"},
    )
    feed = Feed.objects.create(url=allow_server.url("/feed.xml"))
    assert feed_poll(feed_id=feed.pk, enqueue=False).outcome == "polled"
    feed.refresh_from_db()
    assert (feed.etag, feed.last_modified) == ('"v1"', "Tue, 18 Mar 2025 21:00:00 GMT")
    articles = Article.objects.count()

    assert feed_poll(feed_id=feed.pk, enqueue=False).outcome == "not_modified"
    sent = allow_server.requests[-1][1]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Tue, 18 Mar 2025 21:00:00 GMT"
    feed.refresh_from_db()
    assert feed.etag == '"v1"' and feed.consecutive_failures == 0
    assert Article.objects.count() == articles


def test_one_entry_id_within_a_feed_is_one_article_even_if_its_link_changes(allow_server):
    feed_xml = (FIXTURES / "feed-rss.xml").read_bytes()
    allow_server.routes["/feed.xml"] = Route(feed_xml)
    feed = Feed.objects.create(url=allow_server.url("/feed.xml"))
    feed_poll(feed_id=feed.pk, enqueue=False)
    allow_server.routes["/feed.xml"] = Route(
        feed_xml.replace(b"articles/floods.html", b"articles/floods-updated.html")
    )
    assert feed_poll(feed_id=feed.pk, enqueue=False).article_ids == []
    assert Article.objects.filter(feed=feed).count() == 3


def test_one_story_in_two_feeds_is_one_article(allow_server):
    allow_server.routes["/a.xml"] = Route((FIXTURES / "feed-rss.xml").read_bytes())
    other = (FIXTURES / "feed-rss.xml").read_bytes().replace(b"utm_source=rss", b"fbclid=abc")
    allow_server.routes["/b.xml"] = Route(other.replace(b"test-wire-", b"other-"))
    first = Feed.objects.create(url=allow_server.url("/a.xml"))
    second = Feed.objects.create(url=allow_server.url("/b.xml"))
    feed_poll(feed_id=first.pk, enqueue=False)
    assert feed_poll(feed_id=second.pk, enqueue=False).article_ids == []
    assert Article.objects.count() == 3


def test_a_failing_feed_backs_off_exponentially(allow_server):
    allow_server.routes["/feed.xml"] = Route(b"oops", status=500)
    feed = Feed.objects.create(url=allow_server.url("/feed.xml"), poll_interval_minutes=10)
    delays = []
    for _ in range(3):
        before = timezone.now()
        assert feed_poll(feed_id=feed.pk, enqueue=False).outcome == "failed"
        feed.refresh_from_db()
        delays.append((feed.next_poll_at - before).total_seconds() / 60)
    assert feed.consecutive_failures == 3
    assert "HTTP 500" in feed.last_error and feed.last_status_code == 500
    # 20, 40, 80 minutes, each within 10% jitter
    for delay, expected in zip(delays, [20, 40, 80], strict=True):
        assert expected * 0.89 <= delay <= expected * 1.11

    allow_server.routes["/feed.xml"] = Route((FIXTURES / "feed-rss.xml").read_bytes())
    assert feed_poll(feed_id=feed.pk, enqueue=False).outcome == "polled"
    feed.refresh_from_db()
    assert feed.consecutive_failures == 0 and feed.last_success_at is not None


@pytest.mark.parametrize("status", [429, 503])
def test_429_and_503_honour_retry_after(allow_server, status):
    allow_server.routes["/feed.xml"] = Route(b"", status=status, headers={"Retry-After": "7200"})
    feed = Feed.objects.create(url=allow_server.url("/feed.xml"), poll_interval_minutes=5)
    before = timezone.now()
    feed_poll(feed_id=feed.pk, enqueue=False)
    feed.refresh_from_db()
    assert feed.next_poll_at >= before + datetime.timedelta(hours=2)
    assert feed.next_poll_at <= timezone.now() + datetime.timedelta(hours=2, seconds=5)


def test_410_disables_the_feed(allow_server):
    allow_server.routes["/feed.xml"] = Route(b"", status=410)
    feed = Feed.objects.create(url=allow_server.url("/feed.xml"), next_poll_at=timezone.now())
    assert feed_poll(feed_id=feed.pk, enqueue=False).outcome == "disabled"
    feed.refresh_from_db()
    assert not feed.enabled and "410" in feed.last_error
    Feed.objects.filter(pk=feed.pk).update(next_poll_at=timezone.now())
    assert feeds_dispatch_due() == []


def test_dispatch_enqueues_due_feeds_once(django_capture_on_commit_callbacks, monkeypatch):
    delay = Mock()
    monkeypatch.setattr("negotiations.tasks.poll_feed.delay", delay)
    now = timezone.now()
    due = FeedFactory(next_poll_at=now - datetime.timedelta(minutes=1))
    FeedFactory(next_poll_at=now + datetime.timedelta(minutes=5))
    FeedFactory(next_poll_at=now, enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert feeds_dispatch_due() == [due.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert feeds_dispatch_due() == []  # leased until its poll sets the next time
    assert [c.args for c in delay.call_args_list] == [(due.pk,)]


@pytest.mark.django_db(transaction=True)
def test_a_feed_being_polled_by_another_worker_is_skipped(allow_server):
    allow_server.routes["/feed.xml"] = Route((FIXTURES / "feed-rss.xml").read_bytes())
    feed = Feed.objects.create(url=allow_server.url("/feed.xml"))
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        with transaction.atomic():
            Feed.objects.select_for_update().get(pk=feed.pk)
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10)
        assert feed_poll(feed_id=feed.pk, enqueue=False).outcome == "skipped"
        assert feeds_dispatch_due() == []
    finally:
        release.set()
        thread.join()
    assert Article.objects.count() == 0
    assert feed_poll(feed_id=feed.pk, enqueue=False).outcome == "polled"


def test_wire_copies_are_linked_to_the_first_and_not_extracted_twice(wire, scenario):
    feed = Feed.objects.create(url=wire.url("/wire/feed.xml"))
    poll_and_process(feed)
    original = Article.objects.get(canonical_url=wire.url("/wire/articles/wire.html"))
    copy = Article.objects.get(canonical_url=wire.url("/wire/articles/republished.html"))
    floods = Article.objects.get(canonical_url=wire.url("/wire/articles/floods.html"))
    assert original.fetch_status == "fetched" and original.duplicate_of is None
    assert copy.fetch_status == "duplicate" and copy.duplicate_of == original
    assert copy.text  # each outlet's copy stays on record
    assert copy.text != original.text
    assert original.statements.count() > 0
    assert copy.statements.count() == 0
    assert floods.duplicate_of is None and floods.statements.count() == 0


def test_an_exact_copy_and_a_declared_canonical_are_duplicates(allow_server):
    allow_server.routes["/a"] = Route(wire_copy("Outlet A"))
    allow_server.routes["/b"] = Route(wire_copy("Outlet B"))
    allow_server.routes["/c"] = Route(
        news_page(
            outlet="Outlet C",
            title="Short item",
            paragraphs=["A short syndicated item about the call."],
            canonical=allow_server.url("/a?utm_campaign=x"),
        )
    )
    ids = [
        Article.objects.create(url=allow_server.url(p), canonical_url=allow_server.url(p)).pk
        for p in ("/a", "/b", "/c")
    ]
    outcomes = [article_process(article_id=i).outcome for i in ids]
    assert outcomes == ["extracted", "duplicate", "duplicate"]
    assert set(Article.objects.filter(pk__in=ids[1:]).values_list("duplicate_of", flat=True)) == {
        ids[0]
    }


def test_processing_an_article_twice_duplicates_nothing(allow_server, scenario):
    allow_server.routes["/a"] = Route(wire_copy("Outlet A"))
    article = Article.objects.create(url=allow_server.url("/a"), canonical_url="x:a")
    assert article_process(article_id=article.pk).outcome == "extracted"
    candidates = list(Statement.objects.filter(article=article).values_list("pk", flat=True))
    assert candidates
    assert article_process(article_id=article.pk).outcome == "done"
    # Even if the article is forced through extraction again, the spans are unique.
    Article.objects.filter(pk=article.pk).update(extracted_at=None)
    article_process(article_id=article.pk)
    assert sorted(Statement.objects.filter(article=article).values_list("pk", flat=True)) == (
        sorted(candidates)
    )
    assert allow_server.hits("/a") == 2


def test_a_missing_page_fails_at_once_with_its_error(allow_server):
    article = Article.objects.create(url=allow_server.url("/gone"), canonical_url="x:gone")
    assert article_process(article_id=article.pk).outcome == "failed"
    article.refresh_from_db()
    assert article.fetch_status == "failed" and "HTTP 404" in article.fetch_error


def test_a_transient_failure_is_retried_then_given_up_after_the_bound(allow_server, settings):
    settings.INGEST_MAX_ATTEMPTS = 3
    allow_server.routes["/busy"] = Route(b"", status=503, headers={"Retry-After": "30"})
    article = Article.objects.create(url=allow_server.url("/busy"), canonical_url="x:busy")
    for _ in range(3):
        with pytest.raises(TransientIngestError) as caught:
            article_process(article_id=article.pk)
        assert caught.value.retry_after == 30
    article.refresh_from_db()
    assert article.fetch_status == "pending" and "HTTP 503" in article.fetch_error
    assert article_process(article_id=article.pk).outcome == "failed"
    article.refresh_from_db()
    assert article.fetch_status == "failed"
    assert "gave up after 3 attempts" in article.fetch_error and "HTTP 503" in article.fetch_error
    assert allow_server.hits("/busy") == 3


def test_an_article_that_kills_its_worker_counts_its_attempts(allow_server, settings, monkeypatch):
    """The attempt is committed before the work, so a crash (here: an exception that
    rolls the work back) still counts, and the article ends failed."""
    settings.INGEST_MAX_ATTEMPTS = 2
    allow_server.routes["/poison"] = Route(wire_copy("Outlet P"))
    monkeypatch.setattr(
        "negotiations.services.ingestion.extract_article", Mock(side_effect=MemoryError("boom"))
    )
    article = Article.objects.create(url=allow_server.url("/poison"), canonical_url="x:p")
    for _ in range(2):
        with pytest.raises(MemoryError):
            article_process(article_id=article.pk)
    assert article_process(article_id=article.pk).outcome == "failed"
    article.refresh_from_db()
    assert article.fetch_attempts == 2 and "gave up after 2 attempts" in article.fetch_error


def test_a_seed_report_text_is_not_swallowed_by_dedupe(scenario, tmp_path):
    """The seed's own record of the report is a source, not a copy to dedupe against."""
    from negotiations.services.ingestion import ingest_source

    seed = Article.objects.get(canonical_url="urn:ceasefire-tracker:seed:afp-trump-putin-call")
    assert seed.text.strip() == seed_report().strip()
    path = tmp_path / "report.txt"
    path.write_text(seed_report())
    [article_id] = ingest_source(source=str(path), sync=True)
    article = Article.objects.get(pk=article_id)
    assert article.duplicate_of is None and article.fetch_status == "fetched"
    assert article.statements.filter(status="candidate").exists()

    again = tmp_path / "copy.txt"
    again.write_text(seed_report())
    [copy_id] = ingest_source(source=str(again), sync=True)
    assert Article.objects.get(pk=copy_id).duplicate_of_id == article_id


@pytest.mark.django_db(transaction=True)
def test_two_workers_processing_one_article_at_once_give_one_set_of_candidates(allow_server):
    from negotiations.services.scenario import scenario_load

    scenario_load()
    allow_server.routes["/a"] = Route(wire_copy("Outlet A"))
    article = Article.objects.create(url=allow_server.url("/a"), canonical_url="x:a")
    barrier = threading.Barrier(2)
    outcomes = []

    def worker():
        barrier.wait()
        try:
            outcomes.append(article_process(article_id=article.pk).outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("extracted") == 1
    assert set(outcomes) - {"extracted"} <= {"skipped", "done"}
    spans = list(
        Statement.objects.filter(article=article).values_list(
            "article", "span_start", "span_end", "speaker"
        )
    )
    assert spans and len(spans) == len(set(spans))
    assert article_process(article_id=article.pk).outcome == "done"
