"""Who speaks a quote that its own sentence does not attribute: a quote that runs on over
paragraphs, one introduced by the sentence before, one a document "reads", and speakers
behind an honorific or a list of nationalities."""

from negotiations.ingest.extract import extract_candidates

from .helpers import stances

CONTEXT = "Russia and Ukraine traded strikes as talks on a 30-day ceasefire went on.\n"


def read(gazetteer, body: str):
    text = CONTEXT + body + "\n"
    found = [c for c in extract_candidates(text, gazetteer) if c.span[0] >= len(CONTEXT)]
    for c in found:
        assert text[c.span[0] : c.span[1]] == c.text  # the article's own words
    return found


def test_an_honorific_before_the_speakers_name(seed_gazetteer):
    [c] = read(seed_gazetteer, "“We have accepted the 30-day ceasefire,” Mr Zelensky said.")
    assert (c.speaker, c.is_verbatim) == ("zelensky", True)
    assert stances(c) == {("30-day-full-ceasefire", "accepts")}


def test_a_quote_running_on_into_the_next_paragraph_keeps_its_speaker(seed_gazetteer):
    # News style: the first paragraph of a long quote has no closing mark.
    found = read(
        seed_gazetteer,
        "“Ukraine has accepted the 30-day ceasefire and is ready to sign it tomorrow.\n"
        "“Russia must now show that it wants peace as well,” Zelensky said.",
    )
    assert [(c.speaker, c.is_verbatim) for c in found] == [("zelensky", True), ("zelensky", True)]
    assert found[0].text == (
        "Ukraine has accepted the 30-day ceasefire and is ready to sign it tomorrow."
    )
    assert stances(found[0]) == {("30-day-full-ceasefire", "accepts")}


def test_a_quote_after_an_attribution_goes_on_in_the_same_voice(seed_gazetteer):
    found = read(
        seed_gazetteer,
        "“We are ready to talk,” Zelensky said on Tuesday.\n"
        "“Ukraine has accepted the 30-day ceasefire, and we expect Moscow to answer.”",
    )
    [c] = [c for c in found if c.text.startswith("Ukraine has accepted")]
    assert (c.speaker, c.is_verbatim) == ("zelensky", True)
    assert stances(c) == {("30-day-full-ceasefire", "accepts")}


def test_a_quote_after_someone_else_spoke_is_no_ones(seed_gazetteer):
    found = read(
        seed_gazetteer,
        "“We are ready to talk,” Zelensky said on Tuesday.\n"
        "Peskov answered on Wednesday that Moscow would study the 30-day ceasefire.\n"
        "“Ukraine has accepted the 30-day ceasefire, and we expect Moscow to answer.”",
    )
    assert not [c for c in found if c.text.startswith("Ukraine has accepted")]


def test_a_sentence_saying_only_who_answered_introduces_the_next_quote(seed_gazetteer):
    [c] = read(
        seed_gazetteer,
        "Zelensky responded on social media within the hour.\n"
        "“Ukraine has accepted the 30-day ceasefire.”",
    )
    assert (c.speaker, c.is_verbatim) == ("zelensky", True)


def test_a_sentence_with_news_of_its_own_introduces_nothing(seed_gazetteer):
    found = read(
        seed_gazetteer,
        "Zelensky said the front line had held overnight near Pokrovsk.\n"
        "“Ukraine has accepted the 30-day ceasefire.”",
    )
    assert all(not c.is_verbatim for c in found)


def test_what_the_post_reads_is_the_words_of_who_posted_it(seed_gazetteer):
    [c] = read(
        seed_gazetteer,
        "Zelensky confirmed the news on X shortly afterwards.\n"
        "“Ukraine has accepted the 30-day ceasefire,” the post reads.",
    )
    assert (c.speaker, c.is_verbatim) == ("zelensky", True)
    assert stances(c) == {("30-day-full-ceasefire", "accepts")}


def test_a_post_that_is_the_subject_of_something_else_is_no_one_speaking(seed_gazetteer):
    found = read(
        seed_gazetteer,
        "Zelensky announced the energy truce on X. The post was later shared by Peskov, "
        "who called the 30-day ceasefire premature.",
    )
    # Zelensky's announcement and Peskov's words; "the post" itself says nothing.
    assert {c.speaker for c in found} <= {"zelensky", "peskov"}
    assert not any(c.text.startswith("The post") for c in found)


def test_nationalities_before_a_role_name_each_party(seed_gazetteer):
    [c, *more] = read(
        seed_gazetteer,
        "American and Ukrainian negotiators said the energy truce would start on Friday.",
    )
    # "Ukrainian negotiators" is the seed scenario's name for Ukraine's government.
    assert {c.speaker, *(m.speaker for m in more)} == {"united-states", "ukrainian-government"}
    assert c.text == more[0].text
    assert c.text.endswith("said the energy truce would start on Friday")


def test_a_second_quote_after_the_speakers_own_attribution_goes_on(seed_gazetteer):
    found = read(
        seed_gazetteer,
        "“We will see how it all turns out,” Zelensky said in a video message. “We have to "
        "get the final word on the energy truce down in concrete.”",
    )
    assert [(c.speaker, c.text[:14]) for c in found] == [
        ("zelensky", "We will see ho"),
        ("zelensky", "We have to get"),
    ]


def test_a_quote_closing_on_a_quote_within_it(seed_gazetteer):
    [c] = read(
        seed_gazetteer,
        "\"I congratulate both countries on ending what should be called 'THE LONG WAR,'\" "
        "Zelensky wrote.",
    )
    assert c.speaker == "zelensky" and c.text.endswith("'THE LONG WAR,'")


def test_who_wrote_makes_the_next_he(seed_gazetteer):
    found = read(
        seed_gazetteer,
        "The news was confirmed by Zelensky, who wrote on X that Ukraine backed the energy "
        "truce.\n“Ukraine has always sought peace without conceding its territory!” – he added.",
    )
    assert [c.speaker for c in found if c.is_verbatim] == ["zelensky"]
    assert "zelensky" in {c.speaker for c in found if not c.is_verbatim}


def test_three_words_in_quotation_marks_are_no_quote(seed_gazetteer):
    found = read(seed_gazetteer, "Zelensky said the exchange would be “1000 for 1000” soon.")
    assert [c.is_verbatim for c in found] == [False]
