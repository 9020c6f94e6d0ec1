"""Writes on statements: review (publish, reject) and applying what they evidence."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import (
    Article,
    Channel,
    Condition,
    Conflict,
    Party,
    Position,
    Proposal,
    Statement,
    StatementSource,
)


def statement_apply_extraction(*, statement: Statement) -> None:
    """Record the positions and conditions that a statement's extraction proposes.

    `statement.extraction` looks like
    {"positions": [{"proposal": slug, "stance": stance}],
     "conditions": [{"proposal": slug, "category": c, "summary": s, "demanded_of": slug}]}.
    Safe to repeat: existing rows are reused, never duplicated.
    """
    party = statement.stance_party
    extraction = statement.extraction or {}
    for item in extraction.get("positions", []):
        proposal = Proposal.objects.get(slug=item["proposal"])
        Position.objects.get_or_create(
            proposal=proposal,
            party=party,
            as_of=statement.occurred_at,
            supersedes=None,
            defaults={"stance": item["stance"], "statement": statement},
        )
    for item in extraction.get("conditions", []):
        proposal = Proposal.objects.get(slug=item["proposal"])
        demanded_of = (
            Party.objects.get(slug=item["demanded_of"]) if item.get("demanded_of") else None
        )
        condition, _ = Condition.objects.get_or_create(
            proposal=proposal,
            set_by=party,
            category=item["category"],
            summary=item["summary"],
            defaults={"demanded_of": demanded_of, "first_stated_in": statement},
        )
        statement.conditions.add(condition)


def _record_review(statement: Statement, *, status: str, reviewer, fields=()) -> None:
    statement.status = status
    statement.reviewed_by = reviewer
    statement.reviewed_at = timezone.now()
    statement.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at", *fields])


@transaction.atomic
def statement_publish(*, statement: Statement, reviewer: AbstractBaseUser | None) -> Statement:
    """Publish a candidate (or re-publish a rejected one) and record what it evidences."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status == Statement.Status.PUBLISHED:
        return statement
    if statement.merged_into_id:
        raise ValidationError("This candidate was merged into another statement.")
    _record_review(statement, status=Statement.Status.PUBLISHED, reviewer=reviewer)
    statement_apply_extraction(statement=statement)
    return statement


@transaction.atomic
def statement_reject(*, statement: Statement, reviewer: AbstractBaseUser | None) -> Statement:
    """Reject a candidate. A published statement is unpublished by the same call."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    _record_review(statement, status=Statement.Status.REJECTED, reviewer=reviewer)
    return statement


def _merged_extraction(first: dict, second: dict) -> dict:
    merged = dict(first or {})
    for key in ("positions", "conditions"):
        items = list((first or {}).get(key, []))
        items += [item for item in (second or {}).get(key, []) if item not in items]
        if items:
            merged[key] = items
    return merged


@transaction.atomic
def statement_merge(
    *, statement: Statement, into: Statement, reviewer: AbstractBaseUser | None
) -> Statement:
    """Merge a candidate into the existing statement it repeats.

    The candidate stays on record, rejected and pointing at `into`; what it evidences is
    added to `into`, and recorded at once if `into` is published. `into` gains the
    candidate's article and span as one of its sources.
    """
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    into = Statement.objects.select_for_update().get(pk=into.pk)
    if statement.pk == into.pk:
        raise ValidationError("A statement cannot be merged into itself.")
    if statement.status != Statement.Status.CANDIDATE:
        raise ValidationError("Only a candidate can be merged; this one was already reviewed.")
    if into.merged_into_id:
        raise ValidationError("That statement was itself merged; merge into its target.")
    into.extraction = _merged_extraction(into.extraction, statement.extraction)
    into.save(update_fields=["extraction", "updated_at"])
    if into.status == Statement.Status.PUBLISHED:
        statement_apply_extraction(statement=into)
    statement_absorb(statement=statement, into=into, reviewer=reviewer)
    return statement


def statement_absorb(
    *, statement: Statement, into: Statement, reviewer: AbstractBaseUser | None
) -> None:
    """Record a locked candidate as a repeat of `into`: rejected, pointing at it, and its
    article and span kept as one of `into`'s sources."""
    statement_source_attach(statement=into, source=statement)
    statement.merged_into = into
    _record_review(
        statement, status=Statement.Status.REJECTED, reviewer=reviewer, fields=["merged_into"]
    )


def statement_source_attach(*, statement: Statement, source: Statement) -> StatementSource | None:
    """Add `source`'s article (or URL) and span to `statement` as a corroborating source.

    Nothing is added when it is already one of the statement's sources, its primary one
    included, or a wire copy that dedupe linked to one of them: a story counts once. A
    statement without any source takes it as its primary source.
    """
    if source.article_id is None and not source.source_url:
        return None
    if statement.article_id is None and not statement.source_url:
        statement.article_id, statement.source_url = source.article_id, source.source_url
        statement.span_start, statement.span_end = source.span_start, source.span_end
        statement.save(update_fields=["article", "source_url", "span_start", "span_end"])
        return None
    existing = list(statement.sources.values_list("article_id", "source_url"))
    existing.append((statement.article_id, statement.source_url))
    if source.article_id:
        ids = {source.article_id, *(a for a, _ in existing if a)}
        roots = {
            pk: duplicate_of or pk
            for pk, duplicate_of in Article.objects.filter(pk__in=ids).values_list(
                "pk", "duplicate_of_id"
            )
        }
        if roots[source.article_id] in {roots[a] for a, _ in existing if a}:
            return None
    elif source.source_url in {url for _, url in existing}:
        return None
    attached, _ = StatementSource.objects.get_or_create(
        statement=statement,
        article_id=source.article_id,
        source_url=source.source_url if not source.article_id else "",
        defaults={
            "source_outlet": source.source_outlet,
            "source_title": source.source_title,
            "span_start": source.span_start,
            "span_end": source.span_end,
            "candidate": source,
        },
    )
    return attached


