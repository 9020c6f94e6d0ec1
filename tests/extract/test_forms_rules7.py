"""Forms met in the development reports after rules-6: a title opening a paragraph ("The
prime minister expressed hope …") stands for the person the passage is about."""

import pytest

from negotiations.ingest.extract import extract_candidates

from .helpers import stances

GAZA = "Israel and Hamas agreed to a ceasefire deal in Gaza on Wednesday.\n\n"


def the_prime_minister(gazetteers, before: str) -> list[str]:
    """Who "The prime minister expressed hope …" opening a paragraph after `before` is."""
    text = (
        GAZA
        + before
        + (
            "\n\nThe prime minister expressed hope that the truce would be the beginning of a"
            " lasting solution.\n"
        )
    )
    found = extract_candidates(text, gazetteers.by_conflict["israel-hamas"])
    return [c.speaker for c in found if c.text.startswith("The prime minister")]


def test_the_title_opening_a_paragraph_is_the_person_named_before(gazetteers):
    before = "Israeli Prime Minister Benjamin Netanyahu said Israel backs the ceasefire deal."
    assert the_prime_minister(gazetteers, before) == ["netanyahu"]


MADBOULY = "Egypt's Prime Minister Mostafa Madbouly said Egypt is ready to send aid to Gaza."


def test_a_title_holder_the_gazetteer_does_not_name_speaks_for_their_state(gazetteers):
    assert the_prime_minister(gazetteers, MADBOULY) == ["egypt"]


def test_not_when_someone_else_with_the_title_was_named_since(gazetteers):
    before = MADBOULY + " British Prime Minister Keir Starmer welcomed the news."
    assert the_prime_minister(gazetteers, before) == []


@pytest.mark.parametrize(
    "who",
    [
        "Mr Netanyahu",
        "Prime Minister Benjamin Netanyahu",
        "Binyamin Netanyahu’s office",
        "Israeli Prime Minister Benjamin Netanyahu's office",
    ],
)
def test_an_honorific_title_or_other_spelling_before_a_trailing_speaker(gazetteers, who):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = GAZA + f"The cabinet will meet on Friday to vote on the ceasefire deal, {who} said.\n"
    found = [c for c in extract_candidates(text, gaz) if c.speaker == "netanyahu"]
    assert [c.text for c in found] == [
        "The cabinet will meet on Friday to vote on the ceasefire deal"
    ]


