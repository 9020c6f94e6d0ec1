"""People: lead editors add analysts and editors (never superusers); add_user; one-time
passwords that must be replaced at the first sign-in."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory, analyst, editor

pytestmark = pytest.mark.django_db

User = get_user_model()
ADD_USER = reverse("admin:auth_user_add")
USERS = reverse("admin:auth_user_changelist")


def lead_editor(**kwargs):
    return UserFactory(groups=["Lead editors"], is_staff=True, **kwargs)


def groups(*names) -> list[int]:
    return [Group.objects.get(name=name).pk for name in names]


def new_user(username: str, *roles, **extra) -> dict:
    return {
        "username": username,
        "usable_password": "true",
        "password1": "a long passphrase for them",
        "password2": "a long passphrase for them",
        "groups": groups(*roles),
        **extra,
    }


def test_the_lead_editors_group_exists_with_editing_and_people_rights():
    leads = set(
        Group.objects.get(name="Lead editors").permissions.values_list("codename", flat=True)
    )
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert editors < leads
    assert leads - editors == {"view_user", "add_user", "change_user"}


def test_the_permission_ladder_for_adding_people(client):
    response = client.get(ADD_USER)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    for role in (analyst, editor):
        client.force_login(role(username=f"a-{role.__name__}"))
        assert client.get(ADD_USER).status_code == 403, role.__name__
        assert client.post(ADD_USER, new_user("sneaky", "Analysts")).status_code == 403
    client.force_login(lead_editor(username="lead"))
    assert client.get(ADD_USER).status_code == 200
    assert not User.objects.filter(username="sneaky").exists()


def test_a_lead_editor_adds_an_analyst_and_an_editor(client):
    client.force_login(lead_editor(username="lead"))
    page = client.get(ADD_USER).text
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    offered = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', page)
    assert sorted(offered) == ["Analysts", "Editors"]

    assert client.post(ADD_USER, new_user("ana", "Analysts")).status_code == 302
    # A forged superuser or staff switch is ignored; staff follows from the role.
    forged = new_user("ed", "Editors", is_superuser="on", is_staff="")
    assert client.post(ADD_USER, forged).status_code == 302
    ana, ed = User.objects.get(username="ana"), User.objects.get(username="ed")
    assert (ana.is_staff, ana.is_superuser) == (False, False)
    assert (ed.is_staff, ed.is_superuser) == (True, False)
    assert [g.name for g in ed.groups.all()] == ["Editors"]


def test_a_lead_editor_cannot_make_a_lead_editor_nor_touch_a_superuser(client):
    boss = User.objects.create_superuser("boss", password="another long passphrase")
    peer = lead_editor(username="peer")
    client.force_login(lead_editor(username="lead"))
    response = client.post(ADD_USER, new_user("climber", "Lead editors"))
    assert response.status_code == 200 and not User.objects.filter(username="climber").exists()
    listed = client.get(USERS).text
    assert "boss" not in listed and "peer" not in listed
    for person in (boss, peer):
        change = reverse("admin:auth_user_change", args=[person.pk])
        password = reverse("admin:auth_user_password_change", args=[person.pk])
        assert client.get(change).status_code in (302, 404)
        assert client.post(
            password, {"password1": "x" * 20, "password2": "x" * 20}
        ).status_code in (
            302,
            404,
        )
    boss.refresh_from_db()
    assert boss.check_password("another long passphrase")


def test_add_user_prints_a_one_time_password_that_must_be_replaced():
    out = StringIO()
    call_command("add_user", "nadia", "--group", "Analysts", stdout=out)
    password = re.search(r"One-time password: (\S+)", out.getvalue()).group(1)
    nadia = User.objects.get(username="nadia")
    assert [g.name for g in nadia.groups.all()] == ["Analysts"] and not nadia.is_staff

    browser = Client()
    signed_in = browser.post(
        reverse("login"), {"username": "nadia", "password": password, "next": "/"}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == reverse("password_change")
    assert browser.get(reverse("negotiations:timeline"))["Location"] == reverse("password_change")
    browser.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "nadia's own long passphrase",
            "new_password2": "nadia's own long passphrase",
        },
    )
    assert browser.get(reverse("negotiations:timeline")).status_code == 200
    # Signing in again, with her own password, leads straight to the pages.
    browser.logout()
    again = browser.post(
        reverse("login"), {"username": "nadia", "password": "nadia's own long passphrase"}
    )
    assert again["Location"] == "/"


@pytest.mark.parametrize("role,staff", [("Editors", True), ("Lead editors", True)])
def test_add_user_makes_editors_staff(role, staff):
    call_command("add_user", "someone", "--group", role, stdout=StringIO())
    assert User.objects.get(username="someone").is_staff is staff


def test_add_user_refuses_a_taken_name_and_an_unknown_role():
    call_command("add_user", "taken", "--group", "Editors", stdout=StringIO())
    with pytest.raises(CommandError, match="already an account"):
        call_command("add_user", "taken", "--group", "Editors", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("add_user", "root", "--group", "Superusers", stdout=StringIO())
