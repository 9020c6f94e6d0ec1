"""Writes on statements: review (publish, reject) and applying what they evidence."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Condition, Party, Position, Proposal, Statement


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


@transaction.atomic
def statement_publish(*, statement: Statement, reviewer: AbstractBaseUser | None) -> Statement:
    """Publish a candidate (or re-publish a rejected one) and record what it evidences."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status == Statement.Status.PUBLISHED:
        return statement
    if statement.merged_into_id:
        raise ValidationError("This candidate was merged into another statement.")
    statement.status = Statement.Status.PUBLISHED
    statement.reviewed_by = reviewer
    statement.reviewed_at = timezone.now()
    statement.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    statement_apply_extraction(statement=statement)
    return statement


@transaction.atomic
def statement_reject(*, statement: Statement, reviewer: AbstractBaseUser | None) -> Statement:
    """Reject a candidate. A published statement is unpublished by the same call."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    statement.status = Statement.Status.REJECTED
    statement.reviewed_by = reviewer
    statement.reviewed_at = timezone.now()
    statement.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    return statement
