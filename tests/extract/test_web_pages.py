"""The 196 real pages in shared/data/web-pages are about something else: no candidate."""

import json

import pytest
import trafilatura

from negotiations.ingest.extract import extract_candidates

from .conftest import SHARED_DATA

PAGES = SHARED_DATA / "web-pages"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    manifest = json.loads((PAGES / "manifest.json").read_text(encoding="utf-8"))
    paths = sorted(PAGES.glob("*.html"))
    assert len(paths) == 196 == len(manifest)
    return {p.name: p.read_text(encoding="utf-8", errors="replace") for p in paths}


@pytest.fixture(scope="module")
def main_texts(pages) -> dict[str, str]:
    return {name: trafilatura.extract(html) or "" for name, html in pages.items()}


def test_the_pages_do_name_tracked_parties(main_texts, seed_gazetteer):
    # Without this the zero below would prove nothing: "US", "Washington", "Trump",
    # "Russia", "Macron" occur in these pages.
    naming = [
        name
        for name, text in main_texts.items()
        if any(m.kind == "party" for m in seed_gazetteer.mentions(text))
    ]
    assert len(naming) >= 70


def test_no_candidate_in_main_text(main_texts, seed_gazetteer):
    found = {
        name: [(c.speaker, c.text) for c in extract_candidates(text, seed_gazetteer)]
        for name, text in main_texts.items()
    }
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_no_candidate_in_raw_html(pages, seed_gazetteer):
    found = {
        name: [(c.speaker, c.text) for c in extract_candidates(html, seed_gazetteer)]
        for name, html in pages.items()
    }
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_no_candidate_from_a_page_even_inside_an_on_topic_article(
    main_texts, seed_gazetteer, seed_report
):
    # None of the pages names a proposal, so the article gate alone would keep them out.
    # Behind the seed report the gate is open and "any peace agreement" can resolve: the
    # rules themselves must still find nothing in the page's own text.
    found = {}
    for name, text in main_texts.items():
        combined = seed_report + "\n" + text
        hits = [
            c for c in extract_candidates(combined, seed_gazetteer) if c.span[0] > len(seed_report)
        ]
        if hits:
            found[name] = [(c.speaker, c.text) for c in hits]
    assert found == {}


def test_no_candidate_with_every_shipped_conflict_tracked(main_texts):
    from negotiations.ingest.extract import Gazetteers, extract_all
    from negotiations.services.scenario import shipped_scenarios

    gazetteers = Gazetteers.from_scenarios(shipped_scenarios())
    found = {name: extract_all(text, gazetteers) for name, text in main_texts.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}
