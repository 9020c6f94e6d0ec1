"""Reads for the editors' review workbench: the queue of claims, one claim, merge targets.

These read candidates, which nothing outside the workbench and the admin may show.
"""

import dataclasses
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, DurationField, F, Max, Q, QuerySet, Value
from django.db.models.functions import Greatest

from ..citation import Citation, cite, outlet_count
from ..models import Claim, Conflict, Proposal, Stance, Statement
from ..pickers import PartyTree
from ..selectors import EXCERPT_CONTEXT, SEARCH_CONFIG, published_statements
from ..services.claims import WAITING, claim_extraction, claim_primary, claim_version

# The queue shows this many claims; the rest are counted, and come as these are reviewed.
QUEUE_LIMIT = 60
MERGE_RESULTS = 8
STANCE_LABELS = dict(Stance.choices)


@dataclasses.dataclass(frozen=True)
class ReviewFilters:
    """Which waiting claims the editor works through; slugs and values as in the URL."""

    conflict: str = ""
    outlet: str = ""
    speaker: str = ""
    proposal: str = ""
    confidence: float | None = None

    def params(self) -> list[tuple[str, str]]:
        pairs = [
            (name, value)
            for name, value in (
                ("conflict", self.conflict),
                ("outlet", self.outlet),
                ("speaker", self.speaker),
                ("proposal", self.proposal),
            )
            if value
        ]
        if self.confidence is not None:
            pairs.append(("confidence", f"{self.confidence:g}"))
        return pairs

    def querystring(self, **extra) -> str:
        return urlencode(self.params() + [(k, str(v)) for k, v in extra.items() if v])


def waiting_candidates() -> QuerySet[Statement]:
    return Statement.objects.filter(claim__isnull=False, **WAITING)


def waiting_counts() -> tuple[int, int]:
    """How many claims, and how many candidates in them, wait for review."""
    counts = waiting_candidates().aggregate(
        claims=Count("claim", distinct=True), candidates=Count("pk")
    )
    return counts["claims"], counts["candidates"]


def _filtered(filters: ReviewFilters) -> QuerySet[Statement]:
    candidates = waiting_candidates()
    if filters.conflict:
        candidates = candidates.filter(conflict__slug=filters.conflict)
    if filters.outlet:
        candidates = candidates.filter(
            Q(article__outlet__iexact=filters.outlet) | Q(source_outlet__iexact=filters.outlet)
        )
    if filters.speaker:
        tree = PartyTree.load()
        wanted = {p.pk for p in tree.parties.values() if p.slug == filters.speaker}
        ids = {pk for pk in tree.parties if wanted & {p.pk for p in tree.chain(pk)}}
        candidates = candidates.filter(Q(speaker_id__in=ids) | Q(on_behalf_of_id__in=ids))
    if filters.proposal:
        candidates = candidates.filter(
            Q(extraction__positions__contains=[{"proposal": filters.proposal}])
            | Q(extraction__conditions__contains=[{"proposal": filters.proposal}])
        )
    if filters.confidence is not None:
        candidates = candidates.filter(confidence__gte=filters.confidence)
    return candidates


def queue_ids(*, filters: ReviewFilters) -> list[int]:
    """The waiting claims the filter shows, in review order: most confident first, then the
    most reported, then the newest."""
    rows = (
        _filtered(filters)
        .values("claim_id")
        .annotate(top=Max("confidence"), reports=Count("pk"), latest=Max("occurred_at"))
        .order_by("-top", "-reports", "-latest", "claim_id")
    )
    return [row["claim_id"] for row in rows]


@dataclasses.dataclass
class QueueEntry:
    claim_id: int
    primary: Statement
    candidates: int
    outlets: int
    stances: list[tuple[str, str, str]]  # stance value, its label, the proposal's name
    conditions: int


@dataclasses.dataclass
class Queue:
    ids: list[int]
    entries: list[QueueEntry]

    @property
    def total(self) -> int:
        return len(self.ids)

    def around(self, claim_id: int | None) -> tuple[int | None, int | None, int | None]:
        """The position of a claim in the queue (from 1), and the claims before and after."""
        if claim_id not in self.ids:
            return None, None, self.ids[0] if self.ids else None
        index = self.ids.index(claim_id)
        before = self.ids[index - 1] if index else None
        after = self.ids[index + 1] if index + 1 < len(self.ids) else None
        return index + 1, before, after


