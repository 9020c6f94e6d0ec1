"""The API against its own OpenAPI document, and incremental sync."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from negotiations.models import Statement, Tombstone
from tests.selectors.data import event, many_items, stance, statement, world

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def document(analyst_client):
    response = analyst_client.get(reverse("negotiations:api_openapi"))
    assert response.status_code == 200
    return response.json()


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def check(client, document, url: str, *, template: str | None = None, status: int = 200, **kw):
    """GET url and validate the body against the schema the document gives that response."""
    response = client.get(url, **kw)
    assert response.status_code == status, response.content
    path = template or url.split("?")[0].removeprefix(API)
    operation = document["paths"][path]["get"]
    assert str(status) in operation["responses"], (path, status)
    pointer = _pointer("paths", path, "get", "responses", str(status), "content")
    pointer += "/application~1json/schema"
    registry = Registry().with_resource(
        "urn:api", Resource.from_contents(document, default_specification=DRAFT202012)
    )
    validator = Draft202012Validator({"$ref": f"urn:api#/{pointer}"}, registry=registry)
    errors = sorted(validator.iter_errors(response.json()), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    return response.json()


def test_every_route_under_the_api_is_in_the_document(document):
    from negotiations.urls import urlpatterns

    routes = {
        "/" + re.sub(r"<\w+:(\w+)>", r"{\1}", str(p.pattern).removeprefix("api/v1/"))
        for p in urlpatterns
        if str(p.pattern).startswith("api/v1/")
    }
    assert routes == set(document["paths"])
    assert document["openapi"].startswith("3.1")
    Draft202012Validator.check_schema({"$defs": document["components"]["schemas"]})
    # Both ways in, under the names clients know them by.
    assert set(document["components"]["securitySchemes"]) == {"session", "bearer"}
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for item in document["paths"].values():
        assert {"session": []} in item["get"]["security"]
        assert {"bearer": []} in item["get"]["security"]


def test_the_document_describes_the_parameters_the_page_takes(document):
    timeline = document["paths"]["/timeline"]["get"]
    names = {p["name"] for p in timeline["parameters"]}
    assert names >= {"conflict", "party", "proposal", "stance", "kind", "channel", "date_from"}
    assert names >= {"date_to", "q", "headlines", "sort", "cursor", "limit"}
    party = next(p for p in timeline["parameters"] if p["name"] == "party")
    assert party["schema"]["type"] == "array"
    limit = next(p for p in timeline["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 200 and limit["schema"]["minimum"] == 1


def test_responses_match_the_document(analyst_client, document, scenario):
    said = Statement.objects.filter(status="published").first()
    check(analyst_client, document, f"{API}/")
    check(analyst_client, document, f"{API}/timeline?party=russia&limit=2")
    check(analyst_client, document, f"{API}/timeline?q=energy")
    check(analyst_client, document, f"{API}/statements?limit=3")
    check(analyst_client, document, f"{API}/statements/{said.pk}", template="/statements/{id}")
    check(analyst_client, document, f"{API}/proposals")
    check(
        analyst_client,
        document,
        f"{API}/proposals/30-day-full-ceasefire",
        template="/proposals/{slug}",
    )
    check(analyst_client, document, f"{API}/parties")
    check(analyst_client, document, f"{API}/deletions")
    check(analyst_client, document, f"{API}/token")
    check(analyst_client, document, f"{API}/timeline?stance=maybe", status=400)
    check(analyst_client, document, f"{API}/timeline?cursor=bad", status=400)
    check(analyst_client, document, f"{API}/statements?limit=0", status=400)
    check(
        analyst_client,
        document,
        f"{API}/statements/999999",
        template="/statements/{id}",
        status=404,
    )
    check(analyst_client, document, f"{API}/statements?updated_since=yesterday", status=400)
    check(analyst_client, document, f"{API}/conflicts")
    check(analyst_client, document, f"{API}/proposals?conflict=russia-ukraine")
    check(analyst_client, document, f"{API}/proposals?conflict=narnia", status=400)
    check(
        analyst_client,
        document,
        f"{API}/proposals/narnia",
        template="/proposals/{slug}",
        status=404,
    )
    check(analyst_client, document, f"{API}/timeline?q=ceasefire&headlines=1")
    check(analyst_client, document, f"{API}/timeline?limit=100000000000000000000", status=400)
    check(analyst_client, document, f"{API}/timeline?date_to=9999-12-31", status=400)
    check(analyst_client, document, f"{API}/deletions?since=2025-03-18T00:00:00", status=400)


def test_refusals_match_the_document_too(document):
    from django.test import Client

    from tests.factories import UserFactory

    client = Client()  # the document's client is signed in; this one is not
    check(client, document, f"{API}/timeline", status=401)
    check(
        client,
        document,
        f"{API}/timeline",
        status=401,
        headers={"Authorization": "Bearer forged"},
    )
    client.force_login(UserFactory(username="nobody"))
    check(client, document, f"{API}/timeline", status=403)
    check(client, document, f"{API}/openapi.json", status=403)


def test_the_timeline_pages_by_cursor_with_the_page_filters(analyst_client, document):
    w = world()
    many_items(7, speaker=w.putin)
    statement(w.zelensky, 3)
    seen, url = [], f"{API}/timeline?party=russia&limit=3"
    while url:
        body = check(analyst_client, document, url, template="/timeline")
        seen += [(item["kind"], item["id"]) for item in body["items"]]
        url = body["next"]
    assert len(seen) == 7 and len(set(seen)) == 7


def test_incremental_sync_with_updated_since_and_deletions(analyst_client, document):
    w = world()
    kept = statement(w.putin, 1)
    withdrawn = statement(w.putin, 2)
    doomed = statement(w.putin, 3)
    happened = event(4)
    mark = timezone.now()
    Statement.objects.filter(pk=kept.pk).update(text="Corrected", updated_at=timezone.now())
    Statement.objects.filter(pk=withdrawn.pk).update(
        status=Statement.Status.REJECTED, updated_at=timezone.now()
    )
    doomed_pk, happened_pk = doomed.pk, happened.pk
    doomed.delete()
    happened.delete()
    since = mark.isoformat().replace("+00:00", "Z")

    changed = check(analyst_client, document, f"{API}/statements?updated_since={since}")
    assert [item["id"] for item in changed["items"]] == [kept.pk]
    assert changed["items"][0]["text"] == "Corrected"

    gone = check(analyst_client, document, f"{API}/deletions?since={since}")
    assert {(d["model"], d["id"]) for d in gone["items"]} == {
        ("negotiations.statement", str(withdrawn.pk)),
        ("negotiations.statement", str(doomed_pk)),
        ("negotiations.event", str(happened_pk)),
    }
    later = (timezone.now() + datetime.timedelta(seconds=1)).isoformat()
    assert (
        check(analyst_client, document, f"{API}/deletions?since={later.replace('+', '%2B')}")[
            "items"
        ]
        == []
    )
    assert Tombstone.objects.count() == 2


def test_the_proposals_carry_the_position_matrix(analyst_client, document):
    w = world()
    early = statement(w.putin, 1)
    stance(early, w.full, "rejects")
    later = statement(w.putin, 100)
    stance(later, w.full, "accepts")
    body = check(analyst_client, document, f"{API}/proposals")
    full = next(p for p in body["items"] if p["slug"] == "full-ceasefire")
    (cell,) = full["positions"]
    assert cell["party"]["slug"] == "russia" and cell["stance"] == "accepts"
    assert cell["member"]["slug"] == "putin"
    assert [h["stance"] for h in cell["history"]] == ["accepts", "rejects"]
    assert cell["statement"] == later.pk


# -- personal bearer tokens, for tools that cannot keep a session -------------------------


def test_a_signed_in_reader_gets_a_token_that_works_without_a_session(analyst_client):
    from django.test import Client

    from tests.factories import StatementFactory

    StatementFactory(text="Published words for a tool.")
    StatementFactory(text="Candidate words.", status="candidate")
    issued = analyst_client.get(reverse("negotiations:api_token"))
    assert issued.status_code == 200
    token = issued.json()["token"]

    tool = Client()  # no session, only the header
    response = tool.get(
        reverse("negotiations:api_timeline"), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    texts = [item.get("text") for item in response.json()["items"]]
    assert "Published words for a tool." in texts
    assert "Candidate words." not in texts
    assert "_auth_user_id" not in tool.session


def test_a_forged_or_revoked_bearer_token_is_a_401(client, analyst_user):
    from negotiations.reader_tokens import Purpose, token_for

    url = reverse("negotiations:api_timeline")
    token = token_for(analyst_user, purpose=Purpose.API)
    forged = client.get(url, headers={"Authorization": f"Bearer {token}x"})
    assert forged.status_code == 401
    assert forged.json()["detail"] == "Invalid or revoked token."

    analyst_user.set_password("another long passphrase")
    analyst_user.save()
    assert client.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_an_atom_token_does_not_open_the_api(client, analyst_user):
    from negotiations.reader_tokens import Purpose, token_for

    atom = token_for(analyst_user, purpose=Purpose.ATOM)
    response = client.get(
        reverse("negotiations:api_timeline"), headers={"Authorization": f"Bearer {atom}"}
    )
    assert response.status_code == 401


def test_a_token_is_not_issued_to_an_anonymous_visitor(client):
    assert client.get(reverse("negotiations:api_token")).status_code == 401