def _overlaps_reviewed(article: Article) -> dict[int, list[tuple[int, int]]]:
    """Spans of the article's reviewed statements, by speaker: a new candidate that overlaps
    one would repeat what an editor already decided."""
    spans: dict[int, list[tuple[int, int]]] = {}
    reviewed = (
        Statement.objects.filter(article=article, span_start__isnull=False)
        .exclude(status=Statement.Status.CANDIDATE, reviewed_at__isnull=True)
        .values_list("speaker_id", "span_start", "span_end")
    )
    for speaker_id, start, end in reviewed:
        spans.setdefault(speaker_id, []).append((start, end))
    return spans


def statement_candidates_create(*, article: Article, gazetteers=None) -> int:
    """Candidate statements for an article's text, from the rule-based extractor, each in the
    conflict it is about; and suggestions for what the text names that no record covers.

    Idempotent: a candidate whose conflict, span and speaker are already on record for the
    article is skipped by the database (ON CONFLICT DO NOTHING), and one that overlaps a
    statement an editor already reviewed (same speaker) is not proposed again.
    Returns how many candidates the extractor proposed for known parties.
    """
    from ..ingest.extract import EXTRACTOR_VERSION, read_all
    from .claims import claims_assign
    from .gazetteer import gazetteers_current, suggestions_record

    if not article.text:
        return 0
    gazetteers = gazetteers or gazetteers_current()
    reading = read_all(article.text, gazetteers)
    candidates = reading.candidates
    slugs = {c.speaker for c in candidates} | {c.on_behalf_of for c in candidates if c.on_behalf_of}
    party_ids = dict(Party.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    conflict_ids = dict(Conflict.objects.values_list("slug", "pk"))
    reviewed = _overlaps_reviewed(article)
    now = timezone.now()
    occurred_at = min(article.published_at or article.fetched_at or now, now)
    rows = []
    for c in candidates:
        speaker_id = party_ids.get(c.speaker)
        if speaker_id is None or c.conflict not in conflict_ids or c.span[0] >= c.span[1]:
            continue
        if any(s < c.span[1] and c.span[0] < e for s, e in reviewed.get(speaker_id, ())):
            continue
        rows.append(
            Statement(
                article=article,
                conflict_id=conflict_ids[c.conflict],
                speaker_id=speaker_id,
                on_behalf_of_id=party_ids.get(c.on_behalf_of) if c.on_behalf_of else None,
                occurred_at=occurred_at,
                channel=c.channel if c.channel in Channel.values else Channel.REPORTED,
                text=c.text,
                is_verbatim=c.is_verbatim,
                span_start=c.span[0],
                span_end=c.span[1],
                status=Statement.Status.CANDIDATE,
                confidence=min(max(float(c.confidence), 0.0), 1.0),
                extractor=EXTRACTOR_VERSION,
                extraction={
                    "positions": list(c.positions),
                    "conditions": list(c.conditions),
                    # Which rules fired, and the same in plain words for the reviewer.
                    "rules": list(c.rules),
                    "reasons": list(c.reasons),
                    # Other places in the article that state the same claim.
                    "supporting_spans": [list(span) for span in c.supporting],
                },
            )
        )
    Statement.objects.bulk_create(rows, ignore_conflicts=True)
    claims_assign(article=article)
    suggestions_record(article=article, discoveries=reading.discoveries)
    return len(rows)


@transaction.atomic
def statement_candidates_replace(*, article: Article, gazetteers=None) -> int:
    """Extract an article again: its unreviewed candidates are replaced, reviewed ones kept.

    For when aliases, places, proposals, parties or participations changed, or the
    extractor did. A duplicate article has no candidates of its own.
    """
    from ..ingest.extract import EXTRACTOR_VERSION
    from .claims import claims_prune

    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.duplicate_of_id:
        if article.reextraction_id:
            article.reextraction = None
            article.save(update_fields=["reextraction", "updated_at"])
        return 0
    unreviewed = Statement.objects.filter(
        article=article,
        status=Statement.Status.CANDIDATE,
        reviewed_at__isnull=True,
        merged_into__isnull=True,
    )
    claim_ids = set(unreviewed.exclude(claim=None).values_list("claim_id", flat=True))
    unreviewed.delete()
    created = statement_candidates_create(article=article, gazetteers=gazetteers)
    claims_prune(ids=claim_ids)
    article.extracted_at = timezone.now()
    article.extractor = EXTRACTOR_VERSION
    article.reextraction = None
    article.save(update_fields=["extracted_at", "extractor", "reextraction", "updated_at"])
    return created
