"""Dedupe layers: canonical URLs, exact hashes, and the near-duplicate threshold."""

import itertools
import json

import pytest

from negotiations.ingest.articles import extract_article
from negotiations.ingest.dedupe import (
    NEAR_DUPLICATE_DISTANCE,
    canonicalise_url,
    content_hash,
    hamming,
    simhash,
)

from .conftest import SHARED_DATA
from .pages import seed_report


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTPS://News.Example.org:443/a/b?utm_source=x&id=7&fbclid=1#comments",
            "https://news.example.org/a/b?id=7",
        ),
        ("http://example.org", "http://example.org/"),
        ("http://example.org:8080/x?b=2&a=1", "http://example.org:8080/x?a=1&b=2"),
        ("https://example.org/x?gclid=1&mc_eid=2&ref=rss", "https://example.org/x"),
        ("urn:ceasefire-tracker:seed:x", "urn:ceasefire-tracker:seed:x"),
    ],
)
def test_canonical_urls_drop_tracking_and_fragments(url, canonical):
    assert canonicalise_url(url) == canonical


def test_relative_canonical_links_resolve_against_the_page():
    assert canonicalise_url("/story?utm_medium=x", base="https://a.test/x/y") == (
        "https://a.test/story"
    )


def test_the_exact_hash_ignores_case_punctuation_and_spacing():
    assert content_hash("Hello,  World!\n") == content_hash("hello world")
    assert content_hash("hello world") != content_hash("hello there world")


def test_short_texts_get_no_similarity_signature():
    assert simhash("A short note about a call.") is None


def wire_variants() -> dict[str, str]:
    """How outlets republish one wire story: datelines, footers, cuts, light edits."""
    text = seed_report()
    paragraphs = text.split("\n")
    return {
        "dateline": "MOSCOW (AFP) - " + text,
        "footer": text + "\nRead more: sign up for our daily newsletter on world affairs.",
        "last paragraph cut": "\n".join(paragraphs[:-2]),
        "two paragraphs cut": "\n".join(paragraphs[:-3]),
        "house style": text.replace("Tuesday", "Tues.").replace("30-day", "thirty-day"),
    }


def test_the_threshold_joins_republished_wire_copies():
    original = simhash(seed_report())
    distances = {name: hamming(original, simhash(v)) for name, v in wire_variants().items()}
    print(f"\nwire copy distances (threshold {NEAR_DUPLICATE_DISTANCE}): {distances}")
    assert max(distances.values()) <= NEAR_DUPLICATE_DISTANCE


def test_the_threshold_keeps_196_unrelated_pages_apart():
    """Every pair of different pages in the shared set stays well above the threshold."""
    pages = SHARED_DATA / "web-pages"
    manifest = json.loads((pages / "manifest.json").read_text())
    texts = {}
    for page in manifest:
        text = extract_article((pages / page["file"]).read_bytes(), url=page["url"]).text
        texts[page["file"]] = text
    signatures = {name: simhash(t) for name, t in texts.items() if simhash(t) is not None}
    signatures["seed report"] = simhash(seed_report())
    closest = min(
        (hamming(a, b), x, y)
        for (x, a), (y, b) in itertools.combinations(signatures.items(), 2)
        if content_hash(texts.get(x, x)) != content_hash(texts.get(y, y))
    )
    print(f"\n{len(signatures)} signatures; closest unrelated pair: {closest}")
    assert closest[0] > NEAR_DUPLICATE_DISTANCE + 3
