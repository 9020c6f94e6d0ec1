"""Writes for ingestion: polling feeds, processing articles, ingesting given sources.

Every function here is safe to run twice, or by two workers at once: rows are locked with
`select_for_update(skip_locked=True)`, inserts rely on unique constraints with
ON CONFLICT DO NOTHING, and follow-up tasks are enqueued only once the transaction commits.
"""

import dataclasses
import datetime
import hashlib
import random
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ..ingest.articles import (
    ArticleContent,
    ArticleParseError,
    extract_article,
    plain_text_article,
)
from ..ingest.dedupe import (
    NEAR_DUPLICATE_DISTANCE,
    canonicalise_url,
    content_hash,
    simhash,
)
from ..ingest.feeds import FeedEntry, FeedParseError, looks_like_feed, parse_feed
from ..ingest.fetch import (
    FEED_MAX_BYTES,
    PAGE_MAX_BYTES,
    FetchError,
    HTTPStatusError,
    fetch,
)
from ..models import Article, Feed
from .statements import statement_candidates_create

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
MAX_BACKOFF = datetime.timedelta(hours=24)
# A dispatched feed is not dispatched again for this long, even if its poll task waits in
# the queue; the poll itself sets the real next time.
DISPATCH_LEASE = datetime.timedelta(minutes=10)
DISPATCH_BATCH = 500
# Serialises the short dedupe-and-save step across workers, so two copies of one story
# processed at the same moment cannot both miss each other.
DEDUPE_LOCK = int.from_bytes(hashlib.blake2b(b"ceasefire:dedupe", digest_size=4).digest(), "big")


class TransientIngestError(Exception):
    """Worth trying again later: a timeout, a refused connection, a 5xx, a 429."""

    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class SourceError(Exception):
    """A source given to `ingest` that cannot be read; the message says why."""


@dataclasses.dataclass
class FeedPollResult:
    feed_id: int
    outcome: str  # polled, not_modified, failed, disabled, skipped
    article_ids: list[int] = dataclasses.field(default_factory=list)
    error: str = ""


@dataclasses.dataclass
class ArticleResult:
    article_id: int
    outcome: str  # extracted, duplicate, failed, retry, done, skipped
    error: str = ""


def _jitter(delay: datetime.timedelta) -> datetime.timedelta:
    return delay * random.uniform(0.9, 1.1)


def feed_backoff(*, interval_minutes: int, failures: int) -> datetime.timedelta:
    """Doubling delay after each consecutive failure, from the poll interval, capped."""
    delay = datetime.timedelta(minutes=max(interval_minutes, 1)) * 2 ** min(failures, 16)
    return min(delay, MAX_BACKOFF)


