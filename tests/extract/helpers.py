"""What the extraction tests ask of a candidate, in one place."""

from negotiations.ingest.extract import Candidate, extract_candidates


def stances(candidate: Candidate) -> set[tuple[str, str]]:
    """The (proposal, stance) pairs a candidate gives."""
    return {(p["proposal"], p["stance"]) for p in candidate.positions}


def only(gazetteer, text: str, speaker: str) -> Candidate:
    """The one candidate of `speaker` in `text` (fails if there are none or several)."""
    found = [c for c in extract_candidates(text, gazetteer) if c.speaker == speaker]
    assert len(found) == 1, found
    return found[0]
