"""Writes for ingestion: polling feeds, processing articles, ingesting given sources.

Every function here is safe to run twice, or by two workers at once. A feed or an article
is claimed with a lease (who, until when) in a short transaction; the network and the
parsers run outside any transaction; the results are saved in one more short transaction,
and only by the holder of the lease. A worker that dies leaves a lease that expires, and
`ingestion_sweep` (beat) enqueues that work again, as it does work whose message was lost.
Inserts rely on unique constraints with ON CONFLICT DO NOTHING; follow-up tasks are
enqueued only once the transaction commits.
"""

import dataclasses
import datetime
import logging
import os
import random
import socket
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from ..ingest.articles import (
    ArticleContent,
    ArticleParseError,
    extract_article,
    plain_text_article,
)
from ..ingest.dedupe import (
    NEAR_DUPLICATE_DISTANCE,
    band_probes,
    canonicalise_url,
    content_hash,
    same_site,
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
from ..models.sources import ORIGINAL
from .statements import statement_candidates_create

logger = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
MAX_BACKOFF = datetime.timedelta(hours=24)
DISPATCH_BATCH = 500
SWEEP_BATCH = 500
# A serialisation failure in the dedupe step means another worker saved a near copy at the
# same moment; trying again sees it. Beyond this many, the task's own retry takes over.
SAVE_ATTEMPTS = 5
SKIPPED_KEPT = 50


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
    skipped: list[dict] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ArticleResult:
    article_id: int
    outcome: str  # extracted, duplicate, failed, retry, done, skipped
    error: str = ""


def _jitter(delay: datetime.timedelta) -> datetime.timedelta:
    return delay * random.uniform(0.9, 1.1)


def _seconds(value: float) -> datetime.timedelta:
    return datetime.timedelta(seconds=value)


def lease_holder() -> str:
    """Who claims: this host and process, and a nonce that tells one claim from the next."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:200]


def feed_backoff(*, interval_minutes: int, failures: int) -> datetime.timedelta:
    """Doubling delay after each consecutive failure, from the poll interval, capped."""
    delay = datetime.timedelta(minutes=max(interval_minutes, 1)) * 2 ** min(failures, 16)
    return min(delay, MAX_BACKOFF)


def feeds_dispatch_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Enqueue a poll of every enabled feed that is due; returns their ids.

    A dispatched feed is not due again for INGEST_DISPATCH_LEASE_SECONDS, even while its
    poll waits in the queue; the poll sets the real next time. So a lost poll message is
    dispatched again once that has passed.
    """
    from ..tasks import poll_feed

    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Feed.objects.select_for_update(skip_locked=True)
            .filter(enabled=True, next_poll_at__lte=now)
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lte=now))
            .order_by("next_poll_at")
            .values_list("pk", flat=True)[:DISPATCH_BATCH]
        )
        Feed.objects.filter(pk__in=ids).update(
            next_poll_at=now + _seconds(settings.INGEST_DISPATCH_LEASE_SECONDS)
        )
        for feed_id in ids:
            poll_feed.delay_on_commit(feed_id)
    return ids


def _feed_failed(feed: Feed, error: Exception, now) -> FeedPollResult:
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


def _record_entries(
    feed: Feed | None, entries: list[FeedEntry], now, *, skipped: list[dict] | None = None
) -> list[int]:
    """Insert the entries not yet on record as pending articles; ids of the new ones.

    At most INGEST_MAX_NEW_ENTRIES_PER_POLL new ones: the rest wait for the next poll. Each
    entry not recorded for another reason than being known to this feed goes to `skipped`.
    """
    skipped = skipped if skipped is not None else []
    by_canonical: dict[str, FeedEntry] = {}
    for entry in entries:
        by_canonical.setdefault(canonicalise_url(entry.url)[:2000], entry)
    if not by_canonical:
        return []
    known = dict(
        Article.objects.filter(canonical_url__in=by_canonical).values_list("canonical_url", "pk")
    )
    if feed is not None:
        known_entries = set(
            Article.objects.filter(
                feed=feed, feed_entry_id__in=[e.entry_id for e in by_canonical.values()]
            ).values_list("feed_entry_id", flat=True)
        )
    else:
        known_entries = set()
    fresh: dict[str, FeedEntry] = {}
    cap = settings.INGEST_MAX_NEW_ENTRIES_PER_POLL
    for canonical, entry in by_canonical.items():
        if entry.entry_id in known_entries:
            continue
        if canonical in known:
            if feed is not None:
                reason = f"the same URL as article #{known[canonical]}, already on record"
                skipped.append({"url": entry.url, "reason": reason})
        elif len(fresh) >= cap:
            skipped.append(
                {"url": entry.url, "reason": f"more than {cap} new entries; left for the next poll"}
            )
        else:
            fresh[canonical] = entry
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


