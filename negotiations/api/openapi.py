"""The OpenAPI 3.1 document for /api/v1/, written by hand.

Hand-written because the API is small, plain Django views (no framework to introspect),
and the document is the contract: tests validate every response against these schemas.
OpenAPI 3.1 schemas are JSON Schema 2020-12, so a stock JSON Schema validator checks them.
"""

from django.urls import reverse

from ..filters import KIND_CHOICES
from ..models import Channel, Stance
from ..models.conflicts import ParticipationRole
from ..models.proposals import ConditionCategory, ConditionStatus, ProposalKind
from ..models.statements import EventKind


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict, *, optional: tuple[str, ...] = ()) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


STRING = {"type": "string"}
MOMENT = {"type": "string", "format": "date-time"}
URL = {"type": "string"}


def _enum(choices) -> dict:
    return {"type": "string", "enum": list(choices.values)}


ITEM_COMMON = {
    "id": {"type": "integer"},
    "conflict": _ref("ConflictRef"),
    "occurred_at": MOMENT,
    "updated_at": MOMENT,
    "source": _ref("Source"),
    "permalink": URL,
}

SCHEMAS = {
    "PartyRef": _object({"slug": STRING, "name": STRING}),
    "ProposalRef": _object({"slug": STRING, "name": STRING}),
    "ConflictRef": _object({"slug": STRING, "name": STRING}),
    "Participant": _object({"slug": STRING, "name": STRING, "role": _enum(ParticipationRole)}),
    "Side": _object({"side": STRING, "parties": {"type": "array", "items": _ref("Participant")}}),
    "Conflict": _object(
        {
            "slug": STRING,
            "name": STRING,
            "summary": STRING,
            "started_on": _nullable({"type": "string", "format": "date"}),
            "ended_on": _nullable({"type": "string", "format": "date"}),
            "places": {"type": "array", "items": STRING},
            "sides": {"type": "array", "items": _ref("Side")},
            "updated_at": MOMENT,
        }
    ),
    "ConflictList": _object({"items": {"type": "array", "items": _ref("Conflict")}}),
    "Source": _object({"outlet": STRING, "title": STRING, "url": URL}),
    "StatementSource": _object(
        {"outlet": STRING, "title": STRING, "url": URL, "primary": {"type": "boolean"}}
    ),
    "Position": _object(
        {
            "proposal": STRING,
            "proposal_name": STRING,
            "stance": _enum(Stance),
            "as_of": MOMENT,
        }
    ),
    "Condition": _object(
        {
            "proposal": STRING,
            "category": _enum(ConditionCategory),
            "summary": STRING,
            "status": _enum(ConditionStatus),
        }
    ),
    "Statement": _object(
        {
            "kind": {"const": "statement"},
            **ITEM_COMMON,
            "speaker": _ref("PartyRef"),
            "on_behalf_of": _nullable(_ref("PartyRef")),
            "channel": _enum(Channel),
            "text": STRING,
            "verbatim": {"type": "boolean"},
            # Every outlet's report of it, the primary source first; `outlets` counts them.
            "sources": {"type": "array", "items": _ref("StatementSource"), "minItems": 1},
            "outlets": {"type": "integer", "minimum": 1},
            "positions": {"type": "array", "items": _ref("Position")},
            "conditions": {"type": "array", "items": _ref("Condition")},
        }
    ),
    "Event": _object(
        {
            "kind": {"const": "event"},
            **ITEM_COMMON,
            "event_kind": _enum(EventKind),
            "title": STRING,
            "description": STRING,
            "parties": {"type": "array", "items": _ref("PartyRef")},
            "proposals": {"type": "array", "items": _ref("ProposalRef")},
            "positions": {"type": "array", "maxItems": 0},
            "conditions": {"type": "array", "maxItems": 0},
        }
    ),
    "TimelineItem": {"oneOf": [_ref("Statement"), _ref("Event")]},
    "TimelinePage": _object(
        {
            "items": {"type": "array", "items": _ref("TimelineItem")},
            "next_cursor": _nullable(STRING),
            "next": _nullable(URL),
        }
    ),
    "StatementPage": _object(
        {
            "items": {"type": "array", "items": _ref("Statement")},
            "next_cursor": _nullable(STRING),
            "next": _nullable(URL),
        }
    ),
    "Party": _object(
        {
            "slug": STRING,
            "name": STRING,
            "kind": STRING,
            "title": STRING,
            "parent": _nullable(STRING),
            "aliases": {"type": "array", "items": STRING},
            "description": STRING,
            "updated_at": MOMENT,
        }
    ),
    "PartyList": _object({"items": {"type": "array", "items": _ref("Party")}}),
    "StanceRecord": _object(
        {
            "stance": _enum(Stance),
            "as_of": MOMENT,
            "statement": _nullable({"type": "integer"}),
            "party": STRING,
        }
    ),
    "MatrixCell": _object(
        {
            # The column: a government's or a person's stance rolls up into its state or
            # bloc, and `member` names who took the current one (null: the party itself).
            "party": _ref("PartyRef"),
            "member": _nullable(_ref("PartyRef")),
            "stance": _enum(Stance),
            "as_of": MOMENT,
            "statement": _nullable({"type": "integer"}),
            "history": {"type": "array", "items": _ref("StanceRecord"), "minItems": 1},
        }
    ),
    "Proposal": _object(
        {
            "conflict": _ref("ConflictRef"),
            "slug": STRING,
            "name": STRING,
            "kind": _enum(ProposalKind),
            "scope": STRING,
            "duration_days": _nullable({"type": "integer"}),
            "proposed_by": _nullable(_ref("PartyRef")),
            "proposed_on": _nullable({"type": "string", "format": "date"}),
            "parent": _nullable(STRING),
            "description": STRING,
            "updated_at": MOMENT,
            "positions": {"type": "array", "items": _ref("MatrixCell")},
        }
    ),
    "ProposalList": _object({"items": {"type": "array", "items": _ref("Proposal")}}),
    "Deletion": _object({"model": STRING, "id": STRING, "deleted_at": MOMENT}),
    "DeletionList": _object({"items": {"type": "array", "items": _ref("Deletion")}}),
    "Error": _object(
        {
            "detail": STRING,
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": STRING},
            },
        },
        optional=("errors",),
    ),
    "Index": {"type": "object", "additionalProperties": URL},
    "Token": _object(
        {"token": STRING, "header": STRING, "revoked_by": STRING, "expires_at": MOMENT}
    ),
    "OpenAPI": {"type": "object", "required": ["openapi", "paths"]},
}


