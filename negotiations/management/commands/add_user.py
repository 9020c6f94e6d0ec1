from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from negotiations.services.users import ROLES, user_create


class Command(BaseCommand):
    help = (
        "Create an analyst, editor or lead editor account and print its one-time password; "
        "its owner chooses their own at the first sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--group", required=True, choices=ROLES, help="The account's role.")
        parser.add_argument("--email", default="")

    def handle(self, *args, username: str, group: str, email: str, **options):
        try:
            user, password = user_create(username=username, group=group, email=email)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        where = "/admin/" if user.is_staff else "/"
        self.stdout.write(
            f"{group[:-1] if group.endswith('s') else group} account {username!r} created.\n"
            f"One-time password: {password}\n"
            f"Give it to {username} privately: they sign in at {where} and must then choose "
            "their own. It is shown only now.\n"
        )
