"""Forms met in the reports added to the development set after rules-5: an exchange said
with a verb, talks and exchanges as negotiation terms, "was quoted as saying"."""

import pytest

from negotiations.ingest.extract import extract_candidates

from .helpers import only, stances

ENERGY_TALKS = "Russia and Ukraine met in Riyadh for talks on the energy truce.\n"
ISTANBUL = "Russia and Ukraine met in Istanbul for talks on the 1,000-for-1,000 exchange.\n\n"


def test_agreeing_to_swap_prisoners_is_a_stance_on_the_exchange(seed_gazetteer):
    text = ISTANBUL + "Ukraine and Russia have agreed to swap 1,000 prisoners-of-war each.\n"
    found = extract_candidates(text, seed_gazetteer)
    assert {c.speaker for c in found} == {"russia", "ukraine"}
    for c in found:
        # The exchange, not the talks Istanbul is the place of.
        assert stances(c) == {("prisoner-exchange-1000-for-1000", "accepts")}


def test_a_swap_is_no_truce(seed_gazetteer):
    text = "Putin declared an Easter truce.\n\nRussia agreed to swap 1,000 prisoners.\n"
    found = [c for c in extract_candidates(text, seed_gazetteer) if c.speaker == "russia"]
    assert all(("easter-truce-2025", "accepts") not in stances(c) for c in found)


def test_quoted_as_saying(seed_gazetteer):
    text = (
        ISTANBUL + "Speaking after the meeting, Vladimir Medinsky, who headed the Russian"
        " delegation, was quoted as saying by RT.com: “We are satisfied with the outcome and"
        " are ready to continue contacts.”\n"
    )
    [c] = extract_candidates(text, seed_gazetteer)
    assert c.speaker == "medinsky"
    assert c.text == "We are satisfied with the outcome and are ready to continue contacts."


def test_talks_alone_make_a_passage_about_the_negotiations(seed_gazetteer):
    text = (
        "Russian and Ukrainian delegations held talks in Jeddah on Friday.\n\n"
        "“We are ready to continue contacts,” Medinsky said.\n"
    )
    [c] = extract_candidates(text, seed_gazetteer)
    assert c.speaker == "medinsky"
    # Without the talks, the same words are about nothing tracked.
    text = text.replace("held talks", "had lunch")
    assert extract_candidates(text, seed_gazetteer) == []


def test_it_is_the_body_that_spoke_just_before(seed_gazetteer):
    text = (
        "Russia and Ukraine agreed to the energy truce on Tuesday.\n\n"
        "The Kremlin said Russian forces had stopped strikes on energy sites. It blamed"
        " Ukraine for stalling the talks.\n"
    )
    found = [c for c in extract_candidates(text, seed_gazetteer) if "blamed" in c.text]
    assert [c.speaker for c in found] == ["kremlin"]
    # After a person spoke, "it" is not them.
    text = text.replace("The Kremlin said", "Putin said")
    found = [c for c in extract_candidates(text, seed_gazetteer) if "blamed" in c.text]
    assert found == []


def test_he_after_capitalised_words_in_a_quote_or_a_platforms_name(gazetteers):
    text = (
        "India and Pakistan agreed to a full and immediate ceasefire on Saturday.\n\n"
        "The agreement had been announced by U.S. President Donald Trump on his Truth Social"
        " platform. “Congratulations to both Countries on using Common Sense and Great"
        " Intelligence,” he wrote.\n"
    )
    found = extract_candidates(text, gazetteers.by_conflict["india-pakistan"])
    assert [c.speaker for c in found if "Congratulations" in c.text] == ["trump"]


def test_confirming_a_ceasefire_and_denying_an_agreement_in_one_sentence(gazetteers):
    text = (
        "Trump announced that Israel and Iran agreed to a ceasefire.\n\n"
        "While Israeli Prime Minister Benjamin Netanyahu later confirmed the ceasefire, Iran’s"
        " Foreign Minister Abbas Araqchi swiftly denied having reached an agreement.\n"
    )
    found = {
        c.speaker: stances(c)
        for c in extract_candidates(text, gazetteers.by_conflict["israel-iran"])
    }
    # The comma closes the opening clause: the second speaker is not inside the first's words.
    assert found["netanyahu"] == {("israel-iran-ceasefire-2025-06", "accepts")}
    assert found["araghchi"] == {("israel-iran-ceasefire-2025-06", "noncommittal")}