def feeds_dispatch_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Enqueue a poll of every enabled feed that is due; returns their ids."""
    from ..tasks import poll_feed

    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Feed.objects.select_for_update(skip_locked=True)
            .filter(enabled=True, next_poll_at__lte=now)
            .order_by("next_poll_at")
            .values_list("pk", flat=True)[:DISPATCH_BATCH]
        )
        Feed.objects.filter(pk__in=ids).update(next_poll_at=now + DISPATCH_LEASE)
        for feed_id in ids:
            poll_feed.delay_on_commit(feed_id)
    return ids


def _feed_failed(feed: Feed, error: FetchError | FeedParseError, now) -> FeedPollResult:
    feed.consecutive_failures += 1
    feed.last_error = str(error)[:2000]
    feed.last_error_at = now
    retry_after = getattr(error, "retry_after", None)
    status = getattr(error, "status", None)
    if status in (429, 503) and retry_after is not None:
        # Honour the server's wait, never sooner than our own interval.
        wait = max(
            datetime.timedelta(seconds=retry_after),
            datetime.timedelta(minutes=feed.poll_interval_minutes),
        )
        feed.next_poll_at = now + min(wait, datetime.timedelta(days=7))
    else:
        feed.next_poll_at = now + _jitter(
            feed_backoff(
                interval_minutes=feed.poll_interval_minutes, failures=feed.consecutive_failures
            )
        )
    return FeedPollResult(feed.pk, "failed", error=feed.last_error)


def _clamped(moment: datetime.datetime | None, now) -> datetime.datetime | None:
    return min(moment, now) if moment is not None else None


def _record_entries(feed: Feed | None, entries: list[FeedEntry], now) -> list[int]:
    """Insert the entries not yet on record as pending articles; ids of the new ones."""
    by_canonical: dict[str, FeedEntry] = {}
    for entry in entries:
        by_canonical.setdefault(canonicalise_url(entry.url)[:2000], entry)
    if not by_canonical:
        return []
    known = set(
        Article.objects.filter(canonical_url__in=by_canonical).values_list(
            "canonical_url", flat=True
        )
    )
    if feed is not None:
        known_entries = set(
            Article.objects.filter(
                feed=feed, feed_entry_id__in=[e.entry_id for e in by_canonical.values()]
            ).values_list("feed_entry_id", flat=True)
        )
    else:
        known_entries = set()
    fresh = {
        canonical: entry
        for canonical, entry in by_canonical.items()
        if canonical not in known and entry.entry_id not in known_entries
    }
    Article.objects.bulk_create(
        [
            Article(
                url=entry.url,
                canonical_url=canonical,
                feed=feed,
                feed_entry_id=entry.entry_id if feed is not None else "",
                outlet=(feed.outlet or feed.name)[:200] if feed is not None else "",
                title=entry.title,
                author=entry.author,
                published_at=_clamped(entry.published_at, now),
            )
            for canonical, entry in fresh.items()
        ],
        ignore_conflicts=True,
    )
    query = Article.objects.filter(canonical_url__in=fresh, fetch_attempts=0)
    if feed is not None:
        query = query.filter(feed=feed)
    return list(query.order_by("pk").values_list("pk", flat=True))


def feed_poll(*, feed_id: int, force: bool = False, enqueue: bool = True) -> FeedPollResult:
    """Poll one feed: conditional GET, parse, record new entries as articles.

    Skipped when another worker holds the feed. `force` polls a disabled feed too (an
    editor's "poll now"). New articles are enqueued for processing once this commits,
    unless `enqueue` is false (the caller processes them itself).
    """
    from ..tasks import process_article

    now = timezone.now()
    with transaction.atomic():
        feed = Feed.objects.select_for_update(skip_locked=True).filter(pk=feed_id).first()
        if feed is None:
            return FeedPollResult(feed_id, "skipped", error="gone, or being polled elsewhere")
        if not feed.enabled and not force:
            return FeedPollResult(feed_id, "skipped", error="disabled")
        feed.last_polled_at = now
        try:
            response = fetch(
                feed.url,
                max_bytes=FEED_MAX_BYTES,
                etag=feed.etag,
                last_modified=feed.last_modified,
                accept=FEED_ACCEPT,
            )
            parsed = (
                None
                if response.not_modified
                else parse_feed(response.body, url=response.url, content_type=response.content_type)
            )
        except HTTPStatusError as exc:
            feed.last_status_code = exc.status
            if exc.status == 410:
                feed.enabled = False
                feed.last_error = "410 Gone: the feed was removed at its source; disabled."
                feed.last_error_at = now
                result = FeedPollResult(feed.pk, "disabled", error=feed.last_error)
            else:
                result = _feed_failed(feed, exc, now)
            feed.save()
            return result
        except (FetchError, FeedParseError) as exc:
            result = _feed_failed(feed, exc, now)
            feed.save()
            return result
        feed.last_status_code = response.status
        feed.last_success_at = now
        feed.consecutive_failures = 0
        feed.next_poll_at = now + datetime.timedelta(minutes=feed.poll_interval_minutes)
        if parsed is None:
            feed.save()
            return FeedPollResult(feed.pk, "not_modified")
        feed.etag, feed.last_modified = response.etag, response.last_modified
        if not feed.name and parsed.title:
            feed.name = parsed.title
        feed.save()
        article_ids = _record_entries(feed, parsed.entries, now)
        if enqueue:
            for article_id in article_ids:
                process_article.delay_on_commit(article_id)
    return FeedPollResult(feed.pk, "polled", article_ids=article_ids)


def _page_bytes(article: Article, *, content: bytes | None) -> tuple[bytes, str] | None:
    """The article's page and its final URL, fetched if need be; None if its text is stored."""
    if content is not None:
        return content, article.url
    if not article.url.startswith(("http://", "https://")):
        return None  # a local file or a seed report: its text came with it
    response = fetch(article.url, max_bytes=PAGE_MAX_BYTES, accept=PAGE_ACCEPT)
    return response.body, response.url


def _root(article: Article) -> Article:
    return article.duplicate_of if article.duplicate_of_id else article


def _find_original(article: Article, declared_canonical: str) -> Article | None:
    """The article this one repeats: by canonical URL, exact text, then near-duplicate.

    Only ingested articles (those with a content hash) are compared: records an editor or
    the seed scenario put in are sources, not copies to dedupe against.
    """
    if declared_canonical:
        canonical = canonicalise_url(declared_canonical, base=article.url)
        if canonical.startswith(("http://", "https://")) and canonical != article.canonical_url:
            other = Article.objects.filter(canonical_url=canonical).exclude(pk=article.pk)
            other = other.select_related("duplicate_of").first()
            if other is not None and other.content_hash:
                return _root(other)
            if other is None:
                try:
                    with transaction.atomic():
                        Article.objects.filter(pk=article.pk).update(canonical_url=canonical[:2000])
                    article.canonical_url = canonical[:2000]
                except IntegrityError:
                    pass  # claimed meanwhile by another article; keep ours
    originals = (
        Article.objects.filter(fetch_status=Article.FetchStatus.FETCHED, duplicate_of__isnull=True)
        .exclude(content_hash="")
        .exclude(pk=article.pk)
    )
    exact = originals.filter(content_hash=article.content_hash).order_by("pk").first()
    if exact is not None:
        return exact
    if article.near_duplicate_signature is None:
        return None
    return (
        originals.filter(near_duplicate_signature__isnull=False)
        .annotate(
            distance=RawSQL(
                "bit_count((near_duplicate_signature # %s)::bit(64))",
                (article.near_duplicate_signature,),
            )
        )
        .filter(distance__lte=NEAR_DUPLICATE_DISTANCE)
        .order_by("distance", "pk")
        .first()
    )


def _give_up(article_id: int, error: str) -> ArticleResult:
    Article.objects.filter(pk=article_id).update(
        fetch_status=Article.FetchStatus.FAILED, fetch_error=error[:5000], updated_at=timezone.now()
    )
    return ArticleResult(article_id, "failed", error)


def article_process(
    *,
    article_id: int,
    content: bytes | None = None,
    gazetteers=None,
    timings: dict | None = None,
) -> ArticleResult:
    """Fetch an article's page, extract its main text, dedupe it, extract its candidates.

    Counts the attempt first, in its own transaction, so that an article which kills the
    worker still counts towards `INGEST_MAX_ATTEMPTS` and is then marked failed. Raises
    TransientIngestError for a failure worth retrying (the task owns the retry). `content`
    gives the page's bytes when the caller has them already. `timings`, if given, receives
    the seconds spent per stage (the benchmark reads them).
    """
    import time

    from ..ingest.extract import EXTRACTOR_VERSION

    clock = time.perf_counter
    max_attempts = settings.INGEST_MAX_ATTEMPTS
    with transaction.atomic():
        article = Article.objects.select_for_update(skip_locked=True).filter(pk=article_id).first()
        if article is None:
            return ArticleResult(article_id, "skipped", "gone, or being processed elsewhere")
        if article.extracted_at is not None or article.fetch_status == Article.FetchStatus.FAILED:
            return ArticleResult(article_id, "done")
        if article.fetch_attempts >= max_attempts:
            return _give_up(
                article_id,
                f"gave up after {article.fetch_attempts} attempts; last error: "
                f"{article.fetch_error or 'none recorded (the worker stopped mid-task)'}",
            )
        Article.objects.filter(pk=article_id).update(fetch_attempts=article.fetch_attempts + 1)

    transient: TransientIngestError | None = None
    with transaction.atomic():
        article = (
            Article.objects.select_for_update(skip_locked=True)
            .filter(pk=article_id, extracted_at__isnull=True)
            .first()
        )
        if article is None:
            return ArticleResult(article_id, "skipped", "being processed elsewhere")
        now = timezone.now()
        started = clock()
        page = None
        try:
            raw = _page_bytes(article, content=content)
            fetched = clock()
            if raw is not None:
                page = extract_article(raw[0], url=raw[1])
        except FetchError as exc:
            if not exc.transient:
                return _give_up(article_id, str(exc))
            article.fetch_error = str(exc)[:5000]
            article.save(update_fields=["fetch_error", "updated_at"])
            transient = TransientIngestError(str(exc), retry_after=exc.retry_after)
        except ArticleParseError as exc:
            return _give_up(article_id, str(exc))
        if transient is None:
            parsed = clock()
            if page is not None:
                article.text = page.text
                article.title = article.title or page.title
                article.author = article.author or page.author
                article.outlet = article.outlet or page.outlet
                article.published_at = article.published_at or _clamped(page.published_at, now)
            if not article.text.strip():
                return _give_up(article_id, "the article has no text")
            article.content_hash = content_hash(article.text)
            article.near_duplicate_signature = simhash(article.text)
            article.fetched_at = now
            article.fetch_error = ""
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DEDUPE_LOCK])
            original = _find_original(article, page.canonical_url if page else "")
            deduped = clock()
            if original is not None:
                article.duplicate_of = original
                article.fetch_status = Article.FetchStatus.DUPLICATE
                extracted = deduped
                outcome = "duplicate"
            else:
                article.fetch_status = Article.FetchStatus.FETCHED
                article.save()
                statement_candidates_create(article=article, gazetteers=gazetteers)
                article.extractor = EXTRACTOR_VERSION
                extracted = clock()
                outcome = "extracted"
            article.extracted_at = timezone.now()
            article.save()
            if timings is not None:
                timings["fetch"] = timings.get("fetch", 0.0) + fetched - started
                timings["extract"] = timings.get("extract", 0.0) + parsed - fetched
                timings["dedupe"] = timings.get("dedupe", 0.0) + deduped - parsed
                timings["statements"] = timings.get("statements", 0.0) + extracted - deduped
                timings["save"] = timings.get("save", 0.0) + clock() - extracted
    if transient is not None:
        raise transient
    return ArticleResult(article_id, outcome)


