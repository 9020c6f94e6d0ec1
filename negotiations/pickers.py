"""Reads behind every party and proposal picker, and the party tree they and the matrix use.

An editor who types "Ukraine" means Ukraine, not "Government of Ukraine" that sorts first
alphabetically: exact matches (name, slug or alias) come first, then names that start
with the words typed, then the rest; within each, top-level records before their members.
"""

import dataclasses

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from .models import Party, Proposal
from .models.parties import PartyKind

# A government or a person speaks for, and rolls up into, its state or bloc.
MEMBER_KINDS = frozenset({PartyKind.PERSON, PartyKind.GOVERNMENT})


def _alias_is(model, term: str) -> RawSQL:
    # The table name comes from the model, never from input; the term is a parameter.
    table = model._meta.db_table
    return RawSQL(  # noqa: S611
        f'EXISTS (SELECT 1 FROM unnest("{table}"."aliases") AS alias '  # noqa: S608
        "WHERE lower(alias) = lower(%s))",
        (term,),
        output_field=BooleanField(),
    )


def ranked(queryset: QuerySet, term: str) -> QuerySet:
    """`queryset` (parties or proposals) in picker order for what the editor typed."""
    term = " ".join(term.split())
    if not term:
        return queryset.order_by("name")
    exact = Q(name__iexact=term) | Q(slug__iexact=term)
    # Annotations, not aliases: a caller may add DISTINCT, which needs them selected.
    return queryset.annotate(
        alias_exact=_alias_is(queryset.model, term),
        match=Case(
            When(exact | Q(alias_exact=True), then=Value(0)),
            When(name__istartswith=term, then=Value(1)),
            default=Value(2),
        ),
        member=Case(When(parent__isnull=True, then=Value(0)), default=Value(1)),
    ).order_by("match", "member", "name", "pk")


@dataclasses.dataclass
class PartyTree:
    """Every party, loaded once, with the walks up its parent chain."""

    parties: dict[int, Party]

    @classmethod
    def load(cls) -> "PartyTree":
        rows = Party.objects.only("id", "slug", "name", "kind", "parent_id", "own_column")
        return cls({party.pk: party for party in rows})

    def chain(self, pk: int) -> list[Party]:
        """The party and its ancestors, nearest first; stops at a cycle."""
        chain, seen = [], set()
        while pk is not None and pk in self.parties and pk not in seen:
            seen.add(pk)
            chain.append(self.parties[pk])
            pk = self.parties[pk].parent_id
        return chain

    def speaks_for(self, pk: int) -> Party | None:
        """Whom a speaker speaks for by default: a government or person its state or bloc
        (the nearest ancestor that is neither), else the top of its chain; None for a
        party that speaks for itself."""
        chain = self.chain(pk)
        if not chain or chain[0].kind not in MEMBER_KINDS:
            return None
        principal = next((p for p in chain[1:] if p.kind not in MEMBER_KINDS), chain[-1])
        return principal if principal.pk != pk else None

    def column(self, pk: int) -> Party:
        """The matrix column a party's positions show in: its own when it is not a
        member kind or an editor gave it one, else its state or bloc's."""
        chain = self.chain(pk)
        return next((p for p in chain if p.kind not in MEMBER_KINDS or p.own_column), chain[-1])


def party_options(
    *, conflict_id: int | None, tree: PartyTree | None = None
) -> list[tuple[str, list[Party]]]:
    """Parties for a select, grouped: each top-level party of the conflict's sides followed
    by its members, then everyone else; top-level first, so typing a name finds the state
    before its government."""
    from .models import Participation

    tree = tree or PartyTree.load()
    children: dict[int | None, list[Party]] = {}
    for party in sorted(tree.parties.values(), key=lambda p: p.name):
        children.setdefault(party.parent_id, []).append(party)

    def with_members(party: Party, seen: set[int]) -> list[Party]:
        out, stack = [], [party]
        while stack:
            node = stack.pop(0)
            if node.pk in seen:
                continue
            seen.add(node.pk)
            out.append(node)
            stack.extend(children.get(node.pk, []))
        return out

    seen: set[int] = set()
    groups = []
    if conflict_id is not None:
        participations = (
            Participation.objects.filter(conflict_id=conflict_id)
            .select_related("party")
            .order_by("side", "party__name")
        )
        by_side: dict[str, list[Party]] = {}
        for participation in participations:
            members = with_members(tree.parties[participation.party_id], seen)
            by_side.setdefault(participation.side, []).extend(members)
        groups += [(f"Side: {side}", parties) for side, parties in by_side.items()]
    rest = [p for p in tree.parties.values() if p.pk not in seen]
    rest.sort(key=lambda p: (p.parent_id is not None, p.name))
    if rest:
        groups.append(("Other parties" if groups else "Parties", rest))
    return groups


def proposal_options(*, conflict_id: int | None) -> list[Proposal]:
    """A conflict's proposals for a select: each top-level proposal followed by its parts."""
    proposals = Proposal.objects.only("id", "slug", "name", "parent_id").order_by("name")
    if conflict_id is not None:
        proposals = proposals.filter(conflict_id=conflict_id)
    proposals = list(proposals)
    parts: dict[int | None, list[Proposal]] = {}
    for proposal in proposals:
        parts.setdefault(proposal.parent_id, []).append(proposal)
    known = {p.pk for p in proposals}
    ordered: list[Proposal] = []
    stack = [p for p in proposals if p.parent_id not in known]
    while stack:
        proposal = stack.pop(0)
        ordered.append(proposal)
        stack[0:0] = parts.get(proposal.pk, [])
    # A parent cycle (the database allows one two records long) still lists its members.
    return ordered + [p for p in proposals if p not in ordered]