def test_confirming_what_was_said_is_no_acceptance(seed_gazetteer):
    text = (
        "Russia and Ukraine agreed to the energy truce.\n\n"
        "Zelensky confirmed that he spoke to Trump.\n"
    )
    assert all(
        ("energy-infrastructure-truce", "accepts") not in stances(c)
        for c in extract_candidates(text, seed_gazetteer)
        if c.speaker == "zelensky"
    )


def test_cease_fire_is_ceasefire_in_a_proposals_name(gazetteers):
    gazetteer = gazetteers.by_conflict["israel-hamas"]
    for spelling in ("60-day cease-fire", "60-day cease fire", "60-day ceasefire"):
        [m] = [m for m in gazetteer.mentions(f"Hamas weighed the {spelling}.") if m.kind != "party"]
        assert m.slugs == ("witkoff-60-day-ceasefire-proposal",), spelling


def test_submitting_a_proposal_proposes_it(gazetteers):
    text = (
        "Hamas said it was studying the 60-day cease-fire.\n\n"
        "“Special Envoy Witkoff and the president submitted a cease-fire proposal to Hamas,”"
        " Leavitt told reporters.\n"
    )
    c = only(gazetteers.by_conflict["israel-hamas"], text, "leavitt")
    assert stances(c) == {("witkoff-60-day-ceasefire-proposal", "proposed")}


def test_a_title_then_the_name_between_commas(gazetteers):
    text = (
        "A peace agreement between Rwanda and the DRC was signed in Washington.\n\n"
        "Rwanda’s foreign minister, Olivier Nduhungirehe, described the deal as “a turning"
        " point” for the area.\n"
    )
    found = extract_candidates(text, gazetteers.by_conflict["drc-rwanda"])
    assert [c.speaker for c in found if "turning point" in c.text] == ["nduhungirehe"]


def test_said_one_thing_but_warned_another_is_two_statements(seed_gazetteer):
    text = (
        "Zelensky said Ukraine would support a US proposal to stop attacks on energy"
        " infrastructure, but warned that Russia was trying to delay the negotiations.\n"
    )
    found = [c for c in extract_candidates(text, seed_gazetteer) if c.speaker == "zelensky"]
    assert [c.text for c in found] == [
        "Zelensky said Ukraine would support a US proposal to stop attacks on energy"
        " infrastructure",
        "but warned that Russia was trying to delay the negotiations",
    ]
    assert stances(found[0]) == {("energy-infrastructure-truce", "supports")}


def test_pushing_for_a_ceasefire_supports_it(seed_gazetteer):
    text = "Putin declared a truce.\n\nUkraine has repeatedly pushed for a 30-day ceasefire.\n"
    c = only(seed_gazetteer, text, "ukraine")
    assert stances(c) == {("30-day-full-ceasefire", "supports")}


def test_recently_between_a_subject_and_its_verb(seed_gazetteer):
    text = (
        "Russia and Ukraine agreed to the energy truce.\n\n"
        "Trump recently criticised Putin and warned that Russia might stall peace efforts.\n"
    )
    assert "trump" in {c.speaker for c in extract_candidates(text, seed_gazetteer)}


def test_an_agreement_between_the_sides_was_signed(gazetteers):
    text = (
        "A peace agreement between Rwanda and the Democratic Republic of the Congo (DRC) was"
        " signed in Washington on 27 June.\n"
    )
    found = extract_candidates(text, gazetteers.by_conflict["drc-rwanda"])
    assert {c.speaker: stances(c) for c in found} == {
        "rwanda": {("drc-rwanda-peace-agreement-2025-06-27", "accepts")},
        "drc": {("drc-rwanda-peace-agreement-2025-06-27", "accepts")},
    }
    # Welcomed, it is not the sides' own act; between a side and a mediator, not theirs.
    drc = gazetteers.by_conflict["drc-rwanda"]
    assert extract_candidates(text.replace("signed", "welcomed"), drc) == []
    mediator = text.replace("the Democratic Republic of the Congo (DRC)", "the United States")
    assert "passive-between" not in {r for c in extract_candidates(mediator, drc) for r in c.rules}


def test_the_new_forms_explain_themselves(gazetteers, seed_gazetteer):
    text = "A peace agreement between Rwanda and the DRC was signed in Washington.\n"
    [c, _] = extract_candidates(text, gazetteers.by_conflict["drc-rwanda"])
    assert any("between the two sides, made by them" in r for r in c.reasons)
    text = "The White House said Russia and Ukraine agreed to technical talks.\n"
    [c] = extract_candidates(text, seed_gazetteer)
    assert any("talks its own side called for" in r for r in c.reasons)