def _extract_again(article_id: int) -> None:
    from .statements import statement_candidates_replace

    article = Article.objects.select_related("duplicate_of").get(pk=article_id)
    if article.fetch_status == Article.FetchStatus.FAILED:
        return
    statement_candidates_replace(article=_root(article))


def article_mark_failed(*, article_id: int, error: str) -> None:
    """Record that an article will not be tried again (retries exhausted)."""
    _give_up(article_id, error)


# -- `manage.py ingest` -------------------------------------------------------------------


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _local_article(path: Path, data: bytes) -> ArticleContent:
    if looks_like_html(data) and path.suffix.lower() not in {".txt", ".text"}:
        return extract_article(data, url="")
    return plain_text_article(data)


def looks_like_html(data: bytes) -> bool:
    head = data[:4096].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def _read_local(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(PAGE_MAX_BYTES + 1)
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if len(data) > PAGE_MAX_BYTES:
        raise SourceError(f"{path}: larger than {PAGE_MAX_BYTES} bytes")
    return data


def _article_for(url: str, **fields) -> Article:
    canonical = canonicalise_url(url)[:2000]
    article, _ = Article.objects.get_or_create(
        canonical_url=canonical, defaults={"url": url[:2000], **fields}
    )
    return article


def ingest_source(*, source: str, sync: bool, again: bool = False, progress=None) -> list[int]:
    """Ingest a feed or article URL, or a local feed or article file; the article ids.

    With `sync`, everything runs in this process and the articles are processed when this
    returns; otherwise polls and article processing are enqueued for the worker. A local
    file is read here (the worker may not see this disk): its text is stored with the
    article, and it is its own article, never deduplicated against the seed's records.
    `progress(done, total)`, if given, is called as each article is processed. An article
    read before is not read again unless `again` is given: then its candidates (or, for a
    copy, its original's) are extracted again.
    """
    from ..tasks import poll_feed, process_article

    content: bytes | None = None
    if _is_url(source):
        try:
            response = fetch(source, max_bytes=PAGE_MAX_BYTES, accept=FEED_ACCEPT)
        except FetchError as exc:
            raise SourceError(f"{source}: {exc}") from exc
        if looks_like_feed(response.body, response.content_type):
            feed, _ = Feed.objects.get_or_create(url=source[:2000])
            if not sync:
                poll_feed.delay_on_commit(feed.pk)
                return []
            result = feed_poll(feed_id=feed.pk, force=True, enqueue=False)
            if result.outcome in ("failed", "disabled"):
                raise SourceError(f"{source}: {result.error}")
            ids = list(feed.articles.order_by("pk").values_list("pk", flat=True))
        else:
            ids = [_article_for(source).pk]
            content = response.body
    else:
        path = Path(source).expanduser()
        if not path.is_file():
            raise SourceError(f"{source}: no such file")
        data = _read_local(path.resolve())
        uri = path.resolve().as_uri()
        if looks_like_feed(data):
            try:
                parsed = parse_feed(data, url=uri)
            except FeedParseError as exc:
                raise SourceError(f"{source}: {exc}") from exc
            ids = _record_entries(None, parsed.entries, timezone.now())
            ids = ids or list(
                Article.objects.filter(
                    canonical_url__in=[canonicalise_url(e.url) for e in parsed.entries]
                ).values_list("pk", flat=True)
            )
        else:
            try:
                page = _local_article(path, data)
            except ArticleParseError as exc:
                raise SourceError(f"{source}: {exc}") from exc
            article = _article_for(
                uri,
                text=page.text,
                title=page.title,
                author=page.author,
                outlet=page.outlet,
                published_at=_clamped(page.published_at, timezone.now()),
            )
            ids = [article.pk]
    if not sync:
        for article_id in ids:
            process_article.delay_on_commit(article_id)
        if again:
            from .gazetteer import reextraction_schedule

            reextraction_schedule(reason=f"ingest --again {source}"[:300], article_ids=ids)
        return ids
    for done, article_id in enumerate(ids, 1):
        try:
            result = article_process(article_id=article_id, content=content)
            if again and result.outcome == "done":
                _extract_again(article_id)
        except TransientIngestError as exc:
            Article.objects.filter(pk=article_id).update(fetch_error=str(exc)[:5000])
        if progress is not None:
            progress(done, len(ids))
    return ids
