import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from negotiations.services.roles import EDITORS, roles_ensure


class Command(BaseCommand):
    help = (
        "Local development only: create the editor account with a generated password "
        "and print how to sign in. Does nothing when the account exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")

    def handle(self, *args, username: str, **options):
        if not getattr(settings, "CREATE_LOCAL_EDITOR", False):
            raise CommandError("ensure_editor runs with local settings only.")
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Editor account {username!r} exists (password printed when created)."
            )
            return
        roles_ensure()
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=EDITORS))
        self.stdout.write(
            self.style.SUCCESS(
                "\nEditor account created. Sign in at "
                f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/admin/ with\n"
                f"    username: {username}\n    password: {password}\n"
                "This password is shown once; `python manage.py changepassword "
                f"{username}` sets a new one.\n"
            )
        )