@pytest.mark.parametrize(
    "words",
    ["Today we had a very good meeting and very good results", "The truce is a result of our work"],
)
def test_more_judgements_that_welcome_the_outcome(seed_gazetteer, words):
    text = f"{ENERGY_TALKS}“{words},” Zelensky said."
    [c] = extract_candidates(text, seed_gazetteer)
    assert stances(c) == {("energy-infrastructure-truce", "accepts")}


def test_the_rest_of_a_plan_partly_accepted_is_its_condition(gazetteers):
    text = (
        "Israel and Hamas weighed Trump’s 20-point plan on Friday.\n"
        "Hamas has said it would agree to some aspects of US President Donald Trump’s plan.\n"
    )
    c = only(gazetteers.by_conflict["israel-hamas"], text, "hamas")
    assert [(k["proposal"], k["category"]) for k in c.conditions] == [
        ("trump-20-point-gaza-plan", "other")
    ]
    assert "only parts of it accepted" in " ".join(c.reasons)


def test_a_sides_conditions_also_include(seed_gazetteer):
    text = (
        "Russia and Ukraine agreed to a Black Sea ceasefire.\n\n"
        "Moscow's conditions also include access to the SWIFT international banking system.\n"
    )
    [c] = [c for c in extract_candidates(text, seed_gazetteer) if "SWIFT" in c.text]
    assert [(k["proposal"], k["category"]) for k in c.conditions] == [
        ("black-sea-maritime-ceasefire", "sanctions")
    ]


def test_a_surname_introduced_with_a_party_speaks_for_it_later(gazetteers):
    text = (
        "Israel and Hamas weighed the 60-day cease-fire.\n\n"
        "Hamas official Basem Naim said the group had received the proposal.\n\n"
        "Naim said that Hamas leadership was “undertaking a thorough and responsible review of"
        " the new proposal.”\n"
    )
    found = extract_candidates(text, gazetteers.by_conflict["israel-hamas"])
    [later] = [c for c in found if "review" in c.text]
    assert later.speaker == "hamas"
    assert stances(later) == {("witkoff-60-day-ceasefire-proposal", "noncommittal")}
    assert "speaker: “Naim” → Hamas" in later.reasons
    # A surname never introduced is no one's.
    text = text.replace("Hamas official Basem Naim", "Hamas")
    assert not any(
        "review" in c.text for c in extract_candidates(text, gazetteers.by_conflict["israel-hamas"])
    )


def test_reported_that_and_issued_its_response(gazetteers, seed_gazetteer):
    text = (
        "Russia and Ukraine agreed to the energy truce.\n\n"
        "The Kremlin reported that the presidents “exchanged views on the situation in detail”.\n"
    )
    assert "kremlin" in {c.speaker for c in extract_candidates(text, seed_gazetteer)}
    text = (
        "Israel and Hamas weighed Trump’s 20-point plan.\n\n"
        "In a statement, Hamas on Friday issued its response to Trump’s 20-point plan.\n"
    )
    found = extract_candidates(text, gazetteers.by_conflict["israel-hamas"])
    assert [c.speaker for c in found if "issued its response" in c.text] == ["hamas"]
    # Reporting an attack is still no statement about the negotiations.
    text = "Russia and Ukraine agreed to the energy truce.\n\nZelensky reported fresh attacks.\n"
    assert "zelensky" not in {c.speaker for c in extract_candidates(text, seed_gazetteer)}


def test_a_meeting_at_the_place_a_proposal_is_named_for_makes_a_passage(seed_gazetteer):
    text = (
        "Russian and Ukrainian delegations met in Istanbul on Friday.\n\n"
        "‘Satisfied with outcome’\n\n"
        "“We are satisfied with the outcome and are ready to continue contacts,” Medinsky said.\n"
    )
    assert [c.speaker for c in extract_candidates(text, seed_gazetteer)] == ["medinsky"]
    # A city no proposal is named for does not.
    assert extract_candidates(text.replace("Istanbul", "Kharkiv"), seed_gazetteer) == []


def test_according_to_a_title_and_a_name(gazetteers):
    text = (
        "A peace agreement between Rwanda and the DRC was signed in Washington.\n\n"
        "The United States will have access to mineral rights in the DRC, according to"
        " President Donald Trump.\n"
    )
    c = only(gazetteers.by_conflict["drc-rwanda"], text, "trump")
    assert c.text == "The United States will have access to mineral rights in the DRC"


