"""Read-only JSON endpoints: a session like the pages, or a personal bearer token."""

import functools

from django.conf import settings
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from .. import selectors
from ..filters import parse_limit, parse_moment
from ..models import Conflict, Party, Proposal
from ..reader_tokens import Purpose, token_for, token_max_age, user_from_token
from ..views import can_read
from .openapi import openapi_document
from .serializers import conflict_ref, item_json, party_ref

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class BadRequest(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def api_view(view):
    """GET only; anonymous → 401, without read permission → 403, bad input → 400, as JSON."""

    @require_GET
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            user = user_from_token(token.strip(), purpose=Purpose.API)
            if user is None:
                return JsonResponse({"detail": "Invalid or revoked token."}, status=401)
            request.user = user
        if not settings.PUBLIC_READ and not request.user.is_authenticated:
            return JsonResponse({"detail": "Sign in to read the API."}, status=401)
        if not can_read(request.user):
            return JsonResponse({"detail": "You may not read this."}, status=403)
        try:
            return view(request, *args, **kwargs)
        except BadRequest as exc:
            return JsonResponse({"detail": "Invalid request.", "errors": exc.errors}, status=400)
        except Http404:
            return JsonResponse({"detail": "Not found."}, status=404)
        except selectors.InvalidCursor as exc:
            return JsonResponse(
                {"detail": "Invalid request.", "errors": {"cursor": [str(exc)]}}, status=400
            )

    return wrapper


def _limit(request) -> int:
    try:
        return parse_limit(request.GET.get("limit"), default=DEFAULT_LIMIT, maximum=MAX_LIMIT)
    except ValueError as exc:
        raise BadRequest({"limit": [str(exc)]}) from exc


def _since(request, name: str = "updated_since"):
    try:
        return parse_moment(request.GET.get(name))
    except ValueError as exc:
        raise BadRequest({name: [str(exc)]}) from exc


def _next_url(request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params = request.GET.copy()
    params["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


@api_view
def api_root(request):
    names = [
        "timeline",
        "conflicts",
        "proposals",
        "statements",
        "parties",
        "deletions",
        "openapi",
        "token",
    ]
    return JsonResponse(
        {name: request.build_absolute_uri(reverse(f"negotiations:api_{name}")) for name in names}
    )


@api_view
def api_token(request):
    """The signed-in reader's personal token, for tools that cannot keep a session."""
    token = token_for(request.user, purpose=Purpose.API)
    return JsonResponse(
        {
            "token": token,
            "header": f"Authorization: Bearer {token}",
            "revoked_by": "changing your password",
            "expires_at": (timezone.now() + token_max_age()).isoformat(),
        }
    )


@api_view
def api_openapi(request):
    return JsonResponse(openapi_document(request))


@api_view
def api_timeline(request):
    choices = selectors.filter_choices()
    form = choices.form(request.GET)
    if not form.is_valid():
        raise BadRequest(form.error_summary())
    page = selectors.timeline_page(
        filters=form.filters(),
        cursor=request.GET.get("cursor") or None,
        limit=_limit(request),
        choices=choices,
    )
    return JsonResponse(
        {
            "items": [item_json(item, request=request) for item in page.items],
            "next_cursor": page.next_cursor,
            "next": _next_url(request, page.next_cursor),
        }
    )


@api_view
def api_statements(request):
    batch = selectors.statements_updated(
        since=_since(request),
        cursor=request.GET.get("cursor") or None,
        limit=_limit(request),
    )
    return JsonResponse(
        {
            "items": [
                item_json(selectors.TimelineItem(selectors.STATEMENT, s), request=request)
                for s in batch.statements
            ],
            "next_cursor": batch.next_cursor,
            "next": _next_url(request, batch.next_cursor),
        }
    )


@api_view
def api_statement_detail(request, pk):
    statement = selectors.statement_get(pk=pk)
    if statement is None:
        raise Http404
    return JsonResponse(
        item_json(selectors.TimelineItem(selectors.STATEMENT, statement), request=request)
    )


def _party_json(party: Party) -> dict:
    return {
        "slug": party.slug,
        "name": party.name,
        "kind": party.kind,
        "title": party.title,
        "parent": party.parent.slug if party.parent else None,
        "aliases": party.aliases,
        "description": party.description,
        "updated_at": party.updated_at.isoformat(),
    }


@api_view
def api_parties(request):
    parties = Party.objects.select_related("parent").order_by("name")
    since = _since(request)
    if since is not None:
        parties = parties.filter(updated_at__gt=since)
    return JsonResponse({"items": [_party_json(p) for p in parties]})


def _proposal_json(proposal: Proposal, cells: list) -> dict:
    return {
        "conflict": conflict_ref(proposal.conflict),
        "slug": proposal.slug,
        "name": proposal.name,
        "kind": proposal.kind,
        "scope": proposal.scope,
        "duration_days": proposal.duration_days,
        "proposed_by": party_ref(proposal.proposed_by),
        "proposed_on": proposal.proposed_on.isoformat() if proposal.proposed_on else None,
        "parent": proposal.parent.slug if proposal.parent_id else None,
        "description": proposal.description,
        "updated_at": proposal.updated_at.isoformat(),
        "positions": [
            {
                "party": party_ref(cell.column),
                "member": party_ref(cell.member),
                "stance": cell.current.stance,
                "as_of": cell.current.as_of.isoformat(),
                "statement": cell.current.statement_id,
                "history": [
                    {
                        "stance": p.stance,
                        "as_of": p.as_of.isoformat(),
                        "statement": p.statement_id,
                        "party": p.party.slug,
                    }
                    for p in cell.history
                ],
            }
            for cell in cells
            if cell is not None
        ],
    }


def _conflict_param(request) -> Conflict | None:
    slug = request.GET.get("conflict")
    if not slug:
        return None
    conflict = Conflict.objects.filter(slug=slug).first()
    if conflict is None:
        raise BadRequest({"conflict": [f"No conflict {slug!r}; see /api/v1/conflicts."]})
    return conflict


def _matrix_rows(conflict: Conflict | None = None) -> list:
    return [
        row for _, matrix in selectors.position_matrices(conflict=conflict) for row in matrix.rows
    ]


@api_view
def api_proposals(request):
    rows = _matrix_rows(_conflict_param(request))
    since = _since(request)
    if since is not None:
        changed = set(
            Proposal.objects.filter(
                Q(updated_at__gt=since) | Q(positions__updated_at__gt=since)
            ).values_list("pk", flat=True)
        )
        rows = [row for row in rows if row.proposal.pk in changed]
    return JsonResponse({"items": [_proposal_json(row.proposal, row.cells) for row in rows]})


@api_view
def api_proposal_detail(request, slug):
    for row in _matrix_rows():
        if row.proposal.slug == slug:
            return JsonResponse(_proposal_json(row.proposal, row.cells))
    raise Http404


@api_view
def api_conflicts(request):
    since = _since(request)
    overviews = selectors.conflict_overviews(recent=0)
    if since is not None:
        overviews = [o for o in overviews if o.conflict.updated_at > since]
    return JsonResponse(
        {
            "items": [
                {
                    "slug": o.conflict.slug,
                    "name": o.conflict.name,
                    "summary": o.conflict.summary,
                    "started_on": _day(o.conflict.started_on),
                    "ended_on": _day(o.conflict.ended_on),
                    "places": o.conflict.places,
                    "sides": [
                        {
                            "side": side.name,
                            "parties": [
                                {**party_ref(p.party), "role": p.role} for p in side.participations
                            ],
                        }
                        for side in o.sides
                    ],
                    "updated_at": o.conflict.updated_at.isoformat(),
                }
                for o in overviews
            ]
        }
    )


def _day(value) -> str | None:
    return value.isoformat() if value else None


@api_view
def api_deletions(request):
    deletions = selectors.deletions_since(since=_since(request, "since"))
    return JsonResponse(
        {
            "items": [
                {"model": d.model, "id": d.object_id, "deleted_at": d.deleted_at.isoformat()}
                for d in deletions
            ]
        }
    )
