"""Claims: candidates that state the same thing, grouped as they arrive and reviewed as one.

When five outlets report that Russia rejected the 30-day ceasefire, the extractor proposes
five candidates; they form one claim, and publishing it publishes one statement with five
sources. Every review here can be undone for a short while by the editor who made it.
"""

import dataclasses
import datetime
import hashlib
import re

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ..models import Article, Claim, Condition, Position, Proposal, Stance, Statement
from .statements import (
    statement_absorb,
    statement_merge,
    statement_publish,
    statement_reject,
)

# Reports of one claim appear within a few days of each other; a repeat weeks later is news.
CLAIM_WINDOW = datetime.timedelta(days=3)
# A shorter quote inside a longer one is the same quote when it has at least this many words.
QUOTE_MIN_WORDS = 6
# How long after a review its editor may still undo it (the page offers it for less).
UNDO_SECONDS = 60
# pg_advisory_xact_lock(CLAIM_LOCK, conflict id): one writer groups a conflict at a time.
CLAIM_LOCK = int.from_bytes(hashlib.blake2b(b"ceasefire:claims", digest_size=3).digest(), "big")

WAITING = {"status": Statement.Status.CANDIDATE, "merged_into__isnull": True}
# The fields an editor may change before publishing a claim.
EDITABLE = ("speaker", "on_behalf_of", "occurred_at", "channel", "text", "is_verbatim")


CHANGED_MESSAGE = (
    "Another editor changed this claim while you were reading it; nothing was recorded. "
    "It is shown again as it is now."
)
REVIEWED_MESSAGE = (
    "This claim was reviewed while you were reading it (by another editor, or in another "
    "tab); nothing was recorded."
)


class ClaimChanged(ValidationError):
    """Someone else reviewed or changed the claim since the editor's page was drawn."""


# -- grouping ------------------------------------------------------------------------------


def _stances(statement: Statement) -> frozenset:
    return frozenset(
        (item.get("proposal"), item.get("stance"))
        for item in (statement.extraction or {}).get("positions", [])
    )


def _quote(statement: Statement) -> str:
    if not statement.is_verbatim:
        return ""
    return " ".join(re.findall(r"\w+", statement.text.casefold()))


def same_claim(one: Statement, other: Statement) -> bool:
    """Whether two statements state the same claim: the same conflict within a few days,
    and the same stance party with the same proposals and stances, or the same quote."""
    if one.conflict_id != other.conflict_id:
        return False
    if abs(one.occurred_at - other.occurred_at) > CLAIM_WINDOW:
        return False
    stances = _stances(one)
    if stances and stances == _stances(other):
        if (one.on_behalf_of_id or one.speaker_id) == (other.on_behalf_of_id or other.speaker_id):
            return True
    quotes = sorted((_quote(one), _quote(other)), key=len)
    if not quotes[0]:
        return False
    if quotes[0] == quotes[1]:
        return True
    return len(quotes[0].split()) >= QUOTE_MIN_WORDS and f" {quotes[0]} " in f" {quotes[1]} "


def claims_assign(*, article: Article) -> None:
    """Put each of the article's new candidates into the claim it states with candidates
    (or the published statement) of other articles, or into a claim of its own."""
    fresh = list(
        Statement.objects.filter(article=article, claim__isnull=True, **WAITING).order_by(
            "span_start", "pk"
        )
    )
    for conflict_id in sorted({s.conflict_id for s in fresh}):
        group = [s for s in fresh if s.conflict_id == conflict_id]
        with transaction.atomic(), connection.cursor() as cursor:
            # Two workers reading two reports of one claim at once must not make two claims.
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CLAIM_LOCK, conflict_id])
            moments = [s.occurred_at for s in group]
            known = list(
                Statement.objects.filter(
                    conflict_id=conflict_id,
                    claim__isnull=False,
                    occurred_at__gte=min(moments) - CLAIM_WINDOW,
                    occurred_at__lte=max(moments) + CLAIM_WINDOW,
                )
                .exclude(status=Statement.Status.REJECTED)
                .only(
                    "claim_id",
                    "conflict_id",
                    "speaker_id",
                    "on_behalf_of_id",
                    "occurred_at",
                    "is_verbatim",
                    "text",
                    "extraction",
                )
            )
            for candidate in group:
                match = next((k for k in known if same_claim(candidate, k)), None)
                if match is not None:
                    candidate.claim_id = match.claim_id
                else:
                    candidate.claim_id = Claim.objects.create(conflict_id=conflict_id).pk
                known.append(candidate)
            Statement.objects.bulk_update(group, ["claim"])