def test_he_after_a_long_name_the_gazetteer_knows(gazetteers):
    text = (
        "Israel and Hamas agreed to a ceasefire and hostage deal on Wednesday.\n\n"
        "Qatari Prime Minister Mohammed bin Abdulrahman Al Thani gave a press conference in"
        " which he announced that the deal will take effect on Sunday.\n"
    )
    c = only(gazetteers.by_conflict["israel-hamas"], text, "al-thani")
    assert stances(c) == {("gaza-ceasefire-hostage-deal-2025-01", "supports")}


def test_mediators_announcing_a_deal_between_the_sides_support_it(gazetteers):
    text = (
        "Israel and Hamas agreed to a ceasefire and hostage deal on Wednesday.\n\n"
        "The U.S. and Qatar announced the completion of a hostage and cease-fire deal between"
        " Hamas and Israel on Wednesday.\n"
    )
    found = extract_candidates(text, gazetteers.by_conflict["israel-hamas"])
    assert {c.speaker: stances(c) for c in found if "completion" in c.text} == {
        "united-states": {("gaza-ceasefire-hostage-deal-2025-01", "supports")},
        "qatar": {("gaza-ceasefire-hostage-deal-2025-01", "supports")},
    }


def test_follow_our_example_offers_a_truce_on_the_condition_of_reciprocity(seed_gazetteer):
    text = (
        "Zelensky again called for a 30-day ceasefire on Sunday.\n\n"
        "Putin declared an Easter truce on Saturday. Russia will observe it from 6pm.\n\n"
        "“The Ukrainian side should follow this example,” the Kremlin wrote.\n"
    )
    [c] = [c for c in extract_candidates(text, seed_gazetteer) if "example" in c.text]
    assert c.speaker == "kremlin"
    # Its own truce, named before, not the ceasefire another side called for.
    assert stances(c) == {("easter-truce-2025", "proposed")}
    assert [(k["proposal"], k["category"]) for k in c.conditions] == [
        ("easter-truce-2025", "other")
    ]


def test_reciprocating_a_truce_accepts_it_on_that_condition(seed_gazetteer):
    text = (
        "Putin declared an Easter truce on Saturday.\n\n"
        "“We are reciprocating both the fire where it arises and the silence,” Sybiha said.\n"
    )
    c = only(seed_gazetteer, text, "sybiha")
    assert stances(c) == {("easter-truce-2025", "accepts_with_conditions")}
    assert [k["category"] for k in c.conditions] == ["other"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Kyiv has already agreed to the Black Sea ceasefire and the energy truce.",
        "Kyiv has already agreed to halt hostilities in the Black Sea and not attack Russian"
        " energy facilities.",
    ],
)
def test_two_objects_of_one_stance(seed_gazetteer, sentence):
    text = f"Putin declared an Easter truce.\n\n{sentence}\n"
    [c] = [c for c in extract_candidates(text, seed_gazetteer) if c.speaker != "putin"]
    assert stances(c) == {
        ("black-sea-maritime-ceasefire", "accepts"),
        ("energy-infrastructure-truce", "accepts"),
    }


def test_a_second_object_after_a_new_verb_is_not_coordinated(seed_gazetteer):
    text = (
        "Putin declared an Easter truce.\n\n"
        "Kyiv agreed to the Black Sea ceasefire and rejected the energy truce.\n"
    )
    [c] = [c for c in extract_candidates(text, seed_gazetteer) if c.speaker != "putin"]
    assert stances(c) == {
        ("black-sea-maritime-ceasefire", "accepts"),
        ("energy-infrastructure-truce", "rejects"),
    }


def test_with_a_party_calling_for_is_its_statement(seed_gazetteer):
    text = (
        "Russian and Ukrainian delegations met in Istanbul.\n\n"
        "The talks ended quickly, with Ukraine calling for an immediate 30-day ceasefire.\n"
    )
    [c] = extract_candidates(text, seed_gazetteer)
    assert c.speaker == "ukraine"
    assert stances(c) == {("30-day-full-ceasefire", "supports")}
    # "talks with Ukraine" is no statement of Ukraine's.
    text = text.replace("with Ukraine calling for", "with Ukraine about")
    assert extract_candidates(text, seed_gazetteer) == []


