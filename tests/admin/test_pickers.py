"""Every party and proposal picker lists exact and top-level matches first."""

import pytest
from django.urls import reverse

from negotiations.pickers import PartyTree, party_options, proposal_options
from tests.factories import ParticipationFactory, PartyFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def autocomplete(client, model: str, field: str, term: str) -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "negotiations", "model_name": model, "field_name": field},
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


@pytest.fixture
def ukraine():
    state = PartyFactory(slug="ukraine", name="Ukraine", aliases=["Kyiv"])
    government = PartyFactory(
        slug="ukrainian-government",
        name="Government of Ukraine",
        kind="government",
        parent=state,
        aliases=["Ukrainian government"],
    )
    president = PartyFactory(
        slug="zelensky", name="Volodymyr Zelensky", kind="person", parent=government
    )
    PartyFactory(slug="ukrainian-railways", name="Ukrainian Railways", kind="other")
    return state, government, president


def test_typing_a_state_finds_the_state_first(editor_client, ukraine):
    for field in ("speaker", "on_behalf_of"):
        found = autocomplete(editor_client, "statement", field, "Ukraine")
        assert found[0] == "Ukraine", field
        assert found.index("Ukraine") < found.index("Government of Ukraine")
    # An exact alias counts as an exact match; a prefix before a match inside the name.
    assert autocomplete(editor_client, "statement", "speaker", "kyiv")[0] == "Ukraine"
    found = autocomplete(editor_client, "position", "party", "Ukrain")
    assert found[:2] == ["Ukraine", "Ukrainian Railways"]


def test_proposals_list_the_broader_one_before_its_parts(editor_client):
    full = ProposalFactory(slug="full", name="30-day full ceasefire")
    ProposalFactory(slug="energy", name="30-day energy truce", parent=full)
    ProposalFactory(slug="sea", name="Black Sea ceasefire, 30-day", parent=full)
    found = autocomplete(editor_client, "position", "proposal", "30-day")
    assert found == ["30-day full ceasefire", "30-day energy truce", "Black Sea ceasefire, 30-day"]
    assert autocomplete(editor_client, "position", "proposal", "30-day energy truce")[0] == (
        "30-day energy truce"
    )


def test_speaks_for_and_the_workbench_options(ukraine):
    state, government, president = ukraine
    tree = PartyTree.load()
    assert tree.speaks_for(president.pk) == state
    assert tree.speaks_for(government.pk) == state
    assert tree.speaks_for(state.pk) is None
    ParticipationFactory(party=state, side="ukraine")
    groups = party_options(conflict_id=state.participations.get().conflict_id)
    assert [name for name, _ in groups] == ["Side: ukraine", "Other parties"]
    assert [p.slug for p in groups[0][1]] == ["ukraine", "ukrainian-government", "zelensky"]
    full = ProposalFactory(slug="full", name="Full")
    part = ProposalFactory(slug="a-part", name="A part", parent=full)
    other = ProposalFactory(slug="other", name="B other")
    assert proposal_options(conflict_id=full.conflict_id) == [other, full, part]