def claims_prune(*, ids) -> None:
    """Delete the claims among `ids` that no statement states any more."""
    Claim.objects.filter(pk__in=ids, statements__isnull=True).delete()


def claim_primary(candidates: list[Statement]) -> Statement:
    """The candidate a claim is published as: the most confident, then the fullest."""
    return min(candidates, key=lambda s: (-s.confidence, -len(s.text), s.occurred_at, s.pk))


def claim_version(statements) -> str:
    """Changes whenever any statement of the claim is reviewed or edited."""
    digest = hashlib.blake2b(digest_size=8)
    for s in sorted(statements, key=lambda s: s.pk):
        digest.update(f"{s.pk}:{s.status}:{s.updated_at.isoformat()};".encode())
    return digest.hexdigest()


def claim_extraction(candidates: list[Statement]) -> dict:
    """What the claim's candidates propose together, the primary's first, without repeats."""
    primary = claim_primary(candidates)
    merged = dict(primary.extraction or {})
    for key in ("positions", "conditions"):
        items: list = []
        for candidate in [primary, *(c for c in candidates if c.pk != primary.pk)]:
            items += [i for i in (candidate.extraction or {}).get(key, []) if i not in items]
        merged[key] = items
    return merged


# -- review --------------------------------------------------------------------------------


@dataclasses.dataclass
class Review:
    """What a review did: a sentence for the editor, and what undoing it needs."""

    action: str  # published, rejected, merged, undone
    summary: str
    claim_id: int
    statement_id: int | None
    undo: dict | None = None


def _locked(claim: Claim, version: str | None) -> list[Statement]:
    statements = list(
        Statement.objects.select_for_update(of=("self",))
        .filter(claim=claim)
        .select_related("speaker", "on_behalf_of")
        .order_by("pk")
    )
    if version is not None and version != claim_version(statements):
        raise ClaimChanged(CHANGED_MESSAGE)
    return statements


def _waiting(statements: list[Statement]) -> list[Statement]:
    waiting = [s for s in statements if s.status == Statement.Status.CANDIDATE]
    waiting = [s for s in waiting if not s.merged_into_id]
    if not waiting:
        raise ClaimChanged(REVIEWED_MESSAGE)
    return waiting


def _evidence(statement: Statement) -> dict:
    """What a statement evidences and cites, by id: compared before and after a review."""
    return {
        "positions": set(Position.objects.filter(statement=statement).values_list("pk", flat=True)),
        "conditions": set(
            Condition.objects.filter(first_stated_in=statement).values_list("pk", flat=True)
        ),
        "links": set(statement.conditions.values_list("pk", flat=True)),
        "sources": set(statement.sources.values_list("pk", flat=True)),
    }


def _fields(statement: Statement) -> dict:
    return {
        "speaker_id": statement.speaker_id,
        "on_behalf_of_id": statement.on_behalf_of_id,
        "occurred_at": statement.occurred_at.isoformat(),
        "channel": statement.channel,
        "text": statement.text,
        "is_verbatim": statement.is_verbatim,
        "extraction": statement.extraction,
    }


