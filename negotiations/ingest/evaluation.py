"""Measuring statement extraction against hand-written gold on a corpus of real reports.

The corpus (tests/data/reports/) holds each report's text, its metadata and its gold:
every statement an analyst would record, with the exact words that carry it (its
evidence), the stances and the conditions. Gold was written before the extractor ran on
the report; the split into a development and a frozen test set was made once.

A candidate matches a gold statement when it is in the report's conflict, its span (or one
of its supporting spans: the same claim stated again) overlaps one of the statement's
evidence spans, and its speaker is the gold speaker or one above or
below it in the party chain (the Kremlin for Putin, Putin for Russia). From the matches:

- precision: candidates that match some gold statement / candidates;
- statement recall: gold statements matched by at least one candidate;
- stance recall: gold (proposal, stance) pairs that a matching candidate gives;
- stance accuracy: of the stances matching candidates give on a proposal the gold
  statement names, those with the gold stance;
- condition recall: gold (proposal, category) pairs that a matching candidate gives;
- verbatim exactness: of verbatim candidates matching a verbatim gold statement, those
  whose words are exactly the quote's, or exactly one of the statement's evidence pieces
  (a quote split by "he said" is one statement whose evidence lists each piece), ignoring
  the marks and the punctuation around them;
- repeats: candidates beyond the first that match the same gold statement.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable
from pathlib import Path

from .extract import Candidate, Gazetteers, read_all

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "data" / "reports"
SPLITS = ("dev", "frozen")
_EDGE = re.compile(r"^[\s\"“”‘’'.,;:!?…—–-]+|[\s\"“”‘’'.,;:!?…—–-]+$")


class CorpusError(Exception):
    """A report or gold file that cannot be used; the message says which and why."""


@dataclasses.dataclass
class Report:
    id: str
    split: str
    conflict: str
    outlet: str
    text: str
    gold: list[dict]

    @classmethod
    def load(cls, txt: Path) -> Report:
        meta = json.loads(txt.with_suffix(".meta.json").read_text(encoding="utf-8"))
        gold = json.loads(txt.with_name(f"{txt.stem}.gold.json").read_text(encoding="utf-8"))
        text = txt.read_text(encoding="utf-8")
        for statement in gold["statements"]:
            for evidence in statement["evidence"]:
                if evidence not in text:
                    raise CorpusError(f"{txt.stem}: evidence not in the text: {evidence[:60]!r}")
        return cls(
            id=txt.stem,
            split=meta["split"],
            conflict=meta["conflict"],
            outlet=meta["outlet"],
            text=text,
            gold=gold["statements"],
        )


def corpus(split: str, *, root: Path = CORPUS) -> list[Report]:
    """The reports of one split, in id order."""
    if split not in SPLITS:
        raise CorpusError(f"no split {split!r}; the splits are {', '.join(SPLITS)}")
    return [Report.load(p) for p in sorted((root / split).glob("*.txt"))]


@dataclasses.dataclass
class Counts:
    candidates: int = 0
    matched_candidates: int = 0
    statements: int = 0
    statements_found: int = 0
    stances: int = 0
    stances_found: int = 0
    stances_given: int = 0
    stances_right: int = 0
    conditions: int = 0
    conditions_found: int = 0
    verbatim_compared: int = 0
    verbatim_exact: int = 0
    repeats: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        for field in dataclasses.fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))
        return self

    @staticmethod
    def _ratio(part: int, whole: int) -> float | None:
        return round(part / whole, 3) if whole else None

    def figures(self) -> dict:
        return {
            "candidates": self.candidates,
            "precision": self._ratio(self.matched_candidates, self.candidates),
            "statement_recall": self._ratio(self.statements_found, self.statements),
            "stance_recall": self._ratio(self.stances_found, self.stances),
            "stance_accuracy": self._ratio(self.stances_right, self.stances_given),
            "condition_recall": self._ratio(self.conditions_found, self.conditions),
            "verbatim_exactness": self._ratio(self.verbatim_exact, self.verbatim_compared),
            "repeats": self.repeats,
            "counts": dataclasses.asdict(self),
        }


@dataclasses.dataclass
class Miss:
    """A gold statement no candidate found, or a candidate no gold statement has."""

    report: str
    kind: str  # "missed statement", "missed stance", "missed condition", "false candidate"
    detail: str


def _spans(text: str, evidence: Iterable[str]) -> list[tuple[int, int]]:
    spans = []
    for words in evidence:
        start = text.find(words)
        while start != -1:
            spans.append((start, start + len(words)))
            start = text.find(words, start + 1)
    return spans


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> int:
    s, e = span
    return max((min(e, he) - max(s, hs) for hs, he in spans), default=0)


def _normalised(words: str) -> str:
    return " ".join(_EDGE.sub("", words).split())


class Evaluator:
    def __init__(self, gazetteers: Gazetteers) -> None:
        self.gazetteers = gazetteers
        parties = next(iter(gazetteers.by_conflict.values()))._all_parties
        self._chain: dict[str, set[str]] = {}
        for slug in parties:
            chain, node = {slug}, parties[slug].parent
            while node in parties and node not in chain:
                chain.add(node)
                node = parties[node].parent
            self._chain[slug] = chain

    def related(self, one: str, other: str) -> bool:
        """The same party, or one above the other in its chain."""
        return one in self._chain.get(other, ()) or other in self._chain.get(one, ())

    def evaluate(self, report: Report) -> tuple[Counts, list[Miss], list[Candidate]]:
        """Extract the report's candidates and score them against its gold."""
        found = read_all(report.text, self.gazetteers, discover=False).candidates
        counts, misses = self.score(report, found)
        return counts, misses, found

    def score(self, report: Report, found: list[Candidate]) -> tuple[Counts, list[Miss]]:
        counts = Counts(candidates=len(found), statements=len(report.gold))
        misses: list[Miss] = []
        spans = [_spans(report.text, g["evidence"]) for g in report.gold]
        matched: dict[int, list[Candidate]] = {}
        for c in found:
            best, best_overlap = None, 0
            for i, gold in enumerate(report.gold):
                if c.conflict != report.conflict or not self.related(c.speaker, gold["speaker"]):
                    continue
                # A candidate stands for its supporting spans too (the same claim again).
                overlap = max(_overlaps(span, spans[i]) for span in (c.span, *c.supporting))
                if overlap > best_overlap:
                    best, best_overlap = i, overlap
            if best is None:
                misses.append(Miss(report.id, "false candidate", f"{c.speaker}: {c.text[:140]}"))
                continue
            counts.matched_candidates += 1
            matched.setdefault(best, []).append(c)
        for i, gold in enumerate(report.gold):
            hits = matched.get(i, [])
            wanted_stances = {(p["proposal"], p["stance"]) for p in gold.get("positions", [])}
            wanted_conditions = {(k["proposal"], k["category"]) for k in gold.get("conditions", [])}
            counts.stances += len(wanted_stances)
            counts.conditions += len(wanted_conditions)
            if not hits:
                misses.append(
                    Miss(
                        report.id,
                        "missed statement",
                        f"{gold['speaker']}: {gold['evidence'][0][:140]}",
                    )
                )
                continue
            counts.statements_found += 1
            counts.repeats += len(hits) - 1
            given = {(p["proposal"], p["stance"]) for c in hits for p in c.positions}
            conditions = {(k["proposal"], k["category"]) for c in hits for k in c.conditions}
            counts.stances_found += len(wanted_stances & given)
            for proposal, stance in wanted_stances - given:
                misses.append(
                    Miss(
                        report.id,
                        "missed stance",
                        f"{gold['speaker']} {stance} {proposal} (gave {sorted(given) or 'none'}):"
                        f" {gold['evidence'][0][:120]}",
                    )
                )
            gold_proposals = {p for p, _ in wanted_stances}
            for proposal, stance in given:
                if proposal in gold_proposals:
                    counts.stances_given += 1
                    counts.stances_right += (proposal, stance) in wanted_stances
            counts.conditions_found += len(wanted_conditions & conditions)
            for proposal, category in wanted_conditions - conditions:
                misses.append(
                    Miss(
                        report.id,
                        "missed condition",
                        f"{gold['speaker']} {category} on {proposal}: {gold['evidence'][0][:120]}",
                    )
                )
            if gold.get("verbatim") and gold.get("quote"):
                pieces = {_normalised(w) for w in (gold["quote"], *gold["evidence"])}
                for c in hits:
                    if c.is_verbatim:
                        counts.verbatim_compared += 1
                        counts.verbatim_exact += _normalised(c.text) in pieces
        return counts, misses


def evaluate_split(split: str, gazetteers: Gazetteers, *, root: Path = CORPUS) -> dict:
    """Figures per report and micro-averaged over the split, with every miss."""
    evaluator = Evaluator(gazetteers)
    total = Counts()
    per_report = []
    misses: list[Miss] = []
    for report in corpus(split, root=root):
        counts, report_misses, _ = evaluator.evaluate(report)
        total += counts
        misses += report_misses
        per_report.append({"report": report.id, "outlet": report.outlet, **counts.figures()})
    return {
        "split": split,
        "reports": len(per_report),
        "total": total.figures(),
        "per_report": per_report,
        "misses": [dataclasses.asdict(m) for m in misses],
    }