def review_queue(*, filters: ReviewFilters, limit: int = QUEUE_LIMIT) -> Queue:
    """The queue, grouped by claim, each with what its primary candidate proposes."""
    ids = queue_ids(filters=filters)
    shown = ids[:limit]
    candidates = (
        waiting_candidates()
        .filter(claim_id__in=shown)
        .select_related("speaker", "on_behalf_of", "article")
        .defer("article__text", "search_vector")
    )
    by_claim: dict[int, list[Statement]] = {}
    for candidate in candidates:
        by_claim.setdefault(candidate.claim_id, []).append(candidate)
    slugs = {
        item.get("proposal")
        for group in by_claim.values()
        for item in claim_primary(group).extraction.get("positions", [])
    }
    names = dict(Proposal.objects.filter(slug__in=slugs).values_list("slug", "name"))
    entries = []
    for claim_id in shown:
        group = by_claim.get(claim_id)
        if not group:
            continue  # reviewed between the two queries
        primary = claim_primary(group)
        entries.append(
            QueueEntry(
                claim_id=claim_id,
                primary=primary,
                candidates=len(group),
                outlets=outlet_count([cite(s) for s in group]),
                stances=[
                    (
                        item.get("stance"),
                        STANCE_LABELS.get(item.get("stance"), item.get("stance")),
                        names.get(item.get("proposal"), item.get("proposal")),
                    )
                    for item in primary.extraction.get("positions", [])
                ],
                conditions=len(primary.extraction.get("conditions", [])),
            )
        )
    return Queue(ids=ids, entries=entries)


@dataclasses.dataclass
class SourceView:
    """One candidate's report: its outlet and article, and the words around its span."""

    statement: Statement
    before: str
    span: str
    after: str

    @classmethod
    def of(cls, statement: Statement, *, context: int | None = EXCERPT_CONTEXT) -> "SourceView":
        text = statement.article.text if statement.article_id else ""
        start, end = statement.span_start, statement.span_end
        if not text or start is None:
            return cls(statement, "", statement.text, "")
        if context is None:
            return cls(statement, text[:start], text[start:end], text[end:])
        before = ("…" if start > context else "") + text[max(0, start - context) : start]
        after = text[end : end + context] + ("…" if end + context < len(text) else "")
        return cls(statement, before, text[start:end], after)

    @property
    def source(self) -> Citation:
        return cite(self.statement)


@dataclasses.dataclass
class ClaimView:
    claim: Claim
    conflict: Conflict
    primary: SourceView  # with the whole article text
    others: list[SourceView]
    published: Statement | None
    extraction: dict
    version: str

    @property
    def candidates(self) -> list[Statement]:
        return [self.primary.statement, *(o.statement for o in self.others)]

    @property
    def reasons(self) -> list[str]:
        """Why the extractor proposed it, in plain words when it gave them."""
        extraction = self.primary.statement.extraction or {}
        return list(extraction.get("reasons") or extraction.get("rules") or [])

    @property
    def outlets(self) -> int:
        return outlet_count([cite(s) for s in self.candidates])


def claim_detail(*, pk: int) -> ClaimView | None:
    """A claim with its waiting candidates, or None when nothing in it waits any more."""
    claim = Claim.objects.select_related("conflict").filter(pk=pk).first()
    if claim is None:
        return None
    statements = list(
        Statement.objects.filter(claim=claim)
        .select_related("speaker", "on_behalf_of", "article")
        .defer("search_vector")
        .order_by("pk")
    )
    waiting = [s for s in statements if s.status == Statement.Status.CANDIDATE]
    waiting = [s for s in waiting if not s.merged_into_id]
    if not waiting:
        return None
    primary = claim_primary(waiting)
    published = next((s for s in statements if s.status == Statement.Status.PUBLISHED), None)
    return ClaimView(
        claim=claim,
        conflict=claim.conflict,
        primary=SourceView.of(primary, context=None),
        others=[SourceView.of(s) for s in waiting if s.pk != primary.pk],
        published=published,
        extraction=claim_extraction(waiting),
        version=claim_version(statements),
    )


def merge_targets(*, view: ClaimView, q: str, limit: int = MERGE_RESULTS) -> list[Statement]:
    """Published statements of the claim's conflict that it may repeat: those matching the
    words typed (in what was said, who said it and for whom, the source's title), best
    first; or else the same stance party's. Nearest in time first among equals."""
    primary = view.primary.statement
    statements = (
        published_statements()
        .filter(conflict=view.conflict)
        .select_related("speaker", "on_behalf_of", "article")
        .defer("article__text", "search_vector")
    )
    at = Value(primary.occurred_at)
    distance = Greatest(F("occurred_at") - at, at - F("occurred_at"), output_field=DurationField())
    statements = statements.annotate(distance=distance)
    q = " ".join(q.split())[:200]
    if q:
        query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        statements = statements.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
        order = ["-rank", "distance", "-id"]
    else:
        party = primary.on_behalf_of_id or primary.speaker_id
        statements = statements.filter(Q(speaker_id=party) | Q(on_behalf_of_id=party))
        order = ["distance", "-id"]
    return list(statements.order_by(*order)[:limit])
