"""Scenario files, one per conflict: each loads alone, all load in any order, and a file that
breaks the schema is refused whole, with the file, record and field named."""

import itertools
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from negotiations.models import (
    Conflict,
    Event,
    Participation,
    Party,
    Position,
    Proposal,
    Statement,
)
from negotiations.services.scenario import (
    DEFAULT_SCENARIO,
    ScenarioError,
    scenario_load,
    shipped_scenarios,
)

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def snapshot() -> dict:
    """What a database holds, by natural keys (primary keys differ between runs)."""
    return {
        "conflicts": sorted(Conflict.objects.values_list("slug", "name", "places")),
        "parties": sorted(
            Party.objects.values_list("slug", "name", "kind", "parent__slug", "aliases")
        ),
        "participations": sorted(
            Participation.objects.values_list("conflict__slug", "party__slug", "role", "side")
        ),
        "proposals": sorted(Proposal.objects.values_list("slug", "conflict__slug", "aliases")),
        "statements": sorted(
            Statement.objects.values_list("conflict__slug", "speaker__slug", "text", "status")
        ),
        "positions": sorted(
            Position.objects.values_list("proposal__slug", "party__slug", "stance", "as_of")
        ),
        "events": sorted(Event.objects.values_list("conflict__slug", "title")),
    }


def loaded(paths) -> dict:
    """Load the files in this order into the (empty) test database, snapshot, roll back."""
    result = {}
    try:
        with transaction.atomic():
            for path in paths:
                report = scenario_load(path=path)
                assert not report.warnings, report.warnings
            result = snapshot()
            raise Rollback
    except Rollback:
        pass
    return result


def test_at_least_three_conflicts_ship_with_their_sides_and_proposals():
    files = shipped_scenarios()
    assert len(files) >= 3
    for path in files:
        data = json.loads(path.read_text())
        assert len({p["side"] for p in data["participants"]}) >= 2, path
        assert data["proposals"] and data["statements"] and data["conflict"]["places"], path


@pytest.mark.parametrize("path", shipped_scenarios(), ids=lambda p: p.stem)
def test_each_file_loads_alone_into_an_empty_database(path):
    state = loaded([path])
    slug = json.loads(path.read_text())["conflict"]["slug"]
    assert [c[0] for c in state["conflicts"]] == [slug]
    assert state["statements"] and all(s[0] == slug for s in state["statements"])
    assert not Party.objects.exists()  # rolled back


def test_all_files_load_in_any_order_to_the_same_database():
    files = shipped_scenarios()
    reference = loaded(files)
    # Every file first and every file last, forwards and backwards: the orders in which a
    # shared party could be met first by another file.
    orders = {tuple(files[i:] + files[:i]) for i in range(len(files))}
    orders |= {tuple(reversed(order)) for order in orders}
    for order in itertools.islice(sorted(orders), 12):
        assert loaded(order) == reference, [p.stem for p in order]


def test_loading_everything_twice_changes_nothing():
    call_command("load_scenario")
    before = snapshot()
    for path in shipped_scenarios():
        assert not scenario_load(path=path).changed, path
    assert snapshot() == before


def broken(tmp_path: Path, mutate) -> Path:
    data = json.loads(DEFAULT_SCENARIO.read_text())
    mutate(data)
    path = tmp_path / "broken.json"
    (tmp_path / "afp-trump-putin-call.txt").write_text(
        (DEFAULT_SCENARIO.parent / "afp-trump-putin-call.txt").read_text()
    )
    path.write_text(json.dumps(data))
    return path


def party(data, slug):
    return next(p for p in data["parties"] if p["slug"] == slug)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: party(d, "trump").update(aliases="Vance, JD Vance"),
            "field 'aliases': must be a list, not a string",
        ),
        (lambda d: party(d, "trump").update(aliases=["Trump", "a"]), "at least 2 characters"),
        (lambda d: d["parties"].append("russia"), "must be an object, not a string"),
        (lambda d: party(d, "russia").update(colour="red"), "field 'colour': is not a field"),
        (
            lambda d: party(d, "russia").update(kind="empire"),
            "'empire' is not a valid value; valid values: state, government",
        ),
        (
            lambda d: d["participants"][0].update(role="sponsor"),
            "valid values: belligerent, mediator, guarantor, supporter, observer",
        ),
        (lambda d: d["conflict"].update(started_on="last year"), "is not a date"),
        (lambda d: d["conflict"].pop("slug"), "field 'slug': is required"),
        (lambda d: d.pop("conflict"), "field 'conflict': is required"),
        (
            lambda d: d["statements"][0].update(speaker="nobody"),
            "no party with slug 'nobody'",
        ),
        (
            lambda d: d["participants"].clear(),
            "does not take part in conflict 'russia-ukraine'",
        ),
        (
            lambda d: d["positions"].append({**d["positions"][0], "stance": "rejects"}),
            "one stance per party, proposal and moment",
        ),
    ],
    ids=[
        "aliases-as-string",
        "one-letter-alias",
        "record-not-object",
        "unknown-key",
        "unknown-kind",
        "unknown-role",
        "bad-date",
        "missing-slug",
        "missing-conflict",
        "unknown-reference",
        "not-a-participant",
        "two-stances-at-once",
    ],
)
def test_a_broken_file_is_refused_whole_with_what_and_where(tmp_path, mutate, expected):
    path = broken(tmp_path, mutate)
    with pytest.raises(ScenarioError) as caught:
        scenario_load(path=path)
    message = str(caught.value)
    assert str(path) in message and expected in message
    assert not Party.objects.exists() and not Conflict.objects.exists()


def test_the_string_alias_case_names_the_record(tmp_path):
    path = broken(tmp_path, lambda d: party(d, "trump").update(aliases="Vance, JD Vance"))
    with pytest.raises(ScenarioError, match=r"parties\[\d+\] \(trump\)"):
        scenario_load(path=path)


def test_check_validates_without_writing(capsys):
    call_command("load_scenario", "--check", str(DEFAULT_SCENARIO))
    assert "valid" in capsys.readouterr().out
    assert not Conflict.objects.exists() and not Party.objects.exists()


def test_check_reports_every_schema_error_at_once(tmp_path):
    def mutate(d):
        party(d, "trump")["aliases"] = "Trump"
        party(d, "russia")["kind"] = "empire"

    with pytest.raises(CommandError) as caught:
        call_command("load_scenario", "--check", str(broken(tmp_path, mutate)))
    assert "aliases" in str(caught.value) and "empire" in str(caught.value)


def test_a_shared_party_that_differs_is_left_alone_with_a_warning(tmp_path):
    scenario_load()
    data = json.loads((DEFAULT_SCENARIO.parent / "india-pakistan.json").read_text())
    party(data, "trump")["aliases"] = ["Trump", "The Donald"]
    path = tmp_path / "india-pakistan.json"
    path.write_text(json.dumps(data))
    report = scenario_load(path=path)
    assert any("'trump'" in w and "aliases" in w for w in report.warnings)
    assert "The Donald" not in Party.objects.get(slug="trump").aliases
