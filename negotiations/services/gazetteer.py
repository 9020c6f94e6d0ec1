"""Writes on the gazetteer's growth: suggestions from the news, and re-extraction.

The gazetteer is the data the extractor reads (parties with their aliases, each
conflict's proposals, places and participants). When any of it changes, whether by an
editor, a scenario file or an accepted suggestion, or when the extractor's version
changes, the articles it affects are extracted again in the background: unreviewed
candidates are replaced, reviewed statements are never touched, nothing is duplicated.
"""

import datetime
import functools
import logging
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from ..models import (
    Article,
    Conflict,
    Participation,
    Party,
    Proposal,
    ReextractionRun,
    Suggestion,
    SuggestionEvidence,
)
from ..signals import gazetteer_signals_muted

logger = logging.getLogger(__name__)

REEXTRACT_BATCH = 25
# A run whose articles have not moved for this long has lost its task; the sweep re-enqueues.
REEXTRACT_STALL = datetime.timedelta(minutes=5)


# -- the current gazetteers, cached while nothing changes ----------------------------------

_cache: dict = {}


def _gazetteer_fingerprint() -> tuple:
    """Changes whenever a party, proposal, conflict or participation is added, changed or
    deleted: one cheap query."""
    # Table names come from the models, never from input.
    tables = [
        connection.ops.quote_name(model._meta.db_table)
        for model in (Party, Proposal, Conflict, Participation)
    ]
    template = "(SELECT count(*) || '/' || coalesce(max(updated_at)::text, '') FROM {})"
    parts = [template.format(t) for t in tables]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))  # noqa: S608
        return tuple(cursor.fetchone())


def gazetteers_current():
    """Every conflict's gazetteer as the database has it now (rebuilt only after a change)."""
    from ..ingest.extract import Gazetteers

    fingerprint = _gazetteer_fingerprint()
    if _cache.get("fingerprint") != fingerprint:
        _cache["gazetteers"] = Gazetteers.from_db()
        _cache["fingerprint"] = fingerprint
    return _cache["gazetteers"]


# -- suggestions ---------------------------------------------------------------------------


def suggestions_record(*, article: Article, discoveries: Iterable) -> int:
    """Keep what an article names that the gazetteer lacks, with the sentence it is in.

    One suggestion per conflict, kind and phrase: seeing it again adds evidence. A
    suggestion an editor dismissed stays dismissed. Returns how many are new.
    """
    discoveries = list(discoveries)
    if not discoveries:
        return 0
    conflicts = dict(Conflict.objects.values_list("slug", "pk"))
    parents = dict(
        Party.objects.filter(slug__in={d.parent for d in discoveries if d.parent}).values_list(
            "slug", "pk"
        )
    )
    created = 0
    for d in discoveries:
        if d.conflict not in conflicts:
            continue
        suggestion, new = Suggestion.objects.get_or_create(
            conflict_id=conflicts[d.conflict],
            kind=d.kind,
            key=d.key,
            defaults={
                "phrase": d.phrase,
                "name": d.name,
                "aliases": list(d.aliases),
                "proposal_kind": d.proposal_kind,
                "party_kind": "person" if d.kind == Suggestion.Kind.PARTY else "",
                "title": d.title,
                "parent_party_id": parents.get(d.parent),
            },
        )
        created += new
        SuggestionEvidence.objects.bulk_create(
            [
                SuggestionEvidence(
                    suggestion=suggestion,
                    article=article,
                    sentence=article.text[d.sentence[0] : d.sentence[1]][:2000],
                    span_start=d.span[0],
                    span_end=d.span[1],
                )
            ],
            ignore_conflicts=True,
        )
        if not new:
            # Seen again: the suggestion rises in the editors' list.
            Suggestion.objects.filter(pk=suggestion.pk).update(updated_at=timezone.now())
    return created


