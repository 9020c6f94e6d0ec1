import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import editor

pytestmark = pytest.mark.django_db


def test_repeated_failed_sign_ins_are_throttled(client):
    editor(username="ed")
    login = reverse("admin:login")
    for _ in range(5):
        client.post(login, {"username": "ed", "password": "wrong"})
    # Even the right password is refused while the lockout lasts.
    response = client.post(login, {"username": "ed", "password": "correct horse battery staple"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_right_password_signs_in(client):
    editor(username="ed")
    response = client.post(
        reverse("admin:login"),
        {"username": "ed", "password": "correct horse battery staple", "next": "/admin/"},
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_admin_forms_are_csrf_protected(editor_user):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor_user)
    response = strict.post(reverse("admin:negotiations_party_add"), {"name": "X"})
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
