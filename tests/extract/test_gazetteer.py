from negotiations.ingest.extract import Gazetteer, PartySpec, ProposalSpec, extract_candidates


def matched(gazetteer: Gazetteer, text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(text[m.start : m.end], m.slugs) for m in gazetteer.mentions(text)]


def test_capitalised_aliases_are_case_sensitive_and_whole_words(seed_gazetteer):
    text = "Tell us about the USA, the US-Russia talks and U.S. aid; Usman and Russians too."
    found = matched(seed_gazetteer, text)
    assert ("US", ("united-states",)) in found
    assert ("U.S.", ("united-states",)) in found
    assert ("Russia", ("russia",)) in found
    assert all(t not in ("us", "USA", "Us", "Russians") for t, _ in found)


def test_a_leading_article_may_open_a_sentence(seed_gazetteer):
    assert matched(seed_gazetteer, "The Kremlin said so.") == [("The Kremlin", ("kremlin",))]


def test_lower_case_aliases_match_in_any_case(seed_gazetteer):
    found = matched(seed_gazetteer, "an Energy Truce, a COMPLETE CEASEFIRE")
    assert found == [
        ("Energy Truce", ("energy-infrastructure-truce",)),
        ("COMPLETE CEASEFIRE", ("30-day-full-ceasefire",)),
    ]


def test_spaces_hyphens_and_apostrophes_vary(seed_gazetteer):
    found = matched(seed_gazetteer, "a 30 day ceasefire and a 30‑day  truce")
    assert [slugs for _, slugs in found] == [("30-day-full-ceasefire",)] * 2


def test_longest_alias_wins(seed_gazetteer):
    assert matched(seed_gazetteer, "Russian President Vladimir Putin") == [
        ("Russian President", ("putin",)),
        ("Vladimir Putin", ("putin",)),
    ]


def test_on_behalf_of_walks_up_to_the_nearest_state(seed_gazetteer):
    assert seed_gazetteer.on_behalf_of("putin") == "russia"
    assert seed_gazetteer.on_behalf_of("kremlin") == "russia"
    assert seed_gazetteer.on_behalf_of("scholz") == "germany"
    assert seed_gazetteer.on_behalf_of("germany") is None  # its parent is an alliance
    assert seed_gazetteer.on_behalf_of("western-allies") is None


def test_a_parent_cycle_does_not_hang():
    gazetteer = Gazetteer(
        parties=[
            PartySpec(slug="a", name="Alpha", kind="person", parent="b"),
            PartySpec(slug="b", name="Beta", kind="government", parent="a"),
        ],
        proposals=[],
    )
    assert gazetteer.on_behalf_of("a") is None
    assert gazetteer.root("a") in {"a", "b"}


def test_an_alias_shared_by_two_parties_names_no_speaker():
    gazetteer = Gazetteer(
        parties=[
            PartySpec(slug="north", name="Northland", kind="state", aliases=("the Capital",)),
            PartySpec(slug="south", name="Southland", kind="state", aliases=("the Capital",)),
        ],
        proposals=[ProposalSpec(slug="truce", name="Harvest truce", aliases=("harvest truce",))],
    )
    text = "Northland and Southland met. The Capital rejected the harvest truce on Monday.\n"
    assert [
        m.slugs for m in gazetteer.mentions(text) if text[m.start : m.end] == "The Capital"
    ] == [("north", "south")]
    assert extract_candidates(text, gazetteer) == []


def test_an_empty_gazetteer_finds_nothing():
    gazetteer = Gazetteer(parties=[], proposals=[])
    assert gazetteer.mentions("Putin said the ceasefire holds.") == []
    assert extract_candidates("Putin said the ceasefire holds.", gazetteer) == []
