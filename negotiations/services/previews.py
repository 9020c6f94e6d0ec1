"""Reads for editors: what an alias list would match in recent articles, before it is saved.

The preview runs the extractor's own matching (negotiations.ingest.extract.Gazetteer), so
what it shows is what extraction will see: whole words, case as written, longest first,
and, for a proposal, a mention qualified by another conflict's place moved out.
"""

import dataclasses

from ..ingest.extract import (
    Gazetteer,
    PartySpec,
    ProposalSpec,
    _in_scope,
    party_specs_from_db,
)
from ..models import Conflict, Participation, Party
from .gazetteer import extracted_articles

PREVIEW_ID = "__preview__"
CONTEXT = 160


@dataclasses.dataclass
class PreviewMatch:
    article_id: int
    title: str
    before: str
    match: str
    after: str
    kept: bool = True


@dataclasses.dataclass
class AliasPreview:
    kind: str
    aliases: list[str]
    scanned: int
    matches: list[PreviewMatch]
    articles_matched: int
    notes: list[str]


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    lo = max(0, start - CONTEXT)
    cut = max(text.rfind(". ", lo, start), text.rfind("\n", lo, start))
    lo = cut + 1 if cut != -1 else lo
    hi = min(len(text), end + CONTEXT)
    stops = [i for i in (text.find(". ", end, hi), text.find("\n", end, hi)) if i != -1]
    hi = min(stops) + 1 if stops else hi
    return text[lo:start].lstrip(), text[end:hi].rstrip()


def alias_preview(
    *,
    kind: str,
    aliases: list[str],
    conflict_id: int | None = None,
    object_id: str | None = None,
    articles: int = 200,
    limit: int = 40,
) -> AliasPreview:
    """Sentences of the `articles` most recent articles that `aliases` would match."""
    notes: list[str] = []
    usable = [a for a in aliases if len(a.strip()) >= 2]
    if len(usable) < len(aliases):
        notes.append("Aliases shorter than two characters are ignored: they would match anywhere.")
    exclude = int(object_id) if object_id and str(object_id).isdecimal() else None
    conflict = Conflict.objects.filter(pk=conflict_id).first() if conflict_id else None
    if kind == "party":
        gazetteer = Gazetteer(
            parties=[
                *party_specs_from_db(exclude=exclude),
                PartySpec(slug=PREVIEW_ID, name="", kind="person", aliases=tuple(usable)),
            ],
            proposals=[],
        )
        if exclude and not Participation.objects.filter(party_id=exclude).exists():
            party = Party.objects.filter(pk=exclude).first()
            if party is not None and not any(
                Participation.objects.filter(party=a).exists() for a in party.ancestors()
            ):
                notes.append(
                    "This party takes part in no conflict (nor does any party above it): "
                    "extraction will not use it until it does."
                )
    else:
        if conflict is None:
            notes.append("Choose the conflict first: a proposal's aliases and places are its.")
            return AliasPreview(kind, usable, 0, [], 0, notes)
        others = Conflict.objects.exclude(pk=conflict.pk)
        foreign = sorted({p for c in others for p in c.places} - set(conflict.places))
        sides = dict(
            Participation.objects.filter(conflict=conflict).values_list("party__slug", "side")
        )
        places = list(conflict.places) if kind == "proposal" else usable
        gazetteer = Gazetteer(
            parties=party_specs_from_db(),
            proposals=[ProposalSpec(slug=PREVIEW_ID, name="", aliases=tuple(usable))]
            if kind == "proposal"
            else [],
            conflict=conflict.slug,
            sides=sides,
            places=places,
            foreign_places=foreign,
        )
    wanted = "place" if kind == "place" else kind
    recent = list(
        extracted_articles()
        .order_by("-published_at", "-pk")
        .values("pk", "title", "url", "text")[:articles]
    )
    matches: list[PreviewMatch] = []
    matched_articles = 0
    for row in recent:
        text = row["text"]
        mentions = gazetteer.mentions(text)
        kept = {(m.start, m.end) for m in _in_scope(text, mentions, gazetteer.proposal_words)}
        found = [
            m for m in mentions if m.kind == wanted and (kind == "place" or PREVIEW_ID in m.slugs)
        ]
        if found:
            matched_articles += 1
        for m in found:
            if len(matches) >= limit:
                break
            before, after = _context(text, m.start, m.end)
            matches.append(
                PreviewMatch(
                    article_id=row["pk"],
                    title=row["title"] or row["url"],
                    before=before,
                    match=text[m.start : m.end],
                    after=after,
                    kept=(m.start, m.end) in kept,
                )
            )
    if any(not m.kept for m in matches):
        notes.append(
            "Struck-through matches are qualified by another conflict's place, or one no "
            "conflict lists: extraction leaves them out of this conflict."
        )
    return AliasPreview(kind, usable, len(recent), matches, matched_articles, notes)
