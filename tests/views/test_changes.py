"""What changed in a conflict between two dates, and the matrix marks of a period."""

import datetime

import pytest
from django.urls import reverse

from negotiations import selectors
from negotiations.models import Conflict, Statement
from tests.factories import ConditionFactory, PositionFactory
from tests.selectors.data import at, stance, statement, world

pytestmark = pytest.mark.django_db


def changes_url(slug="russia-ukraine", **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("negotiations:conflict_changes", kwargs={"slug": slug}) + (
        f"?{query}" if query else ""
    )


def test_stance_changes_in_a_period_with_the_stance_before_and_the_evidence(analyst_client):
    w = world()
    first = statement(w.putin, 0, "We reject the ceasefire")
    stance(first, w.full, "rejects")
    later = statement(w.putin, 60 * 24 * 3, "We accept the ceasefire after all")
    stance(later, w.full, "accepts")
    again = statement(w.putin, 60 * 24 * 4, "We still accept it")
    stance(again, w.full, "accepts")  # the same stance again is no change
    conflict = Conflict.objects.get(slug="russia-ukraine")

    period = selectors.Period(datetime.date(2025, 3, 20), datetime.date(2025, 3, 26))
    changes = selectors.conflict_changes(conflict=conflict, period=period)
    [change] = changes.positions
    assert change.position.statement_id == later.pk
    assert change.before.stance == "rejects" and change.position.stance == "accepts"

    response = analyst_client.get(changes_url(date_from="2025-03-20", date_to="2025-03-26"))
    assert response.status_code == 200
    page = response.text
    assert 'Stances that changed <span class="count">(1)</span>' in page
    assert reverse("negotiations:statement_detail", kwargs={"pk": later.pk}) in page
    assert 'Rejects</span> <span class="arrow"' in page
    # In the matrix, the cell that changed in the period is marked, with what it was.
    assert 'class="changed-in-period"' in page and "was rejects" in page

    everything = selectors.conflict_changes(
        conflict=conflict,
        period=selectors.Period(datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)),
    )
    assert [(c.before and c.before.stance, c.position.stance) for c in everything.positions] == [
        ("rejects", "accepts"),
        (None, "rejects"),
    ]


def test_new_conditions_count_from_their_first_published_statement(analyst_client):
    w = world()
    said = statement(w.putin, 60 * 24, "Only if aid stops")
    condition = ConditionFactory(proposal=w.full, set_by=w.russia, summary="Aid stops")
    said.conditions.add(condition)
    secret = statement(w.putin, 0, "A candidate states it first", status="candidate")
    secret.conditions.add(condition)
    hidden = ConditionFactory(proposal=w.full, set_by=w.russia, summary="Secret demand")
    statement(w.putin, 5, "Candidate only", status="candidate").conditions.add(hidden)

    page = analyst_client.get(changes_url(date_from="2025-03-19", date_to="2025-03-19")).text
    assert "Aid stops" in page and "Secret demand" not in page and "candidate" not in page
    assert reverse("negotiations:statement_detail", kwargs={"pk": said.pk}) in page
    # Stated by a candidate on the 18th, but readers first saw it on the 19th.
    page = analyst_client.get(changes_url(date_from="2025-03-18", date_to="2025-03-18")).text
    assert 'Conditions first stated <span class="count">(0)</span>' in page


def test_the_default_period_is_the_last_seven_days_and_points_to_the_latest_change(
    analyst_client,
):
    w = world()
    stance(statement(w.putin, 0), w.full, "rejects")
    page = analyst_client.get(changes_url()).text
    today = datetime.date.today()
    assert f'value="{today:%Y-%m-%d}"' in page
    assert f'value="{today - datetime.timedelta(days=6):%Y-%m-%d}"' in page
    assert "No stance changed in this period." in page
    assert "date_from=2025-03-12&amp;date_to=2025-03-18" in page  # the week up to it


def test_a_bad_period_is_said_and_the_default_shown(analyst_client):
    world()
    response = analyst_client.get(changes_url(date_from="2025-03-20", date_to="2025-03-01"))
    assert response.status_code == 200
    assert "The end date is before the start date" in response.text
    response = analyst_client.get(changes_url(date_from="99999-01-01"))
    assert response.status_code == 200 and "is not a day this page can show" in response.text


def test_candidate_stances_never_show_as_changes_or_marks(analyst_client):
    w = world()
    stance(statement(w.putin, 0, "Public words"), w.full, "rejects")
    secret = statement(w.putin, 10, "Secret words", status=Statement.Status.CANDIDATE)
    stance(secret, w.full, "accepts")
    for url in [
        changes_url(date_from="2025-03-18", date_to="2025-03-18"),
        reverse("negotiations:conflict_detail", kwargs={"slug": "russia-ukraine"}),
    ]:
        page = analyst_client.get(url).text
        assert "Secret" not in page and "stance-accepts" not in page, url


def test_open_conditions_show_in_the_column_of_the_party_or_of_its_state(analyst_client):
    w = world()
    stance(statement(w.putin, 0), w.full, "rejects")  # a column for Russia (on its behalf?)
    PositionFactory(proposal=w.full, party=w.russia, stance="rejects", as_of=at(1))
    ConditionFactory(proposal=w.full, set_by=w.kremlin, summary="Sanctions lifted first")
    ConditionFactory(proposal=w.full, set_by=w.russia, summary="Already met", status="met")
    page = analyst_client.get(
        reverse("negotiations:conflict_detail", kwargs={"slug": "russia-ukraine"})
    ).text
    assert "Open conditions" in page and "Sanctions lifted first" in page
    assert "Already met" not in page


def test_the_changes_page_is_on_the_permission_ladder(client):
    from tests import factories

    world()
    url = changes_url()
    assert client.get(url).status_code == 302
    client.force_login(factories.UserFactory(username="nobody"))
    assert client.get(url).status_code == 403
    client.force_login(factories.analyst(username="reader"))
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405
    assert client.get(changes_url(slug="narnia")).status_code == 404
