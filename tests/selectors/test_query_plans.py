"""On a seeded table, a deep page and a search use the indexes made for them.

The seed is the benchmark's (set-based SQL); the plans are those of the queries the
selector really runs, captured and explained.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.bench_timeline import seed_timeline
from negotiations import selectors
from negotiations.filters import TimelineFilters
from negotiations.models import Conflict, Party, Proposal
from tests.selectors.data import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    world()
    with connection.cursor() as cursor:
        seed_timeline(
            cursor,
            statements=30000,
            party_ids=list(Party.objects.values_list("pk", flat=True)),
            proposal_ids=list(Proposal.objects.values_list("pk", flat=True)),
            conflict_ids=list(Conflict.objects.values_list("pk", flat=True)),
        )


def plans_of(filters: TimelineFilters, *, cursor=None) -> dict[str, str]:
    """EXPLAIN of the statement and event queries that one timeline page runs."""
    with CaptureQueriesContext(connection) as captured:
        selectors.timeline_page(filters=filters, cursor=cursor, limit=50)
    plans = {}
    with connection.cursor() as db:
        for query in captured.captured_queries:
            sql = query["sql"]
            for table in ("negotiations_statement", "negotiations_event"):
                # The listing's query, which reads the indexes (the rows follow by id).
                if sql.startswith(f'SELECT "{table}"."id" AS "pk"'):
                    db.execute("EXPLAIN " + sql)
                    plans[table] = "\n".join(row[0] for row in db.fetchall())
    return plans


def deep_cursor(depth: int) -> str:
    return selectors.timeline_page(filters=TimelineFilters(), limit=depth).next_cursor


def test_a_deep_page_walks_the_timeline_indexes_from_the_cursor(seeded):
    plans = plans_of(TimelineFilters(), cursor=deep_cursor(5000))
    statement_plan, event_plan = plans["negotiations_statement"], plans["negotiations_event"]
    assert "Index Scan Backward using statement_timeline" in statement_plan
    assert "Index Cond: (occurred_at <=" in statement_plan
    assert (
        "Sort" not in statement_plan and "Seq Scan on negotiations_statement" not in statement_plan
    )
    assert "Index Scan Backward using event_timeline" in event_plan
    assert "OFFSET" not in statement_plan


def test_a_search_finds_its_rows_through_the_gin_indexes(seeded):
    plans = plans_of(TimelineFilters(q="refinery grid"))
    assert "Bitmap Index Scan on statement_search" in plans["negotiations_statement"]
    assert "Seq Scan on negotiations_statement" not in plans["negotiations_statement"]
    # With the headlines, both vectors' indexes, and still no reading of the whole table.
    plans = plans_of(TimelineFilters(q="refinery grid", headlines=True))
    assert "Bitmap Index Scan on statement_search" in plans["negotiations_statement"]
    assert "Bitmap Index Scan on statement_source_search" in plans["negotiations_statement"]
    assert "Seq Scan on negotiations_statement" not in plans["negotiations_statement"]
    # Events are a twentieth of statements here; on so few pages PostgreSQL rightly reads
    # them in full, so their plan is not asserted.
