"""Common ways the press reports a statement, each read into speaker, stance and channel."""

import pytest

from negotiations.ingest.extract import extract_candidates

CONTEXT = "Russia and Ukraine traded strikes as talks on a 30-day ceasefire went on.\n"


def read(seed_gazetteer, paragraph: str):
    text = CONTEXT + paragraph + "\n"
    found = [c for c in extract_candidates(text, seed_gazetteer) if c.span[0] >= len(CONTEXT)]
    for c in found:
        assert text[c.span[0] : c.span[1]] == c.text
    return found


@pytest.mark.parametrize(
    ("paragraph", "speaker", "verbatim", "channel", "position"),
    [
        (
            "Kremlin spokesman Dmitry Peskov told reporters that Moscow would not accept a "
            "30-day truce while Ukraine continues mobilisation.",
            "peskov",
            False,
            "press_conference",
            ("30-day-full-ceasefire", "rejects"),
        ),
        (
            "Zelensky said in a statement: “Ukraine supports the energy ceasefire and expects "
            "Russia to respect it.”",
            "zelensky",
            True,
            "official_statement",
            ("energy-infrastructure-truce", "supports"),
        ),
        (
            "Macron, speaking in an interview with a French broadcaster, said France welcomed "
            "the energy truce.",
            "macron",
            False,
            "interview",
            ("energy-infrastructure-truce", "supports"),
        ),
        (
            "The White House said Washington proposed a 30-day ceasefire on Tuesday.",
            "white-house",
            False,
            "reported",
            ("30-day-full-ceasefire", "proposed"),
        ),
        (
            "Putin, who met Trump in Alaska, rejected the full ceasefire.",
            "putin",
            False,
            "reported",
            ("30-day-full-ceasefire", "rejects"),
        ),
        (
            "Russia's foreign ministry said it would consider the energy truce.",
            "russia",
            False,
            "reported",
            ("energy-infrastructure-truce", "noncommittal"),
        ),
        (
            "“We have accepted the 30-day ceasefire,” the Ukrainian President said.",
            "zelensky",
            True,
            "reported",
            ("30-day-full-ceasefire", "accepts"),
        ),
        (
            "“Russia is ready for an energy ceasefire and has agreed to the energy truce,” "
            "Russian President Vladimir Putin told reporters at a press conference.",
            "putin",
            True,
            "press_conference",
            ("energy-infrastructure-truce", "accepts"),
        ),
        (
            # Expecting the other side to do the same is a condition: reciprocity.
            "The Kremlin said on Telegram: “Russia has agreed to the energy truce and expects "
            "Kyiv to do the same.”",
            "kremlin",
            True,
            "social_media",
            ("energy-infrastructure-truce", "accepts_with_conditions"),
        ),
        (
            "Zelensky wrote on X that Ukraine supported the energy truce.",
            "zelensky",
            False,
            "social_media",
            ("energy-infrastructure-truce", "supports"),
        ),
        (
            "Trump posted on Truth Social that the US had proposed an energy truce.",
            "trump",
            False,
            "social_media",
            ("energy-infrastructure-truce", "proposed"),
        ),
    ],
)
def test_phrasing(seed_gazetteer, paragraph, speaker, verbatim, channel, position):
    [c] = read(seed_gazetteer, paragraph)
    assert (c.speaker, c.is_verbatim, c.channel) == (speaker, verbatim, channel)
    assert c.positions == ({"proposal": position[0], "stance": position[1]},)


def test_inverted_attribution_with_a_condition(seed_gazetteer):
    [c] = read(
        seed_gazetteer,
        "“We are ready to discuss a full ceasefire, but only if weapons deliveries to Kyiv "
        "stop,” said Putin.",
    )
    assert c.speaker == "putin" and c.is_verbatim
    assert c.text.endswith("weapons deliveries to Kyiv stop")
    [condition] = c.conditions
    assert condition["category"] == "halt_military_aid"
    assert condition["proposal"] == "30-day-full-ceasefire"
    # Kyiv receives the weapons; the report does not say who sends them.
    assert condition["demanded_of"] is None


def test_conditional_acceptance(seed_gazetteer):
    [c] = read(
        seed_gazetteer,
        "Zelensky told CNN in an interview that Kyiv would agree to a complete ceasefire if "
        "Western allies provided security guarantees.",
    )
    assert c.channel == "interview"
    assert c.positions == (
        {"proposal": "30-day-full-ceasefire", "stance": "accepts_with_conditions"},
    )
    [condition] = c.conditions
    assert (condition["category"], condition["demanded_of"]) == (
        "security_guarantees",
        "western-allies",
    )


def test_hearsay_across_sides_is_the_reporters_statement(seed_gazetteer):
    # Trump reports what Putin agreed to: Trump's statement, welcoming it; not Putin's words.
    [c] = read(
        seed_gazetteer, "Trump wrote on Truth Social that Putin had agreed to the energy truce."
    )
    assert c.speaker == "trump"
    assert c.positions == ({"proposal": "energy-infrastructure-truce", "stance": "supports"},)
