"""Claims with a lease, short transactions, the sweep, and dedupe without a global lock."""

import datetime
import random
import threading
from unittest.mock import Mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from negotiations import tasks
from negotiations.ingest.dedupe import NEAR_DUPLICATE_DISTANCE, hamming
from negotiations.models import Article, Feed
from negotiations.services import ingestion
from negotiations.services.ingestion import article_process, feed_poll, ingestion_sweep

from .conftest import FIXTURES
from .pages import news_page, wire_copy
from .server import Route

pytestmark = pytest.mark.django_db


def pending(url: str, **fields) -> Article:
    return Article.objects.create(url=url, canonical_url=url, **fields)


class RowLockProbe(Route):
    """While serving, tries to lock a row from another connection: a fetch made inside a
    transaction that holds the row would make that fail."""

    def __init__(self, body: bytes, *, model, pk: int):
        super().__init__(body)
        self.model, self.pk = model, pk
        self.locked_elsewhere: bool | None = None

    def handle(self, handler):
        try:
            with transaction.atomic():
                self.model.objects.select_for_update(nowait=True).get(pk=self.pk)
            self.locked_elsewhere = False
        except DatabaseError:
            self.locked_elsewhere = True
        finally:
            connection.close()
        super().handle(handler)


@pytest.mark.django_db(transaction=True)
def test_an_article_is_fetched_outside_any_transaction(allow_server):
    article = pending(allow_server.url("/a"))
    probe = RowLockProbe(wire_copy("Outlet A"), model=Article, pk=article.pk)
    allow_server.routes["/a"] = probe
    assert article_process(article_id=article.pk).outcome == "extracted"
    assert probe.locked_elsewhere is False


@pytest.mark.django_db(transaction=True)
def test_a_feed_is_fetched_outside_any_transaction(allow_server):
    feed = Feed.objects.create(url=allow_server.url("/feed.xml"))
    probe = RowLockProbe((FIXTURES / "feed-rss.xml").read_bytes(), model=Feed, pk=feed.pk)
    allow_server.routes["/feed.xml"] = probe
    assert feed_poll(feed_id=feed.pk, enqueue=False).outcome == "polled"
    assert probe.locked_elsewhere is False


def test_a_claimed_article_is_left_to_its_holder_until_the_lease_runs_out(allow_server):
    allow_server.routes["/a"] = Route(wire_copy("Outlet A"))
    now = timezone.now()
    article = pending(
        allow_server.url("/a"),
        leased_by="other-worker:1:abc",
        leased_until=now + datetime.timedelta(minutes=1),
        fetch_attempts=1,
    )
    result = article_process(article_id=article.pk)
    assert result.outcome == "skipped" and "other-worker" in result.error
    assert allow_server.hits("/a") == 0

    Article.objects.filter(pk=article.pk).update(leased_until=now - datetime.timedelta(seconds=1))
    assert article_process(article_id=article.pk).outcome == "extracted"
    article.refresh_from_db()
    assert (article.leased_by, article.leased_until, article.fetch_attempts) == ("", None, 2)


def test_a_worker_whose_lease_passed_to_another_saves_nothing(allow_server, monkeypatch):
    allow_server.routes["/a"] = Route(wire_copy("Outlet A"))
    article = pending(allow_server.url("/a"))
    real_fetch = ingestion.fetch

    def slow_fetch(*args, **kwargs):
        # Meanwhile the lease ran out and another worker claimed the article.
        Article.objects.filter(pk=article.pk).update(leased_by="the-other:2:def")
        return real_fetch(*args, **kwargs)

    monkeypatch.setattr(ingestion, "fetch", slow_fetch)
    result = article_process(article_id=article.pk)
    assert result.outcome == "skipped" and "lease" in result.error
    article.refresh_from_db()
    assert article.extracted_at is None and article.content_hash == ""


