"""The editors' admin along the permission ladder, and editing statements with positions."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from negotiations.models import Position, Statement
from tests.factories import PartyFactory, PositionFactory, ProposalFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:negotiations_statement_add")


def statement_form(speaker, proposal, **overrides):
    data = {
        "conflict": proposal.conflict_id,
        "speaker": speaker.pk,
        "on_behalf_of": "",
        "occurred_at_0": "2025-03-18",
        "occurred_at_1": "16:00:00",
        "channel": "press_conference",
        "text": "We accept the ceasefire.",
        "is_verbatim": "on",
        "article": "",
        "source_url": "https://news.example.org/accept",
        "source_outlet": "Example News",
        "source_title": "They accept",
        "span_start": "",
        "span_end": "",
        "status": "published",
        "confidence": "1.0",
        "extraction": "{}",
        "positions-TOTAL_FORMS": "1",
        "positions-INITIAL_FORMS": "0",
        "positions-MIN_NUM_FORMS": "0",
        "positions-MAX_NUM_FORMS": "1000",
        "positions-0-proposal": proposal.pk,
        "positions-0-stance": "accepts",
        "positions-0-party": "",
        "positions-0-as_of_0": "",
        "positions-0-as_of_1": "",
        "positions-0-note": "",
        "Statement_conditions-TOTAL_FORMS": "0",
        "Statement_conditions-INITIAL_FORMS": "0",
        "Statement_conditions-MIN_NUM_FORMS": "0",
        "Statement_conditions-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(ADD_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_analyst_is_refused_the_admin(analyst_client):
    assert analyst_client.get(ADD_URL).status_code == 403
    assert analyst_client.get(reverse("admin:index")).status_code == 403


def test_analyst_cannot_post_a_statement(analyst_client):
    speaker, proposal = PartyFactory(), ProposalFactory()
    response = analyst_client.post(ADD_URL, statement_form(speaker, proposal))
    assert response.status_code == 403
    assert not Statement.objects.exists()


def test_editor_cannot_manage_users(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_editor_adds_a_statement_with_a_position_and_the_history_shows_it(
    editor_client, editor_user
):
    speaker = PartyFactory(slug="ukraine", name="Ukraine")
    proposal = ProposalFactory(slug="ceasefire")
    response = editor_client.post(ADD_URL, statement_form(speaker, proposal))
    assert response.status_code == 302, response.context["adminform"].form.errors
    statement = Statement.objects.get()
    position = Position.objects.get()
    # The position defaults to the statement's party and moment.
    assert (position.party, position.stance, position.statement) == (speaker, "accepts", statement)
    assert position.as_of == statement.occurred_at

    entry = LogEntry.objects.get(object_id=str(statement.pk))
    assert entry.user == editor_user
    assert entry.is_addition()
    history = editor_client.get(
        reverse("admin:negotiations_statement_history", args=[statement.pk])
    )
    assert editor_user.username in history.content.decode()

    editor_client.post(
        reverse("admin:negotiations_statement_change", args=[statement.pk]),
        statement_form(
            speaker,
            proposal,
            text="We accept the ceasefire, with conditions.",
            **{
                "positions-TOTAL_FORMS": "1",
                "positions-INITIAL_FORMS": "1",
                "positions-0-id": position.pk,
                "positions-0-statement": statement.pk,
                "positions-0-as_of_0": "2025-03-18",
                "positions-0-as_of_1": "16:00:00",
                "positions-0-party": speaker.pk,
                "version": statement.updated_at.isoformat(),
            },
        ),
    )
    history = editor_client.get(
        reverse("admin:negotiations_statement_history", args=[statement.pk])
    )
    assert "Changed Text" in history.content.decode()


def test_statement_without_source_gets_a_form_error_and_saves_nothing(editor_client):
    response = editor_client.post(
        ADD_URL, statement_form(PartyFactory(), ProposalFactory(), source_url="")
    )
    assert response.status_code == 200
    assert "Give a source" in response.content.decode()
    assert not Statement.objects.exists()
    assert not Position.objects.exists()


def test_statement_dated_in_the_future_gets_a_form_error(editor_client):
    later = timezone.now() + datetime.timedelta(days=3)
    response = editor_client.post(
        ADD_URL,
        statement_form(
            PartyFactory(),
            ProposalFactory(),
            occurred_at_0=later.date().isoformat(),
            occurred_at_1="10:00:00",
        ),
    )
    assert response.status_code == 200
    assert "more than a day in the future" in response.content.decode()
    assert not Statement.objects.exists()


def test_second_stance_at_the_same_moment_gets_a_form_error(editor_client):
    speaker, proposal = PartyFactory(), ProposalFactory()
    PositionFactory(
        party=speaker,
        proposal=proposal,
        as_of=datetime.datetime(2025, 3, 18, 16, 0, tzinfo=datetime.UTC),
    )
    response = editor_client.post(ADD_URL, statement_form(speaker, proposal))
    assert response.status_code == 200
    assert "already has a stance on this proposal at that moment" in response.content.decode()
    assert not Statement.objects.exists()
    assert Position.objects.count() == 1


def test_two_stances_in_one_form_get_a_form_error(editor_client):
    speaker, proposal = PartyFactory(), ProposalFactory()
    data = statement_form(speaker, proposal)
    data.update(
        {
            "positions-TOTAL_FORMS": "2",
            "positions-1-proposal": proposal.pk,
            "positions-1-stance": "rejects",
            "positions-1-party": "",
            "positions-1-as_of_0": "",
            "positions-1-as_of_1": "",
            "positions-1-note": "",
        }
    )
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert not Statement.objects.exists()


def test_party_that_would_be_its_own_ancestor_gets_a_form_error(editor_client):
    state = PartyFactory(slug="state", name="State")
    person = PartyFactory(slug="person", name="Person", parent=state)
    response = editor_client.post(
        reverse("admin:negotiations_party_change", args=[state.pk]),
        {"slug": "state", "name": "State", "kind": "state", "parent": person.pk, "aliases": ""},
    )
    assert response.status_code == 200
    assert "cannot be its own ancestor" in response.content.decode()
    state.refresh_from_db()
    assert state.parent is None


def test_aliases_are_entered_comma_separated(editor_client):
    response = editor_client.post(
        reverse("admin:negotiations_party_add"),
        {
            "slug": "zelensky",
            "name": "Volodymyr Zelensky",
            "kind": "person",
            "aliases": "Zelensky, Zelenskyy ,",
        },
    )
    assert response.status_code == 302
    from negotiations.models import Party

    assert Party.objects.get(slug="zelensky").aliases == ["Zelensky", "Zelenskyy"]


@pytest.mark.parametrize(
    "url_name",
    [
        "negotiations_party_changelist",
        "negotiations_proposal_changelist",
        "negotiations_statement_changelist",
        "negotiations_candidatestatement_changelist",
        "negotiations_position_changelist",
        "negotiations_condition_changelist",
        "negotiations_event_changelist",
        "negotiations_article_changelist",
        "negotiations_feed_changelist",
    ],
)
def test_editor_lists_work_with_the_scenario_loaded(editor_client, scenario, url_name):
    response = editor_client.get(reverse(f"admin:{url_name}"), {"q": "ceasefire"})
    assert response.status_code == 200


def test_review_queue_shows_only_candidates_and_publishes_them(editor_client):
    speaker, proposal = PartyFactory(slug="kremlin"), ProposalFactory(slug="energy-truce")
    from tests.factories import ArticleFactory, StatementFactory

    article = ArticleFactory(text="Intro. The Kremlin agreed to the energy truce. Outro.")
    candidate = StatementFactory(
        speaker=speaker,
        status="candidate",
        article=article,
        span_start=7,
        span_end=46,
        text="The Kremlin agreed to the energy truce.",
        extraction={"positions": [{"proposal": "energy-truce", "stance": "accepts"}]},
    )
    published = StatementFactory(text="Already public.")
    queue = editor_client.get(reverse("admin:negotiations_candidatestatement_changelist"))
    body = queue.content.decode()
    assert "<mark>The Kremlin agreed to the energy truce.</mark>" in body
    assert "Already public." not in body

    response = editor_client.post(
        reverse("admin:negotiations_candidatestatement_changelist"),
        {"action": "publish_selected", "_selected_action": [candidate.pk]},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == "published"
    assert candidate.reviewed_by is not None
    position = Position.objects.get(statement=candidate)
    assert (position.proposal, position.party, position.stance) == (proposal, speaker, "accepts")
    assert published.status == "published"
