"""The admin's side of review: the waiting count, hand-entered statements, stale forms."""

import re

import pytest
from django.urls import reverse

from negotiations.models import Position, Statement
from negotiations.services.claims import claims_assign
from negotiations.services.sources import statement_source_fill
from negotiations.services.statements import statement_publish
from tests.admin.test_statement_admin import ADD_URL, statement_form
from tests.factories import ArticleFactory, PartyFactory, ProposalFactory, StatementFactory, editor
from tests.html import form_data
from tests.ingest.server import LocalServer, Route

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting():
    article = ArticleFactory()
    made = StatementFactory(status="candidate", article=article, source_url="", extractor="rules-2")
    claims_assign(article=article)
    made.refresh_from_db()
    return made


def test_the_admin_says_how_many_claims_wait_and_links_the_workbench(editor_client, waiting):
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "<strong>1 claim</strong> waits for review" in page
    assert 'href="/review/"' in page
    assert "Review workbench: 1 claim waiting" in page  # in the header of every admin page
    other = editor_client.get(reverse("admin:negotiations_party_changelist")).content.decode()
    assert "Review workbench: 1 claim waiting" in other


def view_on_site(client, url: str) -> str:
    return re.search(r'href="([^"]+)" class="viewsitelink"', client.get(url).text).group(1)


def test_view_on_site_opens_a_candidate_in_the_workbench_and_a_statement_at_its_permalink(
    editor_client, waiting
):
    url = reverse("admin:negotiations_candidatestatement_change", args=[waiting.pk])
    assert view_on_site(editor_client, url).endswith(f"/review/?claim={waiting.claim_id}")
    published = StatementFactory()
    url = reverse("admin:negotiations_statement_change", args=[published.pk])
    assert view_on_site(editor_client, url).endswith(f"/statements/{published.pk}/")


def test_the_add_form_asks_nothing_of_the_extractor_and_states_utc(editor_client):
    page = editor_client.get(ADD_URL).content.decode()
    for extractor_field in ("status", "confidence", "extraction", "span_start", "span_end"):
        assert f'name="{extractor_field}"' not in page, extractor_field
    assert 'name="article"' not in page  # the source is given by URL
    assert page.count('class="timezone-note">UTC</span>') >= 2  # when, and each stance's as-of
    assert "Blank: the speaker's state or bloc" in page


@pytest.fixture
def page_server(settings):
    """A local web page server that the fetcher is allowed to reach."""
    with LocalServer() as server:
        settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{server.port}"]
        yield server


def test_a_hand_entered_statement_speaks_for_the_state_and_the_worker_fills_its_source(
    editor_client, editor_user, django_capture_on_commit_callbacks, monkeypatch, page_server
):
    state = PartyFactory(slug="ukraine", name="Ukraine")
    speaker = PartyFactory(slug="zelensky", name="Volodymyr Zelensky", kind="person", parent=state)
    proposal = ProposalFactory(slug="ceasefire", name="30-day full ceasefire")
    server = page_server
    server.routes["/zelensky"] = Route(
        b"<html><head><title>Zelensky accepts the truce</title>"
        b'<meta property="og:site_name" content="Kyiv Daily"></head><body><article><p>'
        + b"Zelensky said Ukraine accepts the ceasefire. " * 20
        + b"</p></article></body></html>",
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    enqueued = []
    monkeypatch.setattr(
        "negotiations.tasks.fill_statement_source.delay", lambda pk: enqueued.append(pk)
    )
    data = statement_form(
        speaker,
        proposal,
        source_url=server.url("/zelensky"),
        source_outlet="",
        source_title="",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(ADD_URL, data, follow=True)
    statement = Statement.objects.get()
    assert statement.on_behalf_of == state
    assert Position.objects.get().party == state
    assert (statement.status, statement.extractor, statement.reviewed_by) == (
        "published",
        "manual",
        editor_user,
    )
    assert "Recorded: Ukraine — accepts — 30-day full ceasefire, 18 Mar 2025, 1 source" in (
        response.content.decode()
    )
    assert enqueued == [statement.pk]
    assert statement_source_fill(statement_id=statement.pk)
    statement.refresh_from_db()
    assert (statement.source_outlet, statement.source_title) == (
        "Kyiv Daily",
        "Zelensky accepts the truce",
    )
    # What an editor typed is never overwritten.
    Statement.objects.filter(pk=statement.pk).update(source_title="The editor's title")
    assert not statement_source_fill(statement_id=statement.pk)


def change_form(client, statement) -> tuple[str, dict]:
    """A change form's address and what a browser would submit from it, as it stands."""
    name = "candidatestatement" if statement.status == "candidate" else "statement"
    url = reverse(f"admin:negotiations_{name}_change", args=[statement.pk])
    return url, form_data(client.get(url), f"{name}_form")


def test_two_editors_saving_one_statement_get_a_conflict_not_an_overwrite(client, editor_client):
    statement = StatementFactory(text="As first written.")
    client.force_login(editor(username="second"))
    url, first = change_form(editor_client, statement)
    _, second = change_form(client, statement)
    first["text"] = "The first editor's words."
    assert editor_client.post(url, first).status_code == 302
    second["text"] = "The second editor's words."
    response = client.post(url, second)
    assert response.status_code == 200
    assert "Another editor saved this statement after you opened it" in response.text
    statement.refresh_from_db()
    assert statement.text == "The first editor's words."


def test_a_stale_form_cannot_unpublish_a_statement(editor_client, editor_user, waiting):
    url, stale = change_form(editor_client, waiting)
    assert stale["status"] == "candidate"
    statement_publish(statement=waiting, reviewer=editor_user)
    response = editor_client.post(url.replace("candidatestatement", "statement"), stale)
    assert "Another editor saved this statement after you opened it" in response.text
    waiting.refresh_from_db()
    assert waiting.status == "published"