def test_the_sweep_enqueues_dead_and_lost_work_but_not_live_work(
    monkeypatch, django_capture_on_commit_callbacks
):
    delay = Mock()
    monkeypatch.setattr("negotiations.tasks.process_article.delay", delay)
    monkeypatch.setattr(ingestion, "queue_length", lambda: 0)
    now = timezone.now()
    minutes = datetime.timedelta(minutes=1)
    dead = pending("http://a.test/dead", leased_by="w:1:x", leased_until=now - minutes)
    lost = pending("http://a.test/lost", task_due_at=now - 10 * minutes)
    never = pending("http://a.test/never")
    pending("http://a.test/working", leased_by="w:2:y", leased_until=now + minutes)
    pending("http://a.test/queued", task_due_at=now - minutes)
    pending("http://a.test/retry-later", task_due_at=now + 10 * minutes)
    pending("http://a.test/done", task_due_at=now - 10 * minutes, fetch_status="fetched")
    with django_capture_on_commit_callbacks(execute=True):
        ids = ingestion_sweep(now=now)
    assert sorted(ids) == sorted([dead.pk, lost.pk, never.pk])
    assert sorted(c.args[0] for c in delay.call_args_list) == sorted(ids)
    assert Article.objects.get(pk=lost.pk).task_due_at >= now

    # With a long queue, a task for an unleased article may still be waiting in it.
    monkeypatch.setattr(ingestion, "queue_length", lambda: 10_000)
    Article.objects.update(task_due_at=now - 10 * minutes)
    Article.objects.filter(pk=dead.pk).update(leased_until=now - minutes)
    assert ingestion_sweep(now=now) == [dead.pk]


def test_the_sweep_is_scheduled():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["ingestion-sweep"]["task"] == (tasks.sweep_ingestion.name)


def test_a_poll_cut_by_the_soft_time_limit_is_recorded_on_the_feed(monkeypatch):
    feed = Feed.objects.create(url="http://feeds.example.test/slow.xml", poll_interval_minutes=10)
    monkeypatch.setattr(
        "negotiations.services.ingestion.fetch", Mock(side_effect=SoftTimeLimitExceeded())
    )
    before = timezone.now()
    tasks.poll_feed.apply(args=[feed.pk])
    feed.refresh_from_db()
    assert "took longer than" in feed.last_error and feed.consecutive_failures == 1
    assert feed.next_poll_at >= before + datetime.timedelta(minutes=17)  # backed off
    assert feed.leased_until is None


def test_an_unexpected_poll_failure_is_recorded_on_the_feed(monkeypatch):
    feed = Feed.objects.create(url="http://feeds.example.test/odd.xml")
    monkeypatch.setattr(
        "negotiations.services.ingestion.fetch", Mock(side_effect=ValueError("odd URL"))
    )
    tasks.poll_feed.apply(args=[feed.pk])
    feed.refresh_from_db()
    assert "ValueError: odd URL" in feed.last_error and feed.leased_until is None


def test_an_article_cut_by_the_soft_time_limit_keeps_the_reason(monkeypatch, settings):
    settings.INGEST_MAX_ATTEMPTS = 2
    article = pending("http://pages.example.test/huge.html")
    monkeypatch.setattr(
        "negotiations.services.ingestion.fetch", Mock(side_effect=SoftTimeLimitExceeded())
    )
    tasks.process_article.apply(args=[article.pk])
    article.refresh_from_db()
    assert article.fetch_status == "failed"
    assert "took longer than" in article.fetch_error and article.leased_until is None


# -- dedupe without a global lock ----------------------------------------------------------


def random_signature(rng) -> int:
    value = rng.getrandbits(64)
    return value - (1 << 64) if value >= 1 << 63 else value


def flip(signature: int, bits: list[int]) -> int:
    value = signature & ((1 << 64) - 1)
    for bit in bits:
        value ^= 1 << bit
    return value - (1 << 64) if value >= 1 << 63 else value


def test_the_band_lookup_finds_exactly_what_a_full_scan_finds():
    rng = random.Random(7)
    probe = random_signature(rng)
    stored = [random_signature(rng) for _ in range(300)]
    # Neighbours at every distance around the threshold, bits spread over all bands.
    stored += [flip(probe, rng.sample(range(64), d)) for d in range(0, 14) for _ in range(3)]
    Article.objects.bulk_create(
        Article(
            url=f"http://x.test/{i}",
            canonical_url=f"http://x.test/{i}",
            fetch_status="fetched",
            content_hash=f"h{i}",
            near_duplicate_signature=s,
        )
        for i, s in enumerate(stored)
    )
    distances = {a.pk: hamming(probe, a.near_duplicate_signature) for a in Article.objects.all()}
    within = sorted((d, pk) for pk, d in distances.items() if d <= NEAR_DUPLICATE_DISTANCE)
    assert len(within) >= 3 * (NEAR_DUPLICATE_DISTANCE + 1)
    assert ingestion.near_duplicates(probe) == within
    found = ingestion._near_duplicate(Article(pk=0, near_duplicate_signature=probe))
    assert found.pk == within[0][1]


