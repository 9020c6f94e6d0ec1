"""What existed before conflicts moves into a Russia–Ukraine war conflict without loss."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("negotiations", "0003_ingestion")]
AFTER = [("negotiations", "0006_conflicts_required")]


@pytest.fixture(autouse=True)
def back_to_the_latest_migration():
    """Leave the test database as every other test expects it: fully migrated."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_records_move_into_the_russia_ukraine_conflict():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Party = old.get_model("negotiations", "Party")
    Proposal = old.get_model("negotiations", "Proposal")
    Statement = old.get_model("negotiations", "Statement")
    Event = old.get_model("negotiations", "Event")
    Position = old.get_model("negotiations", "Position")
    russia = Party.objects.create(slug="russia", name="Russia", kind="state")
    putin = Party.objects.create(slug="putin", name="Putin", kind="person", parent=russia)
    Party.objects.create(slug="ukraine", name="Ukraine", kind="state")
    full = Proposal.objects.create(slug="full", name="Full ceasefire", kind="full_ceasefire")
    at = datetime.datetime(2025, 3, 18, 16, tzinfo=datetime.UTC)
    said = Statement.objects.create(
        speaker=putin,
        on_behalf_of=russia,
        occurred_at=at,
        channel="call_readout",
        text="No.",
        source_url="https://example.org/a",
    )
    Position.objects.create(proposal=full, party=russia, stance="rejects", as_of=at, statement=said)
    Event.objects.create(kind="call", title="A call", occurred_at=at, source_url="https://x.org")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Conflict = new.get_model("negotiations", "Conflict")
    Participation = new.get_model("negotiations", "Participation")
    [conflict] = Conflict.objects.all()
    assert (conflict.slug, conflict.name) == ("russia-ukraine", "Russia–Ukraine war")
    assert new.get_model("negotiations", "Proposal").objects.get().conflict_id == conflict.pk
    statement = new.get_model("negotiations", "Statement").objects.get()
    assert (statement.conflict_id, statement.text) == (conflict.pk, "No.")
    assert new.get_model("negotiations", "Event").objects.get().conflict_id == conflict.pk
    assert new.get_model("negotiations", "Position").objects.get().stance == "rejects"
    # The top-level parties take part, each on a side of its own, to be checked by an editor.
    assert sorted(Participation.objects.values_list("party__slug", "side")) == [
        ("russia", "russia"),
        ("ukraine", "ukraine"),
    ]


@pytest.mark.django_db(transaction=True)
def test_an_empty_database_gets_no_conflict():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    assert (
        not executor.loader.project_state(AFTER)
        .apps.get_model("negotiations", "Conflict")
        .objects.exists()
    )
