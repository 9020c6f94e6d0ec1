"""The gazetteer in the admin: suggestions to accept or dismiss, re-extraction progress,
conflicts with their participants, and the alias preview."""

from pathlib import Path

import pytest
from django.urls import reverse

from negotiations import tasks
from negotiations.models import Conflict, Party, ReextractionRun, Suggestion
from negotiations.services.ingestion import ingest_source

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "discovery"
PREVIEW = reverse("admin:negotiations_alias_preview")


@pytest.fixture
def read_christmas(scenario):
    ingest_source(source=str(FIXTURES / "christmas-truce.txt"), sync=True)


def test_the_suggestion_list_shows_what_and_where(editor_client, read_christmas):
    page = editor_client.get(reverse("admin:negotiations_suggestion_changelist"))
    assert page.status_code == 200
    assert "Orthodox Christmas truce" in page.text and "Oleksii Reznikov" in page.text
    assert "calls it a trap" in page.text or "observe an Orthodox" in page.text  # an example


def test_an_editor_edits_then_accepts_a_suggestion(
    editor_client, read_christmas, monkeypatch, django_capture_on_commit_callbacks
):
    runs = []
    monkeypatch.setattr(tasks.reextract_articles, "delay_on_commit", runs.append)
    minister = Suggestion.objects.get(kind="party")
    url = reverse("admin:negotiations_suggestion_change", args=[minister.pk])
    form = editor_client.get(url)
    assert "Save and accept" in form.text and "Dismiss for good" in form.text
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            url,
            {
                "name": "Oleksii Reznikov",
                "aliases": "Oleksii Reznikov, Reznikov, Oleksiy Reznikov",
                "proposal_kind": "",
                "parent_proposal": "",
                "party_kind": "person",
                "title": "Defence Minister of Ukraine (until 2023)",
                "parent_party": minister.parent_party_id,
                "evidence-TOTAL_FORMS": "0",
                "evidence-INITIAL_FORMS": "0",
                "evidence-MIN_NUM_FORMS": "0",
                "evidence-MAX_NUM_FORMS": "0",
                "_accept": "Save and accept",
            },
        )
    assert response.status_code == 302
    person = Party.objects.get(name="Oleksii Reznikov")
    assert person.title == "Defence Minister of Ukraine (until 2023)"
    assert "Oleksiy Reznikov" in person.aliases
    assert len(runs) == 1
    progress = editor_client.get(reverse("admin:negotiations_reextractionrun_changelist"))
    assert "0 of 1 article(s)" in progress.text
    assert ReextractionRun.objects.get().reason.startswith("Accepted suggestion")


def test_dismissing_from_the_form(editor_client, read_christmas):
    truce = Suggestion.objects.get(kind="proposal")
    url = reverse("admin:negotiations_suggestion_change", args=[truce.pk])
    editor_client.post(
        url,
        {
            "name": truce.name,
            "aliases": ", ".join(truce.aliases),
            "proposal_kind": truce.proposal_kind,
            "parent_proposal": "",
            "party_kind": "",
            "title": "",
            "parent_party": "",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
            "evidence-MIN_NUM_FORMS": "0",
            "evidence-MAX_NUM_FORMS": "0",
            "_dismiss": "Dismiss for good",
        },
    )
    truce.refresh_from_db()
    assert truce.status == "dismissed"


def test_the_alias_preview_shows_the_sentences_an_alias_would_match(editor_client, read_christmas):
    conflict = Conflict.objects.get(slug="russia-ukraine")
    response = editor_client.get(
        PREVIEW,
        {
            "kind": "proposal",
            "aliases": "Orthodox Christmas truce, holiday pause",
            "conflict": conflict.pk,
        },
    )
    assert response.status_code == 200
    assert "<mark>Orthodox Christmas truce</mark>" in response.text
    assert "holiday pause" in response.text
    # Qualified by a name no conflict lists, a shorter alias would be left out: struck.
    shorter = editor_client.get(
        PREVIEW, {"kind": "proposal", "aliases": "Christmas truce", "conflict": conflict.pk}
    )
    assert "Orthodox <mark><s>Christmas truce</s></mark>" in shorter.text
    party = editor_client.get(PREVIEW, {"kind": "party", "aliases": "Reznikov"})
    assert "<mark>Reznikov</mark>" in party.text


def test_the_preview_says_a_proposal_needs_its_conflict(editor_client, read_christmas):
    response = editor_client.get(PREVIEW, {"kind": "proposal", "aliases": "truce"})
    assert "Choose the conflict first" in response.text


def test_the_preview_is_for_editors_only(analyst_client, read_christmas):
    from django.test import Client

    assert Client().get(PREVIEW, {"kind": "party", "aliases": "Putin"}).status_code == 302
    assert analyst_client.get(PREVIEW, {"kind": "party", "aliases": "Putin"}).status_code == 403


def test_the_preview_refuses_what_it_does_not_know(editor_client):
    assert editor_client.get(PREVIEW, {"kind": "colour"}).status_code == 400
    assert editor_client.get(PREVIEW, {"kind": "place", "conflict": "x"}).status_code == 400


def test_party_and_conflict_forms_offer_the_preview_and_say_how_matching_works(
    editor_client, scenario
):
    putin = Party.objects.get(slug="putin")
    form = editor_client.get(reverse("admin:negotiations_party_change", args=[putin.pk]))
    assert "data-alias-preview" in form.text and "whole words only" in form.text
    conflict = Conflict.objects.get(slug="russia-ukraine")
    form = editor_client.get(reverse("admin:negotiations_conflict_change", args=[conflict.pk]))
    assert "data-alias-preview" in form.text and "participations-TOTAL_FORMS" in form.text
