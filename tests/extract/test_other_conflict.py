"""Another conflict is new data, not new code."""

import pytest

from negotiations.ingest.extract import Gazetteer, PartySpec, ProposalSpec, extract_candidates

REPORT = (
    "Mediators from Egypt and Qatar presented a new plan on Monday for a six-week truce in "
    "the north, to be followed by a prisoner swap.\n"
    "The Southern Front said on Telegram that it accepted the six-week truce, but insisted "
    "that any truce would require the release of all detainees held in the capital.\n"
    "Northern Prime Minister Daniel Brandt rejected the prisoner swap, telling reporters "
    "that the proposal rewarded the rebels. “There will be no ceasefire while our towns are "
    "shelled,” Brandt said.\n"
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer(
        parties=[
            PartySpec(slug="northland", name="Northland", kind="state", aliases=("Northern",)),
            PartySpec(
                slug="northland-government",
                name="Government of Northland",
                kind="government",
                parent="northland",
            ),
            PartySpec(
                slug="brandt",
                name="Daniel Brandt",
                kind="person",
                parent="northland-government",
                title="Prime Minister of Northland",
                aliases=("Brandt", "Northern Prime Minister"),
            ),
            PartySpec(
                slug="southern-front",
                name="Southern Front",
                kind="armed_group",
                aliases=("the Southern Front",),
            ),
            PartySpec(slug="egypt", name="Egypt", kind="state", aliases=("Egyptian", "Cairo")),
            PartySpec(slug="qatar", name="Qatar", kind="state", aliases=("Qatari", "Doha")),
        ],
        proposals=[
            ProposalSpec(slug="six-week-truce", name="Six-week truce", aliases=("six-week truce",)),
            ProposalSpec(
                slug="prisoner-swap",
                name="Prisoner swap",
                parent="six-week-truce",
                aliases=("prisoner swap", "prisoner exchange"),
            ),
        ],
    )


def test_the_same_rules_read_another_conflict(gazetteer):
    candidates = extract_candidates(REPORT, gazetteer)
    by_speaker = {}
    for c in candidates:
        by_speaker.setdefault(c.speaker, []).append(c)
        assert REPORT[c.span[0] : c.span[1]] == c.text

    [front] = by_speaker["southern-front"]
    assert front.channel == "social_media"
    assert front.on_behalf_of is None
    assert front.positions == ({"proposal": "six-week-truce", "stance": "accepts_with_conditions"},)
    [condition] = front.conditions
    assert condition["category"] == "prisoners"
    assert condition["proposal"] == "six-week-truce"

    reported, quote = sorted(by_speaker["brandt"], key=lambda c: c.is_verbatim)
    assert reported.on_behalf_of == "northland"
    assert {"proposal": "prisoner-swap", "stance": "rejects"} in reported.positions
    assert quote.is_verbatim
    assert quote.text == "There will be no ceasefire while our towns are shelled"