def _review(action, summary, *, reviewer, claim, target, before, fields, reviewed) -> Review:
    """The Review of what was just done to `reviewed` (and `target`), with the record that
    undoing it needs: what the target gained since `before`, and its `fields` before."""
    after = _evidence(target)
    left = Statement.objects.filter(pk__in=[s.pk for s in reviewed]).values_list("pk", "updated_at")
    undo = {
        "action": action,
        "claim": claim.pk,
        "reviewer": reviewer.pk if reviewer else None,
        "at": timezone.now().isoformat(),
        "target": target.pk,
        "fields": fields,
        "added": {key: sorted(after[key] - before[key]) for key in after},
        "reviewed": {str(pk): updated_at.isoformat() for pk, updated_at in left},
    }
    return Review(action, summary, claim.pk, None if action == "rejected" else target.pk, undo)


def _log(reviewer, statements, message: str) -> None:
    if reviewer is not None and statements:
        LogEntry.objects.log_actions(reviewer.pk, statements, CHANGE, message)


def _sources(statement: Statement) -> int:
    has_primary = bool(statement.article_id or statement.source_url)
    return int(has_primary) + statement.sources.count()


def review_summary(statement: Statement) -> str:
    """ "Russia — rejects — 30-day full ceasefire, 18 Mar 2025, 3 sources"."""
    statement = Statement.objects.select_related("speaker", "on_behalf_of").get(pk=statement.pk)
    extraction = statement.extraction or {}
    # The stances recorded with it; before it is published, those it proposes.
    positions = [
        {"proposal": p.proposal.slug, "stance": p.stance}
        for p in statement.positions.select_related("proposal").order_by("pk")
    ] or extraction.get("positions", [])
    names = dict(
        Proposal.objects.filter(slug__in=[p["proposal"] for p in positions]).values_list(
            "slug", "name"
        )
    )
    party = statement.stance_party.name
    labels = dict(Stance.choices)
    parts = [
        f"{party} — {labels.get(p['stance'], p['stance']).lower()} — "
        f"{names.get(p['proposal'], p['proposal'])}"
        for p in positions
    ]
    if not parts:
        words = statement.text.split()
        parts = [f"{party}: “{' '.join(words[:10])}{'…' if len(words) > 10 else ''}”"]
    conditions = len(extraction.get("conditions", []))
    if conditions:
        parts.append(f"{conditions} condition{'s' if conditions != 1 else ''}")
    sources = _sources(statement)
    return (
        f"{'; '.join(parts)}, {statement.occurred_at:%-d %b %Y}, "
        f"{sources} source{'s' if sources != 1 else ''}"
    )


@transaction.atomic
def claim_publish(
    *,
    claim: Claim,
    reviewer: AbstractBaseUser | None,
    changes: dict | None = None,
    version: str | None = None,
) -> Review:
    """Publish a claim: its primary candidate (with the editor's `changes`) becomes the
    statement, and every other candidate's article and span one of its sources.

    When the claim was published before, its new candidates are merged into that statement.
    `changes` maps the EDITABLE fields and "extraction" to their new values.
    """
    statements = _locked(claim, version)
    waiting = _waiting(statements)
    published = next((s for s in statements if s.status == Statement.Status.PUBLISHED), None)
    if published is not None:
        return _merge(claim, waiting, into=published, reviewer=reviewer)
    primary = claim_primary(waiting)
    before, fields = _evidence(primary), _fields(primary)
    if changes:
        for name, value in changes.items():
            setattr(primary, name, value)
        primary.full_clean(exclude=["search_vector"], validate_unique=False)
        primary.save()
    statement_publish(statement=primary, reviewer=reviewer)
    for other in waiting:
        if other.pk != primary.pk:
            statement_absorb(statement=other, into=primary, reviewer=reviewer)
    _log(reviewer, [primary], "Published in the review workbench.")
    _log(reviewer, [s for s in waiting if s.pk != primary.pk], f"Source of #{primary.pk}.")
    return _review(
        "published",
        f"Recorded: {review_summary(primary)}",
        reviewer=reviewer,
        claim=claim,
        target=primary,
        reviewed=waiting,
        before=before,
        fields=fields,
    )