def articles_enqueue(*, article_ids: Iterable[int]) -> None:
    """Enqueue processing of these articles once the transaction commits, noting when."""
    from ..tasks import process_article

    ids = list(article_ids)
    Article.objects.filter(pk__in=ids).update(task_due_at=timezone.now())
    for article_id in ids:
        process_article.delay_on_commit(article_id)


def _feed_claim(feed_id: int, *, force: bool, holder: str, now) -> Feed | FeedPollResult:
    with transaction.atomic():
        feed = Feed.objects.select_for_update(skip_locked=True).filter(pk=feed_id).first()
        if feed is None:
            return FeedPollResult(feed_id, "skipped", error="gone, or being claimed elsewhere")
        if not feed.enabled and not force:
            return FeedPollResult(feed_id, "skipped", error="disabled")
        if feed.leased_at(now):
            return FeedPollResult(feed_id, "skipped", error=f"being polled by {feed.leased_by}")
        feed.leased_by = holder
        feed.leased_until = now + _seconds(settings.INGEST_FEED_LEASE_SECONDS)
        feed.save(update_fields=["leased_by", "leased_until"])
    return feed


def feed_poll(*, feed_id: int, force: bool = False, enqueue: bool = True) -> FeedPollResult:
    """Poll one feed: conditional GET, parse, record new entries as articles.

    Skipped while another worker holds the feed's lease. `force` polls a disabled feed too
    (an editor's "poll now"). New articles are enqueued for processing once this commits,
    unless `enqueue` is false (the caller processes them itself). The fetch and the parse
    happen outside any transaction.
    """
    now = timezone.now()
    holder = lease_holder()
    claimed = _feed_claim(feed_id, force=force, holder=holder, now=now)
    if isinstance(claimed, FeedPollResult):
        return claimed
    feed = claimed
    response = parsed = None
    failure: Exception | None = None
    try:
        response = fetch(
            feed.url,
            max_bytes=FEED_MAX_BYTES,
            etag=feed.etag,
            last_modified=feed.last_modified,
            accept=FEED_ACCEPT,
        )
        if not response.not_modified:
            parsed = parse_feed(response.body, url=response.url, content_type=response.content_type)
    except (FetchError, FeedParseError) as exc:
        failure = exc
    except Exception:
        feed_release(feed_id=feed_id, holder=holder)
        raise
    with transaction.atomic():
        feed = Feed.objects.select_for_update().filter(pk=feed_id, leased_by=holder).first()
        if feed is None:
            return FeedPollResult(feed_id, "skipped", error="the lease passed to another worker")
        feed.last_polled_at = now
        feed.leased_by, feed.leased_until = "", None
        result = _feed_poll_save(feed, response, parsed, failure, now)
        feed.save()
        if enqueue and result.article_ids:
            articles_enqueue(article_ids=result.article_ids)
    return result


def _feed_poll_save(feed: Feed, response, parsed, failure, now) -> FeedPollResult:
    if isinstance(failure, HTTPStatusError):
        feed.last_status_code = failure.status
        if failure.status == 410:
            feed.enabled = False
            feed.last_error = "410 Gone: the feed was removed at its source; disabled."
            feed.last_error_at = now
            return FeedPollResult(feed.pk, "disabled", error=feed.last_error)
    if failure is not None:
        return _feed_failed(feed, failure, now)
    feed.last_status_code = response.status
    feed.last_success_at = now
    feed.consecutive_failures = 0
    feed.next_poll_at = now + datetime.timedelta(minutes=feed.poll_interval_minutes)
    if parsed is None:
        return FeedPollResult(feed.pk, "not_modified")
    feed.etag, feed.last_modified = response.etag, response.last_modified
    if not feed.name and parsed.title:
        feed.name = parsed.title
    skipped: list[dict] = []
    if parsed.skipped:
        skipped.append({"url": "", "reason": f"{parsed.skipped} entries without a usable link"})
    article_ids = _record_entries(feed, parsed.entries, now, skipped=skipped)
    feed.skipped_entries = skipped[:SKIPPED_KEPT]
    return FeedPollResult(feed.pk, "polled", article_ids=article_ids, skipped=skipped)


def feed_release(*, feed_id: int, holder: str | None = None) -> None:
    """Give a feed's lease back (best effort: if this fails, the lease runs out)."""
    try:
        query = Feed.objects.filter(pk=feed_id)
        if holder is not None:
            query = query.filter(leased_by=holder)
        query.update(leased_by="", leased_until=None)
    except OperationalError:
        logger.warning("could not release the lease on feed %s", feed_id)