def test_an_agreement_achieved(gazetteers):
    text = (
        "Thailand and Cambodia agreed to a ceasefire.\n\n"
        "Phumtham confirmed that the agreement was achieved with the support of ASEAN.\n"
    )
    c = only(gazetteers.by_conflict["thailand-cambodia"], text, "phumtham")
    assert stances(c) == {("thailand-cambodia-ceasefire-2025-07-28", "accepts")}


def test_a_diplomatic_source_and_the_source(seed_gazetteer):
    text = (
        "Russian and Ukrainian officials met in Istanbul.\n\n"
        "A Ukrainian diplomatic source tells Reuters that the Russian side's demands were"
        " “detached from reality”. The source says the demands included a withdrawal.\n"
    )
    found = extract_candidates(text, seed_gazetteer)
    # Both sentences are the source's; the Russian demands inside its words are not Russia's.
    assert [c.speaker for c in found] == ["ukrainian-government", "ukrainian-government"]


def test_the_countrys_prime_minister_is_not_its_deputy(gazetteers):
    text = (
        "India and Pakistan agreed to a ceasefire.\n\n"
        "The Pakistan prime minister, in his address, thanked the military leadership.\n\n"
        "He said Pakistan has given a positive response to a ceasefire in the interest of"
        " regional peace.\n"
    )
    found = extract_candidates(text, gazetteers.by_conflict["india-pakistan"])
    [c] = [c for c in found if "positive response" in c.text]
    assert c.speaker == "shehbaz-sharif"  # not Ishaq Dar, the deputy prime minister
    assert stances(c) == {("india-pakistan-ceasefire-2025-05", "accepts")}


@pytest.mark.parametrize(
    "words",
    [
        "We talked about an exchange of 1,000 for 1,000",
        "In the coming days Kyiv and Moscow will exchange prisoners in a 1000 for 1000 format",
    ],
)
def test_talking_about_or_announcing_an_exchange_accepts_it(seed_gazetteer, words):
    text = f"{ISTANBUL}“{words},” Umerov said.\n"
    c = only(seed_gazetteer, text, "umerov")
    assert stances(c) == {("prisoner-exchange-1000-for-1000", "accepts")}


def test_a_plan_that_must_be_accepted_is_backed(gazetteers):
    text = (
        "Hamas answered the Witkoff proposal on Saturday.\n\n"
        "Israeli officials maintain that the plan must be accepted as proposed.\n"
    )
    c = only(gazetteers.by_conflict["israel-hamas"], text, "israeli-government")
    assert stances(c) == {("witkoff-60-day-ceasefire-proposal", "supports")}


def test_both_sides_said_is_each_sides_statement(seed_gazetteer):
    text = (
        f"{ISTANBUL}The parties stated that they had reached a number of agreements, including"
        " an exchange of prisoners in the format of 1000 for 1000.\n"
    )
    found = [c for c in extract_candidates(text, seed_gazetteer) if "parties stated" in c.text]
    assert {c.speaker: stances(c) for c in found} == {
        "russia": {("prisoner-exchange-1000-for-1000", "accepts")},
        "ukraine": {("prisoner-exchange-1000-for-1000", "accepts")},
    }
    # Narration about both sides is not their statement.
    text = f"{ISTANBUL}Both sides accused each other of violating the truce.\n"
    assert not any("accused" in c.text for c in extract_candidates(text, seed_gazetteer))


def test_with_the_kremlin_indicating(seed_gazetteer):
    text = (
        "Russia and Ukraine agreed to the energy truce.\n\n"
        "The initiative was viewed favorably by Putin, with the Kremlin indicating negotiations"
        " on details would begin soon.\n"
    )
    assert "kremlin" in {c.speaker for c in extract_candidates(text, seed_gazetteer)}


def test_it_opening_the_line_after_the_body_spoke(seed_gazetteer):
    text = (
        "Russia and Ukraine agreed to a Black Sea ceasefire on Tuesday.\n"
        "The Kremlin said the truce would enter into force only after sanctions were lifted.\n"
        "It also said those institutions must be re-connected to the SWIFT network.\n"
    )
    [c] = [c for c in extract_candidates(text, seed_gazetteer) if "SWIFT" in c.text]
    assert c.speaker == "kremlin"


def test_according_to_readouts_from_a_party(seed_gazetteer):
    text = (
        "Russia and Ukraine have agreed to “eliminate the use of force” in the Black Sea,"
        " according to readouts from the White House.\n"
    )
    [c] = extract_candidates(text, seed_gazetteer)
    assert c.speaker == "white-house"
    assert stances(c) == {("black-sea-maritime-ceasefire", "supports")}