def _query(name: str, description: str, schema: dict | None = None, *, many=False) -> dict:
    schema = schema or STRING
    if many:
        schema = {"type": "array", "items": schema}
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        **({"style": "form", "explode": True} if many else {}),
    }


CONFLICT = _query("conflict", "Conflict slug. Repeat for several.", many=True)
FILTER_PARAMETERS = [
    CONFLICT,
    _query("party", "Party slug; includes its members. Repeat for several.", many=True),
    _query("proposal", "Proposal slug. Repeat for several.", many=True),
    _query("stance", "Stance on a proposal.", _enum(Stance), many=True),
    _query("kind", "statement or event.", {"enum": [k for k, _ in KIND_CHOICES]}, many=True),
    _query("channel", "Statement channel.", _enum(Channel), many=True),
    _query("date_from", "First day, inclusive.", {"type": "string", "format": "date"}),
    _query("date_to", "Last day, inclusive.", {"type": "string", "format": "date"}),
    _query("q", 'Web-search syntax: "energy truce" -Kursk, or OR.'),
    _query(
        "sort",
        "Empty: by relevance when q is given. newest: newest first.",
        {"enum": ["", "newest"]},
    ),
]
PAGING = [
    _query("cursor", "next_cursor from the previous page."),
    _query("limit", "Items per page.", {"type": "integer", "minimum": 1, "maximum": 200}),
]
SINCE = _query("updated_since", "Only what changed after this moment.", MOMENT)


def _json(schema_name: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref(schema_name)}},
    }


ERRORS = {
    "401": _json("Error", "Not signed in, or the bearer token is invalid or revoked."),
    "403": _json("Error", "Signed in without read permission."),
}


def _get(summary: str, schema: str, parameters=(), *, bad_request=False, not_found=False):
    responses = {"200": _json(schema, summary), **ERRORS}
    if bad_request:
        responses["400"] = _json("Error", "A parameter is invalid.")
    if not_found:
        responses["404"] = _json("Error", "No such published item.")
    return {"get": {"summary": summary, "parameters": list(parameters), "responses": responses}}


def _path_param(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def openapi_document(request) -> dict:
    base = reverse("negotiations:api_root")
    paths = {
        "": _get("Links to the endpoints.", "Index"),
        "openapi.json": _get("This document.", "OpenAPI"),
        "timeline": _get(
            "Published statements and events, newest first (or by relevance for q).",
            "TimelinePage",
            FILTER_PARAMETERS + PAGING,
            bad_request=True,
        ),
        "statements": _get(
            "Published statements by last change, for incremental sync.",
            "StatementPage",
            [SINCE, *PAGING],
            bad_request=True,
        ),
        "statements/{id}": _get(
            "One published statement.",
            "Statement",
            [_path_param("id", {"type": "integer"})],
            not_found=True,
        ),
        "proposals": _get(
            "Proposals with each party's current stance and its history.",
            "ProposalList",
            [CONFLICT, SINCE],
            bad_request=True,
        ),
        "proposals/{slug}": _get(
            "One proposal with its position matrix row.",
            "Proposal",
            [_path_param("slug", STRING)],
            not_found=True,
        ),
        "conflicts": _get(
            "Conflicts (peace processes), with their dates, places and sides.",
            "ConflictList",
            [SINCE],
            bad_request=True,
        ),
        "parties": _get("Parties.", "PartyList", [SINCE], bad_request=True),
        "deletions": _get(
            "What was deleted or withdrawn from publication, for incremental sync.",
            "DeletionList",
            [_query("since", "Only deletions after this moment.", MOMENT)],
            bad_request=True,
        ),
        "token": _get(
            "Your personal bearer token for this API (changing your password revokes it).",
            "Token",
        ),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ceasefire Tracker API",
            "version": "1",
            "description": "Read-only. Only published statements appear. Authenticate "
            "with the session cookie of a signed-in reader, or with the personal token "
            "from /token as `Authorization: Bearer <token>`.",
        },
        "servers": [{"url": request.build_absolute_uri(base).rstrip("/")}],
        "paths": {f"/{path}": item for path, item in paths.items()},
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
                "bearer": {"type": "http", "scheme": "bearer"},
            },
        },
        "security": [{"session": []}, {"bearer": []}],
    }
