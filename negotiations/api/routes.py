"""The read-only JSON API under /api/v1/, on django-ninja.

Parameters, responses and both security schemes are declared here and in schemas.py; the
OpenAPI document at /api/v1/openapi.json is generated from those same declarations.
"""

import datetime
from typing import Annotated

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from ninja import NinjaAPI, Query
from ninja import Schema as QuerySchema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer
from pydantic import BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from .. import selectors
from ..access import can_read
from ..caching import conditional_operation as api_conditional
from ..filters import KIND_CHOICES, MAX_QUERY_LENGTH, parse_limit, parse_moment
from ..models import Channel, Conflict, Participation, Stance
from ..models import Party as PartyModel
from ..models import Proposal as ProposalModel
from ..reader_tokens import Purpose, token_for, token_max_age, user_from_token
from . import schemas

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class InvalidToken(Exception):
    """A bearer token that is forged, stale or revoked."""


class NotAllowed(Exception):
    """Signed in, without the permission to read."""


class BadRequest(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def _reader(request, user):
    if not can_read(user):
        raise NotAllowed
    return user


class SessionAuth(APIKeyCookie):
    """The session cookie of a signed-in reader, as the pages use. Read-only GETs, so no
    CSRF token is asked for."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=False)

    def authenticate(self, request, key):
        if request.user.is_authenticated:
            return _reader(request, request.user)
        return None


class BearerAuth(HttpBearer):
    """The personal token from /token, for tools that cannot keep a session."""

    def authenticate(self, request, token):
        user = user_from_token(token.strip(), purpose=Purpose.API)
        if user is None:
            raise InvalidToken
        request.user = user
        return _reader(request, user)


def public_read(request):
    """With CEASEFIRE_PUBLIC_READ, anyone reads (not a security scheme of its own)."""
    if settings.PUBLIC_READ and not request.headers.get("Authorization"):
        return request.user
    return None


api = NinjaAPI(
    title="Ceasefire Tracker API",
    version="1",
    description="Read-only. Only published statements appear. Authenticate with the session "
    "cookie of a signed-in reader, or with the personal token from /token as "
    "`Authorization: Bearer <token>`.",
    auth=[BearerAuth(), SessionAuth(), public_read],
    urls_namespace="negotiations",
    openapi_url=None,
    docs_url=None,
)

ERRORS = {401: schemas.Error, 403: schemas.Error}


def _error(request, status: int, detail: str, errors: dict | None = None):
    body = {"detail": detail, **({"errors": errors} if errors else {})}
    return api.create_response(request, body, status=status)


@api.exception_handler(InvalidToken)
def _invalid_token(request, exc):
    return _error(request, 401, "Invalid or revoked token.")


@api.exception_handler(AuthenticationError)
def _anonymous(request, exc):
    return _error(request, 401, "Sign in to read the API.")


@api.exception_handler(NotAllowed)
def _not_allowed(request, exc):
    return _error(request, 403, "You may not read this.")


@api.exception_handler(BadRequest)
def _bad_request(request, exc):
    return _error(request, 400, "Invalid request.", exc.errors)


@api.exception_handler(selectors.InvalidCursor)
def _bad_cursor(request, exc):
    return _error(request, 400, "Invalid request.", {"cursor": [str(exc)]})


@api.exception_handler(ValidationError)
def _invalid_parameters(request, exc):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        name = str(error.get("loc", ["", "?"])[-1])
        errors.setdefault(name, []).append(error.get("msg", "Invalid value."))
    return _error(request, 400, "Invalid request.", errors)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return _error(request, exc.status_code, str(exc.message))


# -- parameters ----------------------------------------------------------------------------


def _parsed_by(parse, **options):
    """A validator from one of the shared parsers (filters.py), its message kept as is:
    the pages, the exports and the API refuse the same input with the same words."""

    def validate(raw):
        if not isinstance(raw, str):
            return raw
        try:
            return parse(raw, **options)
        except ValueError as exc:
            raise PydanticCustomError("invalid", str(exc)) from None

    return BeforeValidator(validate)


# The document describes them as the types they are; the shared parsers read them.
Limit = Annotated[
    int,
    _parsed_by(parse_limit, default=DEFAULT_LIMIT, maximum=MAX_LIMIT),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}),
]
MomentParam = Annotated[
    datetime.datetime | None,
    _parsed_by(parse_moment),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class Paging(QuerySchema):
    cursor: str | None = Field(None, description="next_cursor from the previous page.")
    limit: Limit = Field(DEFAULT_LIMIT, description="Items per page.")


class TimelineParams(Paging):
    conflict: list[str] = Field([], description="Conflict slug. Repeat for several.")
    party: list[str] = Field([], description="Party slug; includes its members. Repeat.")
    proposal: list[str] = Field([], description="Proposal slug. Repeat for several.")
    stance: list[Stance] = Field([], description="Stance on a proposal.")
    kind: list[str] = Field(
        [],
        description="statement or event.",
        json_schema_extra={"items": {"enum": [k for k, _ in KIND_CHOICES]}},
    )
    channel: list[Channel] = Field([], description="Statement channel.")
    date_from: datetime.date | None = Field(None, description="First day, inclusive.")
    date_to: datetime.date | None = Field(None, description="Last day, inclusive.")
    q: str = Field(
        "",
        max_length=MAX_QUERY_LENGTH,
        description='Web-search syntax: "energy truce" -Kursk, or OR. Searches what was said.',
    )
    headlines: bool = Field(False, description="With q: search the sources' headlines too.")
    sort: str = Field(
        "",
        description="Empty: by relevance when q is given. newest: newest first.",
        json_schema_extra={"enum": ["", "newest"]},
    )


class Since(QuerySchema):
    updated_since: MomentParam = Field(
        None, description="Only what changed after this moment (ISO 8601 with a zone)."
    )


class SyncParams(Since, Paging):
    pass


class ConflictFilter(Since):
    conflict: list[str] = Field([], description="Conflict slug. Repeat for several.")


class DeletionParams(QuerySchema):
    since: MomentParam = Field(
        None, description="Only deletions after this (ISO 8601 with a zone)."
    )


def _next_url(request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params = request.GET.copy()
    params["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


# -- endpoints -----------------------------------------------------------------------------

INDEX = ["timeline", "conflicts", "proposals", "statements", "parties", "deletions", "openapi"]


@api.get("", response={200: schemas.Index, **ERRORS}, url_name="api_root", summary="Links")
def api_root(request):
    """Links to the endpoints."""
    links = {name: reverse(f"negotiations:api_{name}") for name in INDEX + ["token"]}
    return {name: request.build_absolute_uri(url) for name, url in links.items()}


@api.get(
    "openapi.json",
    response={200: schemas.OpenAPIDocument, **ERRORS},
    url_name="api_openapi",
    summary="This document",
)
@api_conditional
def api_openapi(request):
    """This document, generated from the schema classes that serialise the responses."""
    document = dict(api.get_openapi_schema(path_prefix=""))
    document["servers"] = [
        {"url": request.build_absolute_uri(reverse("negotiations:api_root")).rstrip("/")}
    ]
    components = dict(document["components"])
    # Each scheme under the name the API has always used for it.
    components["securitySchemes"] = {
        "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
        "bearer": {"type": "http", "scheme": "bearer"},
    }
    document["components"] = components
    renamed = {"SessionAuth": "session", "BearerAuth": "bearer"}
    for item in document["paths"].values():
        for operation in item.values():
            operation["security"] = [
                {renamed.get(name, name): scopes}
                for requirement in operation.get("security", [])
                for name, scopes in requirement.items()
            ]
    document["security"] = [{"session": []}, {"bearer": []}]
    return document


@api.get("token", response={200: schemas.Token, **ERRORS}, url_name="api_token")
def api_token(request):
    """Your personal bearer token for this API (changing your password revokes it)."""
    if not request.user.is_authenticated:
        raise AuthenticationError
    token = token_for(request.user, purpose=Purpose.API)
    return {
        "token": token,
        "header": f"Authorization: Bearer {token}",
        "revoked_by": "changing your password",
        "expires_at": timezone.now() + token_max_age(),
    }


@api.get(
    "timeline",
    response={200: schemas.TimelinePage, 400: schemas.Error, **ERRORS},
    url_name="api_timeline",
)
@api_conditional
def api_timeline(request, params: Query[TimelineParams]):
    """Published statements and events, newest first (or by relevance for q), with the
    timeline page's filters and cursor pagination."""
    choices = selectors.filter_choices()
    form = choices.form(request.GET)
    if not form.is_valid():
        raise BadRequest(form.error_summary())
    page = selectors.timeline_page(
        filters=form.filters(), cursor=params.cursor, limit=params.limit, choices=choices
    )
    return schemas.TimelinePage(
        items=[schemas.item_shape(item, request=request) for item in page.items],
        next_cursor=page.next_cursor,
        next=_next_url(request, page.next_cursor),
    )


@api.get(
    "statements",
    response={200: schemas.StatementPage, 400: schemas.Error, **ERRORS},
    url_name="api_statements",
)
@api_conditional
def api_statements(request, params: Query[SyncParams]):
    """Published statements by last change, oldest change first, for incremental sync."""
    batch = selectors.statements_updated(
        since=params.updated_since,
        cursor=params.cursor,
        limit=params.limit,
    )
    return schemas.StatementPage(
        items=[
            schemas.item_shape(selectors.TimelineItem(selectors.STATEMENT, s), request=request)
            for s in batch.statements
        ],
        next_cursor=batch.next_cursor,
        next=_next_url(request, batch.next_cursor),
    )


@api.get(
    "statements/{int:id}",
    response={200: schemas.Statement, 404: schemas.Error, **ERRORS},
    url_name="api_statement_detail",
)
@api_conditional
def api_statement_detail(request, id: int):
    """One published statement."""
    statement = selectors.statement_get(pk=id)
    if statement is None:
        raise HttpError(404, "Not found.")
    return schemas.item_shape(
        selectors.TimelineItem(selectors.STATEMENT, statement), request=request
    )


@api.get(
    "parties",
    response={200: schemas.PartyList, 400: schemas.Error, **ERRORS},
    url_name="api_parties",
)
@api_conditional
def api_parties(request, params: Query[Since]):
    """Parties."""
    parties = PartyModel.objects.select_related("parent").order_by("name")
    since = params.updated_since
    if since is not None:
        parties = parties.filter(updated_at__gt=since)
    return {
        "items": [
            {
                "slug": p.slug,
                "name": p.name,
                "kind": p.kind,
                "title": p.title,
                "parent": p.parent.slug if p.parent else None,
                "aliases": p.aliases,
                "description": p.description,
                "updated_at": p.updated_at,
            }
            for p in parties
        ]
    }


def _proposal(proposal: ProposalModel, cells: list) -> dict:
    return {
        "conflict": schemas.ConflictRef.of(proposal.conflict),
        "slug": proposal.slug,
        "name": proposal.name,
        "kind": proposal.kind,
        "scope": proposal.scope,
        "duration_days": proposal.duration_days,
        "proposed_by": schemas.PartyRef.of(proposal.proposed_by),
        "proposed_on": proposal.proposed_on,
        "parent": proposal.parent.slug if proposal.parent_id else None,
        "description": proposal.description,
        "updated_at": proposal.updated_at,
        "positions": [
            {
                "party": schemas.PartyRef.of(cell.column),
                "member": schemas.PartyRef.of(cell.member),
                "stance": cell.current.stance,
                "as_of": cell.current.as_of,
                "statement": cell.current.statement_id,
                "history": [
                    {
                        "stance": p.stance,
                        "as_of": p.as_of,
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


def _matrix_rows(conflicts: list[Conflict] | None = None) -> list:
    found = []
    for conflict in conflicts or [None]:
        for _, matrix in selectors.position_matrices(conflict=conflict):
            found += matrix.rows
    return found


@api.get(
    "proposals",
    response={200: schemas.ProposalList, 400: schemas.Error, **ERRORS},
    url_name="api_proposals",
)
@api_conditional
def api_proposals(request, params: Query[ConflictFilter]):
    """Proposals with each party's current stance and its history."""
    conflicts = None
    if params.conflict:
        conflicts = list(Conflict.objects.filter(slug__in=params.conflict))
        unknown = set(params.conflict) - {c.slug for c in conflicts}
        if unknown:
            raise BadRequest(
                {"conflict": [f"No conflict {slug!r}; see /api/v1/conflicts." for slug in unknown]}
            )
    rows = _matrix_rows(conflicts)
    since = params.updated_since
    if since is not None:
        changed = set(
            ProposalModel.objects.filter(
                Q(updated_at__gt=since) | Q(positions__updated_at__gt=since)
            ).values_list("pk", flat=True)
        )
        rows = [row for row in rows if row.proposal.pk in changed]
    return {"items": [_proposal(row.proposal, row.cells) for row in rows]}


@api.get(
    "proposals/{slug:slug}",
    response={200: schemas.Proposal, 404: schemas.Error, **ERRORS},
    url_name="api_proposal_detail",
)
@api_conditional
def api_proposal_detail(request, slug: str):
    """One proposal with its position matrix row."""
    proposal = ProposalModel.objects.filter(slug=slug).select_related("conflict").first()
    if proposal is not None:
        for row in _matrix_rows([proposal.conflict]):
            if row.proposal.pk == proposal.pk:
                return _proposal(row.proposal, row.cells)
    raise HttpError(404, "Not found.")


@api.get(
    "conflicts",
    response={200: schemas.ConflictList, 400: schemas.Error, **ERRORS},
    url_name="api_conflicts",
)
@api_conditional
def api_conflicts(request, params: Query[Since]):
    """Conflicts (peace processes), with their dates, places and sides."""
    since = params.updated_since
    overviews = selectors.conflict_overviews(recent=0)
    if since is not None:
        overviews = [o for o in overviews if o.conflict.updated_at > since]
    return {
        "items": [
            {
                "slug": o.conflict.slug,
                "name": o.conflict.name,
                "summary": o.conflict.summary,
                "started_on": o.conflict.started_on,
                "ended_on": o.conflict.ended_on,
                "places": o.conflict.places,
                "sides": [
                    {
                        "side": side.name,
                        "parties": [_participant(p) for p in side.participations],
                    }
                    for side in o.sides
                ],
                "updated_at": o.conflict.updated_at,
            }
            for o in overviews
        ]
    }


def _participant(participation: Participation) -> dict:
    return {
        "slug": participation.party.slug,
        "name": participation.party.name,
        "role": participation.role,
    }


@api.get(
    "deletions",
    response={200: schemas.DeletionList, 400: schemas.Error, **ERRORS},
    url_name="api_deletions",
)
@api_conditional
def api_deletions(request, params: Query[DeletionParams]):
    """What was deleted or withdrawn from publication, for incremental sync."""
    deletions = selectors.deletions_since(since=params.since)
    return {
        "items": [
            {"model": d.model, "id": d.object_id, "deleted_at": d.deleted_at} for d in deletions
        ]
    }
