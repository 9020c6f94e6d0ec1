"""The permission ladder on every page, fragment, export and API endpoint."""

import pytest
from django.urls import reverse

from tests import factories
from tests.selectors.data import event, statement, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls():
    w = world()
    said = statement(w.putin, 1)
    happened = event(2)
    return [
        reverse("negotiations:timeline"),
        reverse("negotiations:timeline") + "?party=russia",
        reverse("negotiations:proposal_list"),
        reverse("negotiations:conflict_list"),
        reverse("negotiations:conflict_detail", kwargs={"slug": w.full.conflict.slug}),
        reverse("negotiations:timeline") + f"?conflict={w.full.conflict.slug}",
        reverse("negotiations:proposal_detail", kwargs={"slug": w.full.slug}),
        reverse("negotiations:party_detail", kwargs={"slug": w.russia.slug}),
        reverse("negotiations:statement_detail", kwargs={"pk": said.pk}),
        reverse("negotiations:event_detail", kwargs={"pk": happened.pk}),
        reverse("negotiations:export_csv"),
        reverse("negotiations:export_json"),
        reverse("negotiations:export_timelinejs"),
        reverse("negotiations:export_atom"),
    ]


@pytest.fixture
def api_urls():
    w = world()
    said = statement(w.putin, 1)
    return [
        reverse("negotiations:api_root"),
        reverse("negotiations:api_openapi"),
        reverse("negotiations:api_timeline"),
        reverse("negotiations:api_statements"),
        reverse("negotiations:api_statement_detail", kwargs={"pk": said.pk}),
        reverse("negotiations:api_proposals"),
        reverse("negotiations:api_proposal_detail", kwargs={"slug": w.full.slug}),
        reverse("negotiations:api_parties"),
        reverse("negotiations:api_conflicts"),
        reverse("negotiations:api_deletions"),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_an_anonymous_fragment_request_redirects_the_whole_page(client, urls):
    response = client.get(urls[1], headers={"HX-Request": "true", "HX-Target": "results"})
    assert response.headers["HX-Redirect"].startswith(reverse("login"))


def test_signed_in_without_the_read_permission_is_forbidden(client, urls, api_urls):
    client.force_login(factories.UserFactory(username="nobody"))
    for url in urls + api_urls:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", [factories.analyst, factories.editor])
def test_analysts_and_editors_read_everything(client, urls, api_urls, role):
    client.force_login(role(username="reader"))
    for url in urls + api_urls:
        assert client.get(url).status_code == 200, url


def test_the_api_answers_anonymous_callers_with_401_json(client, api_urls):
    for url in api_urls:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.json()["detail"]


def test_public_read_opens_every_page_and_endpoint(client, urls, api_urls, settings):
    settings.PUBLIC_READ = True
    for url in urls + api_urls:
        assert client.get(url).status_code == 200, url


def test_pages_are_read_only(analyst_client, urls, api_urls):
    for url in urls + api_urls:
        assert analyst_client.post(url).status_code == 405, url
