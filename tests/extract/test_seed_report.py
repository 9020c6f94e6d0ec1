"""What the AFP report of the seed scenario must yield, candidate by candidate."""

import pytest

from negotiations.ingest.extract import EXTRACTOR_VERSION, Candidate, extract_candidates
from negotiations.models import Channel, Condition, Stance


@pytest.fixture(scope="module")
def candidates(seed_report, seed_gazetteer) -> list[Candidate]:
    return extract_candidates(seed_report, seed_gazetteer)


def find(candidates, *, speaker: str, containing: str) -> Candidate:
    hits = [c for c in candidates if c.speaker == speaker and containing in c.text]
    assert len(hits) == 1, [(c.speaker, c.text) for c in candidates]
    return hits[0]


def stance_of(candidate: Candidate, proposal: str) -> str | None:
    stances = {p["stance"] for p in candidate.positions if p["proposal"] == proposal}
    assert len(stances) <= 1
    return stances.pop() if stances else None


def test_version_is_named():
    assert EXTRACTOR_VERSION.startswith("rules-")


def test_every_span_points_at_its_text(candidates, seed_report):
    assert candidates
    for c in candidates:
        assert seed_report[c.span[0] : c.span[1]] == c.text
        assert c.text == c.text.strip()


def test_values_are_the_models_choices(candidates):
    for c in candidates:
        assert c.channel in Channel.values
        assert 0 < c.confidence <= 1
        for p in c.positions:
            assert p["stance"] in Stance.values
        for cond in c.conditions:
            assert cond["category"] in Condition.Category.values
            assert cond["summary"]


def test_trump_truth_social_quote(candidates, seed_report):
    c = find(candidates, speaker="trump", containing="Complete Ceasefire")
    assert c.is_verbatim
    assert c.channel == Channel.SOCIAL_MEDIA
    assert c.on_behalf_of == "united-states"
    assert c.text == (
        "an understanding that we will be working quickly to have a Complete Ceasefire and, "
        "ultimately, an END to this very horrible War."
    )
    # The span sits between the quotation marks of the report.
    assert seed_report[c.span[0] - 1] == "“" and seed_report[c.span[1]] == "”"


def test_putin_refuses_full_ceasefire_and_sets_the_military_aid_condition(candidates):
    c = find(candidates, speaker="putin", containing="refused to accept an immediate full")
    assert not c.is_verbatim
    assert c.on_behalf_of == "russia"
    assert stance_of(c, "30-day-full-ceasefire") == Stance.REJECTS
    assert stance_of(c, "energy-infrastructure-truce") is None
    [condition] = c.conditions
    assert condition["proposal"] == "30-day-full-ceasefire"
    assert condition["category"] == Condition.Category.HALT_MILITARY_AID
    assert condition["demanded_of"] == "western-allies"
    assert "military aid" in condition["summary"]


def test_putin_did_not_agree_to_the_30_day_ceasefire(candidates):
    c = find(candidates, speaker="putin", containing="did not agree")
    assert stance_of(c, "30-day-full-ceasefire") == Stance.REJECTS


def test_kremlin_accepts_the_energy_truce(candidates):
    c = find(candidates, speaker="kremlin", containing="ordered a pause in strikes")
    assert c.on_behalf_of == "russia"
    assert stance_of(c, "energy-infrastructure-truce") == Stance.ACCEPTS
    assert stance_of(c, "30-day-full-ceasefire") is None


def test_kremlin_makes_the_full_ceasefire_contingent_on_an_end_to_military_support(candidates):
    c = find(candidates, speaker="kremlin", containing="contingent on")
    [condition] = c.conditions
    assert condition["proposal"] == "30-day-full-ceasefire"
    assert condition["category"] == Condition.Category.HALT_MILITARY_AID
    assert condition["demanded_of"] == "western-allies"
    # The dash ends the Kremlin's words: what follows is the reporter's comment.
    assert "unacceptable" not in c.text