def _unique_slug(model, name: str) -> str:
    base = slugify(name)[:70] or "untitled"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, editor) -> Party | Proposal:
    """Create the proposal or party a suggestion describes (as an editor left it), then
    extract again the articles it occurs in and those its aliases find."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status == Suggestion.Status.ACCEPTED:
        created = suggestion.created_proposal or suggestion.created_party
        if created is not None:
            return created
    name = suggestion.name.strip()
    if not name:
        raise ValidationError({"name": "Give the name the record will have."})
    aliases = [a.strip() for a in suggestion.aliases if len(a.strip()) >= 2]
    if suggestion.kind == Suggestion.Kind.PROPOSAL:
        record = Proposal(
            conflict=suggestion.conflict,
            slug=_unique_slug(Proposal, name),
            name=name,
            kind=suggestion.proposal_kind or Proposal.Kind.OTHER,
            parent=suggestion.parent_proposal,
            aliases=aliases,
            description=f"From a suggestion: “{suggestion.phrase}”.",
        )
        record.full_clean()
        with gazetteer_signals_muted():
            record.save()
        suggestion.created_proposal = record
    else:
        parent = suggestion.parent_party
        if parent is None:
            raise ValidationError(
                {"parent_party": "Say whom this person belongs to (their government or party)."}
            )
        record = Party(
            slug=_unique_slug(Party, name),
            name=name,
            kind=suggestion.party_kind or Party.Kind.PERSON,
            parent=parent,
            title=suggestion.title,
            aliases=aliases,
        )
        record.full_clean()
        with gazetteer_signals_muted():
            record.save()
        suggestion.created_party = record
    suggestion.status = Suggestion.Status.ACCEPTED
    suggestion.decided_by = editor
    suggestion.decided_at = timezone.now()
    suggestion.save()
    article_ids = set(suggestion.evidence.values_list("article_id", flat=True))
    transaction.on_commit(
        functools.partial(
            reextraction_schedule_safely,
            reason=f"Accepted suggestion: {name}",
            phrases=[name, *aliases],
            article_ids=article_ids,
            conflict_id=suggestion.conflict_id,
            user_id=getattr(editor, "pk", None),
        )
    )
    return record


def suggestion_dismiss(*, suggestion: Suggestion, editor) -> Suggestion:
    """Dismiss a suggestion for good: seeing the phrase again will not reopen it."""
    Suggestion.objects.filter(pk=suggestion.pk).exclude(status=Suggestion.Status.ACCEPTED).update(
        status=Suggestion.Status.DISMISSED,
        decided_by=editor,
        decided_at=timezone.now(),
        updated_at=timezone.now(),
    )
    suggestion.refresh_from_db()
    return suggestion


# -- re-extraction -------------------------------------------------------------------------


def extracted_articles() -> QuerySet[Article]:
    """Articles that went through extraction and are not copies of another."""
    return Article.objects.filter(
        extracted_at__isnull=False,
        duplicate_of__isnull=True,
        fetch_status=Article.FetchStatus.FETCHED,
    ).exclude(text="")


def affected_articles(
    *, phrases: Iterable[str] = (), article_ids: Iterable[int] = (), conflict_id: int | None = None
) -> QuerySet[Article]:
    """Extracted articles that a change of these phrases (old and new aliases, names,
    places) could read differently, plus the ones named, plus (for a conflict) those with
    candidates in it. A superset: extraction itself matches exactly."""
    where = Q(pk__in=list(article_ids))
    for phrase in {p.strip() for p in phrases if p and len(p.strip()) >= 2}:
        where |= Q(text__icontains=phrase)
    if conflict_id is not None:
        where |= Q(statements__conflict_id=conflict_id)
    return extracted_articles().filter(where).distinct()


def reextraction_schedule(
    *,
    reason: str,
    articles: QuerySet[Article] | None = None,
    phrases: Iterable[str] = (),
    article_ids: Iterable[int] = (),
    conflict_id: int | None = None,
    user_id: int | None = None,
    enqueue: bool = True,
) -> ReextractionRun | None:
    """Mark the affected articles for extraction again and enqueue the work; None if no
    article is affected. An article already waiting moves to this newer run."""
    from ..tasks import reextract_articles

    if articles is None:
        articles = affected_articles(
            phrases=phrases, article_ids=article_ids, conflict_id=conflict_id
        )
    ids = list(articles.order_by().values_list("pk", flat=True).distinct())
    if not ids:
        return None
    with transaction.atomic():
        run = ReextractionRun.objects.create(
            reason=reason[:300],
            conflict_id=conflict_id,
            requested_by_id=user_id,
            total=len(ids),
        )
        Article.objects.filter(pk__in=ids).update(reextraction=run)
        if enqueue:
            reextract_articles.delay_on_commit(run.pk)
    return run


def reextraction_schedule_safely(**kwargs) -> None:
    """For on_commit hooks: a change is saved even if scheduling fails (the sweep retries
    unfinished runs; an editor can run `reextract`)."""
    try:
        reextraction_schedule(**kwargs)
    except Exception:  # noqa: BLE001 — never undo an editor's save for this
        logger.exception("Could not schedule re-extraction: %s", kwargs.get("reason"))


def reextraction_process(
    *,
    run_id: int,
    batch: int | None = REEXTRACT_BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Extract again up to `batch` articles of a run (all if None); returns how many wait.

    Each article in its own short transaction, locked with SKIP LOCKED, so two workers
    share a run without doing an article twice.
    """
    from .statements import statement_candidates_replace

    run = ReextractionRun.objects.get(pk=run_id)
    done = 0
    while batch is None or done < batch:
        with transaction.atomic():
            article = (
                Article.objects.select_for_update(skip_locked=True)
                .filter(reextraction_id=run_id)
                .order_by("pk")
                .first()
            )
            if article is None:
                break
            created = statement_candidates_replace(article=article)
            ReextractionRun.objects.filter(pk=run_id).update(
                created_candidates=F("created_candidates") + created
            )
        done += 1
        if progress is not None:
            remaining = Article.objects.filter(reextraction_id=run_id).count()
            progress(run.total - remaining, run.total)
    remaining = Article.objects.filter(reextraction_id=run_id).count()
    if remaining == 0:
        ReextractionRun.objects.filter(pk=run_id, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )
    return remaining


def reextraction_sweep(*, now: datetime.datetime | None = None) -> list[int]:
    """Re-enqueue runs that stalled (a lost message) and start one for articles whose
    extractor version is out of date. Returns the ids of the runs enqueued."""
    from ..ingest.extract import EXTRACTOR_VERSION
    from ..tasks import reextract_articles

    now = now or timezone.now()
    enqueued = []
    stalled = ReextractionRun.objects.filter(
        finished_at__isnull=True, started_at__lt=now - REEXTRACT_STALL
    )
    for run in stalled:
        if not run.articles.exists():
            ReextractionRun.objects.filter(pk=run.pk).update(finished_at=now)
            continue
        reextract_articles.delay(run.pk)
        enqueued.append(run.pk)
    outdated = (
        extracted_articles().filter(reextraction__isnull=True).exclude(extractor=EXTRACTOR_VERSION)
    )
    if outdated.exists():
        run = reextraction_schedule(
            reason=f"The extractor changed to {EXTRACTOR_VERSION}", articles=outdated
        )
        if run is not None:
            enqueued.append(run.pk)
    return enqueued
