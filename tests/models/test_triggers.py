"""The database triggers of both lines of work, side by side after `migrate`."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

# Table → the triggers it must carry (migrations 0002, 0009, 0010 and 0011).
EXPECTED = {
    "negotiations_statement": {
        "statement_search_vector",  # 0002: what finds it
        "statement_first_published",  # 0009: deletions only of what was published
        "statement_version_insert",  # 0011: content versions
        "statement_version_update",
        "statement_version_delete",
        "statement_version_truncate",
        "statement_touched",
    },
    "negotiations_position": {
        "position_append_only",  # 0009: corrections are new rows
        "position_search_topics",  # 0010: the proposals it takes a stance on
        "position_version",  # 0011
    },
    "negotiations_statementsource": {
        "statementsource_touches_statement",  # 0011: "reported by N outlets"
        "statementsource_version_truncate",
    },
    "negotiations_statement_conditions": {
        "statement_conditions_search_topics",
        "statement_conditions_version",
    },
    "negotiations_proposal": {"proposal_search_words", "proposal_version"},
    "negotiations_condition": {"condition_search_words", "condition_version"},
    "negotiations_article": {"article_search_title", "article_version"},
    "negotiations_event": {"event_search_vector", "event_touched", "event_version"},
    "negotiations_party": {"party_search_words", "party_version"},
}


def test_every_trigger_exists_after_migrate():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal"
        )
        found: dict[str, set[str]] = {}
        for table, name in cursor.fetchall():
            found.setdefault(table, set()).add(name)
    missing = {table: names - found.get(table, set()) for table, names in EXPECTED.items()}
    assert not any(missing.values()), missing


def test_a_corrected_stance_no_longer_finds_the_statement_by_its_old_proposal():
    from django.contrib.postgres.search import SearchQuery

    from negotiations.models import Statement
    from negotiations.services.positions import position_correct
    from tests.selectors.data import stance, statement, world

    w = world()
    said = statement(w.putin, 1, "We agree.")
    accepted = stance(said, w.energy, "accepts")
    found = Statement.objects.filter(search_vector=SearchQuery("energy", config="english"))
    assert list(found) == [said]
    position_correct(
        position=accepted, note="It was the full one", recorded_by=None, proposal=w.full
    )
    assert not Statement.objects.filter(
        search_vector=SearchQuery("energy", config="english")
    ).exists()
    assert list(Statement.objects.filter(search_vector=SearchQuery("full", config="english"))) == [
        said
    ]