def feed_record_failure(*, feed_id: int, error: str) -> None:
    """Record a poll that failed outside the fetcher (a time limit, a bug) and back off."""
    now = timezone.now()
    with transaction.atomic():
        feed = Feed.objects.select_for_update().filter(pk=feed_id).first()
        if feed is None:
            return
        _feed_failed(feed, Exception(error), now)
        feed.last_polled_at = now
        feed.leased_by, feed.leased_until = "", None
        feed.save()


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


def _declared_original(article: Article, declared: str, page_url: str) -> Article | None:
    """The article a page names as its canonical, trusted only on the page's own site: a
    page on another site could otherwise claim that site's story and have it skipped."""
    canonical = canonicalise_url(declared, base=page_url)
    if not canonical.startswith(("http://", "https://")) or canonical == article.canonical_url:
        return None
    if not same_site(canonical, page_url):
        return None
    other = (
        Article.objects.filter(canonical_url=canonical)
        .exclude(pk=article.pk)
        .select_related("duplicate_of")
        .first()
    )
    if other is not None and other.content_hash:
        return _root(other)
    if other is None:
        try:
            with transaction.atomic():
                Article.objects.filter(pk=article.pk).update(canonical_url=canonical[:2000])
            article.canonical_url = canonical[:2000]
        except IntegrityError:
            pass  # claimed meanwhile by another article; keep ours
    return None


def near_duplicates(signature: int, *, excluding: int | None = None) -> list[tuple[int, int]]:
    """(distance, id) of the originals within NEAR_DUPLICATE_DISTANCE of a signature.

    Each band is looked up in its covering index (values within BAND_RADIUS bits, one
    array parameter each), and the distance computed on what the index holds: no table
    row is read for the thousands of probes, nor for the few candidates they find.
    """
    probes = band_probes(signature)
    one_band = (
        "SELECT id, bit_count((near_duplicate_signature # %s)::bit(64)) AS distance "
        "FROM negotiations_article "
        "WHERE fetch_status = 'fetched' AND duplicate_of_id IS NULL "  # the indexes' predicate
        "AND signature_band_{band} = ANY(%s) "
        "AND bit_count((near_duplicate_signature # %s)::bit(64)) <= %s AND id <> %s"
    )
    sql = " UNION ".join(one_band.format(band=band) for band in range(len(probes)))
    params = []
    for values in probes:
        params += [signature, values, signature, NEAR_DUPLICATE_DISTANCE, excluding or 0]
    with transaction.atomic(), connection.cursor() as cursor:
        # A few index probes: the planner, misled by thousands of probe values, would
        # otherwise start parallel workers and JIT, which cost more than the lookup.
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off")
        cursor.execute(sql, params)
        return sorted((distance, pk) for pk, distance in cursor.fetchall())


def _near_duplicate(article: Article) -> Article | None:
    """The closest original within NEAR_DUPLICATE_DISTANCE (the oldest among equals)."""
    if article.near_duplicate_signature is None:
        return None
    found = near_duplicates(article.near_duplicate_signature, excluding=article.pk)
    return Article.objects.get(pk=found[0][1]) if found else None


def _find_original(article: Article, declared_canonical: str, page_url: str) -> Article | None:
    """The article this one repeats: by canonical URL, exact text, then near-duplicate.

    Only ingested articles (those with a content hash) are compared: records an editor or
    the seed scenario put in are sources, not copies to dedupe against.
    """
    if declared_canonical:
        original = _declared_original(article, declared_canonical, page_url or article.url)
        if original is not None:
            return original
    originals = Article.objects.filter(ORIGINAL).exclude(content_hash="").exclude(pk=article.pk)
    exact = originals.filter(content_hash=article.content_hash).order_by("pk").first()
    if exact is not None:
        return exact
    return _near_duplicate(article)


def _give_up(article_id: int, error: str) -> ArticleResult:
    Article.objects.filter(pk=article_id).update(
        fetch_status=Article.FetchStatus.FAILED,
        fetch_error=error[:5000],
        leased_by="",
        leased_until=None,
        updated_at=timezone.now(),
    )
    return ArticleResult(article_id, "failed", error)


