"""Several conflicts side by side: the list, a conflict's home, the conflict filter."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from negotiations.models import Conflict, Statement
from tests.factories import (
    ConflictFactory,
    ParticipationFactory,
    PartyFactory,
    PositionFactory,
    ProposalFactory,
    StatementFactory,
)
from tests.views.exports import as_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything():
    call_command("load_scenario")


def test_the_conflict_list_shows_each_with_what_changed_lately(analyst_client, everything):
    page = analyst_client.get(reverse("negotiations:conflict_list"))
    assert page.status_code == 200
    for conflict in Conflict.objects.all():
        assert conflict.name in page.text
        assert conflict.get_absolute_url() in page.text
    assert "Latest positions" in page.text and "Latest statements" in page.text
    assert Conflict.objects.count() >= 3


def test_the_list_costs_the_same_queries_for_two_conflicts_or_six(analyst_client):
    def conflict_with_news(n):
        conflict = ConflictFactory(slug=f"conflict-{n}")
        party = PartyFactory()
        ParticipationFactory(conflict=conflict, party=party)
        proposal = ProposalFactory(conflict=conflict)
        said = StatementFactory(conflict=conflict, speaker=party)
        PositionFactory(proposal=proposal, party=party, statement=said)

    for n in range(2):
        conflict_with_news(n)
    url = reverse("negotiations:conflict_list")
    analyst_client.get(url)
    with CaptureQueriesContext(connection) as two:
        analyst_client.get(url)
    for n in range(2, 6):
        conflict_with_news(n)
    with CaptureQueriesContext(connection) as six:
        page = analyst_client.get(url)
    assert len(six.captured_queries) == len(two.captured_queries)
    assert page.text.count('class="conflict-card"') == 6


def test_a_conflicts_home_has_its_sides_matrix_proposals_and_timeline(analyst_client, everything):
    page = analyst_client.get(
        reverse("negotiations:conflict_detail", kwargs={"slug": "india-pakistan"})
    )
    assert page.status_code == 200
    text = page.text
    assert "India–Pakistan" in text or "India-Pakistan" in text
    assert 'aria-labelledby="sides-heading"' in text and "mediator" in text
    assert 'class="matrix"' in text
    # Only its own proposals and statements.
    assert "30-day full ceasefire" not in text
    india = Statement.objects.filter(conflict__slug="india-pakistan", status="published")
    ukraine = Statement.objects.filter(conflict__slug="russia-ukraine", status="published")
    assert any(f"statement-{s.pk}" in text for s in india)
    assert not any(f'id="statement-{s.pk}"' in text for s in ukraine)


def test_an_unknown_conflict_is_a_404(analyst_client):
    url = reverse("negotiations:conflict_detail", kwargs={"slug": "atlantis"})
    assert analyst_client.get(url).status_code == 404


def test_the_timeline_filters_by_conflict(analyst_client, everything):
    page = analyst_client.get(reverse("negotiations:timeline") + "?conflict=israel-hamas")
    ids = {int(i) for i in re.findall(r'id="statement-(\d+)"', page.text)}
    assert ids
    assert set(Statement.objects.filter(pk__in=ids).values_list("conflict__slug", flat=True)) == {
        "israel-hamas"
    }


def test_exports_and_the_api_take_the_conflict_filter(analyst_client, everything):
    exported = analyst_client.get(reverse("negotiations:export_json") + "?conflict=india-pakistan")
    items = as_json(exported)["items"]
    assert items and {i["conflict"]["slug"] for i in items} == {"india-pakistan"}
    api = analyst_client.get(reverse("negotiations:api_timeline") + "?conflict=india-pakistan")
    assert {i["conflict"]["slug"] for i in api.json()["items"]} == {"india-pakistan"}
    proposals = analyst_client.get(reverse("negotiations:api_proposals") + "?conflict=drc-rwanda")
    assert {p["conflict"]["slug"] for p in proposals.json()["items"]} == {"drc-rwanda"}
    bad = analyst_client.get(reverse("negotiations:api_proposals") + "?conflict=atlantis")
    assert bad.status_code == 400


def test_the_api_lists_conflicts_with_dates_and_sides(analyst_client, everything):
    items = analyst_client.get(reverse("negotiations:api_conflicts")).json()["items"]
    by_slug = {c["slug"]: c for c in items}
    assert {"russia-ukraine", "israel-hamas", "india-pakistan"} <= set(by_slug)
    ukraine = by_slug["russia-ukraine"]
    assert ukraine["started_on"] == "2022-02-24"
    sides = {s["side"]: {p["slug"] for p in s["parties"]} for s in ukraine["sides"]}
    assert "russia" in sides["russia"] and "ukraine" in sides["ukraine"]
    assert any(p["role"] == "mediator" for s in ukraine["sides"] for p in s["parties"])


def test_the_party_page_groups_positions_by_conflict(analyst_client, everything):
    page = analyst_client.get(
        reverse("negotiations:party_detail", kwargs={"slug": "united-states"})
    )
    headings = re.findall(r'<h3 class="conflict-heading"><a [^>]*>([^<]+)</a>', page.text)
    assert len(headings) >= 2 and len(set(headings)) == len(headings)
