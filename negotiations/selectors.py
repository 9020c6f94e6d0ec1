"""Reads for the analyst pages, the exports and the API.

Only published statements leave this module; a position counts only when it has no
statement or its statement is published. Events are all public.
"""

import base64
import binascii
import dataclasses
import datetime
import json
import math
from collections import defaultdict
from collections.abc import Iterator

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import (
    Cast,
    Coalesce,
    Greatest,
    Least,
    Length,
    RowNumber,
    Substr,
    TruncDate,
)
from django.utils import timezone

from .filters import TimelineFilterForm, TimelineFilters
from .models import (
    Condition,
    Conflict,
    Event,
    Participation,
    Party,
    Position,
    Proposal,
    Statement,
    StatementSource,
    Tombstone,
)
from .pickers import PartyTree

SEARCH_CONFIG = "english"
# Characters of article text shown either side of a statement's span.
EXCERPT_CONTEXT = 240

STATEMENT = "statement"
EVENT = "event"


class InvalidCursor(ValueError):
    """A cursor that was not produced for this filter, or was tampered with."""


# -- filter choices and the party tree ----------------------------------------------------


@dataclasses.dataclass
class FilterChoices:
    parties: list[Party]
    proposals: list[Proposal]
    conflicts: list[Conflict] = dataclasses.field(default_factory=list)

    def conflict_ids(self, slugs: tuple[str, ...]) -> set[int]:
        return {c.pk for c in self.conflicts if c.slug in slugs}

    def form(self, data, *, lenient: bool = False):
        """The timeline filter form over these choices (see TimelineFilterForm)."""
        return TimelineFilterForm(
            data,
            parties=self.parties,
            proposals=self.proposals,
            conflicts=self.conflicts,
            lenient=lenient,
        )

    def party_ids_with_members(self, slugs: tuple[str, ...]) -> set[int]:
        """The parties named and everyone below them (Russia takes in the Kremlin and Putin)."""
        children = defaultdict(list)
        for party in self.parties:
            children[party.parent_id].append(party.pk)
        wanted = [p.pk for p in self.parties if p.slug in slugs]
        found: set[int] = set()
        while wanted:
            pk = wanted.pop()
            if pk not in found:
                found.add(pk)
                wanted.extend(children[pk])
        return found

    def proposal_ids(self, slugs: tuple[str, ...]) -> set[int]:
        return {p.pk for p in self.proposals if p.slug in slugs}


def filter_choices() -> FilterChoices:
    """Every party and proposal, once: the filter's choices and the party tree."""
    return FilterChoices(
        parties=list(Party.objects.only("id", "slug", "name", "parent_id").order_by("name")),
        proposals=list(Proposal.objects.only("id", "slug", "name").order_by("name")),
        conflicts=list(Conflict.objects.only("id", "slug", "name").order_by("name")),
    )


def published_statements() -> QuerySet[Statement]:
    return Statement.objects.filter(status=Statement.Status.PUBLISHED)


def current_positions() -> QuerySet[Position]:
    """Positions not superseded by a correction."""
    return Position.objects.filter(superseded_by__isnull=True)


def visible_positions() -> QuerySet[Position]:
    return current_positions().filter(
        Q(statement__isnull=True) | Q(statement__status=Statement.Status.PUBLISHED)
    )


def visible_conditions() -> QuerySet[Condition]:
    """Conditions an editor entered, or that a published statement states: one that only a
    rejected candidate gave leaves no trace."""
    stated = Statement.conditions.through.objects.filter(condition_id=OuterRef("pk"))
    return Condition.objects.filter(
        Exists(stated.filter(statement__status=Statement.Status.PUBLISHED))
        | (Q(first_stated_in__isnull=True) & ~Exists(stated))
    )


# -- cursors -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class TimelineKey:
    """Where an item sorts: newest first, statements before events at the same moment."""

    occurred_at: datetime.datetime
    kind: str
    id: int
    rank: float | None = None

    def sort_tuple(self) -> tuple:
        return (self.rank or 0.0, self.occurred_at, self.kind, self.id)


def token_encode(payload: list) -> str:
    """An opaque, URL-safe cursor: callers pass it back and never read it."""
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def token_decode(token: str, *, length: int) -> list:
    try:
        payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise InvalidCursor("This cursor cannot be read.") from exc
    if not isinstance(payload, list) or len(payload) != length:
        raise InvalidCursor("This cursor cannot be read.")
    return payload


# A row id in a cursor must fit PostgreSQL's bigint.
MAX_ID = 2**63 - 1


