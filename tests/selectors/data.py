"""Small worlds for the timeline tests, built with the project's factories."""

import dataclasses
import datetime

from negotiations.models import Statement, StatementSource
from tests.factories import (
    BASE_TIME,
    ArticleFactory,
    EventFactory,
    PartyFactory,
    PositionFactory,
    ProposalFactory,
    StatementFactory,
)


@dataclasses.dataclass
class World:
    russia: object
    kremlin: object
    putin: object
    ukraine: object
    zelensky: object
    full: object
    energy: object


def world() -> World:
    """Two states with members, two proposals; no statements yet."""
    russia = PartyFactory(slug="russia", name="Russia", aliases=["Moscow"])
    kremlin = PartyFactory(slug="kremlin", name="The Kremlin", parent=russia, kind="government")
    putin = PartyFactory(slug="putin", name="Vladimir Putin", parent=kremlin, kind="person")
    ukraine = PartyFactory(slug="ukraine", name="Ukraine", aliases=["Kyiv"])
    zelensky = PartyFactory(
        slug="zelensky", name="Volodymyr Zelensky", parent=ukraine, kind="person"
    )
    full = ProposalFactory(slug="full-ceasefire", name="Full ceasefire")
    energy = ProposalFactory(
        slug="energy-truce", name="Energy truce", kind="partial_ceasefire", parent=full
    )
    return World(russia, kremlin, putin, ukraine, zelensky, full, energy)


def at(minutes: int) -> datetime.datetime:
    return BASE_TIME + datetime.timedelta(minutes=minutes)


def statement(speaker, minutes: int, text: str = "", **kwargs) -> Statement:
    return StatementFactory(
        speaker=speaker,
        occurred_at=at(minutes),
        **({"text": text} if text else {}),
        **kwargs,
    )


def stance(statement_obj, proposal, stance_value: str):
    return PositionFactory(
        statement=statement_obj,
        proposal=proposal,
        party=statement_obj.stance_party,
        stance=stance_value,
        as_of=statement_obj.occurred_at,
    )


def reported(statement_obj, outlet: str, url: str) -> StatementSource:
    """Another outlet's report of a statement: a corroborating source, with its article."""
    article = ArticleFactory(outlet=outlet, url=url, canonical_url=url)
    return StatementSource.objects.create(statement=statement_obj, article=article)


def event(minutes: int, *, parties=(), proposals=(), **kwargs):
    made = EventFactory(occurred_at=at(minutes), **kwargs)
    made.parties.set(parties)
    made.proposals.set(proposals)
    return made


def many_items(count: int, *, speaker=None) -> None:
    """`count` timeline items, every fourth an event, each with a stance and a condition."""
    speaker = speaker or PartyFactory()
    proposal = ProposalFactory()
    for n in range(count):
        if n % 4 == 3:
            event(n, parties=[speaker], proposals=[proposal])
        else:
            made = statement(speaker, n)
            stance(made, proposal, "supports")
