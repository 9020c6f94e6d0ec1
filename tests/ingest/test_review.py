"""Review services: re-extraction keeps reviewed statements; merge; publishing evidence."""

import pytest
from django.core.exceptions import ValidationError

from negotiations.models import Article, Condition, Position, Statement
from negotiations.services.ingestion import ingest_source
from negotiations.services.statements import (
    statement_candidates_replace,
    statement_merge,
    statement_publish,
    statement_reject,
)

from .pages import SEED_REPORT

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(scenario):
    [article_id] = ingest_source(source=str(SEED_REPORT), sync=True)
    return Article.objects.get(pk=article_id)


def candidates(article):
    return article.statements.filter(status=Statement.Status.CANDIDATE)


def test_extracting_again_replaces_only_unreviewed_candidates(report, editor_user):
    first = list(report.statements.order_by("span_start"))
    assert len(first) >= 4
    published, rejected = first[0], first[1]
    statement_publish(statement=published, reviewer=editor_user)
    statement_reject(statement=rejected, reviewer=editor_user)
    edited = first[3]
    Statement.objects.filter(pk=edited.pk).update(text="Edited by an editor, not reviewed yet")

    statement_candidates_replace(article=report)

    published.refresh_from_db()
    rejected.refresh_from_db()
    assert published.status == "published" and rejected.status == "rejected"
    remaining = set(report.statements.values_list("pk", flat=True))
    assert {published.pk, rejected.pk} <= remaining
    assert not Statement.objects.filter(pk=edited.pk).exists()  # unreviewed: replaced
    # One statement per span: the reviewed spans are not offered again as candidates.
    spans = list(report.statements.values_list("span_start", "span_end", "speaker"))
    assert len(spans) == len(set(spans)) == len(first)
    assert candidates(report).count() == len(first) - 2


def test_merging_a_candidate_records_it_against_the_existing_statement(report, editor_user):
    seed_statement = Statement.objects.filter(
        status="published", article__canonical_url__startswith="urn:", speaker__slug="putin"
    ).first()
    candidate = candidates(report).filter(speaker__slug="putin").exclude(extraction={}).first()
    assert seed_statement is not None and candidate is not None
    extra = {"proposal": "energy-infrastructure-truce", "stance": "accepts"}
    candidate.extraction = {"positions": [extra], "conditions": []}
    candidate.save()

    statement_merge(statement=candidate, into=seed_statement, reviewer=editor_user)

    candidate.refresh_from_db()
    seed_statement.refresh_from_db()
    assert candidate.status == "rejected" and candidate.merged_into == seed_statement
    assert candidate.reviewed_by == editor_user
    assert extra in seed_statement.extraction["positions"]
    assert Position.objects.filter(
        statement=seed_statement, proposal__slug="energy-infrastructure-truce"
    ).exists()
    with pytest.raises(ValidationError):
        statement_publish(statement=candidate, reviewer=editor_user)
    with pytest.raises(ValidationError, match="already reviewed"):
        statement_merge(statement=candidate, into=seed_statement, reviewer=editor_user)


def test_a_candidate_cannot_be_merged_into_itself(report, editor_user):
    candidate = candidates(report).first()
    with pytest.raises(ValidationError, match="itself"):
        statement_merge(statement=candidate, into=candidate, reviewer=editor_user)


def test_publishing_a_candidate_records_its_positions_and_conditions(report, editor_user):
    candidate = (
        candidates(report)
        .filter(speaker__slug="putin", extraction__conditions__0__category="halt_military_aid")
        .first()
    )
    assert candidate is not None
    statement_publish(statement=candidate, reviewer=editor_user)
    assert Position.objects.filter(statement=candidate).exists()
    assert Condition.objects.filter(statements=candidate, category="halt_military_aid").exists()
