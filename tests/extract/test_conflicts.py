"""Several conflicts side by side: each article goes to the conflicts it is about, and each
candidate binds to its own conflict's proposals (the gazetteers of the shipped files)."""

import pytest

from negotiations.ingest.extract import Gazetteers, read_all
from tests.extract.conftest import SCENARIO_DIR

FILES = ("russia-ukraine", "india-pakistan", "israel-hamas")


@pytest.fixture(scope="module")
def gazetteers() -> Gazetteers:
    return Gazetteers.from_scenarios(SCENARIO_DIR / f"{name}.json" for name in FILES)


def stances(reading) -> set[tuple[str, str, str, str]]:
    return {
        (c.conflict, c.speaker, p["proposal"], p["stance"])
        for c in reading.candidates
        for p in c.positions
    }


INDIA_PAKISTAN = (
    "India and Pakistan agreed to an immediate ceasefire on Saturday after four days of "
    "fighting over Kashmir. Pakistan said it accepted the immediate ceasefire.\n"
)


def test_an_india_pakistan_ceasefire_binds_to_its_own_conflict(gazetteers):
    reading = read_all(INDIA_PAKISTAN, gazetteers)
    assert reading.conflicts == ["india-pakistan"]
    found = stances(reading)
    assert ("india-pakistan", "pakistan", "india-pakistan-ceasefire-2025-05", "accepts") in found
    # Not Ukraine's "immediate ceasefire", though that is one of its aliases.
    assert not any(proposal == "30-day-full-ceasefire" for _, _, proposal, _ in found)


def test_and_the_reverse_a_ukraine_report_stays_with_ukraine(gazetteers):
    text = (
        "Putin refused to accept an immediate ceasefire, while Zelensky said Kyiv had "
        "accepted the 30-day ceasefire proposed by Washington.\n"
    )
    reading = read_all(text, gazetteers)
    assert reading.conflicts == ["russia-ukraine"]
    found = stances(reading)
    assert ("russia-ukraine", "putin", "30-day-full-ceasefire", "rejects") in found
    assert {conflict for conflict, *_ in found} == {"russia-ukraine"}


def test_a_report_about_two_conflicts_gives_each_its_own_candidates(gazetteers):
    text = INDIA_PAKISTAN + (
        "Meanwhile Putin refused to accept an immediate full ceasefire in Ukraine and "
        "insisted that the West cease all military aid.\n"
    )
    reading = read_all(text, gazetteers)
    assert set(reading.conflicts) == {"india-pakistan", "russia-ukraine"}
    by_conflict = {c.conflict for c in reading.candidates}
    assert by_conflict == {"india-pakistan", "russia-ukraine"}
    putin = [c for c in reading.candidates if c.speaker == "putin"]
    assert putin and all(c.conflict == "russia-ukraine" for c in putin)
    assert all(
        c.conflict == "india-pakistan" for c in reading.candidates if c.speaker == "pakistan"
    )


def test_a_ceasefire_in_an_untracked_place_goes_nowhere(gazetteers):
    text = (
        "Putin and Trump discussed a full ceasefire in Sudan, and Zelensky said he "
        "welcomed a complete ceasefire in Yemen.\n"
    )
    reading = read_all(text, gazetteers)
    assert not any(c.positions for c in reading.candidates)


def test_a_ceasefire_in_another_tracked_conflicts_place_goes_to_that_conflict(gazetteers):
    text = (
        "Trump said Russia and Ukraine were close, and that Israel and Hamas had agreed to "
        "the ceasefire in Gaza. Hamas said it accepted the ceasefire in Gaza.\n"
    )
    reading = read_all(text, gazetteers)
    assert reading.conflicts == ["israel-hamas"]
    [hamas] = [c for c in reading.candidates if c.speaker == "hamas"]
    assert hamas.conflict == "israel-hamas"
    assert not any(c.conflict == "russia-ukraine" for c in reading.candidates)


def test_a_party_counts_only_where_it_takes_part(gazetteers):
    # Hamas takes part in Israel–Hamas only: in a Ukraine story it is no one.
    text = (
        "Putin said Russia accepted the energy truce. Hamas said it accepted the energy "
        "truce too.\n"
    )
    reading = read_all(text, gazetteers)
    assert {c.speaker for c in reading.candidates} <= {"putin", "russia", "kremlin"}
