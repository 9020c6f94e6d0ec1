import sys

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.dateparse import parse_date

from negotiations.ingest.extract import EXTRACTOR_VERSION
from negotiations.models import Conflict
from negotiations.services.gazetteer import (
    affected_articles,
    extracted_articles,
    reextraction_process,
    reextraction_schedule,
)


class Command(BaseCommand):
    help = (
        "Extract articles again, here and now: their unreviewed candidates are replaced, "
        "reviewed statements are never touched. Without options: the articles read by an "
        f"older extractor than {EXTRACTOR_VERSION}."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--conflict",
            metavar="SLUG",
            help="Only articles about this conflict (with candidates in it, or naming its "
            "proposals or places).",
        )
        parser.add_argument(
            "--since", metavar="DATE", help="Only articles published (or read) on or after DATE."
        )
        parser.add_argument("--all", action="store_true", help="Every article read so far.")

    def handle(self, *args, conflict: str | None, since: str | None, all: bool, **options):
        articles = extracted_articles()
        reason = ["reextract"]
        if conflict:
            found = Conflict.objects.filter(slug=conflict).first()
            if found is None:
                slugs = ", ".join(Conflict.objects.values_list("slug", flat=True)) or "none"
                raise CommandError(f"No conflict {conflict!r}. Conflicts: {slugs}.")
            phrases = list(found.places) + [
                alias for p in found.proposals.all() for alias in (p.name, *p.aliases)
            ]
            articles = articles.filter(
                pk__in=affected_articles(phrases=phrases, conflict_id=found.pk).values("pk")
            )
            reason.append(f"--conflict {conflict}")
        if since:
            day = parse_date(since)
            if day is None:
                raise CommandError(f"--since {since!r} is not a date (YYYY-MM-DD).")
            articles = articles.filter(
                Q(published_at__date__gte=day)
                | Q(published_at__isnull=True, fetched_at__date__gte=day)
            )
            reason.append(f"--since {day}")
        if all:
            reason.append("--all")
        elif not conflict and not since:
            articles = articles.exclude(extractor=EXTRACTOR_VERSION)
        run = reextraction_schedule(reason=" ".join(reason), articles=articles, enqueue=False)
        if run is None:
            self.stdout.write("No article to extract again.")
            return
        on_terminal = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            width = 30
            filled = width * done // max(total, 1)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}\x1b[K")
            sys.stderr.flush()

        reextraction_process(run_id=run.pk, batch=None, progress=progress if on_terminal else None)
        if on_terminal:
            sys.stderr.write("\n")
        run.refresh_from_db()
        self.stdout.write(
            f"Extracted {run.total} article(s) again: {run.created_candidates} candidate(s) "
            "now await review."
        )
