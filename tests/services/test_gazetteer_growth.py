"""The gazetteer grows from the news: suggestions, accepting and dismissing them, and the
re-extraction that a change of the gazetteer sets off."""

from pathlib import Path

import pytest

from negotiations import tasks
from negotiations.ingest.extract import EXTRACTOR_VERSION
from negotiations.models import (
    Article,
    Party,
    Proposal,
    ReextractionRun,
    Statement,
    Suggestion,
)
from negotiations.services.gazetteer import (
    reextraction_process,
    reextraction_sweep,
    suggestion_accept,
    suggestion_dismiss,
)
from negotiations.services.ingestion import ingest_source
from negotiations.services.statements import statement_publish

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "discovery"


@pytest.fixture
def enqueued(monkeypatch) -> list[int]:
    """Re-extraction runs handed to the worker (processed by the test itself)."""
    runs: list[int] = []
    monkeypatch.setattr(tasks.reextract_articles, "delay_on_commit", runs.append)
    monkeypatch.setattr(tasks.reextract_articles, "delay", runs.append)
    return runs


def ingest(name: str) -> Article:
    [article_id] = ingest_source(source=str(FIXTURES / name), sync=True)
    return Article.objects.get(pk=article_id)


def candidates(article: Article) -> set[tuple[str, str, tuple]]:
    return {
        (
            s.speaker.slug,
            s.text,
            tuple((p["proposal"], p["stance"]) for p in s.extraction["positions"]),
        )
        for s in article.statements.filter(status="candidate").select_related("speaker")
    }


def test_a_new_truce_and_a_new_minister_become_suggestions(scenario):
    article = ingest("christmas-truce.txt")
    truce = Suggestion.objects.get(kind="proposal", key="orthodox christmas truce")
    assert truce.conflict.slug == "russia-ukraine"
    assert truce.name == "Orthodox Christmas truce"
    assert truce.status == "open"
    assert truce.evidence.filter(article=article).exists()
    sentences = list(truce.evidence.order_by("span_start").values_list("sentence", flat=True))
    # One piece of evidence per sentence, each a sentence of its own (the headline is one).
    assert sentences[0] == "Kremlin orders Orthodox Christmas truce; Kyiv calls it a trap"
    assert any(s.startswith("Putin ordered his forces to observe") for s in sentences)
    assert len(sentences) == len(set(sentences))
    minister = Suggestion.objects.get(kind="party", key="oleksii reznikov")
    assert minister.parent_party.slug == "ukrainian-government"
    assert minister.title == "Ukrainian Defence Minister"
    assert "Reznikov" in minister.aliases
    # Until an editor accepts it, nothing about the truce is a stance.
    assert not any(stances for *_, stances in candidates(article))


def test_seeing_it_again_adds_evidence_not_a_second_suggestion(scenario):
    ingest("christmas-truce.txt")
    ingest("christmas-truce-followup.txt")
    truce = Suggestion.objects.get(kind="proposal", key="orthodox christmas truce")
    assert truce.evidence.values("article").distinct().count() == 2
    assert Suggestion.objects.filter(kind="proposal", key="orthodox christmas truce").count() == 1


def test_accepting_creates_the_record_and_re_extracts_the_articles(
    scenario, editor_user, enqueued, django_capture_on_commit_callbacks
):
    first = ingest("christmas-truce.txt")
    second = ingest("christmas-truce-followup.txt")
    truce = Suggestion.objects.get(kind="proposal", key="orthodox christmas truce")
    with django_capture_on_commit_callbacks(execute=True):
        proposal = suggestion_accept(suggestion=truce, editor=editor_user)
    assert isinstance(proposal, Proposal)
    assert proposal.conflict.slug == "russia-ukraine"
    assert "Orthodox Christmas truce" in proposal.aliases
    truce.refresh_from_db()
    assert (truce.status, truce.created_proposal, truce.decided_by) == (
        "accepted",
        proposal,
        editor_user,
    )
    [run_id] = set(enqueued)
    run = ReextractionRun.objects.get(pk=run_id)
    assert run.total == 2 and "Orthodox Christmas truce" in run.reason
    assert set(run.articles.all()) == {first, second}

    assert reextraction_process(run_id=run_id) == 0
    run.refresh_from_db()
    assert run.finished_at is not None and not run.articles.exists()
    found = candidates(first)
    assert ("ukrainian-government", proposal.slug, "rejects") in {
        (speaker, *stance) for speaker, _, stances in found for stance in stances
    }
    assert any(proposal.slug in str(s) for s in found)


