"""Editors' review in the admin: the queue, publishing after editing, merging, feeds."""

from unittest.mock import Mock

import pytest
from django.urls import reverse

from negotiations.models import Article, Position, Statement
from negotiations.services.ingestion import ingest_source
from tests.factories import FeedFactory
from tests.html import form_data as html_form_data

from .pages import SEED_REPORT

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(scenario):
    [article_id] = ingest_source(source=str(SEED_REPORT), sync=True)
    return Article.objects.get(pk=article_id)


def form_data(response) -> dict:
    """The values a browser would submit from the admin's change form."""
    return html_form_data(response, "candidatestatement_form")


def test_the_queue_shows_candidates_with_their_source_excerpt_marked(editor_client, report):
    response = editor_client.get(reverse("admin:negotiations_candidatestatement_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<mark>" in page and "Ukraine can count on us." in page
    # Published statements of the seed are not in the queue.
    published = Statement.objects.filter(status="published").first()
    assert reverse("admin:negotiations_candidatestatement_change", args=[published.pk]) not in page


def test_an_editor_publishes_a_candidate_after_editing_it(editor_client, editor_user, report):
    candidate = report.statements.filter(
        speaker__slug="zelensky", extraction__positions__0__stance="supports"
    ).first()
    url = reverse("admin:negotiations_candidatestatement_change", args=[candidate.pk])
    data = form_data(editor_client.get(url))
    data["text"] = "Zelensky expressed support for the energy truce."
    data["status"] = "published"
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    candidate.refresh_from_db()
    assert candidate.status == "published"
    assert candidate.text == "Zelensky expressed support for the energy truce."
    assert candidate.reviewed_by == editor_user
    assert Position.objects.filter(
        statement=candidate, proposal__slug="energy-infrastructure-truce", stance="supports"
    ).exists()


def test_an_editor_merges_a_candidate_by_picking_the_statement_not_typing_its_id(
    editor_client, report
):
    target = Statement.objects.filter(status="published", speaker__slug="scholz").first()
    candidate = report.statements.get(speaker__slug="scholz")
    changelist = reverse("admin:negotiations_candidatestatement_changelist")
    assert "merge_selected" not in editor_client.get(changelist).content.decode()
    url = reverse("admin:negotiations_candidatestatement_change", args=[candidate.pk])
    page = editor_client.get(url).content.decode()
    assert 'data-ajax--url="/admin/autocomplete/"' in page and 'name="merged_into"' in page
    data = form_data(editor_client.get(url))
    data["merged_into"] = target.pk
    assert editor_client.post(url, data).status_code == 302
    candidate.refresh_from_db()
    assert candidate.merged_into == target and candidate.status == "rejected"
    assert target.sources.get().article == report


def test_the_feed_list_shows_status_and_an_editor_can_poll_one_now(
    editor_client, monkeypatch, django_capture_on_commit_callbacks
):
    delay = Mock()
    monkeypatch.setattr("negotiations.tasks.poll_feed.delay", delay)
    feed = FeedFactory(last_error="HTTP 503", consecutive_failures=2, enabled=False)
    changelist = reverse("admin:negotiations_feed_changelist")
    page = editor_client.get(changelist).content.decode()
    assert "HTTP 503" in page and "next poll" in page.lower()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            changelist, {"action": "poll_now", "_selected_action": [feed.pk]}
        )
    assert response.status_code == 302
    assert [(c.args, c.kwargs) for c in delay.call_args_list] == [((feed.pk,), {"force": True})]


def test_extracting_an_article_again_from_the_admin_keeps_reviewed_ones(
    editor_client, editor_user, report
):
    from negotiations.services.statements import statement_publish

    kept = report.statements.first()
    statement_publish(statement=kept, reviewer=editor_user)
    count = report.statements.count()
    response = editor_client.post(
        reverse("admin:negotiations_article_changelist"),
        {"action": "extract_again", "_selected_action": [report.pk]},
    )
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.status == "published"
    assert report.statements.count() == count


def test_a_feed_page_lists_the_entries_its_last_poll_did_not_record(editor_client):
    feed = FeedFactory(
        skipped_entries=[
            {"url": "https://news.example.org/a", "reason": "the same URL as article #7"}
        ]
    )
    page = editor_client.get(reverse("admin:negotiations_feed_change", args=[feed.pk]))
    assert "the same URL as article #7" in page.content.decode()
