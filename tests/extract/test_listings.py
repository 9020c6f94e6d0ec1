"""A paragraph ending in a colon introduces what follows: a statement "in full", a readout's
list of what the sides agreed, a spokesman's list of results. Each item is the introducer's
statement until a heading or a paragraph that attributes words of its own."""

from negotiations.ingest.extract import extract_candidates

TALKS = "Russia and Ukraine met in Riyadh for talks on the energy truce on Monday.\n\n"


def test_a_spokesmans_list_of_results(seed_gazetteer):
    text = TALKS + (
        "The head of the Russian delegation, Vladimir Medinsky, named two results of the "
        "meeting:\n\n"
        "→ in the coming days the sides will exchange prisoners;\n\n"
        "→ Ukraine and Russia will present their vision of a possible ceasefire.\n\n"
        "What does Ukraine say?\n\n"
        "The weather in Istanbul was fine and warm for the time of year, with clear skies.\n"
    )
    listed = [c for c in extract_candidates(text, seed_gazetteer) if "listed" in c.rules]
    assert [(c.speaker, c.text) for c in listed] == [
        ("medinsky", "in the coming days the sides will exchange prisoners"),
        ("medinsky", "Ukraine and Russia will present their vision of a possible ceasefire"),
    ]
    assert all(text[c.span[0] : c.span[1]] == c.text for c in listed)


def test_a_readouts_list_is_said_by_whoever_issued_it(seed_gazetteer):
    text = TALKS + (
        "The White House said the talks had ended on Tuesday with an agreement on the "
        "energy truce.\n\n"
        "As a result of the meetings, Ukraine and the United States:\n\n"
        "Agreed to develop measures for implementing the agreement to ban strikes against "
        "energy facilities;\n\n"
        "Continue working toward achieving a durable and lasting peace.\n"
    )
    listed = [c for c in extract_candidates(text, seed_gazetteer) if "listed" in c.rules]
    assert [c.speaker for c in listed] == ["white-house", "white-house"]
    assert listed[1].text == "Continue working toward achieving a durable and lasting peace"


def test_a_statement_in_full_and_what_ends_it(seed_gazetteer):
    text = TALKS.rstrip() + (
        "\nThe White House statement on Russia in full:\n“\n"
        "The United States and Russia have agreed to ensure safe navigation in the Black Sea.\n"
        "The United States will help restore Russia's access to the world market.\n"
        "Zelensky said the statement had surprised Kyiv.\n"
        "The energy truce was discussed again on Wednesday.\n"
    )
    found = extract_candidates(text, seed_gazetteer)
    listed = [c for c in found if "listed" in c.rules]
    assert [c.speaker for c in listed] == ["white-house", "white-house"]
    # The document's sentences are its author's: not Russia's for "Russia … agreed".
    assert not [c for c in found if c.speaker == "russia"]
    # "Zelensky said …" attributes words of its own: the statement is over.
    assert [c.speaker for c in found if "surprised" in c.text] == ["zelensky"]


def test_a_colon_with_no_speaker_introduces_nothing(seed_gazetteer):
    text = TALKS + "Key points:\n\nAgreed to develop measures for the energy truce.\n"
    assert not [c for c in extract_candidates(text, seed_gazetteer) if "listed" in c.rules]