def _article_claim(article_id: int, *, holder: str, now) -> Article | ArticleResult:
    """Claim an article for one attempt, counted at once in its own transaction, so that an
    article which kills the worker still counts towards INGEST_MAX_ATTEMPTS."""
    with transaction.atomic():
        article = Article.objects.select_for_update(skip_locked=True).filter(pk=article_id).first()
        if article is None:
            return ArticleResult(article_id, "skipped", "gone, or being claimed elsewhere")
        if article.extracted_at is not None or article.fetch_status == Article.FetchStatus.FAILED:
            return ArticleResult(article_id, "done")
        if article.leased_at(now):
            return ArticleResult(article_id, "skipped", f"being processed by {article.leased_by}")
        if article.fetch_attempts >= settings.INGEST_MAX_ATTEMPTS:
            return _give_up(
                article_id,
                f"gave up after {article.fetch_attempts} attempts; last error: "
                f"{article.fetch_error or 'none recorded (the worker stopped mid-task)'}",
            )
        article.fetch_attempts += 1
        article.leased_by = holder
        article.leased_until = now + _seconds(settings.INGEST_ARTICLE_LEASE_SECONDS)
        article.save(update_fields=["fetch_attempts", "leased_by", "leased_until"])
    return article


def article_release(*, article_id: int, error: str = "", due_at=None) -> None:
    """Give an article's lease back, with the error of the attempt and when it is next due
    (best effort: if the database is unreachable, the lease runs out instead)."""
    fields = {"leased_by": "", "leased_until": None, "updated_at": timezone.now()}
    if error:
        fields["fetch_error"] = error[:5000]
    if due_at is not None:
        fields["task_due_at"] = due_at
    try:
        Article.objects.filter(pk=article_id, extracted_at__isnull=True).update(**fields)
    except OperationalError:
        logger.warning("could not release the lease on article %s", article_id)


def article_process(
    *,
    article_id: int,
    content: bytes | None = None,
    gazetteers=None,
    timings: dict | None = None,
) -> ArticleResult:
    """Fetch an article's page, extract its main text, dedupe it, extract its candidates.

    Claims the article with a lease, fetches and extracts the main text outside any
    transaction, then dedupes and saves in one short transaction, which only the lease's
    holder may commit. Raises TransientIngestError for a failure worth retrying (the task
    owns the retry). `content` gives the page's bytes when the caller has them already.
    `timings`, if given, receives the seconds spent per stage (the benchmark reads them).
    """
    clock = time.perf_counter
    holder = lease_holder()
    claimed = _article_claim(article_id, holder=holder, now=timezone.now())
    if isinstance(claimed, ArticleResult):
        return claimed
    article = claimed
    stages = {"started": clock()}
    try:
        page = _page_content(article, content=content, stages=stages, clock=clock)
    except FetchError as exc:
        if not exc.transient:
            return _give_up(article_id, str(exc))
        article_release(article_id=article_id, error=str(exc))
        raise TransientIngestError(str(exc), retry_after=exc.retry_after) from exc
    except ArticleParseError as exc:
        return _give_up(article_id, str(exc))
    except BaseException:
        article_release(article_id=article_id)
        raise
    try:
        result = _dedupe_and_save(
            article, page, holder=holder, gazetteers=gazetteers, stages=stages
        )
    except BaseException:
        article_release(article_id=article_id)
        raise
    stages["saved"] = clock()
    if timings is not None and result.outcome in ("extracted", "duplicate"):
        for stage, (first, last) in {
            "fetch": ("started", "fetched"),
            "extract": ("fetched", "parsed"),
            "dedupe": ("parsed", "deduped"),
            "statements": ("deduped", "extracted"),
            "save": ("extracted", "saved"),
        }.items():
            timings[stage] = timings.get(stage, 0.0) + stages[last] - stages[first]
    return result


@dataclasses.dataclass(frozen=True)
class _Page:
    content: ArticleContent | None  # None: the article's text came with it
    url: str  # after redirects: the site a declared canonical must belong to


def _page_content(article: Article, *, content, stages: dict, clock) -> _Page:
    raw = _page_bytes(article, content=content)
    stages["fetched"] = clock()
    if raw is None:
        stages["parsed"] = clock()
        return _Page(None, "")
    page = extract_article(raw[0], url=raw[1])
    stages["parsed"] = clock()
    return _Page(page, raw[1])


def _dedupe_and_save(
    article: Article, page: _Page, *, holder: str, gazetteers, stages: dict
) -> ArticleResult:
    """The one short transaction: dedupe against what is saved, save, extract candidates.

    Serializable where this is the outermost transaction, so that two workers saving near
    copies of one story at once cannot both miss each other: PostgreSQL fails one of them,
    which tries again and finds the other. No global lock, so workers on several machines
    share the work.
    """
    text = page.content.text if page.content is not None else article.text
    if not text.strip():
        return _give_up(article.pk, "the article has no text")
    signed = _Signed(text, content_hash(text), simhash(text))
    for attempt in range(SAVE_ATTEMPTS):
        try:
            return _save_once(article.pk, page, signed, holder, gazetteers, stages)
        except (OperationalError, IntegrityError) as exc:
            if not _is_save_conflict(exc) or attempt + 1 == SAVE_ATTEMPTS:
                raise
            time.sleep(random.uniform(0, 0.05 * (attempt + 1)))
    raise AssertionError("unreachable")


