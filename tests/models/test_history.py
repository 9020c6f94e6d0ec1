"""History stays history: positions are append-only, tombstones are read-only, deletions
list only what API clients saw, and rejected material leaves no trace on analyst pages."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError
from django.urls import reverse

from negotiations.models import Position, Statement, Tombstone
from negotiations.selectors import deletions_since, proposal_conditions
from negotiations.services.statements import statement_candidates_replace
from tests.factories import ArticleFactory, ConditionFactory, PositionFactory, StatementFactory
from tests.selectors.data import stance, statement, world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change", [{"stance": "rejects"}, {"as_of": "2020-01-01T00:00:00Z"}, {"party_id": None}]
)
def test_the_database_refuses_to_rewrite_a_position(change):
    position = PositionFactory()
    if "party_id" in change:
        change = {"party_id": PositionFactory().party_id}
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Position.objects.filter(pk=position.pk).update(**change)
    Position.objects.filter(pk=position.pk).update(note="A note may be added to.")


def test_deleting_a_statement_or_a_proposal_keeps_its_positions():
    w = world()
    said = statement(w.putin, 1)
    position = stance(said, w.full, "rejects")
    with pytest.raises(ProtectedError):
        said.delete()
    with pytest.raises(ProtectedError):
        w.full.delete()
    assert Position.objects.filter(pk=position.pk).exists()


def test_an_editor_corrects_a_position_with_a_new_one_that_supersedes_it(editor_client):
    w = world()
    said = statement(w.putin, 1)
    wrong = stance(said, w.full, "accepts")
    url = reverse("admin:negotiations_position_change", args=[wrong.pk])
    form = {
        "proposal": w.full.pk,
        "party": wrong.party_id,
        "stance": "rejects",
        "as_of_0": wrong.as_of.strftime("%Y-%m-%d"),
        "as_of_1": wrong.as_of.strftime("%H:%M:%S"),
        "note": "",
    }
    refused = editor_client.post(url, form)
    assert refused.status_code == 200 and "Say in the note why" in refused.content.decode()

    response = editor_client.post(url, {**form, "note": "The readout said no, not yes."})
    assert response.status_code == 302
    wrong.refresh_from_db()
    assert wrong.stance == "accepts"  # never rewritten
    correction = wrong.superseded_by
    assert (correction.stance, correction.as_of, correction.statement) == (
        "rejects",
        wrong.as_of,
        said,
    )
    matrix = editor_client.get(reverse("negotiations:api_proposals")).json()
    full = next(p for p in matrix["items"] if p["slug"] == w.full.slug)
    assert [h["stance"] for h in full["positions"][0]["history"]] == ["rejects"]

    assert (
        editor_client.post(
            reverse("admin:negotiations_position_delete", args=[correction.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_editors_cannot_delete_or_change_tombstones(editor_client):
    StatementFactory().delete()
    tombstone = Tombstone.objects.get()
    delete = reverse("admin:negotiations_tombstone_delete", args=[tombstone.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert Tombstone.objects.filter(pk=tombstone.pk).exists()


def test_deletions_list_only_statements_that_were_once_published(editor_user):
    from negotiations.services.statements import statement_publish, statement_reject

    article = ArticleFactory(text="Moscow said it would never agree. " * 3)
    never = StatementFactory(status="candidate", article=article)
    rejected = StatementFactory(status="candidate")
    statement_reject(statement=rejected, reviewer=editor_user)
    withdrawn = StatementFactory(status="candidate")
    statement_publish(statement=withdrawn, reviewer=editor_user)
    statement_reject(statement=withdrawn, reviewer=editor_user)
    statement_candidates_replace(article=article)  # deletes the unreviewed candidate

    listed = {(d.model, d.object_id) for d in deletions_since(since=None)}
    assert listed == {("negotiations.statement", str(withdrawn.pk))}
    assert not Statement.objects.filter(pk=never.pk).exists()


def test_a_condition_only_a_rejected_statement_gave_is_not_shown():
    w = world()
    rejected = statement(w.putin, 1, status=Statement.Status.REJECTED)
    published = statement(w.putin, 2)
    hidden = ConditionFactory(proposal=w.full, first_stated_in=rejected, summary="Hidden")
    hidden.statements.add(rejected)
    shown = ConditionFactory(proposal=w.full, first_stated_in=published, summary="Shown")
    shown.statements.add(published)
    manual = ConditionFactory(proposal=w.full, summary="Entered by an editor")
    assert {c.summary for c in proposal_conditions(proposal=w.full)} == {
        shown.summary,
        manual.summary,
    }


def test_a_rejected_statement_s_words_do_not_show_in_another_s_excerpt(analyst_client):
    w = world()
    text = (
        "Opening words of the report. "
        "WRONGLY ATTRIBUTED QUOTE HERE. "
        "The Kremlin said it would consider a pause. "
        "ANOTHER REJECTED CLAIM. "
        "Closing words."
    )
    article = ArticleFactory(text=text)

    def span(words, **kwargs):
        start = text.index(words)
        return statement(
            w.putin,
            1,
            words,
            article=article,
            span_start=start,
            span_end=start + len(words),
            **kwargs,
        )

    span("WRONGLY ATTRIBUTED QUOTE HERE.", status=Statement.Status.REJECTED)
    span("ANOTHER REJECTED CLAIM.", status=Statement.Status.REJECTED)
    said = span("The Kremlin said it would consider a pause.")
    page = analyst_client.get(reverse("negotiations:statement_detail", args=[said.pk]))
    body = page.content.decode()
    assert "The Kremlin said it would consider a pause." in body
    assert "WRONGLY" not in body and "ANOTHER REJECTED" not in body
    assert "Opening words" not in body  # the context stops at the rejected span