def test_accepting_a_person_makes_them_the_speaker(
    scenario, editor_user, enqueued, django_capture_on_commit_callbacks
):
    article = ingest("christmas-truce.txt")
    truce = Suggestion.objects.get(kind="proposal", key="orthodox christmas truce")
    minister = Suggestion.objects.get(kind="party", key="oleksii reznikov")
    with django_capture_on_commit_callbacks(execute=True):
        suggestion_accept(suggestion=truce, editor=editor_user)
    # Before the minister is known, the institution his title ties him to speaks.
    for run_id in set(enqueued):
        reextraction_process(run_id=run_id)
    assert "ukrainian-government" in {speaker for speaker, *_ in candidates(article)}
    with django_capture_on_commit_callbacks(execute=True):
        person = suggestion_accept(suggestion=minister, editor=editor_user)
    assert isinstance(person, Party) and person.parent.slug == "ukrainian-government"
    for run_id in set(enqueued):
        reextraction_process(run_id=run_id)
    assert any(speaker == person.slug for speaker, *_ in candidates(article))


def test_a_dismissed_suggestion_stays_dismissed(scenario, editor_user):
    ingest("christmas-truce.txt")
    minister = Suggestion.objects.get(kind="party", key="oleksii reznikov")
    suggestion_dismiss(suggestion=minister, editor=editor_user)
    ingest("christmas-truce-followup.txt")
    minister.refresh_from_db()
    assert minister.status == "dismissed"
    assert minister.evidence.values("article").distinct().count() == 2
    assert not Party.objects.filter(name="Oleksii Reznikov").exists()


def test_re_extraction_keeps_reviewed_statements_and_twice_changes_nothing(
    scenario, editor_user, enqueued, django_capture_on_commit_callbacks
):
    article = ingest("christmas-truce.txt")
    reviewed = article.statements.filter(status="candidate").first()
    statement_publish(statement=reviewed, reviewer=editor_user)
    reviewed.refresh_from_db()
    before_reviewed = (reviewed.pk, reviewed.status, reviewed.text, reviewed.updated_at)

    def run_again():
        putin = Party.objects.get(slug="putin")
        with django_capture_on_commit_callbacks(execute=True):
            putin.aliases = [*putin.aliases, f"Vladimir Vladimirovich {len(putin.aliases)}"]
            putin.save()
        for run_id in set(enqueued):
            reextraction_process(run_id=run_id)
        enqueued.clear()
        return sorted(
            article.statements.values_list("status", "speaker__slug", "span_start", "span_end")
        )

    once = run_again()
    twice = run_again()
    assert once == twice
    assert len(once) == len(set(once))  # never a duplicate
    reviewed.refresh_from_db()
    assert (reviewed.pk, reviewed.status, reviewed.text, reviewed.updated_at) == before_reviewed


def test_a_change_that_touches_no_article_starts_nothing(
    scenario, enqueued, django_capture_on_commit_callbacks
):
    ingest("christmas-truce.txt")
    with django_capture_on_commit_callbacks(execute=True):
        Party.objects.create(slug="nobody", name="Zxqv Nobody", kind="person", aliases=["Zxqv"])
    assert enqueued == [] and not ReextractionRun.objects.exists()


def test_an_old_extractor_version_is_re_extracted_by_the_sweep(scenario, enqueued):
    article = ingest("christmas-truce.txt")
    Article.objects.filter(pk=article.pk).update(extractor="rules-0")
    [run_id] = reextraction_sweep()
    assert EXTRACTOR_VERSION in ReextractionRun.objects.get(pk=run_id).reason
    reextraction_process(run_id=run_id)
    article.refresh_from_db()
    assert article.extractor == EXTRACTOR_VERSION and article.reextraction is None


def test_reextract_command_with_its_options(scenario, capsys):
    from django.core.management import call_command

    ingest("christmas-truce.txt")
    call_command("reextract", "--all")
    assert "Extracted 1 article(s) again" in capsys.readouterr().out
    call_command("reextract")
    assert "No article to extract again." in capsys.readouterr().out
    call_command("reextract", "--conflict", "russia-ukraine", "--since", "2020-01-01")
    assert "Extracted 1 article(s) again" in capsys.readouterr().out
    with pytest.raises(Exception, match="No conflict 'atlantis'"):
        call_command("reextract", "--conflict", "atlantis")


def test_ingest_again_re_extracts_a_read_article(scenario, capsys):
    from django.core.management import call_command

    path = str(FIXTURES / "christmas-truce.txt")
    call_command("ingest", "--sync", path)
    assert "read before" not in capsys.readouterr().out
    call_command("ingest", "--sync", path)
    assert "read before" in capsys.readouterr().out
    article = Article.objects.get(url__endswith="christmas-truce.txt")
    before = article.extracted_at
    call_command("ingest", "--sync", "--again", path)
    article.refresh_from_db()
    assert article.extracted_at > before
    assert Statement.objects.filter(article=article, status="candidate").exists()
