"""The shapes the API and the JSON exports give, written once.

Each class both serialises a response and describes it in the OpenAPI document that
django-ninja generates (OpenAPI 3.1, whose schemas are JSON Schema 2020-12). Every class
forbids extra properties, so the document says exactly what a client gets.
"""

import datetime
from typing import Annotated, Any, Literal

from django.urls import reverse
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, RootModel, WithJsonSchema

from ..citation import Citation, cite, outlet_count, sources_of
from ..models import Channel, Stance
from ..models.conflicts import ParticipationRole
from ..models.proposals import ConditionCategory, ConditionStatus, ProposalKind
from ..models.statements import EventKind
from ..selectors import TimelineItem

# Moments keep their full precision and offset (isoformat), so that a client syncing with
# `updated_since` can hand back exactly what it was given.
Moment = Annotated[
    datetime.datetime,
    PlainSerializer(lambda moment: moment.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
Day = Annotated[
    datetime.date,
    PlainSerializer(lambda day: day.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date"}),
]


class Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PartyRef(Shape):
    slug: str
    name: str

    @classmethod
    def of(cls, party) -> "PartyRef | None":
        return None if party is None else cls(slug=party.slug, name=party.name)


class ProposalRef(Shape):
    slug: str
    name: str


class ConflictRef(Shape):
    slug: str
    name: str

    @classmethod
    def of(cls, conflict) -> "ConflictRef":
        return cls(slug=conflict.slug, name=conflict.name)


class Source(Shape):
    outlet: str
    title: str
    url: str

    @classmethod
    def of(cls, citation: Citation) -> "Source":
        return cls(outlet=citation.outlet, title=citation.title, url=citation.url)


class StatementSource(Source):
    primary: bool = Field(description="The source the statement was taken from.")


class Position(Shape):
    proposal: str
    proposal_name: str
    stance: Stance
    as_of: Moment


class Condition(Shape):
    proposal: str
    category: ConditionCategory
    summary: str
    status: ConditionStatus


class ItemCommon(Shape):
    id: int
    conflict: ConflictRef
    occurred_at: Moment
    updated_at: Moment
    source: Source
    permalink: str


class Statement(ItemCommon):
    kind: Literal["statement"] = "statement"
    speaker: PartyRef
    on_behalf_of: PartyRef | None
    channel: Channel
    text: str
    verbatim: bool
    sources: list[StatementSource] = Field(
        min_length=1, description="Every outlet's report of it, the primary source first."
    )
    outlets: int = Field(
        ge=1, description="How many outlets reported it: two stories of one outlet count once."
    )
    positions: list[Position]
    conditions: list[Condition]


class Event(ItemCommon):
    kind: Literal["event"] = "event"
    event_kind: EventKind
    title: str
    description: str
    parties: list[PartyRef]
    proposals: list[ProposalRef]
    positions: list[Position] = Field(default_factory=list, max_length=0)
    conditions: list[Condition] = Field(default_factory=list, max_length=0)


TimelineEntry = Annotated[Statement | Event, Field(discriminator="kind")]


def item_shape(item: TimelineItem, *, request) -> Statement | Event:
    """A statement or an event as the API and the exports give it."""
    obj = item.obj
    common = {
        "id": obj.pk,
        "conflict": ConflictRef.of(obj.conflict),
        "occurred_at": obj.occurred_at,
        "updated_at": obj.updated_at,
        "source": Source.of(cite(obj)),
        "permalink": request.build_absolute_uri(
            reverse(f"negotiations:{item.kind}_detail", kwargs={"pk": obj.pk})
        ),
    }
    if item.is_statement:
        sources = sources_of(obj)
        return Statement(
            **common,
            speaker=PartyRef.of(obj.speaker),
            on_behalf_of=PartyRef.of(obj.on_behalf_of),
            channel=obj.channel,
            text=obj.text,
            verbatim=obj.is_verbatim,
            sources=[
                StatementSource(**Source.of(c).model_dump(), primary=not index)
                for index, c in enumerate(sources)
            ],
            outlets=outlet_count(sources),
            positions=[
                Position(
                    proposal=p.proposal.slug,
                    proposal_name=p.proposal.name,
                    stance=p.stance,
                    as_of=p.as_of,
                )
                for p in obj.positions.all()
            ],
            conditions=[
                Condition(
                    proposal=c.proposal.slug,
                    category=c.category,
                    summary=c.summary,
                    status=c.status,
                )
                for c in obj.conditions.all()
            ],
        )
    return Event(
        **common,
        event_kind=obj.kind,
        title=obj.title,
        description=obj.description,
        parties=[PartyRef(slug=p.slug, name=p.name) for p in obj.parties.all()],
        proposals=[ProposalRef(slug=p.slug, name=p.name) for p in obj.proposals.all()],
    )


def item_record(item: TimelineItem, *, request) -> dict:
    """The same shape as plain data, for the JSON, CSV and TimelineJS exports."""
    return item_shape(item, request=request).model_dump()


class TimelinePage(Shape):
    items: list[TimelineEntry]
    next_cursor: str | None
    next: str | None


class StatementPage(Shape):
    items: list[Statement]
    next_cursor: str | None
    next: str | None


class Participant(Shape):
    slug: str
    name: str
    role: ParticipationRole


class Side(Shape):
    side: str
    parties: list[Participant]


class Conflict(Shape):
    slug: str
    name: str
    summary: str
    started_on: Day | None
    ended_on: Day | None
    places: list[str]
    sides: list[Side]
    updated_at: Moment


class ConflictList(Shape):
    items: list[Conflict]


class Party(Shape):
    slug: str
    name: str
    kind: str
    title: str
    parent: str | None
    aliases: list[str]
    description: str
    updated_at: Moment


class PartyList(Shape):
    items: list[Party]


class StanceRecord(Shape):
    stance: Stance
    as_of: Moment
    statement: int | None
    party: str = Field(description="Who took it: the column's party or one of its members.")


class MatrixCell(Shape):
    party: PartyRef = Field(
        description="The column: a government's or a person's stance rolls up into its "
        "state or bloc."
    )
    member: PartyRef | None = Field(
        description="Who took the current stance, when a member of the column's party did "
        "(null: the party itself)."
    )
    stance: Stance
    as_of: Moment
    statement: int | None
    history: list[StanceRecord] = Field(min_length=1)


class Proposal(Shape):
    conflict: ConflictRef
    slug: str
    name: str
    kind: ProposalKind
    scope: str
    duration_days: int | None
    proposed_by: PartyRef | None
    proposed_on: Day | None
    parent: str | None
    description: str
    updated_at: Moment
    positions: list[MatrixCell]


class ProposalList(Shape):
    items: list[Proposal]


class Deletion(Shape):
    model: str
    id: str
    deleted_at: Moment


class DeletionList(Shape):
    items: list[Deletion]


class Error(Shape):
    detail: str
    errors: dict[str, list[str]] | None = Field(
        default=None, description="Per parameter, what is wrong with it."
    )


class Index(RootModel[dict[str, str]]):
    """Links to the endpoints, by name."""


class Token(Shape):
    token: str
    header: str
    revoked_by: str
    expires_at: Moment


class OpenAPIDocument(RootModel[dict[str, Any]]):
    """This document."""