def _moment(value) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value)
        # Near the ends of the calendar, the database's arithmetic overflows.
        if moment.tzinfo is None or not 1900 <= moment.astimezone(datetime.UTC).year <= 2999:
            raise ValueError(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidCursor("This cursor cannot be read.") from exc
    return moment


def _row_id(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise InvalidCursor("This cursor cannot be read.")
    return value


def cursor_encode(key: TimelineKey) -> str:
    return token_encode([key.occurred_at.isoformat(), key.kind, key.id, key.rank])


def cursor_decode(cursor: str, *, ranked: bool) -> TimelineKey:
    occurred_at, kind, pk, rank = token_decode(cursor, length=4)
    if kind not in (STATEMENT, EVENT):
        raise InvalidCursor("This cursor cannot be read.")
    pk = _row_id(pk)
    if not (rank is None or (isinstance(rank, int | float) and math.isfinite(rank))):
        raise InvalidCursor("This cursor cannot be read.")
    if (rank is not None) != ranked:
        raise InvalidCursor("This cursor belongs to a different search.")
    return TimelineKey(_moment(occurred_at), kind, pk, None if rank is None else float(rank))


def _older_than(kind: str, cursor: TimelineKey) -> Q:
    """Items of `kind` that sort after the cursor in (occurred_at, kind, id) descending."""
    at = cursor.occurred_at
    if kind == cursor.kind:
        # The redundant `<=` bound lets PostgreSQL walk the timeline index from the cursor.
        same_time = Q(occurred_at__lte=at) & (Q(occurred_at__lt=at) | Q(id__lt=cursor.id))
    elif kind < cursor.kind:
        same_time = Q(occurred_at__lte=at)
    else:
        same_time = Q(occurred_at__lt=at)
    if cursor.rank is None:
        return same_time
    return Q(rank__lt=cursor.rank) | (Q(rank=cursor.rank) & same_time)


# -- the timeline --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ItemRef:
    """Where an item sits in the timeline and which version of it: all a listing holds, so
    that a cached listing and cached rendered items make a page without loading rows."""

    kind: str
    pk: int
    occurred_at: datetime.datetime
    updated_at: datetime.datetime
    rank: float | None = None

    @property
    def key(self) -> TimelineKey:
        return TimelineKey(self.occurred_at, self.kind, self.pk, self.rank)

    @property
    def dom_id(self) -> str:
        return f"{self.kind}-{self.pk}"


@dataclasses.dataclass
class TimelineItem:
    kind: str
    obj: Statement | Event
    rank: float | None = None

    @property
    def key(self) -> TimelineKey:
        return TimelineKey(self.obj.occurred_at, self.kind, self.obj.pk, self.rank)

    @property
    def ref(self) -> ItemRef:
        return ItemRef(self.kind, self.obj.pk, self.obj.occurred_at, self.obj.updated_at, self.rank)

    @property
    def occurred_at(self) -> datetime.datetime:
        return self.obj.occurred_at

    @property
    def is_statement(self) -> bool:
        return self.kind == STATEMENT


@dataclasses.dataclass
class TimelinePage:
    items: list[TimelineItem]
    next_cursor: str | None
    filters: TimelineFilters


@dataclasses.dataclass
class TimelineListing:
    refs: list[ItemRef]
    next_cursor: str | None


def _day_bounds(filters: TimelineFilters) -> Q:
    tz = timezone.get_current_timezone()
    bounds = Q()
    if filters.date_from:
        start = datetime.datetime.combine(filters.date_from, datetime.time.min, tzinfo=tz)
        bounds &= Q(occurred_at__gte=start)
    if filters.date_to:
        end = datetime.datetime.combine(filters.date_to, datetime.time.min, tzinfo=tz)
        bounds &= Q(occurred_at__lt=end + datetime.timedelta(days=1))
    return bounds


def _search_query(filters: TimelineFilters) -> SearchQuery:
    return SearchQuery(filters.q, search_type="websearch", config=SEARCH_CONFIG)


def _matches(filters: TimelineFilters, query: SearchQuery) -> Q:
    """What was said (and who, on which proposals and conditions); with `headlines`, the
    source's headline too."""
    found = Q(search_vector=query)
    if filters.headlines:
        found |= Q(source_vector=query)
    return found


def _rank(filters: TimelineFilters, query: SearchQuery) -> Cast:
    # ts_rank returns a real, whose text form does not round-trip through a Python float;
    # as double precision it does, so a rank in a cursor compares equal to itself.
    rank = SearchRank(F("search_vector"), query)
    if filters.headlines:
        # A match in the headline alone ranks below one in what was said.
        rank = rank + SearchRank(F("source_vector"), query) * Value(0.5)
    return Cast(rank, output_field=FloatField())


def timeline_statements(
    *, filters: TimelineFilters, choices: FilterChoices
) -> QuerySet[Statement] | None:
    """Published statements matching the filter, unordered; None when none can match."""
    if filters.kinds and STATEMENT not in filters.kinds:
        return None
    statements = published_statements().filter(_day_bounds(filters))
    if filters.conflicts:
        statements = statements.filter(conflict_id__in=choices.conflict_ids(filters.conflicts))
    if filters.parties:
        ids = choices.party_ids_with_members(filters.parties)
        statements = statements.filter(Q(speaker_id__in=ids) | Q(on_behalf_of_id__in=ids))
    if filters.proposals or filters.stances:
        evidenced = current_positions().filter(statement=OuterRef("pk"))
        if filters.proposals:
            evidenced = evidenced.filter(proposal_id__in=choices.proposal_ids(filters.proposals))
        if filters.stances:
            evidenced = evidenced.filter(stance__in=filters.stances)
        touches = Exists(evidenced)
        if filters.proposals and not filters.stances:
            touches |= Exists(
                Statement.conditions.through.objects.filter(
                    statement_id=OuterRef("pk"),
                    condition__proposal_id__in=choices.proposal_ids(filters.proposals),
                )
            )
        statements = statements.filter(touches)
    if filters.channels:
        statements = statements.filter(channel__in=filters.channels)
    if filters.q:
        query = _search_query(filters)
        statements = statements.filter(_matches(filters, query)).annotate(
            rank=_rank(filters, query)
        )
    return statements


def timeline_events(*, filters: TimelineFilters, choices: FilterChoices) -> QuerySet[Event] | None:
    """Events matching the filter, unordered; None when none can match.

    Events carry no stance and no channel, so asking for either leaves them out.
    """
    if (filters.kinds and EVENT not in filters.kinds) or filters.stances or filters.channels:
        return None
    events = Event.objects.filter(_day_bounds(filters))
    if filters.conflicts:
        events = events.filter(conflict_id__in=choices.conflict_ids(filters.conflicts))
    if filters.parties:
        ids = choices.party_ids_with_members(filters.parties)
        events = events.filter(
            Exists(Event.parties.through.objects.filter(event_id=OuterRef("pk"), party_id__in=ids))
        )
    if filters.proposals:
        ids = choices.proposal_ids(filters.proposals)
        events = events.filter(
            Exists(
                Event.proposals.through.objects.filter(event_id=OuterRef("pk"), proposal_id__in=ids)
            )
        )
    if filters.q:
        query = _search_query(filters)
        events = events.filter(_matches(filters, query)).annotate(rank=_rank(filters, query))
    return events


def _ordered(queryset: QuerySet, filters: TimelineFilters) -> QuerySet:
    if filters.ranked:
        return queryset.order_by("-rank", "-occurred_at", "-id")
    return queryset.order_by("-occurred_at", "-id")


def _rejected_edge(*, before: bool) -> Subquery:
    """Where the context around a statement's span must stop so that no rejected statement
    of the same article shows in it: the nearest edge of one before (or after) the span."""
    rejected = Statement.objects.filter(
        article_id=OuterRef("article_id"),
        status=Statement.Status.REJECTED,
        merged_into__isnull=True,  # a merged candidate's words are its target's
        span_start__isnull=False,
    )
    if before:
        edges = rejected.filter(span_start__lt=OuterRef("span_start"))
        nearest = Max(Least(F("span_end"), OuterRef("span_start")))
    else:
        edges = rejected.filter(span_end__gt=OuterRef("span_end"))
        nearest = Min(Greatest(F("span_start"), OuterRef("span_end")))
    return Subquery(edges.order_by().values("article_id").annotate(edge=nearest).values("edge"))


def _with_display_columns(statements: QuerySet[Statement]) -> QuerySet[Statement]:
    """What a timeline item shows, in the same query: never the whole article text, and
    never the words of a rejected statement in the context around the span."""
    before_start = Greatest(
        F("span_start") - EXCERPT_CONTEXT, Coalesce(_rejected_edge(before=True), Value(0))
    )
    after_end = Least(
        F("span_end") + EXCERPT_CONTEXT,
        Coalesce(_rejected_edge(before=False), F("span_end") + EXCERPT_CONTEXT),
    )
    return (
        statements.select_related("speaker", "on_behalf_of", "article", "conflict")
        .defer("article__text", "search_vector", "source_vector", "extraction")
        .annotate(
            excerpt_before=Substr(
                "article__text", before_start + 1, F("span_start") - before_start
            ),
            excerpt_span=Substr(
                "article__text", F("span_start") + 1, F("span_end") - F("span_start")
            ),
            excerpt_after=Substr("article__text", F("span_end") + 1, after_end - F("span_end")),
            article_length=Length("article__text"),
        )
    )


# Marks around the words a search matched, from ts_headline: control characters that no
# stored text contains, so that the text is escaped first and the marks become <mark> after.
MATCH_START, MATCH_END = "\x02", "\x03"


def _highlight(field: str, query: SearchQuery) -> SearchHeadline:
    return SearchHeadline(
        field,
        query,
        config=SEARCH_CONFIG,
        start_sel=MATCH_START,
        stop_sel=MATCH_END,
        highlight_all=True,
    )


def timeline_prefetch(items: list[TimelineItem]) -> None:
    """Load what every item shows in a fixed number of queries, whatever the page length."""
    statements = [item.obj for item in items if item.is_statement]
    events = [item.obj for item in items if not item.is_statement]
    if statements:
        prefetch_related_objects(
            statements,
            Prefetch(
                "positions",
                queryset=current_positions()
                .select_related("proposal")
                .order_by("proposal__name", "-as_of"),
            ),
            Prefetch(
                "conditions",
                queryset=Condition.objects.select_related("proposal").order_by("category"),
            ),
            Prefetch(
                "sources",
                queryset=StatementSource.objects.select_related("article").defer("article__text"),
            ),
        )
    if events:
        prefetch_related_objects(
            events,
            Prefetch("parties", queryset=Party.objects.only("id", "slug", "name")),
            Prefetch("proposals", queryset=Proposal.objects.only("id", "slug", "name")),
        )


def _refs(queryset: QuerySet, kind: str, *, ranked: bool, limit: int | None) -> list[ItemRef]:
    columns = ["pk", "occurred_at", "updated_at", *(["rank"] if ranked else [])]
    rows = queryset.values_list(*columns)
    if limit is not None:
        rows = rows[:limit]
    return [ItemRef(kind, *row) if ranked else ItemRef(kind, *row, None) for row in rows]


def timeline_listing(
    *,
    filters: TimelineFilters,
    cursor: str | None = None,
    through: str | None = None,
    limit: int,
    choices: FilterChoices | None = None,
) -> TimelineListing:
    """Which items one page of the timeline shows, newest first (or most relevant first for
    a text query): references only, read from the timeline and search indexes.

    Keyset pagination on (occurred_at, kind, id), with the rank in front for a search:
    each kind is read from its own index up to `limit + 1` rows and the two are merged.
    With `through` (a cursor of an item), the page runs from the top down to that item
    and no further than `limit` items: how a reader who comes Back finds their place.
    """
    choices = choices or filter_choices()
    after = cursor_decode(cursor, ranked=filters.ranked) if cursor else None
    until = cursor_decode(through, ranked=filters.ranked) if through else None
    candidates: list[ItemRef] = []
    for kind, queryset in (
        (STATEMENT, timeline_statements(filters=filters, choices=choices)),
        (EVENT, timeline_events(filters=filters, choices=choices)),
    ):
        if queryset is None:
            continue
        if after:
            queryset = queryset.filter(_older_than(kind, after))
        if until:
            queryset = queryset.exclude(_older_than(kind, until))
        candidates += _refs(
            _ordered(queryset, filters), kind, ranked=filters.ranked, limit=limit + 1
        )
    candidates.sort(key=lambda ref: ref.key.sort_tuple(), reverse=True)
    refs = candidates[:limit]
    more = len(candidates) > limit
    if until and refs and not more:
        # Down to the item the reader came from; older items follow as usual.
        more = True
    return TimelineListing(refs, cursor_encode(refs[-1].key) if more and refs else None)


def timeline_load(
    refs: list[ItemRef], *, filters: TimelineFilters | None = None
) -> list[TimelineItem]:
    """The display rows of these items, in their order, in a fixed number of queries.

    With a text query in `filters`, each item also carries its text with the matched words
    marked (MATCH_START … MATCH_END): `highlighted` (and `highlighted_title` for events).
    """
    query = _search_query(filters) if filters and filters.q else None
    statement_ids = [r.pk for r in refs if r.kind == STATEMENT]
    event_ids = [r.pk for r in refs if r.kind == EVENT]
    found: dict[tuple[str, int], Statement | Event] = {}
    if statement_ids:
        statements = _with_display_columns(published_statements().filter(pk__in=statement_ids))
        if query is not None:
            statements = statements.annotate(highlighted=_highlight("text", query))
        found.update(((STATEMENT, s.pk), s) for s in statements)
    if event_ids:
        events = (
            Event.objects.filter(pk__in=event_ids)
            .select_related("article", "conflict")
            .defer("article__text", "search_vector", "source_vector")
        )
        if query is not None:
            events = events.annotate(
                highlighted=_highlight("description", query),
                highlighted_title=_highlight("title", query),
            )
        found.update(((EVENT, e.pk), e) for e in events)
    items = [
        TimelineItem(r.kind, found[(r.kind, r.pk)], r.rank) for r in refs if (r.kind, r.pk) in found
    ]
    timeline_prefetch(items)
    return items


def timeline_page(
    *,
    filters: TimelineFilters,
    cursor: str | None = None,
    limit: int,
    choices: FilterChoices | None = None,
) -> TimelinePage:
    """One page of the timeline with every row loaded (see timeline_listing)."""
    listing = timeline_listing(filters=filters, cursor=cursor, limit=limit, choices=choices)
    return TimelinePage(
        items=timeline_load(listing.refs), next_cursor=listing.next_cursor, filters=filters
    )


EXPORT_PAGE = 500


def timeline_iter(
    *, filters: TimelineFilters, max_items: int, choices: FilterChoices | None = None
) -> Iterator[TimelineItem]:
    """The items the filter shows, in timeline order, up to `max_items`, read a page at a
    time: an export streams them without holding them all."""
    choices = choices or filter_choices()
    sent, cursor = 0, None
    while sent < max_items:
        page = timeline_page(
            filters=filters,
            cursor=cursor,
            limit=min(EXPORT_PAGE, max_items - sent),
            choices=choices,
        )
        yield from page.items
        sent += len(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return


def timeline_exceeds(
    *, filters: TimelineFilters, count: int, choices: FilterChoices | None = None
) -> bool:
    """Whether the filter shows more than `count` items, counting no further than that."""
    choices = choices or filter_choices()
    found = 0
    for rows in (
        timeline_statements(filters=filters, choices=choices),
        timeline_events(filters=filters, choices=choices),
    ):
        if rows is not None:
            found += rows.order_by()[: count + 1 - found].count()
    return found > count


def statement_get(*, pk: int) -> Statement | None:
    """One published statement with all that its permalink shows."""
    statement = _with_display_columns(published_statements().filter(pk=pk)).first()
    if statement is not None:
        timeline_prefetch([TimelineItem(STATEMENT, statement)])
    return statement


def event_get(*, pk: int) -> Event | None:
    event = (
        Event.objects.select_related("article", "conflict")
        .defer("article__text", "search_vector", "source_vector")
        .filter(pk=pk)
        .first()
    )
    if event is not None:
        timeline_prefetch([TimelineItem(EVENT, event)])
    return event


# -- how dense the timeline is -------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class DensityBar:
    start: datetime.date
    end: datetime.date  # inclusive
    count: int


@dataclasses.dataclass
class Density:
    bars: list[DensityBar]
    unit: str  # "day", "week" or "month"

    @property
    def peak(self) -> int:
        return max((bar.count for bar in self.bars), default=0)

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)


# Beyond this many days the strip groups days into weeks, and beyond the second into months,
# so that it stays a strip of bars a pointer and a finger can hit.
DENSITY_DAYS, DENSITY_WEEKS = 120, 120 * 7


def timeline_density(*, filters: TimelineFilters, choices: FilterChoices) -> Density:
    """Items per day (or week, or month) over the period the filter covers."""
    per_day: dict[datetime.date, int] = defaultdict(int)
    for queryset in (
        timeline_statements(filters=filters, choices=choices),
        timeline_events(filters=filters, choices=choices),
    ):
        if queryset is None:
            continue
        rows = (
            queryset.order_by()
            .annotate(day=TruncDate("occurred_at"))
            .values("day")
            .annotate(n=Count("pk"))
            .values_list("day", "n")
        )
        for day, n in rows:
            per_day[day] += n
    if not per_day:
        return Density([], "day")
    first = filters.date_from or min(per_day)
    last = filters.date_to or max(per_day)
    first, last = min(first, min(per_day)), max(last, max(per_day))
    span = (last - first).days + 1
    if span <= DENSITY_DAYS:
        unit, starts = "day", [first + datetime.timedelta(days=n) for n in range(span)]
    elif span <= DENSITY_WEEKS:
        monday = first - datetime.timedelta(days=first.weekday())
        weeks = (last - monday).days // 7 + 1
        unit, starts = "week", [monday + datetime.timedelta(weeks=n) for n in range(weeks)]
    else:
        unit, starts = "month", []
        month = first.replace(day=1)
        while month <= last:
            starts.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
    bars = []
    for n, start in enumerate(starts):
        end = starts[n + 1] - datetime.timedelta(days=1) if n + 1 < len(starts) else last
        end = max(end, start)
        count = sum(c for day, c in per_day.items() if start <= day <= end)
        bars.append(DensityBar(start, end, count))
    return Density(bars, unit)


# -- positions -----------------------------------------------------------------------------


@dataclasses.dataclass
class MatrixCell:
    history: list[Position]  # newest first, the column party's and its members'
    column: Party | None = None

    @property
    def current(self) -> Position:
        return self.history[0]

    @property
    def member(self) -> Party | None:
        """Who took the current stance, when a member of the column's party did."""
        party = self.current.party
        return party if self.column is not None and party.pk != self.column.pk else None

    @property
    def changed(self) -> bool:
        return len({p.stance for p in self.history}) > 1


@dataclasses.dataclass
class MatrixRow:
    proposal: Proposal
    cells: list[MatrixCell | None]


@dataclasses.dataclass
class PositionMatrix:
    parties: list[Party]
    rows: list[MatrixRow]


def _histories(positions, tree) -> dict[tuple[int, int], list[Position]]:
    """Positions by proposal and matrix column: a member's roll up into its state or bloc."""
    histories: dict[tuple[int, int], list[Position]] = defaultdict(list)
    for position in positions:
        histories[(position.proposal_id, tree.column(position.party_id).pk)].append(position)
    return histories


def position_matrices(*, conflict: Conflict | None = None) -> list[tuple[Conflict, PositionMatrix]]:
    """One matrix per conflict (or for one conflict): its proposals × the parties that took
    a stance on them, each cell the party's current stance and its history. A government's
    or a person's stance shows in its state or bloc's column, naming them (PartyTree.column).
    Three queries, however many conflicts."""
    proposals = Proposal.objects.select_related("proposed_by", "parent", "conflict").order_by(
        "conflict__name", "-proposed_on", "name"
    )
    positions = visible_positions().select_related("party")
    positions = positions.annotate(reports=Count("statement__sources") + 1)
    if conflict is not None:
        proposals = proposals.filter(conflict=conflict)
        positions = positions.filter(proposal__conflict=conflict)
    tree = PartyTree.load()
    histories = _histories(positions.order_by("-as_of", "-id"), tree)
    by_conflict: dict[int, list[Proposal]] = defaultdict(list)
    conflicts: dict[int, Conflict] = {}
    for proposal in proposals:
        by_conflict[proposal.conflict_id].append(proposal)
        conflicts.setdefault(proposal.conflict_id, proposal.conflict)
    out = []
    for conflict_id, its_proposals in by_conflict.items():
        wanted = {p.pk for p in its_proposals}
        parties: dict[int, Party] = {}
        for proposal_id, party_id in histories:
            if proposal_id in wanted:
                parties.setdefault(party_id, tree.parties[party_id])
        columns = sorted(parties.values(), key=lambda p: p.name)
        rows = [
            MatrixRow(
                proposal,
                [
                    MatrixCell(histories[(proposal.pk, party.pk)], party)
                    if (proposal.pk, party.pk) in histories
                    else None
                    for party in columns
                ],
            )
            for proposal in its_proposals
        ]
        out.append((conflicts[conflict_id], PositionMatrix(parties=columns, rows=rows)))
    return out


def position_matrix(*, conflict: Conflict) -> PositionMatrix:
    """One conflict's proposals × parties."""
    found = position_matrices(conflict=conflict)
    return found[0][1] if found else PositionMatrix(parties=[], rows=[])


# -- what changed --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Period:
    """Whole days, both ends included, in the site's time zone."""

    start: datetime.date
    end: datetime.date

    @property
    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(self.end, datetime.time.min, tzinfo=tz)
        return start, end + datetime.timedelta(days=1)

    def holds(self, moment: datetime.datetime) -> bool:
        start, end = self.bounds
        return start <= moment < end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclasses.dataclass
class PositionChange:
    position: Position  # the new stance, with its evidence
    before: Position | None  # the stance it replaced; None for a first stance


@dataclasses.dataclass
class NewCondition:
    condition: Condition
    stated_in: Statement  # the first published statement that states it


@dataclasses.dataclass
class Changes:
    period: Period
    positions: list[PositionChange]
    conditions: list[NewCondition]
    latest: datetime.datetime | None  # the newest change of all, within the period or not


def _stance_changes(histories) -> list[PositionChange]:
    """Per (proposal, party) history, oldest first: each stance that differs from the one
    before it (a first stance is a change from nothing)."""
    found = []
    for history in histories:
        before = None
        for position in history:
            if before is None or position.stance != before.stance:
                found.append(PositionChange(position, before))
            before = position
    return found


def conflict_changes(*, conflict: Conflict, period: Period) -> Changes:
    """Position changes and new conditions in a conflict between two dates, each with its
    evidence and, for a stance, the stance before it."""
    start, end = period.bounds
    positions = (
        visible_positions()
        .filter(proposal__conflict=conflict, as_of__lt=end)
        .select_related("party", "proposal", "statement")
        .defer("statement__search_vector", "statement__source_vector", "statement__extraction")
        .order_by("proposal_id", "party_id", "as_of", "id")
    )
    histories: dict[tuple[int, int], list[Position]] = defaultdict(list)
    for position in positions:
        histories[(position.proposal_id, position.party_id)].append(position)
    every_change = _stance_changes(histories.values())
    changes = [c for c in every_change if c.position.as_of >= start]
    changes.sort(key=lambda c: (c.position.as_of, c.position.pk), reverse=True)

    first_statements = (
        published_statements()
        .filter(conditions=OuterRef("pk"))
        .order_by("occurred_at", "id")
        .values("pk")[:1]
    )
    conditions = (
        Condition.objects.filter(proposal__conflict=conflict)
        .annotate(first_statement=Subquery(first_statements))
        .filter(first_statement__isnull=False)
        .select_related("proposal", "set_by", "demanded_of")
    )
    conditions = list(conditions)
    stated = {
        s.pk: s
        for s in published_statements()
        .filter(pk__in=[c.first_statement for c in conditions])
        .select_related("speaker")
        .defer("search_vector", "source_vector", "extraction")
    }
    new_conditions = [
        NewCondition(c, stated[c.first_statement])
        for c in conditions
        if period.holds(stated[c.first_statement].occurred_at)
    ]
    new_conditions.sort(key=lambda n: (n.stated_in.occurred_at, n.condition.pk), reverse=True)

    latest = max(
        [c.position.as_of for c in every_change]
        + [stated[c.first_statement].occurred_at for c in conditions],
        default=None,
    )
    return Changes(period, changes, new_conditions, latest)


@dataclasses.dataclass
class CellMarks:
    """What the matrix adds to a cell for a chosen period."""

    changes: list[PositionChange]  # within the period, newest first
    open_conditions: list[Condition]

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def matrix_marks(
    *, matrix: PositionMatrix, conflict: Conflict, period: Period
) -> dict[tuple[int, int], CellMarks]:
    """(proposal id, party id) → the changes within `period` and the open conditions of a
    matrix's cells. A condition set by a member (Putin) shows in its party's column (Russia)
    when the member has no column of its own."""
    columns = {party.pk for party in matrix.parties}
    tree = PartyTree.load()

    def column_of(party_id: int) -> int | None:
        return next((p.pk for p in tree.chain(party_id) if p.pk in columns), None)

    marks: dict[tuple[int, int], CellMarks] = {}
    for row in matrix.rows:
        for party, cell in zip(matrix.parties, row.cells, strict=True):
            if cell is None:
                continue
            history = list(reversed(cell.history))
            changes = [c for c in _stance_changes([history]) if period.holds(c.position.as_of)]
            marks[(row.proposal.pk, party.pk)] = CellMarks(changes[::-1], [])
    conditions = (
        visible_conditions()
        .filter(proposal__conflict=conflict, status=Condition.Status.OPEN)
        .select_related("set_by", "demanded_of")
        .order_by("category", "summary")
    )
    for condition in conditions:
        column = column_of(condition.set_by_id)
        if column is None:
            continue
        cell = marks.setdefault((condition.proposal_id, column), CellMarks([], []))
        cell.open_conditions.append(condition)
    return marks


# -- conflicts -----------------------------------------------------------------------------


@dataclasses.dataclass
class Side:
    name: str
    participations: list[Participation]


@dataclasses.dataclass
class ConflictOverview:
    conflict: Conflict
    statement_count: int
    proposal_count: int
    sides: list[Side]
    recent_positions: list[Position]
    recent_statements: list[Statement]

    @property
    def last_activity(self) -> datetime.datetime | None:
        moments = [p.as_of for p in self.recent_positions[:1]]
        moments += [s.occurred_at for s in self.recent_statements[:1]]
        return max(moments) if moments else None


def _sides(participations) -> dict[int, list[Side]]:
    grouped: dict[int, dict[str, list[Participation]]] = defaultdict(dict)
    for p in participations:
        grouped[p.conflict_id].setdefault(p.side, []).append(p)
    return {
        conflict_id: [Side(name, members) for name, members in sides.items()]
        for conflict_id, sides in grouped.items()
    }


def conflict_overviews(*, recent: int = 3, slug: str | None = None) -> list[ConflictOverview]:
    """Every conflict with its counts, its sides and what changed lately (the newest
    position changes and statements): the same five queries however many conflicts."""
    conflicts = Conflict.objects.annotate(
        statement_count=Count(
            "statements", filter=Q(statements__status=Statement.Status.PUBLISHED), distinct=True
        ),
        proposal_count=Count("proposals", distinct=True),
    ).order_by("name")
    if slug is not None:
        conflicts = conflicts.filter(slug=slug)
    conflicts = list(conflicts)
    ids = [c.pk for c in conflicts]
    sides = _sides(
        Participation.objects.filter(conflict_id__in=ids)
        .select_related("party")
        .order_by("side", "party__name")
    )
    positions: dict[int, list[Position]] = defaultdict(list)
    newest_positions = (
        visible_positions()
        .filter(proposal__conflict_id__in=ids)
        .annotate(
            conflict_id=F("proposal__conflict_id"),
            newest=Window(
                RowNumber(),
                partition_by=F("proposal__conflict_id"),
                order_by=[F("as_of").desc(), F("id").desc()],
            ),
        )
        .filter(newest__lte=recent)
        .select_related("party", "proposal")
        .order_by("-as_of", "-id")
    )
    for position in newest_positions:
        positions[position.conflict_id].append(position)
    statements: dict[int, list[Statement]] = defaultdict(list)
    newest_statements = (
        published_statements()
        .filter(conflict_id__in=ids)
        .annotate(
            newest=Window(
                RowNumber(),
                partition_by=F("conflict_id"),
                order_by=[F("occurred_at").desc(), F("id").desc()],
            )
        )
        .filter(newest__lte=recent)
        .select_related("speaker")
        .defer("search_vector", "extraction")
        .order_by("-occurred_at", "-id")
    )
    for statement in newest_statements:
        statements[statement.conflict_id].append(statement)
    return [
        ConflictOverview(
            conflict=c,
            statement_count=c.statement_count,
            proposal_count=c.proposal_count,
            sides=sides.get(c.pk, []),
            recent_positions=positions[c.pk],
            recent_statements=statements[c.pk],
        )
        for c in conflicts
    ]


def sides_by_party(*, conflict_ids) -> dict[tuple[int, int], str]:
    """(conflict id, party id) → the side that party is on there, members included: a party
    takes the side of its own participation, or of its nearest ancestor's."""
    participations = Participation.objects.filter(conflict_id__in=conflict_ids).values_list(
        "conflict_id", "party_id", "side"
    )
    direct: dict[int, dict[int, str]] = defaultdict(dict)
    for conflict_id, party_id, side in participations:
        direct[conflict_id][party_id] = side
    if not direct:
        return {}
    tree = PartyTree.load()
    found = {}
    for conflict_id, sides in direct.items():
        for party_id in tree.parties:
            side = next((sides[p.pk] for p in tree.chain(party_id) if p.pk in sides), None)
            if side is not None:
                found[(conflict_id, party_id)] = side
    return found


@dataclasses.dataclass(frozen=True)
class Truce:
    proposal: Proposal
    start: datetime.datetime
    end: datetime.datetime


TRUCE_KINDS = ("full_ceasefire", "partial_ceasefire", "humanitarian_pause")
AGREEING = {"proposed", "supports", "accepts", "accepts_with_conditions"}


def truces_in_force(
    *, conflict_ids, since: datetime.datetime, until: datetime.datetime
) -> list[Truce]:
    """The periods a truce was in force, as far as the recorded stances tell: from the
    moment every belligerent side of its conflict agreed (proposed, supported or accepted
    it) to the end of its duration, or to the first withdrawal or rejection after that, or
    to `until` when it has no duration. Only periods that overlap [since, until]."""
    sides = sides_by_party(conflict_ids=conflict_ids)
    belligerent_sides: dict[int, set[str]] = defaultdict(set)
    for conflict_id, side in Participation.objects.filter(
        conflict_id__in=conflict_ids, role="belligerent"
    ).values_list("conflict_id", "side"):
        belligerent_sides[conflict_id].add(side)
    proposals = {
        p.pk: p for p in Proposal.objects.filter(conflict_id__in=conflict_ids, kind__in=TRUCE_KINDS)
    }
    positions = (
        visible_positions()
        .filter(proposal_id__in=proposals)
        .order_by("proposal_id", "as_of", "id")
        .values_list("proposal_id", "party_id", "stance", "as_of")
    )
    by_proposal: dict[int, list] = defaultdict(list)
    for row in positions:
        by_proposal[row[0]].append(row[1:])
    truces = []
    for proposal_id, history in by_proposal.items():
        proposal = proposals[proposal_id]
        needed = belligerent_sides.get(proposal.conflict_id)
        if not needed:
            continue
        current: dict[str, str] = {}
        start = end = None
        for party_id, stance, as_of in history:
            side = sides.get((proposal.conflict_id, party_id))
            if side not in needed:
                continue
            current[side] = stance
            agreed = set(current) == needed and all(s in AGREEING for s in current.values())
            if start is None and agreed:
                start = as_of
            elif start is not None and not agreed:
                end = as_of
                break
        if start is None:
            continue
        if proposal.duration_days:
            lasting = start + datetime.timedelta(days=proposal.duration_days)
            end = min(end, lasting) if end else lasting
        # A truce lasts a day at least: a period of no length is no period to draw.
        end = max(end or until, start + datetime.timedelta(days=1))
        if end >= since and start <= until:
            truces.append(Truce(proposal, start, end))
    return sorted(truces, key=lambda t: t.start)


@dataclasses.dataclass
class StanceLane:
    party: Party
    history: list[Position]  # oldest first


def proposal_stance_history(*, proposal: Proposal) -> list[StanceLane]:
    """Each party's positions on a proposal over time, oldest first, for the chart."""
    positions = (
        visible_positions()
        .filter(proposal=proposal)
        .select_related("party")
        .order_by("party__name", "as_of", "id")
    )
    lanes: dict[int, StanceLane] = {}
    for position in positions:
        lanes.setdefault(position.party_id, StanceLane(position.party, [])).history.append(position)
    return list(lanes.values())


def proposal_conditions(*, proposal: Proposal) -> list[Condition]:
    """The visible conditions attached to a proposal; show `first_stated_in` only when
    published."""
    return list(
        visible_conditions()
        .filter(proposal=proposal)
        .select_related("set_by", "demanded_of", "first_stated_in")
        .defer("first_stated_in__search_vector", "first_stated_in__extraction")
        .order_by("status", "set_by__name", "category")
    )


def party_current_positions(*, party: Party) -> list[Position]:
    """The party's latest visible stance on each proposal, grouped by conflict."""
    latest = list(
        visible_positions()
        .filter(party=party)
        .select_related("proposal__conflict")
        .order_by("proposal_id", "-as_of", "-id")
        .distinct("proposal_id")
    )
    return sorted(latest, key=lambda p: (p.proposal.conflict.name, p.proposal.name))


# -- sync ----------------------------------------------------------------------------------


@dataclasses.dataclass
class Deletion:
    model: str
    object_id: str
    deleted_at: datetime.datetime


def deletions_since(*, since: datetime.datetime | None) -> list[Deletion]:
    """Tombstones, plus statements withdrawn from publication since `since`.

    A statement that is rejected after being published is gone for an API client even
    though its row remains, so it is reported as a deletion too. A candidate that was
    never published was never seen by a client, and is not reported.
    """
    tombstones = Tombstone.objects.order_by("deleted_at", "id")
    withdrawn = (
        Statement.objects.exclude(status=Statement.Status.PUBLISHED)
        .filter(first_published_at__isnull=False)
        .order_by("updated_at", "id")
    )
    if since is not None:
        tombstones = tombstones.filter(deleted_at__gt=since)
        withdrawn = withdrawn.filter(updated_at__gt=since)
    found = [Deletion(t.model, t.object_id, t.deleted_at) for t in tombstones]
    found += [
        Deletion("negotiations.statement", str(pk), at)
        for pk, at in withdrawn.values_list("pk", "updated_at")
    ]
    return sorted(found, key=lambda d: d.deleted_at)


@dataclasses.dataclass
class StatementBatch:
    statements: list[Statement]
    next_cursor: str | None


def statements_updated(
    *, since: datetime.datetime | None, cursor: str | None, limit: int
) -> StatementBatch:
    """Published statements in the order they were last changed, oldest change first.

    Keyset on (updated_at, id), so a client that syncs with `updated_since` and follows the
    cursor sees every change once, including those made while it pages.
    """
    statements = published_statements()
    if since is not None:
        statements = statements.filter(updated_at__gt=since)
    if cursor:
        at, pk = token_decode(cursor, length=2)
        at, pk = _moment(at), _row_id(pk)
        statements = statements.filter(
            Q(updated_at__gte=at) & (Q(updated_at__gt=at) | Q(id__gt=pk))
        )
    found = list(_with_display_columns(statements.order_by("updated_at", "id"))[: limit + 1])
    page = found[:limit]
    timeline_prefetch([TimelineItem(STATEMENT, s) for s in page])
    last = page[-1] if page else None
    more = len(found) > limit
    return StatementBatch(
        page, token_encode([last.updated_at.isoformat(), last.pk]) if more else None
    )
