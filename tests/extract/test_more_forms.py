"""Forms met in the development reports: a truce qualified by a word of its own name, a
compound agent ("a U.S.-brokered agreement"), a proposal that "would only take effect
after" something, and an adverb between an auxiliary and its verb."""

import pytest

from negotiations.ingest.extract import extract_candidates, read_all

from .helpers import stances


def test_a_word_of_a_tracked_proposals_name_is_no_other_place(seed_gazetteer):
    text = "Putin on Saturday declared a truce for Easter in the war in Ukraine.\n"
    [c] = extract_candidates(text, seed_gazetteer)
    assert c.speaker == "putin"
    assert stances(c) == {("easter-truce-2025", "proposed")}
    # A place that is not the conflict's still makes the truce someone else's.
    assert extract_candidates("Putin declared a truce for Gaza.\n", seed_gazetteer) == []


def test_a_compound_agent_is_not_the_speakers_stance(seed_gazetteer):
    text = (
        "Russia said Tuesday that a U.S.-brokered agreement to halt military activity in the "
        "Black Sea would only take effect after a number of sanctions were lifted.\n"
    )
    [c] = extract_candidates(text, seed_gazetteer)
    assert c.speaker == "russia"
    assert stances(c) == {("black-sea-maritime-ceasefire", "accepts_with_conditions")}
    assert [k["category"] for k in c.conditions] == ["sanctions"]


def test_an_adverb_after_the_auxiliary(seed_gazetteer):
    text = "Moscow and Kyiv had earlier signalled support for the energy truce.\n"
    found = extract_candidates(text, seed_gazetteer)
    assert {c.speaker for c in found} == {"russia", "ukrainian-government"}


