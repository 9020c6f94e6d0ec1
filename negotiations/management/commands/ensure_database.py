import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql


class Command(BaseCommand):
    help = "Create the configured PostgreSQL database if it does not exist yet."

    requires_system_checks = []

    def handle(self, *args, **options):
        db = settings.DATABASES["default"]
        params = {
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
        }
        params = {k: v for k, v in params.items() if v}
        try:
            with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
                ).fetchone()
                if exists:
                    self.stdout.write(f"Database {db['NAME']!r} exists.")
                    return
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
        except psycopg.Error as exc:
            raise CommandError(
                f"Cannot reach PostgreSQL at {params.get('host', 'localhost')}:"
                f"{params.get('port', 5432)} as {params.get('user', 'the current user')}: {exc}"
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"Created database {db['NAME']!r}."))
