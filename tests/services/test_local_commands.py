"""The commands `make run` relies on: database creation and the local editor account."""

import re

import psycopg
import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from negotiations.management.commands.ensure_database import database_ensure


@pytest.mark.django_db
def test_editor_account_is_created_once_and_its_password_works(capsys, settings):
    settings.CREATE_LOCAL_EDITOR = True
    call_command("ensure_editor")
    out = capsys.readouterr().out
    password = re.search(r"password: (\S+)", out).group(1)
    user = authenticate(RequestFactory().post("/"), username="editor", password=password)
    assert user is not None and user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]

    call_command("ensure_editor")
    again = capsys.readouterr().out
    assert "exists" in again
    assert password not in again


@pytest.mark.django_db
def test_editor_account_is_refused_outside_local_settings(settings):
    settings.CREATE_LOCAL_EDITOR = False
    with pytest.raises(CommandError, match="local settings only"):
        call_command("ensure_editor")


def test_missing_database_is_created_once(settings):
    name = "ceasefire_ensure_database_check"
    wanted = {**settings.DATABASES["default"], "NAME": name}
    conninfo = {"host": wanted["HOST"] or None, "user": wanted["USER"] or None}

    def drop():
        with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    drop()
    try:
        assert database_ensure(settings_dict=wanted) is True
        with psycopg.connect(dbname=name, **conninfo) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == (name,)
        assert database_ensure(settings_dict=wanted) is False
    finally:
        drop()


def test_unreachable_server_is_a_clear_error(settings):
    wanted = {**settings.DATABASES["default"], "HOST": "127.0.0.1", "PORT": "1"}
    with pytest.raises(CommandError, match="Cannot reach PostgreSQL at 127.0.0.1:1"):
        database_ensure(settings_dict=wanted)