@transaction.atomic
def claim_reject(
    *, claim: Claim, reviewer: AbstractBaseUser | None, version: str | None = None
) -> Review:
    """Reject every candidate of the claim that waits for review."""
    waiting = _waiting(_locked(claim, version))
    primary = claim_primary(waiting)
    summary = review_summary(primary)
    for candidate in waiting:
        statement_reject(statement=candidate, reviewer=reviewer)
    _log(reviewer, waiting, "Rejected in the review workbench.")
    count = len(waiting)
    return _review(
        "rejected",
        f"Rejected: {summary.rsplit(', ', 1)[0]} ({count} candidate{'s' if count != 1 else ''})",
        reviewer=reviewer,
        claim=claim,
        target=primary,
        reviewed=waiting,
        before=_evidence(primary),
        fields=None,
    )


@transaction.atomic
def claim_merge(
    *,
    claim: Claim,
    into: Statement,
    reviewer: AbstractBaseUser | None,
    version: str | None = None,
) -> Review:
    """Merge the claim's waiting candidates into a published statement they repeat."""
    waiting = _waiting(_locked(claim, version))
    into = Statement.objects.get(pk=into.pk)
    if into.status != Statement.Status.PUBLISHED:
        raise ValidationError("Merge into a published statement.")
    return _merge(claim, waiting, into=into, reviewer=reviewer)


def _merge(claim, waiting, *, into: Statement, reviewer) -> Review:
    before, fields = _evidence(into), {"extraction": into.extraction}
    for candidate in waiting:
        statement_merge(statement=candidate, into=into, reviewer=reviewer)
    _log(reviewer, waiting, f"Merged into #{into.pk} in the review workbench.")
    _log(reviewer, [into], f"Gained {len(waiting)} source(s) in the review workbench.")
    return _review(
        "merged",
        f"Merged into: {review_summary(into)}",
        reviewer=reviewer,
        claim=claim,
        target=into,
        reviewed=waiting,
        before=before,
        fields=fields,
    )


@transaction.atomic
def review_undo(*, record: dict, reviewer: AbstractBaseUser | None) -> Review:
    """Undo a review made moments ago by the same editor, if nobody has touched it since."""
    at = parse_datetime(record.get("at") or "")
    if at is None or timezone.now() - at > datetime.timedelta(seconds=UNDO_SECONDS):
        raise ValidationError("Too late to undo; change it in the admin instead.")
    if record.get("reviewer") != (reviewer.pk if reviewer else None):
        raise ValidationError("Only the editor who made a review can undo it.")
    reviewed = {
        s.pk: s
        for s in Statement.objects.select_for_update().filter(pk__in=map(int, record["reviewed"]))
    }
    target = Statement.objects.select_for_update().get(pk=record["target"])
    for pk, updated_at in record["reviewed"].items():
        statement = reviewed.get(int(pk))
        if statement is None or statement.updated_at.isoformat() != updated_at:
            raise ValidationError("It has been changed since; change it in the admin instead.")
    added = record["added"]
    Position.objects.filter(pk__in=added["positions"], statement=target).delete()
    target.conditions.remove(*added["links"])
    Condition.objects.filter(pk__in=added["conditions"], statements__isnull=True).delete()
    target.sources.filter(pk__in=added["sources"]).delete()
    fields = record.get("fields") or {}
    for name, value in fields.items():
        if name == "occurred_at":
            value = datetime.datetime.fromisoformat(value)
        setattr(target, name, value)
    if fields:
        target.save()
    Statement.objects.filter(pk__in=reviewed).update(
        status=Statement.Status.CANDIDATE,
        merged_into=None,
        reviewed_by=None,
        reviewed_at=None,
        updated_at=timezone.now(),
    )
    _log(reviewer, list(reviewed.values()), f"Review undone ({record['action']}).")
    return Review("undone", "Undone: back in the queue.", record["claim"], None)
