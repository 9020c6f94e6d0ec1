"""What a signed-in reader gets is theirs: private to caches, tokens that expire, and a
way back in when the password is forgotten."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from negotiations.reader_tokens import Purpose, token_for
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/", "/proposals/", "/export.csv", "/api/v1/timeline", "/api/v1/token"]
)
def test_responses_for_a_signed_in_reader_are_private(analyst_client, url):
    response = analyst_client.get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("purpose", [Purpose.ATOM, Purpose.API])
def test_responses_opened_by_a_token_are_private(client, analyst_user, purpose):
    token = token_for(analyst_user, purpose=purpose)
    if purpose == Purpose.ATOM:
        response = client.get(f"{reverse('negotiations:export_atom')}?token={token}")
    else:
        response = client.get(
            reverse("negotiations:api_timeline"), headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_public_pages_stay_cacheable_for_anonymous_readers(client, settings):
    settings.CEASEFIRE_PUBLIC_READ = True
    settings.PUBLIC_READ = True
    response = client.get("/")
    assert "private" not in response.get("Cache-Control", "")


def test_tokens_expire(client, analyst_user, settings, monkeypatch):
    settings.READER_TOKEN_MAX_AGE_DAYS = 90
    token = token_for(analyst_user, purpose=Purpose.API)
    url = reverse("negotiations:api_timeline")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(url, headers=headers).status_code == 200

    import time as time_module

    later = time_module.time() + datetime.timedelta(days=91).total_seconds()
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert client.get(url, headers=headers).status_code == 401


def test_the_token_says_when_it_expires(analyst_client):
    body = analyst_client.get(reverse("negotiations:api_token")).json()
    expires = datetime.datetime.fromisoformat(body["expires_at"])
    assert datetime.timedelta(days=89) < expires - datetime.datetime.now(datetime.UTC)


def test_a_forgotten_password_is_reset_by_e_mail(analyst_user):
    StatementFactory()
    analyst_user.email = "ana@example.org"
    analyst_user.save()
    client = Client()
    login = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login

    client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert mail.outbox == []  # an unknown address gets the same page and no mail
    response = client.post(reverse("password_reset"), {"email": "ana@example.org"})
    assert response.status_code == 302
    (message,) = mail.outbox
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", message.body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session entry
    new = "a new long passphrase for ana"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    signed_in = Client().post(
        reverse("login"), {"username": analyst_user.username, "password": new}
    )
    assert signed_in.status_code == 302 and signed_in.url == "/"