def test_a_proposal_name_with_a_word_more(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = (
        "Israel and Hamas agreed on Wednesday to a ceasefire and hostage release deal after "
        "months of talks.\nA senior Hamas official told AFP that the group had accepted the "
        "deal.\n"
    )
    found = extract_candidates(text, gaz)
    assert {
        (p["proposal"], p["stance"]) for c in found if c.speaker == "hamas" for p in c.positions
    } == {("gaza-ceasefire-hostage-deal-2025-01", "accepts")}
    # A name with a number stays exact: "30-day energy ceasefire" is not the full ceasefire.
    assert gazetteers.by_conflict["russia-ukraine"]._loose is not None
    ru = gazetteers.by_conflict["russia-ukraine"]
    assert not [
        m
        for m in ru.mentions("a 30-day energy ceasefire")
        if m.kind == "proposal" and m.slugs == ("30-day-full-ceasefire",)
    ]


def test_an_office_an_official_and_no_comment(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    lead = "Israel and Hamas agreed to a ceasefire and hostage deal on Wednesday.\n"

    def after_lead(sentence):
        return [c for c in extract_candidates(lead + sentence, gaz) if c.span[0] >= len(lead)]

    [c] = after_lead("Netanyahu's office said the deal was not final.\n")
    assert c.speaker == "netanyahu"
    [c] = after_lead("An Israeli official said the deal was close.\n")
    assert c.speaker == "israeli-government"
    [c] = after_lead("Netanyahu has not yet commented on the deal.\n")
    assert stances(c) == {("gaza-ceasefire-hostage-deal-2025-01", "noncommittal")}


def test_someone_unnamed_speaking_for_a_party(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    lead = "Israel and Hamas agreed to a ceasefire and hostage deal on Wednesday.\n"

    def speakers(sentence):
        found = extract_candidates(lead + sentence + "\n", gaz)
        return [c.speaker for c in found if c.span[0] >= len(lead)]

    assert speakers("Khalil al-Hayya, Hamas's chief in Gaza, said the deal was a victory.") == [
        "hamas"
    ]
    assert speakers("The Palestinian militant group said the deal was a victory.") == ["hamas"]
    assert speakers(
        "The Qatari foreign ministry spokesman Majed al-Ansari said the deal would take "
        "effect on Sunday."
    ) == ["qatar"]
    # A list is no apposition: "…, Israel and several other countries, added" is the group's.
    assert speakers(
        "Hamas welcomed the deal. The group, designated as a terrorist organization by Germany, "
        "the United States, Israel and several other countries, added that the deal paved the "
        "way to liberation."
    ) == ["hamas", "hamas"]


def test_a_participle_speaks_for_the_sentences_subject(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = (
        "Israel and Hamas agreed to a ceasefire and hostage deal on Wednesday.\n"
        "Trump had set Hamas a deadline to accept the deal, warning that all hell would break "
        "out if it refused.\n"
    )
    found = [c for c in extract_candidates(text, gaz) if "warning" in c.text]
    assert [c.speaker for c in found] == ["trump"]


def test_one_side_and_a_mediator_with_a_bare_ceasefire_is_not_that_conflict(gazetteers):
    text = (
        "Netanyahu said a last-minute dispute with Hamas was holding up the ceasefire, shortly "
        "after U.S. President Joe Biden and key mediator Qatar announced it was complete.\n"
    )
    # Israel and the US mediator are in the Israel–Iran gazetteer too, and "ceasefire" is one
    # of its proposal's names; with Iran nowhere, the report is Gaza's alone.
    assert read_all(text, gazetteers, discover=False).conflicts == ["israel-hamas"]
    text = "Israel and Iran agreed to the ceasefire, Trump said.\n"
    assert "israel-iran" in read_all(text, gazetteers, discover=False).conflicts


def said_by(gazetteers, conflict: str, text: str, speaker: str):
    """The one candidate of `speaker` in `text`, read with `conflict`'s gazetteer."""
    [c] = [
        c
        for c in extract_candidates(text, gazetteers.by_conflict[conflict])
        if c.speaker == speaker
    ]
    return c


def test_one_side_reporting_the_others_acceptance_takes_no_stance(gazetteers):
    text = (
        "Israel and Hamas agreed to a ceasefire and hostage deal on Wednesday.\n"
        "“The cabinet will not convene until the mediators notify Israel that Hamas has "
        "accepted all elements of the deal,” Netanyahu's office said.\n"
    )
    assert said_by(gazetteers, "israel-hamas", text, "netanyahu").positions == ()


def test_a_passive_stance_belongs_to_who_comes_after_by(seed_gazetteer):
    text = (
        "Trump’s initiative regarding shipping security in the Black Sea was also viewed "
        "favorably by Putin.\n"
    )
    found = {c.speaker: stances(c) for c in extract_candidates(text, seed_gazetteer)}
    assert found["putin"] == {("black-sea-maritime-ceasefire", "supports")}


def test_the_office_holders_of_two_parties(gazetteers):
    drc = gazetteers.by_conflict["drc-rwanda"]
    text = (
        "The foreign ministers of Rwanda and DR Congo, on Friday, June 27, signed the "
        "US-brokered peace agreement in Washington.\n"
    )
    assert {c.speaker for c in extract_candidates(text, drc)} == {
        "nduhungirehe",
        "kayikwamba-wagner",
    }
    tk = gazetteers.by_conflict["thailand-cambodia"]
    text = "The leaders of Cambodia and Thailand agreed to a ceasefire on Monday.\n"
    assert {c.speaker for c in extract_candidates(text, tk)} == {"hun-manet", "phumtham"}


@pytest.mark.parametrize(
    ("conflict", "text", "speaker"),
    [
        # Parties inside what someone said are not speakers.
        (
            "india-pakistan",
            "Rubio also said that the governments of India and Pakistan have agreed to “begin "
            "talks on a wide range of issues at a neutral venue”.",
            "rubio",
        ),
        # An attribution with a manner after it.
        (
            "thailand-cambodia",
            "Hun Manet and Phumtham agreed to start the ceasefire at midnight, Anwar said, "
            "reading a joint statement.",
            "anwar-ibrahim",
        ),
    ],
)
def test_the_one_speaker_of_a_sentence(gazetteers, conflict, text, speaker):
    found = extract_candidates(text + "\n", gazetteers.by_conflict[conflict])
    assert [c.speaker for c in found] == [speaker]


def test_a_title_between_a_quote_and_its_speaker(seed_gazetteer):
    lead = "Russia and Ukraine agreed to the energy truce.\n"
    text = lead + (
        "“It is one of the worst wars that anyone has ever seen, and the energy truce will "
        "hold,” President Trump said on Friday.\n"
    )
    [c] = [c for c in extract_candidates(text, seed_gazetteer) if c.span[0] >= len(lead)]
    assert (c.speaker, c.is_verbatim) == ("trump", True)


def test_signing_is_a_signatorys_acceptance_and_a_witness_support(gazetteers):
    drc = gazetteers.by_conflict["drc-rwanda"]
    lead = "Rwanda and DR Congo held talks on a peace agreement in Washington on Friday.\n"
    text = lead + (
        "Foreign Minister Olivier Nduhungirehe signed on behalf of the Government of Rwanda.\n"
        "US Secretary of State Marco Rubio signed as a witness.\n"
    )
    found = {c.speaker: stances(c) for c in extract_candidates(text, drc) if c.span[0] >= len(lead)}
    assert found == {
        "nduhungirehe": {("drc-rwanda-peace-agreement-2025-06-27", "accepts")},
        "rubio": {("drc-rwanda-peace-agreement-2025-06-27", "supports")},
    }


def test_agreeing_to_parts_of_a_plan_accepts_the_whole_with_conditions(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = (
        "Israel and Hamas weighed Trump’s 20-point plan on Friday.\n"
        "Hamas has said it would agree to some aspects of US President Donald Trump’s plan "
        "to end the Gaza war.\n"
        "The group also said it was ready “to hand over the administration of the Gaza Strip”.\n"
    )
    found = [stances(c) for c in extract_candidates(text, gaz) if c.speaker == "hamas"]
    assert found == [
        {("trump-20-point-gaza-plan", "accepts_with_conditions")},
        {("trump-20-point-gaza-plan", "accepts")},
    ]


def test_the_object_of_one_verb_is_not_the_agent_of_the_next(seed_gazetteer):
    text = (
        "Putin agreed on Tuesday to stop attacking Ukrainian energy facilities temporarily but "
        "declined to endorse a full 30-day ceasefire.\n"
    )
    [c] = extract_candidates(text, seed_gazetteer)
    assert stances(c) == {
        ("energy-infrastructure-truce", "accepts"),
        ("30-day-full-ceasefire", "rejects"),
    }


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        (
            "Netanyahu spoke to Biden on Wednesday. “We thank the president,” his office said.",
            "netanyahu",
        ),
        (
            "“No deal is done until it is done,” a senior Israeli official told AFP.",
            "israeli-government",
        ),
    ],
)
def test_a_quotes_speaker_after_a_determiner_or_a_possessive(gazetteers, sentence, speaker):
    gaz = gazetteers.by_conflict["israel-hamas"]
    lead = "Israel and Hamas agreed to a ceasefire and hostage deal on Wednesday.\n"
    found = extract_candidates(lead + sentence + "\n", gaz)
    assert [(c.speaker, c.is_verbatim) for c in found if c.span[0] >= len(lead)] == [
        (speaker, True)
    ]


def test_a_headline_attributed_before_its_colon(gazetteers):
    gaz = gazetteers.by_conflict["israel-iran"]
    text = "Trump: Israel, Iran agree to ‘complete and total ceasefire’\n\nMore to come.\n"
    [c] = extract_candidates(text, gaz)
    assert (c.speaker, c.text) == ("trump", "Israel, Iran agree to ‘complete and total ceasefire’")
    assert stances(c) == {("israel-iran-ceasefire-2025-06", "supports")}
    assert "a headline's claim, attributed before its colon (“X: …”)" in c.reasons


def test_the_only_way_to_a_deal_is_its_condition(gazetteers):
    text = (
        "Israel and Hamas weighed the Witkoff proposal on Saturday.\n"
        "“That is the only way we can close a 60-day ceasefire deal in which half of the "
        "living hostages will be released,” Witkoff wrote.\n"
    )
    c = said_by(gazetteers, "israel-hamas", text, "witkoff")
    assert {(k["proposal"], k["category"]) for k in c.conditions} == {
        ("witkoff-60-day-ceasefire-proposal", "prisoners")
    }


@pytest.mark.parametrize(
    "frame",
    [
        "did not say whether or not Ukraine would agree to",
        "refused to say whether Kyiv would accept",
    ],
)
def test_not_saying_whether_one_agrees_is_noncommittal(seed_gazetteer, frame):
    text = f"Putin declared an Easter truce. Zelensky {frame} the truce.\n"
    [c] = [c for c in extract_candidates(text, seed_gazetteer) if c.speaker == "zelensky"]
    assert stances(c) == {("easter-truce-2025", "noncommittal")}


@pytest.mark.parametrize("when", ["Tuesday", "on Tuesday", "yesterday", "late on Friday"])
def test_an_attribution_at_the_end_with_the_day_it_was_said(seed_gazetteer, when):
    text = f"Russia and Ukraine have agreed to the energy truce, the White House said {when}.\n"
    [c] = extract_candidates(text, seed_gazetteer)
    assert c.speaker == "white-house"
    assert "attribution:trailing" in c.rules
    assert stances(c) == {("energy-infrastructure-truce", "supports")}


def test_an_agreement_at_the_place_a_proposal_is_named_for(seed_gazetteer):
    text = (
        "The White House said earlier that Russia and Ukraine had both agreed to “eliminate the"
        " use of force” in the Black Sea, following talks in Saudi Arabia.\n"
    )
    [c] = extract_candidates(text, seed_gazetteer)
    assert c.speaker == "white-house"
    assert stances(c) == {("black-sea-maritime-ceasefire", "supports")}
    # A place no proposal is named for stands for none.
    text = text.replace("the Black Sea", "Kharkiv")
    assert all(not c.positions for c in extract_candidates(text, seed_gazetteer))
