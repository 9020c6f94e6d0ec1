import pytest

from negotiations.ingest.extract import Gazetteer, extract_candidates
from negotiations.models import Party


@pytest.mark.django_db
def test_from_db_finds_what_the_scenario_file_describes(scenario, seed_report, seed_gazetteer):
    from_db = Gazetteer.from_db(conflict="russia-ukraine")
    candidates = extract_candidates(seed_report, from_db)
    assert candidates == extract_candidates(seed_report, seed_gazetteer)
    assert {"trump", "putin", "kremlin", "zelensky", "scholz"} <= {c.speaker for c in candidates}


@pytest.mark.django_db
def test_from_db_sees_an_alias_added_by_an_editor(scenario, seed_report):
    putin = Party.objects.get(slug="putin")
    putin.aliases = [*putin.aliases, "Vladimir Vladimirovich"]
    putin.save()
    text = seed_report.replace("Putin refused", "Vladimir Vladimirovich refused")
    before = {
        c.text for c in extract_candidates(text, Gazetteer.from_db(conflict="russia-ukraine"))
    }
    assert any(t.startswith("Vladimir Vladimirovich refused") for t in before)
