"""Statement extraction speed: words per second on one core, against a baseline.

Corpus: the main text (trafilatura) of the 196 pages in ../shared/data/web-pages plus the
seed report, with the seed scenario's gazetteer built from its scenario file. The baseline
is a plain regex word count over the same text, timed in the same run, so the ratio says
how many word counts one extraction costs whatever the machine. A second corpus repeats
the seed report, where every rule runs (the worst case per word).

When spaCy or pyahocorasick can be imported (they are not project dependencies), the same
run also times what they would replace: alias matching and sentence splitting.
"""

import json
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from negotiations.ingest import extract_cues
from negotiations.ingest.extract import EXTRACTOR_VERSION, Gazetteer, extract_candidates

BASE = Path(settings.BASE_DIR)
PAGES = BASE.parent / "shared" / "data" / "web-pages"
SCENARIO = BASE / "negotiations" / "scenarios" / "russia-ukraine.json"
REPORT = BASE / "negotiations" / "scenarios" / "afp-trump-putin-call.txt"
RESULTS = BASE / "bench-results" / "extract.json"
TARGET_WORDS_PER_SECOND = 100_000
WORD = re.compile(r"\w+")


def corpus() -> list[str]:
    import trafilatura

    texts = [
        trafilatura.extract(p.read_text(encoding="utf-8", errors="replace")) or ""
        for p in sorted(PAGES.glob("*.html"))
    ]
    return [*texts, REPORT.read_text(encoding="utf-8")]


def best_of(fn: Callable[[], object], *, repeat: int = 5) -> float:
    """The fastest of several runs: the least disturbed by the rest of the machine."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def word_count(texts: list[str]) -> int:
    return sum(len(WORD.findall(t)) for t in texts)


def measure(texts: list[str], gazetteer: Gazetteer, *, repeat: int = 5) -> dict:
    words = word_count(texts)
    baseline = best_of(lambda: word_count(texts), repeat=repeat)
    extraction = best_of(lambda: [extract_candidates(t, gazetteer) for t in texts], repeat=repeat)
    return {
        "documents": len(texts),
        "words": words,
        "baseline_seconds": round(baseline, 4),
        "extract_seconds": round(extraction, 4),
        "baseline_words_per_second": round(words / baseline),
        "words_per_second": round(words / extraction),
        "extract_cost_in_word_counts": round(extraction / baseline, 2),
        "candidates": sum(len(extract_candidates(t, gazetteer)) for t in texts),
    }


def compare_libraries(texts: list[str], gazetteer: Gazetteer) -> dict:
    """Alias matching and sentence splitting: the regexes in use against the libraries."""
    words = word_count(texts)
    rate = lambda seconds: round(words / seconds)  # noqa: E731
    out: dict = {
        "regex_alias_scan_words_per_second": rate(
            best_of(lambda: [gazetteer.mentions(t) for t in texts], repeat=3)
        )
    }
    from negotiations.ingest.extract import _sentences

    out["regex_sentences_words_per_second"] = rate(
        best_of(lambda: [_sentences(t, 0, len(t), []) for t in texts], repeat=3)
    )
    aliases = sorted(
        {a for p in gazetteer.parties.values() for a in (p.name, *p.aliases)}
        | {a for p in gazetteer.proposals.values() for a in (p.name, *p.aliases)}
    )
    try:
        import ahocorasick
    except ImportError:
        out["pyahocorasick"] = "not installed"
    else:
        automaton = ahocorasick.Automaton()
        for alias in aliases:
            automaton.add_word(alias.lower(), alias)
        automaton.make_automaton()

        def aho(t: str) -> list[tuple[int, str]]:
            # Lower-cased search, then the checks the regex does inline: whole word, case.
            low, hits = t.lower(), []
            for end, alias in automaton.iter(low):
                start = end - len(alias) + 1
                if (start and low[start - 1].isalnum()) or (
                    end + 1 < len(low) and low[end + 1].isalnum()
                ):
                    continue
                if alias != alias.lower() and t[start : end + 1] != alias:
                    continue
                hits.append((start, alias))
            return hits

        out["ahocorasick_alias_scan_words_per_second"] = rate(
            best_of(lambda: [aho(t) for t in texts], repeat=3)
        )
    try:
        import spacy
        from spacy.matcher import PhraseMatcher
    except ImportError:
        out["spacy"] = "not installed"
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        matcher.add("ALIAS", list(nlp.tokenizer.pipe(aliases)))
        out["spacy_version"] = spacy.__version__
        out["spacy_tokenize_and_sentencize_words_per_second"] = rate(
            best_of(lambda: list(nlp.pipe(texts)), repeat=3)
        )
        out["spacy_tokenize_sentencize_and_match_words_per_second"] = rate(
            best_of(lambda: [matcher(doc) for doc in nlp.pipe(texts)], repeat=3)
        )
    return out


def main() -> None:
    gazetteer = Gazetteer.from_scenario(SCENARIO)
    print(f"extractor {EXTRACTOR_VERSION}; cue patterns: {len(extract_cues.STANCE_CUES)} stances")
    texts = corpus()
    realistic = measure(texts, gazetteer)
    seed = REPORT.read_text(encoding="utf-8")
    worst = measure([seed] * 200, gazetteer)
    # One paragraph of 117k words: what must stay linear (pronouns, quotes, sentences).
    long_paragraph = measure([" ".join(seed.split("\n")) * 200], gazetteer, repeat=3)
    libraries = compare_libraries(texts, gazetteer)
    results = {
        "extractor": EXTRACTOR_VERSION,
        "target_words_per_second_per_core": TARGET_WORDS_PER_SECOND,
        "realistic_corpus": realistic,
        "seed_report_repeated": worst,
        "seed_report_as_one_paragraph": long_paragraph,
        "libraries": libraries,
    }
    for name, r in (
        ("196 pages + seed report", realistic),
        ("seed report x200", worst),
        ("seed report x200 as one paragraph", long_paragraph),
    ):
        verdict = "meets" if r["words_per_second"] >= TARGET_WORDS_PER_SECOND else "BELOW"
        print(
            f"{name}: {r['words']:,} words, {r['words_per_second']:,} words/s per core "
            f"({verdict} the {TARGET_WORDS_PER_SECOND:,} target); baseline word count "
            f"{r['baseline_words_per_second']:,} words/s; one extraction costs "
            f"{r['extract_cost_in_word_counts']}x a word count; {r['candidates']} candidates"
        )
    for key, value in libraries.items():
        print(f"  {key}: {value:,}" if isinstance(value, int) else f"  {key}: {value}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {RESULTS.relative_to(BASE)}")
    median = statistics.median(len(WORD.findall(t)) for t in texts)
    print(f"timings are the best of 5 runs; median document {median:.0f} words")
