"""The matrix: a government's or a person's stance rolls up into its state or bloc."""

import pytest
from django.urls import reverse

from negotiations import selectors
from tests.factories import PartyFactory, PositionFactory
from tests.selectors.data import at, stance, statement, world

pytestmark = pytest.mark.django_db


def cell(matrix, proposal, party_slug):
    row = next(r for r in matrix.rows if r.proposal == proposal)
    return row.cells[[p.slug for p in matrix.parties].index(party_slug)]


def test_a_government_never_becomes_a_column_of_its_own_unless_an_editor_says_so(
    analyst_client,
):
    w = world()
    government = PartyFactory(
        slug="ukrainian-government",
        name="Government of Ukraine",
        kind="government",
        parent=w.ukraine,
    )
    PositionFactory(proposal=w.full, party=w.ukraine, stance="accepts", as_of=at(0))
    said = statement(government, 60, "The government supports the truce.")
    stance(said, w.full, "supports")
    europe = PartyFactory(slug="eu", name="European Union", kind="alliance")
    official = PartyFactory(slug="official", name="An EU official", kind="person", parent=europe)
    stance(statement(official, 30), w.full, "supports")

    matrix = selectors.position_matrix(conflict=w.full.conflict)

    assert [p.slug for p in matrix.parties] == ["eu", "ukraine"]
    ukraine = cell(matrix, w.full, "ukraine")
    # The Ukraine cell is current: the government's later stance, naming the government.
    assert ukraine.current.stance == "supports" and ukraine.member == government
    assert [(p.party.slug, p.stance) for p in ukraine.history] == [
        ("ukrainian-government", "supports"),
        ("ukraine", "accepts"),
    ]
    assert cell(matrix, w.full, "eu").member == official
    page = analyst_client.get(reverse("negotiations:proposal_list")).text
    assert 'via <a href="/parties/ukrainian-government/">Government of Ukraine</a>' in page
    assert ">Government of Ukraine</a></th>" not in page

    government.own_column = True
    government.save()
    matrix = selectors.position_matrix(conflict=w.full.conflict)
    assert [p.slug for p in matrix.parties] == ["eu", "ukrainian-government", "ukraine"]
    assert cell(matrix, w.full, "ukraine").current.stance == "accepts"
    assert cell(matrix, w.full, "ukrainian-government").member is None


def test_the_state_itself_is_named_nowhere_as_a_member(analyst_client):
    w = world()
    stance(statement(w.russia, 1), w.full, "rejects")
    matrix = selectors.position_matrix(conflict=w.full.conflict)
    assert cell(matrix, w.full, "russia").member is None
    assert "via " not in analyst_client.get(reverse("negotiations:proposal_list")).text
