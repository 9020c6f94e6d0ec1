"""Writes on positions: append-only, so a mistake is corrected by a position that
supersedes it (the database refuses to rewrite one in place)."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Party, Position, Proposal


@transaction.atomic
def position_correct(
    *,
    position: Position,
    note: str,
    recorded_by: AbstractBaseUser | None,
    stance: str | None = None,
    party: Party | None = None,
    proposal: Proposal | None = None,
    as_of: datetime.datetime | None = None,
) -> Position:
    """Record a correction of `position`: a new position that supersedes it, with a note
    saying why. What is not given is kept from the position corrected."""
    position = Position.objects.select_for_update().get(pk=position.pk)
    if not note.strip():
        raise ValidationError({"note": "Say in the note why this corrects the position."})
    if Position.objects.filter(supersedes=position).exists():
        raise ValidationError("This position was corrected already; correct the correction.")
    correction = Position(
        proposal=proposal or position.proposal,
        party=party or position.party,
        stance=stance or position.stance,
        as_of=as_of or position.as_of,
        statement=position.statement,
        supersedes=position,
        note=note.strip(),
        recorded_by=recorded_by,
    )
    correction.full_clean(exclude=["supersedes"], validate_constraints=False)
    correction.save()
    return correction