def _is_save_conflict(exc: Exception) -> bool:
    """A serialisation failure, a deadlock, or the one-original-per-text constraint."""
    state = getattr(exc.__cause__, "sqlstate", "")
    if state in ("40001", "40P01"):
        return True
    return isinstance(exc, IntegrityError) and "article_one_original_per_text" in str(exc)


@dataclasses.dataclass(frozen=True)
class _Signed:
    text: str
    content_hash: str
    signature: int | None


def _save_once(
    article_id: int, page: _Page, signed: _Signed, holder: str, gazetteers, stages: dict
) -> ArticleResult:
    from ..ingest.extract import EXTRACTOR_VERSION

    clock = time.perf_counter
    serializable = not connection.in_atomic_block
    with transaction.atomic():
        if serializable:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
        article = (
            Article.objects.select_for_update()
            .filter(pk=article_id, leased_by=holder, extracted_at__isnull=True)
            .first()
        )
        if article is None:
            return ArticleResult(article_id, "skipped", "the lease passed to another worker")
        now = timezone.now()
        content = page.content
        if content is not None:
            article.title = article.title or content.title
            article.author = article.author or content.author
            article.outlet = article.outlet or content.outlet
            article.published_at = article.published_at or _clamped(content.published_at, now)
        article.text = signed.text
        article.content_hash = signed.content_hash
        article.near_duplicate_signature = signed.signature
        article.fetched_at = now
        article.fetch_error = ""
        original = _find_original(article, content.canonical_url if content else "", page.url)
        stages["deduped"] = clock()
        if original is not None:
            article.duplicate_of = original
            article.fetch_status = Article.FetchStatus.DUPLICATE
            outcome = "duplicate"
        else:
            article.fetch_status = Article.FetchStatus.FETCHED
            outcome = "extracted"
        article.leased_by, article.leased_until = "", None
        article.save()
        if original is None:
            statement_candidates_create(article=article, gazetteers=gazetteers)
            article.extractor = EXTRACTOR_VERSION
        stages["extracted"] = clock()
        article.extracted_at = timezone.now()
        article.save(update_fields=["extractor", "extracted_at", "updated_at"])
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


def ingestion_sweep(*, now: datetime.datetime | None = None) -> list[int]:
    """Scheduled by beat: enqueue again the pending articles that no task will reach.

    Those whose lease ran out (the worker died mid-task), and those without a lease whose
    task was due more than INGEST_ORPHAN_AFTER_SECONDS ago (the message was lost: a broker
    restart, a crash between commit and enqueue) — the latter only while the queue is
    short, since a long queue may still hold their tasks. Feeds need no sweep: a dispatched
    feed whose poll was lost is due again once its dispatch lease runs out. A second task
    for one article is harmless: the lease lets one of them work. Returns the ids.
    """
    now = now or timezone.now()
    expired = Q(leased_until__lt=now)
    pending = Article.objects.filter(
        fetch_status=Article.FetchStatus.PENDING, extracted_at__isnull=True
    )
    waiting = queue_length()
    where = expired
    if waiting is not None and waiting < SWEEP_BATCH:
        orphaned_before = now - _seconds(settings.INGEST_ORPHAN_AFTER_SECONDS)
        where |= Q(leased_until__isnull=True) & (
            Q(task_due_at__isnull=True) | Q(task_due_at__lt=orphaned_before)
        )
    with transaction.atomic():
        ids = list(
            pending.filter(where)
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        if ids:
            logger.info("sweep: enqueuing %d article(s) again: %s", len(ids), ids[:20])
            articles_enqueue(article_ids=ids)
    return ids


def queue_length() -> int | None:
    """Tasks waiting in the default queue (Redis, the broker by design, keeps it as a list
    that is absent when empty); None if the broker cannot be asked."""
    from ..health import broker_client

    client = broker_client()
    try:
        return client.llen(settings.CELERY_TASK_DEFAULT_QUEUE)
    except Exception:  # noqa: BLE001 - an unreachable broker means: do not guess
        return None
    finally:
        client.close()


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
    from ..tasks import poll_feed

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
        articles_enqueue(article_ids=ids)
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
