import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql


def database_ensure(*, settings_dict: dict) -> bool:
    """Create the database that `settings_dict` names unless it exists; True if created."""
    params = {
        key: settings_dict.get(name)
        for key, name in (
            ("host", "HOST"),
            ("port", "PORT"),
            ("user", "USER"),
            ("password", "PASSWORD"),
        )
        if settings_dict.get(name)
    }
    name = settings_dict["NAME"]
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return False
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    except psycopg.Error as exc:
        raise CommandError(
            f"Cannot reach PostgreSQL at {params.get('host', 'localhost')}:"
            f"{params.get('port', 5432)} as {params.get('user', 'the current user')}: {exc}"
        ) from exc


class Command(BaseCommand):
    help = "Create the configured PostgreSQL database if it does not exist yet."

    requires_system_checks = []

    def handle(self, *args, **options):
        settings_dict = settings.DATABASES["default"]
        if database_ensure(settings_dict=settings_dict):
            self.stdout.write(self.style.SUCCESS(f"Created database {settings_dict['NAME']!r}."))
        else:
            self.stdout.write(f"Database {settings_dict['NAME']!r} exists.")