def test_a_dateline_is_no_headline_speaker(gazetteers):
    text = (
        "Doha: Qatari Prime Minister Mohammed bin Abdulrahman Al Thani announced on Wednesday"
        " night that a ceasefire agreement between Israel and Hamas has been reached for the"
        " Gaza Strip, following joint mediation efforts by Qatar, Egypt and the United States.\n"
    )
    found = extract_candidates(text, gazetteers.by_conflict["israel-hamas"])
    assert [c.speaker for c in found] == ["al-thani"]


def test_a_ceasefire_for_a_place_several_proposals_name(gazetteers):
    gazetteer = gazetteers.by_conflict["israel-hamas"]
    text = (
        "Qatari Prime Minister Mohammed bin Abdulrahman Al Thani announced that a ceasefire"
        " agreement between Israel and Hamas has been reached for the Gaza Strip.\n"
    )
    # Gaza is in several proposals' names; "Gaza ceasefire" in one.
    assert gazetteer.proposal_at("the Gaza Strip") is None
    assert gazetteer.proposal_at("the Gaza Strip", head="ceasefire") == (
        "gaza-ceasefire-hostage-deal-2025-01"
    )
    c = only(gazetteer, text, "al-thani")
    assert stances(c) == {("gaza-ceasefire-hostage-deal-2025-01", "supports")}
    # What it resolved to is then what "the ceasefire" means further on.
    text += "\nAl Thani said that the ceasefire will take effect on Sunday.\n"
    later = [c for c in extract_candidates(text, gazetteer) if "Sunday" in c.text]
    assert [stances(c) for c in later] == [{("gaza-ceasefire-hostage-deal-2025-01", "supports")}]


@pytest.mark.parametrize("words", ["The ceasefire is a hoax", "We see no reason to end the war"])
def test_judgements_that_reject(gazetteers, words):
    text = (
        "Trump announced that Israel and Iran agreed to a ceasefire.\n\n"
        f"“{words},” an Iranian official told CNN.\n"
    )
    c = only(gazetteers.by_conflict["israel-iran"], text, "iranian-government")
    assert stances(c) == {("israel-iran-ceasefire-2025-06", "rejects")}


@pytest.mark.parametrize("verb", ["says", "confirms", "warns"])
def test_any_verb_of_speech_before_a_trailing_speaker(gazetteers, verb):
    text = f"India, Pakistan agree to ceasefire after long night of talks, {verb} Trump\n"
    [c] = extract_candidates(text, gazetteers.by_conflict["india-pakistan"])
    assert c.speaker == "trump"
    assert "attribution:trailing" in c.rules


def test_a_states_formal_name_in_a_pair_of_subjects(gazetteers):
    text = (
        "The Democratic Republic of the Congo and the Republic of Rwanda have signed what"
        " officials described as a landmark peace agreement in Washington.\n"
    )
    found = extract_candidates(text, gazetteers.by_conflict["drc-rwanda"])
    assert {c.speaker: stances(c) for c in found} == {
        "drc": {("drc-rwanda-peace-agreement-2025-06-27", "accepts")},
        "rwanda": {("drc-rwanda-peace-agreement-2025-06-27", "accepts")},
    }


@pytest.mark.parametrize(
    "sentence, speaker",
    [
        ("Hamas leader Khalil al-Hayya credited Palestinian “resilience” for the deal.", "hamas"),
        (
            "President-elect Donald Trump in a social media post claimed his election victory is"
            " what brought about the deal.",
            "trump",
        ),
    ],
)
def test_credited_and_a_post_between_subject_and_verb(gazetteers, sentence, speaker):
    text = f"Israel and Hamas agreed to a ceasefire and hostage deal.\n\n{sentence}\n"
    found = extract_candidates(text, gazetteers.by_conflict["israel-hamas"])
    assert speaker in {c.speaker for c in found if c.text.endswith("deal")}


def test_he_carries_on_past_a_paragraph_that_names_only_a_state(gazetteers):
    text = (
        "Israel and Hamas agreed to a ceasefire and hostage deal.\n\n"
        "Al Thani said that the ceasefire will take effect on Sunday.\n\n"
        "He reaffirmed Qatar’s ongoing support for the Palestinian cause.\n\n"
        "He noted that the past four days had seen intensive discussions among all parties.\n"
    )
    found = extract_candidates(text, gazetteers.by_conflict["israel-hamas"])
    assert [c.speaker for c in found if "four days" in c.text] == ["al-thani"]