def test_kremlin_requires_an_end_to_military_and_intelligence_support(candidates):
    c = find(candidates, speaker="kremlin", containing="peace agreement would require")
    categories = {cond["category"] for cond in c.conditions}
    assert categories == {
        Condition.Category.HALT_MILITARY_AID,
        Condition.Category.HALT_INTELLIGENCE_SHARING,
    }
    # "any peace agreement" resolves to the one broad proposal the report is about.
    assert {cond["proposal"] for cond in c.conditions} == {"30-day-full-ceasefire"}
    assert {cond["demanded_of"] for cond in c.conditions} == {"western-allies"}


def test_zelensky_supports_the_energy_truce(candidates):
    c = find(candidates, speaker="zelensky", containing="expressed support for the energy truce")
    assert c.on_behalf_of == "ukraine"
    assert not c.is_verbatim
    assert c.text.startswith("Ukrainian President Volodymyr Zelensky")
    assert stance_of(c, "energy-infrastructure-truce") == Stance.SUPPORTS
    # "Putin's refusal of a broader peace deal" inside his words is not his stance.
    assert stance_of(c, "30-day-full-ceasefire") is None


def test_scholz_quote(candidates):
    c = find(candidates, speaker="scholz", containing="Ukraine can count on us.")
    assert c.is_verbatim
    assert c.text == "Ukraine can count on us."
    assert c.on_behalf_of == "germany"


def test_ukraine_accepted_the_30_day_ceasefire(candidates, seed_report):
    # The report says it twice ("which Ukraine had already accepted", "Ukraine has already
    # agreed"): one claim, one candidate, the other place kept as supporting evidence.
    [ukraine] = [c for c in candidates if c.speaker == "ukraine" and c.positions]
    assert stance_of(ukraine, "30-day-full-ceasefire") == Stance.ACCEPTS
    said = [seed_report[s:e] for s, e in (ukraine.span, *ukraine.supporting)]
    assert any("had already accepted" in t for t in said)
    assert any("has already agreed" in t for t in said)
    assert "repeated-in-article" in ukraine.rules
    # A state speaks for itself: no state above it.
    assert ukraine.on_behalf_of is None


def test_no_candidate_for_what_no_tracked_party_says(candidates):
    texts = " ".join(c.text for c in candidates)
    assert "air raid sirens" not in texts
    # Russia's claim about Belgorod is its statement, but no stance on any proposal.
    assert not any(c.positions for c in candidates if "Belgorod" in c.text)
    assert not any(c.speaker == "macron" for c in candidates)


def test_confidence_ranks_bound_stances_above_bare_mentions(candidates):
    putin = find(candidates, speaker="putin", containing="refused to accept")
    talks = find(candidates, speaker="trump", containing="truce talks")
    assert putin.confidence > talks.confidence
    assert "stance:refused-to" in putin.rules


def test_no_duplicate_candidates(candidates):
    keys = [(c.speaker, c.span) for c in candidates]
    assert len(keys) == len(set(keys))


def test_hard_wrapped_text_with_blank_lines_between_paragraphs(seed_report, seed_gazetteer):
    import textwrap

    wrapped = "\n\n".join(textwrap.fill(p, width=72) for p in seed_report.splitlines() if p)
    found = extract_candidates(wrapped, seed_gazetteer)

    def summary(cs):
        return sorted(
            (
                c.speaker,
                c.is_verbatim,
                tuple(sorted((p["proposal"], p["stance"]) for p in c.positions)),
                tuple(sorted(d["category"] for d in c.conditions)),
            )
            for c in cs
        )

    assert summary(found) == summary(extract_candidates(seed_report, seed_gazetteer))
    for c in found:
        assert wrapped[c.span[0] : c.span[1]] == c.text


def test_every_candidate_says_why_in_plain_words(candidates):
    for c in candidates:
        assert c.reasons and c.reasons[0].startswith("speaker:")
    putin = find(candidates, speaker="putin", containing="refused to accept")
    assert "reported speech: “refused”" in putin.reasons
    assert "stance: “refused to accept” → rejects 30-day full ceasefire" in putin.reasons
    assert any(r.startswith("condition:") and "halt to military aid" in r for r in putin.reasons)
