"""A feed reader subscribes to a personal Atom address; it opens the feed and nothing else."""

import re
from html import unescape

import pytest
from django.urls import reverse

from negotiations.reader_tokens import Purpose, token_for
from tests.factories import PartyFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.django_db

ATOM = reverse("negotiations:export_atom")


@pytest.fixture
def published_and_candidate():
    speaker = PartyFactory(name="Kremlin")
    StatementFactory(speaker=speaker, text="We agree to the energy truce.")
    StatementFactory(speaker=speaker, text="Unreviewed words.", status="candidate")


def test_the_timeline_links_a_personal_atom_address_that_works_without_a_session(
    client, analyst_client, published_and_candidate
):
    page = analyst_client.get("/", {"q": "energy truce"}).content.decode()
    link = unescape(re.search(r'href="([^"]*feed\.atom[^"]*)"', page).group(1))
    assert "token=" in link and "q=energy+truce" in link

    response = client.get(link)  # a feed reader: no session
    assert response.status_code == 200
    body = response.content.decode()
    assert "We agree to the energy truce." in body
    assert "Unreviewed words." not in body


def test_without_a_token_an_anonymous_reader_is_sent_to_sign_in(client):
    response = client.get(ATOM)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_forged_token_is_refused(client, analyst_user):
    token = token_for(analyst_user, purpose=Purpose.ATOM)
    response = client.get(ATOM, {"token": token[:-2] + "xx"})
    assert response.status_code == 302


def test_changing_the_password_revokes_the_address(client, analyst_user):
    token = token_for(analyst_user, purpose=Purpose.ATOM)
    analyst_user.set_password("a new and different passphrase")
    analyst_user.save()
    assert client.get(ATOM, {"token": token}).status_code == 302


def test_a_deactivated_user_loses_the_feed(client, analyst_user):
    token = token_for(analyst_user, purpose=Purpose.ATOM)
    analyst_user.is_active = False
    analyst_user.save()
    assert client.get(ATOM, {"token": token}).status_code == 302


def test_a_token_grants_no_more_than_its_owner_may_read(client):
    outsider = UserFactory(username="outsider")  # signed-in users outside both groups: 403
    assert client.get(ATOM, {"token": token_for(outsider, purpose=Purpose.ATOM)}).status_code == 403


def test_a_token_opens_the_feed_only(client, analyst_user):
    token = token_for(analyst_user, purpose=Purpose.ATOM)
    assert client.get("/", {"token": token}).status_code == 302
    assert client.get(reverse("negotiations:export_csv"), {"token": token}).status_code == 302
    assert "_auth_user_id" not in client.session
