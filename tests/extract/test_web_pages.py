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
    assert len(naming) >= 40


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
