import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from negotiations.models import Party, Position, Statement, Tombstone
from tests.factories import (
    ArticleFactory,
    ConflictFactory,
    PartyFactory,
    PositionFactory,
    ProposalFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


def test_statement_without_any_source_is_refused_by_the_database():
    statement = StatementFactory.build(
        conflict=ConflictFactory(), speaker=PartyFactory(), source_url="", article=None
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        statement.save()


def test_statement_with_an_article_needs_no_url():
    statement = StatementFactory(article=ArticleFactory(), source_url="")
    assert statement.pk


def test_two_stances_of_one_party_on_one_proposal_at_one_moment_are_refused():
    first = PositionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(
            proposal=first.proposal, party=first.party, as_of=first.as_of, stance="rejects"
        )


def test_positions_are_a_history_the_latest_is_current():
    early = PositionFactory(stance="rejects")
    PositionFactory(
        proposal=early.proposal,
        party=early.party,
        stance="accepts",
        as_of=early.as_of + datetime.timedelta(days=2),
    )
    latest = Position.objects.filter(proposal=early.proposal, party=early.party).first()
    assert latest.stance == "accepts"


def test_unknown_stance_is_refused_by_the_database():
    position = PositionFactory.build(proposal=ProposalFactory(), party=PartyFactory())
    position.stance = "maybe"
    with pytest.raises(IntegrityError), transaction.atomic():
        position.save()


def test_party_that_is_its_own_ancestor_is_invalid():
    state = PartyFactory(slug="state")
    person = PartyFactory(slug="person", parent=state)
    state.parent = person
    with pytest.raises(ValidationError) as caught:
        state.full_clean()
    assert "own ancestor" in str(caught.value)


def test_party_cannot_be_its_own_parent_in_the_database():
    party = PartyFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Party.objects.filter(pk=party.pk).update(parent=party)


def test_statement_dated_more_than_a_day_ahead_is_invalid():
    statement = StatementFactory.build(
        conflict=ConflictFactory(),
        speaker=PartyFactory(),
        occurred_at=timezone.now() + datetime.timedelta(days=2),
    )
    with pytest.raises(ValidationError) as caught:
        statement.full_clean()
    assert "occurred_at" in caught.value.message_dict


def test_statement_dated_later_today_is_valid():
    statement = StatementFactory.build(
        conflict=ConflictFactory(),
        speaker=PartyFactory(),
        occurred_at=timezone.now() + datetime.timedelta(hours=3),
    )
    statement.full_clean()


def test_duplicate_slug_is_refused():
    PartyFactory(slug="russia")
    with pytest.raises(IntegrityError), transaction.atomic():
        Party.objects.create(slug="russia", name="Russia again", kind="state")


def test_deleting_a_statement_leaves_a_tombstone():
    statement = StatementFactory()
    pk = statement.pk
    statement.delete()
    tombstone = Tombstone.objects.get()
    assert (tombstone.model, tombstone.object_id) == ("negotiations.statement", str(pk))


def test_span_must_be_ordered():
    statement = StatementFactory.build(
        conflict=ConflictFactory(), speaker=PartyFactory(), span_start=10, span_end=5
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        statement.save()


def test_published_is_the_default_only_for_manual_entries():
    statement = StatementFactory()
    assert statement.status == Statement.Status.PUBLISHED
    assert statement.extractor == "manual"
