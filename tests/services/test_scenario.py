"""The seed scenario: what it loads, that loading twice changes nothing, and bad files."""

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from negotiations.models import (
    Article,
    Condition,
    Event,
    Party,
    Position,
    Proposal,
    Statement,
)
from negotiations.services.scenario import DEFAULT_SCENARIO, ScenarioError, scenario_load

pytestmark = pytest.mark.django_db


def current_stance(proposal_slug: str, party_slug: str) -> str:
    return (
        Position.objects.filter(proposal__slug=proposal_slug, party__slug=party_slug)
        .order_by("-as_of")
        .values_list("stance", flat=True)
        .first()
    )


def test_seed_scenario_loads_the_call(scenario):
    assert set(Party.objects.values_list("slug", flat=True)) >= {
        "russia",
        "ukraine",
        "united-states",
        "germany",
        "france",
        "western-allies",
        "putin",
        "kremlin",
        "zelensky",
        "trump",
        "white-house",
        "scholz",
        "macron",
    }
    putin = Party.objects.get(slug="putin")
    assert [p.slug for p in putin.ancestors()] == ["kremlin", "russia"]

    full = Proposal.objects.get(slug="30-day-full-ceasefire")
    energy = Proposal.objects.get(slug="energy-infrastructure-truce")
    assert (full.duration_days, full.proposed_by.slug) == (30, "united-states")
    assert (energy.scope, energy.parent) == ("energy infrastructure", full)

    assert current_stance("30-day-full-ceasefire", "ukraine") == "accepts"
    assert current_stance("30-day-full-ceasefire", "russia") == "rejects"
    assert current_stance("energy-infrastructure-truce", "russia") == "accepts"
    assert current_stance("energy-infrastructure-truce", "ukraine") == "supports"

    categories = set(
        Condition.objects.filter(set_by__slug="russia").values_list("category", flat=True)
    )
    assert categories >= {"halt_military_aid", "halt_intelligence_sharing"}

    scholz = Statement.objects.get(speaker__slug="scholz")
    assert scholz.is_verbatim and scholz.text == "Ukraine can count on us."
    assert scholz.article.text[scholz.span_start : scholz.span_end] == scholz.text
    trump = Statement.objects.get(speaker__slug="trump")
    assert trump.channel == "social_media" and trump.is_verbatim

    assert Event.objects.filter(kind="call").count() == 1
    assert Event.objects.filter(kind="strike").exists()
    article = Article.objects.get()
    # The seed report is the only stored article; later developments cite their URLs.
    assert all(s.article_id in (article.pk, None) for s in Statement.objects.all())
    assert Statement.objects.filter(article=article).count() == 9
    assert all(s.source_url for s in Statement.objects.filter(article__isnull=True))
    assert Event.objects.filter(article=article).count() == 3
    assert not Statement.objects.exclude(status="published").exists()


def test_loading_twice_changes_nothing(scenario):
    def snapshot():
        return {
            model.__name__: sorted(model.objects.values_list("pk", "updated_at"))
            for model in (Party, Proposal, Statement, Condition, Event, Article)
        } | {"positions": sorted(Position.objects.values_list("pk", "stance", "as_of"))}

    before = snapshot()
    report = scenario_load()
    assert not report.changed
    assert snapshot() == before


def test_command_reports_what_it_did(capsys):
    call_command("load_scenario")
    assert "created" in capsys.readouterr().out
    call_command("load_scenario")
    assert "nothing changed" in capsys.readouterr().out


def broken_copy(tmp_path: Path, mutate) -> Path:
    shutil.copy(DEFAULT_SCENARIO.parent / "afp-trump-putin-call.txt", tmp_path)
    data = json.loads(DEFAULT_SCENARIO.read_text())
    mutate(data)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data))
    return path


def test_error_names_file_record_and_field_and_loads_nothing(tmp_path):
    def mutate(data):
        data["statements"][6]["speaker"] = "nobody"

    path = broken_copy(tmp_path, mutate)
    with pytest.raises(ScenarioError) as caught:
        scenario_load(path=path)
    message = str(caught.value)
    assert str(path) in message
    assert "statements[6]" in message
    assert "field 'speaker'" in message
    assert "nobody" in message
    assert not Party.objects.exists()
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["parties"][0].update(kind="empire"), "field 'kind'"),
        (lambda d: d["statements"][0].update(occurred_at="yesterday"), "field 'occurred_at'"),
        (lambda d: d["statements"][0].update(excerpt="never said"), "field 'excerpt'"),
        (lambda d: d["proposals"][0].update(colour="red"), "field 'colour'"),
        (lambda d: d["statements"][0].update(occurred_at="2999-01-01T00:00:00Z"), "future"),
    ],
)
def test_invalid_records_are_refused(tmp_path, mutate, expected):
    with pytest.raises(ScenarioError, match=expected):
        scenario_load(path=broken_copy(tmp_path, mutate))
    assert not Party.objects.exists()


def test_command_fails_clearly_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("load_scenario", str(tmp_path / "missing.json"))


def test_command_fails_clearly_on_invalid_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{ not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("load_scenario", str(path))