def test_the_phases_of_a_deal_are_words_about_it(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = (
        GAZA + "Qatar's Prime Minister Sheikh Mohammed bin Abdulrahman Al Thani outlined the"
        " first six-week phase, during which 33 hostages will be exchanged for prisoners.\n"
    )
    [c] = [c for c in extract_candidates(text, gaz) if c.speaker == "al-thani"]
    # A mediator's words about the deal's stages back the deal.
    assert stances(c) == {("gaza-ceasefire-hostage-deal-2025-01", "supports")}
    assert "negotiation-term" in c.rules
    # Without a stage of the deal, the words name nothing of the negotiations.
    text = text.replace("first six-week phase", "weather")
    [c] = [c for c in extract_candidates(text, gaz) if c.speaker == "al-thani"]
    assert "negotiation-term" not in c.rules


def test_a_long_title_and_name_before_a_trailing_verb(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = (
        GAZA + "The deal will take effect on Sunday after mediation by Qatar, Egypt and the"
        " United States, Qatar’s Prime Minister Sheikh Mohammed bin Abdul Rahman Al Thani"
        " announced.\n"
    )
    [c] = [c for c in extract_candidates(text, gaz) if c.speaker == "al-thani"]
    assert c.text.startswith("The deal will take effect on Sunday")


def test_both_sides_pledging_or_agreeing_speak_for_the_two(gazetteers):
    gaz = gazetteers.by_conflict["india-pakistan"]
    text = (
        "India and Pakistan agreed to a ceasefire on Saturday after talks.\n\n"
        "Both sides pledged to halt all military action by land, air and sea.\n"
    )
    found = [c for c in extract_candidates(text, gaz) if c.text.startswith("Both sides")]
    assert sorted(c.speaker for c in found) == ["india", "pakistan"]


def test_the_parties_agreeing_is_not_the_two_speaking(gazetteers):
    # "The parties agreed" opens a mediator's readout: its items are not the sides' words.
    gaz = gazetteers.by_conflict["india-pakistan"]
    text = (
        "India and Pakistan agreed to a ceasefire on Saturday after talks.\n\n"
        "The parties agreed to hold further talks on Monday.\n"
    )
    assert [c for c in extract_candidates(text, gaz) if c.text.startswith("The parties")] == []


@pytest.mark.parametrize(
    "where", ["in another social media posting", "in his latest post", "in a televised address"]
)
def test_where_it_was_said_between_speaker_and_verb(gazetteers, where):
    gaz = gazetteers.by_conflict["israel-iran"]
    text = (
        "Iran and Israel agreed to a ceasefire on Monday.\n\n"
        f"Later, Trump {where} said that Israel and Iran wanted the ceasefire.\n"
    )
    found = [c for c in extract_candidates(text, gaz) if c.speaker == "trump"]
    assert len(found) == 1


def test_the_office_of_someone_speaks_for_them(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = (
        GAZA + "The office of Israeli Prime Minister Benjamin Netanyahu said Friday that a deal"
        " to release the hostages had been reached.\n"
    )
    [c] = [c for c in extract_candidates(text, gaz) if c.speaker == "netanyahu"]
    assert stances(c) == {("gaza-ceasefire-hostage-deal-2025-01", "accepts")}
    # Any other noun before "of" keeps the name out of the subject.
    text = text.replace("The office of", "The release of")
    assert [c for c in extract_candidates(text, gaz) if c.speaker == "netanyahu"] == []


def test_it_is_the_office_that_spoke_just_before(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = (
        GAZA + "“The government will convene to approve the deal,” Netanyahu's office said.\n"
        "It added that the families of the hostages had been told of the ceasefire deal.\n"
    )
    found = [c for c in extract_candidates(text, gaz) if c.text.startswith("It added")]
    assert [c.speaker for c in found] == ["netanyahu"]
    # After the person himself spoke, "it" is not him.
    text = text.replace("Netanyahu's office said", "Netanyahu said")
    assert [c for c in extract_candidates(text, gaz) if c.text.startswith("It added")] == []


PUTRAJAYA = "Thailand and Cambodia held ceasefire talks in Putrajaya on Monday.\n\n"


def test_a_quote_inside_a_sentence_attributed_at_its_end_gives_the_whole_sentence(gazetteers):
    gaz = gazetteers.by_conflict["thailand-cambodia"]
    text = PUTRAJAYA + (
        'Cambodia and Thailand agreed to an "immediate and unconditional ceasefire,"'
        " Malaysian Prime Minister Anwar Ibrahim said Monday.\n"
    )
    found = [c for c in extract_candidates(text, gaz) if "immediate" in c.text]
    # The mediator's announcement: the two sides named in it are reported, not speaking.
    assert [c.speaker for c in found] == ["anwar-ibrahim"]
    assert found[0].text.startswith("Cambodia and Thailand agreed")


def test_a_headline_may_end_with_its_speaker(gazetteers):
    gaz = gazetteers.by_conflict["thailand-cambodia"]
    text = (
        "Cambodia, Thailand agree to 'immediate and unconditional ceasefire': Malaysian prime"
        " minister\n\n" + PUTRAJAYA
    )
    found = [c for c in extract_candidates(text, gaz) if "immediate" in c.text]
    assert [(c.speaker, c.text) for c in found] == [
        ("malaysia", "Cambodia, Thailand agree to 'immediate and unconditional ceasefire'")
    ]


def test_a_name_before_a_headline_verb_is_no_closing_speaker(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = "Israel, Hamas Ceasefire Deal: Netanyahu Issues First Statement\n\n" + GAZA
    assert [c for c in extract_candidates(text, gaz) if c.speaker == "netanyahu"] == []


def test_unnamed_mediators_are_the_mediators_the_article_names(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = (
        "Israel and Hamas have reached a deal for a ceasefire in Gaza, mediators announced on"
        " Wednesday night.\n\nQatar and Egypt hosted the talks, with the United States.\n"
    )
    found = [c for c in extract_candidates(text, gaz) if c.text.startswith("Israel and Hamas")]
    assert sorted(c.speaker for c in found) == ["egypt", "qatar", "united-states"]
    # A mediator named before the word is the one speaking.
    text = text.replace(", mediators announced", ", Qatari mediators announced")
    found = [c for c in extract_candidates(text, gaz) if c.text.startswith("Israel and Hamas")]
    assert sorted(c.speaker for c in found) == ["qatar"]


def test_blaming_the_other_side_for_holding_a_deal_up_is_noncommittal(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = (
        GAZA + "Israel had accused Hamas of reneging on parts of the ceasefire deal and creating"
        " a last-minute crisis.\n\n"
        "Qatar said it was working through last-minute snags in the ceasefire deal.\n"
    )
    found = {c.speaker: stances(c) for c in extract_candidates(text, gaz)}
    assert found["israel"] == {("gaza-ceasefire-hostage-deal-2025-01", "noncommittal")}
    # A mediator working through the snags takes no such reserve.
    assert ("gaza-ceasefire-hostage-deal-2025-01", "noncommittal") not in found["qatar"]


@pytest.mark.parametrize("will_not", ["will not", "won't"])
def test_not_without_is_acceptance_on_a_condition(gazetteers, will_not):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = (
        GAZA + f"Hamas has said it {will_not} release the remaining captives without a lasting"
        " ceasefire and a full Israeli withdrawal.\n"
    )
    [c] = [c for c in extract_candidates(text, gaz) if c.text.startswith("Hamas has said")]
    assert stances(c) == {("gaza-ceasefire-hostage-deal-2025-01", "accepts_with_conditions")}
    assert [k["category"] for k in c.conditions] == ["other"]


@pytest.mark.parametrize(
    "sentence",
    [
        "The truce was agreed by Israeli Prime Minister Benjamin Netanyahu and Hamas.",
        "The ceasefire deal, signed on Friday by Netanyahu and Hamas, takes effect on Sunday.",
    ],
)
def test_the_agents_of_an_agreement_in_the_passive_accept_it(gazetteers, sentence):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = "Talks on a Gaza ceasefire deal ended in Doha.\n\n" + sentence + "\n"
    found = {c.speaker: stances(c) for c in extract_candidates(text, gaz)}
    accepted = {("gaza-ceasefire-hostage-deal-2025-01", "accepts")}
    assert found == {"netanyahu": accepted, "hamas": accepted}


def test_an_attribution_set_inside_what_was_said(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = GAZA + "The first phase of the ceasefire, Netanyahu said, will last 42 days.\n"
    [c] = [c for c in extract_candidates(text, gaz) if c.speaker == "netanyahu"]
    assert c.text == "The first phase of the ceasefire, Netanyahu said, will last 42 days"


@pytest.mark.parametrize("verb", ["revealed", "disclosed", "clarified", "assured", "mentioned"])
def test_more_verbs_of_speech(gazetteers, verb):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = GAZA + f"Netanyahu {verb} that the cabinet would meet on Friday on the ceasefire.\n"
    assert [c.speaker for c in extract_candidates(text, gaz) if c.speaker == "netanyahu"] == [
        "netanyahu"
    ]


def test_a_name_after_a_preposition_speaks_in_its_relative_clause(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = GAZA + (
        "The truce takes effect on the eve of the inauguration of Donald Trump, who claimed"
        " credit for the ceasefire deal.\n"
    )
    found = [c for c in extract_candidates(text, gaz) if c.speaker == "trump"]
    assert [c.text for c in found] == ["Donald Trump, who claimed credit for the ceasefire deal"]
    # Without the relative clause, a name after "of" does not speak.
    text = text.replace(", who claimed credit for the ceasefire deal", "")
    assert [c for c in extract_candidates(text, gaz) if c.speaker == "trump"] == []


@pytest.mark.parametrize(
    "attribution, speaker",
    [
        ("said President Donald Trump", "trump"),
        ("said U.S. Secretary of State Marco Rubio", "rubio"),
        ("wrote President Donald Trump on his Truth Social platform", "trump"),
    ],
)
def test_a_title_between_the_verb_and_the_speaker_after_a_quote(gazetteers, attribution, speaker):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = GAZA + f"“This is a great day for the ceasefire deal and the world,” {attribution}.\n"
    found = [c for c in extract_candidates(text, gaz) if c.is_verbatim]
    assert [(c.speaker, c.text) for c in found] == [
        (speaker, "This is a great day for the ceasefire deal and the world")
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Israel's Ministry of Foreign Affairs",
        "The Israeli Ministry of Justice",
        "Israel’s justice ministry",
    ],
)
def test_a_ministry_speaks_for_its_government(gazetteers, body):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = GAZA + f"{body} said 737 prisoners will be freed under the ceasefire deal.\n"
    found = [c for c in extract_candidates(text, gaz) if "737" in c.text]
    assert [c.speaker for c in found] == ["israeli-government"]


def test_each_side_agreeing_but_not_inside_someone_elses_report(gazetteers):
    gaz = gazetteers.by_conflict["thailand-cambodia"]
    text = PUTRAJAYA + "Each side had already agreed to a truce in principle.\n"
    found = [c for c in extract_candidates(text, gaz) if c.text.startswith("Each side")]
    assert sorted(c.speaker for c in found) == ["cambodia", "thailand"]
    text = PUTRAJAYA + "Trump said both sides had agreed to quickly work out a truce.\n"
    found = [c for c in extract_candidates(text, gaz) if "work out" in c.text]
    assert [c.speaker for c in found] == ["trump"]


def test_the_plan_is_the_whole_plan_not_the_exchange_named_last(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = (
        "Israel backed Trump's 20-point plan for Gaza.\n\n"
        "Hamas said it would release all hostages.\n\n"
        "Trump said the plan spares the lives of Hamas fighters.\n"
    )
    [c] = [c for c in extract_candidates(text, gaz) if c.text.startswith("Trump said")]
    assert {p for p, _ in stances(c)} == {"trump-20-point-gaza-plan"}


@pytest.mark.parametrize(
    "words",
    [
        "stopped short of confirming the ceasefire deal, writing in a statement that talks go on",
        "said it hoped details of the ceasefire deal will be finalized tonight",
    ],
)
def test_holding_back_is_noncommittal_even_with_hopeful_words(gazetteers, words):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = GAZA + f"Netanyahu's office {words}.\n"
    [c] = [c for c in extract_candidates(text, gaz) if c.speaker == "netanyahu"]
    assert stances(c) == {("gaza-ceasefire-hostage-deal-2025-01", "noncommittal")}


def test_a_place_named_in_between_does_not_stop_he_carrying_on(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = (
        GAZA + "Al Thani said the ceasefire deal will take effect on Sunday.\n\n"
        "He said aid will reach our brothers in the Gaza Strip.\n\n"
        "He thanked Egypt and the United States for their work on the ceasefire deal.\n"
    )
    found = [c for c in extract_candidates(text, gaz) if c.text.startswith("He thanked")]
    assert [c.speaker for c in found] == ["al-thani"]
    # Someone the gazetteer does not know, named in between, stops it.
    text = text.replace("in the Gaza Strip", "with Hassan Rashad")
    assert [c for c in extract_candidates(text, gaz) if c.text.startswith("He thanked")] == []


def test_a_place_between_a_name_and_he_does_not_hide_who_he_is(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = GAZA + (
        "Netanyahu met the cabinet on the ceasefire deal for the Gaza Strip. He said the"
        " ceasefire deal would hold.\n"
    )
    found = [c for c in extract_candidates(text, gaz) if c.text.startswith("He said")]
    assert [c.speaker for c in found] == ["netanyahu"]


def test_acceptance_with_amendments_asked_for_is_conditional(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = (
        "Israel and Hamas received the Witkoff proposal for a Gaza ceasefire.\n\n"
        "Hamas said it responded positively to the Witkoff proposal and is seeking to make"
        " certain amendments.\n"
    )
    [c] = [c for c in extract_candidates(text, gaz) if c.text.startswith("Hamas said")]
    assert stances(c) == {("witkoff-60-day-ceasefire-proposal", "accepts_with_conditions")}
    assert [k["category"] for k in c.conditions] == ["other"]


def test_referring_to_a_deal_as_something_is_speech(gazetteers):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = GAZA + "Trump later referred to the ceasefire deal as a tremendous breakthrough.\n"
    assert [c.speaker for c in extract_candidates(text, gaz) if c.speaker == "trump"] == ["trump"]


def test_shooting_down_a_proposal_rejects_it(seed_gazetteer):
    text = "Putin shot down the 30-day ceasefire the U.S. had pitched on Tuesday.\n"
    found = [c for c in extract_candidates(text, seed_gazetteer) if c.speaker == "putin"]
    assert [stances(c) for c in found] == [{("30-day-full-ceasefire", "rejects")}]


@pytest.mark.parametrize(
    "words",
    [
        "Hamas said aspects of the proposal touching on the future of Gaza should be decided"
        " by all Palestinian factions.",
        "Hamas said: “Other issues mentioned in President Trump's proposal regarding the future"
        " of Gaza are connected to a unified national position.”",
    ],
)
def test_parts_of_a_plan_left_to_be_settled_are_noncommittal(gazetteers, words):
    gaz = gazetteers.by_conflict["israel-hamas"]
    text = "Israel accepted Trump's 20-point plan for Gaza.\n\n" + words + "\n"
    [c] = [c for c in extract_candidates(text, gaz) if c.speaker == "hamas"]
    assert stances(c) == {("trump-20-point-gaza-plan", "noncommittal")}


def test_a_mediators_words_in_a_passage_about_the_negotiations_back_them(gazetteers):
    gaz = gazetteers.by_conflict["thailand-cambodia"]
    text = (
        "Thailand and Cambodia agreed to an immediate ceasefire in Putrajaya on Monday.\n\n"
        "Anwar outlined a step-by-step de-escalation process and how it will be monitored.\n"
    )
    [c] = [c for c in extract_candidates(text, gaz) if c.text.startswith("Anwar outlined")]
    assert stances(c) == {("thailand-cambodia-ceasefire-2025-07-28", "supports")}
    # The same words from one of the sides take no stance.
    text = text.replace("Anwar outlined", "Hun Manet outlined")
    [c] = [c for c in extract_candidates(text, gaz) if c.text.startswith("Hun Manet outlined")]
    assert stances(c) == set()


def test_said_then_a_title_and_name_at_the_end(gazetteers):
    gaz = gazetteers.by_conflict["thailand-cambodia"]
    text = PUTRAJAYA + (
        "Cambodia and Thailand have agreed to a ceasefire from midnight, said Prime Minister"
        " Anwar Ibrahim.\n"
    )
    found = [c for c in extract_candidates(text, gaz) if "midnight" in c.text]
    # The mediator's announcement: the two sides in it are reported, not speaking.
    assert [c.speaker for c in found] == ["anwar-ibrahim"]


def test_he_after_a_quote_attributed_with_the_verb_first(gazetteers):
    gaz = gazetteers.by_conflict["thailand-cambodia"]
    text = PUTRAJAYA + (
        "“Both sides have reached a common understanding on an immediate ceasefire,” said"
        " Anwar at a joint press conference.\n\n"
        "He said the two sides have also agreed to resume direct communications.\n"
    )
    found = [c for c in extract_candidates(text, gaz) if c.text.startswith("He said")]
    assert [c.speaker for c in found] == ["anwar-ibrahim"]


def test_a_quote_goes_on_after_a_verb_first_attribution(gazetteers):
    gaz = gazetteers.by_conflict["thailand-cambodia"]
    text = PUTRAJAYA + (
        "“Both sides have reached a common understanding on an immediate ceasefire,” said"
        " Anwar at a joint press conference.\n\n"
        "“This is a vital first step towards de-escalation and the restoration of peace.”\n"
    )
    found = [c for c in extract_candidates(text, gaz) if c.text.startswith("This is")]
    assert [(c.speaker, c.is_verbatim) for c in found] == [("anwar-ibrahim", True)]


def test_an_aside_between_commas_is_where_not_what_was_agreed(seed_gazetteer):
    text = (
        "Russia and Ukraine agreed on Tuesday, during talks in Riyadh, to halt military strikes"
        " in the Black Sea.\n"
    )
    gaz = seed_gazetteer
    found = {c.speaker: stances(c) for c in extract_candidates(text, gaz)}
    assert found["russia"] == {("black-sea-maritime-ceasefire", "accepts")}


def test_only_taking_effect_following_something_is_a_condition(seed_gazetteer):
    text = (
        "Russia and Ukraine held talks in Riyadh.\n\n"
        "The Kremlin stated that the agreement to halt strikes in the Black Sea would only take"
        " effect following the lifting of restrictions on its agricultural sector.\n"
    )
    [c] = [c for c in extract_candidates(text, seed_gazetteer) if c.speaker == "kremlin"]
    assert stances(c) == {("black-sea-maritime-ceasefire", "accepts_with_conditions")}
    assert [k["category"] for k in c.conditions] == ["sanctions"]


def test_the_us_secretary_of_state_after_a_quote(gazetteers):
    gaz = gazetteers.by_conflict["india-pakistan"]
    text = (
        "India and Pakistan agreed to a ceasefire on Saturday.\n\n"
        "“I am pleased to announce that Pakistan and India have agreed to an immediate"
        " ceasefire,” the US secretary of state stated.\n"
    )
    found = [c for c in extract_candidates(text, gaz) if c.is_verbatim]
    # Rubio, or the party the title belongs to when the scenario does not say whose it is.
    assert [c.speaker for c in found] in (["rubio"], ["united-states"])


def test_extending_gratitude_is_speech(gazetteers):
    gaz = gazetteers.by_conflict["india-pakistan"]
    text = (
        "India and Pakistan agreed to a ceasefire on Saturday.\n\n"
        "Dar extended gratitude to all countries that played a role in brokering the ceasefire.\n"
    )
    assert [c.speaker for c in extract_candidates(text, gaz) if "gratitude" in c.text] == [
        "ishaq-dar"
    ]
