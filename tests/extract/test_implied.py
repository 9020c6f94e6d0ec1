"""Stances that a judgement implies without a stance verb bound to a proposal, in a passage
about one; and the passage that reaches back over the paragraph before."""

import pytest

from negotiations.ingest.extract import extract_candidates

from .helpers import only, stances

TALKS = "Russia and Ukraine met in Riyadh for talks on the energy truce on Monday.\n"


def test_a_judgement_against_the_proposal_is_a_rejection(seed_gazetteer):
    c = only(seed_gazetteer, TALKS + "“It is totally unacceptable,” Zelensky said.\n", "zelensky")
    assert stances(c) == {("energy-infrastructure-truce", "rejects")}
    assert any("stance implied: “totally unacceptable”" in r for r in c.reasons)


def test_welcoming_words_are_acceptance_by_a_party_and_support_by_a_mediator(seed_gazetteer):
    text = TALKS + "“Today’s meeting yielded positive results,” Zelensky said.\n"
    assert stances(only(seed_gazetteer, text, "zelensky")) == {
        ("energy-infrastructure-truce", "accepts")
    }
    text = TALKS + "“This is an important step,” Rubio said.\n"
    assert stances(only(seed_gazetteer, text, "rubio")) == {
        ("energy-infrastructure-truce", "supports")
    }


def test_no_agreement_yet_is_noncommittal(seed_gazetteer):
    text = TALKS + "“As of now, there is NO agreement,” Peskov said.\n"
    [c] = [c for c in extract_candidates(text, seed_gazetteer) if "NO agreement" in c.text]
    assert stances(c) == {("energy-infrastructure-truce", "noncommittal")}


def test_a_conditional_judgement_implies_nothing(seed_gazetteer):
    text = TALKS + "“If they attack again, it is unacceptable,” Zelensky said.\n"
    assert stances(only(seed_gazetteer, text, "zelensky")) == set()


def test_a_judgement_outside_a_passage_on_the_negotiations_is_not_a_candidate(seed_gazetteer):
    weather = "Snow fell across the region and schools were closed for the day. " * 12
    text = TALKS + weather + "\n“It is totally unacceptable,” Zelensky said of the delays.\n"
    assert not any("unacceptable" in c.text for c in extract_candidates(text, seed_gazetteer))


def test_the_paragraph_before_belongs_to_the_passage_however_long(seed_gazetteer):
    lead = (
        "Russia and Ukraine met in Riyadh for talks on the energy truce on Monday, "
        + "and delegations worked late into the night on the wording of the text, " * 8
        + "officials said.\n\n"
    )
    text = lead + "Zelensky declared he was ready to send a delegation again.\n"
    c = only(seed_gazetteer, text, "zelensky")
    assert stances(c) == {("energy-infrastructure-truce", "accepts")}


def test_a_sentence_saying_only_who_spoke_and_where_is_no_statement(seed_gazetteer):
    text = TALKS + "Zelensky confirmed the news on X shortly afterwards.\n"
    assert not [c for c in extract_candidates(text, seed_gazetteer) if c.speaker == "zelensky"]


def test_acceptance_on_a_condition_without_a_stance_verb(seed_gazetteer):
    text = TALKS + (
        "“Provided that Russia stops its attacks by 4 am, we have no intention to continue our "
        "response afterwards,” Zelensky said.\n"
    )
    c = only(seed_gazetteer, text, "zelensky")
    assert stances(c) == {("energy-infrastructure-truce", "accepts_with_conditions")}
    # A mediator's conditions are no acceptance of its own.
    text = TALKS + "Rubio said the truce would hold as long as both sides stopped firing.\n"
    assert ("energy-infrastructure-truce", "accepts_with_conditions") not in stances(
        only(seed_gazetteer, text, "rubio")
    )


def test_suspending_attacks_on_a_target_accepts_its_truce(seed_gazetteer):
    text = "The Kremlin confirmed that Putin had ordered Russian forces to suspend attacks on "
    text += "Ukrainian energy infrastructure.\n"
    [c] = extract_candidates(text, seed_gazetteer)
    assert (c.speaker, stances(c)) == ("kremlin", {("energy-infrastructure-truce", "accepts")})


def test_a_reciprocal_condition_is_kept_as_the_condition(seed_gazetteer):
    text = TALKS + (
        "Moscow and Kyiv had earlier hinted at a willingness to end the fighting if the other "
        "side did the same.\n"
    )
    found = [c for c in extract_candidates(text, seed_gazetteer) if "willingness" in c.text]
    assert {c.speaker for c in found} == {"russia", "ukrainian-government"}
    for c in found:
        assert stances(c) == {("energy-infrastructure-truce", "accepts_with_conditions")}
        assert [k["category"] for k in c.conditions] == ["other"]


def test_any_resolution_is_the_full_ceasefire_not_the_partial_truce(seed_gazetteer):
    text = (
        "Putin agreed to the 30-day full ceasefire talks and to halt strikes on energy "
        "infrastructure.\nHe reiterated his demand that any resolution must involve an end to "
        "Western military and intelligence support for Kyiv.\n"
    )
    [c] = [c for c in extract_candidates(text, seed_gazetteer) if "resolution" in c.text]
    assert {(k["proposal"], k["category"]) for k in c.conditions} == {
        ("30-day-full-ceasefire", "halt_military_aid"),
        ("30-day-full-ceasefire", "halt_intelligence_sharing"),
    }


@pytest.mark.parametrize(
    ("sentence", "speaker", "stance"),
    [
        (
            "Russia has long rejected a full ceasefire.",
            "russia",
            ("30-day-full-ceasefire", "rejects"),
        ),
        (
            "Ukraine's foreign ministry responded, confirming that the energy truce began at 5 pm.",
            "ukrainian-government",
            ("energy-infrastructure-truce", "accepts"),
        ),
        (
            "Russia and Ukraine have agreed to stop strikes on energy facilities, Rubio said "
            "following a special meeting here.",
            "rubio",
            ("energy-infrastructure-truce", "supports"),
        ),
    ],
)
def test_more_everyday_forms(seed_gazetteer, sentence, speaker, stance):
    found = [
        c
        for c in extract_candidates(TALKS + sentence + "\n", seed_gazetteer)
        if c.speaker == speaker and c.span[0] >= len(TALKS)
    ]
    assert [stances(c) for c in found] == [{stance}]


def test_a_mediator_backing_talks_its_own_side_called_for_proposes_them(seed_gazetteer):
    def white_house(text):
        [c] = [c for c in extract_candidates(text, seed_gazetteer) if c.speaker == "white-house"]
        return c

    talks = white_house("The White House said Russia and Ukraine agreed to technical talks.\n")
    assert stances(talks) == {("riyadh-technical-talks-2025-03", "proposed")}
    assert any("own-talks" in r for r in talks.rules)
    # A truce between the sides, though the United States proposed it too, it backs.
    truce = white_house("The White House said Russia and Ukraine agreed to the energy truce.\n")
    assert stances(truce) == {("energy-infrastructure-truce", "supports")}