class MeetInsideTheSave:
    """Hold the first two saves inside their transactions until both are there."""

    def __init__(self, monkeypatch):
        self.barrier = threading.Barrier(2, timeout=15)
        self.calls = 0
        real = ingestion._find_original

        def find_original(*args, **kwargs):
            found = real(*args, **kwargs)
            self.calls += 1
            if self.calls <= 2:
                self.barrier.wait()
            return found

        monkeypatch.setattr(ingestion, "_find_original", find_original)


def process_at_once(ids: list[int]) -> list[str]:
    outcomes, errors = [], []

    def work(article_id):
        try:
            outcomes.append(article_process(article_id=article_id).outcome)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_unrelated_articles_are_saved_at_the_same_time(allow_server, monkeypatch):
    """No global lock: both saves are inside their transactions at once."""
    allow_server.routes["/a"] = Route(wire_copy("Outlet A"))
    allow_server.routes["/b"] = Route((FIXTURES / "floods.html").read_bytes())
    MeetInsideTheSave(monkeypatch)
    ids = [pending(allow_server.url(p)).pk for p in ("/a", "/b")]
    assert sorted(process_at_once(ids)) == ["extracted", "extracted"]


@pytest.mark.django_db(transaction=True)
def test_two_copies_saved_at_the_same_time_make_one_original(allow_server, monkeypatch):
    allow_server.routes["/a"] = Route(wire_copy("Outlet A"))
    allow_server.routes["/b"] = Route(wire_copy("Outlet B", dateline="KYIV -"))
    allow_server.routes["/c"] = Route(wire_copy("Outlet C"))
    MeetInsideTheSave(monkeypatch)
    near = [pending(allow_server.url(p)).pk for p in ("/a", "/b")]
    assert sorted(process_at_once(near)) == ["duplicate", "extracted"]
    articles = Article.objects.filter(pk__in=near)
    original = articles.get(fetch_status="fetched")
    assert articles.get(fetch_status="duplicate").duplicate_of == original
    exact = pending(allow_server.url("/c")).pk
    assert article_process(article_id=exact).outcome == "duplicate"


def test_a_canonical_link_to_another_site_is_not_trusted(allow_server, fake_dns, settings):
    """One outlet's page cannot claim another outlet's URL and have its story skipped."""
    fake_dns["news.victim.test"] = ["127.0.0.1"]
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    victim_url = f"http://news.victim.test:{allow_server.port}/story"
    allow_server.routes["/hijack"] = Route(
        news_page(
            outlet="Hijacker", title="Mine", paragraphs=["Other words."], canonical=victim_url
        )
    )
    hijacker = pending(allow_server.url("/hijack"))
    article_process(article_id=hijacker.pk)
    hijacker.refresh_from_db()
    assert hijacker.canonical_url == allow_server.url("/hijack")
    assert not Article.objects.filter(canonical_url=victim_url).exists()


def test_entries_not_recorded_are_listed_on_the_feed_with_the_reason(allow_server, settings):
    settings.INGEST_MAX_NEW_ENTRIES_PER_POLL = 1
    allow_server.routes["/feed.xml"] = Route((FIXTURES / "feed-rss.xml").read_bytes())
    taken = pending(allow_server.url("/articles/floods.html"))
    feed = Feed.objects.create(url=allow_server.url("/feed.xml"))
    result = feed_poll(feed_id=feed.pk, enqueue=False)
    assert len(result.article_ids) == 1
    feed.refresh_from_db()
    reasons = {entry["url"].split("/")[-1]: entry["reason"] for entry in feed.skipped_entries}
    assert f"article #{taken.pk}" in reasons["floods.html"]
    assert "left for the next poll" in reasons["republished.html"]
    assert len(feed_poll(feed_id=feed.pk, enqueue=False).article_ids) == 1
