from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from django.utils import timezone

from negotiations.models import Feed


class Command(BaseCommand):
    help = "Add a feed for the worker to poll (or update its name and interval)."

    def add_arguments(self, parser):
        parser.add_argument("url", help="The feed's http(s) URL.")
        parser.add_argument("--name", default="", help="A name to show editors.")
        parser.add_argument(
            "--interval", type=int, default=None, help="Minutes between polls (default 30)."
        )

    def handle(self, *args, url: str, name: str, interval: int | None, **options):
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as exc:
            raise CommandError(f"{url!r} is not an http(s) URL; nothing was added.") from exc
        if interval is not None and interval < 1:
            raise CommandError("--interval must be at least 1 minute; nothing was added.")
        feed, created = Feed.objects.get_or_create(url=url)
        if name:
            feed.name = name
        if interval is not None:
            feed.poll_interval_minutes = interval
        if created:
            feed.next_poll_at = timezone.now()
        feed.save()
        verb = "Added" if created else "Updated"
        self.stdout.write(
            f"{verb} feed {feed.pk}: {feed} ({feed.url}), polled every "
            f"{feed.poll_interval_minutes} min{'' if feed.enabled else ', disabled'}."
        )
