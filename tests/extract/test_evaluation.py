"""Extraction measured on the corpus of real reports: the corpus is what it claims to be,
the measure counts what it says, and the frozen split stays above its floors."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from negotiations.ingest.evaluation import CORPUS, Evaluator, Report, corpus, evaluate_split
from negotiations.ingest.extract import Candidate, Gazetteers
from negotiations.models.proposals import ConditionCategory
from negotiations.services.scenario import shipped_scenarios

CATEGORIES = set(ConditionCategory.values)

# Floors on the frozen split, as counts: what rules-7 finds (see docs/extraction.md). Each is
# at or above the issue's target (statements 0.8 of 65 = 52, stances 0.7 of 47 = 33,
# conditions 0.7 of 5 = 4); a regression below them fails.
FROZEN_FLOORS = {
    "statements_found": 52,  # of 65 gold statements
    "stances_found": 35,  # of 47 gold stances
    "conditions_found": 4,  # of 5 gold conditions
}
FROZEN_MIN_PRECISION = 0.85


@pytest.fixture(scope="module")
def gazetteers() -> Gazetteers:
    return Gazetteers.from_scenarios(shipped_scenarios())


def test_the_corpus_is_what_the_issue_asks_for():
    reports = corpus("dev") + corpus("frozen")
    metas = [json.loads((CORPUS / r.split / f"{r.id}.meta.json").read_text()) for r in reports]
    assert len(reports) >= 40
    assert len({m["outlet"] for m in metas}) >= 15
    assert len({m["development"] for m in metas}) >= 8
    assert len({m["conflict"] for m in metas}) >= 3
    split = json.loads((CORPUS / "split.json").read_text())
    assert sorted(split["frozen"]) == sorted(r.id for r in reports if r.split == "frozen")
    assert 8 <= len(split["frozen"]) <= 12


def test_gold_speakers_and_proposals_exist_in_the_shipped_gazetteers(gazetteers):
    for report in corpus("dev") + corpus("frozen"):
        gazetteer = gazetteers.by_conflict[report.conflict]
        for statement in report.gold:
            assert statement["speaker"] in gazetteer.parties, (report.id, statement["speaker"])
            for position in statement["positions"]:
                assert position["proposal"] in gazetteer.proposals, (report.id, position)
            for condition in statement.get("conditions", ()):
                # the project's categories, or the measure could never match them
                assert condition["category"] in CATEGORIES, (report.id, condition)


def made_up(text: str, gold: list[dict]) -> Report:
    """A one-off report of the Russia–Ukraine conflict with the given gold."""
    return Report(
        id="made-up", split="dev", conflict="russia-ukraine", outlet="test", text=text, gold=gold
    )


def test_the_measure_counts_matches_misses_and_repeats(gazetteers):
    text = "Putin rejected the full ceasefire. Later, Putin rejected the full ceasefire again.\n"
    report = made_up(
        text,
        [
            {
                "speaker": "putin",
                "evidence": ["Putin rejected the full ceasefire"],
                "verbatim": False,
                "positions": [{"proposal": "30-day-full-ceasefire", "stance": "rejects"}],
                "conditions": [
                    {"proposal": "30-day-full-ceasefire", "category": "halt_military_aid"}
                ],
            },
            {"speaker": "zelensky", "evidence": ["Later"], "verbatim": False, "positions": []},
        ],
    )

    def candidate(span, speaker="putin", stance="rejects"):
        return Candidate(
            speaker=speaker,
            on_behalf_of="russia",
            text=text[span[0] : span[1]],
            is_verbatim=False,
            span=span,
            confidence=0.5,
            channel="reported",
            positions=({"proposal": "30-day-full-ceasefire", "stance": stance},),
            conditions=(),
            conflict="russia-ukraine",
        )

    found = [candidate((0, 33)), candidate((42, 75), stance="accepts"), candidate((0, 5), "trump")]
    counts, misses = Evaluator(gazetteers).score(report, found)
    assert (counts.candidates, counts.matched_candidates) == (3, 2)  # Trump's is no one's
    assert (counts.statements, counts.statements_found) == (2, 1)
    assert (counts.stances, counts.stances_found) == (1, 1)
    assert (counts.stances_given, counts.stances_right) == (2, 1)  # one wrong stance
    assert (counts.conditions, counts.conditions_found) == (1, 0)
    assert counts.repeats == 1
    kinds = sorted(m.kind for m in misses)
    assert kinds == ["false candidate", "missed condition", "missed statement"]


def test_the_frozen_split_stays_above_its_floors(gazetteers):
    total = evaluate_split("frozen", gazetteers)["total"]
    counts = total["counts"]
    for name, floor in FROZEN_FLOORS.items():
        assert counts[name] >= floor, (name, counts[name], floor)
    assert total["precision"] >= FROZEN_MIN_PRECISION
    # Every verbatim quote is exactly the article's words.
    assert counts["verbatim_exact"] == counts["verbatim_compared"] > 0


def test_make_eval_prints_both_splits_and_writes_json(tmp_path, capsys):
    out = tmp_path / "eval.json"
    call_command("evaluate_extraction", "--json", str(out))
    printed = capsys.readouterr().out
    assert "dev split" in printed and "frozen split" in printed
    assert "ALL (micro-averaged)" in printed
    data = json.loads(Path(out).read_text())
    assert set(data["splits"]) == {"dev", "frozen"}
    assert data["splits"]["frozen"]["total"]["candidates"] > 0


def test_a_quote_split_by_he_said_is_exact_piece_by_piece(gazetteers):
    text = "“We accept the truce,” Putin said. “We will observe it fully.” “We accept”\n"
    report = made_up(
        text,
        [
            {
                "speaker": "putin",
                "evidence": ["We accept the truce,", "We will observe it fully."],
                "verbatim": True,
                "quote": "We accept the truce,",
                "positions": [],
            }
        ],
    )

    def quote(words):
        start = text.index(words)
        return Candidate(
            speaker="putin",
            on_behalf_of="russia",
            text=words,
            is_verbatim=True,
            span=(start, start + len(words)),
            confidence=0.5,
            channel="reported",
            positions=(),
            conditions=(),
            conflict="russia-ukraine",
        )

    found = [quote("We accept the truce"), quote("We will observe it fully"), quote("We accept")]
    counts, _ = Evaluator(gazetteers).score(report, found)
    # Each piece of the statement's evidence is exact; a part of one is not.
    assert (counts.verbatim_compared, counts.verbatim_exact) == (3, 2)
