import dataclasses

import pytest

from negotiations import selectors
from negotiations.filters import TimelineFilters
from negotiations.models import Statement
from tests.factories import ArticleFactory, PartyFactory, StatementFactory
from tests.selectors.data import event, stance, statement, world

pytestmark = pytest.mark.django_db


def walk(filters=TimelineFilters(), limit=3):
    """Every item, following cursors page by page, as (kind, id) pairs."""
    seen, cursor = [], None
    for _ in range(1000):
        page = selectors.timeline_page(filters=filters, cursor=cursor, limit=limit)
        seen += [(item.kind, item.obj.pk) for item in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return seen
    raise AssertionError("the cursor never reached the end")


def ids(filters, limit=50):
    page = selectors.timeline_page(filters=filters, limit=limit)
    return [(item.kind, item.obj.pk) for item in page.items]


def test_newest_first_with_statements_before_events_at_the_same_moment():
    w = world()
    older = statement(w.putin, 1)
    same_time_event = event(5)
    same_time_statement = statement(w.zelensky, 5)
    newest = event(9)
    assert ids(TimelineFilters()) == [
        ("event", newest.pk),
        ("statement", same_time_statement.pk),
        ("event", same_time_event.pk),
        ("statement", older.pk),
    ]


def test_paging_by_cursor_gives_every_item_once_in_order():
    w = world()
    for n in range(7):
        statement(w.putin, n // 2)  # pairs share a moment: ties are broken by id
        event(n // 3)
    everything = ids(TimelineFilters(), limit=100)
    assert len(everything) == 14
    for limit in (1, 2, 3, 5):
        assert walk(limit=limit) == everything


def test_items_published_while_scrolling_are_neither_skipped_nor_repeated():
    w = world()
    for n in range(6):
        statement(w.putin, n * 10)
    first = selectors.timeline_page(filters=TimelineFilters(), limit=3)
    shown = [item.obj.pk for item in first.items]
    # News arrives at the top, and a late-reviewed item lands in the middle of the history.
    statement(w.putin, 100)
    backdated = statement(w.putin, 15)
    rest = selectors.timeline_page(filters=TimelineFilters(), cursor=first.next_cursor, limit=10)
    shown += [item.obj.pk for item in rest.items]
    assert len(shown) == len(set(shown))
    assert backdated.pk in shown
    assert len(shown) == 6 + 1  # the six, and the backdated one below the cursor


def test_candidate_and_rejected_statements_never_appear():
    w = world()
    published = statement(w.putin, 1, "A published truce statement")
    statement(w.putin, 2, "A candidate truce statement", status=Statement.Status.CANDIDATE)
    statement(w.putin, 3, "A rejected truce statement", status=Statement.Status.REJECTED)
    assert ids(TimelineFilters()) == [("statement", published.pk)]
    assert ids(TimelineFilters(q="truce")) == [("statement", published.pk)]
    assert selectors.statement_get(pk=published.pk + 1) is None


def test_a_party_takes_in_its_members_recursively_by_speaker_or_on_behalf_of():
    w = world()
    by_putin = statement(w.putin, 1)
    for_russia = statement(PartyFactory(), 2, on_behalf_of=w.russia)
    by_zelensky = statement(w.zelensky, 3)
    russian_event = event(4, parties=[w.kremlin])
    got = set(ids(TimelineFilters(parties=("russia",))))
    assert got == {
        ("statement", by_putin.pk),
        ("statement", for_russia.pk),
        ("event", russian_event.pk),
    }
    assert ids(TimelineFilters(parties=("zelensky",))) == [("statement", by_zelensky.pk)]
    both = set(ids(TimelineFilters(parties=("putin", "ukraine"))))
    assert both == {("statement", by_putin.pk), ("statement", by_zelensky.pk)}


def test_proposal_stance_kind_channel_and_dates_filter_and_combine():
    w = world()
    rejects_full = statement(w.putin, 10, channel="call_readout")
    stance(rejects_full, w.full, "rejects")
    accepts_energy = statement(w.putin, 20, channel="call_readout")
    stance(accepts_energy, w.energy, "accepts")
    supports_energy = statement(w.zelensky, 60 * 24 * 2, channel="social_media")
    stance(supports_energy, w.energy, "supports")
    energy_event = event(30, proposals=[w.energy])

    energy = TimelineFilters(proposals=("energy-truce",))
    assert set(ids(energy)) == {
        ("statement", accepts_energy.pk),
        ("statement", supports_energy.pk),
        ("event", energy_event.pk),
    }
    # A stance leaves events out (they carry none) and must hold on the same proposal.
    assert ids(dataclasses.replace(energy, stances=("accepts",))) == [
        ("statement", accepts_energy.pk)
    ]
    assert ids(TimelineFilters(proposals=("full-ceasefire",), stances=("accepts",))) == []
    assert ids(dataclasses.replace(energy, kinds=("event",))) == [("event", energy_event.pk)]
    assert ids(TimelineFilters(channels=("social_media",))) == [("statement", supports_energy.pk)]
    day_one = supports_energy.occurred_at.date() - __import__("datetime").timedelta(days=2)
    assert set(ids(TimelineFilters(date_to=day_one))) == {
        ("statement", rejects_full.pk),
        ("statement", accepts_energy.pk),
        ("event", energy_event.pk),
    }
    assert ids(TimelineFilters(date_from=supports_energy.occurred_at.date())) == [
        ("statement", supports_energy.pk)
    ]
    combined = TimelineFilters(
        parties=("russia",), proposals=("energy-truce",), kinds=("statement",)
    )
    assert ids(combined) == [("statement", accepts_energy.pk)]


def test_a_proposal_filter_also_finds_statements_that_state_its_conditions():
    from tests.factories import ConditionFactory

    w = world()
    demanding = statement(w.kremlin, 1)
    demanding.conditions.add(ConditionFactory(proposal=w.full, set_by=w.russia))
    assert ids(TimelineFilters(proposals=("full-ceasefire",))) == [("statement", demanding.pk)]


def test_search_uses_web_syntax_over_what_was_said_and_headlines_on_request():
    w = world()
    truce = statement(w.putin, 1, "We accept the energy truce for thirty days")
    kursk = statement(w.putin, 2, "The energy truce does not cover Kursk")
    unrelated = statement(w.zelensky, 3, "Talks continue in Jeddah")
    titled = StatementFactory(
        speaker=w.zelensky,
        text="He said nothing new",
        article=ArticleFactory(title="Moscow halts refinery strikes"),
        source_url="",
    )
    found = {pk for _, pk in ids(TimelineFilters(q='"energy truce" -Kursk'))}
    assert found == {truce.pk}
    assert {pk for _, pk in ids(TimelineFilters(q="Putin"))} == {truce.pk, kursk.pk}
    # A headline finds a statement only when asked to.
    assert ids(TimelineFilters(q="refinery")) == []
    assert {pk for _, pk in ids(TimelineFilters(q="refinery", headlines=True))} == {titled.pk}
    assert {pk for _, pk in ids(TimelineFilters(q="Jeddah OR Kursk"))} == {
        unrelated.pk,
        kursk.pk,
    }


def test_search_results_are_ranked_and_page_by_rank_without_repeats():
    w = world()
    strong = statement(w.putin, 1, "truce truce truce: the truce holds, says the truce office")
    weak = statement(
        w.putin, 50, "a long statement that mentions a truce only once among much else"
    )
    for n in range(5):
        statement(w.putin, 100 + n, f"truce item {n}")
    ranked = ids(TimelineFilters(q="truce"))
    assert ranked[0] == ("statement", strong.pk)
    assert ranked.index(("statement", strong.pk)) < ranked.index(("statement", weak.pk))
    assert walk(TimelineFilters(q="truce"), limit=2) == ranked
    newest = ids(TimelineFilters(q="truce", sort="newest"))
    assert newest[-1] == ("statement", strong.pk)


def test_a_cursor_from_another_ordering_or_tampered_with_is_refused():
    w = world()
    for n in range(3):
        statement(w.putin, n, "truce")
    page = selectors.timeline_page(filters=TimelineFilters(), limit=1)
    with pytest.raises(selectors.InvalidCursor):
        selectors.timeline_page(
            filters=TimelineFilters(q="truce"), cursor=page.next_cursor, limit=1
        )
    for bad in ("nonsense", "W10", page.next_cursor[:-3]):
        with pytest.raises(selectors.InvalidCursor):
            selectors.timeline_page(filters=TimelineFilters(), cursor=bad, limit=1)


def test_the_search_vector_follows_every_write_path():
    w = world()
    made = statement(w.putin, 1, "Nothing about power stations")
    assert ids(TimelineFilters(q="grid")) == []
    Statement.objects.filter(pk=made.pk).update(text="The grid is off limits")
    assert ids(TimelineFilters(q="grid")) == [("statement", made.pk)]
    w.putin.aliases = ["Vova"]
    w.putin.save()
    assert ids(TimelineFilters(q="Vova")) == [("statement", made.pk)]
    article = ArticleFactory(title="First headline")
    sourced = StatementFactory(speaker=w.zelensky, article=article, source_url="")
    article.title = "Substation strikes resume"
    article.save()
    assert ids(TimelineFilters(q="substation")) == []
    assert ids(TimelineFilters(q="substation", headlines=True)) == [("statement", sourced.pk)]
    # A stance or a condition recorded later makes the statement findable by them.
    stance(made, w.energy, "accepts")
    assert ids(TimelineFilters(q="energy")) == [("statement", made.pk)]
    w.energy.aliases = ["power pause"]
    w.energy.save()
    assert ids(TimelineFilters(q='"power pause"')) == [("statement", made.pk)]
    happened = event(3, title="Talks in Riyadh")
    assert ids(TimelineFilters(q="Riyadh")) == [("event", happened.pk)]


def test_matrix_shows_the_latest_visible_stance_and_its_history():
    w = world()
    early = statement(w.putin, 1)
    stance(early, w.full, "rejects")
    later = statement(w.putin, 100)
    stance(later, w.full, "accepts_with_conditions")
    hidden = statement(w.putin, 200, status=Statement.Status.CANDIDATE)
    stance(hidden, w.full, "accepts")
    matrix = selectors.position_matrix(conflict=w.full.conflict)
    # Putin's stances roll up into Russia's column, naming him.
    column = [p.slug for p in matrix.parties].index("russia")
    row = next(r for r in matrix.rows if r.proposal == w.full)
    cell = row.cells[column]
    assert cell.member == w.putin
    assert cell.current.stance == "accepts_with_conditions"
    assert [p.stance for p in cell.history] == ["accepts_with_conditions", "rejects"]
    assert cell.changed


def test_a_headline_no_longer_hides_what_was_said(scenario):
    """The AFP headline mentions energy; Putin's refusal of the full ceasefire does not."""
    refusal = Statement.objects.get(text__startswith="Putin refused to accept")
    found = {pk for kind, pk in ids(TimelineFilters(q="ceasefire -energy"), limit=200)}
    assert refusal.pk in found
    energy = Statement.objects.get(text__startswith="The Kremlin confirmed that Putin")
    assert energy.pk not in found  # it takes a stance on the energy truce
    # "Putin agrees to pause strikes on Ukrainian energy sites but refuses full ceasefire"
    with_headlines = ids(TimelineFilters(q="sites", headlines=True), limit=200)
    assert ("statement", refusal.pk) in with_headlines
    assert ("statement", refusal.pk) not in ids(TimelineFilters(q="sites"), limit=200)


def test_matched_words_are_marked_and_everything_else_escaped():
    from negotiations.templatetags.timeline_tags import matches

    w = world()
    said = statement(w.putin, 1, "The <b>truce</b> holds & the truce office agrees")
    listing = selectors.timeline_listing(filters=TimelineFilters(q="truce"), limit=5)
    [item] = selectors.timeline_load(listing.refs, filters=TimelineFilters(q="truce"))
    assert item.obj.pk == said.pk
    html = matches(item.obj.highlighted)
    assert html.count('<mark class="match">truce</mark>') == 2
    assert "&lt;b&gt;" in html and "&amp;" in html and "<b>" not in html


def test_coming_back_lists_every_item_down_to_the_one_left_from():
    w = world()
    made = [statement(w.putin, n) for n in range(12)]
    everything = ids(TimelineFilters(), limit=100)
    target = everything[7]
    key = selectors.TimelineKey(
        Statement.objects.get(pk=target[1]).occurred_at, "statement", target[1]
    )
    listing = selectors.timeline_listing(
        filters=TimelineFilters(), through=selectors.cursor_encode(key), limit=1000
    )
    assert [(r.kind, r.pk) for r in listing.refs] == everything[:8]
    # The older items follow from there, as from any page.
    rest = selectors.timeline_page(filters=TimelineFilters(), cursor=listing.next_cursor, limit=100)
    assert [(i.kind, i.obj.pk) for i in rest.items] == everything[8:]
    assert len(made) == 12


def test_density_counts_items_per_day_and_groups_long_periods():
    import datetime

    w = world()
    for minute in (0, 10, 60 * 24 * 2):
        statement(w.putin, minute)
    event(60 * 24 * 2 + 5)
    choices = selectors.filter_choices()
    density = selectors.timeline_density(filters=TimelineFilters(), choices=choices)
    assert density.unit == "day"
    assert [(b.start.isoformat(), b.count) for b in density.bars] == [
        ("2025-03-18", 2),
        ("2025-03-19", 0),
        ("2025-03-20", 2),
    ]
    assert density.total == 4 and density.peak == 2
    long = TimelineFilters(date_from=datetime.date(2023, 1, 1), date_to=datetime.date(2025, 12, 31))
    by_month = selectors.timeline_density(filters=long, choices=choices)
    assert by_month.unit == "month" and by_month.total == 4
    assert len(by_month.bars) == 36
    year = dataclasses.replace(long, date_from=datetime.date(2025, 1, 1))
    by_week = selectors.timeline_density(filters=year, choices=choices)
    assert by_week.unit == "week" and by_week.bars[0].start.weekday() == 0
