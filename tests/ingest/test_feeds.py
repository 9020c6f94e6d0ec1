"""Feed parsing from hostile bytes: entities refused, encodings survived, text kept plain."""

import re

import feedparser
import pytest

from negotiations.ingest.feeds import FeedParseError, looks_like_feed, parse_feed
from negotiations.ingest.text import html_to_text
from negotiations.models import Article, Feed
from negotiations.services.ingestion import feed_poll

from .conftest import FIXTURES, SHARED_DATA
from .server import Route

pytestmark = pytest.mark.django_db

CORPUS = SHARED_DATA / "feedparser-corpus"
FEED_URL = "http://feeds.example.org/wire/feed.xml"
TAG = re.compile(r"<[A-Za-z!/?]")
SCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript|data):", re.IGNORECASE)


def test_entries_become_plain_text_with_absolute_http_links():
    parsed = parse_feed((FIXTURES / "feed-rss.xml").read_bytes(), url=FEED_URL)
    assert parsed.title == "Test Wire"
    assert [e.url for e in parsed.entries] == [
        "http://feeds.example.org/wire/articles/wire.html?utm_source=rss&utm_medium=feed#top",
        "http://feeds.example.org/wire/articles/republished.html",
        "http://feeds.example.org/wire/articles/floods.html",
    ]
    assert parsed.skipped == 1  # the javascript: link
    first = parsed.entries[0]
    assert first.entry_id == "test-wire-1"
    assert first.summary == "A call between two presidents."
    assert first.published_at.isoformat() == "2025-03-18T21:00:00+00:00"


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.xml"])
def test_entity_declarations_are_refused(name):
    with pytest.raises(FeedParseError, match="declares XML entities"):
        parse_feed((FIXTURES / name).read_bytes(), url=FEED_URL)


@pytest.mark.parametrize("name", ["wrong-encoding.xml", "unknown-encoding.xml"])
def test_wrong_or_unknown_encodings_still_yield_entries(name):
    parsed = parse_feed((FIXTURES / name).read_bytes(), url=FEED_URL)
    assert len(parsed.entries) == 1
    assert parsed.entries[0].url.startswith("http://example.org/")


def test_json_feeds_are_read_and_their_bad_items_skipped():
    parsed = parse_feed((FIXTURES / "feed.json").read_bytes(), url=FEED_URL)
    assert parsed.title == "JSON Wire"
    assert [(e.entry_id, e.url, e.title) for e in parsed.entries] == [
        ("j1", "https://example.org/json-1", "Bold title")
    ]
    assert parsed.skipped == 2


@pytest.mark.parametrize(
    "data", [b"", b"   ", b"<html><body>Not a feed</body></html>", b"\x00\xff\xfe garbage", b"{"]
)
def test_what_is_not_a_feed_is_a_clear_error(data):
    with pytest.raises(FeedParseError):
        parse_feed(data, url=FEED_URL)


def test_feeds_are_told_from_pages():
    assert looks_like_feed((FIXTURES / "feed-rss.xml").read_bytes())
    assert looks_like_feed((FIXTURES / "feed.json").read_bytes())
    assert not looks_like_feed((FIXTURES / "floods.html").read_bytes())


def test_an_unparseable_feed_is_recorded_and_the_next_one_proceeds(allow_server):
    allow_server.routes["/broken.xml"] = Route((FIXTURES / "billion-laughs.xml").read_bytes())
    allow_server.routes["/feed.xml"] = Route((FIXTURES / "feed-rss.xml").read_bytes())
    broken = Feed.objects.create(url=allow_server.url("/broken.xml"))
    good = Feed.objects.create(url=allow_server.url("/feed.xml"))

    assert feed_poll(feed_id=broken.pk, enqueue=False).outcome == "failed"
    assert feed_poll(feed_id=good.pk, enqueue=False).outcome == "polled"

    broken.refresh_from_db()
    assert "declares XML entities" in broken.last_error
    assert broken.consecutive_failures == 1
    assert Article.objects.filter(feed=good).count() == 3


def corpus_files():
    assert CORPUS.is_dir(), f"the shared feed corpus is missing at {CORPUS}"
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "LICENSE")


def test_every_corpus_feed_goes_through_the_feed_path_and_no_script_reaches_the_database(
    allow_server,
):
    """All 2,100 feeds, served over HTTP and polled as the worker polls them."""
    files = corpus_files()
    assert len(files) > 2000
    for index, path in enumerate(files):
        allow_server.routes[f"/{index}.xml"] = Route(path.read_bytes())
    feeds = Feed.objects.bulk_create(
        Feed(url=allow_server.url(f"/{index}.xml")) for index in range(len(files))
    )
    outcomes = {}
    for feed in feeds:
        result = feed_poll(feed_id=feed.pk, enqueue=False)
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
    print(f"corpus: {len(files)} feeds, outcomes {outcomes}, {Article.objects.count()} articles")
    assert set(outcomes) <= {"polled", "failed"}
    assert outcomes["polled"] > 2000

    sanitize = [i for i, p in enumerate(files) if "sanitize" in p.parts]
    assert len(sanitize) > 700
    for article in Article.objects.all():
        for field in ("title", "author", "outlet", "text", "feed_entry_id"):
            assert not TAG.search(getattr(article, field)), (field, getattr(article, field))
        assert article.url.startswith(("http://", "https://")), article.url
        assert not SCRIPT_URL.search(article.canonical_url)
    for feed in Feed.objects.all():
        assert not TAG.search(feed.name), feed.name
        assert "<script" not in feed.last_error.lower()


def test_every_injection_attempt_in_the_sanitize_corpus_becomes_plain_text():
    """Most of these entries have no link, so no article; their markup must still come out
    of our plain-text conversion without a single tag."""
    files = [p for p in corpus_files() if "sanitize" in p.parts]
    assert len(files) > 700
    values = 0
    for path in files:
        parsed = feedparser.parse(path.read_bytes(), sanitize_html=False)
        for entry in parsed.entries:
            raw = [entry.get("title", ""), entry.get("summary", "")]
            raw += [part.get("value", "") for part in entry.get("content", [])]
            for value in filter(None, raw):
                values += 1
                assert not TAG.search(html_to_text(value)), (path.name, value)
    assert values > 700


@pytest.mark.parametrize("well_formed", [True, False])
def test_a_feed_nested_absurdly_deep_is_refused_cheaply(well_formed):
    depth = 500_000
    close = b"</b>" * depth if well_formed else b""
    data = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Deep &amp; wide</title>'
        + (b"" if well_formed else b"<broken")
        + b"<item><title>"
        + b"<b>" * depth
        + close
        + b"</title><link>http://a.example.org/x</link></item></channel></rss>"
    )
    with pytest.raises(FeedParseError, match="nested more than"):
        parse_feed(data, url=FEED_URL)
